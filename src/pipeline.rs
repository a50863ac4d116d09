//! The stages chained: PDF bytes → `RawPage`s → `LaidPage`s → `CleanPage`s → `Document`, for
//! one file or, in parallel, for a whole corpus. The only place that uses rayon and indicatif.
//!
//! Invariant: a file that fails costs only that file: its error names the file and the cause,
//! and every other file is processed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ParallelProgressIterator, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::catalog::{Catalog, Entry};
use crate::extract::{self, ExtractError};
use crate::model::{Diagnostic, Document};
use crate::segment::{self, Known};
use crate::{layout, normalize};

/// A document with the repairs made on the way.
#[derive(Debug, Clone)]
pub struct Processed {
    pub document: Document,
    /// The pages as segmentation saw them.
    pub pages: Vec<crate::model::CleanPage>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every stage on the bytes of one PDF.
pub fn process(bytes: &[u8], path: &Path, known: &Known) -> Result<Processed, ExtractError> {
    let raw = extract::read(bytes)?;
    let laid: Vec<_> = raw.pages.iter().map(layout::lay_out).collect();
    let normalized = normalize::normalize(&laid);
    let known = Known {
        pdf_title: known.pdf_title.clone().or(raw.info.title.clone()),
        ..known.clone()
    };
    let mut document = segment::segment(&normalized.pages, &known);
    document.id = doc_id(path);
    document.path = path.display().to_string();
    document.blake3 = blake3::hash(bytes).to_hex().to_string();
    for page in &raw.pages {
        if let Some(problem) = &page.problem {
            document.warnings.push(problem.clone());
        } else if page.glyphs.is_empty() {
            let why = if page.has_image {
                "an image without a text layer"
            } else {
                "empty"
            };
            document
                .warnings
                .push(format!("page {} has no text: {why}", page.number));
        }
    }
    Ok(Processed {
        document,
        pages: normalized.pages,
        diagnostics: normalized.diagnostics,
    })
}

/// Reads and processes one file.
pub fn process_file(path: &Path, known: &Known) -> Result<Processed, ExtractError> {
    let bytes = std::fs::read(path)?;
    process(&bytes, path, known)
}

/// The document id: the file name without its extension.
pub fn doc_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What the catalog says about a file, as segmentation takes it.
pub fn known_from(entry: Option<&Entry>) -> Known {
    match entry {
        Some(e) => Known {
            title: e.title.clone(),
            wave: e.wave.clone(),
            doc_type: e.doc_type.clone(),
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

/// The path of a corpus file relative to the corpus, with forward slashes, as the catalog
/// names it.
pub fn relative_name(corpus: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(corpus).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a corpus run did with one file.
#[derive(Debug)]
pub enum Change {
    /// Neither the file nor its catalog entry changed since it was indexed.
    Unchanged,
    /// Only the catalog entry changed: its title, wave and type were applied to the indexed
    /// document without extracting the file again.
    Recatalogued(Document),
    /// The file is new or changed (or its catalog entry no longer says everything): processed.
    Processed(Processed),
}

/// The outcome for one file of a corpus run.
pub struct Outcome {
    pub path: PathBuf,
    pub result: Result<Change, ExtractError>,
}

/// An indexed document with the catalog entry it was indexed under.
pub struct Previous {
    pub document: Document,
    pub catalog: String,
}

/// The catalog entry as it is compared between runs.
pub fn catalog_key(entry: Option<&Entry>) -> String {
    entry
        .map(|e| format!("{:?}|{:?}|{:?}", e.title, e.wave, e.doc_type))
        .unwrap_or_default()
}

/// Decides what to do with one file: unchanged files (same blake3, same catalog entry) are
/// skipped, a changed catalog entry that names title, wave and type is applied to the indexed
/// document, everything else is processed.
fn process_changed(
    path: &Path,
    entry: Option<&Entry>,
    previous: Option<&Previous>,
) -> Result<Change, ExtractError> {
    let bytes = std::fs::read(path)?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if let Some(prev) = previous.filter(|p| p.document.blake3 == hash) {
        if prev.catalog == catalog_key(entry) {
            return Ok(Change::Unchanged);
        }
        if let Some(e) = entry {
            if let (Some(title), Some(wave), Some(doc_type)) = (&e.title, &e.wave, &e.doc_type) {
                let mut doc = prev.document.clone();
                doc.title = title.clone();
                doc.wave = wave.clone();
                doc.doc_type = doc_type.clone();
                return Ok(Change::Recatalogued(doc));
            }
        }
    }
    process(&bytes, path, &known_from(entry)).map(Change::Processed)
}

/// Processes the new and changed `files` of `corpus` on `jobs` threads, with a progress bar on
/// a terminal; `previous` holds the indexed documents by id.
pub fn process_corpus(
    corpus: &Path,
    files: &[PathBuf],
    catalog: &Catalog,
    jobs: usize,
    previous: &HashMap<String, Previous>,
) -> Vec<Outcome> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build();
    let run = || {
        let bar = progress_bar(files.len() as u64);
        files
            .par_iter()
            .progress_with(bar.clone())
            .map(|path| {
                let entry = catalog.entry(&relative_name(corpus, path));
                let result = process_changed(path, entry, previous.get(&doc_id(path)));
                if let Err(e) = &result {
                    bar.suspend(|| eprintln!("peo: {}: {e}", path.display()));
                }
                Outcome {
                    path: path.clone(),
                    result,
                }
            })
            .collect::<Vec<_>>()
    };
    match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

fn progress_bar(n: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr());
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} files {elapsed}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
