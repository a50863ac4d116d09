//! `RawPage` → `LaidPage`: glyphs become words, words become line fragments, fragments are put
//! in reading order by geometry and grouped into blocks.
//!
//! Invariant: pure and total: no I/O, never fails; every glyph that is not white space ends up
//! in exactly one line.
//!
//! Reading order follows Breuel's rules for text lines (2003): a line comes before another if
//! they overlap horizontally and it is above, or if it lies entirely to the left and no third
//! line between them in height spans both. That puts columns one after the other, keeps a
//! full-width heading or box between the column sets above and below it, and undoes the
//! line-by-line interleaving of columns that OCR engines produce, since each OCR word keeps its
//! position.
//!
//! Cards of a grid are the exception: a person reads them row by row. Where a band of white
//! space crosses the page under which two or more columns begin new things at one height, the
//! page is cut into rows first (`grid_rows`), and each row is ordered by the rules above.
//!
//! A tagged PDF says its reading order itself: where its structure tree marks nearly all the
//! text of a page, the lines follow the tree (the order of their elements), and geometry orders
//! only the lines of one element and those the tree leaves out.

// An index out of bounds is a panic that costs the user the file: `cargo clippy` shows every
// place that indexes, so a new one is looked at (`get`, `first`, iterators) or known safe.
#![warn(clippy::indexing_slicing)]

use std::collections::HashSet;

use crate::model::{Glyph, LaidPage, Line, LineTag, Marked, RawPage, Rect, StructRole, Structure};

/// The share of a page's text that its structure tree must mark for its order to be used.
const TREE_COVERAGE: f32 = 0.9;

/// A word: glyphs that touch on one baseline.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    /// Every glyph of the word is bold.
    bold: bool,
    /// Every glyph of the word is italic.
    italic: bool,
    /// The structure element its first glyph belongs to (tagged PDF): its index is its place in
    /// the tree's order.
    element: Option<u32>,
    /// The block-level element (paragraph, heading, list item, cell...) that holds it, when the
    /// page is laid out with its structure tree.
    unit: Option<u32>,
}

/// Lays out one page of a PDF without a structure tree.
pub fn lay_out(page: &RawPage) -> LaidPage {
    lay_out_tagged(page, None)
}

/// Lays out one page; where the PDF has a structure tree, each line takes the element that
/// marks most of its text (`Line::tag`).
pub fn lay_out_tagged(page: &RawPage, structure: Option<&Structure>) -> LaidPage {
    // What a tagged page marks as an artifact (running headers and footers, page numbers,
    // decoration) is furniture, not text of the document.
    let content: Vec<Glyph>;
    let glyphs = if structure.is_some() && tree_covers(&page.glyphs) {
        content = page
            .glyphs
            .iter()
            .filter(|g| g.marked != Marked::Artifact)
            .cloned()
            .collect();
        &content
    } else {
        &page.glyphs
    };
    let mut words = words(glyphs);
    if let Some(structure) = structure {
        for w in &mut words {
            w.unit = w.element.and_then(|e| structure.block_of(e));
        }
    }
    let fragments = fragments(&words);
    let tables = tables(&fragments);
    // A table is read as one unit: ordered by its bounding box among the other lines, then
    // row by row.
    let mut in_table = vec![false; fragments.len()];
    for t in &tables {
        for &i in t.rows.iter().flatten().flatten() {
            in_table[i] = true;
        }
    }
    let mut units: Vec<Fragment> = Vec::new();
    let mut unit_of: Vec<Result<usize, usize>> = Vec::new();
    for (i, f) in fragments.iter().enumerate() {
        if !in_table[i] {
            units.push(f.clone());
            unit_of.push(Ok(i));
        }
    }
    for (t, table) in tables.iter().enumerate() {
        units.push(table.bounds.clone());
        unit_of.push(Err(t));
    }
    let mut ordered: Vec<Fragment> = Vec::new();
    let mut cells: Vec<Vec<String>> = Vec::new();
    let boxes = text_boxes(&page.rects, page.width, page.height);
    let mut order = rows_then_reading_order(&units, &boxes);
    if tree_covers(&page.glyphs) {
        follow_tree(&mut order, &units);
    }
    for u in order {
        match unit_of[u] {
            Ok(i) => {
                ordered.push(fragments[i].clone());
                cells.push(Vec::new());
            }
            Err(t) => {
                for row in &tables[t].rows {
                    let (line, row_cells) = table_row(&fragments, row);
                    ordered.push(line);
                    cells.push(row_cells);
                }
            }
        }
    }
    let marks = bullet_marks(&page.rects);
    let mut lines = blocks(&ordered, &cells, &boxes, &marks, page.ocr);
    if let Some(structure) = structure {
        for (line, f) in lines.iter_mut().zip(&ordered) {
            line.tag = line_tag(f, structure);
        }
    }
    LaidPage {
        number: page.number,
        width: page.width,
        height: page.height,
        lines,
        ocr: page.ocr,
    }
}

/// The element that marks most of the characters of a line, with what the tree says of it.
fn line_tag(f: &Fragment, structure: &Structure) -> Option<LineTag> {
    let mut count: Vec<(u32, usize)> = Vec::new();
    for w in &f.words {
        let Some(e) = w.element else { continue };
        let n = w.text.chars().count();
        match count.iter_mut().find(|(x, _)| *x == e) {
            Some((_, c)) => *c += n,
            None => count.push((e, n)),
        }
    }
    let (element, _) = count
        .into_iter()
        .max_by_key(|&(e, n)| (n, std::cmp::Reverse(e)))?;
    let (_, role) = structure.role_of(element)?;
    Some(LineTag {
        element,
        role,
        quote: structure
            .within(element, StructRole::BlockQuote)
            .or_else(|| structure.within(element, StructRole::Quote)),
        item: structure.within(element, StructRole::ListItem),
    })
}

/// Whether the structure tree marks nearly all the text of the page (artifacts aside).
fn tree_covers(glyphs: &[Glyph]) -> bool {
    let (mut text, mut marked) = (0usize, 0usize);
    for g in glyphs {
        match g.marked {
            Marked::Artifact => {}
            Marked::Element(_) => {
                text += 1;
                marked += 1;
            }
            Marked::None => text += 1,
        }
    }
    text > 0 && marked as f32 >= TREE_COVERAGE * text as f32
}

/// Puts the units of a page, in their geometric `order`, in the order of the structure tree:
/// by the first element of each unit, keeping the geometric order among the units of one
/// element. A unit the tree leaves out stays after the unit geometry put before it.
fn follow_tree(order: &mut [usize], units: &[Fragment]) {
    let mut last = 0u32;
    let mut keyed: Vec<(u32, usize)> = order
        .iter()
        .map(|&u| {
            if let Some(e) = units[u].words.iter().filter_map(|w| w.element).min() {
                last = e;
            }
            (last, u)
        })
        .collect();
    keyed.sort_by_key(|&(element, _)| element);
    for (slot, (_, u)) in order.iter_mut().zip(keyed) {
        *slot = u;
    }
}

/// Groups glyphs into words. Where the producer draws its spaces (most do), a word ends only
/// at a space that advances the pen or at a wide gap, because glyph widths from font tables are
/// not always right (letter-spaced capitals would fall apart). A "space" that does not advance
/// is a soft hyphen some producers emit at every possible break, not a word boundary.
fn words(glyphs: &[Glyph]) -> Vec<Word> {
    let is_blank = |g: &Glyph| g.text.chars().all(|c| c.is_whitespace() || c == '\0');
    let n_blank = glyphs.iter().filter(|g| is_blank(g)).count();
    let explicit_spaces = n_blank * 30 >= glyphs.len() && n_blank > 0;
    let mut words: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    let mut pending_space: Option<&Glyph> = None;
    for g in glyphs {
        if is_blank(g) {
            pending_space = Some(g);
            continue;
        }
        let joins = match &current {
            Some(w) => {
                let size = w.size.min(g.size).max(1.0);
                let same_line = (g.y - w.y).abs() <= 0.3 * size;
                let gap = g.x - w.x1;
                let space_advanced = pending_space.is_some_and(|s| {
                    g.x - s.x > 0.5 * s.width.max(0.1 * size) || (g.y - s.y).abs() > 0.3 * size
                });
                let max_gap = if explicit_spaces { 0.6 } else { 0.12 };
                same_line && gap <= max_gap * size && gap >= -0.5 * size && !space_advanced
            }
            None => false,
        };
        pending_space = None;
        if !joins {
            if let Some(w) = current.take() {
                words.push(w);
            }
        }
        match &mut current {
            Some(w) => {
                w.text.push_str(&g.text);
                w.x1 = w.x1.max(g.x + g.width);
                w.size = w.size.max(g.size);
                w.bold &= g.bold;
                w.italic &= g.italic;
            }
            None => {
                current = Some(Word {
                    text: g.text.clone(),
                    x0: g.x,
                    x1: g.x + g.width,
                    y: g.y,
                    size: g.size,
                    bold: g.bold,
                    italic: g.italic,
                    element: match g.marked {
                        Marked::Element(i) => Some(i),
                        _ => None,
                    },
                    unit: None,
                })
            }
        }
    }
    words.extend(current);
    words
}

/// Words on one baseline, close enough to be read as one line of one column.
#[derive(Debug, Clone)]
struct Fragment {
    words: Vec<Word>,
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    size: f32,
    /// The sum of size × characters and the sum of characters over `words`, and the characters
    /// of the longest word: `push` keeps `size` and `bottom` from them in constant time, so a
    /// line of n words costs n, not n², however many words a PDF sets on one line.
    weighted_size: f32,
    chars: f32,
    longest: usize,
}

impl Fragment {
    fn new(w: Word) -> Fragment {
        let longest = w.text.chars().count();
        let chars = longest as f32;
        Fragment {
            x0: w.x0,
            x1: w.x1,
            top: w.y - w.size * 0.8,
            bottom: w.y,
            size: w.size,
            weighted_size: 0.0 + w.size * chars,
            chars,
            longest,
            words: vec![w],
        }
    }

    fn mid(&self) -> f32 {
        (self.top + self.bottom) / 2.0
    }

