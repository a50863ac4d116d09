//! Runs `process` over the files of a corpus in parallel, in this process or in worker
//! processes, and hands each file's outcome over in the order of the files. The only place
//! that uses rayon and indicatif.
//!
//! Invariant: a file that fails costs only that file: its `FileError` names the cause, and
//! every other file is processed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::corpus::plan::{self, Plan, Previous};
use crate::extract::ExtractError;
use crate::model::Document;
use crate::ocr::cache::OcrCache;
use crate::ocr::OcrMode;
use crate::process::{self, Env, Processed};
use crate::worker::{self, Limits, Lost, Pool, Response};

/// Why one file of a corpus was not processed.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    /// A fault of the PDF.
    #[error(transparent)]
    Extract(#[from] ExtractError),
    #[error("abandoned after {0} s (the time budget of one file)")]
    Timeout(u64),
    #[error("exceeded the memory limit of {0} MiB (the memory budget of one file, --max-memory)")]
    Memory(u64),
    /// Its worker process died, could not be started, or answered nonsense.
    #[error("the extraction process ended abnormally: {0}")]
    Died(String),
}

impl From<Lost> for FileError {
    fn from(lost: Lost) -> FileError {
        match lost {
            Lost::Timeout(seconds) => FileError::Timeout(seconds),
            Lost::Memory(mib) => FileError::Memory(mib),
            Lost::Died(why) => FileError::Died(why),
        }
    }
}

/// What a corpus run did with one file.
#[derive(Debug)]
pub enum Change {
    /// Neither the file nor its catalog entry changed since it was indexed.
    Unchanged,
    /// Only the catalog entry changed: applied to the indexed document.
    Recatalogued(Document),
    /// The file is new or changed: processed.
    Processed(Box<Processed>),
}

/// The outcome for one file of a corpus run.
#[derive(Debug)]
pub struct Outcome {
    pub path: PathBuf,
    pub result: Result<Change, FileError>,
}

/// Where the stages run for each file.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// In this process, for debugging: a panic is caught, but a stack overflow or a hang is not.
    InProcess,
    /// In a pool of long-lived child processes (`peo worker`, see `worker`), so that an abort,
    /// a hang or a memory blow-up costs only that file.
    Worker(Limits),
}

/// One run over the files of a corpus.
pub struct Job<'a> {
    pub corpus: &'a Path,
    /// The files to look at, under `corpus`.
    pub files: &'a [PathBuf],
    pub catalog: &'a Catalog,
    /// Files processed at once.
    pub jobs: usize,
    /// The indexed documents by their file's path relative to the corpus.
    pub previous: &'a HashMap<String, Previous>,
    pub isolation: &'a Isolation,
    pub ocr: OcrMode,
    /// What OCR read before (beside the index).
    pub ocr_cache: &'a OcrCache,
    /// Draw a progress bar on standard error.
    pub progress: bool,
}

/// The progress bar of a run; what is said while it is drawn goes through `suspend`.
pub struct Progress(ProgressBar);

impl Progress {
    /// Runs `f` with the bar hidden, so that what `f` prints does not garble it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.0.suspend(f)
    }
}

