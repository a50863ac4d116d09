//! Indexing a corpus, the use case behind `peo index` and `peo add`: whether the index belongs
//! to the corpus (`identity`), which files to (re)process (`plan`), processing them in parallel
//! (`run`), and writing what came out into the index in one commit (`index`).
//!
//! Invariant: a file that fails costs only that file, and what the index had of it is kept,
//! marked stale; the index changes in one atomic commit, so a search during a run sees the old
//! index; a run against another corpus, or one that would remove many documents without
//! consent, changes nothing; a document keeps its id while its file keeps its bytes.

pub mod identity;
pub mod plan;
pub mod run;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::catalog::{self, Catalog};
use crate::index::PeoIndex;
use crate::ocr::cache::OcrCache;

pub use plan::{corpus_files, doc_id, known_from, relative_name, Previous};
pub use run::{process_file, Change, FileError, Isolation, Outcome, Processing};

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
    /// How each file is processed: where, within which limits, with which OCR.
    pub processing: Processing,
    /// Draw a progress bar on standard error.
    pub progress: bool,
    /// Remove the documents whose files are gone also when they are many (`MassRemoval`).
    pub allow_removal: bool,
    /// The index's corpus has moved to `corpus`: update the index from it although the index
    /// records another.
    pub corpus_moved: bool,
    /// A problem of the catalog is an error: nothing is indexed.
    pub strict: bool,
}

/// What an indexing run tells as it goes, for its caller to show.
#[derive(Debug)]
pub enum Notice<'a> {
    /// The index was built by another version of peo (its schema): it is rebuilt.
    OtherSchema(&'a str),
    /// A problem of the catalog (in the catalog file given).
    Catalog(&'a Path, &'a str),
    /// A file could not be processed; what the index had of it stays, marked stale.
    Failed(&'a Path, &'a FileError),
    /// A warning of a processed file's document.
    Warning(&'a Path, &'a str),
}

/// What an indexing run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexSummary {
    /// The PDFs in the corpus.
    pub n_files: usize,
    pub n_unchanged: usize,
    /// Pages of the documents written.
    pub n_pages: usize,
    /// Passages in the index after the run.
    pub n_passages: usize,
    pub n_warnings: usize,
    /// The files, by their path relative to the corpus, by what the run did with them.
    pub files: FileChanges,
}

/// The files an indexing run changed in the index, by their path relative to the corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileChanges {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    /// Files gone from the corpus whose documents were removed.
    pub removed: Vec<String>,
    /// Files that were moved or renamed in the corpus: their documents keep their ids.
    pub renamed: Vec<Renamed>,
    /// Files that could not be read (what the index had of them stays, marked stale).
    pub failed: Vec<Failed>,
    /// The failed files whose last good version stays in the index, marked stale.
    pub stale: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failed {
    pub file: String,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
}

/// A run stopped because it would remove many documents: more than a fifth of the index, or
/// more than `MASS_REMOVAL` (one document alone is never a mass removal). Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} of the {n_indexed} indexed documents would be removed, because their files are not in {}: {}; nothing was changed (--allow-removal removes them)",
    files.len(),
    corpus.display(),
    files.join(", ")
)]
pub struct MassRemoval {
    pub corpus: PathBuf,
    /// The files whose documents would go, by their path relative to the corpus.
    pub files: Vec<String>,
    pub n_indexed: usize,
}

/// More removals than this in one run need consent, whatever the size of the index.
pub const MASS_REMOVAL: usize = 10;

/// Whether removing `n_removed` of `n_indexed` documents needs consent.
fn is_mass_removal(n_removed: usize, n_indexed: usize) -> bool {
    n_removed > 1 && (n_removed * 5 > n_indexed || n_removed > MASS_REMOVAL)
}

