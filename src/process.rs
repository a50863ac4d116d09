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
use crate::model::{CleanPage, Decision, Diagnostic, Document, LaidPage, RawPage};
use crate::ocr::cache::OcrCache;
use crate::ocr::choose::{self, RegionChoice};
use crate::ocr::judge::{self, LayerScore, Verdict};
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
    /// What OCR read before, by the hash of the page image (beside the index).
    pub ocr_cache: Option<&'a OcrCache>,
}

impl Env<'static> {
    /// The bundled Dutch lexicon and tesseract.
    pub fn standard(ocr_mode: OcrMode) -> Env<'static> {
        Env {
            lexicon: Lexicon::dutch(),
            ocr: &Tesseract,
            ocr_mode,
            ocr_cache: None,
        }
    }
}

/// The budget of processing one file. `process` itself cannot keep to it (it is plain code
/// on the caller's thread); whoever runs it does: a worker process (`worker::Pool`) is killed
/// past the time budget and runs under the memory limit; the in-process runner
/// (`corpus::run`) abandons a file past the time budget, and has no memory limit (see
/// `Isolation`). The defaults are the flags' defaults of `peo index`, `peo add` and
/// `peo extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock seconds one file may take.
    pub timeout: u64,
    /// Address space of a worker process, in MiB.
    pub memory_mib: u64,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        timeout: 120,
        memory_mib: 4096,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
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
    /// The verdict on each text layer that OCR made (`--ocr auto`), and what was done with it.
    #[serde(default)]
    pub layers: Vec<JudgedLayer>,
    /// Why segmentation made each block what it is (`segment::segment_explained`).
    #[serde(default)]
    pub decisions: Vec<Decision>,
}

/// A page's text layer, made by OCR, as `ocr::judge` found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgedLayer {
    pub page: u32,
    pub score: LayerScore,
    pub verdict: Verdict,
    /// Where a poor layer was read again: which reading each region of the page kept, and why.
    #[serde(default)]
    pub regions: Vec<RegionChoice>,
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
    // Judging a layer lays its page out: a panic there leaves the layers unjudged.
    let mut layers =
        contained("ocr", || judge_layers(&raw.pages, &raw.info, env)).unwrap_or_default();
    let ocr_notes = recognize_images(bytes, &mut raw.pages, &mut layers, env);
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
    let (mut document, decisions) = whole_file("segmentation", || {
        segment::segment_explained(&normalized.pages, &known)
    })?;
    document.warnings.extend(stage_notes);
    document.alt_texts = std::mem::take(&mut raw.alt_texts);
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
        layers,
        decisions,
    })
}

