//! `peo index`: extract every PDF of the corpus in parallel and write the index.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use crate::catalog::Catalog;
use crate::cli::Exit;
use crate::index::PeoIndex;
use crate::pipeline::{self, Change, Isolation, Limits, Previous};

/// Index the PDFs of a corpus directory.
///
/// Every new or changed PDF under the corpus (by its blake3 hash) is extracted, normalised and
/// segmented in parallel; documents whose files are gone are removed, and a changed catalog
/// entry (title, wave, type) is applied without extracting again. The index changes in one
/// atomic commit, so searches during a run see the old index. A file that cannot be read is
/// reported with its cause, what the index had of it is kept, and the others are indexed
/// (exit code 1). Only one run writes an index at a time.
///
/// Examples:
///   peo index
///   peo index --corpus corpus --index index --jobs 2
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The corpus directory with the PDFs and catalog.toml.
    #[arg(long, value_name = "DIR", default_value = "corpus")]
    pub(crate) corpus: PathBuf,
    #[command(flatten)]
    pub(crate) index: crate::cli::IndexDir,
    /// Number of files processed at once (default: all cores).
    #[arg(long, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// Rebuild the index from scratch, also one written by another version of peo.
    #[arg(long)]
    pub(crate) force: bool,
    /// Time budget of one file, in seconds: a file that takes longer is abandoned.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub(crate) timeout: u64,
    /// Memory budget of each worker process, which reads one file at a time, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    pub(crate) max_memory: u64,
    /// Process files in this process instead of in worker processes, for debugging: a PDF that
    /// crashes the parser ends the whole run.
    #[arg(long)]
    pub(crate) in_process: bool,
    /// OCR for pages that are images: auto (pages without words, when tesseract is installed),
    /// always (every page with an image), never.
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) ocr: crate::cli::OcrArg,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let catalog = Catalog::load(&args.corpus)?;
    let files = pipeline::corpus_files(&args.corpus)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the corpus: {e}", args.corpus.display()))?;
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    // An index of another schema cannot be updated: it is rebuilt from the corpus, as --force.
    let rebuild = args.force
        || match PeoIndex::other_schema(&args.index.index) {
            None => false,
            Some(version) => {
                crate::cli::report(
                    &format!(
                        "{}: the index was built by another version of peo (schema {version:?}, this peo uses {}); rebuilding it from the corpus",
                        args.index.index.display(),
                        crate::index::SCHEMA_VERSION
                    ),
                    None,
                    false,
                );
                true
            }
        };
    let mut index = if rebuild {
        PeoIndex::open_for_rebuild(&args.index.index)?
    } else {
        PeoIndex::open_or_create(&args.index.index)?
    };
    index
        .lock()
        .with_context(|| args.index.index.display().to_string())?;
    let previous: HashMap<String, Previous> = if rebuild {
        HashMap::new()
    } else {
        index
            .records()?
            .into_iter()
            .map(|(document, catalog)| (document.id.clone(), Previous { document, catalog }))
            .collect()
    };
    let isolation = if args.in_process {
        Isolation::InProcess
    } else {
        let exe = std::env::current_exe()
            .map_err(|e| anyhow::anyhow!("cannot find the peo binary: {e}"))?;
        Isolation::Worker(Limits {
            exe,
            seconds: args.timeout,
            memory_bytes: args.max_memory.saturating_mul(1 << 20),
        })
    };
    let seen: HashSet<String> = files.iter().map(|path| pipeline::doc_id(path)).collect();
    let removed: Vec<String> = previous
        .keys()
        .filter(|id| !seen.contains(*id))
        .cloned()
        .collect();
    // Each document is written as soon as it is read; the failures keep what the index had of
    // them (nothing indexed is lost), and the one commit at the end makes it all visible.
    let mut update = index.update(&removed, rebuild)?;
    let mut written: anyhow::Result<()> = Ok(());
    let (mut n_added, mut n_updated, mut n_unchanged, mut n_failed, mut n_warnings) =
        (0, 0, 0, 0, 0);
    let mut n_pages = 0;
    pipeline::process_corpus(
        &args.corpus,
        &files,
        &catalog,
        jobs,
        &previous,
        &isolation,
        args.ocr.into(),
        |outcome, say| {
            let document = match outcome.result {
                Ok(Change::Unchanged) => {
                    n_unchanged += 1;
                    return;
                }
                Ok(Change::Recatalogued(document)) => document,
                Ok(Change::Processed(p)) => {
                    for w in &p.document.warnings {
                        say.line(&format!("peo: {}: {w}", outcome.path.display()));
                    }
                    n_warnings += p.document.warnings.len();
                    p.document
                }
                Err(_) => {
                    n_failed += 1;
                    return;
                }
            };
            if written.is_err() {
                return;
            }
            if previous.contains_key(&document.id) {
                n_updated += 1;
            } else {
                n_added += 1;
            }
            n_pages += document.pages.len();
            let key = pipeline::catalog_key(
                catalog.entry(&pipeline::relative_name(&args.corpus, &outcome.path)),
            );
            written = update.put(&document, &key);
        },
    );
    written?;
    let n_passages = update.commit()?;
    eprintln!(
        "indexed {} documents ({} added, {} updated, {} removed, {} unchanged, {} failed): {} pages, {} passages written into {}; {} warnings, {:.1}s",
        files.len() - n_failed,
        n_added,
        n_updated,
        removed.len(),
        n_unchanged,
        n_failed,
        n_pages,
        n_passages,
        args.index.index.display(),
        n_warnings,
        started.elapsed().as_secs_f64()
    );
    Ok(if n_failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Success
    })
}