    fn push(&mut self, w: Word) {
        self.x0 = self.x0.min(w.x0);
        self.x1 = self.x1.max(w.x1);
        self.top = self.top.min(w.y - w.size * 0.8);
        // The dominant size, weighted by characters, so a footnote mark does not count.
        let count = w.text.chars().count();
        let chars = count as f32;
        self.weighted_size += w.size * chars;
        self.chars += chars;
        if self.chars > 0.0 {
            self.size = self.weighted_size / self.chars;
        }
        // The baseline of the longest word (the last of the longest).
        if count >= self.longest || self.words.is_empty() {
            self.longest = count;
            self.bottom = w.y;
        }
        self.words.push(w);
    }

    fn text(&self) -> String {
        let parts: Vec<&str> = self.words.iter().map(|w| w.text.as_str()).collect();
        parts.join(" ")
    }

    fn bold(&self) -> bool {
        self.words.iter().all(|w| w.bold)
    }

    fn italic(&self) -> bool {
        self.words.iter().all(|w| w.italic)
    }
}

/// Groups words into line fragments. Words are taken in the order the PDF draws them, which
/// keeps skewed OCR lines together; then pieces of one line are joined unless the gap between
/// them is a gutter between columns.
fn fragments(words: &[Word]) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    for w in words {
        if let Some(f) = out.last_mut() {
            let last = f.words.last().expect("fragments are never empty");
            let size = last.size.min(w.size).max(1.0);
            let same_line = (w.y - last.y).abs() <= 0.45 * size;
            let gap = w.x0 - last.x1;
            let smaller = if w.size < last.size { w } else { last };
            let apart =
                set_apart(last.size, w.size, std::slice::from_ref(smaller)) || other_units(last, w);
            if same_line && gap >= -0.3 * size && gap <= 0.9 * size.max(last.size) && !apart {
                f.push(w.clone());
                continue;
            }
        }
        out.push(Fragment::new(w.clone()));
    }
    merge_line_pieces(out)
}

/// Whether two words stand in different block-level elements of a tagged PDF: one line never
/// runs from one paragraph, heading or list item into another, however close they are set
/// (two list items side by side in neighbouring columns).
fn other_units(a: &Word, b: &Word) -> bool {
    matches!((a.unit, b.unit), (Some(x), Some(y)) if x != y)
}

/// Whether two pieces on one baseline differ so much in size that they are not one line: a
/// key figure set large beside the words of its statement. A small mark beside large type (a
/// footnote number, a "%" set smaller) still belongs to it: `smaller` has letters to be text.
fn set_apart(a: f32, b: f32, smaller: &[Word]) -> bool {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    hi >= 1.8 * lo.max(0.1)
        && smaller
            .iter()
            .flat_map(|w| w.text.chars())
            .filter(|c| c.is_alphabetic())
            .nth(1)
            .is_some()
}

/// Whether the gap between `a` and its right neighbour `b` on one line runs on through the lines
/// just above and below: a gutter between columns. The wide gaps of justified text, a heading
/// number set apart or a superscript do not: neighbouring lines cover them, or there are none.
fn is_gutter(frags: &[Fragment], band: &[usize], a: usize, b: usize) -> bool {
    let (fa, fb) = (&frags[a], &frags[b]);
    let size = fa.size.max(fb.size).max(1.0);
    let mid = (fa.x1 + fb.x0) / 2.0;
    let neighbours: Vec<&Fragment> = band
        .iter()
        .filter(|&&k| {
            let f = &frags[k];
            let dy = (f.bottom - fa.bottom).abs();
            k != a && k != b && dy >= 0.5 * size && dy <= 2.6 * size && f.x1 > fa.x0 && f.x0 < fb.x1
        })
        .map(|&k| &frags[k])
        .collect();
    let covered = neighbours
        .iter()
        .any(|f| f.x0 < mid - 0.1 * size && f.x1 > mid + 0.1 * size);
    // A column on the right goes on in the lines around; a word that only sticks out past the
    // ends of the lines around (the last word of a skewed OCR line) has none.
    let right_column = neighbours.iter().any(|f| f.x0 >= mid);
    !covered && right_column
}

/// A fragment that is only a list number or bullet.
fn is_list_marker(f: &Fragment) -> bool {
    // Four words or more make at least seven characters, neither a number of three nor a
    // bullet: a long fragment is answered without joining its text.
    if f.words.len() > 3 {
        return false;
    }
    let t = f.text();
    let digits = t.trim_end_matches(['.', ')']);
    (t.chars().count() <= 3
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && t.len() > digits.len())
        || ["•", "●", "▪", "■", "◦", "○", "–", "-"].contains(&t.as_str())
}

/// The fragments whose baselines lie within `reach` of `y`, from `order` (fragment indices
/// sorted by baseline).
fn band<'a>(frags: &[Fragment], order: &'a [usize], y: f32, reach: f32) -> &'a [usize] {
    let lo = order.partition_point(|&k| frags[k].bottom < y - reach);
    let hi = order.partition_point(|&k| frags[k].bottom <= y + reach);
    &order[lo..hi]
}

/// Joins the pieces of one line: each fragment takes its nearest right neighbour on the same
/// baseline while the gap between them is narrow, or is not a gutter. Only fragments near in
/// height are compared, so a page costs about n·k² for k fragments per band of lines.
fn merge_line_pieces(frags: Vec<Fragment>) -> Vec<Fragment> {
    let mut frags = frags;
    loop {
        let max_size = frags.iter().map(|f| f.size).fold(1.0f32, f32::max);
        let mut order: Vec<usize> = (0..frags.len()).collect();
        // A total order: with a NaN baseline, `partial_cmp` gives none, and sorting panics.
        order.sort_by(|&a, &b| frags[a].bottom.total_cmp(&frags[b].bottom));
        let mut removed = vec![false; frags.len()];
        let mut merged_any = false;
        for a in 0..frags.len() {
            if removed[a] {
                continue;
            }
            loop {
                let fa = &frags[a];
                let a_marker = is_list_marker(fa);
                let near = band(&frags, &order, fa.bottom, 0.7 * max_size);
                // The nearest fragment to the right on the same line: none can stand between.
                let next = near
                    .iter()
                    .copied()
                    .filter(|&b| b != a && !removed[b])
                    .filter(|&b| {
                        let fb = &frags[b];
                        let size = fa.size.min(fb.size).max(1.0);
                        let marker =
                            a_marker && (fa.mid() - fb.mid()).abs() <= 0.7 * fa.size.max(fb.size);
                        let same_line = (fa.bottom - fb.bottom).abs() <= 0.45 * size || marker;
                        let gap = fb.x0 - fa.x1;
                        let smaller = if fa.size < fb.size { fa } else { fb };
                        same_line
                            && gap >= -0.3 * size
                            && gap <= 3.0 * size.max(fa.size)
                            && !set_apart(fa.size, fb.size, &smaller.words)
                    })
                    .min_by(|&x, &y| {
                        frags[x]
                            .x0
                            .partial_cmp(&frags[y].x0)
                            .unwrap_or(std::cmp::Ordering::Equal)
                    });
                let Some(b) = next else { break };
                let fb = &frags[b];
                if let (Some(last), Some(first)) = (fa.words.last(), fb.words.first()) {
                    if other_units(last, first) {
                        break;
                    }
                }
                let size = fa.size.min(fb.size).max(1.0);
                let gap = fb.x0 - fa.x1;
                let marker = a_marker && (fa.mid() - fb.mid()).abs() <= 0.7 * fa.size.max(fb.size);
                let wide = band(&frags, &order, fa.bottom, 2.7 * max_size);
                let live: Vec<usize> = wide.iter().copied().filter(|&k| !removed[k]).collect();
                if !(gap <= 0.5 * size || marker || !is_gutter(&frags, &live, a, b)) {
                    break;
                }
                let words = frags[b].words.clone();
                for w in words {
                    frags[a].push(w);
                }
                removed[b] = true;
                merged_any = true;
            }
        }
        frags = frags
            .into_iter()
            .zip(removed)
            .filter(|(_, r)| !r)
            .map(|(f, _)| f)
            .collect();
        if !merged_any {
            return frags;
        }
    }
}

fn overlaps_x(a: &Fragment, b: &Fragment) -> bool {
    a.x0.max(b.x0) < a.x1.min(b.x1) - 0.5
}

/// Indices of `units` in reading order: the page cut into rows of a grid (`grid_rows`), each
/// row read by `reading_order`, top to bottom.
fn rows_then_reading_order(units: &[Fragment], boxes: &[Rect]) -> Vec<usize> {
    let rows = grid_rows(units, boxes);
    if rows.len() < 2 {
        return reading_order(units);
    }
    let mut order = Vec::with_capacity(units.len());
    for row in rows {
        let slab: Vec<Fragment> = row.iter().filter_map(|&i| units.get(i).cloned()).collect();
        order.extend(
            reading_order(&slab)
                .into_iter()
                .filter_map(|k| row.get(k).copied()),
        );
    }
    order
}

