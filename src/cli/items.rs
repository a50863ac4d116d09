//! `peo recs` and `peo quotes`: the recommendations or quotes of the indexed publications,
//! filtered, optionally matching a query, as text, JSON, JSON lines or CSV.

use std::io::Write;

use crate::cli::{Exit, FilterArgs, Format, IndexDir};
use crate::index::PeoIndex;
use crate::search::{self, Item, ItemsRequest, Which};

/// List recommendations (peo recs) or quotes (peo quotes) of the indexed publications.
///
/// Without a query every item that passes the filters is listed, in document order; with a
/// query the items that match it, best first. An item that several copies of a publication
/// hold (a scan beside its born-digital original) is listed once, from the best copy (born
/// digital, fewer repairs), with the others in also_in; --all-copies lists every copy, each
/// copy with copy_of naming the file it copies.
///
/// Examples:
///   peo recs --audience opleidingen
///   peo recs reflectie --wave 2024-2025 --format csv
///   peo quotes "grijze gebied" --format jsonl
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only items matching this query (same language as peo search).
    query: Option<String>,
    #[command(flatten)]
    filters: FilterArgs,
    /// At most this many items (all by default).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// List an item from every copy of its publication, not once (copy_of names the original).
    #[arg(long)]
    all_copies: bool,
    #[command(flatten)]
    index: IndexDir,
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        matches!(self.format, Format::Json | Format::Jsonl)
    }
}

pub fn run(args: Args, which: Which) -> anyhow::Result<Exit> {
    let index = PeoIndex::open(&args.index.index)?;
    let request = ItemsRequest {
        which,
        query: args.query.clone(),
        filters: crate::cli::search::filters(&args.filters, &[])?,
        limit: args.limit,
        all_copies: args.all_copies,
    };
    let items = search::items(&index, &request)?;
    print_items(&items, args.format)?;
    if items.is_empty() {
        // As grep: nothing found is exit code 1, said on standard error.
        let what = match which {
            Which::Recommendations => "recommendations",
            Which::Quotes => "quotes",
        };
        crate::cli::report(&format!("no {what}"), None, args.json());
        return Ok(Exit::SomeFailed);
    }
    Ok(Exit::Success)
}

fn print_items(items: &[Item], format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(items)?)?,
        Format::Jsonl => {
            for i in items {
                writeln!(out, "{}", serde_json::to_string(i)?)?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "doc_id",
                "title",
                "wave",
                "doc_type",
                "audience_label",
                "audiences",
                "number",
                "page",
                "page_label",
                "section",
                "text",
                "copy_of",
                "also_in",
            ])?;
            for i in items {
                w.write_record([
                    i.doc_id.as_str(),
                    &i.title,
                    &i.wave,
                    &i.doc_type,
                    i.audience_label.as_deref().unwrap_or(""),
                    &i.audiences
                        .as_ref()
                        .map(|a| a.join(";"))
                        .unwrap_or_default(),
                    &i.number.map(|n| n.to_string()).unwrap_or_default(),
                    &i.page.to_string(),
                    &i.page_label,
                    i.section.as_deref().unwrap_or(""),
                    &i.text,
                    i.copy_of.as_deref().unwrap_or(""),
                    &i.also_in.join(";"),
                ])?;
            }
            w.flush()?;
        }
        Format::Text => {
            let mut last = String::new();
            for i in items {
                if i.doc_id != last {
                    writeln!(out, "{} [{}, {}] {}", i.title, i.wave, i.doc_type, i.doc_id)?;
                    last = i.doc_id.clone();
                }
                let audience = i
                    .audience_label
                    .as_deref()
                    .map(|a| format!("{a}: "))
                    .unwrap_or_default();
                let number = i.number.map(|n| format!("{n}. ")).unwrap_or_default();
                writeln!(out, "  p. {:<4} {audience}{number}{}", i.page_label, i.text)?;
            }
        }
    }
    Ok(())
}
