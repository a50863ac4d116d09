//! `peo list`: the indexed publications by wave.

use std::io::Write;

use crate::cli::{count, Exit, IndexDir};
use crate::index::PeoIndex;

/// List the indexed publications by wave, with their counts of pages, sections,
/// recommendations and quotes.
///
/// Examples:
///   peo list
///   peo list --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: crate::cli::search::SearchFormat,
    #[command(flatten)]
    index: IndexDir,
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        self.format == crate::cli::search::SearchFormat::Json
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    let docs = PeoIndex::open(&args.index.index)?.documents()?;
    let rows: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| {
            serde_json::json!({
                "id": d.id, "title": d.title, "wave": d.wave_text(), "doc_type": d.doc_type_text(),
                "pages": d.pages.len(), "sections": d.sections.len(),
                "recommendations": d.recommendations.len(), "quotes": d.quotes.len(),
                "key_figures": d.key_figures.len(), "warnings": d.warnings.len(),
            })
        })
        .collect();
    if args.format == crate::cli::search::SearchFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(Exit::Success);
    }
    if docs.is_empty() {
        crate::cli::report(
            &format!(
                "{}: the index holds no publications yet (`peo index` indexes a corpus, `peo add FILE` adds one)",
                args.index.index.display()
            ),
            None,
            false,
        );
        return Ok(Exit::Success);
    }
    let mut wave = None;
    for d in &docs {
        if wave != Some(d.wave) {
            match d.wave {
                Some(w) => writeln!(out, "{w}")?,
                None => writeln!(out, "(wave unknown)")?,
            }
            wave = Some(d.wave);
        }
        writeln!(
            out,
            "  {:<36} {:<13} {:>3} p {:>3} sect {:>8} {:>10}  {}",
            d.id,
            d.doc_type_text(),
            d.pages.len(),
            d.sections.len(),
            count(d.recommendations.len(), "rec ", "recs"),
            count(d.quotes.len(), "quote ", "quotes"),
            d.title
        )?;
    }
    Ok(Exit::Success)
}