/// Layout principle: cards set in a grid are read row by row, as a person reads them, while
/// columns of running text are read one after the other. The page is cut where a band of
/// white space crosses it that is wider than the usual gap between the lines of a column, and
/// than any gap between paragraphs inside a column (where the next column's text runs on beside
/// it), and the lines below it, side by side in two or more columns, begin at one height
/// and each open something new (a capital, a number, a bullet or an opening mark): the first
/// lines of the cards of the next row. Columns of running text seldom begin new things at one
/// height after such a band, and where the text runs on from the foot of one column to the
/// head of the next, the next column's head does not open anything: so the cut is made only
/// where, above the band, every column after the first also begins with an opening line.
/// A heading stays with the text it heads, so the band under a line set larger or bolder than
/// the line below it is no cut, and neither is a band inside a drawn box: both are the inside
/// of a card. Returns the indices of `frags` by row, top to bottom (one row: no cut).
fn grid_rows(frags: &[Fragment], boxes: &[Rect]) -> Vec<Vec<usize>> {
    let all: Vec<usize> = (0..frags.len()).collect();
    let finite = frags.iter().all(|f| {
        [f.x0, f.x1, f.top, f.bottom, f.size]
            .iter()
            .all(|v| v.is_finite())
    });
    if !finite || frags.len() < 4 {
        return vec![all];
    }
    let mut by_top = all;
    by_top.sort_by(|&a, &b| frags[a].top.total_cmp(&frags[b].top));
    let size = median(frags.iter().map(|f| f.size).collect()).max(1.0);
    // The usual white space between a line and the next one below it in its column: within
    // paragraphs, and where a column sets its paragraphs apart, between them.
    // Per line, the line below it in its column within a few lines' height, and the gap.
    let mut below_in_column = Vec::new();
    for (k, &i) in by_top.iter().enumerate() {
        let f = &frags[i];
        let next = by_top
            .iter()
            .enumerate()
            .skip(k + 1)
            .take_while(|&(_, &j)| frags[j].top <= f.bottom + 6.0 * size)
            .find(|&(_, &j)| overlaps_x(f, &frags[j]) && frags[j].top > f.bottom - 0.2 * size);
        if let Some((m, &j)) = next {
            below_in_column.push((k, m, frags[j].top - f.bottom));
        }
    }
    let usual = median(below_in_column.iter().map(|g| g.2).collect());
    if !usual.is_finite() {
        return vec![by_top];
    }
    // The white space across the whole page above each line.
    let mut band_above = Vec::with_capacity(by_top.len());
    let mut reach = f32::MIN;
    for &i in &by_top {
        band_above.push(frags[i].top - reach);
        reach = reach.max(frags[i].bottom);
    }
    // The widest gap between paragraphs inside a column: one that another column's text runs
    // past, and that does not end at a band across the page (that is a row's end, where a
    // shorter card stopped early).
    let mut inside = 0.0f32;
    for &(k, m, gap) in &below_in_column {
        let (f, next) = (&frags[by_top[k]], &frags[by_top[m]]);
        // The band above the first of the lines that begin at about this line's height.
        let first = by_top.partition_point(|&g| frags[g].top < next.top - 0.5 * size);
        if band_above
            .get(first)
            .is_some_and(|&b| b >= usual + 0.5 * size)
        {
            continue;
        }
        let from = by_top.partition_point(|&g| frags[g].top < f.top - 6.0 * size);
        let crossed = by_top.get(from..m).unwrap_or_default().iter().any(|&g| {
            let fg = &frags[g];
            fg.top < next.top && fg.bottom > f.bottom && !overlaps_x(fg, f)
        });
        if crossed {
            inside = inside.max(gap);
        }
    }
    // A band of white space wider than the usual gap by half a line, and than the gaps between
    // paragraphs inside the columns.
    let wide = (usual + 0.5 * size).max(inside + 0.3 * size);
    let mut rows = Vec::new();
    let mut start = 0;
    for (k, &i) in by_top.iter().enumerate() {
        let f = &frags[i];
        let band = band_above.get(k).copied().unwrap_or(0.0);
        if k > start && band >= wide {
            let below: Vec<usize> = by_top
                .iter()
                .skip(k)
                .take_while(|&&j| frags[j].top <= f.top + 0.5 * size)
                .copied()
                .collect();
            let above = by_top.get(start..k).unwrap_or_default();
            let in_a_box = boxes.iter().any(|r| r.y0 < f.top - band && r.y1 > f.top);
            if !in_a_box && begins_a_row(frags, &below, above) {
                rows.push(above.to_vec());
                start = k;
            }
        }
    }
    rows.push(by_top.get(start..).unwrap_or_default().to_vec());
    rows
}

/// Whether `below`, the lines just under a wide band of white space, are the first lines of a
/// row of cards under the cards of `above` (`grid_rows`).
fn begins_a_row(frags: &[Fragment], below: &[usize], above: &[usize]) -> bool {
    if below.len() < 2 || !below.iter().all(|&b| opens_something(&frags[b])) {
        return false;
    }
    let mut heads = Vec::new();
    for &b in below {
        // The lines above that stand in this column only: not those spanning into another.
        let head = above
            .iter()
            .copied()
            .filter(|&a| {
                overlaps_x(&frags[a], &frags[b])
                    && !below
                        .iter()
                        .any(|&o| o != b && overlaps_x(&frags[a], &frags[o]))
            })
            .min_by(|&x, &y| frags[x].top.total_cmp(&frags[y].top));
        let Some(head) = head else { return false };
        // The last line above in this column: a heading over this line holds the row together.
        let last = above
            .iter()
            .copied()
            .filter(|&a| overlaps_x(&frags[a], &frags[b]))
            .max_by(|&x, &y| frags[x].bottom.total_cmp(&frags[y].bottom));
        if last.is_some_and(|a| heads_the_next(&frags[a], &frags[b])) {
            return false;
        }
        heads.push((frags[b].x0, head));
    }
    heads.sort_by(|x, y| x.0.total_cmp(&y.0));
    heads
        .iter()
        .skip(1)
        .all(|&(_, head)| opens_something(&frags[head]))
}

/// Whether `a` is set as a heading over `b`: larger, or bold over a line that is not.
fn heads_the_next(a: &Fragment, b: &Fragment) -> bool {
    a.size >= 1.15 * b.size || (a.bold() && !b.bold())
}

/// Whether a line opens something new: it begins with a capital, a digit, a bullet or an
/// opening quotation mark, not with the lower-case word of a sentence that runs on.
fn opens_something(f: &Fragment) -> bool {
    let text = f.text();
    let Some(c) = text.chars().find(|c| !c.is_whitespace()) else {
        return false;
    };
    c.is_uppercase()
        || c.is_ascii_digit()
        || [
            '•', '●', '▪', '■', '◦', '○', '–', '-', '“', '"', '„', '‘', '\'', '«',
        ]
        .contains(&c)
}

/// The median of `v`; NaN when it is empty.
fn median(mut v: Vec<f32>) -> f32 {
    if v.is_empty() {
        return f32::NAN;
    }
    v.sort_by(f32::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f32::NAN)
}

/// Indices of `frags` in reading order: the lines that no other line precedes, highest first
/// (then leftmost, then first drawn), one after the other.
fn reading_order(frags: &[Fragment]) -> Vec<usize> {
    let n = frags.len();
    let mut before = vec![Vec::new(); n];
    let mut n_preds = vec![0usize; n];
    let by_mid = ByMid::new(frags);
    let spanning = Spanning::new(frags, &by_mid);
    for a in 0..n {
        for b in 0..n {
            if a == b || !precedes(frags, &by_mid, spanning.as_ref(), a, b) {
                continue;
            }
            before[a].push(b);
            n_preds[b] += 1;
        }
    }
    let key = |i: usize| (frags[i].mid(), frags[i].x0);
    let by_key = |a: &usize, b: &usize| {
        key(*a)
            .partial_cmp(&key(*b))
            .unwrap_or(std::cmp::Ordering::Equal)
    };
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    if frags.iter().any(|f| f.mid().is_nan() || f.x0.is_nan()) {
        // Keys that do not order: the first of the least, looked for among all.
        while order.len() < n {
            let ready = (0..n).filter(|&i| !done[i] && n_preds[i] == 0);
            // A cycle (rare, in odd layouts) is broken by taking the highest remaining line.
            let pick = ready
                .min_by(by_key)
                .or_else(|| (0..n).filter(|&i| !done[i]).min_by(by_key))
                .expect("a line is left");
            done[pick] = true;
            order.push(pick);
            for &b in &before[pick] {
                n_preds[b] = n_preds[b].saturating_sub(1);
            }
        }
        return order;
    }
    // The same, with the lines that are ready in a heap and all lines by key for a cycle.
    let mut all: Vec<usize> = (0..n).collect();
    all.sort_by(|a, b| by_key(a, b).then(a.cmp(b)));
    let rank = {
        let mut rank = vec![0usize; n];
        for (r, &i) in all.iter().enumerate() {
            rank[i] = r;
        }
        rank
    };
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> = (0..n)
        .filter(|&i| n_preds[i] == 0)
        .map(|i| std::cmp::Reverse(rank[i]))
        .collect();
    let mut next_left = 0;
    while order.len() < n {
        let pick = loop {
            match ready.pop() {
                Some(std::cmp::Reverse(r)) if !all.get(r).is_some_and(|&i| done[i]) => {
                    break all.get(r).copied();
                }
                Some(_) => continue,
                None => {
                    // A cycle (rare, in odd layouts) is broken by taking the highest remaining
                    // line.
                    while all.get(next_left).is_some_and(|&i| done[i]) {
                        next_left += 1;
                    }
                    break all.get(next_left).copied();
                }
            }
        };
        let pick = pick.expect("a line is left");
        done[pick] = true;
        order.push(pick);
        for &b in &before[pick] {
            n_preds[b] = n_preds[b].saturating_sub(1);
            if n_preds[b] == 0 && !done[b] {
                ready.push(std::cmp::Reverse(rank[b]));
            }
        }
    }
    order
}

/// For the fragments of a page by the height of their middle (`ByMid`), whether any between two
/// heights reaches far enough left and right to overlap two fragments side by side: a merge
/// sort tree over their order, whose nodes hold their fragments by left edge with the furthest
/// right edge so far. None when a coordinate is not a finite number.
struct Spanning {
    /// The number of leaves (a power of two at least the number of fragments).
    size: usize,
    /// Per node: (left edge, right edge less 0.5) by left edge, the second the maximum so far.
    nodes: Vec<Vec<(f32, f32)>>,
}

impl Spanning {
    fn new(frags: &[Fragment], by_mid: &ByMid) -> Option<Spanning> {
        by_mid.mid.as_ref()?;
        if frags
            .iter()
            .any(|f| !f.x0.is_finite() || !f.x1.is_finite() || !f.mid().is_finite())
        {
            return None;
        }
        let size = by_mid.index.len().next_power_of_two();
        let mut nodes: Vec<Vec<(f32, f32)>> = vec![Vec::new(); 2 * size];
        for (pos, &i) in by_mid.index.iter().enumerate() {
            let f = frags.get(i)?;
            *nodes.get_mut(size + pos)? = vec![(f.x0, f.x1 - 0.5)];
        }
        for node in (1..size).rev() {
            let mut pairs: Vec<(f32, f32)> = nodes
                .get(2 * node)?
                .iter()
                .chain(nodes.get(2 * node + 1)?)
                .copied()
                .collect();
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut reach = f32::MIN;
            for pair in &mut pairs {
                reach = reach.max(pair.1);
                pair.1 = reach;
            }
            *nodes.get_mut(node)? = pairs;
        }
        Some(Spanning { size, nodes })
    }