/// Indexes every new or changed PDF of the corpus, removes the documents whose files are gone,
/// keeps the documents of renamed files under their ids, and applies changed catalog entries,
/// in one commit; `notice` hears of every problem of the catalog, failure and warning as it
/// comes. Refuses an index of another corpus (`identity::check`) and, without
/// `allow_removal`, a mass removal (`MassRemoval`), before anything changes.
pub fn index(config: &IndexConfig, notice: &mut dyn FnMut(Notice)) -> anyhow::Result<IndexSummary> {
    let belonging = identity::check(&config.index, &config.corpus, config.corpus_moved)?;
    let mut catalog = Catalog::load(&config.corpus)?;
    let files = corpus_files(&config.corpus)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the corpus: {e}", config.corpus.display()))?;
    let names: Vec<String> = files
        .iter()
        .map(|path| relative_name(&config.corpus, path))
        .collect();
    let catalog_file = config.corpus.join(catalog::FILE_NAME);
    let mut problems = catalog.problems.clone();
    problems.extend(catalog.without_file(&names));
    if config.strict && !problems.is_empty() {
        anyhow::bail!(
            "{}: {} problems, and --strict makes them errors (nothing was indexed):\n  {}",
            catalog_file.display(),
            problems.len(),
            problems.join("\n  ")
        );
    }
    for problem in &problems {
        notice(Notice::Catalog(&catalog_file, problem));
    }
    // An index of another schema cannot be updated: it is rebuilt from the corpus, as --force.
    let rebuild = config.force
        || match PeoIndex::other_schema(&config.index) {
            None => false,
            Some(version) => {
                notice(Notice::OtherSchema(&version));
                true
            }
        };
    // Rebuilt, an index of this schema keeps its documents until the commit replaces them.
    let mut index = if rebuild {
        PeoIndex::open_for_rebuild(&config.index)?
    } else {
        PeoIndex::open_or_create(&config.index)?
    };
    index
        .lock()
        .with_context(|| config.index.display().to_string())?;
    let indexed = index.records()?;
    let mut previous: HashMap<String, Previous> = indexed
        .into_iter()
        .map(|(document, catalog)| (document.file.clone(), Previous { document, catalog }))
        .collect();
    let n_indexed = previous.len();
    let present: HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut gone: Vec<String> = previous
        .keys()
        .filter(|file| !present.contains(file.as_str()))
        .cloned()
        .collect();
    gone.sort();
    let renamed = renames(&files, &names, &previous, &gone);
    for r in &renamed {
        if let Some(mut p) = previous.remove(&r.from) {
            p.document.file = r.to.clone();
            previous.insert(r.to.clone(), p);
        }
    }
    gone.retain(|file| !renamed.iter().any(|r| &r.from == file));
    if !config.allow_removal && is_mass_removal(gone.len(), n_indexed) {
        return Err(MassRemoval {
            corpus: config.corpus.clone(),
            files: gone,
            n_indexed,
        }
        .into());
    }
    let removed: Vec<String> = gone
        .iter()
        .filter_map(|file| previous.remove(file))
        .map(|p| p.document.id)
        .collect();
    // A renamed file keeps its catalog entry, unless one already names it.
    for r in &renamed {
        if catalog.entry(&r.to).is_some() {
            continue;
        }
        match catalog::rename_entry(&config.corpus, &r.from, &r.to) {
            Ok(_) => {}
            Err(e) => notice(Notice::Catalog(&catalog_file, &format!("{e:#}"))),
        }
        if let Some(entry) = catalog.documents.iter_mut().find(|e| e.file == r.from) {
            entry.file = r.to.clone();
        }
    }
    let ids = document_ids(&names, &previous);
    // Each document is written as soon as it is read; the failures keep what the index had of
    // them (nothing indexed is lost), and the one commit at the end makes it all visible.
    let mut update = index.update(&removed, rebuild)?;
    let mut written: anyhow::Result<()> = Ok(());
    let mut summary = IndexSummary {
        n_files: files.len(),
        ..IndexSummary::default()
    };
    summary.files.removed = gone;
    let none = HashMap::new();
    // Pages OCR read are kept beside the index, so that no page image is read twice.
    let processing = Processing {
        ocr_cache: Some(OcrCache::beside(&config.index).dir().to_path_buf()),
        ..config.processing.clone()
    };
    let job = run::Job {
        corpus: &config.corpus,
        files: &files,
        catalog: &catalog,
        jobs: config.jobs,
        previous: if rebuild { &none } else { &previous },
        processing: &processing,
        progress: config.progress,
    };
    let today = today();
    run::run(&job, |outcome, progress| {
        let name = relative_name(&config.corpus, &outcome.path);
        let before = previous.get(&name);
        let renaming = renamed.iter().find(|r| r.to == name);
        let mut document = match outcome.result {
            Ok(Change::Unchanged) => match (renaming, before) {
                (Some(_), Some(before)) => before.document.clone(),
                _ => {
                    summary.n_unchanged += 1;
                    return;
                }
            },
            Ok(Change::Recatalogued(document)) => document,
            Ok(Change::Processed(document)) => {
                progress.suspend(|| {
                    for w in &document.warnings {
                        notice(Notice::Warning(&outcome.path, w));
                    }
                });
                summary.n_warnings += document.warnings.len();
                let mut document = *document;
                document.indexed_on = today.clone();
                document
            }
            Err(e) => {
                progress.suspend(|| notice(Notice::Failed(&outcome.path, &e)));
                summary.files.failed.push(Failed {
                    file: name.clone(),
                    error: e.to_string(),
                });
                // What the index had of the file stays, marked as the last version read.
                let Some(before) = before else { return };
                summary.files.stale.push(name.clone());
                let mut document = before.document.clone();
                document.stale = Some(e.to_string());
                if written.is_ok() {
                    written = update.put(&document, &before.catalog);
                }
                return;
            }
        };
        if written.is_err() {
            return;
        }
        document.id = ids.get(&name).cloned().unwrap_or_else(|| doc_id(&name));
        document.file = name.clone();
        document.path = outcome.path.display().to_string();
        match (renaming, before) {
            (Some(r), _) => summary.files.renamed.push(r.clone()),
            (None, Some(_)) => summary.files.updated.push(name.clone()),
            (None, None) => summary.files.added.push(name.clone()),
        }
        summary.n_pages += document.pages.len();
        let key = plan::catalog_key(catalog.entry(&name));
        written = update.put(&document, &key);
    });
    written?;
    summary.n_passages = update.commit()?;
    identity::record(&config.index, &belonging)?;
    Ok(summary)
}

