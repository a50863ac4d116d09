//! `peo index`: extract every PDF of the corpus in parallel and write the index.

use std::path::PathBuf;
use std::time::Instant;

use crate::catalog::Catalog;
use crate::cli::Exit;
use crate::index::PeoIndex;
use crate::pipeline;

/// Index the PDFs of a corpus directory.
///
/// Every PDF under the corpus (catalog.toml gives title, wave and type) is extracted,
/// normalised and segmented in parallel; the index is replaced in one atomic commit. A file
/// that cannot be read is reported with its cause and the others are indexed (exit code 1).
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
    /// Number of files processed at once (default: all cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Rebuild the index from scratch, also one written by another version of peo.
    #[arg(long)]
    force: bool,
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
    let mut index = if args.force {
        PeoIndex::open_for_rebuild(&args.index.index)?
    } else {
        PeoIndex::open_or_create(&args.index.index)?
    };
    let outcomes = pipeline::process_corpus(&args.corpus, &files, &catalog, jobs);

    let mut documents = Vec::new();
    let mut n_failed = 0;
    let mut n_warnings = 0;
    for outcome in outcomes {
        match outcome.result {
            Ok(p) => {
                for w in &p.document.warnings {
                    eprintln!("peo: {}: {w}", outcome.path.display());
                }
                n_warnings += p.document.warnings.len();
                documents.push(p.document);
            }
            Err(_) => n_failed += 1,
        }
    }
    let indexed: Vec<String> = documents.iter().map(|d| d.id.clone()).collect();
    let stale: Vec<String> = index
        .documents()?
        .into_iter()
        .map(|d| d.id)
        .filter(|id| !indexed.contains(id))
        .collect();
    let n_passages = if args.force {
        index.replace_all(&documents)?
    } else {
        index.update(&documents, &stale)?
    };
    let n_pages: usize = documents.iter().map(|d| d.pages.len()).sum();
    eprintln!(
        "indexed {} documents, {} pages, {} passages into {}; {} warnings, {} failed, {:.1}s",
        documents.len(),
        n_pages,
        n_passages,
        args.index.index.display(),
        n_warnings,
        n_failed,
        started.elapsed().as_secs_f64()
    );
    Ok(if n_failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Success
    })
}