    /// Whether a fragment at places `start..end` of the order by middle has its left edge
    /// before `left` and its right edge less 0.5 past `right`.
    fn any(&self, start: usize, end: usize, left: f32, right: f32) -> bool {
        let reaches = |node: usize| {
            self.nodes.get(node).is_some_and(|v| {
                let k = v.partition_point(|&(x0, _)| x0 < left);
                k > 0 && v.get(k - 1).is_some_and(|&(_, reach)| reach > right)
            })
        };
        let (mut lo, mut hi) = (start + self.size, end + self.size);
        while lo < hi {
            if lo & 1 == 1 {
                if reaches(lo) {
                    return true;
                }
                lo += 1;
            }
            if hi & 1 == 1 {
                hi -= 1;
                if reaches(hi) {
                    return true;
                }
            }
            lo /= 2;
            hi /= 2;
        }
        false
    }
}

/// The fragments of a page by the height of their middle, to find those between two heights
/// without looking at all of them.
struct ByMid {
    /// Indices of fragments, by middle (in page order when a middle is not a number).
    index: Vec<usize>,
    /// Their middles, ascending; `None` when a middle is not a number.
    mid: Option<Vec<f32>>,
}

impl ByMid {
    fn new(frags: &[Fragment]) -> ByMid {
        let mut index: Vec<usize> = (0..frags.len()).collect();
        if frags.iter().any(|f| f.mid().is_nan()) {
            return ByMid { index, mid: None };
        }
        index.sort_by(|&a, &b| frags[a].mid().total_cmp(&frags[b].mid()));
        let mid = Some(index.iter().map(|&i| frags[i].mid()).collect());
        ByMid { index, mid }
    }

    /// The fragments whose middle may lie strictly between `lo` and `hi`: exactly those, or
    /// all of them when the middles could not be ordered.
    fn between(&self, lo: f32, hi: f32) -> &[usize] {
        let (start, end) = self.range(lo, hi);
        &self.index[start..end]
    }

    /// Where in `index` the fragments strictly between `lo` and `hi` are (all when the middles
    /// could not be ordered).
    fn range(&self, lo: f32, hi: f32) -> (usize, usize) {
        let Some(mid) = &self.mid else {
            return (0, self.index.len());
        };
        let start = mid.partition_point(|&m| m <= lo);
        let end = mid.partition_point(|&m| m < hi).max(start);
        (start, end)
    }
}

fn precedes(
    frags: &[Fragment],
    by_mid: &ByMid,
    spanning: Option<&Spanning>,
    a: usize,
    b: usize,
) -> bool {
    let (fa, fb) = (&frags[a], &frags[b]);
    // Fragments one above the other, also marks of no width at one x (the "|" OCR reads from
    // a box's edge, line after line), are read top to bottom; else a fragment only precedes
    // one that begins to its right, so that two never precede each other.
    let stacked = (fa.x0 - fb.x0).abs() <= 0.5 && (fa.x1 - fb.x1).abs() <= 0.5;
    if overlaps_x(fa, fb) || stacked {
        return fa.mid() < fb.mid() - 0.1;
    }
    if fa.x1 > fb.x0 + 0.5 || fa.x0 >= fb.x0 {
        return false;
    }
    let (lo, hi) = if fa.mid() < fb.mid() {
        (fa.mid(), fb.mid())
    } else {
        (fb.mid(), fa.mid())
    };
    // A fragment that overlaps both begins before the end of `fa` and ends past the start of
    // `fb`: where none does, none stands between them.
    if let Some(spanning) = spanning {
        let (start, end) = by_mid.range(lo, hi);
        if !spanning.any(start, end, fa.x1 - 0.5, fb.x0) {
            return true;
        }
    }
    !by_mid.between(lo, hi).iter().any(|&c| {
        let fc = &frags[c];
        c != a
            && c != b
            && fc.mid() > lo
            && fc.mid() < hi
            && overlaps_x(fc, fa)
            && overlaps_x(fc, fb)
    })
}

/// A table found on a page: per row, per column, the fragments of the cell (a wrapped cell
/// has several, top to bottom), and the box that holds it all.
#[derive(Debug, Clone)]
struct Table {
    rows: Vec<Vec<Vec<usize>>>,
    bounds: Fragment,
}

/// The fragments of a page by the height of their baseline, to find those near a height
/// without looking at all of them.
struct ByBottom {
    /// Indices of fragments, by baseline (in page order when a baseline or a size is not a
    /// finite number: then every lookup gives them all, and the caller's own test decides).
    index: Vec<usize>,
    /// Their baselines, ascending; `None` when they could not be ordered.
    bottom: Option<Vec<f32>>,
}

impl ByBottom {
    fn new(frags: &[Fragment]) -> ByBottom {
        let mut index: Vec<usize> = (0..frags.len()).collect();
        if frags
            .iter()
            .any(|f| !f.bottom.is_finite() || !f.size.is_finite())
        {
            return ByBottom {
                index,
                bottom: None,
            };
        }
        index.sort_by(|&a, &b| frags[a].bottom.total_cmp(&frags[b].bottom));
        let bottom = Some(index.iter().map(|&i| frags[i].bottom).collect());
        ByBottom { index, bottom }
    }

    /// The fragments that may stand on the baseline `y` of a fragment of size `size`, as
    /// `same_baseline` takes it with the tolerance `reach` (at least all those within `reach`
    /// of `y`, and any of another size that the test may take).
    fn within(&self, y: f32, reach: f32, size: f32) -> Vec<usize> {
        let Some(bottom) = &self.bottom else {
            return self.index.clone();
        };
        // `same_baseline` takes the smaller of the two sizes: never more than this one's. A
        // little more, so that rounding cannot leave out one the test takes.
        let reach = reach.max(0.3 * size.max(1.0)) * 1.01 + 0.01;
        let start = bottom.partition_point(|&b| b < y - reach);
        let end = bottom.partition_point(|&b| b <= y + reach).max(start);
        self.index.get(start..end).unwrap_or_default().to_vec()
    }

    /// The fragments whose baseline may lie strictly between `lo` and `hi`.
    fn strictly_between(&self, lo: f32, hi: f32) -> &[usize] {
        let Some(bottom) = &self.bottom else {
            return &self.index;
        };
        let start = bottom.partition_point(|&b| b <= lo);
        let end = bottom.partition_point(|&b| b < hi).max(start);
        self.index.get(start..end).unwrap_or_default()
    }
}

/// The last of the ascending `baselines` that `y` is at or below (within `slack`): the row a
/// line at `y` falls in.
fn last_row_at_or_above(baselines: &[f32], y: f32, slack: f32) -> Option<usize> {
    if baselines.iter().any(|b| !b.is_finite()) || !y.is_finite() || !slack.is_finite() {
        return baselines.iter().rposition(|&b| y >= b - slack);
    }
    baselines
        .partition_point(|&b| y >= b - slack)
        .checked_sub(1)
}

fn same_baseline(a: &Fragment, b: &Fragment) -> bool {
    (a.bottom - b.bottom).abs() <= 0.3 * a.size.min(b.size).max(1.0)
}

/// What a table's value cells hold: a number ("78", "12%", "N=78", "7,3") or a mark ("x", "✓").
fn is_datum(text: &str) -> bool {
    let t = text.trim();
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    (digits > 0 && letters <= 2 && t.chars().count() <= 12)
        || (t.chars().count() <= 2 && letters <= 1)
}

