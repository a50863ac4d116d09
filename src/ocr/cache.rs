//! What OCR read of a page image, kept on disk beside the index (`<index>/ocr-cache/`), so
//! that re-indexing, a scan that is also in the corpus as a copy, and `peo extract` after `peo
//! index` never read the same image twice. An entry is one JSON file named by the blake3 hash
//! of everything its words depend on: the image's bytes and size, the page's size, and the
//! engine's name and version with its preparation settings (`OcrEngine::version`), so a changed
//! engine or pipeline reads the page again instead of serving stale words.
//!
//! Invariant: the cache never costs a document: an entry that cannot be read or parsed is
//! ignored (and written again after OCR), one that cannot be written is skipped, and an entry
//! is written to a temporary file and renamed, so a reader never sees half of one.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::extract::{ImageEncoding, PageImage};
use crate::model::Glyph;
use crate::ocr::OcrEngine;

/// The directory of the cache inside an index directory.
pub const DIR_NAME: &str = "ocr-cache";

/// The format of an entry; a change reads every page again.
const FORMAT: u32 = 1;

/// A directory of OCR results.
#[derive(Debug, Clone)]
pub struct OcrCache {
    dir: PathBuf,
}

/// One entry: the key it answers (checked on reading, against a collision or a mix-up) and the
/// words.
#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    key: String,
    words: Vec<Word>,
}

/// A word OCR read, as a glyph in page space (OCR knows no font, so no weight or marking).
#[derive(Serialize, Deserialize)]
struct Word {
    x: f32,
    y: f32,
    width: f32,
    size: f32,
    text: String,
    run: u32,
}

impl OcrCache {
    /// The cache of the index in `index_dir` (the directory is made on the first write).
    pub fn beside(index_dir: &Path) -> OcrCache {
        OcrCache {
            dir: index_dir.join(DIR_NAME),
        }
    }

    /// The cache in `dir` itself.
    pub fn at(dir: PathBuf) -> OcrCache {
        OcrCache { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of what `engine` reads of `image` (`prepared` first, or as it is) on a page
    /// of `page_width` × `page_height`.
    pub fn key(
        engine: &dyn OcrEngine,
        image: &PageImage,
        prepared: bool,
        page_width: f32,
        page_height: f32,
    ) -> String {
        let mut hasher = blake3::Hasher::new();
        let encoding = match image.encoding {
            ImageEncoding::Jpeg => "jpeg".to_string(),
            ImageEncoding::Raw { components } => format!("raw{components}"),
        };
        let head = format!(
            "peo ocr cache {FORMAT}\n{}\n{}\n{encoding} {} {} prepared {prepared}\npage {} {}\n",
            engine.name(),
            engine.version(),
            image.width,
            image.height,
            page_width.to_bits(),
            page_height.to_bits()
        );
        hasher.update(head.as_bytes());
        hasher.update(&image.data);
        hasher.finalize().to_hex().to_string()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir
            .join(&key[..2.min(key.len())])
            .join(format!("{key}.json"))
    }

    /// The words kept for `key`, if an entry for it can be read.
    pub fn get(&self, key: &str) -> Option<Vec<Glyph>> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.format == FORMAT && entry.key == key).then(|| {
            entry
                .words
                .into_iter()
                .map(|w| Glyph {
                    x: w.x,
                    y: w.y,
                    width: w.width,
                    size: w.size,
                    text: w.text,
                    run: w.run,
                    bold: false,
                    italic: false,
                    marked: Default::default(),
                })
                .collect()
        })
    }

    /// Keeps the words for `key`; a failure to write is no error of the document, and is
    /// returned only for the caller to mention.
    pub fn put(&self, key: &str, glyphs: &[Glyph]) -> Result<(), String> {
        let path = self.path(key);
        let write = || -> std::io::Result<()> {
            let parent = path.parent().unwrap_or(&self.dir);
            std::fs::create_dir_all(parent)?;
            let entry = Entry {
                format: FORMAT,
                key: key.to_string(),
                words: glyphs
                    .iter()
                    .map(|g| Word {
                        x: g.x,
                        y: g.y,
                        width: g.width,
                        size: g.size,
                        text: g.text.clone(),
                        run: g.run,
                    })
                    .collect(),
            };
            let temporary = parent.join(format!(".{key}.{}.tmp", std::process::id()));
            std::fs::write(&temporary, serde_json::to_vec(&entry)?)?;
            std::fs::rename(&temporary, &path).inspect_err(|_| {
                let _ = std::fs::remove_file(&temporary);
            })
        };
        write().map_err(|e| format!("{}: cannot keep OCR text: {e}", path.display()))
    }
}
