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
use crate::process::{self, Env, Limits, Processed};
use crate::segment::Known;
use crate::worker::{self, Lost, Pool, Reply, Response};

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
    /// In this process (`Isolation::InProcess`): the stages panicked.
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
    /// The file is new or changed: processed into this document.
    Processed(Box<Document>),
}

/// The outcome for one file of a corpus run.
#[derive(Debug)]
pub struct Outcome {
    pub path: PathBuf,
    pub result: Result<Change, FileError>,
}

/// How each file is processed: where, within which limits, with which OCR. Resolved once
/// from the flags `peo index`, `peo add` and `peo extract` share.
#[derive(Debug, Clone)]
pub struct Processing {
    pub isolation: Isolation,
    pub limits: Limits,
    /// Which pages get OCR.
    pub ocr: OcrMode,
    /// The directory of the OCR cache (beside an index), so that a page image is read once.
    pub ocr_cache: Option<PathBuf>,
}

impl Processing {
    /// In this process, within the default limits, without an OCR cache.
    pub fn in_process(ocr: OcrMode) -> Processing {
        Processing {
            isolation: Isolation::InProcess,
            limits: Limits::DEFAULT,
            ocr,
            ocr_cache: None,
        }
    }
}

/// Where the stages run for each file, and so which of the `Limits` hold.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// In this process, for debugging, each file on a thread of its own. A panic costs only
    /// its file. The time budget holds: a file past it is abandoned (`FileError::Timeout`),
    /// but its thread cannot be stopped and runs on until it ends or peo does. The memory limit
    /// does not hold: a limit of the address space is one of the whole process, so a file over
    /// it would end the run. A stack overflow or an abort of the parser ends the run.
    InProcess,
    /// In a pool of long-lived child processes (`peo worker` of the binary `exe`, see
    /// `worker`), so that an abort, a hang or a memory blow-up costs only that file: both
    /// limits hold.
    Worker { exe: PathBuf },
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
    pub processing: &'a Processing,
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
    let (workers, n_threads) = match &job.processing.isolation {
        Isolation::InProcess => (None, jobs),
        Isolation::Worker { exe } => (
            Some(Pool::new(exe.clone(), job.processing.limits, jobs)),
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
    let can_ocr = job.processing.ocr != OcrMode::Never
        && previous.is_some_and(|p| !p.document.ocr_pending.is_empty())
        && crate::ocr::available();
    match plan::plan(&hash, entry, previous, can_ocr) {
        Plan::Unchanged => return Ok(Change::Unchanged),
        Plan::Recatalogued(document) => return Ok(Change::Recatalogued(document)),
        Plan::Process => {}
    }
    let known = plan::known_from(entry);
    let document: Document = isolated(bytes, path, &known, job.processing, workers)?;
    Ok(Change::Processed(Box::new(document)))
}

/// Processes one file as `processing` says, in a worker of its own or in this process: what
/// `peo extract` runs.
pub fn process_file(
    path: &Path,
    known: &Known,
    processing: &Processing,
) -> Result<Processed, FileError> {
    let bytes = std::fs::read(path)?;
    let pool = match &processing.isolation {
        Isolation::InProcess => None,
        Isolation::Worker { exe } => Some(Pool::new(exe.clone(), processing.limits, 1)),
    };
    isolated(bytes, path, known, processing, pool.as_ref())
}

/// What a caller takes of a processed file, and so what a worker sends back of it: the index
/// needs the document alone (`Document`), `peo extract` everything (`Processed`).
trait Part: Sized + Send + 'static {
    const REPLY: Reply;
    /// This part of a file processed in this process.
    fn of(processed: Processed) -> Self;
    /// This part of a worker's answer for the file; `None` for an answer of another part.
    fn answered(response: Response) -> Result<Option<Self>, FileError>;
}

impl Part for Processed {
    const REPLY: Reply = Reply::Everything;