/// Finds tables by their geometry: a column of short cells, most of them numbers or marks, each
/// on the baseline of a label to its left, with nothing else in the column between them. Rows
/// are the baselines of those cells; a label wrapped over lines joins its row, and a line of
/// several cells just above the first row is the header. Two columns of body text are no table:
/// their lines are long, and the lines of one column stand between its short lines.
fn tables(frags: &[Fragment]) -> Vec<Table> {
    let n = frags.len();
    let by_bottom = ByBottom::new(frags);
    let texts: Vec<String> = frags.iter().map(Fragment::text).collect();
    let datum: Vec<bool> = texts.iter().map(|t| is_datum(t)).collect();
    // The nearest fragment to the left of each on its baseline (the last of the nearest, in
    // page order), looked for among the fragments near its baseline only.
    let left: Vec<Option<usize>> = (0..n)
        .map(|i| {
            let fi = &frags[i];
            let mut near = by_bottom.within(fi.bottom, 0.3 * fi.size.max(1.0), fi.size);
            near.sort_unstable();
            near.into_iter()
                .filter(|&j| j != i && same_baseline(&frags[j], fi) && frags[j].x1 <= fi.x0 + 0.5)
                .max_by(|&a, &b| frags[a].x1.total_cmp(&frags[b].x1))
        })
        .collect();
    let left_of = |i: usize| -> Option<usize> { left.get(i).copied().flatten() };
    let short = |i: usize| {
        let t = &texts[i];
        t.split_whitespace().count() <= 3 && t.chars().count() <= 30
    };
    let mut cands: Vec<usize> = (0..n)
        .filter(|&i| short(i) && left_of(i).is_some())
        .collect();
    cands.sort_by(|&a, &b| frags[a].bottom.total_cmp(&frags[b].bottom));
    // Columns of candidate cells, each ended by anything else standing in it; whether a column
    // holds a value yet.
    let mut columns: Vec<Vec<usize>> = Vec::new();
    let mut has_data: Vec<bool> = Vec::new();
    for &i in &cands {
        let fi = &frags[i];
        let size = fi.size.max(1.0);
        let fits = |col: &Vec<usize>, data_so_far: bool| {
            let k = *col.last().expect("columns are never empty");
            let fk = &frags[k];
            let aligned = overlaps_x(fk, fi)
                || (fk.x1 - fi.x1).abs() <= 0.6 * size
                || ((fk.x0 + fk.x1) - (fi.x0 + fi.x1)).abs() <= 1.2 * size;
            // A header may stand on top of the values, but a value column ends at the first
            // cell below it that is no value. A cell of two characters at most is a number OCR
            // misread ("ie" for 59): too short to be a word of text below the table, it keeps
            // the column going.
            let misread = texts[i].trim().chars().count() <= 2;
            let ends = data_so_far && !datum[i] && !misread;
            let near = fi.bottom - fk.bottom <= 10.0 * size;
            aligned && !ends && near && {
                let (x0, x1) = (fk.x0.min(fi.x0), fk.x1.max(fi.x1));
                let blocked = by_bottom
                    .strictly_between(fk.bottom + 0.3 * size, fi.bottom - 0.3 * size)
                    .iter()
                    .any(|&m| {
                        let m = &frags[m];
                        m.bottom > fk.bottom + 0.3 * size
                            && m.bottom < fi.bottom - 0.3 * size
                            && m.x0 < x1
                            && m.x1 > x0
                    });
                !blocked
            }
        };
        match (0..columns.len()).find(|&c| fits(&columns[c], has_data[c])) {
            Some(c) => {
                columns[c].push(i);
                has_data[c] |= datum[i];
            }
            None => {
                columns.push(vec![i]);
                has_data.push(datum[i]);
            }
        }
    }
    columns.retain(|c| {
        let data = c.iter().filter(|&&i| datum[i]).count();
        c.len() >= 3 && data * 3 >= c.len() * 2
    });
    // Columns that share their row labels make one table (the label of a cell is the first
    // fragment to its left that is no value cell itself).
    let mut in_column = vec![false; n];
    for &i in columns.iter().flatten() {
        in_column[i] = true;
    }
    let label_of = |i: usize| -> Option<usize> {
        let mut j = left_of(i)?;
        for _ in 0..8 {
            if !in_column[j] {
                return Some(j);
            }
            j = left_of(j)?;
        }
        None
    };
    // Columns whose labels stand in one column beside each other (each marks other rows) are
    // one table too.
    let span = |c: &[usize]| {
        let top = c.iter().map(|&i| frags[i].top).fold(f32::MAX, f32::min);
        let bottom = c.iter().map(|&i| frags[i].bottom).fold(f32::MIN, f32::max);
        (top, bottom)
    };
    let left_edge = |l: &[usize]| l.iter().map(|&j| frags[j].x0).fold(f32::MAX, f32::min);
    let mut groups: Vec<(Vec<Vec<usize>>, Vec<usize>)> = Vec::new();
    let mut group_labels: Vec<HashSet<usize>> = Vec::new();
    for c in columns {
        let labels: Vec<usize> = c.iter().filter_map(|&i| label_of(i)).collect();
        let (top, bottom) = span(&c);
        let size = frags[c[0]].size.max(1.0);
        let found = (0..groups.len()).find(|&g| {
            let (d, l) = &groups[g];
            labels.iter().any(|j| group_labels[g].contains(j))
                || (d.iter().any(|d| span(d).0 < bottom && span(d).1 > top)
                    && (left_edge(l) - left_edge(&labels)).abs() <= 0.5 * size)
        });
        match found {
            Some(g) => {
                group_labels[g].extend(labels.iter().copied());
                groups[g].0.push(c);
                groups[g].1.extend(labels);
            }
            None => {
                group_labels.push(labels.iter().copied().collect());
                groups.push((vec![c], labels));
            }
        }
    }
    let mut out = Vec::new();
    // A fragment belongs to one table at most.
    let mut claimed = vec![false; n];
    for (mut group, labels) in groups {
        group.sort_by(|a, b| frags[a[0]].x0.total_cmp(&frags[b[0]].x0));
        let values: Vec<usize> = group.iter().flatten().copied().collect();
        let x_left = labels.iter().map(|&j| frags[j].x0).fold(f32::MAX, f32::min);
        let x_right = values.iter().map(|&i| frags[i].x1).fold(f32::MIN, f32::max);
        if labels.is_empty() {
            continue;
        }
        // Column spans: the labels', then each value column's.
        let mut spans: Vec<(f32, f32)> = vec![(
            x_left,
            labels.iter().map(|&j| frags[j].x1).fold(f32::MIN, f32::max),
        )];
        for c in &group {
            spans.push((
                c.iter().map(|&i| frags[i].x0).fold(f32::MAX, f32::min),
                c.iter().map(|&i| frags[i].x1).fold(f32::MIN, f32::max),
            ));
        }
        let column_of = |f: &Fragment| -> usize {
            let mid = (f.x0 + f.x1) / 2.0;
            spans
                .iter()
                .enumerate()
                .min_by(|a, b| {
                    let d = |s: &(f32, f32)| {
                        if mid < s.0 {
                            s.0 - mid
                        } else if mid > s.1 {
                            mid - s.1
                        } else {
                            0.0
                        }
                    };
                    d(a.1).total_cmp(&d(b.1))
                })
                .map(|(c, _)| c)
                .unwrap_or(0)
        };
        // A header cell may reach out past the values below it.
        let inside =
            |f: &Fragment| f.x0 >= x_left - 1.0 && f.x0 < x_right && f.x1 <= x_right + 8.0 * f.size;
        // Row baselines, from the value cells.
        let mut baselines: Vec<f32> = values.iter().map(|&i| frags[i].bottom).collect();
        baselines.sort_by(f32::total_cmp);
        let size = values.iter().map(|&i| frags[i].size).fold(1.0f32, f32::max);
        baselines.dedup_by(|a, b| (*a - *b).abs() <= 0.3 * size);
        // The header: the nearest line above with two cells or more, close enough, with no
        // other line between it and the first row.
        let first = baselines[0];
        let above: Vec<usize> = (0..n)
            .filter(|&i| inside(&frags[i]) && frags[i].bottom < first - 0.3 * size)
            .collect();
        let in_table: HashSet<usize> = values.iter().chain(&labels).copied().collect();
        if let Some(h) = above
            .iter()
            .map(|&i| frags[i].bottom)
            .filter(|&y| first - y <= 4.5 * size)
            .filter(|&y| {
                let cells = above
                    .iter()
                    .filter(|&&i| (frags[i].bottom - y).abs() <= 0.3 * size)
                    .count();
                let between = above
                    .iter()
                    .any(|&i| frags[i].bottom > y + 0.3 * size && !in_table.contains(&i));
                cells >= 2 && !between
            })
            .min_by(|a, b| a.total_cmp(b))
        {
            baselines.insert(0, h);
        }
        let mut rows: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); spans.len()]; baselines.len()];
        let mut last_bottom = vec![vec![0.0f32; spans.len()]; baselines.len()];
        let mut order: Vec<usize> = (0..n)
            .filter(|&i| inside(&frags[i]) && !claimed[i])
            .collect();
        order.sort_by(|&a, &b| frags[a].bottom.total_cmp(&frags[b].bottom));
        for i in order {
            let f = &frags[i];
            let Some(r) = last_row_at_or_above(&baselines, f.bottom, 0.3 * size) else {
                continue;
            };
            let c = column_of(f);
            let on_row = (f.bottom - baselines[r]).abs() <= 0.3 * size;
            // A wrapped cell goes on line by line below its first line.
            let continues =
                !rows[r][c].is_empty() && f.bottom - last_bottom[r][c] <= 1.6 * f.size.max(1.0);
            let before_next = baselines
                .get(r + 1)
                .is_none_or(|&y| f.bottom < y - 0.3 * size);
            if (on_row || continues) && before_next {
                rows[r][c].push(i);
                last_bottom[r][c] = f.bottom;
            }
        }
        rows.retain(|r| r.iter().any(|c| !c.is_empty()));
        for &i in rows.iter().flatten().flatten() {
            claimed[i] = true;
        }
        let members: Vec<&Fragment> = rows
            .iter()
            .flatten()
            .flatten()
            .map(|&i| &frags[i])
            .collect();
        // Every cell may have gone to a table before, or stand outside this one's columns.
        let Some(first_member) = members.first() else {
            continue;
        };
        let mut bounds = (*first_member).clone();
        bounds.x0 = members.iter().map(|f| f.x0).fold(f32::MAX, f32::min);
        bounds.x1 = members.iter().map(|f| f.x1).fold(f32::MIN, f32::max);
        bounds.top = members.iter().map(|f| f.top).fold(f32::MAX, f32::min);
        bounds.bottom = members.iter().map(|f| f.bottom).fold(f32::MIN, f32::max);
        out.push(Table { rows, bounds });
    }
    out
}

/// One table row as a single line (its cells left to right, each cell's lines joined) and the
/// text of each cell; an empty column gives an empty cell.
fn table_row(frags: &[Fragment], row: &[Vec<usize>]) -> (Fragment, Vec<String>) {
    let mut line: Option<Fragment> = None;
    let mut cells = Vec::with_capacity(row.len());
    for cell in row {
        let mut text = String::new();
        for &i in cell {
            let t = frags[i].text();
            // A word broken at the end of a cell's line: the break glyph is a soft hyphen, or a
            // hyphen before a lowercase letter.
            let joined = text.ends_with('\u{00AD}')
                || (text.ends_with('-') && t.starts_with(|c: char| c.is_lowercase()));
            if !text.is_empty() && !joined {
                text.push(' ');
            }
            text.push_str(&t);
            for w in &frags[i].words {
                match &mut line {
                    Some(l) => l.push(w.clone()),
                    None => line = Some(Fragment::new(w.clone())),
                }
            }
        }
        cells.push(text);
    }
    let mut line = line.expect("a table row has a cell");
    line.bottom = row
        .iter()
        .flatten()
        .map(|&i| frags[i].bottom)
        .fold(f32::MAX, f32::min);
    (line, cells)
}

/// Rectangles that frame text: not the page background, not rules or tiny marks.
fn text_boxes(rects: &[Rect], width: f32, height: f32) -> Vec<Rect> {
    rects
        .iter()
        .filter(|r| {
            r.width() * r.height() < 0.8 * width * height && r.width() > 40.0 && r.height() > 14.0
        })
        .copied()
        .collect()
}

