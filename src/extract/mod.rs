//! `&[u8]` (a PDF) → `RawPage`s: the glyphs and drawn rectangles of every page, with their
//! positions. The only module that knows the PDF crates.
//!
//! Invariant: nothing a PDF contains can make this module panic past its boundary: every page
//! is processed inside `catch_unwind`, and a page that fails costs only that page (its
//! `problem` says why). Image streams are emptied while loading, because pdf-extract would
//! otherwise decompress every scan image and parse it as a content stream; every other
//! compressed stream is inflated within a bound first, so a decompression bomb fails its file
//! instead of exhausting memory.

use std::collections::{BTreeMap, HashMap};

use lopdf::{Document as PdfDocument, LoadOptions, Object, ObjectId};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use crate::model::{Glyph, Marked, RawPage, Rect, Structure};

mod structure;
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
}

/// Reads a PDF held in memory.
pub fn read(bytes: &[u8]) -> Result<RawDocument, ExtractError> {
    let mut doc = load(bytes)?;
    expand_cid_width_ranges(&mut doc);
    shrink_wide_unicode_ranges(&mut doc);
    let page_ids = doc.get_pages();
    let info = pdf_info(&doc, page_ids.len() as u32);
    let tree = structure::read(&doc, &page_ids);
    let pages = read_pages(&doc, &page_ids, tree.as_ref());
    Ok(RawDocument {
        info,
        pages,
        structure: tree.map(|t| t.structure),
    })
}

/// Checks that `read` can open a PDF (it is one, it parses, it is not locked with a password
/// and has pages), without interpreting its pages: what `peo add` asks of a file before it
/// copies it into the corpus.
pub fn check(bytes: &[u8]) -> Result<(), ExtractError> {
    load(bytes).map(|_| ())
}

/// The PDF loaded and checked (`open`), re-saved by the newer lopdf first when the older one
/// cannot parse it or finds no pages.
fn load(bytes: &[u8]) -> Result<PdfDocument, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::NotPdf);
    }
    match open(bytes) {
        Err(e @ (ExtractError::Parse(_) | ExtractError::NoPages)) => {
            match resave(bytes).map(|b| open(&b)) {
                Some(Ok(doc)) => Ok(doc),
                Some(Err(ExtractError::Bomb)) => Err(ExtractError::Bomb),
                _ => Err(e),
            }
        }
        result => result,
    }
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

/// Loads a PDF with lopdf, the version pdf-extract reads, through `filter_streams`, and checks
/// that it can be read: not encrypted with a password, no decompression bomb, some pages.
fn open(bytes: &[u8]) -> Result<PdfDocument, ExtractError> {
    let options = LoadOptions::with_filter(filter_streams);
    let doc = quietly(|| PdfDocument::load_mem_with_options(bytes, options))
        .map_err(ExtractError::Panic)?
        .map_err(|e| ExtractError::Parse(e.to_string()))?;
    if doc.is_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    let is_bomb = |o: &Object| o.as_stream().is_ok_and(|s| s.dict.has(b"PeoBomb"));
    if doc.objects.values().any(is_bomb) {
        return Err(ExtractError::Bomb);
    }
    if doc.get_pages().is_empty() {
        return Err(ExtractError::NoPages);
    }
    Ok(doc)
}

/// The PDF as a newer lopdf reads and writes it again, for a file the older one cannot parse
/// or finds no pages in: lopdf 0.47 recovers broken cross-reference tables and trailers and
/// rebuilds a lost page tree (only when loading without a filter), and writes a file with a
/// correct table. Its own bound on inflating streams is set to `MAX_INFLATED`; the streams of
/// the file it writes are checked again when `open` loads it.
fn resave(bytes: &[u8]) -> Option<Vec<u8>> {
    let options = lopdf_047::LoadOptions {
        max_decompressed_size: Some(MAX_INFLATED as usize),
        ..Default::default()
    };
    let mut doc = quietly(|| lopdf_047::Document::load_mem_with_options(bytes, options))
        .ok()?
        .ok()?;
    let mut out = Vec::new();
    quietly(|| doc.save_to(&mut out)).ok()?.ok()?;
    Some(out)
}

/// pdf-extract misreads the range form `c_first c_last w` of a CID font's /W array (it takes
/// no width for the range), so glyphs of such fonts get the default width and the positions of
/// the glyphs after them drift. Rewriting every range into the list form `c_first [w w ...]`,
/// which it reads correctly, gives true positions.
fn expand_cid_width_ranges(doc: &mut PdfDocument) {
    let mut arrays: Vec<(ObjectId, Option<ObjectId>)> = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(dict) = obj.as_dict() else { continue };
        let is_cid = dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .is_ok_and(|n| n == b"CIDFontType2" || n == b"CIDFontType0");
        if !is_cid {
            continue;
        }
        match dict.get(b"W") {
            Ok(Object::Reference(r)) => arrays.push((*id, Some(*r))),
            Ok(Object::Array(_)) => arrays.push((*id, None)),
            _ => {}
        }
    }
    for (font_id, array_id) in arrays {
        let target = array_id.unwrap_or(font_id);
        let Some(obj) = doc.objects.get_mut(&target) else {
            continue;
        };
        let w = match (array_id, obj) {
            (Some(_), Object::Array(a)) => a,
            (None, Object::Dictionary(d)) => match d.get_mut(b"W") {
                Ok(Object::Array(a)) => a,
                _ => continue,
            },
            _ => continue,
        };
        let mut out = Vec::with_capacity(w.len());
        let mut i = 0;
        while i < w.len() {
            match (w.get(i), w.get(i + 1), w.get(i + 2)) {
                (Some(first), Some(Object::Array(list)), _) => {
                    out.push(first.clone());
                    out.push(Object::Array(list.clone()));
                    i += 2;
                }
                (Some(first), Some(last), Some(width)) => {
                    let (Ok(first), Ok(last)) = (first.as_i64(), last.as_i64()) else {
                        break;
                    };
                    let n = (last - first + 1).clamp(0, 65536) as usize;
                    out.push(Object::Integer(first));
                    out.push(Object::Array(vec![width.clone(); n]));
                    i += 3;
                }
                _ => break,
            }
        }
        *w = out;
    }
}

/// A ToUnicode CMap with a range this wide is rewritten to the codes the document uses.
const WIDE_RANGE: u32 = 4096;