/// The files of the corpus (`files`, named `names`) that are new to the index and hold the
/// bytes of a document whose file is `gone`: each is that file renamed (when the bytes match
/// one gone file only).
fn renames(
    files: &[PathBuf],
    names: &[String],
    previous: &HashMap<String, Previous>,
    gone: &[String],
) -> Vec<Renamed> {
    let mut by_hash: HashMap<&str, Vec<&String>> = HashMap::new();
    for file in gone {
        if let Some(p) = previous.get(file) {
            by_hash
                .entry(p.document.blake3.as_str())
                .or_default()
                .push(file);
        }
    }
    if by_hash.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (path, name) in files.iter().zip(names) {
        if previous.contains_key(name) {
            continue;
        }
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let hash = blake3::hash(&bytes).to_hex().to_string();
        if let Some(from) = by_hash
            .get_mut(hash.as_str())
            .filter(|f| f.len() == 1)
            .and_then(Vec::pop)
        {
            out.push(Renamed {
                from: from.clone(),
                to: name.clone(),
            });
        }
    }
    out
}

/// The document id of each file: the one its document has in the index, or a new one from its
/// path (`doc_id`), made unique against the ids in use.
fn document_ids(names: &[String], previous: &HashMap<String, Previous>) -> HashMap<String, String> {
    let mut taken: HashSet<String> = previous.values().map(|p| p.document.id.clone()).collect();
    let mut ids = HashMap::new();
    for name in names {
        let id = match previous.get(name) {
            Some(p) => p.document.id.clone(),
            None => {
                let base = doc_id(name);
                let mut id = base.clone();
                let mut n = 2;
                while taken.contains(&id) {
                    id = format!("{base}~{n}");
                    n += 1;
                }
                taken.insert(id.clone());
                id
            }
        };
        ids.insert(name.clone(), id);
    }
    ids
}

/// Today (UTC) as YYYY-MM-DD.
fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mass_removal_is_more_than_a_fifth_of_the_index_or_more_than_ten_documents() {
        // (removed, indexed, needs consent)
        for (removed, indexed, mass) in [
            (0, 9, false),
            (1, 1, false),
            (1, 2, false),
            (2, 10, false),
            (3, 10, true),
            (8, 9, true),
            (10, 1000, false),
            (11, 1000, true),
        ] {
            assert_eq!(
                is_mass_removal(removed, indexed),
                mass,
                "{removed} of {indexed}"
            );
        }
    }
}