fn boxed_by<'a>(f: &Fragment, boxes: &'a [Rect]) -> Option<&'a Rect> {
    let (cx, cy) = ((f.x0 + f.x1) / 2.0, f.mid());
    boxes
        .iter()
        .filter(|r| r.contains(cx, cy) && r.x0 <= f.x0 + 2.0 && r.x1 >= f.x1 - 2.0)
        .min_by(|a, b| {
            (a.width() * a.height())
                .partial_cmp(&(b.width() * b.height()))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
}

/// Turns ordered fragments into lines, numbering blocks: a block ends at a wide vertical gap,
/// a jump to another column, a change of font size or the edge of a box.
/// Small square shapes: list bullets drawn as graphics rather than as characters.
fn bullet_marks(rects: &[Rect]) -> Vec<Rect> {
    rects
        .iter()
        .filter(|r| {
            let (w, h) = (r.width(), r.height());
            (1.5..=9.0).contains(&w) && (1.5..=9.0).contains(&h) && (w - h).abs() <= 0.35 * w.max(h)
        })
        .copied()
        .collect()
}

/// A bullet drawn just left of the fragment's first word, on its line.
fn has_bullet(f: &Fragment, marks: &[Rect]) -> bool {
    marks.iter().any(|m| {
        let cy = (m.y0 + m.y1) / 2.0;
        m.x1 <= f.x0 + 1.0
            && m.x1 >= f.x0 - 2.5 * f.size
            && cy >= f.top - 0.2 * f.size
            && cy <= f.bottom + 0.1 * f.size
    })
}

/// A line that opens with an item number ("2. Nodig ...") after a line that ended a sentence or
/// a label: the next item of a numbered list whose numbers are text.
fn opens_numbered_item(f: &Fragment, prev: Option<&Fragment>) -> bool {
    let t = f.text();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &t[digits.len()..];
    let numbered = (1..=2).contains(&digits.len())
        && (rest.starts_with(". ") || rest.starts_with(") "))
        && rest[2..].starts_with(|c: char| c.is_uppercase());
    numbered
        && prev.is_some_and(|p| {
            p.text().trim_end().ends_with(['.', ':', ';', '!', '?']) && overlaps_x(p, f)
        })
}

/// `cells` holds, for each fragment, the cells of the table row it is (empty for other lines):
/// a table row is a block of its own.
fn blocks(
    frags: &[Fragment],
    cells: &[Vec<String>],
    boxes: &[Rect],
    marks: &[Rect],
    ocr: bool,
) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::with_capacity(frags.len());
    let mut block = 0u32;
    let mut prev: Option<(&Fragment, Option<&Rect>)> = None;
    for (i, f) in frags.iter().enumerate() {
        let rect = boxed_by(f, boxes);
        let list_item = has_bullet(f, marks);
        let list_item = list_item || opens_numbered_item(f, prev.map(|(p, _)| p));
        let row = !cells[i].is_empty() || (i > 0 && !cells[i - 1].is_empty());
        if row && prev.is_some() {
            block += 1;
        } else if let Some((p, prect)) = prev {
            let size = p.size.max(f.size).max(1.0);
            let step = f.bottom - p.bottom;
            let new_column = step < -0.2 * size || (!overlaps_x(p, f) && step.abs() < 0.5 * size);
            // OCR measures a line by its word boxes, which span ascenders and descenders only
            // where its letters have them: a line that goes on with the sentence of the line
            // before (in lowercase, after a word or a comma: no stop, no figure) is measured up
            // to a third apart from it.
            let goes_on = ocr
                && f.text().starts_with(char::is_lowercase)
                && p.text()
                    .trim_end()
                    .ends_with(|c: char| c.is_alphabetic() || c == ',');
            // Its baseline, the bottom of its word boxes, moves down by a descender too.
            let pitch = if goes_on {
                size
            } else {
                size.min(p.size.max(1.0) * 1.2)
            };
            let gap = step > 1.75 * pitch;
            let jitter = if goes_on { 0.35 } else { 0.15 };
            let size_change = (f.size - p.size).abs() > jitter * p.size.max(f.size);
            let left_jump = (f.x0 - p.x0).abs() > 4.0 * size && !overlaps_x(p, f);
            let other_box = prect.copied() != rect.copied();
            if new_column || gap || size_change || left_jump || other_box || list_item {
                block += 1;
            }
        }
        let text = if cells[i].is_empty() {
            f.text()
        } else {
            let full: Vec<&str> = cells[i]
                .iter()
                .map(|c| c.as_str())
                .filter(|c| !c.is_empty())
                .collect();
            full.join(" ")
        };
        lines.push(Line {
            text,
            x0: f.x0,
            x1: f.x1,
            top: f.top,
            bottom: f.bottom,
            size: f.size,
            block,
            boxed: rect.is_some(),
            list_item,
            bold: f.bold(),
            italic: f.italic(),
            cells: cells[i].clone(),
            tag: None,
        });
        prev = Some((f, rect));
    }
    lines
}

#[cfg(test)]
mod tests {

    fn block(x0: f32, x1: f32, top: f32, bottom: f32) -> Fragment {
        Fragment {
            words: Vec::new(),
            x0,
            x1,
            top,
            bottom,
            size: 10.0,
            weighted_size: 0.0,
            chars: 0.0,
            longest: 0,
        }
    }

    #[test]
    fn the_fragments_between_two_heights_are_found_by_their_middles() {
        let frags = [
            block(0.0, 10.0, 40.0, 50.0),
            block(0.0, 10.0, 0.0, 10.0),
            block(0.0, 10.0, 20.0, 30.0),
            block(0.0, 10.0, 60.0, 70.0),
        ];
        let by_mid = ByMid::new(&frags);
        assert_eq!(by_mid.between(5.0, 65.0), [2, 0]);
        assert_eq!(by_mid.between(25.0, 45.0), [] as [usize; 0]);
        assert_eq!(by_mid.between(24.0, 46.0), [2, 0]);
        // A fragment without a height: every fragment is looked at.
        let mut odd = frags.to_vec();
        odd.push(block(0.0, 10.0, f32::NAN, 5.0));
        assert_eq!(ByMid::new(&odd).between(5.0, 65.0), [0, 1, 2, 3, 4]);
    }

    use super::*;

