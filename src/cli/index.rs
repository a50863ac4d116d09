//! `peo index`: the flags of `corpus::index`, and its notices and summary printed.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use crate::cli::{count, report, Exit};
use crate::corpus::{self, IndexConfig, IndexSummary, MassRemoval, Notice};

/// Index the PDFs of a corpus directory.
///
/// Every new or changed PDF under the corpus (by its blake3 hash) is extracted, normalised and
/// segmented in parallel; documents whose files are gone are removed, and a changed catalog
/// entry (title, wave, type) is applied without extracting again. The index changes in one
/// atomic commit, so searches during a run see the old index. A file that cannot be read is
/// reported with its cause, the last version the index had of it is kept, marked stale, and
/// the others are indexed (exit code 1). Only one run writes an index at a time.
///
/// The index belongs to the corpus it was first built from: another corpus is refused unless
/// --corpus-moved says it is the same one, moved. A run that would remove more than a fifth of
/// the documents (or more than 10) stops and lists them: on a terminal it asks, elsewhere it
/// needs --allow-removal (exit code 1 when it stops). A renamed or moved file keeps its
/// document id. The catalog is checked; --strict makes its problems errors.
///
/// Examples:
///   peo index
///   peo index --corpus corpus --index index --jobs 2
///   peo index --quiet --format json
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
    #[command(flatten)]
    safety: Safety,
    #[command(flatten)]
    output: Output,
}

/// What a run may do to an index: the flags `peo index` and `peo add` share.
#[derive(Debug, Clone, clap::Args)]
pub struct Safety {
    /// Remove the documents whose files are gone even when they are many (more than a fifth of
    /// the index, or more than 10), without asking.
    #[arg(long)]
    pub(crate) allow_removal: bool,
    /// The corpus the index belongs to has moved to --corpus: update the index from there.
    #[arg(long)]
    pub(crate) corpus_moved: bool,
    /// Treat problems of catalog.toml (a wave or type it cannot read, unknown keys, entries
    /// without a file, entries flagged for review) as errors: nothing is indexed.
    #[arg(long)]
    pub(crate) strict: bool,
}

/// How a run reports: the flags `peo index` and `peo add` share.
#[derive(Debug, Clone, clap::Args)]
pub struct Output {
    /// Print only errors: no warnings, no list of files, no summary.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// The summary's format: text on standard error, or JSON on standard output (the files
    /// added, updated, removed, renamed and failed, and the counts).
    #[arg(long, value_enum, default_value = "text")]
    format: crate::cli::search::SearchFormat,
}

impl Output {
    pub(crate) fn json(&self) -> bool {
        self.format == crate::cli::search::SearchFormat::Json
    }
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        self.output.json()
    }
}

/// How the files of a corpus are processed: the flags `peo index` and `peo add` share (those of
/// one file are `peo extract`'s too).
#[derive(Debug, Clone, clap::Args)]
pub struct Processing {
    /// Number of files processed at once (default: all cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    file: crate::cli::ProcessArgs,
}

impl Processing {
    /// The indexing config these flags ask for, of `corpus` into `index`.
    pub(crate) fn config(
        &self,
        corpus: PathBuf,
        index: PathBuf,
        force: bool,
        safety: &Safety,
    ) -> anyhow::Result<IndexConfig> {
        let jobs = self.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        });
        Ok(IndexConfig {
            corpus,
            index,
            jobs,
            force,
            processing: self.file.resolve()?,
            progress: std::io::stderr().is_terminal(),
            allow_removal: safety.allow_removal,
            corpus_moved: safety.corpus_moved,
            strict: safety.strict,
        })
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let config = args
        .processing
        .config(args.corpus, args.index.index, args.force, &args.safety)?;
    index(config, &args.output)
}

