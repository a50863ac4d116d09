//! Worker processes: `peo index` hands each file to one of at most `--jobs` long-lived child
//! processes (`peo worker`) that run the stages on it and answer with its `Document`. A worker
//! reads one JSON `Request` a line on its standard input and writes one JSON `Response` a line
//! on its standard output, in the same order, until its input ends. Starting a process and
//! reading the Dutch lexicon is paid once per worker, not once per file.
//!
//! Invariant: a file that makes its worker abort, crash, hang past the time budget or exceed
//! its memory limit costs only that file: the worker is killed, the file's error names the
//! cause, and a fresh worker takes the next file. Every answer a worker gave before stays good.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::extract::ExtractError;
use crate::model::Document;
use crate::ocr::OcrMode;
use crate::pipeline;
use crate::segment::Known;

/// What one worker may use.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The peo binary that runs `peo worker`.
    pub exe: PathBuf,
    /// Wall-clock budget of one file.
    pub seconds: u64,
    /// Address-space limit of one worker.
    pub memory_bytes: u64,
}

/// One file for a worker, with what the catalog says about it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub path: PathBuf,
    pub title: Option<String>,
    pub wave: Option<String>,
    pub doc_type: Option<String>,
    pub ocr: OcrMode,
}

/// A worker's answer to one request: the document, or why the file cannot be read, worded as
/// `ExtractError` words it.
pub type Response = Result<Document, String>;

/// The worker's side: answers every request on `input` on `output`, until `input` ends.
pub fn serve(input: impl BufRead, mut output: impl Write) -> anyhow::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let response: Response = match serde_json::from_str::<Request>(&line) {
            Ok(request) => {
                let known = Known {
                    title: request.title,
                    wave: request.wave,
                    doc_type: request.doc_type,
                    pdf_title: None,
                };
                pipeline::process_file(&request.path, &known, request.ocr)
                    .map(|p| p.document)
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(format!("unreadable request: {e}")),
        };
        serde_json::to_writer(&mut output, &response)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

/// The lines of standard error a worker keeps for the report of its end.
const STDERR_LINES: usize = 8;

/// A running `peo worker` and the pipes to it.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    /// Its output, a line at a time, read by a thread so that waiting can time out.
    responses: mpsc::Receiver<String>,
    /// The last lines it wrote on standard error.
    stderr: Arc<Mutex<VecDeque<String>>>,
    stderr_reader: std::thread::JoinHandle<()>,
}

/// How a request ended for the worker that got it.
enum Answer {
    /// The worker answered and can take the next file.
    Given(Response),
    /// The worker ran out of time, wrote something that is no answer, or died; it is gone.
    Lost(ExtractError),
}

