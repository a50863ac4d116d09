//! The parent's side of the workers: at most `n_workers` `peo worker` processes, started when
//! first needed; each holds the file it reads and the next, so it never waits for the parent.
//!
//! Invariant: a file that makes its worker abort, crash, hang past the time budget or exceed
//! its memory limit costs only that file: the worker is killed, the file is `Lost` with the
//! cause, and the file sent after it goes to a fresh worker. Every answer a worker gave before
//! stays good.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::ocr::OcrMode;
use crate::process::Limits;
use crate::segment::Known;
use crate::worker::protocol::{Reply, Request, Response};

/// Why a file got no answer from its worker; the worker is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lost {
    /// It ran past the time budget, in seconds.
    Timeout(u64),
    /// It ran out of its memory limit, in MiB.
    Memory(u64),
    /// It died, could not be started, or wrote something that is no answer: why.
    Died(String),
}

/// The lines of standard error a worker keeps for the report of its end.
const STDERR_LINES: usize = 8;

/// How many files a worker holds at once: the one it reads and the next, so that it starts on
/// the next as soon as it has answered, instead of waiting for the parent to take the answer
/// and send another file.
pub const FILES_PER_WORKER: usize = 2;

/// A running `peo worker`, shared by the threads whose files it holds.
struct Worker {
    /// The files sent and not yet answered, oldest (the one it reads) first, with the waiting
    /// thread of each; `None` once the worker is gone.
    queue: Mutex<Option<Queue>>,
    child: Mutex<Child>,
    /// The last lines it wrote on standard error.
    stderr: Arc<Mutex<VecDeque<String>>>,
    stderr_reader: Mutex<Option<std::thread::JoinHandle<()>>>,
}

struct Queue {
    stdin: ChildStdin,
    waiting: VecDeque<mpsc::Sender<Event>>,
}

/// What the thread that sent a file hears about it.
enum Event {
    /// The worker began on the file: its time budget starts.
    Started,
    /// The worker's answer, a line of JSON.
    Answered(String),
    /// The worker died (or was killed) while reading this file.
    Died,
    /// The worker died before it began on this file: send it again.
    Again,
}

/// How a request ended for the thread that sent it.
enum Answer {
    Given(Response),
    /// The worker ran out of time, wrote something that is no answer, or died; it is gone.
    Lost(Lost),
    /// The worker died before it began on the file.
    Again,
}