/// OCR text layers (tesseract's GlyphLessFont) map all 65536 codes with one bfrange, and
/// pdf-extract expands that map into a table again on every page: most of the time spent on a
/// scan went there. When a ToUnicode map holds such a wide range and nothing else, it is
/// replaced by the codes the pages show, mapped the same way.
fn shrink_wide_unicode_ranges(doc: &mut PdfDocument) {
    let mut targets: Vec<(ObjectId, u32, u32, u32)> = Vec::new();
    // Only the maps fonts name are read (inflating every stream to look took 6 % of the time of
    // indexing); a stream no font names is never read as a map by pdf-extract either.
    let mut maps = std::collections::BTreeSet::new();
    for obj in doc.objects.values() {
        to_unicode_refs(obj, &mut maps, 0);
    }
    for id in maps {
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        if stream.dict.has(b"Subtype") || stream.dict.has(b"Type") {
            continue;
        }
        let Ok(data) = stream.decompressed_content() else {
            continue;
        };
        if data.len() > 4096
            || !data.windows(12).any(|w| w == b"beginbfrange")
            || data.windows(11).any(|w| w == b"beginbfchar")
        {
            continue;
        }
        let text = String::from_utf8_lossy(&data);
        let Some(body) = text
            .split("beginbfrange")
            .nth(1)
            .and_then(|b| b.split("endbfrange").next())
        else {
            continue;
        };
        let hex: Vec<u32> = body
            .split(['<', '>'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .filter_map(|t| u32::from_str_radix(t, 16).ok())
            .collect();
        if let [lo, hi, dst] = hex[..] {
            if hi >= lo && hi - lo >= WIDE_RANGE && body.matches('<').count() == 3 {
                targets.push((id, lo, hi, dst));
            }
        }
    }
    if targets.is_empty() {
        return;
    }
    // The codes every content stream shows: pages and form XObjects (OCR tools often wrap the
    // text layer in a form).
    let mut streams: Vec<ObjectId> = doc
        .get_pages()
        .values()
        .flat_map(|&p| doc.get_page_contents(p))
        .collect();
    streams.extend(doc.objects.iter().filter_map(|(id, o)| {
        match o {
            Object::Stream(s)
                if s.dict
                    .get(b"Subtype")
                    .and_then(|t| t.as_name())
                    .is_ok_and(|n| n == b"Form") =>
            {
                Some(*id)
            }
            _ => None,
        }
    }));
    let mut used: std::collections::BTreeSet<u32> = std::collections::BTreeSet::new();
    for id in streams {
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        let Ok(data) = stream
            .decompressed_content()
            .or_else(|_| Ok::<_, lopdf::Error>(stream.content.clone()))
        else {
            continue;
        };
        let shown = with_operations(&data, |ops| {
            for op in &ops.ops {
                if !matches!(op.operator, b"Tj" | b"TJ" | b"'" | b"\"") {
                    continue;
                }
                for b in &ops.strings[op.strings.clone()] {
                    used.extend(
                        b.chunks_exact(2)
                            .map(|c| u16::from_be_bytes([c[0], c[1]]) as u32),
                    );
                }
            }
        });
        // A stream that cannot be read leaves the maps as they are: better slow than silent.
        if shown.is_none() {
            return;
        }
    }
    for (id, lo, hi, dst) in targets {
        let codes: Vec<u32> = used
            .iter()
            .copied()
            .filter(|c| (lo..=hi).contains(c))
            .collect();
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        for chunk in codes.chunks(100) {
            cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for c in chunk {
                cmap.push_str(&format!("<{c:04X}> <{:04X}>\n", dst + (c - lo)));
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        if let Some(Object::Stream(stream)) = doc.objects.get_mut(&id) {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(cmap.into_bytes());
        }
    }
}

/// Collects the objects that `/ToUnicode` entries in `obj` (a font, or a dictionary or array
/// holding fonts, such as inline resources) refer to.
fn to_unicode_refs(obj: &Object, out: &mut std::collections::BTreeSet<ObjectId>, depth: u32) {
    if depth > 8 {
        return;
    }
    let dict = match obj {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(items) => {
            for item in items {
                to_unicode_refs(item, out, depth + 1);
            }
            return;
        }
        _ => return,
    };
    for (key, value) in dict.iter() {
        match value {
            Object::Reference(r) if key == b"ToUnicode" => {
                out.insert(*r);
            }
            Object::Dictionary(_) | Object::Array(_) => to_unicode_refs(value, out, depth + 1),
            _ => {}
        }
    }
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

/// The operations of a content stream, as far as peo's own walks (`draws_invisible_text`,
/// `shrink_wide_unicode_ranges`) look at them: the operator, its first
/// operand, and the strings among its operands.
struct Operations<'a> {
    ops: Vec<Op<'a>>,
    /// The strings of every operation, `Op::strings` indexing into it.
    strings: Vec<std::borrow::Cow<'a, [u8]>>,
}

struct Op<'a> {
    operator: &'a [u8],
    first: First<'a>,
    /// The strings among the operands, and in arrays among them: `Operations::strings[range]`.
    strings: std::ops::Range<usize>,
}

/// The first operand of an operation, as the walks use it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum First<'a> {
    None,
    Name(&'a [u8]),
    Integer(i64),
    /// An array, with the number of strings it holds (a `TJ`'s runs).
    Array(usize),
    Other,
}

/// Runs `f` on the operations of `content`. pdf-extract parses each content stream with lopdf,
/// which builds an object for every operand; parsing it a second time that way for peo's own
/// walks took a third of the time of reading a PDF. `scan_operations` reads the same
/// operations without building objects; a stream it does not take on (an inline image, a
/// comment, a token lopdf splits or stops at) is decoded by lopdf instead, so the operations
/// are always those pdf-extract interprets. `None` when lopdf cannot decode it either.
fn with_operations<R>(content: &[u8], f: impl FnOnce(&Operations) -> R) -> Option<R> {
    // Comments taken out, as pdf-extract takes them out.
    let stripped = pdf_extract::without_comments(content);
    let content = stripped.as_deref().unwrap_or(content);
    if let Some(ops) = scan_operations(content) {
        return Some(f(&ops));
    }
    let decoded = lopdf::content::Content::decode(content).ok()?;
    Some(f(&operations_of(&decoded)))
}

/// The operations of a content stream lopdf decoded.
fn operations_of(content: &lopdf::content::Content) -> Operations<'_> {
    use std::borrow::Cow;
    let mut strings: Vec<Cow<[u8]>> = Vec::new();
    let mut ops = Vec::with_capacity(content.operations.len());
    for op in &content.operations {
        let start = strings.len();
        for operand in &op.operands {
            match operand {
                Object::String(b, _) => strings.push(Cow::Borrowed(b)),
                Object::Array(items) => strings.extend(
                    items
                        .iter()
                        .filter_map(|o| o.as_str().ok())
                        .map(Cow::Borrowed),
                ),
                _ => {}
            }
        }
        let first = match op.operands.first() {
            None => First::None,
            Some(Object::Name(n)) => First::Name(n),
            Some(Object::Integer(i)) => First::Integer(*i),
            Some(Object::Array(items)) => First::Array(
                items
                    .iter()
                    .filter(|o| matches!(o, Object::String(..)))
                    .count(),
            ),
            Some(_) => First::Other,
        };
        ops.push(Op {
            operator: op.operator.as_bytes(),
            first,
            strings: start..strings.len(),
        });
    }
    Operations { ops, strings }
}

/// The class of each byte in PDF syntax: 1 white space, 2 delimiter, 0 regular (a table,
/// since the scanner asks for every byte of every content stream).
const PDF_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let white = b" \t\n\r\0\x0C";
    let mut i = 0;
    while i < white.len() {
        class[white[i] as usize] = 1;
        i += 1;
    }
    let delimiters = b"()<>[]{}/%";
    let mut i = 0;
    while i < delimiters.len() {
        class[delimiters[i] as usize] = 2;
        i += 1;
    }
    class
};

fn is_pdf_whitespace(c: u8) -> bool {
    PDF_CLASS[c as usize] == 1
}

fn is_pdf_regular(c: u8) -> bool {
    PDF_CLASS[c as usize] == 0
}

/// Reads the operations of a content stream the way lopdf 0.42's content parser does, without
/// building objects: `None` for anything it does not follow exactly (inline images, comments,
/// `#` escapes in names, a token that is neither a number nor an operator, bytes lopdf stops
/// at), for `with_operations` to give to lopdf. Operands left without an operator at the end
/// are dropped, as lopdf drops them.
fn scan_operations(data: &[u8]) -> Option<Operations<'_>> {
    let mut ops = Vec::new();
    let mut strings = Vec::new();
    let mut first = First::None;
    let mut n_operands = 0;
    let mut start = 0;
    let mut i = 0;
    loop {
        // Between tokens lopdf takes only these four.
        while i < data.len() && matches!(data[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        let Some(&c) = data.get(i) else { break };
        let operand = match c {
            b'(' => {
                let (s, end) = literal_string(data, i)?;
                strings.push(s);
                i = end;
                First::Other
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                i = skip_object(data, i)?;
                First::Other
            }
            b'<' => {
                let (s, end) = hex_string(data, i)?;
                strings.push(s);
                i = end;
                First::Other
            }
            b'[' => {
                // The strings of the array itself, not of arrays inside it.
                let mut n_strings = 0;
                i += 1;
                loop {
                    while data.get(i).is_some_and(|&c| is_pdf_whitespace(c)) {
                        i += 1;
                    }
                    match *data.get(i)? {
                        b']' => break,
                        b'(' => {
                            let (s, end) = literal_string(data, i)?;
                            strings.push(s);
                            n_strings += 1;
                            i = end;
                        }
                        b'<' if data.get(i + 1) != Some(&b'<') => {
                            let (s, end) = hex_string(data, i)?;
                            strings.push(s);
                            n_strings += 1;
                            i = end;
                        }
                        _ => i = skip_object(data, i)?,
                    }
                }
                i += 1;
                First::Array(n_strings)
            }
            b'/' => {
                let end = name_end(data, i)?;
                let name = &data[i + 1..end];
                i = end;
                First::Name(name)
            }
            c if is_pdf_regular(c) => {
                let begin = i;
                while data.get(i).is_some_and(|&c| is_pdf_regular(c)) {
                    i += 1;
                }
                let token = &data[begin..i];
                match keyword(token)? {
                    Keyword::Operand(operand) => operand,
                    Keyword::Operator => {
                        ops.push(Op {
                            operator: token,
                            first,
                            strings: start..strings.len(),
                        });
                        first = First::None;
                        n_operands = 0;
                        start = strings.len();
                        continue;
                    }
                }
            }
            _ => return None,
        };
        if n_operands == 0 {
            first = operand;
        }
        n_operands += 1;
    }
    strings.truncate(start);
    Some(Operations { ops, strings })
}

enum Keyword<'a> {
    Operand(First<'a>),
    Operator,
}

/// A token of regular characters: a number, true, false or null, or an operator; `None` for
/// one lopdf would read otherwise (`d0` is `d` and `0` to it) and an inline image (`BI`).
fn keyword(token: &[u8]) -> Option<Keyword<'_>> {
    let digits = |t: &[u8]| !t.is_empty() && t.iter().all(u8::is_ascii_digit);
    let unsigned = token
        .strip_prefix(b"+")
        .or(token.strip_prefix(b"-"))
        .unwrap_or(token);
    if digits(unsigned) {
        let value = std::str::from_utf8(token).ok()?.parse().ok()?;
        return Some(Keyword::Operand(First::Integer(value)));
    }
    if let Some(dot) = unsigned.iter().position(|&c| c == b'.') {
        let (whole, fraction) = (&unsigned[..dot], &unsigned[dot + 1..]);
        let real = (digits(whole) && (fraction.is_empty() || digits(fraction)))
            || (whole.is_empty() && digits(fraction));
        return real.then_some(Keyword::Operand(First::Other));
    }
    match token {
        b"true" | b"false" | b"null" => Some(Keyword::Operand(First::Other)),
        b"BI" => None,
        _ if token
            .iter()
            .all(|c| c.is_ascii_alphabetic() || b"*'\"".contains(c)) =>
        {
            Some(Keyword::Operator)
        }
        _ => None,
    }
}

/// The end of the name starting at `at` (its `/`); `None` for a name with `#` escapes.
fn name_end(data: &[u8], at: usize) -> Option<usize> {
    let mut end = at + 1;
    while data.get(end).is_some_and(|&c| is_pdf_regular(c)) {
        if data[end] == b'#' {
            return None;
        }
        end += 1;
    }
    Some(end)
}

/// The bytes of the literal string starting at `at` (its `(`), as lopdf decodes them: escapes
/// resolved, nested parentheses and line ends kept; and the position after it.
fn literal_string(data: &[u8], at: usize) -> Option<(std::borrow::Cow<'_, [u8]>, usize)> {
    use std::borrow::Cow;
    let mut depth = 0usize;
    let mut i = at;
    let mut escaped = false;
    loop {
        match *data.get(i)? {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'\\' => {
                escaped = true;
                i += 1;
                data.get(i)?;
            }
            _ => {}
        }
        if depth > 10 {
            return None;
        }
        i += 1;
    }
    let inner = &data[at + 1..i];
    if !escaped {
        return Some((Cow::Borrowed(inner), i + 1));
    }
    let mut out = Vec::with_capacity(inner.len());
    let mut j = 0;
    while j < inner.len() {
        if inner[j] != b'\\' {
            out.push(inner[j]);
            j += 1;
            continue;
        }
        j += 1;
        let c = inner[j];
        match c {
            b'0'..=b'7' => {
                let n = inner[j..]
                    .iter()
                    .take(3)
                    .take_while(|c| (b'0'..=b'7').contains(*c))
                    .count();
                let value = inner[j..j + n]
                    .iter()
                    .fold(0u16, |v, d| v * 8 + (d - b'0') as u16);
                out.push(value as u8);
                j += n;
            }
            b'\r' if inner.get(j + 1) == Some(&b'\n') => j += 2,
            b'\r' | b'\n' => j += 1,
            _ => {
                out.push(match c {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 0x08,
                    b'f' => 0x0C,
                    c => c,
                });
                j += 1;
            }
        }
    }
    Some((Cow::Owned(out), i + 1))
}

/// The bytes of the hexadecimal string starting at `at` (its `<`), a last odd digit taken as
/// its high half; and the position after it.
fn hex_string(data: &[u8], at: usize) -> Option<(std::borrow::Cow<'_, [u8]>, usize)> {
    let mut out = Vec::new();
    let mut high = true;
    let mut i = at + 1;
    loop {
        let c = *data.get(i)?;
        i += 1;
        if c == b'>' {
            break;
        }
        if is_pdf_whitespace(c) {
            continue;
        }
        let digit = (c as char).to_digit(16)? as u8;
        if high {
            out.push(digit << 4);
        } else if let Some(last) = out.last_mut() {
            *last |= digit;
        }
        high = !high;
    }
    Some((std::borrow::Cow::Owned(out), i))
}

/// The position after the operand at `at` inside an array or a dictionary (a number, a name,
/// a string, an array, a dictionary, true, false or null).
fn skip_object(data: &[u8], at: usize) -> Option<usize> {
    match *data.get(at)? {
        b'(' => literal_string(data, at).map(|(_, end)| end),
        b'<' if data.get(at + 1) == Some(&b'<') => {
            let mut i = at + 2;
            loop {
                while data.get(i).is_some_and(|&c| is_pdf_whitespace(c)) {
                    i += 1;
                }
                if data.get(i..i + 2)? == b">>" {
                    return Some(i + 2);
                }
                if data[i] != b'/' {
                    return None;
                }
                i = name_end(data, i)?;
                while data.get(i).is_some_and(|&c| is_pdf_whitespace(c)) {
                    i += 1;
                }
                i = skip_object(data, i)?;
            }
        }
        b'<' => hex_string(data, at).map(|(_, end)| end),
        b'[' => {
            let mut i = at + 1;
            loop {
                while data.get(i).is_some_and(|&c| is_pdf_whitespace(c)) {
                    i += 1;
                }
                if *data.get(i)? == b']' {
                    return Some(i + 1);
                }
                i = skip_object(data, i)?;
            }
        }
        b'/' => name_end(data, at),
        c if is_pdf_regular(c) => {
            let mut end = at;
            while data.get(end).is_some_and(|&c| is_pdf_regular(c)) {
                end += 1;
            }
            match keyword(&data[at..end])? {
                Keyword::Operand(_) => Some(end),
                Keyword::Operator => None,
            }
        }
        _ => None,
    }
}

fn deref<'a>(doc: &'a PdfDocument, obj: &'a Object) -> &'a Object {
    match obj {
        Object::Reference(r) => doc.get_object(*r).unwrap_or(obj),
        o => o,
    }
}

/// How a font sets its text: bold when its name says so ("LiberationSans-Bold", "Arial,Bold",
/// "DejaVuSans-BoldOblique", "…-Semibold", "…-Black") or its descriptor gives a weight of 600
/// or more; italic when its name says so ("…-Italic", "…-Oblique", "Arial,Italic") or its
/// descriptor slants it by more than a degree. Subset prefixes ("ABCDEF+") do not matter.
fn font_style(doc: &PdfDocument, font: &lopdf::Dictionary) -> FontStyle {
    let name = |d: &lopdf::Dictionary| {
        d.get(b"BaseFont")
            .ok()
            .and_then(|n| deref(doc, n).as_name().ok())
            .map(|n| String::from_utf8_lossy(n).to_lowercase())
            .unwrap_or_default()
    };
    let descendant = font
        .get(b"DescendantFonts")
        .ok()
        .and_then(|d| deref(doc, d).as_array().ok())
        .and_then(|a| a.first())
        .and_then(|d| deref(doc, d).as_dict().ok());
    let descriptor = |key: &[u8]| {
        [Some(font), descendant]
            .into_iter()
            .flatten()
            .filter_map(|d| {
                d.get(b"FontDescriptor")
                    .ok()
                    .and_then(|fd| deref(doc, fd).as_dict().ok())
                    .and_then(|fd| fd.get(key).ok())
                    .and_then(|v| v.as_float().ok())
            })
            .collect::<Vec<f32>>()
    };
    let weight = descriptor(b"FontWeight").iter().any(|&w| w >= 600.0);
    let slant = descriptor(b"ItalicAngle").iter().any(|&a| a.abs() > 1.0);
    let names = name(font) + " " + &descendant.map(name).unwrap_or_default();
    FontStyle {
        bold: weight
            || ["bold", "black", "heavy", "semibold", "demibold"]
                .iter()
                .any(|w| names.contains(w)),
        italic: slant || ["italic", "oblique"].iter().any(|w| names.contains(w)),
    }
}

/// The weight and slant of a font (`font_style`).
#[derive(Debug, Clone, Copy, Default)]
struct FontStyle {
    bold: bool,
    italic: bool,
}

fn output_error(e: &OutputError) -> String {
    match e {
        OutputError::FormatError(e) => e.to_string(),
        OutputError::IoError(e) => e.to_string(),
        OutputError::PdfError(e) => e.to_string(),
    }
}

/// The most one stream (a content stream, a font, an object stream) may inflate to. Real
/// content streams take kilobytes to a few megabytes; pdf-extract parses a content stream into
/// operations that take several times its size.
const MAX_INFLATED: u64 = 64 << 20;

/// The most pixel data OCR reads from one image (an A3 page scanned at 600 dpi in colour is
/// 200 MiB).
const MAX_IMAGE: u64 = 256 << 20;

/// Runs on every object as lopdf loads it. Empties image streams: their pixels are never
/// needed for text, and pdf-extract would decompress them and parse them as content. Marks
/// (`/PeoBomb`, emptied) a stream that inflates to more than `MAX_INFLATED`: lopdf and
/// pdf-extract inflate whole streams into memory without a bound. An object stream loses its
/// `/Type` with it, or lopdf would drop it and the mark. A stream compressed only with
/// FlateDecode is kept inflated, as the check left it, so that pdf-extract and peo's own walks
/// do not inflate its content again.
fn filter_streams(id: (u32, u16), object: &mut Object) -> Option<((u32, u16), Object)> {
    let Object::Stream(stream) = object else {
        // An object of an object stream: lopdf keeps what is returned.
        return Some((id, object.clone()));
    };
    let is_image = stream
        .dict
        .get(b"Subtype")
        .and_then(|s| s.as_name())
        .map(|n| n == b"Image")
        .unwrap_or(false);
    if is_image {
        stream.dict.remove(b"Filter");
        stream.dict.remove(b"DecodeParms");
        stream.dict.set("PeoImage", Object::Boolean(true));
        stream.set_content(Vec::new());
    } else {
        let filters = stream.filters().unwrap_or_default();
        let only_flate = filters == [b"FlateDecode".as_slice()] && !stream.dict.has(b"DecodeParms");
        match inflate_within(&filters, &stream.content, MAX_INFLATED) {
            Inflated::Within(Some(inflated)) if only_flate => {
                stream.dict.remove(b"Filter");
                stream.set_content(inflated);
            }
            Inflated::Within(_) => {}
            Inflated::Over => {
                stream.dict.remove(b"Filter");
                stream.dict.remove(b"DecodeParms");
                stream.dict.remove(b"Type");
                stream.dict.set("PeoBomb", Object::Boolean(true));
                stream.set_content(Vec::new());
            }
        }
    }
    // A stream is never part of an object stream (ISO 32000-1, 7.5.7): lopdf keeps the object
    // it changed in place and only looks at whether something is returned, so the stream's
    // content is not copied.
    Some((id, Object::Null))
}

/// What the FlateDecode stages of a stream's filters give.
enum Inflated {
    /// At most the cap: the bytes they give, when the stages were all FlateDecode.
    Within(Option<Vec<u8>>),
    /// More than the cap.
    Over,
}

/// Inflates the FlateDecode stages of a stream's `filters` (in decoding order) from its
/// `content`, up to `cap` bytes. Inflating stops at the first byte over the cap, so a bomb
/// costs `cap` bytes of memory, not its size. The check ends at the first other filter
/// (ASCII85 and ASCIIHex shrink; LZW, rare in producers since 2000, is not bounded).
fn inflate_within(filters: &[&[u8]], content: &[u8], cap: u64) -> Inflated {
    let mut data: Option<Vec<u8>> = None;
    for &filter in filters {
        if filter != b"FlateDecode" {
            return Inflated::Within(None);
        }
        match inflate_capped(data.as_deref().unwrap_or(content), cap) {
            Some(inflated) => data = Some(inflated),
            None => return Inflated::Over,
        }
    }
    Inflated::Within(data)
}

/// Whether the FlateDecode stages of `filters` give at most `cap` bytes from `content`.
fn inflates_within(filters: &[&[u8]], content: &[u8], cap: u64) -> bool {
    !matches!(inflate_within(filters, content, cap), Inflated::Over)
}

/// The bytes `data` inflates to, or `None` when that is more than `cap`. Like lopdf, a zlib
/// stream that fails at once is retried as raw deflate after its 2-byte header, and corrupt
/// data gives what inflated before the error.
fn inflate_capped(data: &[u8], cap: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    let zlib = flate2::read::ZlibDecoder::new(data)
        .take(cap + 1)
        .read_to_end(&mut out);
    if zlib.is_err() && out.is_empty() && data.len() > 2 {
        let _ = flate2::read::DeflateDecoder::new(&data[2..])
            .take(cap + 1)
            .read_to_end(&mut out);
    }
    (out.len() as u64 <= cap).then_some(out)
}

/// The XObjects the page's resources name (images and forms), and those that its forms name in
/// turn, a few levels deep.
fn page_xobjects(doc: &PdfDocument, page_id: ObjectId) -> Vec<&lopdf::Stream> {
    let Ok((resources, ids)) = doc.get_page_resources(page_id) else {
        return Vec::new();
    };
    let mut dicts: Vec<&lopdf::Dictionary> = resources
        .into_iter()
        .chain(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()))
        .collect();
    let mut out: Vec<&lopdf::Stream> = Vec::new();
    for _depth in 0..4 {
        let mut forms = Vec::new();
        for res in dicts {
            let xobjects = match res.get(b"XObject") {
                Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
                Ok(Object::Dictionary(d)) => Some(d),
                _ => None,
            };
            for (_, x) in xobjects.into_iter().flat_map(|d| d.iter()) {
                let stream = match x {
                    Object::Reference(r) => {
                        doc.get_object(*r).ok().and_then(|o| o.as_stream().ok())
                    }
                    Object::Stream(s) => Some(s),
                    _ => None,
                };
                let Some(stream) = stream else { continue };
                if out.iter().any(|seen| std::ptr::eq(*seen, stream)) {
                    continue;
                }
                out.push(stream);
                match stream.dict.get(b"Resources") {
                    Ok(Object::Reference(r)) => forms.extend(doc.get_dictionary(*r).ok()),
                    Ok(Object::Dictionary(d)) => forms.push(d),
                    _ => {}
                }
            }
        }
        if forms.is_empty() {
            break;
        }
        dicts = forms;
    }
    out
}