    fn of(processed: Processed) -> Processed {
        processed
    }

    fn answered(response: Response) -> Result<Option<Processed>, FileError> {
        match response {
            Response::Processed(processed) => Ok(Some(*processed)),
            other => failed(other).map(|()| None),
        }
    }
}

impl Part for Document {
    const REPLY: Reply = Reply::Document;

    fn of(processed: Processed) -> Document {
        processed.document
    }

    fn answered(response: Response) -> Result<Option<Document>, FileError> {
        match response {
            Response::Document(document) => Ok(Some(*document)),
            Response::Processed(processed) => Ok(Some(processed.document)),
            other => failed(other).map(|()| None),
        }
    }
}

/// The error a worker answered with; `Ok` for an answer that is a processed file.
fn failed(response: Response) -> Result<(), FileError> {
    match response {
        Response::Unreadable(e) => Err(FileError::Extract(e)),
        Response::Io(message) => Err(FileError::Io(std::io::Error::other(message))),
        Response::Processed(_) | Response::Document(_) => Ok(()),
    }
}

/// Runs `process` on a file whose `bytes` were read, in one of `workers` or, without them,
/// in this process within the time budget, and takes the part `P` of it.
fn isolated<P: Part>(
    bytes: Vec<u8>,
    path: &Path,
    known: &Known,
    processing: &Processing,
    workers: Option<&Pool>,
) -> Result<P, FileError> {
    let ocr = processing.ocr;
    let cache_dir = processing.ocr_cache.clone();
    match workers {
        None => {
            let (path, known) = (path.to_path_buf(), known.clone());
            let processed = within(processing.limits.timeout, move || {
                let cache = cache_dir.map(OcrCache::at);
                let env = Env {
                    ocr_cache: cache.as_ref(),
                    ..Env::standard(ocr)
                };
                process::process(&bytes, &path, &known, &env).map(P::of)
            })?;
            Ok(processed?)
        }
        Some(pool) => {
            let cache = processing.ocr_cache.as_deref();
            let response = pool.process(path, known, ocr, cache, P::REPLY)?;
            P::answered(response)?.ok_or_else(|| {
                FileError::Died("the worker answered with less than was asked".into())
            })
        }
    }
}

/// The stack of the thread that processes a file in this process: as large as a worker's
/// (the main thread's), so that a file reads the same in both.
const STACK_BYTES: usize = 8 << 20;

/// Runs `f` on a thread of its own and waits at most `seconds` for it. Past that the thread is
/// abandoned: Rust cannot stop a thread, so it runs on until `f` returns or the process ends.
fn within<T: Send + 'static>(
    seconds: u64,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, FileError> {
    let (sender, answer) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("peo-file".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            // The receiver is gone once the file was abandoned.
            let _ = sender.send(f());
        })
        .map_err(|e| FileError::Died(format!("cannot start a thread: {e}")))?;
    match answer.recv_timeout(Duration::from_secs(seconds)) {
        Ok(value) => Ok(value),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(FileError::Timeout(seconds)),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let why = match thread.join() {
                Err(payload) => payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default(),
                Ok(()) => String::new(),
            };
            Err(FileError::Died(format!("panic: {why}")))
        }
    }
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
            processing: &Processing::in_process(OcrMode::Never),
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

    #[test]
    fn a_file_in_this_process_is_abandoned_past_its_time_budget_and_a_panic_costs_only_it() {
        let slow = within(1, || {
            std::thread::sleep(Duration::from_secs(3));
            "gelezen"
        });
        assert!(matches!(slow, Err(FileError::Timeout(1))), "{slow:?}");
        assert_eq!(within(5, || "gelezen").unwrap(), "gelezen");
        let panicked = within(5, || -> u32 { panic!("kapot op pagina 3") });
        assert_eq!(
            panicked.unwrap_err().to_string(),
            "the extraction process ended abnormally: panic: kapot op pagina 3"
        );
    }
}
