//! The stages chained: PDF bytes → `RawPage`s → `LaidPage`s → `CleanPage`s → `Document`, for
//! one file or, in parallel, for a whole corpus. The only place that uses rayon and indicatif.
//!
//! Invariant: a file that fails costs only that file: its error names the file and the cause,
//! and every other file is processed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::catalog::{Catalog, Entry};
use crate::extract::{self, ExtractError};
use crate::model::{Diagnostic, Document};
use crate::ocr::{self, OcrMode};
use crate::segment::{self, Known};
pub use crate::worker::Limits;
use crate::worker::{self, Pool};
use crate::{layout, normalize};

/// A document with the repairs made on the way.
#[derive(Debug, Clone)]
pub struct Processed {
    pub document: Document,
    /// The pages as segmentation saw them.
    pub pages: Vec<crate::model::CleanPage>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One PDF read and laid out: its pages in reading order, before normalisation.
#[derive(Debug, Clone)]
pub struct Laid {
    pub raw: extract::RawDocument,
    pub pages: Vec<crate::model::LaidPage>,
    /// What OCR did, one note per page it read.
    pub ocr_notes: Vec<String>,
}

/// Runs every stage on the bytes of one PDF.
pub fn process(
    bytes: &[u8],
    path: &Path,
    known: &Known,
    ocr: OcrMode,
) -> Result<Processed, ExtractError> {
    Ok(finish(lay_out(bytes, ocr)?, bytes, path, known, ocr))
}

/// The stages up to layout: reads the PDF, gives image pages text by OCR as `ocr` asks, and
/// puts every page's lines in reading order.
pub fn lay_out(bytes: &[u8], ocr: OcrMode) -> Result<Laid, ExtractError> {
    let mut raw = extract::read(bytes)?;
    let ocr_notes = recognize_images(bytes, &mut raw.pages, ocr);
    let pages = raw.pages.iter().map(layout::lay_out).collect();
    Ok(Laid {
        raw,
        pages,
        ocr_notes,
    })
}

/// The stages after layout: normalisation and segmentation of the PDF `bytes` were laid out
/// from, with a warning for every page that has no text.
pub fn finish(laid: Laid, bytes: &[u8], path: &Path, known: &Known, ocr: OcrMode) -> Processed {
    let Laid {
        raw,
        pages,
        ocr_notes,
    } = laid;
    let normalized = normalize::normalize(&pages);
    let known = Known {
        pdf_title: known.pdf_title.clone().or(raw.info.title.clone()),
        ..known.clone()
    };
    let mut document = segment::segment(&normalized.pages, &known);
    document.id = doc_id(path);
    document.path = path.display().to_string();
    document.blake3 = blake3::hash(bytes).to_hex().to_string();
    document.warnings.extend(ocr_notes);
    for page in &raw.pages {
        if let Some(problem) = &page.problem {
            document.warnings.push(problem.clone());
        } else if page.glyphs.is_empty() {
            let why = match (page.has_image, ocr) {
                (false, _) => "empty",
                (true, OcrMode::Never) => "an image without a text layer (OCR is off)",
                (true, _) if !ocr::available() => {
                    "an image without a text layer (OCR needs tesseract with Dutch data: make ocr-deps)"
                }
                (true, _) => "an image in which OCR found no text",
            };
            document
                .warnings
                .push(format!("page {} has no text: {why}", page.number));
        }
    }
    Processed {
        document,
        pages: normalized.pages,
        diagnostics: normalized.diagnostics,
    }
}

/// Whether the text layer of a page holds a letter. A scanner's OCR layer that holds only the
/// page number (a chapter page whose title is set white on a dark band) is no text to keep: OCR
/// of the image reads the title and the number.
fn has_words(page: &crate::model::RawPage) -> bool {
    page.glyphs
        .iter()
        .any(|g| g.text.chars().any(char::is_alphabetic))
}

/// Gives the pages that need it text by OCR; returns a note per page it read.
fn recognize_images(
    bytes: &[u8],
    pages: &mut [crate::model::RawPage],
    mode: OcrMode,
) -> Vec<String> {
    let wanted: Vec<u32> = pages
        .iter()
        .filter(|p| p.has_image && p.problem.is_none())
        .filter(|p| match mode {
            OcrMode::Never => false,
            OcrMode::Auto => !has_words(p),
            OcrMode::Always => true,
        })
        .map(|p| p.number)
        .collect();
    if wanted.is_empty() || !ocr::available() {
        return Vec::new();
    }
    let mut notes = Vec::new();
    for (number, image) in extract::page_images(bytes, &wanted) {
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
        match ocr::recognize(&image, page.width, page.height) {
            Ok(glyphs) => {
                notes.push(format!(
                    "page {number}: text recognised by OCR (tesseract, nld), {} words",
                    glyphs.len()
                ));
                page.glyphs = glyphs;
                page.ocr = true;
            }
            Err(e) => notes.push(format!("page {number}: OCR failed: {e}")),
        }
    }
    notes
}

/// Reads and processes one file.
pub fn process_file(path: &Path, known: &Known, ocr: OcrMode) -> Result<Processed, ExtractError> {
    let bytes = std::fs::read(path)?;
    process(&bytes, path, known, ocr)
}

/// The document id: the file name without its extension.
pub fn doc_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What the catalog says about a file, as segmentation takes it.
pub fn known_from(entry: Option<&Entry>) -> Known {
    match entry {
        Some(e) => Known {
            title: e.title.clone(),
            wave: e.wave.clone(),
            doc_type: e.doc_type.clone(),
            pdf_title: None,
        },
        None => Known::default(),
    }
}

/// The PDF files of a corpus directory, sorted, searched recursively.
pub fn corpus_files(corpus: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![corpus.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                // The sources the corpus is generated from are not publications.
                if path.file_name().is_some_and(|n| n != "src") {
                    stack.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The path of a corpus file relative to the corpus, with forward slashes, as the catalog
/// names it.
pub fn relative_name(corpus: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(corpus).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a corpus run did with one file.
#[derive(Debug)]
pub enum Change {
    /// Neither the file nor its catalog entry changed since it was indexed.
    Unchanged,
    /// Only the catalog entry changed: its title, wave and type were applied to the indexed
    /// document without extracting the file again.
    Recatalogued(Document),
    /// The file is new or changed (or its catalog entry no longer says everything): processed.
    Processed(Processed),
}

/// The outcome for one file of a corpus run.
pub struct Outcome {
    pub path: PathBuf,
    pub result: Result<Change, ExtractError>,
}

/// An indexed document with the catalog entry it was indexed under.
pub struct Previous {
    pub document: Document,
    pub catalog: String,
}

/// The catalog entry as it is compared between runs.
pub fn catalog_key(entry: Option<&Entry>) -> String {
    entry
        .map(|e| format!("{:?}|{:?}|{:?}", e.title, e.wave, e.doc_type))
        .unwrap_or_default()
}

/// Decides what to do with one file: unchanged files (same blake3, same catalog entry) are
/// skipped, a changed catalog entry that names title, wave and type is applied to the indexed
/// document, everything else is processed.
fn process_changed(
    path: &Path,
    entry: Option<&Entry>,
    previous: Option<&Previous>,
    workers: Option<&Pool>,
    ocr: OcrMode,
) -> Result<Change, ExtractError> {
    let bytes = std::fs::read(path)?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if let Some(prev) = previous.filter(|p| p.document.blake3 == hash) {
        if prev.catalog == catalog_key(entry) {
            return Ok(Change::Unchanged);
        }
        if let Some(e) = entry {
            if let (Some(title), Some(wave), Some(doc_type)) = (&e.title, &e.wave, &e.doc_type) {
                let mut doc = prev.document.clone();
                doc.title = title.clone();
                doc.wave = wave.clone();
                doc.doc_type = doc_type.clone();
                return Ok(Change::Recatalogued(doc));
            }
        }
    }
    let known = known_from(entry);
    match workers {
        None => process(&bytes, path, &known, ocr).map(Change::Processed),
        Some(pool) => pool.process(path, &known, ocr).map(|document| {
            Change::Processed(Processed {
                document,
                pages: Vec::new(),
                diagnostics: Vec::new(),
            })
        }),
    }
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

/// Processes the new and changed `files` of `corpus` on `jobs` threads, with a progress bar on
/// a terminal; `previous` holds the indexed documents by id. Each file's outcome goes to
/// `take` on the calling thread as soon as it and those of the files before it are done, in
/// the order of `files`, so that the caller can write a document while the next are read.
/// `take` prints through the `Say` it is given, above the progress bar.
#[allow(clippy::too_many_arguments)]
pub fn process_corpus(
    corpus: &Path,
    files: &[PathBuf],
    catalog: &Catalog,
    jobs: usize,
    previous: &HashMap<String, Previous>,
    isolation: &Isolation,
    ocr: OcrMode,
    mut take: impl FnMut(Outcome, &Say),
) {
    let jobs = jobs.max(1);
    // Dropped when the run ends, which ends its workers. Each worker holds the file it reads and
    // the next, for a thread of its own each.
    let (workers, n_threads) = match isolation {
        Isolation::InProcess => (None, jobs),
        Isolation::Worker(limits) => (
            Some(Pool::new(limits.clone(), jobs)),
            jobs * worker::FILES_PER_WORKER,
        ),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n_threads)
        .build();
    let bar = progress_bar(files.len() as u64);
    let say = Say(bar.clone());
    // A few finished files may wait for the caller; more hold the threads back.
    let (done, finished) = mpsc::sync_channel::<(usize, Outcome)>(2 * n_threads);
    let run = |done: mpsc::SyncSender<(usize, Outcome)>| {
        // The threads take the files in order (par_bridge), so that outcomes arrive nearly in
        // order and few wait for an earlier one.
        files
            .iter()
            .enumerate()
            .par_bridge()
            .for_each_with(done, |done, (i, path)| {
                let entry = catalog.entry(&relative_name(corpus, path));
                let result = process_changed(
                    path,
                    entry,
                    previous.get(&doc_id(path)),
                    workers.as_ref(),
                    ocr,
                );
                if let Err(e) = &result {
                    say.line(&format!("peo: {}: {e}", path.display()));
                }
                let outcome = Outcome {
                    path: path.clone(),
                    result,
                };
                // The receiver goes only when the caller's thread panicked.
                let _ = done.send((i, outcome));
            });
    };
    std::thread::scope(|scope| {
        scope.spawn(|| match pool {
            Ok(pool) => pool.install(|| run(done)),
            Err(_) => run(done),
        });
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (i, outcome) in finished {
            bar.inc(1);
            waiting.insert(i, outcome);
            while let Some(outcome) = waiting.remove(&next) {
                take(outcome, &say);
                next += 1;
            }
        }
    });
    bar.finish_and_clear();
}

/// Prints a line on standard error above a corpus run's progress bar.
pub struct Say(ProgressBar);

impl Say {
    pub fn line(&self, text: &str) {
        self.0.suspend(|| eprintln!("{text}"));
    }
}

fn progress_bar(n: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr());
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
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
    fn a_text_layer_of_a_page_number_alone_holds_no_words() {
        let page = |texts: &[&str]| crate::model::RawPage {
            number: 21,
            width: 595.0,
            height: 842.0,
            glyphs: texts
                .iter()
                .map(|t| crate::model::Glyph {
                    x: 0.0,
                    y: 0.0,
                    width: 5.0,
                    size: 10.0,
                    text: t.to_string(),
                    run: 1,
                    bold: false,
                    marked: crate::model::Marked::None,
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
        process_corpus(
            &corpus,
            &files,
            &catalog,
            2,
            &HashMap::new(),
            &Isolation::InProcess,
            OcrMode::Never,
            |outcome, _| taken.push((outcome.path, outcome.result.is_ok())),
        );
        let expected: Vec<(PathBuf, bool)> = files
            .iter()
            .map(|path| (path.clone(), path.exists()))
            .collect();
        assert_eq!(taken, expected);
    }
}