fn page_has_image(doc: &PdfDocument, page_id: ObjectId) -> bool {
    page_xobjects(doc, page_id)
        .iter()
        .any(|s| s.dict.get(b"PeoImage").is_ok())
}

/// Whether the page's content, or a form it draws, sets text render mode 3 (neither fill nor
/// stroke): the invisible text that OCR programs lay over a scanned image.
fn draws_invisible_text(doc: &PdfDocument, page_id: ObjectId) -> bool {
    let invisible = |data: &[u8]| {
        with_operations(data, |ops| {
            ops.ops
                .iter()
                .any(|op| op.operator == b"Tr" && op.first == First::Integer(3))
        })
        .unwrap_or(false)
    };
    if doc
        .get_page_content(page_id)
        .is_ok_and(|data| invisible(&data))
    {
        return true;
    }
    page_xobjects(doc, page_id).iter().any(|form| {
        let is_form = form
            .dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .is_ok_and(|n| n == b"Form");
        is_form
            && form
                .decompressed_content()
                .is_ok_and(|bytes| invisible(&bytes))
    })
}

fn page_size(doc: &PdfDocument, page_id: ObjectId) -> (f32, f32) {
    let mut id = page_id;
    for _ in 0..32 {
        let Ok(dict) = doc.get_dictionary(id) else {
            break;
        };
        if let Ok(mb) = dict.get(b"MediaBox") {
            let mb = match mb {
                Object::Reference(r) => doc.get_object(*r).ok(),
                o => Some(o),
            };
            if let Some(Ok(arr)) = mb.map(|o| o.as_array()) {
                let v: Vec<f32> = arr.iter().filter_map(|o| o.as_float().ok()).collect();
                if v.len() == 4 {
                    return ((v[2] - v[0]).abs(), (v[3] - v[1]).abs());
                }
            }
        }
        match dict.get(b"Parent").and_then(|p| p.as_reference()) {
            Ok(parent) => id = parent,
            Err(_) => break,
        }
    }
    (595.0, 842.0)
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

/// Collects glyphs and rectangles through pdf-extract's output interface, page by page.
struct Collector<'t> {
    /// The pages that ended.
    done: Vec<RawPage>,
    /// The page begun and not yet ended.
    number: Option<u32>,
    glyphs: Vec<Glyph>,
    /// The angle of each glyph's baseline (radians, counter-clockwise in PDF space).
    angles: Vec<f32>,
    rects: Vec<Rect>,
    width: f32,
    height: f32,
    /// Top of the media box in PDF space, to flip y to a top-left origin.
    top: f64,
    left: f64,
    run: u32,
    /// The style of the font of the current run (`OutputDev::run_font`).
    style: FontStyle,
    /// The style of each font, by the address of its dictionary in the document being read.
    font_styles: HashMap<usize, FontStyle>,
    /// The structure tree of a tagged PDF, to find the element of each marked glyph.
    tree: Option<&'t Tree>,
    /// The marked-content sequences open now, innermost last.
    marks: Vec<Mark>,
    /// The /StructParents key of each form XObject being drawn, innermost last.
    forms: Vec<Option<i64>>,
    /// What pdf-extract skipped on the page begun (`OutputDev::problem`), each with how often.
    problems: Vec<(String, usize)>,
}

