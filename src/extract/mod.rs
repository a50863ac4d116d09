//! `&[u8]` (a PDF) → `RawPage`s: the glyphs and drawn rectangles of every page, with their
//! positions. The only module that knows the PDF crates.
//!
//! Invariant: nothing a PDF contains can make this module panic past its boundary: every page
//! is processed inside `catch_unwind` (`quietly`), and a page that fails costs only that page
//! (its `problem` says why). How a PDF is opened and bounded is `load`; the repairs made to it
//! before its pages are read, `fixups`; its content streams, `content`; what pdf-extract draws,
//! `collector`; the resources a page names, `resources`; the structure tree of a tagged PDF,
//! `structure`; the pixels of a scanned page, `images`.

use std::collections::BTreeMap;

use lopdf::{Document as PdfDocument, Object, ObjectId};
use pdf_extract::OutputError;

use crate::model::{AltText, RawPage, Structure};

mod collector;
mod content;
mod fixups;
mod images;
mod load;
mod resources;
mod structure;

use collector::Collector;
pub use images::{page_images, ImageEncoding, PageImage};
use load::{load, MAX_INFLATED};
use resources::{draws_invisible_text, page_has_image, page_size};
use structure::Tree;

/// Why a PDF could not be read at all: a fault of the PDF (a fault of the process reading it is
/// the corpus runner's `FileError`).
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ExtractError {
    #[error("not a pdf (no %PDF header)")]
    NotPdf,
    #[error("the file is empty")]
    Empty,
    #[error("cannot parse pdf: {0}")]
    Parse(String),
    #[error("encrypted pdf that needs a password")]
    Encrypted,
    #[error("the pdf has no pages")]
    NoPages,
    #[error("a stream inflates to more than {} MiB (a decompression bomb)", MAX_INFLATED >> 20)]
    Bomb,
    #[error("pdf parser crashed: {0}")]
    Panic(String),
    /// A stage panicked on the whole file: a bug in peo (or a crate it uses), not a fault of
    /// the PDF. The line names the stage (`panics::Panic::in_stage`).
    #[error("{0}")]
    Bug(String),
}

/// What the PDF says about itself.
#[derive(Debug, Clone, Default)]
pub struct PdfInfo {
    pub title: Option<String>,
    pub author: Option<String>,
    pub producer: Option<String>,
    pub creator: Option<String>,
    pub n_pages: u32,
}

/// A whole PDF as the extractor read it.
#[derive(Debug, Clone, Default)]
pub struct RawDocument {
    pub info: PdfInfo,
    pub pages: Vec<RawPage>,
    /// The structure tree of a tagged PDF, which the glyphs' `marked` points into.
    pub structure: Option<Structure>,
    /// The Alt texts of a tagged PDF's figures, with their pages.
    pub alt_texts: Vec<AltText>,
}

/// Reads a PDF held in memory.
pub fn read(bytes: &[u8]) -> Result<RawDocument, ExtractError> {
    let mut doc = load(bytes)?;
    fixups::expand_cid_width_ranges(&mut doc);
    fixups::shrink_wide_unicode_ranges(&mut doc);
    let page_ids = doc.get_pages();
    let info = pdf_info(&doc, page_ids.len() as u32);
    let tree = structure::read(&doc, &page_ids);
    let pages = read_pages(&doc, &page_ids, tree.as_ref());
    let (structure, alt_texts) = match tree {
        Some(tree) => (Some(tree.structure), tree.alt_texts),
        None => (None, Vec::new()),
    };
    Ok(RawDocument {
        info,
        pages,
        structure,
        alt_texts,
    })
}

/// Checks that `read` can open a PDF (it is one, it parses, it is not locked with a password
/// and has pages), without interpreting its pages: what `peo add` asks of a file before it
/// copies it into the corpus.
pub fn check(bytes: &[u8]) -> Result<(), ExtractError> {
    load(bytes).map(|_| ())
}

