//! Indexing a corpus, the use case behind `peo index` and `peo add`: which files to
//! (re)process (`plan`), processing them in parallel (`run`), and writing what came out into
//! the index in one commit (`index`).
//!
//! Invariant: a file that fails costs only that file, and what the index had of it is kept;
//! the index changes in one atomic commit, so a search during a run sees the old index.

pub mod plan;
pub mod run;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::catalog::Catalog;
use crate::index::PeoIndex;
use crate::ocr::OcrMode;
use crate::process;

pub use plan::{corpus_files, known_from, relative_name, Previous};
pub use run::{Change, FileError, Isolation, Outcome};

/// How to index a corpus, resolved once from the command line (or set by a test).
#[derive(Debug, Clone)]
pub struct IndexConfig {
    /// The corpus directory with the PDFs and catalog.toml.
    pub corpus: PathBuf,
    /// The index directory.
    pub index: PathBuf,
    /// Files processed at once.
    pub jobs: usize,
    /// Rebuild the index from scratch instead of updating it.
    pub force: bool,
    /// Where the stages run for each file.
    pub isolation: Isolation,
    /// Which pages get OCR.
    pub ocr: OcrMode,
    /// Draw a progress bar on standard error.
    pub progress: bool,
}

/// What an indexing run tells as it goes, for its caller to show.
#[derive(Debug)]
pub enum Notice<'a> {
    /// The index was built by another version of peo (its schema): it is rebuilt.
    OtherSchema(&'a str),
    /// A file could not be processed; what the index had of it stays.
    Failed(&'a Path, &'a FileError),
    /// A warning of a processed file's document.
    Warning(&'a Path, &'a str),
}

/// What an indexing run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexSummary {
    /// The PDFs in the corpus.
    pub n_files: usize,
    pub n_added: usize,
    pub n_updated: usize,
    pub n_removed: usize,
    pub n_unchanged: usize,
    pub n_failed: usize,
    /// Pages of the documents written.
    pub n_pages: usize,
    /// Passages in the index after the run.
    pub n_passages: usize,
    pub n_warnings: usize,
}

/// Indexes every new or changed PDF of the corpus, removes the documents whose files are gone
/// and applies changed catalog entries, in one commit; `notice` hears of every failure and
/// warning as it comes.
pub fn index(config: &IndexConfig, notice: &mut dyn FnMut(Notice)) -> anyhow::Result<IndexSummary> {
    let catalog = Catalog::load(&config.corpus)?;
    let files = corpus_files(&config.corpus)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the corpus: {e}", config.corpus.display()))?;
    // An index of another schema cannot be updated: it is rebuilt from the corpus, as --force.
    let rebuild = config.force
        || match PeoIndex::other_schema(&config.index) {
            None => false,
            Some(version) => {
                notice(Notice::OtherSchema(&version));
                true
            }
        };
    let mut index = if rebuild {
        PeoIndex::open_for_rebuild(&config.index)?
    } else {
        PeoIndex::open_or_create(&config.index)?
    };
    index
        .lock()
        .with_context(|| config.index.display().to_string())?;
    let previous: HashMap<String, Previous> = if rebuild {
        HashMap::new()
    } else {
        index
            .records()?
            .into_iter()
            .map(|(document, catalog)| (document.id.clone(), Previous { document, catalog }))
            .collect()
    };
    let seen: HashSet<String> = files.iter().map(|path| process::doc_id(path)).collect();
    let removed: Vec<String> = previous
        .keys()
        .filter(|id| !seen.contains(*id))
        .cloned()
        .collect();
    // Each document is written as soon as it is read; the failures keep what the index had of
    // them (nothing indexed is lost), and the one commit at the end makes it all visible.
    let mut update = index.update(&removed, rebuild)?;
    let mut written: anyhow::Result<()> = Ok(());
    let mut summary = IndexSummary {
        n_files: files.len(),
        n_removed: removed.len(),
        ..IndexSummary::default()
    };
    let job = run::Job {
        corpus: &config.corpus,
        files: &files,
        catalog: &catalog,
        jobs: config.jobs,
        previous: &previous,
        isolation: &config.isolation,
        ocr: config.ocr,
        progress: config.progress,
    };
    run::run(&job, |outcome, progress| {
        let document = match outcome.result {
            Ok(Change::Unchanged) => {
                summary.n_unchanged += 1;
                return;
            }
            Ok(Change::Recatalogued(document)) => document,
            Ok(Change::Processed(p)) => {
                progress.suspend(|| {
                    for w in &p.document.warnings {
                        notice(Notice::Warning(&outcome.path, w));
                    }
                });
                summary.n_warnings += p.document.warnings.len();
                p.document
            }
            Err(e) => {
                progress.suspend(|| notice(Notice::Failed(&outcome.path, &e)));
                summary.n_failed += 1;
                return;
            }
        };
        if written.is_err() {
            return;
        }
        if previous.contains_key(&document.id) {
            summary.n_updated += 1;
        } else {
            summary.n_added += 1;
        }
        summary.n_pages += document.pages.len();
        let key = plan::catalog_key(catalog.entry(&relative_name(&config.corpus, &outcome.path)));
        written = update.put(&document, &key);
    });
    written?;
    summary.n_passages = update.commit()?;
    Ok(summary)
}