/// An open marked-content sequence: its MCID, and whether it marks an artifact.
#[derive(Debug, Clone, Copy)]
struct Mark {
    mcid: Option<i64>,
    artifact: bool,
}

impl Collector<'_> {
    fn new(width: f32, height: f32) -> Self {
        Collector {
            done: Vec::new(),
            number: None,
            glyphs: Vec::new(),
            angles: Vec::new(),
            rects: Vec::new(),
            width,
            height,
            top: height as f64,
            left: 0.0,
            run: 0,
            style: FontStyle::default(),
            font_styles: HashMap::new(),
            tree: None,
            marks: Vec::new(),
            forms: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// How the glyph drawn now is marked: an artifact when any open sequence says so (the
    /// standard lets no element sit inside an artifact), else the element of the innermost
    /// sequence with an MCID.
    fn marked(&self) -> Marked {
        if self.marks.iter().any(|m| m.artifact) {
            return Marked::Artifact;
        }
        let (Some(tree), Some(page)) = (self.tree, self.number) else {
            return Marked::None;
        };
        let Some(mcid) = self.marks.iter().rev().find_map(|m| m.mcid) else {
            return Marked::None;
        };
        let form = self.forms.last().copied().flatten();
        tree.element(page, form, mcid)
            .map_or(Marked::None, Marked::Element)
    }

    fn to_page(&self, x: f64, y: f64) -> (f32, f32) {
        ((x - self.left) as f32, (self.top - y) as f32)
    }
}

impl OutputDev for Collector<'_> {
    fn begin_page(
        &mut self,
        number: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.number = Some(number);
        self.problems.clear();
        self.glyphs.clear();
        self.angles.clear();
        self.rects.clear();
        self.run = 0;
        self.marks.clear();
        self.forms.clear();
        self.top = media_box.ury.max(media_box.lly);
        self.left = media_box.llx.min(media_box.urx);
        self.width = (media_box.urx - media_box.llx).abs() as f32;
        self.height = (media_box.ury - media_box.lly).abs() as f32;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        if let Some(number) = self.number.take() {
            self.deskew();
            self.done.push(RawPage {
                number,
                width: self.width,
                height: self.height,
                glyphs: std::mem::take(&mut self.glyphs),
                rects: std::mem::take(&mut self.rects),
                problem: skipped_on_page(number, &std::mem::take(&mut self.problems)),
                has_image: false,
                ocr: false,
            });
        }
        Ok(())
    }

    fn problem(&mut self, what: &str) {
        match self.problems.iter_mut().find(|(p, _)| p == what) {
            Some((_, n)) => *n += 1,
            None => self.problems.push((what.to_string(), 1)),
        }
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = (font_size * scale) as f32;
        if text.is_empty() || !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let (x, y) = self.to_page(trm.m31, trm.m32);
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        // The advance of a glyph scales with the horizontal part of the text matrix only.
        let hscale = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let advance = (width * font_size * hscale) as f32;
        self.angles.push(trm.m12.atan2(trm.m11) as f32);
        self.glyphs.push(Glyph {
            x,
            y,
            width: advance.max(0.0),
            size,
            text: text.to_string(),
            run: self.run,
            bold: self.style.bold,
            italic: self.style.italic,
            marked: self.marked(),
        });
        Ok(())
    }

    fn begin_marked_content(
        &mut self,
        tag: &[u8],
        properties: Option<&lopdf::Dictionary>,
    ) -> Result<(), OutputError> {
        let mcid = properties
            .and_then(|p| p.get(b"MCID").ok())
            .and_then(|m| m.as_i64().ok());
        self.marks.push(Mark {
            mcid,
            artifact: tag == b"Artifact",
        });
        Ok(())
    }

    fn end_marked_content(&mut self) -> Result<(), OutputError> {
        self.marks.pop();
        Ok(())
    }

    fn begin_form(&mut self, struct_parents: Option<i64>) -> Result<(), OutputError> {
        self.forms.push(struct_parents);
        Ok(())
    }

    fn end_form(&mut self) -> Result<(), OutputError> {
        self.forms.pop();
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.run += 1;
        Ok(())
    }

    fn run_font(
        &mut self,
        doc: &PdfDocument,
        font: Option<&lopdf::Dictionary>,
    ) -> Result<(), OutputError> {
        self.style = font
            .map(|font| {
                *self
                    .font_styles
                    .entry(font as *const lopdf::Dictionary as usize)
                    .or_insert_with(|| font_style(doc, font))
            })
            .unwrap_or_default();
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _: &pdf_extract::ColorSpace,
        _: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        self.record_path(ctm, path);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _: &pdf_extract::ColorSpace,
        color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        // A white fill is a page or cell background, not a box a reader sees.
        let white = !color.is_empty() && color.iter().all(|c| *c >= 0.99) && color.len() != 4;
        if !white {
            self.record_path(ctm, path);
        }
        Ok(())
    }
}