/// Every page, read in one pass of pdf-extract while no page fails, and page by page after
/// one that does: `output_doc_page` walks the page tree again for every page, so a document
/// of n pages took time n² (8000 pages: 42 s), while `output_doc` walks it once but stops at
/// the first page that fails.
fn read_pages(
    doc: &PdfDocument,
    page_ids: &BTreeMap<u32, ObjectId>,
    tree: Option<&Tree>,
) -> Vec<RawPage> {
    let mut collector = Collector::new(0.0, 0.0);
    collector.tree = tree;
    let result = quietly(|| pdf_extract::output_doc(doc, &mut collector));
    let mut pages = std::mem::take(&mut collector.done);
    if !matches!(result, Ok(Ok(()))) {
        // The page that failed: begun and not ended, or the one after the last that ended.
        let after = pages.last().map_or(0, |p| p.number);
        let number = collector.number.or_else(|| {
            page_ids
                .range(after + 1..)
                .next()
                .map(|(&number, _)| number)
        });
        if let Some(number) = number {
            let (width, height) = match collector.number {
                Some(_) => (collector.width, collector.height),
                None => page_size(doc, page_ids[&number]),
            };
            pages.push(RawPage {
                number,
                width,
                height,
                glyphs: collector.glyphs,
                rects: collector.rects,
                problem: page_problem(number, &result),
                has_image: false,
                ocr: false,
            });
            pages.extend(
                page_ids
                    .range(number + 1..)
                    .map(|(&number, &id)| read_page(doc, number, id, tree)),
            );
        }
    }
    for page in &mut pages {
        let id = page_ids[&page.number];
        page.has_image = page_has_image(doc, id);
        page.ocr = page.has_image && !page.glyphs.is_empty() && draws_invisible_text(doc, id);
    }
    pages
}

fn read_page(doc: &PdfDocument, number: u32, id: ObjectId, tree: Option<&Tree>) -> RawPage {
    let (width, height) = page_size(doc, id);
    let mut collector = Collector::new(width, height);
    collector.tree = tree;
    let result = quietly(|| pdf_extract::output_doc_page(doc, &mut collector, number));
    let problem = page_problem(number, &result);
    let mut page = collector.done.pop().unwrap_or(RawPage {
        number,
        width: collector.width,
        height: collector.height,
        glyphs: collector.glyphs,
        rects: collector.rects,
        problem: None,
        has_image: false,
        ocr: false,
    });
    page.problem = problem;
    page.has_image = page_has_image(doc, id);
    page.ocr = page.has_image && !page.glyphs.is_empty() && draws_invisible_text(doc, id);
    page
}

/// The warning for what pdf-extract skipped on page `number` and read the rest of the page
/// without: "page 3: skipped the operator cm: ... (2 times); no MediaBox: ...".
fn skipped_on_page(number: u32, problems: &[(String, usize)]) -> Option<String> {
    if problems.is_empty() {
        return None;
    }
    let causes: Vec<String> = problems
        .iter()
        .map(|(what, n)| match n {
            1 => what.clone(),
            n => format!("{what} ({n} times)"),
        })
        .collect();
    Some(format!("page {number}: {}", causes.join("; ")))
}

/// What went wrong on page `number`, from pdf-extract's result (or its panic) there.
fn page_problem(number: u32, result: &Result<Result<(), OutputError>, String>) -> Option<String> {
    match result {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("cannot read page {number}: {}", output_error(e))),
        Err(msg) => Some(format!("pdf parser crashed on page {number}: {msg}")),
    }
}

fn output_error(e: &OutputError) -> String {
    match e {
        OutputError::FormatError(e) => e.to_string(),
        OutputError::IoError(e) => e.to_string(),
        OutputError::PdfError(e) => e.to_string(),
    }
}

fn pdf_info(doc: &PdfDocument, n_pages: u32) -> PdfInfo {
    let dict = doc.trailer.get(b"Info").ok().and_then(|o| match o {
        Object::Reference(r) => doc.get_dictionary(*r).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    });
    let field = |key: &[u8]| -> Option<String> {
        let obj = dict?.get(key).ok()?;
        let obj = match obj {
            Object::Reference(r) => doc.get_object(*r).ok()?,
            o => o,
        };
        let s = match obj {
            Object::String(bytes, _) => decode_pdf_string(bytes),
            _ => return None,
        };
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    };
    PdfInfo {
        title: field(b"Title"),
        author: field(b"Author"),
        producer: field(b"Producer"),
        creator: field(b"Creator"),
        n_pages,
    }
}

