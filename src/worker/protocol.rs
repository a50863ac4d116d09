//! What goes between `peo index` and its workers: one JSON `Request` a line on the worker's
//! standard input, one JSON `Response` a line on its standard output, in the same order.
//!
//! Invariant: both sides speak these types only; a processed file comes back as the part the
//! request asked for (`Reply`), whole, and nothing more: the document alone for the index, so that
//! the lines, geometry and repairs of every page, which only `peo extract` reads, never cross the
//! pipe. A fault of the PDF comes back as the `ExtractError` the worker met.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::extract::ExtractError;
use crate::model::Document;
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
    /// What to send back of the processed file.
    #[serde(default)]
    pub reply: Reply,
}

/// What the parent reads of a processed file, and so all the worker sends back of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reply {
    /// The document alone: what the index keeps (`peo index`, `peo add`).
    #[default]
    Document,
    /// The document with what the stages saw on the way, its pages' lines, the repairs and the
    /// judged text layers (`peo extract`).
    Everything,
}

/// A worker's answer to one request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// The file processed, whole (`Reply::Everything`).
    Processed(Box<Processed>),
    /// The file's document (`Reply::Document`).
    Document(Box<Document>),
    /// The PDF cannot be read.
    Unreadable(ExtractError),
    /// The file cannot be read from disk: the message of the I/O error.
    Io(String),
}