/// The least and the most skew `Collector::deskew` straightens: below it a page is level as
/// far as layout can tell, above it the text is turned on purpose (a vertical label, a
/// rotated table), not by a scanner.
const SKEW: std::ops::RangeInclusive<f32> = 0.1f32.to_radians()..=5.0f32.to_radians();

impl Collector<'_> {
    /// Turns the page's glyphs and rectangles so that its text runs level, when the text is
    /// skewed as a scan's OCR layer is: the text matrices of most glyphs share a small angle
    /// (OCRmyPDF writes a skewed page's words along their tilted baselines). Layout compares
    /// baselines and left edges, and a tilt of 1.5 degrees moves a baseline by more than a line
    /// across a page, so columns would be read interleaved.
    fn deskew(&mut self) {
        if self.glyphs.len() < 20 {
            return;
        }
        let mut angles = self.angles.clone();
        angles.sort_by(f32::total_cmp);
        let median = angles[angles.len() / 2];
        let near = angles
            .iter()
            .filter(|a| (*a - median).abs() <= 0.2f32.to_radians())
            .count();
        if !SKEW.contains(&median.abs()) || near * 2 < angles.len() {
            return;
        }
        let (sin, cos) = median.sin_cos();
        let (cx, cy) = (self.width / 2.0, self.height / 2.0);
        // In page space (y down) a rotation by `median` levels a baseline that rose by it.
        let turn = |x: f32, y: f32| {
            let (dx, dy) = (x - cx, y - cy);
            (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
        };
        for g in &mut self.glyphs {
            (g.x, g.y) = turn(g.x, g.y);
        }
        for r in &mut self.rects {
            let corners = [
                turn(r.x0, r.y0),
                turn(r.x1, r.y0),
                turn(r.x0, r.y1),
                turn(r.x1, r.y1),
            ];
            let fold = |f: fn(f32, f32) -> f32, pick: fn(&(f32, f32)) -> f32| {
                corners.iter().map(pick).reduce(f).unwrap_or(0.0)
            };
            *r = Rect {
                x0: fold(f32::min, |c| c.0),
                y0: fold(f32::min, |c| c.1),
                x1: fold(f32::max, |c| c.0),
                y1: fold(f32::max, |c| c.1),
            };
        }
    }

    fn record_path(&mut self, ctm: &Transform, path: &pdf_extract::Path) {
        use pdf_extract::PathOp;
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        let mut push = |x: f64, y: f64| {
            xs.push(x * ctm.m11 + y * ctm.m21 + ctm.m31);
            ys.push(x * ctm.m12 + y * ctm.m22 + ctm.m32);
        };
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) | PathOp::LineTo(x, y) => push(x, y),
                PathOp::CurveTo(_, _, _, _, x, y) => push(x, y),
                PathOp::Rect(x, y, w, h) => {
                    push(x, y);
                    push(x + w, y + h);
                }
                PathOp::Close => {}
            }
        }
        if xs.is_empty() {
            return;
        }
        let fold = |v: &[f64], f: fn(f64, f64) -> f64, init: f64| v.iter().copied().fold(init, f);
        let (x0, x1) = (fold(&xs, f64::min, f64::MAX), fold(&xs, f64::max, f64::MIN));
        let (y0, y1) = (fold(&ys, f64::min, f64::MAX), fold(&ys, f64::max, f64::MIN));
        let (px0, py1) = self.to_page(x0, y0);
        let (px1, py0) = self.to_page(x1, y1);
        let rect = Rect {
            x0: px0,
            y0: py0,
            x1: px1,
            y1: py1,
        };
        if rect.width().is_finite()
            && rect.height().is_finite()
            && rect.width() > 1.0
            && rect.height() > 1.0
        {
            self.rects.push(rect);
        }
    }
}

