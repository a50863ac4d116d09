//! One file through every stage: PDF bytes → `RawPage`s → (OCR) → `LaidPage`s → `CleanPage`s →
//! `Document`. `process` is the only function that chains the stages; the corpus runner, the
//! worker, `peo extract` and `peo quality` all call it.
//!
//! Invariant: only extraction can fail (`ExtractError`, a fault of the PDF); everything after
//! it is total, and what it could not do (a page without text, OCR that failed) is a warning
//! of the document. What the stages need from outside (the lexicon, the OCR engine) comes in
//! through `Env`, so a test can hand them a small lexicon or a fake OCR engine.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::extract::{self, ExtractError};
use crate::lexicon::Lexicon;
use crate::model::{CleanPage, Diagnostic, Document, LaidPage, RawPage};
use crate::ocr::{OcrEngine, OcrMode, Tesseract};
use crate::panics::{self, Panic};
use crate::segment::{self, Known};
use crate::{layout, normalize};

/// What the stages get from outside the PDF.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// The words normalisation repairs towards.
    pub lexicon: &'a Lexicon,
    /// Reads the pages that are images.
    pub ocr: &'a dyn OcrEngine,
    /// Which pages get OCR.
    pub ocr_mode: OcrMode,
}

impl Env<'static> {
    /// The bundled Dutch lexicon and tesseract.
    pub fn standard(ocr_mode: OcrMode) -> Env<'static> {
        Env {
            lexicon: Lexicon::dutch(),
            ocr: &Tesseract,
            ocr_mode,
        }
    }
}

/// A document with what the stages saw on the way.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Processed {
    pub document: Document,
    /// The text of each page as layout read it, before normalisation (`LaidPage::text`).
    pub laid_text: Vec<String>,
    /// The pages as segmentation saw them.
    pub pages: Vec<CleanPage>,
    /// Every repair normalisation made.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every stage on the bytes of one PDF, found at `path` (which names the document).
///
/// A stage that panics (a bug) is contained: on one page (OCR, layout) it costs that page, with
/// a warning; on the whole file (extraction, normalisation, segmentation) it fails the file
/// with `ExtractError::Bug`. Either way the line names the stage, the page when there is one,
/// and the panic (`panics::Panic::in_stage`).
pub fn process(
    bytes: &[u8],
    path: &Path,
    known: &Known,
    env: &Env,
) -> Result<Processed, ExtractError> {
    let mut raw = whole_file("extraction", || extract::read(bytes))??;
    let ocr_notes = recognize_images(bytes, &mut raw.pages, env);
    let mut stage_notes = Vec::new();
    let laid: Vec<_> = raw
        .pages
        .iter()
        .map(|p| {
            contained("layout", || {
                layout::lay_out_tagged(p, raw.structure.as_ref())
            })
            .unwrap_or_else(|bug| {
                stage_notes.push(bug.in_stage("layout", Some(p.number)));
                LaidPage {
                    number: p.number,
                    width: p.width,
                    height: p.height,
                    lines: Vec::new(),
                    ocr: p.ocr,
                }
            })
        })
        .collect();
    let normalized = whole_file("normalisation", || normalize::normalize(&laid, env.lexicon))?;
    let known = Known {
        pdf_title: known.pdf_title.clone().or(raw.info.title.clone()),
        ..known.clone()
    };
    let mut document = whole_file("segmentation", || {
        segment::segment(&normalized.pages, &known)
    })?;
    document.warnings.extend(stage_notes);
    document.id = doc_id(path);
    document.path = path.display().to_string();
    document.blake3 = blake3::hash(bytes).to_hex().to_string();
    document.warnings.extend(ocr_notes);
    let ocr_skipped = env.ocr_mode == OcrMode::Never || env.ocr.unavailable().is_some();
    document.ocr_pending = raw
        .pages
        .iter()
        .filter(|p| ocr_skipped && needs_ocr(p) && !p.ocr)
        .map(|p| p.number)
        .collect();
    document.ocr_pages = laid.iter().filter(|p| p.ocr).count() as u32;
    document.repairs = normalized.diagnostics.len() as u32;
    for page in &raw.pages {
        if let Some(problem) = &page.problem {
            document.warnings.push(problem.clone());
        } else if page.glyphs.is_empty() {
            let why = match (page.has_image, env.ocr_mode) {
                (false, _) => "empty".to_string(),
                (true, OcrMode::Never) => "an image without a text layer (OCR is off)".into(),
                (true, _) => match env.ocr.unavailable() {
                    Some(why) => format!("an image without a text layer ({why})"),
                    None => "an image in which OCR found no text".into(),
                },
            };
            document
                .warnings
                .push(format!("page {} has no text: {why}", page.number));
        }
    }
    Ok(Processed {
        document,
        laid_text: laid.iter().map(|p| p.text()).collect(),
        pages: normalized.pages,
        diagnostics: normalized.diagnostics,
    })
}

