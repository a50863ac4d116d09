//! `peo list`: the indexed publications by wave.

use std::io::Write;

use crate::cli::{count, Exit, IndexDir};
use crate::index::PeoIndex;
use crate::model::Document;

/// List the indexed publications by wave, their counts and what needs a librarian.
///
/// Each row counts pages, sections, recommendations, quotes and warnings (`peo show DOC` lists
/// the warnings), and ends with what needs a librarian: a document whose file can no longer be
/// read ("stale: last good version indexed on DATE") and one whose image pages wait for OCR
/// ("OCR pending").
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
                "key_figures": d.key_figures.len(), "warnings": d.warnings,
                "file": d.file, "stale": stale_json(d), "ocr_pending": d.ocr_pending,
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
            "  {:<36} {:<13} {:>3} p {:>3} sect {:>8} {:>10} {:>12}  {}{}",
            d.id,
            d.doc_type_text(),
            d.pages.len(),
            d.sections.len(),
            count(d.recommendations.len(), "rec ", "recs"),
            count(d.quotes.len(), "quote ", "quotes"),
            count(d.warnings.len(), "warning ", "warnings"),
            d.title,
            librarian_notes(d)
        )?;
    }
    Ok(Exit::Success)
}

/// What needs a librarian's attention in a document, as a line's end: "  [stale: ...]  [OCR
/// pending: pages 1, 3]", or nothing.
pub(crate) fn librarian_notes(d: &Document) -> String {
    let mut notes = String::new();
    if let Some(stale) = d.stale_note() {
        notes.push_str(&format!("  [{stale}]"));
    }
    if !d.ocr_pending.is_empty() {
        notes.push_str(&format!("  [OCR pending: {}]", pages_text(&d.ocr_pending)));
    }
    notes
}

/// "page 1" or "pages 1, 3".
pub(crate) fn pages_text(pages: &[u32]) -> String {
    let numbers: Vec<String> = pages.iter().map(u32::to_string).collect();
    match pages.len() {
        1 => format!("page {}", numbers.join("")),
        _ => format!("pages {}", numbers.join(", ")),
    }
}

/// A stale document in JSON: the day its last good version was indexed and why its file can no
/// longer be read; null for a current one.
pub(crate) fn stale_json(d: &Document) -> serde_json::Value {
    match &d.stale {
        Some(why) => serde_json::json!({ "last_good_version": d.indexed_on, "error": why }),
        None => serde_json::Value::Null,
    }
}
