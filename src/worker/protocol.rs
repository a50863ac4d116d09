//! What goes between `peo index` and its workers: one JSON `Request` a line on the worker's
//! standard input, one JSON `Response` a line on its standard output, in the same order.
//!
//! Invariant: both sides speak these types only; a document comes back as `Processed`, whole,
//! and a fault of the PDF as the `ExtractError` the worker met.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::extract::ExtractError;
use crate::ocr::OcrMode;
use crate::process::Processed;
use crate::segment::Known;

/// One file for a worker, with what the catalog says about it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub path: PathBuf,
    pub known: Known,
    pub ocr: OcrMode,
    /// The OCR cache to read and keep OCR results in (`ocr::cache`), beside the index.
    #[serde(default)]
    pub ocr_cache: Option<PathBuf>,
}

/// A worker's answer to one request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    Processed(Box<Processed>),
    /// The PDF cannot be read.
    Unreadable(ExtractError),
    /// The file cannot be read from disk: the message of the I/O error.
    Io(String),
}
