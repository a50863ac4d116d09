//! Pages for the fuzz targets, read from arbitrary bytes in the line format of
//! `peo extract --format lines` (`page block size flags x0 top text`, flags `B` boxed, `L` list
//! item, `W` bold), so that real extractor
//! output is a seed and libFuzzer's mutations of it stay close to what the stages see.
//!
//! Invariant: every input gives pages, never an error: a line whose fields do not parse is
//! text in the block of the line before it, and numbers are taken as they parse, NaN and
//! infinities included (the stages must survive whatever geometry a PDF gives).

use peo::model::{CleanPage, LaidPage, Line};

/// The page size of every page, A4 in points.
const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;

/// The pages the lines of `data` describe, in the order their page numbers first appear.
pub fn laid_pages(data: &[u8]) -> Vec<LaidPage> {
    let text = String::from_utf8_lossy(data);
    let mut pages: Vec<LaidPage> = Vec::new();
    let mut last = (1u32, 0u32, 10.0f32, 50.0f32, 50.0f32);
    for raw in text.lines() {
        let fields: Vec<&str> = raw.split_whitespace().take(6).collect();
        let parsed = match fields[..] {
            [page, block, size, flags, x0, top] => match (
                page.parse::<u32>(),
                block.parse::<u32>(),
                size.parse::<f32>(),
                x0.parse::<f32>(),
                top.parse::<f32>(),
            ) {
                (Ok(p), Ok(b), Ok(s), Ok(x), Ok(t)) => Some((p, b, s, x, t, flags, after(raw, 6))),
                _ => None,
            },
            _ => None,
        };
        let (page, block, size, x0, top, flags, line_text) = match parsed {
            Some(p) => p,
            None => {
                let (page, block, size, x0, top) = last;
                (page, block, size, x0, top + size * 1.2, "--", raw)
            }
        };
        last = (page, block, size, x0, top);
        let line = Line {
            text: line_text.to_string(),
            x0,
            x1: x0 + line_text.chars().count() as f32 * size * 0.5,
            top,
            bottom: top + size,
            size,
            block,
            boxed: flags.contains('B'),
            list_item: flags.contains('L'),
            bold: flags.contains('W'),
            italic: flags.contains('I'),
            cells: Vec::new(),
            tag: None,
        };
        match pages.iter_mut().find(|p| p.number == page) {
            Some(p) => p.lines.push(line),
            None => pages.push(LaidPage {
                number: page,
                width: WIDTH,
                height: HEIGHT,
                lines: vec![line],
                ocr: false,
            }),
        }
    }
    pages
}

/// The same pages as the segmenter takes them, each labelled with its number.
pub fn clean_pages(data: &[u8]) -> Vec<CleanPage> {
    laid_pages(data)
        .into_iter()
        .map(|p| CleanPage {
            number: p.number,
            label: p.number.to_string(),
            lines: p.lines,
        })
        .collect()
}

/// What follows the first `n` white-space separated fields of `line`.
fn after(line: &str, n: usize) -> &str {
    let mut rest = line.trim_start();
    for _ in 0..n {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest = rest[end..].trim_start();
    }
    rest
}

/// The characters a fuzzed glyph is drawn as: letters, digits, and the marks layout and
/// normalisation look at.
const GLYPH_TEXTS: [&str; 24] = [
    "a", "e", "n", "A", "T", "0", "1", "7", " ", "\u{a0}", "\u{ad}", "-", ":", ".", ",", "%",
    "•", "“", "”", "ﬁ", "", "N=", "|", "(",
];

/// Glyphs and rectangles from arbitrary bytes: a record of 18 bytes is a glyph (x, y, width and
/// size as f32, little-endian, then its run and its text by `GLYPH_TEXTS`), one that begins
/// with 0xFF and holds 16 bytes more a rectangle (x0, y0, x1, y1). Every float a bit pattern
/// gives is taken as it is, NaN and infinities included.
pub fn glyphs_and_rects(data: &[u8]) -> (Vec<peo::model::Glyph>, Vec<peo::model::Rect>) {
    let float = |b: &[u8]| f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let mut glyphs = Vec::new();
    let mut rects = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        if rest[0] == 0xFF && rest.len() >= 17 {
            let r = &rest[1..17];
            rects.push(peo::model::Rect {
                x0: float(&r[0..4]),
                y0: float(&r[4..8]),
                x1: float(&r[8..12]),
                y1: float(&r[12..16]),
            });
            rest = &rest[17..];
        } else if rest.len() >= 18 {
            let g = &rest[..18];
            glyphs.push(peo::model::Glyph {
                x: float(&g[0..4]),
                y: float(&g[4..8]),
                width: float(&g[8..12]),
                size: float(&g[12..16]),
                run: u32::from(g[16]),
                text: GLYPH_TEXTS[usize::from(g[17]) % GLYPH_TEXTS.len()].to_string(),
                bold: g[17] & 0x80 != 0,
                italic: g[17] & 0x40 != 0,
                marked: peo::model::Marked::default(),
            });
            rest = &rest[18..];
        } else {
            break;
        }
    }
    (glyphs, rects)
}
