//! `peo export`: every passage of the index as JSON lines, for a search engine that serves many
//! machines (OpenSearch, Quickwit).

use std::io::Write;

use crate::cli::{Exit, IndexDir};
use crate::index::PeoIndex;

/// Write every passage of the index as one JSON object a line.
///
/// Each line has the fields id (the same across re-indexing), doc_id, title, wave, doc_type,
/// kind, page, page_label, section, audiences, audience_label, number, n_pages and text; a
/// field without a value is null. Lines are ordered by publication and id.
///
/// Examples:
///   peo export --format jsonl > passages.jsonl
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: ExportFormat,
    #[command(flatten)]
    index: IndexDir,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object a line.
    Jsonl,
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        self.format == ExportFormat::Jsonl
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let passages = PeoIndex::open(&args.index.index)?.all_passages()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for p in &passages {
        let line = serde_json::json!({
            "id": p.id,
            "doc_id": p.doc_id,
            "title": p.title,
            "wave": p.wave,
            "doc_type": p.doc_type,
            "kind": p.kind,
            "page": p.page,
            "page_label": p.page_label,
            "section": p.section,
            "audiences": p.audiences,
            "audience_label": p.audience_label,
            "number": p.number,
            "n_pages": p.n_pages,
            "text": p.text,
        });
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(Exit::Success)
}