/// Judges the text layer of every page whose layer an OCR program made (invisible text over a
/// page image), in `--ocr auto` when the OCR engine can run: a poor layer is read again from
/// the image. Nothing is judged otherwise, so `--ocr never` lays out no page twice.
fn judge_layers(pages: &[RawPage], info: &extract::PdfInfo, env: &Env) -> Vec<JudgedLayer> {
    if env.ocr_mode != OcrMode::Auto || env.ocr.unavailable().is_some() {
        return Vec::new();
    }
    let ocr_producer = [&info.producer, &info.creator]
        .into_iter()
        .flatten()
        .any(|p| judge::names_ocr_program(p));
    pages
        .iter()
        .filter(|p| p.ocr && p.has_image && p.problem.is_none() && has_words(p))
        .map(|p| {
            let laid = layout::lay_out(p);
            let lines: Vec<&str> = laid.lines.iter().map(|l| l.text.as_str()).collect();
            let score = judge::score(&lines, env.lexicon, ocr_producer);
            JudgedLayer {
                page: p.number,
                score,
                verdict: judge::verdict(&score),
                regions: Vec::new(),
            }
        })
        .collect()
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
fn recognize_images(
    bytes: &[u8],
    pages: &mut [RawPage],
    layers: &mut [JudgedLayer],
    env: &Env,
) -> Vec<String> {
    let poor_layers: Vec<(u32, judge::Poor)> = layers
        .iter()
        .filter_map(|l| match l.verdict {
            Verdict::Poor(why) => Some((l.page, why)),
            Verdict::Good => None,
        })
        .collect();
    let poor = |number: u32| {
        poor_layers
            .iter()
            .find(|(page, _)| *page == number)
            .map(|(_, why)| *why)
    };
    let wanted: Vec<u32> = pages
        .iter()
        .filter(|p| match env.ocr_mode {
            OcrMode::Never => false,
            OcrMode::Auto => needs_ocr(p) || poor(p.number).is_some(),
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
        // A page whose layer was judged poor is read from the prepared image.
        let prepared = poor(number).is_some();
        let key = env
            .ocr_cache
            .map(|_| OcrCache::key(env.ocr, &image, prepared, page.width, page.height));
        let cached = key
            .as_deref()
            .zip(env.ocr_cache)
            .and_then(|(key, cache)| cache.get(key));
        let from_cache = cached.is_some();
        let recognized = match cached {
            Some(glyphs) => Ok(Ok(glyphs)),
            None if prepared => contained("ocr", || {
                env.ocr.recognize_prepared(&image, page.width, page.height)
            }),
            None => contained("ocr", || env.ocr.recognize(&image, page.width, page.height)),
        };
        if let (Ok(Ok(glyphs)), Some(key), Some(cache), false) =
            (&recognized, &key, env.ocr_cache, from_cache)
        {
            if let Err(why) = cache.put(key, glyphs) {
                notes.push(format!("page {number}: {why}"));
            }
        }
        match recognized {
            Ok(Ok(glyphs)) => {
                let words = if glyphs.len() == 1 { "word" } else { "words" };
                let why = match poor(number) {
                    Some(why) => format!(" (its text layer is poor: {why})"),
                    None => String::new(),
                };
                let kept = if from_cache {
                    ", kept from an earlier run"
                } else {
                    ""
                };
                notes.push(format!(
                    "page {number}: text recognised by OCR ({}{kept}), {} {words}{why}",
                    env.ocr.name(),
                    glyphs.len()
                ));
                page.glyphs = match layers.iter_mut().find(|l| l.page == number) {
                    // A poor layer is not thrown away: each region keeps the better reading.
                    Some(layer) if matches!(layer.verdict, Verdict::Poor(_)) => {
                        let (kept, regions) = choose::choose(page, glyphs, env.lexicon);
                        layer.regions = regions;
                        kept
                    }
                    _ => glyphs,
                };
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
    use std::sync::atomic::{AtomicUsize, Ordering};

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
                    italic: false,
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

    /// An OCR engine that reads the same words on every image, one line of them, and counts
    /// the images it was given.
    struct Fake(&'static [&'static str], AtomicUsize);

    fn fake(words: &'static [&'static str]) -> Fake {
        Fake(words, AtomicUsize::new(0))
    }

    impl OcrEngine for Fake {
        fn name(&self) -> &str {
            "fake"
        }
        fn version(&self) -> &str {
            "1"
        }
        fn unavailable(&self) -> Option<&str> {
            None
        }
        fn recognize(&self, _: &PageImage, _: f32, _: f32) -> Result<Vec<Glyph>, String> {
            self.1.fetch_add(1, Ordering::SeqCst);
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
                        italic: false,
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
            ocr: &fake(&["Werkplezier", "blijft", "hoog"]),
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

    #[test]
    fn the_ocr_cache_reads_each_page_image_once() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let scan = corpus.join("peo-2022-factsheet-scan.pdf");
        let bytes = std::fs::read(&scan).unwrap();
        let dir = std::env::temp_dir().join(format!("peo-ocr-cache-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cache = OcrCache::at(dir.clone());
        let engine = fake(&["Werkplezier", "blijft", "hoog"]);
        let env = Env {
            ocr: &engine,
            ocr_cache: Some(&cache),
            ..Env::standard(OcrMode::Auto)
        };
        let calls = || engine.1.load(Ordering::SeqCst);
        let read = |path: &Path| process(&bytes, path, &Known::default(), &env).unwrap();
        let first = read(&scan);
        assert_eq!(calls(), 1);
        // Indexed again, and the same scan as a copy under another name: the cache answers,
        // with the same words.
        let again = read(&scan);
        let copy = read(&corpus.join("kopie/peo-2022-factsheet-scan-kopie.pdf"));
        assert_eq!(calls(), 1);
        assert_eq!(again.document.text(), first.document.text());
        assert_eq!(copy.document.text(), first.document.text());
        assert!(
            again
                .document
                .warnings
                .iter()
                .any(|w| w.contains("(fake, kept from an earlier run), 3 words")),
            "{:?}",
            again.document.warnings
        );
        // A corrupt entry is read again by OCR and written anew.
        let entries: Vec<_> = walk(&dir);
        assert_eq!(entries.len(), 1, "{entries:?}");
        std::fs::write(&entries[0], b"{\"format\": 1, \"key\": tr").unwrap();
        let repaired = read(&scan);
        assert_eq!(calls(), 2);
        assert_eq!(repaired.document.text(), first.document.text());
        read(&scan);
        assert_eq!(calls(), 2);
        // Another engine (or version, or preparation) does not get this engine's words.
        struct Newer(Fake);
        impl OcrEngine for Newer {
            fn name(&self) -> &str {
                self.0.name()
            }
            fn version(&self) -> &str {
                "2"
            }
            fn unavailable(&self) -> Option<&str> {
                None
            }
            fn recognize(&self, i: &PageImage, w: f32, h: f32) -> Result<Vec<Glyph>, String> {
                self.0.recognize(i, w, h)
            }
        }
        let newer = Newer(fake(&["Werkdruk"]));
        let env = Env { ocr: &newer, ..env };
        let newer_read = process(&bytes, &scan, &Known::default(), &env).unwrap();
        assert_eq!(newer.0 .1.load(Ordering::SeqCst), 1);
        assert!(newer_read.document.text().contains("Werkdruk"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The files under `dir`.
    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
        out
    }

    /// An OCR engine that panics, as a bug in one would.
    struct Panicking;

    impl OcrEngine for Panicking {
        fn name(&self) -> &str {
            "panicking"
        }
        fn version(&self) -> &str {
            "1"
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