/// PDF text strings are UTF-16BE with a byte-order mark, or PDFDocEncoding (Latin-1 is close
/// enough for metadata).
fn decode_pdf_string(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(&bytes[3..]).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// Runs `f`, turning a panic into `Err(message)` without printing it: the caller reports it
/// as a problem of the file, with the file's name.
fn quietly<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    crate::panics::contained(f).map_err(|p| p.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// A simple font whose ToUnicode map reads the code of "a" as `to`.
    fn font_reading_a_as(doc: &mut PdfDocument, to: char) -> ObjectId {
        let cmap = format!(
            "/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<00> <FF>\n\
             endcodespacerange\n1 beginbfchar\n<61> <{:04X}>\nendbfchar\nendcmap\n",
            to as u32
        );
        let cmap_id = doc.add_object(lopdf::Stream::new(dictionary! {}, cmap.into_bytes()));
        doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "ToUnicode" => cmap_id,
        })
    }

    #[test]
    fn a_font_name_means_the_font_its_own_page_names() {
        // Three pages that all show "a" in /F1, where /F1 is one font on pages 1 and 3 and
        // another on page 2: fonts made once per document must still follow each page's names.
        let mut doc = PdfDocument::with_version("1.7");
        let x = font_reading_a_as(&mut doc, 'X');
        let y = font_reading_a_as(&mut doc, 'Y');
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for font in [x, y, x] {
            let content = b"BT /F1 12 Tf 72 720 Td (a) Tj ET".to_vec();
            let content_id = doc.add_object(lopdf::Stream::new(dictionary! {}, content));
            kids.push(Object::from(doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Contents" => content_id,
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            })));
        }
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 3 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.compress();
        doc.save_to(&mut bytes).unwrap();
        let read = read(&bytes).unwrap();
        let texts: Vec<String> = read
            .pages
            .iter()
            .map(|p| p.glyphs.iter().map(|g| g.text.as_str()).collect())
            .collect();
        assert_eq!(texts, ["X", "Y", "X"]);
    }

    /// A one-page PDF (A4) drawing `content` with `font` as /F1.
    fn one_page_pdf(doc: &mut PdfDocument, font: ObjectId, content: &[u8]) -> Vec<u8> {
        let pages_id = doc.new_object_id();
        let content_id = doc.add_object(lopdf::Stream::new(dictionary! {}, content.to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    /// The text of each line of the one page of `bytes`, top to bottom, and its problem.
    fn page_lines(bytes: &[u8]) -> (Vec<String>, Option<String>) {
        let mut read = read(bytes).unwrap();
        let page = read.pages.remove(0);
        let mut lines: Vec<(f32, String)> = Vec::new();
        for g in &page.glyphs {
            match lines.iter_mut().find(|(y, _)| (y - g.y).abs() < 1.0) {
                Some((_, text)) => text.push_str(&g.text),
                None => lines.push((g.y, g.text.clone())),
            }
        }
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        (lines.into_iter().map(|(_, t)| t).collect(), page.problem)
    }

    #[test]
    fn a_tounicode_entry_that_is_no_utf16_costs_only_its_glyph() {
        // Ghostscript's pdfwrite writes such entries; the map's parser took them, and turning
        // them into text panicked (FromUtf16Error), which cost the page.
        let mut doc = PdfDocument::with_version("1.7");
        let cmap = b"/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<00> <FF>\n\
            endcodespacerange\n3 beginbfchar\n<61> <0041D800>\n<62> <0042>\n<63> <DC00>\n\
            endbfchar\nendcmap\n";
        let cmap_id = doc.add_object(lopdf::Stream::new(dictionary! {}, cmap.to_vec()));
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "ToUnicode" => cmap_id,
        });
        let bytes = one_page_pdf(&mut doc, font, b"BT /F1 12 Tf 72 720 Td (abc) Tj ET");
        // "a" and "c" fall back to the font's encoding.
        assert_eq!(page_lines(&bytes), (vec!["aBc".to_string()], None));
    }

    #[test]
    fn text_shown_by_the_quote_operators_is_read_on_the_next_line() {
        // Ghostscript's pdfwrite draws the lines of a paragraph with ' and ".
        let mut doc = PdfDocument::with_version("1.7");
        let font = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
        );
        let content = b"BT /F1 12 Tf 14 TL 72 720 Td (een) Tj (twee) ' 2 0 (drie) \" ET";
        let bytes = one_page_pdf(&mut doc, font, content);
        let (lines, problem) = page_lines(&bytes);
        assert_eq!(lines, ["een", "twee", "drie"]);
        assert_eq!(problem, None);
        let page = read(&bytes).unwrap().pages.remove(0);
        let ys: Vec<f32> = ["e", "t", "d"]
            .iter()
            .map(|c| page.glyphs.iter().find(|g| g.text == *c).unwrap().y)
            .collect();
        assert!((ys[1] - ys[0] - 14.0).abs() < 0.01 && (ys[2] - ys[1] - 14.0).abs() < 0.01);
    }

    /// The lines and the problem of a page drawing `content` in Helvetica (with `font_extra`
    /// in its font dictionary).
    fn read_content(
        content: &[u8],
        font_extra: lopdf::Dictionary,
    ) -> (Vec<String>, Option<String>) {
        let mut doc = PdfDocument::with_version("1.7");
        let mut font =
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
        font.extend(&font_extra);
        let font = doc.add_object(font);
        page_lines(&one_page_pdf(&mut doc, font, content))
    }

    #[test]
    fn what_pdf_extract_cannot_read_costs_the_operator_not_the_page() {
        let check = |content: &str, lines: &[&str], problem: &str| {
            let (read, why) = read_content(content.as_bytes(), dictionary! {});
            assert_eq!(read, lines, "{content}");
            assert_eq!(why.as_deref(), Some(problem), "{content}");
        };
        // An operator with an operand too few (pikepdf's ctm_cm.pdf).
        check(
            "1 0 0 1 0 cm BT /F1 12 Tf 72 720 Td (een) Tj ET",
            &["een"],
            "page 1: skipped the operator cm: assertion failed: operation.operands.len() == 6",
        );
        // A font that is not in the page's resources, twice: the text in it is lost, the
        // text after it read.
        check(
            "BT /F9 12 Tf 72 720 Td (weg) Tj ET BT /F1 12 Tf 72 700 Td (twee) Tj ET",
            &["twee"],
            "page 1: skipped the operator Tf: F9; skipped the operator Tj: \
             called `Option::unwrap()` on a `None` value",
        );
        // An inline image without its end (pikepdf's content-stream-errors.pdf, page 3).
        check(
            "BT /F1 12 Tf 72 720 Td (Potato) Tj ET BI /CS /G /W 1 /H 1 /BPC 8 /F /Fl ID x\u{9c}",
            &["Potato"],
            "page 1: skipped 1 inline image(s) that cannot be read",
        );
    }

    #[test]
    fn a_font_whose_tounicode_map_cannot_be_read_is_read_by_its_encoding() {
        let (lines, problem) = read_content(
            b"BT /F1 12 Tf 72 720 Td (leesbaar) Tj ET",
            dictionary! { "ToUnicode" => "Onbekend-H" },
        );
        assert_eq!(lines, ["leesbaar"]);
        assert_eq!(
            problem.as_deref(),
            Some(
                "page 1: font Helvetica: its ToUnicode map cannot be read (not yet implemented: \
                 unsupported ToUnicode name: \"Onbekend-H\"), its encoding is used instead"
            )
        );
    }

    #[test]
    fn a_page_without_a_mediabox_is_read_as_us_letter() {
        let mut doc = PdfDocument::with_version("1.7");
        let font = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
        );
        let bytes = one_page_pdf(&mut doc, font, b"BT /F1 12 Tf 72 720 Td (hier) Tj ET");
        let mut doc = PdfDocument::load_mem(&bytes).unwrap();
        let page_id = doc.page_iter().next().unwrap();
        doc.get_dictionary_mut(page_id).unwrap().remove(b"MediaBox");
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let read = read(&bytes).unwrap();
        let page = &read.pages[0];
        assert_eq!((page.width, page.height), (612.0, 792.0));
        let text: String = page.glyphs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(text, "hier");
        // 720 points up from the bottom of a page 792 high.
        assert!(
            (page.glyphs[0].y - 72.0).abs() < 0.01,
            "{}",
            page.glyphs[0].y
        );
        assert_eq!(
            page.problem.as_deref(),
            Some("page 1: no MediaBox: read as US Letter (612 x 792 points)")
        );
    }
}