impl Worker {
    fn start(limits: &Limits) -> Result<Worker, ExtractError> {
        let mut cmd = Command::new(&limits.exe);
        cmd.arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        limit_memory(&mut cmd, limits.memory_bytes);
        let mut child = cmd.spawn().map_err(|e| {
            ExtractError::Worker(format!("cannot start {}: {e}", limits.exe.display()))
        })?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ExtractError::Worker("no pipes to the worker".into()));
        };
        let (sender, responses) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let stderr_reader = std::thread::spawn({
            let tail = Arc::clone(&tail);
            move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
                    if tail.len() == STDERR_LINES {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            responses,
            stderr: tail,
            stderr_reader,
        })
    }

    /// Sends one request and waits at most `limits.seconds` for its answer.
    fn ask(mut self, request: &Request, limits: &Limits) -> (Answer, Option<Worker>) {
        let mut line = match serde_json::to_string(request) {
            Ok(line) => line,
            Err(e) => {
                let answer = Answer::Given(Err(format!("cannot send the request: {e}")));
                return (answer, Some(self));
            }
        };
        line.push('\n');
        // A worker that died since its last answer cannot take the line; what it says on
        // its way out is read below, as for one that dies on this file.
        let sent = self
            .stdin
            .write_all(line.as_bytes())
            .and_then(|_| self.stdin.flush());
        let received = match sent {
            Ok(()) => self
                .responses
                .recv_timeout(Duration::from_secs(limits.seconds)),
            Err(_) => Err(mpsc::RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(line) => match serde_json::from_str::<Response>(&line) {
                Ok(response) => (Answer::Given(response), Some(self)),
                Err(e) => {
                    self.end();
                    let error = ExtractError::Worker(format!("unreadable output: {e}"));
                    (Answer::Lost(error), None)
                }
            },
            Err(mpsc::RecvTimeoutError::Timeout) => {
                self.end();
                (Answer::Lost(ExtractError::Timeout(limits.seconds)), None)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => (Answer::Lost(self.death(limits)), None),
        }
    }

    /// Kills the worker and waits for it.
    fn end(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Why a worker whose output ended died, from its exit status and the last line it wrote on
    /// standard error.
    fn death(mut self, limits: &Limits) -> ExtractError {
        let status = match self.child.wait() {
            Ok(status) => status,
            Err(e) => return ExtractError::Worker(format!("cannot wait for the worker: {e}")),
        };
        // Its standard error ends with it (OCR's tesseract writes into pipes of its own).
        let _ = self.stderr_reader.join();
        let tail = self.stderr.lock().unwrap_or_else(PoisonError::into_inner);
        if tail.iter().any(|l| l.starts_with("memory allocation of")) {
            return ExtractError::Memory(limits.memory_bytes >> 20);
        }
        // A panic past extract's guards (a bug in a later stage) ends the worker with its
        // message on the line after "panicked at"; anything else, with its last line.
        let panicked = tail.iter().position(|l| l.contains("panicked at"));
        let message = match panicked {
            Some(at) => format!("panic: {}", tail.get(at + 1).map_or("", String::as_str)),
            None => tail
                .back()
                .map(|l| l.trim_start_matches("peo: ").to_string())
                .unwrap_or_default(),
        };
        match status.code() {
            Some(code) => ExtractError::Worker(format!("exit code {code}: {message}")),
            None => ExtractError::Worker(describe_signal(&status)),
        }
    }
}

/// At most one worker per thread that asks, started when first needed and kept for the next
/// file while it behaves.
pub struct Pool {
    limits: Limits,
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    pub fn new(limits: Limits) -> Pool {
        Pool {
            limits,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs the stages on one file in a worker and reads its document back.
    pub fn process(
        &self,
        path: &Path,
        known: &Known,
        ocr: OcrMode,
    ) -> Result<Document, ExtractError> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let worker = match idle {
            Some(worker) => worker,
            None => Worker::start(&self.limits)?,
        };
        let request = Request {
            path: path.to_path_buf(),
            title: known.title.clone(),
            wave: known.wave.clone(),
            doc_type: known.doc_type.clone(),
            ocr,
        };
        let (answer, worker) = worker.ask(&request, &self.limits);
        if let Some(worker) = worker {
            self.idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(worker);
        }
        match answer {
            Answer::Given(response) => response.map_err(ExtractError::Reported),
            Answer::Lost(error) => Err(error),
        }
    }
}

impl Drop for Pool {
    /// Closes every worker's input, so that it ends, and waits for it.
    fn drop(&mut self) {
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(PoisonError::into_inner));
        for worker in idle {
            let Worker {
                mut child, stdin, ..
            } = worker;
            drop(stdin);
            let _ = child.wait();
        }
    }
}

#[cfg(unix)]
fn describe_signal(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(6) => {
            "the pdf parser aborted (for instance a stack overflow on a self-referencing object)"
                .into()
        }
        Some(9) => "killed (out of memory?)".into(),
        Some(11) => "the pdf parser crashed (segmentation fault)".into(),
        Some(s) => format!("killed by signal {s}"),
        None => "ended without an exit code".into(),
    }
}

#[cfg(not(unix))]
fn describe_signal(_: &std::process::ExitStatus) -> String {
    "ended without an exit code".into()
}

#[cfg(unix)]
fn limit_memory(cmd: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit is async-signal-safe and touches only the child's own limits.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_memory(_: &mut Command, _: u64) {}