/// Runs `f`, turning a panic into `Err(message)` without printing it: the caller reports it
/// as a problem of the file, with the file's name.
fn quietly<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    crate::panics::contained(f).map_err(|p| p.message)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use lopdf::{dictionary, Object};

    /// A line of `n` glyphs 6 pt apart from (x, y) in page space, rising by `deg` degrees
    /// to the right (as a skewed scan's OCR layer draws it).
    fn tilted_line(c: &mut Collector, x: f32, y: f32, n: usize, deg: f32) {
        let a = deg.to_radians();
        for i in 0..n {
            let d = 6.0 * i as f32;
            c.glyphs.push(Glyph {
                x: x + d * a.cos(),
                y: y - d * a.sin(),
                width: 6.0,
                size: 10.0,
                text: "x".into(),
                run: 1,
                bold: false,
                italic: false,
                marked: Marked::None,
            });
            c.angles.push(a);
        }
    }

    #[test]
    fn a_skewed_ocr_layer_is_turned_level() {
        let mut c = Collector::new(595.0, 842.0);
        tilted_line(&mut c, 50.0, 100.0, 40, -1.5);
        tilted_line(&mut c, 320.0, 100.0, 40, -1.5);
        c.deskew();
        // each line's baseline is level, and the left edges of lines stay in order
        for line in c.glyphs.chunks(40) {
            let ys: Vec<f32> = line.iter().map(|g| g.y).collect();
            let spread = ys.iter().cloned().fold(f32::MIN, f32::max)
                - ys.iter().cloned().fold(f32::MAX, f32::min);
            assert!(spread < 0.01, "{ys:?}");
        }
        assert!(c.glyphs[0].x < c.glyphs[40].x);
    }

    #[test]
    fn level_text_and_text_turned_on_purpose_are_left_as_drawn() {
        for deg in [0.0, 0.05, 90.0, 30.0] {
            let mut c = Collector::new(595.0, 842.0);
            tilted_line(&mut c, 50.0, 100.0, 40, deg);
            let before = c.glyphs.clone();
            c.deskew();
            assert_eq!(c.glyphs, before, "{deg} degrees");
        }
    }

    #[test]
    fn a_wide_unicode_range_is_cut_to_the_codes_the_pages_show() {
        use lopdf::Stream;
        let mut doc = PdfDocument::with_version("1.7");
        let cmap = b"/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap\n".to_vec();
        let cmap_id = doc.add_object(Stream::new(dictionary! {}, cmap));
        // OCRmyPDF's font, with the map as its ToUnicode.
        doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "GlyphLessFont",
            "ToUnicode" => cmap_id,
        });
        let content = b"BT /F1 10 Tf <0049> Tj [<0065> 120 <0049>] TJ ET".to_vec();
        doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form" },
            content,
        ));
        let pages_id = doc.new_object_id();
        let page_id = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        shrink_wide_unicode_ranges(&mut doc);
        let Object::Stream(s) = doc.get_object(cmap_id).unwrap() else {
            panic!("a stream")
        };
        let text = String::from_utf8(s.content.clone()).unwrap();
        assert!(
            text.contains("2 beginbfchar\n<0049> <0049>\n<0065> <0065>\nendbfchar"),
            "{text}"
        );
        assert!(!text.contains("beginbfrange"), "{text}");
    }

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

    #[test]
    fn a_flate_stream_is_kept_inflated_and_a_bomb_is_emptied() {
        use std::io::Write;
        let deflate = |data: &[u8]| {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let stream = |content: Vec<u8>| {
            Object::Stream(lopdf::Stream::new(
                dictionary! { "Filter" => "FlateDecode" },
                content,
            ))
        };
        let text = b"BT /F1 12 Tf (a) Tj ET".to_vec();
        let mut small = stream(deflate(&text));
        filter_streams((1, 0), &mut small);
        let small = small.as_stream().unwrap();
        assert_eq!(small.content, text);
        assert!(!small.dict.has(b"Filter"));
        let mut bomb = stream(deflate(&vec![b' '; MAX_INFLATED as usize + 1]));
        filter_streams((2, 0), &mut bomb);
        let bomb = bomb.as_stream().unwrap();
        assert!(bomb.content.is_empty() && bomb.dict.has(b"PeoBomb"));
    }

    #[test]
    fn inflating_stops_at_the_cap_through_every_flate_stage() {
        use std::io::Write;
        let deflate = |data: &[u8]| {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let once = deflate(&vec![b' '; 1 << 20]);
        let twice = deflate(&once);
        let flate: &[u8] = b"FlateDecode";
        let check = |filters: &[&[u8]], content: &[u8], cap: u64, expected: bool| {
            assert_eq!(inflates_within(filters, content, cap), expected, "{cap}");
        };
        check(&[flate], &once, 1 << 20, true);
        check(&[flate], &once, (1 << 20) - 1, false);
        check(&[flate, flate], &twice, 1 << 20, true);
        check(&[flate, flate], &twice, 1 << 16, false);
        // Other filters are not inflated here, and a stream without filters is as long as it is.
        check(&[b"LZWDecode"], &once, 1, true);
        check(&[], &once, 1, true);
    }

    /// The operations `scan_operations` reads, in a form to compare with lopdf's.
    fn summary(ops: &Operations) -> Vec<(String, String, Vec<Vec<u8>>)> {
        ops.ops
            .iter()
            .map(|op| {
                (
                    String::from_utf8_lossy(op.operator).into_owned(),
                    format!("{:?}", op.first),
                    ops.strings[op.strings.clone()]
                        .iter()
                        .map(|s| s.to_vec())
                        .collect(),
                )
            })
            .collect()
    }

    /// Checks that the scanner reads `content` as lopdf does (`None`: it leaves it to lopdf).
    fn check_scan(content: &[u8], expected: Option<usize>) {
        let scanned = scan_operations(content);
        assert_eq!(
            scanned.as_ref().map(|s| s.ops.len()),
            expected,
            "{}",
            String::from_utf8_lossy(content)
        );
        if let Some(scanned) = scanned {
            let decoded = lopdf::content::Content::decode(content).unwrap();
            assert_eq!(
                summary(&scanned),
                summary(&operations_of(&decoded)),
                "{}",
                String::from_utf8_lossy(content)
            );
        }
    }

    #[test]
    fn content_streams_are_scanned_as_lopdf_decodes_them() {
        check_scan(b"BT /F1 12 Tf 72 720 Td (Pagina 1) Tj ET", Some(5));
        // TJ arrays: strings counted at their own level, hex strings with an odd digit.
        check_scan(
            b"[(a) -20 <00490065> 3.5 (b)]TJ [[(x)] (y)] TJ <4>Tj",
            Some(3),
        );
        // Escapes, nested parentheses, line ends, octal.
        check_scan(
            b"(a\\(b\\)c (d) e\\\\f\\n\\101\\0011\\\nz\r\ny) Tj",
            Some(1),
        );
        check_scan(b"(\\351t\\351) ' 1 2 (x) \" T* 0 Tw 3 Tr", Some(5));
        // Marked content with a property dictionary, true, null and a real.
        check_scan(
            b"/Span <</MCID 3 /Alt (x) /K [1 2]>> BDC true null -.5 +2. d EMC",
            Some(3),
        );
        // Operands without an operator at the end are dropped.
        check_scan(b"q 1 0 0 1 0 0 cm Q 12 /F1", Some(3));
        check_scan(b"", Some(0));
        // What the scanner leaves to lopdf: a comment, an inline image, a name with an escape,
        // a token lopdf splits (d0 is d and 0 to it), a form feed between tokens.
        for content in [
            &b"% comment\nq Q"[..],
            b"q BI /W 1 /H 1 /CS /G /BPC 8 ID x EI Q",
            b"/F#201 12 Tf",
            b"0 0 d0",
            b"q\x0cQ",
            b"12Tf",
            b"[1 0 R] TJ",
        ] {
            check_scan(content, None);
        }
    }

    #[test]
    fn every_content_stream_of_the_corpus_is_scanned_as_lopdf_decodes_it() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut n_scanned = 0;
        for entry in std::fs::read_dir(&corpus).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let doc = open(&std::fs::read(&path).unwrap()).unwrap();
            let mut streams: Vec<Vec<u8>> = doc
                .get_pages()
                .values()
                .map(|&id| doc.get_page_content(id).unwrap())
                .collect();
            streams.extend(doc.objects.values().filter_map(|o| {
                let s = o.as_stream().ok()?;
                let form = s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok()? == b"Form";
                form.then(|| {
                    s.decompressed_content()
                        .unwrap_or_else(|_| s.content.clone())
                })
            }));
            for content in streams {
                let scanned = scan_operations(&content);
                let decoded = lopdf::content::Content::decode(&content).unwrap();
                let scanned =
                    scanned.unwrap_or_else(|| panic!("{}: left to lopdf", path.display()));
                assert_eq!(
                    summary(&scanned),
                    summary(&operations_of(&decoded)),
                    "{}",
                    path.display()
                );
                n_scanned += 1;
            }
        }
        assert!(n_scanned >= 60, "{n_scanned}");
    }

    /// Checks that pdf-extract's own content parser (`decode_content`, added in src/vendor)
    /// gives what lopdf gives, or leaves `content` to lopdf when `follows` is false.
    fn check_decode(content: &[u8], follows: bool) {
        let text = String::from_utf8_lossy(content);
        let fast = pdf_extract::decode_content(content);
        assert_eq!(fast.is_some(), follows, "{text}");
        if let Some(fast) = fast {
            let slow = lopdf::content::Content::decode(content).unwrap();
            let ops = |c: &lopdf::content::Content| -> Vec<(String, Vec<Object>)> {
                c.operations
                    .iter()
                    .map(|op| (op.operator.clone(), op.operands.clone()))
                    .collect()
            };
            assert_eq!(ops(&fast), ops(&slow), "{text}");
        }
    }

    #[test]
    fn content_streams_are_decoded_as_lopdf_decodes_them() {
        check_decode(b"BT /F1 12 Tf 72 720 Td (Pagina 1) Tj ET", true);
        // Numbers: signs, a point on either side, operators right after a number, d0.
        check_decode(
            b"q 1 0 0 -1 +.5 -3. cm 0.2 .8 1.0 rg 2 w 0 0 1d0 d1 Q",
            true,
        );
        // Strings: escapes, octal, line continuations, nesting, raw line ends, hex with blanks.
        check_decode(
            b"[(a\\\\b\\(c\\)) -20 (\\101\\7\\0053 \\n\\t\\q) 3.5 (x (y (z)) \\\\\r\n\\\nw)] TJ",
            true,
        );
        check_decode(b"<48 65\n6c6C 6F> Tj <4> Tj <> Tj (\\r\\b\\f) '", true);
        check_decode(b"/Name /Na.me-_1 /  /F1 12 Tf T* 2 3 \" [ 3 2 ] 0 d", true);
        // Operands left without an operator are dropped, as lopdf drops them.
        check_decode(b"BT ET 1 2", true);
        // Marked content with a dictionary; a repeated key keeps its place and takes the value.
        check_decode(
            b"/P <</MCID 0 /Lang (nl-NL)>> BDC EMC /Span<</MCID 1/MCID 2>>BDC EMC",
            true,
        );
        check_decode(b"", true);
        // Left to lopdf: comments, inline images, dictionaries, keywords that are objects, #
        // escapes, references in arrays, odd bytes, unfinished strings, overflowing integers.
        for content in [
            &b"% comment\nBT ET"[..],
            b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI",
            b"/P <</Ref 1 0 R>> BDC EMC",
            b"/P <</MCID true>> BDC EMC",
            b"true Tj",
            b"null Tj",
            b"/A#20B gs",
            b"[1 0 R] TJ",
            b"1 2 \x00 re",
            b"(abc Tj",
            b"99999999999999999999 Tw",
            b"- 1 Td",
            b"{ }",
        ] {
            check_decode(content, false);
        }
    }

    /// 20,000 inputs of up to `max_tokens` of `tokens` each, most followed by a space, drawn
    /// by a xorshift generator from `seed` (the same inputs on every run).
    fn random_inputs(tokens: &[&[u8]], max_tokens: u64, seed: u64) -> Vec<Vec<u8>> {
        let mut state = seed;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..20_000)
            .map(|_| {
                let mut input = Vec::new();
                for _ in 0..next() % max_tokens {
                    input.extend_from_slice(tokens[(next() % tokens.len() as u64) as usize]);
                    if next() % 3 > 0 {
                        input.push(b' ');
                    }
                }
                input
            })
            .collect()
    }

    #[test]
    fn random_content_streams_are_decoded_as_lopdf_decodes_them_or_left_to_it() {
        // Streams of random tokens, each picked from what content streams hold and from what
        // lopdf stops at: whatever the parser follows must come out as lopdf's.
        let tokens: &[&[u8]] = &[
            b"0",
            b"12",
            b"-3",
            b"+4",
            b"1.5",
            b"-.25",
            b"7.",
            b".",
            b"-",
            b"99999999999999999999",
            b"/F1",
            b"/A#20",
            b"/",
            b"(a)",
            b"(\\(x\\)\\101\\0)",
            b"(p (q) r)",
            b"(\\\r\n)",
            b"(unended",
            b"<4865>",
            b"<4 8 6>",
            b"<>",
            b"<zz>",
            b"[",
            b"]",
            b"<<",
            b">>",
            b"Tj",
            b"TJ",
            b"Tf",
            b"BT",
            b"ET",
            b"T*",
            b"'",
            b"\"",
            b"d0",
            b"BI",
            b"ID",
            b"EI",
            b"true",
            b"null",
            b"false",
            b"R",
            b"%c\n",
            b"{",
            b"}",
            b" ",
            b"\n",
            b"\r",
            b"\t",
            b"\0",
            b"\x0C",
            b")",
            b"\\",
        ];
        let (mut followed, mut left) = (0, 0);
        for content in random_inputs(tokens, 24, 0x9E37_79B9_7F4A_7C15) {
            match pdf_extract::decode_content(&content) {
                Some(_) => {
                    check_decode(&content, true);
                    followed += 1;
                }
                None => left += 1,
            }
        }
        assert!(
            followed > 1000 && left > 1000,
            "{followed} followed, {left} left"
        );
    }

    /// Checks that pdf-extract's own CMap reader (`read_unicode_map`, added in src/vendor)
    /// gives what adobe_cmap_parser gives, or leaves `cmap` to it when `follows` is false.
    fn check_cmap(cmap: &[u8], follows: bool) {
        let text = String::from_utf8_lossy(cmap);
        let fast = pdf_extract::read_unicode_map(cmap);
        assert_eq!(fast.is_some(), follows, "{text}");
        if let Some(fast) = fast {
            assert_eq!(Ok(fast), pdf_extract::published_unicode_map(cmap), "{text}");
        }
    }

    #[test]
    fn unicode_maps_are_read_as_adobe_cmap_parser_reads_them() {
        let head = "%!PS-Adobe-3.0 Resource-CMap\n%%DocumentNeededResources: ProcSet (CIDInit)\n\
            /CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <<\n\
            /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n\
            /CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
        let tail = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
        let cmap = |body: &str| format!("{head}{body}{tail}").into_bytes();
        check_cmap(
            &cmap("2 beginbfchar\n<0003> <0020>\n<0011> <00E9>\nendbfchar\n"),
            true,
        );
        // Ranges: a start of two and of four bytes, an array, a later entry winning.
        check_cmap(
            &cmap(
                "3 beginbfrange\n<0020> <0025> <0041>\n<0030> <0031> <D835DC00>\n\
                 <40><42>[<0061> <0062><00660066>]\nendbfrange\n1 beginbfchar <0020> <005A> endbfchar\n",
            ),
            true,
        );
        // A hex string with blanks between its bytes, tabs, CR LF, a dictionary inline.
        check_cmap(b"1 beginbfchar\r\n< 00 4 1 >\t<0 041>\r\nendbfchar", false);
        check_cmap(b"1 beginbfchar\r\n< 00 41 >\t<00 41>\r\nendbfchar", true);
        check_cmap(
            b"<</A [1 (b) <00>] /C <</D 2>>>> 1 beginbfchar <01> <0041> endbfchar",
            true,
        );
        // Left to adobe_cmap_parser, which would misread, refuse or panic on some of these.
        for cmap in [
            &b"beginbfchar <01> <0041> endbfchar"[..],
            b"/Count beginbfchar <01> <0041> endbfchar",
            b"2 beginbfchar <01> <0041> endbfchar",
            b"1 beginbfrange <00> <02> <004100> endbfrange",
            b"1 beginbfrange <0000> <0002> <FFFF> endbfrange",
            b"1 beginbfrange <00> <02> [<0041>] endbfrange",
            b"1.5 beginbfchar <01> <0041> endbfchar",
            b"1 beginbfchar (\\001) <0041> endbfchar",
            b"/A#20 1 beginbfchar <01> <0041> endbfchar",
            b"true 1 beginbfchar <01> <0041> endbfchar",
            b"1 beginbfchar <01> <0041> endbfchar\n%%EOF",
            b"1 beginbfchar <01> <0041> endbfchar { }",
            b"",
        ] {
            check_cmap(cmap, false);
        }
    }

    #[test]
    fn random_unicode_maps_are_read_as_adobe_cmap_parser_reads_them_or_left_to_it() {
        let tokens: &[&[u8]] = &[
            b"1",
            b"2",
            b"3",
            b"-1",
            b"12",
            b"beginbfchar",
            b"endbfchar",
            b"beginbfrange",
            b"endbfrange",
            b"<00>",
            b"<0041>",
            b"<00410042>",
            b"<FFFF>",
            b"<0>",
            b"< 00 >",
            b"[",
            b"]",
            b"<<",
            b">>",
            b"/Name",
            b"/A#20",
            b"(Adobe)",
            b"(a\\)",
            b"%c\n",
            b"%c",
            b"def",
            b"begincmap",
            b"true",
            b"1.5",
            b" ",
            b"\n",
            b"\r\n",
            b"\0",
            b"\x0C",
            b"{",
            b")",
        ];
        let (mut followed, mut left) = (0, 0);
        for cmap in random_inputs(tokens, 16, 0x2545_F491_4F6C_DD1D) {
            match pdf_extract::read_unicode_map(&cmap) {
                Some(_) => {
                    check_cmap(&cmap, true);
                    followed += 1;
                }
                None => left += 1,
            }
        }
        assert!(
            followed > 1000 && left > 1000,
            "{followed} followed, {left} left"
        );
    }

    #[test]
    fn every_unicode_map_of_the_corpus_is_read_as_adobe_cmap_parser_reads_it() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut n = 0;
        for entry in std::fs::read_dir(&corpus).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let doc = open(&std::fs::read(&path).unwrap()).unwrap();
            let mut maps = std::collections::BTreeSet::new();
            for obj in doc.objects.values() {
                to_unicode_refs(obj, &mut maps, 0);
            }
            for id in maps {
                let stream = doc.get_object(id).unwrap().as_stream().unwrap();
                check_cmap(&stream.decompressed_content().unwrap(), true);
                n += 1;
            }
        }
        assert!(n >= 20, "{n}");
    }

    #[test]
    fn every_content_stream_of_the_corpus_is_decoded_as_lopdf_decodes_it() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut n = 0;
        for entry in std::fs::read_dir(&corpus).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let doc = open(&std::fs::read(&path).unwrap()).unwrap();
            for id in doc.get_pages().values() {
                check_decode(&doc.get_page_content(*id).unwrap(), true);
                n += 1;
            }
        }
        assert!(n >= 60, "{n}");
    }

    #[test]
    fn glyphs_are_bold_and_italic_where_their_font_is() {
        let mut doc = PdfDocument::with_version("1.7");
        let regular = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
        );
        let bold = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "DAAAAA+Helvetica-Bold" },
        );
        // By its weight, whatever its name.
        let descriptor =
            doc.add_object(dictionary! { "Type" => "FontDescriptor", "FontWeight" => 700 });
        let heavy = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Frutiger", "FontDescriptor" => descriptor,
        });
        // Italic by its name, or by the slant its descriptor gives.
        let oblique = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "EAAAAA+DejaVuSans-Oblique" },
        );
        let slanted =
            doc.add_object(dictionary! { "Type" => "FontDescriptor", "ItalicAngle" => -12 });
        let slanted = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Minion", "FontDescriptor" => slanted,
        });
        let fonts = dictionary! { "F1" => regular, "F2" => bold, "F3" => heavy, "F4" => oblique, "F5" => slanted };
        // A form is drawn with a font state of its own: "e" in its own /F2, "f" in no font set.
        let form = doc.add_object(lopdf::Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => dictionary! { "Font" => fonts.clone() } },
            b"BT /F2 10 Tf 72 600 Td (e) Tj ET".to_vec(),
        ));
        // The font of Tf is restored by Q; each string of a TJ array is a run of its own.
        let pages = [
            b"BT /F1 10 Tf 72 720 Td (a) Tj q /F2 10 Tf [(b) -20 (c)] TJ Q (d) Tj ET /Fm1 Do"
                .to_vec(),
            b"BT /F3 10 Tf 72 720 Td (g) Tj /F1 10 Tf (h) Tj /F4 10 Tf (i) Tj /F5 10 Tf (j) Tj ET"
                .to_vec(),
        ];
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for content in pages {
            let content_id = doc.add_object(lopdf::Stream::new(dictionary! {}, content));
            kids.push(Object::from(doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Contents" => content_id,
                "Resources" => dictionary! { "Font" => fonts.clone(), "XObject" => dictionary! { "Fm1" => form } },
            })));
        }
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let read = read(&bytes).unwrap();
        let glyphs: Vec<Vec<(&str, bool)>> = read
            .pages
            .iter()
            .map(|p| p.glyphs.iter().map(|g| (g.text.as_str(), g.bold)).collect())
            .collect();
        let italic: Vec<&str> = read.pages[1]
            .glyphs
            .iter()
            .filter(|g| g.italic)
            .map(|g| g.text.as_str())
            .collect();
        assert_eq!(italic, ["i", "j"]);
        assert_eq!(
            glyphs,
            [
                vec![
                    ("a", false),
                    ("b", true),
                    ("c", true),
                    ("d", false),
                    ("e", true)
                ],
                vec![("g", true), ("h", false), ("i", false), ("j", false)],
            ]
        );
    }

    #[test]
    fn width_ranges_of_cid_fonts_are_expanded_into_lists() {
        let mut doc = PdfDocument::with_version("1.7");
        let w = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(500), Object::Integer(600)]),
            Object::Integer(10),
            Object::Integer(12),
            Object::Integer(556),
        ];
        let font =
            doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "CIDFontType2", "W" => w });
        expand_cid_width_ranges(&mut doc);
        let got = doc
            .get_dictionary(font)
            .unwrap()
            .get(b"W")
            .unwrap()
            .as_array()
            .unwrap()
            .clone();
        let n = |i: i64| Object::Integer(i);
        assert_eq!(
            got,
            vec![
                n(3),
                Object::Array(vec![n(500), n(600)]),
                n(10),
                Object::Array(vec![n(556), n(556), n(556)])
            ]
        );
    }
}

