//! `peo show`: a document's outline, or the text of one of its pages.

use std::io::Write;

use crate::cli::list::{librarian_notes, pages_text, stale_json};
use crate::cli::{count, search::SearchFormat, Exit, IndexDir};
use crate::index::PeoIndex;

/// Show an indexed document's outline and warnings, or the text of one page.
///
/// DOC is the document id (the file's path in the corpus without .pdf, as `peo list` and
/// search hits show it); DOC:PAGE shows the page with that label (the printed page number) or,
/// failing that, that physical page: a hit read in context.
///
/// Examples:
///   peo show peo-2024-2025-rapport
///   peo show peo-2024-2025-rapport:14
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// DOC or DOC:PAGE.
    target: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: SearchFormat,
    #[command(flatten)]
    index: IndexDir,
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        self.format == SearchFormat::Json
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    let (id, page) = match args.target.rsplit_once(':') {
        Some((id, page)) => (id, Some(page)),
        None => (args.target.as_str(), None),
    };
    let docs = PeoIndex::open(&args.index.index)?.documents()?;
    let Some(doc) = docs.iter().find(|d| d.id == id) else {
        anyhow::bail!("no document {id:?} in the index (see `peo list`)");
    };
    if let Some(page) = page {
        let found = doc.pages.iter().find(|p| p.label == page).or_else(|| {
            page.parse::<u32>()
                .ok()
                .and_then(|n| doc.pages.iter().find(|p| p.number == n))
        });
        let Some(p) = found else {
            anyhow::bail!("{id} has no page {page:?} (pages 1 to {})", doc.pages.len());
        };
        match args.format {
            SearchFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(p)?)?,
            SearchFormat::Text => writeln!(
                out,
                "{} [{}, {}] page {} (label {}){}\n\n{}",
                doc.title,
                doc.wave_text(),
                doc.doc_type_text(),
                p.number,
                p.label,
                librarian_notes(doc),
                p.text
            )?,
        }
        return Ok(Exit::Success);
    }
    if args.format == SearchFormat::Json {
        let outline = serde_json::json!({
            "id": doc.id, "title": doc.title, "wave": doc.wave_text(), "doc_type": doc.doc_type_text(),
            "pages": doc.pages.len(), "sections": doc.sections,
            "recommendations": doc.recommendations.len(), "quotes": doc.quotes.len(),
            "key_figures": doc.key_figures.len(), "warnings": doc.warnings,
            "file": doc.file, "stale": stale_json(doc), "ocr_pending": doc.ocr_pending,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&outline)?)?;
        return Ok(Exit::Success);
    }
    writeln!(
        out,
        "{} [{}, {}] {}",
        doc.title,
        doc.wave_text(),
        doc.doc_type_text(),
        doc.id
    )?;
    writeln!(
        out,
        "{}, {}, {}, {}, {}, {}",
        count(doc.pages.len(), "page", "pages"),
        count(doc.sections.len(), "section", "sections"),
        count(
            doc.recommendations.len(),
            "recommendation",
            "recommendations"
        ),
        count(doc.quotes.len(), "quote", "quotes"),
        count(doc.key_figures.len(), "key figure", "key figures"),
        count(doc.warnings.len(), "warning", "warnings")
    )?;
    if let (Some(note), Some(why)) = (doc.stale_note(), &doc.stale) {
        writeln!(out, "{note} (the file {}: {why})", doc.file)?;
    }
    if !doc.ocr_pending.is_empty() {
        writeln!(
            out,
            "OCR pending: {} (read again by the next `peo index` that can OCR)",
            pages_text(&doc.ocr_pending)
        )?;
    }
    writeln!(out)?;
    for s in &doc.sections {
        let indent = "  ".repeat(s.level.saturating_sub(1) as usize);
        let recs = doc
            .recommendations
            .iter()
            .filter(|r| r.section.as_deref() == Some(&s.reference()))
            .count();
        let quotes = doc
            .quotes
            .iter()
            .filter(|q| q.section.as_deref() == Some(&s.reference()))
            .count();
        let counts = match (recs, quotes) {
            (0, 0) => String::new(),
            (r, q) => format!(
                "  [{}, {}]",
                count(r, "recommendation", "recommendations"),
                count(q, "quote", "quotes")
            ),
        };
        writeln!(
            out,
            "p. {:<4} {indent}{}{counts}",
            doc.page_label(s.page),
            s.reference()
        )?;
    }
    if !doc.warnings.is_empty() {
        writeln!(out, "\nwarnings:")?;
        for w in &doc.warnings {
            writeln!(out, "  {w}")?;
        }
    }
    Ok(Exit::Success)
}
