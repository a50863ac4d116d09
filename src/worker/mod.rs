//! Worker processes: the corpus runner hands each file to one of a few long-lived child
//! processes (`peo worker`) that run `process::process` on it and send back what the parent
//! reads of it (`Reply`): the document alone for the index, everything for `peo extract`. `protocol` is what goes over the pipes, `serve` the worker's side, `pool` the
//! parent's side. Starting a process and reading the Dutch lexicon is paid once per worker,
//! not once per file.
//!
//! Invariant: a file that makes its worker abort, crash, hang past the time budget or exceed
//! its memory limit costs only that file (see `pool`); the worker never imports the corpus
//! runner, only `process`.

pub mod pool;
pub mod protocol;
pub mod serve;

pub use pool::{Lost, Pool, FILES_PER_WORKER};
pub use protocol::{Reply, Request, Response};
pub use serve::serve;