/// The pixels of a page's image, for OCR.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    pub encoding: ImageEncoding,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageEncoding {
    /// A JPEG file as it is (DCTDecode).
    Jpeg,
    /// Raw 8-bit samples, 1 (gray) or 3 (RGB) per pixel.
    Raw { components: u8 },
}

/// The largest image each listed page draws (also inside form XObjects), for pages scanned
/// without a text layer, or why it is not read (an image larger than `MAX_IMAGE`, or one whose
/// data inflates to more than its size says). Loads the PDF again with its image data, so call
/// it only for pages that need OCR.
pub fn page_images(bytes: &[u8], pages: &[u32]) -> Vec<(u32, Result<PageImage, String>)> {
    let loaded = quietly(|| PdfDocument::load_mem(bytes))
        .ok()
        .and_then(Result::ok);
    let loaded = loaded.filter(|doc| !doc.get_pages().is_empty());
    let Some(doc) = loaded.or_else(|| {
        let resaved = resave(bytes)?;
        quietly(|| PdfDocument::load_mem(&resaved)).ok()?.ok()
    }) else {
        return Vec::new();
    };
    let page_ids = doc.get_pages();
    let mut out = Vec::new();
    for &number in pages {
        let Some(&page_id) = page_ids.get(&number) else {
            continue;
        };
        let Ok((resources, inherited)) = doc.get_page_resources(page_id) else {
            continue;
        };
        let mut best: Option<Result<PageImage, String>> = None;
        let dicts: Vec<&lopdf::Dictionary> = resources
            .into_iter()
            .chain(
                inherited
                    .iter()
                    .filter_map(|id| doc.get_dictionary(*id).ok()),
            )
            .collect();
        for res in dicts {
            collect_images(&doc, res, 0, &mut best);
        }
        if let Some(img) = best {
            out.push((number, img));
        }
    }
    out
}

