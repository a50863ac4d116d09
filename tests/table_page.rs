//! A statistical-table page made in code, for the layout bench (`bench table`) and its test
//! (tests/it/layout_scale.rs): a label column ("Regio 17") and value columns of short numbers
//! ("42", "7,3", "12%"), one row per baseline, as a PDF of key figures sets them, in glyphs as
//! the extractor gives them. Large enough a page, it is where layout's cost in the number of its
//! words shows. Also a page of one crowded line (`crowded_line`), where the cost in the words of
//! one line shows.

use peo::model::{Glyph, RawPage};

/// The size of the type, in points, and the height of a row.
const SIZE: f32 = 8.0;
const ROW: f32 = 11.0;
/// The width of a value column and of the label column.
const COLUMN: f32 = 40.0;
const LABEL: f32 = 90.0;

/// The text of the label of row `r`.
pub fn label(r: usize) -> String {
    format!("Regio {}", r + 1)
}

/// The text of the value in row `r`, column `c` (short numbers of three kinds).
pub fn value(r: usize, c: usize) -> String {
    let k = r * 31 + c * 7;
    match k % 3 {
        0 => format!("{}", k % 997),
        1 => format!("{},{}", k % 89, k % 10),
        _ => format!("{}%", k % 100),
    }
}

/// A page of `rows` rows of a label and `columns` values each (`rows × (columns + 1)` cells),
/// under a header row that names the columns.
pub fn table_page(rows: usize, columns: usize) -> RawPage {
    let width = 72.0 + LABEL + COLUMN * columns as f32 + 72.0;
    let height = 72.0 + ROW * (rows + 1) as f32 + 72.0;
    let mut glyphs = Vec::new();
    let mut run = 0;
    let mut put = |text: &str, x: f32, y: f32, glyphs: &mut Vec<Glyph>| {
        run += 1;
        let mut x = x;
        for ch in text.chars() {
            let w = if ch == ' ' { 0.28 * SIZE } else { 0.5 * SIZE };
            glyphs.push(Glyph {
                x,
                y,
                width: w,
                size: SIZE,
                text: ch.to_string(),
                run,
                bold: false,
                italic: false,
                marked: Default::default(),
            });
            x += w;
        }
    };
    let top = 72.0 + ROW;
    for c in 0..columns {
        put(
            &format!("J{}", 2000 + c),
            72.0 + LABEL + COLUMN * c as f32,
            top,
            &mut glyphs,
        );
    }
    for r in 0..rows {
        let y = top + ROW * (r + 1) as f32;
        put(&label(r), 72.0, y, &mut glyphs);
        for c in 0..columns {
            put(
                &value(r, c),
                72.0 + LABEL + COLUMN * c as f32,
                y,
                &mut glyphs,
            );
        }
    }
    RawPage {
        number: 1,
        width,
        height,
        glyphs,
        ..RawPage::default()
    }
}

/// A page of one line of `words` words "ab", each drawn 2 points after the one before though
/// 4 points wide, so that every word overlaps the next, as a negative character spacing (`Tc`)
/// sets a string: one line of far more words than a page holds, as a broken or hostile PDF
/// gives it. The page is as wide as the line.
pub fn crowded_line(words: usize) -> RawPage {
    let mut glyphs = Vec::with_capacity(3 * words);
    for k in 0..words {
        let x = 72.0 + 2.0 * k as f32;
        for (dx, text) in [(0.0, "a"), (0.01, "b"), (0.02, " ")] {
            glyphs.push(Glyph {
                x: x + dx,
                y: 400.0,
                width: if text == " " { 0.28 * SIZE } else { 0.5 * SIZE },
                size: SIZE,
                text: text.to_string(),
                run: 1,
                bold: false,
                italic: false,
                marked: Default::default(),
            });
        }
    }
    RawPage {
        number: 1,
        width: 144.0 + 2.0 * words as f32,
        height: 842.0,
        glyphs,
        ..RawPage::default()
    }
}