impl Worker {
    /// Starts `exe worker` under the memory limit of `limits`.
    fn start(exe: &Path, limits: &Limits) -> Result<Arc<Worker>, Lost> {
        let mut cmd = Command::new(exe);
        cmd.arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        limit_memory(&mut cmd, limits.memory_mib.saturating_mul(1 << 20));
        let mut child = cmd
            .spawn()
            .map_err(|e| Lost::Died(format!("cannot start {}: {e}", exe.display())))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Lost::Died("no pipes to the worker".into()));
        };
        widen_pipe(&stdout);
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let stderr_reader = std::thread::spawn({
            let tail = Arc::clone(&tail);
            move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    let mut tail = lock(&tail);
                    if tail.len() == STDERR_LINES {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            }
        });
        let worker = Arc::new(Worker {
            queue: Mutex::new(Some(Queue {
                stdin,
                waiting: VecDeque::new(),
            })),
            child: Mutex::new(child),
            stderr: tail,
            stderr_reader: Mutex::new(Some(stderr_reader)),
        });
        // Hands each answer to the oldest waiting thread and tells the next that its file has
        // begun; when the output ends, the oldest hears that the worker died on its file and
        // the others that theirs must go to another worker.
        std::thread::spawn({
            let worker = Arc::clone(&worker);
            move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    let mut queue = lock(&worker.queue);
                    let Some(queue) = queue.as_mut() else { break };
                    if let Some(oldest) = queue.waiting.pop_front() {
                        let _ = oldest.send(Event::Answered(line));
                    }
                    if let Some(next) = queue.waiting.front() {
                        let _ = next.send(Event::Started);
                    }
                }
                if let Some(queue) = lock(&worker.queue).take() {
                    for (i, waiting) in queue.waiting.into_iter().enumerate() {
                        let _ = waiting.send(if i == 0 { Event::Died } else { Event::Again });
                    }
                }
            }
        });
        Ok(worker)
    }

    /// Sends a request; `None` when the worker is gone. The returned flag says whether the
    /// worker begins on it at once (it holds no other file).
    fn send(&self, line: &str) -> Option<(mpsc::Receiver<Event>, bool)> {
        let mut queue = lock(&self.queue);
        let q = queue.as_mut()?;
        let (sender, events) = mpsc::channel();
        // A worker that died since its last answer cannot take the line: its output ends too,
        // and the reader tells every waiting thread.
        let sent = q
            .stdin
            .write_all(line.as_bytes())
            .and_then(|_| q.stdin.flush());
        if sent.is_err() {
            return None;
        }
        q.waiting.push_back(sender);
        Some((events, q.waiting.len() == 1))
    }

    /// The number of files it holds, or `None` when it is gone.
    fn load(&self) -> Option<usize> {
        lock(&self.queue).as_ref().map(|q| q.waiting.len())
    }

    /// Waits for the answer to a request sent with `send`, at most `limits.timeout` seconds from
    /// the moment the worker begins on it.
    fn answer(&self, events: mpsc::Receiver<Event>, begun: bool, limits: &Limits) -> Answer {
        let budget = Duration::from_secs(limits.timeout);
        // The file before this one ends within its own budget, or the worker is killed.
        let mut deadline = Instant::now() + if begun { budget } else { 2 * budget };
        loop {
            let event = events.recv_timeout(deadline.saturating_duration_since(Instant::now()));
            match event {
                Ok(Event::Started) => deadline = Instant::now() + budget,
                Ok(Event::Answered(line)) => {
                    return match serde_json::from_str::<Response>(&line) {
                        Ok(response) => Answer::Given(response),
                        Err(e) => {
                            self.kill();
                            Answer::Lost(Lost::Died(format!("unreadable output: {e}")))
                        }
                    };
                }
                Ok(Event::Died) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Answer::Lost(self.death(limits));
                }
                Ok(Event::Again) => return Answer::Again,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.kill();
                    return Answer::Lost(Lost::Timeout(limits.timeout));
                }
            }
        }
    }

    /// Kills the worker and waits for it: its output ends, and the threads waiting for it hear
    /// so.
    fn kill(&self) {
        let mut child = lock(&self.child);
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Why a worker whose output ended died, from its exit status and the last line it wrote on
    /// standard error.
    fn death(&self, limits: &Limits) -> Lost {
        let status = match lock(&self.child).wait() {
            Ok(status) => status,
            Err(e) => return Lost::Died(format!("cannot wait for the worker: {e}")),
        };
        // Its standard error ends with it (OCR's tesseract writes into pipes of its own).
        if let Some(reader) = lock(&self.stderr_reader).take() {
            let _ = reader.join();
        }
        let tail = lock(&self.stderr);
        if tail.iter().any(|l| l.starts_with("memory allocation of")) {
            return Lost::Memory(limits.memory_mib);
        }
        // Its last line says why (a panic that no stage contained is one line too, see
        // `panics`).
        let message = tail
            .back()
            .map(|l| l.trim_start_matches("peo: ").to_string())
            .unwrap_or_default();
        match status.code() {
            Some(code) => Lost::Died(format!("exit code {code}: {message}")),
            None => Lost::Died(describe_signal(&status)),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// At most `n_workers` workers, started when first needed, each holding up to
/// `FILES_PER_WORKER` files of the threads that ask; a worker that dies or is killed is
/// replaced by a fresh one for the next file.
pub struct Pool {
    /// The peo binary that runs `peo worker`.
    exe: PathBuf,
    /// What each worker may use for one file.
    limits: Limits,
    n_workers: usize,
    workers: Mutex<Vec<Arc<Worker>>>,
}

impl Pool {
    pub fn new(exe: PathBuf, limits: Limits, n_workers: usize) -> Pool {
        Pool {
            exe,
            limits,
            n_workers: n_workers.max(1),
            workers: Mutex::new(Vec::new()),
        }
    }

    /// Runs `process` on one file in a worker and reads its answer back: `reply` of it.
    pub fn process(
        &self,
        path: &Path,
        known: &Known,
        ocr: OcrMode,
        ocr_cache: Option<&Path>,
        reply: Reply,
    ) -> Result<Response, Lost> {
        let request = Request {
            path: path.to_path_buf(),
            known: known.clone(),
            ocr,
            ocr_cache: ocr_cache.map(Path::to_path_buf),
            reply,
        };
        let mut line = serde_json::to_string(&request)
            .map_err(|e| Lost::Died(format!("cannot send the request: {e}")))?;
        line.push('\n');
        loop {
            let (worker, (events, begun)) = self.send(&line)?;
            match worker.answer(events, begun, &self.limits) {
                Answer::Given(response) => return Ok(response),
                Answer::Lost(lost) => return Err(lost),
                // Its worker died on the file before this one.
                Answer::Again => continue,
            }
        }
    }

    /// Sends `line` to the live worker that holds the fewest files, or to a new one while
    /// there are fewer than `n_workers` or all hold as many as they may.
    fn send(&self, line: &str) -> Result<(Arc<Worker>, (mpsc::Receiver<Event>, bool)), Lost> {
        loop {
            let worker = {
                let mut workers = lock(&self.workers);
                workers.retain(|w| w.load().is_some());
                let least = workers
                    .iter()
                    .filter_map(|w| Some((w.load()?, w)))
                    .min_by_key(|(load, _)| *load)
                    .map(|(load, w)| (load, Arc::clone(w)));
                match least {
                    Some((0, w)) => w,
                    Some((load, w))
                        if workers.len() >= self.n_workers && load < FILES_PER_WORKER =>
                    {
                        w
                    }
                    // Fewer workers than asked for, or every one full (a file sent again
                    // while its dead worker's place is not yet taken).
                    _ => {
                        let w = Worker::start(&self.exe, &self.limits)?;
                        workers.push(Arc::clone(&w));
                        w
                    }
                }
            };
            if let Some(sent) = worker.send(line) {
                return Ok((worker, sent));
            }
            // It took no input: it is ending, and its output ends with it, so that the next
            // round finds it gone instead of choosing it again.
            worker.kill();
        }
    }
}

impl Drop for Pool {
    /// Closes every worker's input, so that it ends, and waits for it.
    fn drop(&mut self) {
        let workers = std::mem::take(
            self.workers
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for worker in workers {
            drop(lock(&worker.queue).take());
            let _ = lock(&worker.child).wait();
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

/// Lets a worker write the document of a long report (the bundled one: 134 KB of JSON) into the
/// pipe at once, instead of waiting for the parent to read each 64 KiB.
#[cfg(target_os = "linux")]
fn widen_pipe(pipe: &std::process::ChildStdout) {
    use std::os::fd::AsRawFd;
    // SAFETY: F_SETPIPE_SZ only resizes the pipe's buffer; a refusal leaves it as it was.
    unsafe {
        libc::fcntl(pipe.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20);
    }
}

#[cfg(not(target_os = "linux"))]
fn widen_pipe(_: &std::process::ChildStdout) {}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A pool of one worker that is the shell script `script` (it gets `worker` as its
    /// argument), with a budget of `seconds` per file.
    fn pool_of(name: &str, script: &str, seconds: u64) -> (Pool, PathBuf) {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("peo-pool-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let exe = dir.join("worker.sh");
        std::fs::write(&exe, format!("#!/bin/sh\n{script}")).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let limits = Limits {
            timeout: seconds,
            memory_mib: 4096,
        };
        (Pool::new(exe, limits, 1), dir)
    }

    /// The answers to `files`, sent in this order, each from a thread of its own: the I/O
    /// message the script answers with, or how the file was lost.
    fn answers(pool: &Pool, files: &[&str]) -> Vec<Result<String, Lost>> {
        std::thread::scope(|scope| {
            let threads: Vec<_> = files
                .iter()
                .map(|file| {
                    let thread = scope.spawn(move || {
                        pool.process(
                            Path::new(file),
                            &Known::default(),
                            OcrMode::Never,
                            None,
                            Reply::Document,
                        )
                        .map(|response| match response {
                            Response::Io(message) => message,
                            other => format!("{other:?}"),
                        })
                    });
                    // The next file is sent once this one is.
                    std::thread::sleep(Duration::from_millis(200));
                    thread
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        })
    }

    #[test]
    fn the_time_budget_of_a_file_runs_from_when_its_worker_begins_on_it() {
        // Each file takes 1.2 s of a budget of 2 s: the second, sent at once, is answered 2.4 s
        // after it was sent, within its budget.
        let (pool, dir) = pool_of(
            "budget",
            "while read -r line; do sleep 1.2; echo '{\"Io\":\"gelezen\"}'; done\n",
            2,
        );
        assert_eq!(
            answers(&pool, &["a.pdf", "b.pdf"]),
            [Ok("gelezen".to_string()), Ok("gelezen".to_string())]
        );
        drop(pool);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_file_sent_after_one_that_ends_its_worker_goes_to_a_fresh_worker() {
        let (pool, dir) = pool_of(
            "crash",
            "while read -r line; do sleep 0.5; case \"$line\" in *kapot*) echo 'peo: stuk' >&2; exit 3;; esac; echo '{\"Io\":\"gelezen\"}'; done\n",
            20,
        );
        assert_eq!(
            answers(&pool, &["kapot.pdf", "b.pdf", "c.pdf"]),
            [
                Err(Lost::Died("exit code 3: stuk".to_string())),
                Ok("gelezen".to_string()),
                Ok("gelezen".to_string())
            ]
        );
        drop(pool);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