fn collect_images(
    doc: &PdfDocument,
    resources: &lopdf::Dictionary,
    depth: u32,
    best: &mut Option<Result<PageImage, String>>,
) {
    if depth > 3 {
        return;
    }
    let xobjects = match resources.get(b"XObject") {
        Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let Some(xobjects) = xobjects else { return };
    for (_, x) in xobjects.iter() {
        let Ok(id) = x.as_reference() else { continue };
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        let dict = &stream.dict;
        let subtype = dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .unwrap_or(b"");
        if subtype == b"Form" {
            let inner = match dict.get(b"Resources") {
                Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
                Ok(Object::Dictionary(d)) => Some(d),
                _ => None,
            };
            if let Some(inner) = inner {
                collect_images(doc, inner, depth + 1, best);
            }
            continue;
        }
        if subtype != b"Image" {
            continue;
        }
        let num = |k: &[u8]| dict.get(k).and_then(|o| o.as_i64()).unwrap_or(0);
        let (width, height) = (num(b"Width").max(0) as u32, num(b"Height").max(0) as u32);
        let area = width as u64 * height as u64;
        let best_area = |b: &Result<PageImage, String>| match b {
            Ok(b) => b.width as u64 * b.height as u64,
            Err(_) => 0,
        };
        if best.as_ref().is_some_and(|b| best_area(b) >= area) {
            continue;
        }
        let filters: Vec<Vec<u8>> = match dict.get(b"Filter") {
            Ok(Object::Name(n)) => vec![n.clone()],
            Ok(Object::Array(a)) => a
                .iter()
                .filter_map(|o| o.as_name().ok().map(|n| n.to_vec()))
                .collect(),
            _ => Vec::new(),
        };
        let components = match dict.get(b"ColorSpace").and_then(|c| c.as_name()) {
            Ok(b"DeviceGray") => 1,
            Ok(b"DeviceRGB") => 3,
            _ => 0,
        };
        // Samples are counted as RGB where the colour space is unknown (JPEG).
        let samples = area
            * if components == 0 {
                3
            } else {
                components as u64
            };
        if samples > MAX_IMAGE {
            *best = Some(Err(format!(
                "its image of {width} x {height} pixels is larger than OCR reads ({} MiB)",
                MAX_IMAGE >> 20
            )));
            continue;
        }
        let image = if filters.last().is_some_and(|f| f == b"DCTDecode") {
            let data = if filters.len() == 1 {
                Some(stream.content.clone())
            } else {
                None
            };
            data.map(|data| PageImage {
                width,
                height,
                encoding: ImageEncoding::Jpeg,
                data,
            })
        } else if num(b"BitsPerComponent") == 8 && components > 0 {
            // Room for the filter byte a PNG predictor puts before every row.
            let filters: Vec<&[u8]> = filters.iter().map(Vec::as_slice).collect();
            if !inflates_within(&filters, &stream.content, samples + height as u64) {
                *best = Some(Err(format!(
                    "its image data inflates to more than its {width} x {height} pixels (a decompression bomb)"
                )));
                continue;
            }
            let data = stream
                .decompressed_content()
                .ok()
                .or_else(|| filters.is_empty().then(|| stream.content.clone()));
            data.filter(|d| d.len() as u64 >= samples)
                .map(|data| PageImage {
                    width,
                    height,
                    encoding: ImageEncoding::Raw {
                        components: components as u8,
                    },
                    data,
                })
        } else {
            None
        };
        if let Some(image) = image {
            *best = Some(Ok(image));
        }
    }
}