    #[test]
    fn a_table_left_without_cells_is_dropped_instead_of_panicking() {
        // The smallest page of tests/random_pages.rs that made `tables` index into a table
        // without members (layout.rs:690, also on pypdf's AutoCad_Diagram.pdf): three "a"s on
        // one baseline and an "A" of width -3.4e38 beside them.
        let glyph = |x: f32, width: f32, size: f32, text: &str| Glyph {
            x,
            y: 0.0,
            width,
            size,
            text: text.to_string(),
            run: 0,
            bold: false,
            italic: false,
            marked: Marked::None,
        };
        let page = RawPage {
            number: 1,
            width: 100.0,
            height: 100.0,
            glyphs: vec![
                glyph(0.0, 1.606865, 4.0, "a"),
                glyph(0.0, 6.0987263, 0.0, "a"),
                glyph(0.0, 2.950011, 4.0, "a"),
                glyph(168.58179, f32::MIN, 4.0, "A"),
            ],
            ..RawPage::default()
        };
        let laid = lay_out(&page);
        let text: String = laid.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            text.chars().filter(|c| !c.is_whitespace()).count(),
            4,
            "{text}"
        );
    }

    /// Glyphs for `text` starting at (x, y), 0.5 em per character, one run per word.
    fn glyphs(text: &str, x: f32, y: f32, size: f32, run: &mut u32) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut cx = x;
        for word in text.split(' ') {
            *run += 1;
            for c in word.chars() {
                out.push(Glyph {
                    x: cx,
                    y,
                    width: size * 0.5,
                    size,
                    text: c.to_string(),
                    run: *run,
                    bold: false,
                    italic: false,
                    marked: Default::default(),
                });
                cx += size * 0.5;
            }
            cx += size * 0.3;
        }
        out
    }

    fn page(lines: &[(&str, f32, f32, f32)]) -> RawPage {
        let mut run = 0;
        let glyphs = lines
            .iter()
            .flat_map(|(t, x, y, s)| glyphs(t, *x, *y, *s, &mut run))
            .collect();
        RawPage {
            number: 1,
            width: 595.0,
            height: 842.0,
            glyphs,
            ..Default::default()
        }
    }

    fn texts(p: &LaidPage) -> Vec<String> {
        p.lines.iter().map(|l| l.text.clone()).collect()
    }

    /// Layout principle: a tagged PDF's structure tree gives the reading order. Four blocks in
    /// a 2×2 grid with aligned tops, whose right-hand blocks run on in lower case as columns of
    /// running text do, are read column by column from geometry alone, and row by row when the
    /// tree says so; lines the tree leaves out stay where geometry put them.
    #[test]
    fn where_the_tree_marks_the_page_its_order_is_the_reading_order() {
        let cards = [
            ("Kaart A regel een", 50.0, 100.0),
            ("Kaart A regel twee", 50.0, 112.0),
            ("kaart B regel een", 300.0, 100.0),
            ("Kaart B regel twee", 300.0, 112.0),
            ("Kaart C regel een", 50.0, 300.0),
            ("Kaart C regel twee", 50.0, 312.0),
            ("kaart D regel een", 300.0, 300.0),
            ("Kaart D regel twee", 300.0, 312.0),
        ];
        let untagged = page(&cards.map(|(t, x, y)| (t, x, y, 10.0)));
        let firsts = |p: &LaidPage| -> String {
            texts(p).iter().map(|t| t.chars().nth(6).unwrap()).collect()
        };
        assert_eq!(firsts(&lay_out(&untagged)), "AACCBBDD");
        let mut tagged = untagged.clone();
        for g in &mut tagged.glyphs {
            // the element of a glyph is its card's: A 1, B 2, C 3, D 4 in the tree's order
            let card = if g.y > 200.0 { 3 } else { 1 } + u32::from(g.x >= 300.0);
            g.marked = Marked::Element(card);
        }
        assert_eq!(firsts(&lay_out(&tagged)), "AABBCCDD");
        // a tree that marks too little of the page is not followed
        let mut sparse = untagged.clone();
        let n = sparse.glyphs.len();
        for g in sparse.glyphs.iter_mut().take(n / 2) {
            g.marked = Marked::Element(9);
        }
        assert_eq!(firsts(&lay_out(&sparse)), "AACCBBDD");
    }

    /// Layout principle: cards of a grid, whose first lines begin at one height after a wide
    /// band of white space and each open something new, are read row by row; columns of
    /// running text, whose second column runs on in lower case from the foot of the first,
    /// are read one after the other even where their paragraphs begin at one height.
    #[test]
    fn cards_of_a_grid_are_read_row_by_row_and_running_columns_are_not() {
        let grid = page(&[
            ("Kaart A begint hier", 50.0, 100.0, 10.0),
            ("en loopt door.", 50.0, 112.0, 10.0),
            ("Kaart B begint ook", 300.0, 100.0, 10.0),
            ("en is wat langer", 300.0, 112.0, 10.0),
            ("dan kaart A.", 300.0, 124.0, 10.0),
            ("Kaart C in rij twee", 50.0, 160.0, 10.0),
            ("Kaart D in rij twee", 300.0, 160.0, 10.0),
            ("met een tweede regel.", 300.0, 172.0, 10.0),
        ]);
        let firsts = |p: &LaidPage| -> String {
            texts(p)
                .iter()
                .filter_map(|t| t.strip_prefix("Kaart ").and_then(|r| r.chars().next()))
                .collect()
        };
        assert_eq!(firsts(&lay_out(&grid)), "ABCD");
        // The same page, its right column running on from the foot of the left one.
        let mut running = grid.clone();
        for g in &mut running.glyphs {
            if g.x >= 300.0 && (g.y - 100.0).abs() < 1.0 && g.text == "K" {
                g.text = "k".into();
            }
        }
        let order: Vec<String> = texts(&lay_out(&running));
        let at = |needle: &str| order.iter().position(|t| t.starts_with(needle)).unwrap();
        assert!(at("Kaart C") < at("kaart B"), "{order:?}");
        // Two cards side by side, each a heading over its text: the band under the headings
        // is inside the cards, and each card is read whole.
        let headed = page(&[
            ("Kop A", 50.0, 100.0, 16.0),
            ("Tekst A een", 50.0, 140.0, 10.0),
            ("en verder.", 50.0, 152.0, 10.0),
            ("Kop B", 300.0, 100.0, 16.0),
            ("Tekst B een", 300.0, 140.0, 10.0),
            ("en verder.", 300.0, 152.0, 10.0),
        ]);
        let order = texts(&lay_out(&headed));
        assert_eq!(order[..2], ["Kop A", "Tekst A een"], "{order:?}");
        // The grid again, its cards drawn as boxes that run across the band: no cut inside.
        let mut boxed = grid.clone();
        boxed.rects = vec![
            Rect {
                x0: 45.0,
                y0: 85.0,
                x1: 250.0,
                y1: 180.0,
            },
            Rect {
                x0: 295.0,
                y0: 85.0,
                x1: 500.0,
                y1: 180.0,
            },
        ];
        assert_eq!(firsts(&lay_out(&boxed)), "ACBD");
        // Two columns of paragraphs, one pair beginning at one height by chance: a gap between
        // paragraphs inside a column is as wide, so the band is no row of cards.
        let paragraphs = page(&[
            ("Links A een.", 50.0, 100.0, 10.0),
            ("Links A twee.", 50.0, 112.0, 10.0),
            ("Links B een", 50.0, 160.0, 10.0),
            ("en meer", 50.0, 172.0, 10.0),
            ("en meer", 50.0, 184.0, 10.0),
            ("en meer", 50.0, 196.0, 10.0),
            ("en meer", 50.0, 208.0, 10.0),
            ("en meer", 50.0, 220.0, 10.0),
            ("en meer.", 50.0, 232.0, 10.0),
            ("Rechts A een", 300.0, 100.0, 10.0),
            ("twee.", 300.0, 112.0, 10.0),
            ("Rechts B een", 300.0, 160.0, 10.0),
            ("twee.", 300.0, 172.0, 10.0),
            ("Rechts C een", 300.0, 220.0, 10.0),
            ("twee.", 300.0, 232.0, 10.0),
        ]);
        let order = texts(&lay_out(&paragraphs));
        let at = |needle: &str| order.iter().position(|t| t.starts_with(needle)).unwrap();
        assert!(at("Links B") < at("Rechts A"), "{order:?}");
        // Lines of one paragraph set close, however they begin, are never cut into rows.
        let close = page(&[
            ("Links een", 50.0, 100.0, 10.0),
            ("Links twee", 50.0, 112.0, 10.0),
            ("Rechts een", 300.0, 100.0, 10.0),
            ("Rechts twee", 300.0, 112.0, 10.0),
        ]);
        assert_eq!(
            texts(&lay_out(&close)),
            ["Links een", "Links twee", "Rechts een", "Rechts twee"]
        );
    }

    /// Layout principle: one line never runs from one block-level element of a tagged PDF into
    /// another. Two list items set close side by side in neighbouring columns are read as one
    /// line from geometry alone ("hulp zonder wacht- clienten"), as two with the tree.
    #[test]
    fn a_line_stays_within_its_paragraph_or_list_item_of_the_tree() {
        use crate::model::{StructElement, StructRole};
        let untagged = page(&[
            ("hulp zonder wacht-", 50.0, 100.0, 10.0),
            ("clienten", 138.0, 100.0, 10.0),
        ]);
        assert_eq!(texts(&lay_out(&untagged)), ["hulp zonder wacht- clienten"]);
        let mut tagged = untagged.clone();
        for g in &mut tagged.glyphs {
            g.marked = Marked::Element(if g.x < 137.0 { 1 } else { 2 });
        }
        let element = |role, parent| StructElement {
            role,
            parent,
            alt: None,
        };
        let structure = Structure {
            elements: vec![
                element(StructRole::List, None),
                element(StructRole::ListItem, Some(0)),
                element(StructRole::ListItem, Some(0)),
            ],
            suspects: false,
        };
        assert_eq!(
            texts(&lay_out_tagged(&tagged, Some(&structure))),
            ["hulp zonder wacht-", "clienten"]
        );
        // within one element the pieces are one line, tagged or not
        let mut one = untagged.clone();
        for g in &mut one.glyphs {
            g.marked = Marked::Element(1);
        }
        assert_eq!(
            texts(&lay_out_tagged(&one, Some(&structure))),
            ["hulp zonder wacht- clienten"]
        );
    }

    /// Layout principle: what a tagged page marks as an artifact (a running header, a page
    /// number) is furniture; on a page without a tree, or one it hardly marks, every glyph is
    /// text.
    #[test]
    fn artifacts_of_a_tagged_page_are_not_its_text() {
        use crate::model::{StructElement, StructRole};
        let untagged = page(&[
            ("Al doende leren", 250.0, 30.0, 8.0),
            ("De tekst van de pagina staat hier.", 50.0, 100.0, 10.0),
            ("En gaat op de volgende regel verder.", 50.0, 112.0, 10.0),
        ]);
        let mut tagged = untagged.clone();
        for g in &mut tagged.glyphs {
            g.marked = if g.y < 50.0 {
                Marked::Artifact
            } else {
                Marked::Element(1)
            };
        }
        let structure = Structure {
            elements: vec![
                StructElement {
                    role: StructRole::Group,
                    parent: None,
                    alt: None,
                },
                StructElement {
                    role: StructRole::P,
                    parent: Some(0),
                    alt: None,
                },
            ],
            suspects: false,
        };
        let body = [
            "De tekst van de pagina staat hier.",
            "En gaat op de volgende regel verder.",
        ];
        assert_eq!(texts(&lay_out_tagged(&tagged, Some(&structure))), body);
        assert_eq!(texts(&lay_out(&tagged)).len(), 3);
        assert_eq!(texts(&lay_out_tagged(&untagged, Some(&structure))).len(), 3);
    }

    #[test]
    fn two_columns_are_read_one_after_the_other() {
        let p = page(&[
            ("Kop over alles", 50.0, 60.0, 16.0),
            ("links een", 50.0, 100.0, 10.0),
            ("links twee", 50.0, 112.0, 10.0),
            ("rechts een", 300.0, 100.0, 10.0),
            ("rechts twee", 300.0, 112.0, 10.0),
        ]);
        assert_eq!(
            texts(&lay_out(&p)),
            [
                "Kop over alles",
                "links een",
                "links twee",
                "rechts een",
                "rechts twee"
            ]
        );
    }

    #[test]
    fn box_edges_read_as_bars_at_one_x_do_not_break_the_column_order() {
        // OCR reads the left edge of a box as "|" on several lines, each a mark of no width at
        // the same x; such marks once preceded each other and broke the order into rows.
        let mut p = page(&[
            ("links een", 50.0, 100.0, 10.0),
            ("links twee", 50.0, 112.0, 10.0),
            ("links drie", 50.0, 124.0, 10.0),
            ("midden een", 250.0, 100.0, 10.0),
            ("midden twee", 250.0, 112.0, 10.0),
            ("midden drie", 250.0, 124.0, 10.0),
            ("rechts een", 420.0, 100.0, 10.0),
            ("rechts twee", 420.0, 112.0, 10.0),
            ("rechts drie", 420.0, 124.0, 10.0),
        ]);
        for (i, y) in [101.0, 113.0, 125.0].into_iter().enumerate() {
            p.glyphs.push(Glyph {
                x: 240.0,
                y,
                width: 0.0,
                size: 10.0,
                text: "|".into(),
                run: 100 + i as u32,
                bold: false,
                italic: false,
                marked: Default::default(),
            });
        }
        let lines: Vec<String> = texts(&lay_out(&p))
            .into_iter()
            .filter(|t| t != "|")
            .collect();
        assert_eq!(
            lines,
            [
                "links een",
                "links twee",
                "links drie",
                "midden een",
                "midden twee",
                "midden drie",
                "rechts een",
                "rechts twee",
                "rechts drie"
            ]
        );
    }

    #[test]
    fn ocr_lines_interleaving_two_columns_are_put_back_in_column_order() {
        // An OCR engine that read across the gutter draws each row of both columns as one line.
        let p = page(&[
            ("Jeugdhulpprofessionals moeten vaak", 50.0, 100.0, 10.0),
            ("Een combinatie van een", 320.0, 100.0, 10.0),
            ("moeilijke beslissingen nemen", 50.0, 112.0, 10.0),
            ("literatuurscan en interviews", 320.0, 112.0, 10.0),
        ]);
        assert_eq!(
            texts(&lay_out(&p)),
            [
                "Jeugdhulpprofessionals moeten vaak",
                "moeilijke beslissingen nemen",
                "Een combinatie van een",
                "literatuurscan en interviews"
            ]
        );
    }

    #[test]
    fn a_full_width_box_separates_the_column_sets_above_and_below() {
        let p = page(&[
            ("boven links", 50.0, 100.0, 10.0),
            ("boven rechts", 300.0, 100.0, 10.0),
            (
                "een brede regel over de hele breedte van de pagina heen",
                50.0,
                140.0,
                10.0,
            ),
            ("onder links", 50.0, 180.0, 10.0),
            ("onder rechts", 300.0, 180.0, 10.0),
        ]);
        assert_eq!(
            texts(&lay_out(&p)),
            [
                "boven links",
                "boven rechts",
                "een brede regel over de hele breedte van de pagina heen",
                "onder links",
                "onder rechts"
            ]
        );
    }

    #[test]
    fn a_figure_set_large_is_not_joined_to_the_words_beside_it() {
        // The factsheet: "47%" at 17 pt on the baseline of the first line of its statement
        // at 7 pt; a footnote mark set small still joins its word.
        let p = page(&[
            ("47%", 29.0, 222.0, 17.0),
            ("vindt de ruimte om te investeren in", 58.0, 222.0, 7.0),
            ("relatie met hun cliënten", 58.0, 230.0, 7.0),
            ("Ferguson", 300.0, 400.0, 10.0),
            ("4", 342.0, 399.0, 5.5),
        ]);
        let texts = texts(&lay_out(&p));
        assert!(texts.iter().any(|t| t == "47%"), "{texts:?}");
        assert!(
            texts
                .iter()
                .any(|t| t == "vindt de ruimte om te investeren in"),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t == "Ferguson 4"), "{texts:?}");
    }

    #[test]
    fn blocks_break_at_paragraph_gaps_and_size_changes() {
        let p = page(&[
            ("Aanleiding", 50.0, 60.0, 14.0),
            ("eerste regel", 50.0, 90.0, 10.0),
            ("tweede regel", 50.0, 102.0, 10.0),
            ("nieuwe alinea", 50.0, 130.0, 10.0),
        ]);
        let blocks: Vec<u32> = lay_out(&p).lines.iter().map(|l| l.block).collect();
        assert_eq!(blocks, [0, 1, 1, 2]);
    }

    #[test]
    fn an_ocr_line_going_on_with_its_sentence_stays_in_its_block_at_another_measured_size() {
        // A tile of the factsheet scan as tesseract measures it: the second line has a
        // descender, so it comes out a third larger and its baseline (the bottom of its boxes)
        // lower; the tile's figure is a block of its own, and so is a line opening a sentence.
        let lines = [
            ("62%", 423.4, 126.2, 14.4),
            ("werkt meer uur", 414.2, 137.3, 5.7),
            ("dan in aanstelling", 409.9, 149.3, 7.5),
            ("vermeld", 426.2, 156.5, 6.6),
            ("Hoog personeelsverloop", 406.1, 168.0, 8.3),
            ("26%", 502.1, 253.2, 10.5),
            ("medewerkers", 492.0, 265.5, 7.2),
        ];
        let mut ocr = page(&lines);
        ocr.ocr = true;
        let blocks: Vec<u32> = lay_out(&ocr).lines.iter().map(|l| l.block).collect();
        assert_eq!(blocks, [0, 1, 1, 1, 2, 3, 4]);
        // Type in a text layer is measured exactly: a change of size is a change of block.
        let text = page(&lines);
        let blocks: Vec<u32> = lay_out(&text).lines.iter().map(|l| l.block).collect();
        assert_eq!(blocks, [0, 1, 2, 2, 3, 4, 5]);
    }

    #[test]
    fn a_bullet_drawn_as_a_shape_starts_a_list_item() {
        let mut p = page(&[
            ("Voor organisaties:", 60.0, 100.0, 10.0),
            ("Benadruk dat professionals leren", 72.0, 114.0, 10.0),
            ("van elkaar.", 72.0, 126.0, 10.0),
        ]);
        p.rects.push(Rect {
            x0: 63.0,
            y0: 108.0,
            x1: 67.0,
            y1: 112.0,
        });
        let lines = lay_out(&p).lines;
        let items: Vec<bool> = lines.iter().map(|l| l.list_item).collect();
        assert_eq!(items, [false, true, false]);
        assert_eq!(lines[1].block, lines[2].block);
    }

    #[test]
    fn an_ocr_list_number_set_apart_joins_its_item() {
        // OCR draws "3." smaller, a little off the line and a gutter's width from its text,
        // with the lines around it covering no part of the gap.
        let p = page(&[
            ("om te doen wat nodig is", 72.0, 130.0, 9.0),
            ("3.", 50.0, 152.5, 7.0),
            ("Haal voldoening uit kleine successen", 72.0, 152.0, 9.0),
            ("kunnen jaren later zichtbaar worden", 72.0, 164.0, 9.0),
        ]);
        assert_eq!(
            texts(&lay_out(&p)),
            [
                "om te doen wat nodig is",
                "3. Haal voldoening uit kleine successen",
                "kunnen jaren later zichtbaar worden"
            ]
        );
    }

    #[test]
    fn the_last_word_of_a_skewed_ocr_line_stays_on_its_line() {
        // The word sticks out past the ends of the lines around it: no column goes on there.
        let p = page(&[
            (
                "Benadruk dat professionals van elkaar leren,",
                50.0,
                100.0,
                10.0,
            ),
            ("en", 280.0, 101.0, 10.0),
            ("waardeer het als ze dit doen.", 50.0, 114.0, 10.0),
        ]);
        assert_eq!(
            texts(&lay_out(&p)),
            [
                "Benadruk dat professionals van elkaar leren, en",
                "waardeer het als ze dit doen."
            ]
        );
    }

    #[test]
    fn a_table_is_read_row_by_row_with_its_cells() {
        // Tabel 1 of the report: labels left, counts right-aligned in a column of their own, a
        // label wrapped over two lines; two-column text beside it is no table.
        let p = page(&[
            ("Tabel 1", 50.0, 80.0, 8.0),
            ("Aantal professionals", 55.0, 100.0, 7.6),
            ("78", 270.0, 100.0, 7.6),
            ("Gemeentelijke toegang (lokale teams,", 55.0, 115.0, 7.6),
            ("32", 270.0, 115.0, 7.6),
            ("sociaal (wijk)team, CJG, etc.)", 55.0, 125.0, 7.6),
            ("Onbekend", 55.0, 140.0, 7.6),
            ("15", 270.0, 140.0, 7.6),
            ("Tekst in de rechterkolom die over", 320.0, 100.0, 7.6),
            ("meerdere regels doorloopt en", 320.0, 115.0, 7.6),
            ("daarna eindigt.", 320.0, 125.0, 7.6),
        ]);
        let lines = lay_out(&p).lines;
        let rows: Vec<(&str, Vec<String>)> = lines
            .iter()
            .filter(|l| !l.cells.is_empty())
            .map(|l| (l.text.as_str(), l.cells.clone()))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "Aantal professionals 78",
                    vec!["Aantal professionals".into(), "78".into()]
                ),
                (
                    "Gemeentelijke toegang (lokale teams, sociaal (wijk)team, CJG, etc.) 32",
                    vec![
                        "Gemeentelijke toegang (lokale teams, sociaal (wijk)team, CJG, etc.)"
                            .into(),
                        "32".into()
                    ]
                ),
                ("Onbekend 15", vec!["Onbekend".into(), "15".into()]),
            ]
        );
        let blocks: Vec<u32> = lines
            .iter()
            .filter(|l| !l.cells.is_empty())
            .map(|l| l.block)
            .collect();
        assert_eq!(blocks.len(), 3);
        assert!(
            blocks.windows(2).all(|w| w[0] < w[1]),
            "a row is a block of its own"
        );
    }

    #[test]
    fn a_count_misread_as_two_letters_does_not_end_its_column() {
        // Tabel 1 of the report scan as its OCR layer reads it: "59" came out as "ie", and the
        // first row must stay in the table all the same.
        let p = page(&[
            ("Aantal professionals", 65.0, 310.5, 6.9),
            ("78", 273.8, 311.6, 6.9),
            ("Stagiaires vierde jaar", 65.3, 325.9, 6.9),
            ("19", 275.3, 327.0, 6.9),
            ("ee aeabiedsreank", 64.8, 346.6, 6.9),
            ("ie", 274.6, 347.6, 6.9),
            ("Onbekend", 64.3, 362.0, 6.9),
            ("15", 274.6, 362.6, 6.9),
            ("HBO Social Work", 64.3, 377.0, 6.9),
            ("17", 274.6, 377.6, 6.9),
        ]);
        let rows: Vec<String> = lay_out(&p)
            .lines
            .iter()
            .filter(|l| !l.cells.is_empty())
            .map(|l| l.cells.join(" | "))
            .collect();
        assert_eq!(
            rows,
            [
                "Aantal professionals | 78",
                "Stagiaires vierde jaar | 19",
                "ee aeabiedsreank | ie",
                "Onbekend | 15",
                "HBO Social Work | 17",
            ]
        );
    }

    #[test]
    fn two_columns_of_text_are_no_table() {
        let p = page(&[
            ("Professionals leren in de praktijk", 50.0, 100.0, 10.0),
            ("van collega's en van ouders.", 50.0, 112.0, 10.0),
            ("Zo", 50.0, 124.0, 10.0),
            ("Ook opleidingen spelen een rol bij", 300.0, 100.0, 10.0),
            ("het leren van studenten.", 300.0, 112.0, 10.0),
            ("Dus", 300.0, 124.0, 10.0),
        ]);
        assert!(lay_out(&p).lines.iter().all(|l| l.cells.is_empty()));
    }

    #[test]
    fn a_line_opening_with_an_item_number_after_a_sentence_starts_an_item() {
        let p = page(&[
            ("Voor opleidingen:", 50.0, 100.0, 8.5),
            ("1. Laat studenten stage lopen in", 53.0, 112.0, 8.5),
            ("de jeugdhulp.", 62.0, 124.0, 8.5),
            ("2. Nodig praktijkprofessionals uit.", 53.0, 136.0, 8.5),
        ]);
        let items: Vec<bool> = lay_out(&p).lines.iter().map(|l| l.list_item).collect();
        assert_eq!(items, [false, true, false, true]);
    }

    #[test]
    fn lines_inside_a_drawn_rectangle_are_boxed() {
        let mut p = page(&[
            ("in het kader", 60.0, 100.0, 10.0),
            ("erbuiten", 60.0, 300.0, 10.0),
        ]);
        p.rects.push(Rect {
            x0: 50.0,
            y0: 80.0,
            x1: 300.0,
            y1: 150.0,
        });
        let boxed: Vec<bool> = lay_out(&p).lines.iter().map(|l| l.boxed).collect();
        assert_eq!(boxed, [true, false]);
    }
}