/// Processes the new and changed files of a job on `jobs` threads. Each file's outcome goes
/// to `take` on the calling thread as soon as it and those of the files before it are done, in
/// the order of the files, so that the caller can write a document while the next are read.
pub fn run(job: &Job, mut take: impl FnMut(Outcome, &Progress)) {
    let jobs = job.jobs.max(1);
    // Dropped when the run ends, which ends its workers. Each worker holds the file it reads and
    // the next, for a thread of its own each.
    let (workers, n_threads) = match job.isolation {
        Isolation::InProcess => (None, jobs),
        Isolation::Worker(limits) => (
            Some(Pool::new(limits.clone(), jobs)),
            jobs * worker::FILES_PER_WORKER,
        ),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n_threads)
        .build();
    let progress = Progress(progress_bar(job.files.len() as u64, job.progress));
    // A few finished files may wait for the caller; more hold the threads back.
    let (done, finished) = mpsc::sync_channel::<(usize, Outcome)>(2 * n_threads);
    let work = |done: mpsc::SyncSender<(usize, Outcome)>| {
        // The threads take the files in order (par_bridge), so that outcomes arrive nearly in
        // order and few wait for an earlier one.
        job.files
            .iter()
            .enumerate()
            .par_bridge()
            .for_each_with(done, |done, (i, path)| {
                let outcome = Outcome {
                    path: path.clone(),
                    result: process_changed(job, path, workers.as_ref()),
                };
                // The receiver goes only when the caller's thread panicked.
                let _ = done.send((i, outcome));
            });
    };
    std::thread::scope(|scope| {
        scope.spawn(|| match pool {
            Ok(pool) => pool.install(|| work(done)),
            Err(_) => work(done),
        });
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (i, outcome) in finished {
            progress.0.inc(1);
            waiting.insert(i, outcome);
            while let Some(outcome) = waiting.remove(&next) {
                take(outcome, &progress);
                next += 1;
            }
        }
    });
    progress.0.finish_and_clear();
}

/// Plans one file and processes it when the plan says so.
fn process_changed(job: &Job, path: &Path, workers: Option<&Pool>) -> Result<Change, FileError> {
    let bytes = std::fs::read(path)?;
    let name = plan::relative_name(job.corpus, path);
    let entry = job.catalog.entry(&name);
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let previous = job.previous.get(&name);
    // Asked only of a document that waits for OCR: it runs tesseract once.
    let can_ocr = job.ocr != OcrMode::Never
        && previous.is_some_and(|p| !p.document.ocr_pending.is_empty())
        && crate::ocr::available();
    match plan::plan(&hash, entry, previous, can_ocr) {
        Plan::Unchanged => return Ok(Change::Unchanged),
        Plan::Recatalogued(document) => return Ok(Change::Recatalogued(document)),
        Plan::Process => {}
    }
    let known = plan::known_from(entry);
    let processed = match workers {
        None => {
            let env = Env {
                ocr_cache: Some(job.ocr_cache),
                ..Env::standard(job.ocr)
            };
            process::process(&bytes, path, &known, &env)?
        }
        Some(pool) => match pool.process(path, &known, job.ocr, Some(job.ocr_cache.dir()))? {
            Response::Processed(processed) => *processed,
            Response::Unreadable(e) => return Err(FileError::Extract(e)),
            Response::Io(message) => return Err(FileError::Io(std::io::Error::other(message))),
        },
    };
    Ok(Change::Processed(Box::new(processed)))
}

fn progress_bar(n: u64, shown: bool) -> ProgressBar {
    if !shown {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} files {elapsed}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_run_hands_over_its_outcomes_in_the_order_of_its_files() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let catalog = Catalog::load(&corpus).unwrap();
        // The 40-page report first: the other thread reads the short files meanwhile, so they
        // are done before it; a name that is no file fails at once.
        let files: Vec<PathBuf> = [
            "peo-2024-2025-rapport.pdf",
            "peo-2022-webpagina.pdf",
            "ontbreekt.pdf",
            "peo-2022-factsheet.pdf",
            "peo-2022-2023-samenvatting.pdf",
        ]
        .iter()
        .map(|name| corpus.join(name))
        .collect();
        let mut taken = Vec::new();
        let job = Job {
            corpus: &corpus,
            files: &files,
            catalog: &catalog,
            jobs: 2,
            previous: &HashMap::new(),
            isolation: &Isolation::InProcess,
            ocr: OcrMode::Never,
            ocr_cache: &OcrCache::at(std::env::temp_dir().join("peo-run-test-ocr-cache")),
            progress: false,
        };
        run(&job, |outcome, _| {
            taken.push((outcome.path, outcome.result.is_ok()))
        });
        let expected: Vec<(PathBuf, bool)> = files
            .iter()
            .map(|path| (path.clone(), path.exists()))
            .collect();
        assert_eq!(taken, expected);
    }
}
