//! `peo index`: the flags of `corpus::index`, and its notices and summary printed.

use std::path::PathBuf;
use std::time::Instant;

use crate::cli::{count, report, Exit};
use crate::corpus::{self, IndexConfig, IndexSummary, Isolation, Notice};
use crate::worker::Limits;

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
    corpus: PathBuf,
    #[command(flatten)]
    index: crate::cli::IndexDir,
    /// Rebuild the index from scratch, also one written by another version of peo.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    processing: Processing,
}

/// How the files of a corpus are processed: the flags `peo index` and `peo add` share.
#[derive(Debug, Clone, clap::Args)]
pub struct Processing {
    /// Number of files processed at once (default: all cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Time budget of one file, in seconds: a file that takes longer is abandoned.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    timeout: u64,
    /// Memory budget of each worker process, which reads one file at a time, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    max_memory: u64,
    /// Process files in this process instead of in worker processes, for debugging: a PDF that
    /// crashes the parser ends the whole run.
    #[arg(long)]
    in_process: bool,
    /// OCR for pages that are images: auto (pages without words, when tesseract is installed),
    /// always (every page with an image), never.
    #[arg(long, value_enum, default_value = "auto")]
    ocr: crate::cli::OcrArg,
}

impl Processing {
    /// The indexing config these flags ask for, of `corpus` into `index`.
    pub(crate) fn config(
        &self,
        corpus: PathBuf,
        index: PathBuf,
        force: bool,
    ) -> anyhow::Result<IndexConfig> {
        let jobs = self.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        });
        let isolation = if self.in_process {
            Isolation::InProcess
        } else {
            let exe = std::env::current_exe()
                .map_err(|e| anyhow::anyhow!("cannot find the peo binary: {e}"))?;
            Isolation::Worker(Limits {
                exe,
                seconds: self.timeout,
                memory_bytes: self.max_memory.saturating_mul(1 << 20),
            })
        };
        Ok(IndexConfig {
            corpus,
            index,
            jobs,
            force,
            isolation,
            ocr: self.ocr.into(),
            progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        })
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let config = args
        .processing
        .config(args.corpus, args.index.index, args.force)?;
    index(&config)
}

/// Indexes as `config` says, printing what happens on standard error.
pub(crate) fn index(config: &IndexConfig) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let summary = corpus::index(config, &mut |notice| {
        match notice {
        Notice::OtherSchema(version) => report(
            &format!(
                "{}: the index was built by another version of peo (schema {version:?}, this peo uses {}); rebuilding it from the corpus",
                config.index.display(),
                crate::index::SCHEMA_VERSION
            ),
            None,
            false,
        ),
        Notice::Failed(path, e) => report(&format!("{}: {e}", path.display()), None, false),
        Notice::Warning(path, w) => report(&format!("{}: {w}", path.display()), None, false),
    }
    })?;
    let IndexSummary {
        n_files,
        n_added,
        n_updated,
        n_removed,
        n_unchanged,
        n_failed,
        n_pages,
        n_passages,
        n_warnings,
    } = summary;
    eprintln!(
        "indexed {} ({n_added} added, {n_updated} updated, {n_removed} removed, {n_unchanged} unchanged, {n_failed} failed): {}, {} written into {}; {}, {:.1}s",
        count(n_files - n_failed, "document", "documents"),
        count(n_pages, "page", "pages"),
        count(n_passages, "passage", "passages"),
        config.index.display(),
        count(n_warnings, "warning", "warnings"),
        started.elapsed().as_secs_f64()
    );
    Ok(if n_failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Success
    })
}