/// Indexes as `config` says, printing what happens on standard error (and, asked for JSON,
/// the summary on standard output). A mass removal is asked about on a terminal; elsewhere it
/// ends the run with exit code 1.
pub(crate) fn index(mut config: IndexConfig, output: &Output) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let json = output.json();
    config.progress &= !output.quiet && !json;
    let mut asked = false;
    let summary = loop {
        match index_once(&config, output, asked) {
            Ok(summary) => break summary,
            Err(err) => {
                let Some(mass) = err.downcast_ref::<MassRemoval>() else {
                    return Err(err);
                };
                if asked
                    || json
                    || !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal())
                {
                    report(&mass.to_string(), Some(Exit::SomeFailed), json);
                    return Ok(Exit::SomeFailed);
                }
                if !consent(mass)? {
                    eprintln!("peo: nothing was changed");
                    return Ok(Exit::SomeFailed);
                }
                config.allow_removal = true;
                asked = true;
            }
        }
    };
    let IndexSummary {
        n_files,
        n_unchanged,
        n_pages,
        n_passages,
        n_warnings,
        files,
    } = &summary;
    let n_failed = files.failed.len();
    if json {
        let value = serde_json::json!({
            "documents": n_files - n_failed, "added": files.added, "updated": files.updated,
            "removed": files.removed, "renamed": files.renamed, "failed": files.failed,
            "stale": files.stale,
            "unchanged": n_unchanged, "pages": n_pages, "passages": n_passages,
            "warnings": n_warnings, "index": config.index,
        });
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else if !output.quiet {
        for file in &files.added {
            eprintln!("added {file}");
        }
        for file in &files.updated {
            eprintln!("updated {file}");
        }
        for r in &files.renamed {
            eprintln!("renamed {} to {}", r.from, r.to);
        }
        for file in &files.removed {
            eprintln!("removed {file}");
        }
        for file in &files.stale {
            eprintln!("stale {file}: it can no longer be read, its last good version stays");
        }
        let renamed = match files.renamed.len() {
            0 => String::new(),
            n => format!("{n} renamed, "),
        };
        eprintln!(
            "indexed {} ({} added, {} updated, {} removed, {renamed}{n_unchanged} unchanged, {n_failed} failed): {}, {} written into {}; {}, {:.1}s",
            count(n_files - n_failed, "document", "documents"),
            files.added.len(),
            files.updated.len(),
            files.removed.len(),
            count(*n_pages, "page", "pages"),
            count(*n_passages, "passage", "passages"),
            config.index.display(),
            count(*n_warnings, "warning", "warnings"),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if n_failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Success
    })
}

/// One indexing run, its notices printed; after the question of a mass removal (`again`), the
/// problems of the catalog are not printed a second time.
fn index_once(config: &IndexConfig, output: &Output, again: bool) -> anyhow::Result<IndexSummary> {
    let json = output.json();
    corpus::index(config, &mut |notice| {
        match notice {
        Notice::OtherSchema(version) if !output.quiet => report(
            &format!(
                "{}: the index was built by another version of peo (schema {version:?}, this peo uses {}); rebuilding it from the corpus",
                config.index.display(),
                crate::index::SCHEMA_VERSION
            ),
            None,
            json,
        ),
        Notice::Catalog(path, problem) if !output.quiet && !again => {
            report(&format!("{}: {problem}", path.display()), None, json)
        }
        Notice::Failed(path, e) => report(&format!("{}: {e}", path.display()), None, json),
        Notice::Warning(path, w) if !output.quiet => {
            report(&format!("{}: {w}", path.display()), None, json)
        }
        _ => {}
    }
    })
}

/// Lists the documents a run would remove and asks on the terminal whether to remove them.
fn consent(mass: &MassRemoval) -> anyhow::Result<bool> {
    eprintln!(
        "peo: {} of the {} indexed documents would be removed, because their files are not in {}:",
        mass.files.len(),
        mass.n_indexed,
        mass.corpus.display()
    );
    for file in &mass.files {
        eprintln!("  {file}");
    }
    eprint!("remove them from the index? [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "ja" | "j"))
}
