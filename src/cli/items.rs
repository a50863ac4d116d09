//! `peo recs` and `peo quotes`: the recommendations or quotes of the indexed publications,
//! filtered, optionally matching a query, as text, JSON, JSON lines or CSV.

use std::io::Write;

use serde::Serialize;

use crate::cli::{Exit, FilterArgs, Format, IndexDir};
use crate::index::PeoIndex;
use crate::model::{Document, PassageKind};

/// Which items a command lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Recommendations,
    Quotes,
}

/// List recommendations (peo recs) or quotes (peo quotes) of the indexed publications.
///
/// Without a query every item that passes the filters is listed, in document order; with a
/// query the items that match it, best first.
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
    #[command(flatten)]
    index: IndexDir,
}

/// A recommendation or quote with the publication it comes from.
#[derive(Debug, Clone, Serialize)]
struct Item {
    doc_id: String,
    title: String,
    wave: String,
    doc_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    audience_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audiences: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<u32>,
    text: String,
    page: u32,
    page_label: String,
    section: Option<String>,
}

fn items_of(doc: &Document, which: Which) -> Vec<Item> {
    let item = |text: &str, page: u32, section: &Option<String>| Item {
        doc_id: doc.id.clone(),
        title: doc.title.clone(),
        wave: doc.wave_text(),
        doc_type: doc.doc_type_text().to_string(),
        audience_label: None,
        audiences: None,
        number: None,
        text: text.to_string(),
        page,
        page_label: doc.page_label(page),
        section: section.clone(),
    };
    match which {
        Which::Recommendations => doc
            .recommendations
            .iter()
            .map(|r| Item {
                audience_label: Some(r.audience_label.clone()),
                audiences: Some(r.audiences.iter().map(|a| a.to_string()).collect()),
                number: r.number,
                ..item(&r.text, r.page, &r.section)
            })
            .collect(),
        Which::Quotes => doc
            .quotes
            .iter()
            .map(|q| item(&q.text, q.page, &q.section))
            .collect(),
    }
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        matches!(self.format, Format::Json | Format::Jsonl)
    }
}

pub fn run(args: Args, which: Which) -> anyhow::Result<Exit> {
    let index = PeoIndex::open(&args.index.index)?;
    let docs = index.documents()?;
    let f = &args.filters;
    let keep_doc = |d: &Document| {
        (f.wave.is_empty() || f.wave.contains(&d.wave_text()))
            && (f.doc_type.is_empty() || f.doc_type.iter().any(|t| t == d.doc_type_text()))
    };
    let keep_item = |i: &Item| {
        f.audience.is_empty()
            || i.audiences
                .as_ref()
                .is_some_and(|a| a.iter().any(|x| f.audience.contains(x)))
    };
    let items: Vec<Item> = match args.query.as_deref().filter(|q| !q.trim().is_empty()) {
        None => docs
            .iter()
            .filter(|d| keep_doc(d))
            .flat_map(|d| items_of(d, which))
            .filter(keep_item)
            .collect(),
        Some(query) => {
            let kind = if which == Which::Recommendations {
                PassageKind::Recommendation
            } else {
                PassageKind::Quote
            };
            let mut filters = crate::cli::search::filters(f, &[])?;
            filters.kinds = vec![kind];
            let (hits, _) = index.search_unmarked(query, &filters, 10_000)?;
            hits.iter()
                .filter_map(|h| {
                    let doc = docs.iter().find(|d| d.id == h.doc_id)?;
                    items_of(doc, which).into_iter().nth(h.ordinal?)
                })
                .collect()
        }
    };
    let items = &items[..items.len().min(args.limit.unwrap_or(usize::MAX))];
    print_items(items, args.format, which)?;
    Ok(Exit::Success)
}

fn print_items(items: &[Item], format: Format, which: Which) -> anyhow::Result<()> {
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
                ])?;
            }
            w.flush()?;
        }
        Format::Text => {
            if items.is_empty() {
                writeln!(
                    out,
                    "no {}",
                    if which == Which::Recommendations {
                        "recommendations"
                    } else {
                        "quotes"
                    }
                )?;
            }
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