/// Runs the stage `name`, containing its panic. Tests can make a stage panic (`FAULT`): no
/// input can, outside of tests.
#[cfg_attr(not(test), allow(unused_variables))]
fn contained<R>(name: &str, f: impl FnOnce() -> R) -> Result<R, Panic> {
    panics::contained(|| {
        #[cfg(test)]
        if FAULT.with(|fault| fault.get() == Some(name)) {
            panic!("a fault injected into {name}\nsecond line");
        }
        f()
    })
}

/// Runs a stage that works on the whole file, its panic failing the file.
fn whole_file<R>(name: &str, f: impl FnOnce() -> R) -> Result<R, ExtractError> {
    contained(name, f).map_err(|bug| ExtractError::Bug(bug.in_stage(name, None)))
}

#[cfg(test)]
thread_local! {
    /// The stage that panics in this test thread, if any.
    static FAULT: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// The id of a document read on its own: the file name without its extension (in a corpus,
/// `corpus::index` gives it the path relative to the corpus).
pub fn doc_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether the text layer of a page holds a letter. A scanner's OCR layer that holds only the
/// page number (a chapter page whose title is set white on a dark band) is no text to keep: OCR
/// of the image reads the title and the number.
fn has_words(page: &RawPage) -> bool {
    page.glyphs
        .iter()
        .any(|g| g.text.chars().any(char::is_alphabetic))
}

/// Whether a page is an image without words in its text layer: what OCR is for (`auto`).
fn needs_ocr(page: &RawPage) -> bool {
    page.has_image && page.problem.is_none() && !has_words(page)
}

/// Gives the pages that need it text by OCR; returns a note per page it read.
fn recognize_images(bytes: &[u8], pages: &mut [RawPage], env: &Env) -> Vec<String> {
    let wanted: Vec<u32> = pages
        .iter()
        .filter(|p| match env.ocr_mode {
            OcrMode::Never => false,
            OcrMode::Auto => needs_ocr(p),
            OcrMode::Always => p.has_image && p.problem.is_none(),
        })
        .map(|p| p.number)
        .collect();
    if wanted.is_empty() || env.ocr.unavailable().is_some() {
        return Vec::new();
    }
    let mut notes = Vec::new();
    let images = match contained("ocr", || extract::page_images(bytes, &wanted)) {
        Ok(images) => images,
        Err(bug) => return vec![bug.in_stage("ocr", None)],
    };
    for (number, image) in images {
        let Some(page) = pages.iter_mut().find(|p| p.number == number) else {
            continue;
        };
        let image = match image {
            Ok(image) => image,
            Err(why) => {
                page.problem = Some(format!("page {number} has no text: no OCR: {why}"));
                continue;
            }
        };
        match contained("ocr", || env.ocr.recognize(&image, page.width, page.height)) {
            Ok(Ok(glyphs)) => {
                let words = if glyphs.len() == 1 { "word" } else { "words" };
                notes.push(format!(
                    "page {number}: text recognised by OCR ({}), {} {words}",
                    env.ocr.name(),
                    glyphs.len()
                ));
                page.glyphs = glyphs;
                page.ocr = true;
            }
            Ok(Err(e)) => notes.push(format!("page {number}: OCR failed: {e}")),
            Err(bug) => notes.push(bug.in_stage("ocr", Some(number))),
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::PageImage;
    use crate::model::Glyph;

    #[test]
    fn a_text_layer_of_a_page_number_alone_holds_no_words() {
        let page = |texts: &[&str]| RawPage {
            number: 21,
            width: 595.0,
            height: 842.0,
            glyphs: texts
                .iter()
                .map(|t| Glyph {
                    x: 0.0,
                    y: 0.0,
                    width: 5.0,
                    size: 10.0,
                    text: t.to_string(),
                    run: 1,
                    bold: false,
                    marked: Default::default(),
                })
                .collect(),
            rects: Vec::new(),
            problem: None,
            has_image: true,
            ocr: true,
        };
        assert!(!has_words(&page(&[])));
        assert!(!has_words(&page(&["2", "1", "|"])));
        assert!(!has_words(&page(&["5", "."])));
        assert!(has_words(&page(&["C", "o", "n"])));
    }

    /// An OCR engine that reads the same words on every image, one line of them.
    struct Fake(&'static [&'static str]);

    impl OcrEngine for Fake {
        fn name(&self) -> &str {
            "fake"
        }
        fn unavailable(&self) -> Option<&str> {
            None
        }
        fn recognize(&self, _: &PageImage, _: f32, _: f32) -> Result<Vec<Glyph>, String> {
            let mut x = 72.0;
            Ok(self
                .0
                .iter()
                .map(|word| {
                    let glyph = Glyph {
                        x,
                        y: 100.0,
                        width: 6.0 * word.len() as f32,
                        size: 11.0,
                        text: word.to_string(),
                        run: 1,
                        bold: false,
                        marked: Default::default(),
                    };
                    x += 6.0 * word.len() as f32 + 4.0;
                    glyph
                })
                .collect())
        }
    }

    #[test]
    fn the_scanned_factsheet_is_read_by_the_ocr_engine_it_is_given() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/peo-2022-factsheet-scan.pdf");
        let bytes = std::fs::read(&path).unwrap();
        let env = Env {
            ocr: &Fake(&["Werkplezier", "blijft", "hoog"]),
            ..Env::standard(OcrMode::Auto)
        };
        let processed = process(&bytes, &path, &Known::default(), &env).unwrap();
        let read: Vec<&String> = processed
            .document
            .warnings
            .iter()
            .filter(|w| w.contains("text recognised by OCR (fake), 3 words"))
            .collect();
        assert_eq!(read.len(), 1, "{:?}", processed.document.warnings);
        assert!(processed
            .document
            .text()
            .contains("Werkplezier blijft hoog"));
        assert_eq!(processed.laid_text.len(), processed.pages.len());
    }

    /// An OCR engine that panics, as a bug in one would.
    struct Panicking;

    impl OcrEngine for Panicking {
        fn name(&self) -> &str {
            "panicking"
        }
        fn unavailable(&self) -> Option<&str> {
            None
        }
        fn recognize(&self, _: &PageImage, _: f32, _: f32) -> Result<Vec<Glyph>, String> {
            let words: Vec<Glyph> = Vec::new();
            let i = words.len();
            #[allow(clippy::indexing_slicing)]
            Ok(vec![words[i].clone()])
        }
    }

    #[test]
    fn a_panic_in_ocr_costs_the_page_and_names_page_stage_and_panic_on_one_line() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/peo-2022-factsheet-scan.pdf");
        let bytes = std::fs::read(&path).unwrap();
        let env = Env {
            ocr: &Panicking,
            ..Env::standard(OcrMode::Auto)
        };
        let processed = process(&bytes, &path, &Known::default(), &env).unwrap();
        let bugs: Vec<&String> = processed
            .document
            .warnings
            .iter()
            .filter(|w| w.contains(panics::PLEASE_REPORT))
            .collect();
        assert!(!bugs.is_empty(), "{:?}", processed.document.warnings);
        for bug in bugs {
            assert!(
                bug.starts_with("page ")
                    && bug.contains(": ocr failed: index out of bounds: the len is 0 but the index is 0 (at src/process.rs:"),
                "{bug}"
            );
        }
    }

    fn with_fault<R>(stage: &'static str, f: impl FnOnce() -> R) -> R {
        FAULT.with(|fault| fault.set(Some(stage)));
        let result = f();
        FAULT.with(|fault| fault.set(None));
        result
    }

    #[test]
    fn a_panic_in_layout_costs_each_page_it_happens_on_with_a_warning() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/peo-2022-factsheet.pdf");
        let bytes = std::fs::read(&path).unwrap();
        let env = Env::standard(OcrMode::Never);
        let processed = with_fault("layout", || {
            process(&bytes, &path, &Known::default(), &env).unwrap()
        });
        let warnings = &processed.document.warnings;
        assert!(
            warnings.iter().any(|w| w.starts_with(
                "page 1: layout failed: a fault injected into layout (at src/process.rs:"
            ) && w.ends_with(": a bug in peo, please report it")),
            "{warnings:?}"
        );
        assert!(processed.document.text().trim().is_empty());
    }

    #[test]
    fn a_panic_in_a_stage_of_the_whole_file_fails_it_with_one_line() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/peo-2022-factsheet.pdf");
        let bytes = std::fs::read(&path).unwrap();
        let env = Env::standard(OcrMode::Never);
        for stage in ["extraction", "normalisation", "segmentation"] {
            let result = with_fault(stage, || process(&bytes, &path, &Known::default(), &env));
            let Err(ExtractError::Bug(line)) = result else {
                panic!("{stage}: {result:?}");
            };
            assert!(
                line.starts_with(&format!(
                    "{stage} failed: a fault injected into {stage} (at src/process.rs:"
                )),
                "{line}"
            );
            assert!(line.ends_with("a bug in peo, please report it"), "{line}");
            assert!(!line.contains('\n'), "{line}");
        }
        // and the next file is read as ever
        assert!(process(&bytes, &path, &Known::default(), &env).is_ok());
    }
}
