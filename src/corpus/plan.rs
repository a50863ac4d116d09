//! What to do with each file of a corpus: which files there are, what the catalog says about
//! each, and whether an indexed document can stay as it is.
//!
//! Invariant: a file is processed again unless its bytes (blake3) and its catalog entry are
//! the ones it was indexed with, it is not stale and no page of it waits for OCR that this run
//! can do; only a changed catalog entry that names title, wave and type is applied without
//! processing.

use std::path::{Path, PathBuf};

use crate::catalog::Entry;
use crate::model::Document;
use crate::segment::Known;

/// An indexed document with the catalog entry it was indexed under (`catalog_key`).
pub struct Previous {
    pub document: Document,
    pub catalog: String,
}

/// What to do with one file.
#[derive(Debug)]
pub enum Plan {
    /// Neither the file nor its catalog entry changed since it was indexed.
    Unchanged,
    /// Only the catalog entry changed: its title, wave and type applied to the indexed
    /// document.
    Recatalogued(Document),
    /// The file is new or changed (or its catalog entry no longer says everything).
    Process,
}

/// Decides what to do with a file whose bytes hash to `blake3`, in a run that can OCR
/// (`can_ocr`) or not.
pub fn plan(
    blake3: &str,
    entry: Option<&Entry>,
    previous: Option<&Previous>,
    can_ocr: bool,
) -> Plan {
    let Some(prev) = previous.filter(|p| p.document.blake3 == blake3) else {
        return Plan::Process;
    };
    // A stale document's file reads again: it is current once it is read.
    if prev.document.stale.is_some() || (can_ocr && !prev.document.ocr_pending.is_empty()) {
        return Plan::Process;
    }
    if prev.catalog == catalog_key(entry) {
        return Plan::Unchanged;
    }
    match entry {
        Some(Entry {
            title: Some(title),
            wave: Some(wave),
            doc_type: Some(doc_type),
            ..
        }) => {
            let mut doc = prev.document.clone();
            doc.title = title.clone();
            doc.wave = Some(*wave);
            doc.doc_type = Some(*doc_type);
            Plan::Recatalogued(doc)
        }
        _ => Plan::Process,
    }
}

/// The catalog entry as it is compared between runs (and stored in the index: the same text
/// as when wave and type were strings, so an index stays current).
pub fn catalog_key(entry: Option<&Entry>) -> String {
    entry
        .map(|e| {
            format!(
                "{:?}|{:?}|{:?}",
                e.title,
                e.wave.map(|w| w.to_string()),
                e.doc_type.map(|t| t.to_string())
            )
        })
        .unwrap_or_default()
}

/// What the catalog says about a file, as segmentation takes it.
pub fn known_from(entry: Option<&Entry>) -> Known {
    match entry {
        Some(e) => Known {
            title: e.title.clone(),
            wave: e.wave,
            doc_type: e.doc_type,
            pdf_title: None,
        },
        None => Known::default(),
    }
}

/// The PDF files of a corpus directory, sorted, searched recursively.
pub fn corpus_files(corpus: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![corpus.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                // The sources the corpus is generated from are not publications.
                if path.file_name().is_some_and(|n| n != "src") {
                    stack.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The document id of a corpus file new to the index: its path relative to the corpus
/// (`relative_name`) without `.pdf`, so that a file at the corpus's top level is known by its
/// name and files of one name in two folders are two documents.
pub fn doc_id(relative: &str) -> String {
    let cut = relative.len().saturating_sub(4);
    match relative.get(cut..) {
        Some(ext) if ext.eq_ignore_ascii_case(".pdf") => relative[..cut].to_string(),
        _ => relative.to_string(),
    }
}

/// The path of a corpus file relative to the corpus, with forward slashes, as the catalog
/// names it.
pub fn relative_name(corpus: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(corpus).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_known_by_its_path_in_the_corpus() {
        for (relative, id) in [
            ("peo-2022-factsheet.pdf", "peo-2022-factsheet"),
            ("2023/samenvatting.PDF", "2023/samenvatting"),
            (
                "één/samenvatting 2022–2023.pdf",
                "één/samenvatting 2022–2023",
            ),
        ] {
            assert_eq!(doc_id(relative), id);
        }
    }

    fn previous(stale: bool, ocr_pending: Vec<u32>) -> Previous {
        Previous {
            document: Document {
                blake3: "abc".into(),
                stale: stale.then(|| "cannot parse pdf".to_string()),
                ocr_pending,
                ..Document::default()
            },
            catalog: catalog_key(None),
        }
    }

    #[test]
    fn a_stale_document_and_one_waiting_for_ocr_are_read_again() {
        let plan_of =
            |p: &Previous, can_ocr: bool| format!("{:?}", plan("abc", None, Some(p), can_ocr));
        assert_eq!(plan_of(&previous(false, vec![]), true), "Unchanged");
        assert_eq!(plan_of(&previous(true, vec![]), false), "Process");
        assert_eq!(plan_of(&previous(false, vec![1]), false), "Unchanged");
        assert_eq!(plan_of(&previous(false, vec![1]), true), "Process");
    }
}
