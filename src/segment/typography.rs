//! The document's type, named: body text is the size that carries the most characters, and
//! every other size is read against it as one of a few classes (small print, body, a step
//! larger, heading, prominent, display). The detectors ask for a class, never for a ratio of
//! their own, so "large" means the same thing to a heading, a title and a key figure.
//!
//! Invariant: every comparison of a font size in segmentation goes through this module; a
//! class is measured against the body text of the block's page when that page has enough text
//! of its own, else against the document's.

use std::collections::HashMap;

use super::Block;

/// How a size compares with body text, from smallest to most prominent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SizeClass {
    /// Below `BODY` times body: footnote marks, captions, the fine print of a figure.
    Small,
    /// Body type, give or take what a bold face or an OCR measurement adds.
    Body,
    /// A step larger than body: a heading when something else says so too (its number).
    Larger,
    /// Set apart by size alone: a heading without any other sign.
    Heading,
    /// Clearly larger than any heading a measurement's jitter could make of body text: a
    /// title, a chapter number set on its own.
    Prominent,
    /// Display type: a key figure in a tile, a cover's title.
    Display,
}

/// Lower bounds of the classes, as ratios to body size. A size from `BODY` up is body type: a
/// bold face measures a little smaller, and the sizes OCR measures (glyph-box heights) jitter
/// by a tenth.
const BODY: f32 = 0.95;
/// Below this a bare number is small print (a footnote mark, a page number), not a figure.
const SMALL: f32 = 0.9;
/// One step up the usual type scales (10 → 10.5 pt): larger, but not enough to stand out on
/// its own.
const LARGER: f32 = 1.05;
/// The smallest step at which a reader sees a line as set larger without any other sign.
const HEADING: f32 = 1.12;
/// A title is set a clear step above the headings and the body below it.
const TITLE: f32 = 1.2;
/// On an OCR page, a size this far above body is beyond its jitter plus a heading's step.
const CLEAR_OF_JITTER: f32 = 1.25;
/// A number set on its own this large is a chapter number, not a figure in the text.
const PROMINENT: f32 = 1.3;
/// Display type.
const DISPLAY: f32 = 1.5;

/// Two sizes that differ by at most this fraction are one size (one heading's lines, one
/// title wrapped over blocks); OCR's `OCR_SAME` is wider, as its sizes jitter.
const SAME: f32 = 0.05;
const WRAP_SAME: f32 = 0.06;
const OCR_SAME: f32 = 0.1;
/// On an OCR page a block stands out from its neighbours when it is `STANDS_OUT` times their
/// size, and a neighbour up to `NOT_LARGER` times its size is text to compare with.
const STANDS_OUT: f32 = 1.08;
const NOT_LARGER: f32 = 1.04;

/// A page needs this many characters of its own for its body size to count (a summary page
/// in small print); a page with less is measured against the document.
const PAGE_CHARS: usize = 600;

/// The type of one document: its body size, each page's, and whether the sizes were measured
/// by OCR.
#[derive(Debug, Clone)]
pub(crate) struct Typography {
    /// The document's body size: the size that carries the most characters.
    pub body: f32,
    pages: HashMap<u32, f32>,
    /// The sizes jitter as OCR measures them: fewer than half of the blocks of two or more
    /// lines have lines of one size.
    pub uneven: bool,
}

impl Typography {
    /// Measures the blocks of one document.
    pub fn of(blocks: &[Block]) -> Typography {
        let body = body_size(blocks);
        let mut by_page: HashMap<u32, Vec<&Block>> = HashMap::new();
        for b in blocks {
            by_page.entry(b.page).or_default().push(b);
        }
        let pages = by_page
            .into_iter()
            .filter(|(_, bs)| {
                bs.iter().map(|b| b.text.chars().count()).sum::<usize>() >= PAGE_CHARS
            })
            .map(|(page, bs)| (page, body_size(bs.iter().copied())))
            .collect();
        Typography {
            body,
            pages,
            uneven: uneven_sizes(blocks),
        }
    }

    /// A document of body size `body` on every page, measured in print (for tests).
    #[cfg(test)]
    pub fn with_body(body: f32) -> Typography {
        Typography {
            body,
            pages: HashMap::new(),
            uneven: false,
        }
    }

    /// The body size that the blocks of `page` are measured against.
    pub fn body_on(&self, page: u32) -> f32 {
        self.pages.get(&page).copied().unwrap_or(self.body)
    }

    /// The class of `size` on `page`.
    pub fn class_on(&self, size: f32, page: u32) -> SizeClass {
        class(size, self.body_on(page))
    }

    /// The class of a block, against its page's body size.
    pub fn class(&self, b: &Block) -> SizeClass {
        self.class_on(b.size, b.page)
    }

    /// The class of `size` against the document's body size.
    pub fn class_in_document(&self, size: f32) -> SizeClass {
        class(size, self.body)
    }

    /// Whether `size` is at least a title's step above the document's body.
    pub fn title_size(&self, size: f32) -> bool {
        size >= self.body * TITLE
    }

    /// Whether `size` on an OCR page is beyond the jitter of a heading's step (a size below is
    /// "hardly larger": a label at most).
    pub fn clear_of_jitter(&self, size: f32, page: u32) -> bool {
        size >= self.body_on(page) * CLEAR_OF_JITTER
    }

    /// How `size` reads on `page`, for a decision's evidence: "14.0 pt, 1.40 x body 10.0 pt".
    pub fn describe(&self, size: f32, page: u32) -> String {
        let body = self.body_on(page);
        format!(
            "{size:.1} pt, {:.2} x body {body:.1} pt ({:?})",
            size / body.max(0.1),
            self.class_on(size, page)
        )
    }
}

/// The class of `size` against `body`.
pub(crate) fn class(size: f32, body: f32) -> SizeClass {
    let r = size / body.max(0.1);
    if r >= DISPLAY {
        SizeClass::Display
    } else if r >= PROMINENT {
        SizeClass::Prominent
    } else if r >= HEADING {
        SizeClass::Heading
    } else if r >= LARGER {
        SizeClass::Larger
    } else if r >= BODY {
        SizeClass::Body
    } else {
        SizeClass::Small
    }
}

/// Whether a size is too small for a figure set apart: small print.
pub(crate) fn small_print(size: f32, body: f32) -> bool {
    size < body * SMALL
}

/// Whether two sizes are one size: the lines of one heading or title.
pub(crate) fn same_size(a: f32, b: f32) -> bool {
    (a - b).abs() <= SAME * a
}

/// Whether two blocks set directly one under the other are one heading wrapped.
pub(crate) fn same_wrapped(a: f32, b: f32) -> bool {
    (a - b).abs() <= WRAP_SAME * a
}

/// Whether two sizes as OCR measured them can be one size.
pub(crate) fn same_measured(a: f32, b: f32) -> bool {
    (a - b).abs() <= OCR_SAME * a
}

/// Whether a neighbour of size `n` is text to compare a block of size `b` with: not set
/// larger than it.
pub(crate) fn not_larger(n: f32, b: f32) -> bool {
    n <= b * NOT_LARGER
}

/// Whether size `b` stands out from a neighbour of size `n`.
pub(crate) fn stands_out_from(b: f32, n: f32) -> bool {
    b >= n * STANDS_OUT
}

/// Whether a size is within a measurement's jitter of the largest (OCR may measure a heading
/// larger than the title above it).
pub(crate) fn near_largest(size: f32, largest: f32) -> bool {
    size >= largest * (1.0 - OCR_SAME)
}

/// The prominence rank of `size` among `sizes` (1 = the largest): the heading level an
/// unnumbered heading takes when no numbered heading gives levels, at most 3.
pub(crate) fn rank(sizes: &[f32], size: f32) -> u8 {
    let mut keys: Vec<i32> = sizes.iter().map(|s| half_points(*s)).collect();
    keys.sort_unstable_by(|a, b| b.cmp(a));
    keys.dedup();
    let key = half_points(size);
    (keys.iter().position(|k| *k == key).unwrap_or(0) + 1).min(3) as u8
}

/// A size rounded to half a point: sizes a producer sets are whole or half points.
fn half_points(size: f32) -> i32 {
    (size * 2.0).round() as i32
}

/// The size of body text: the size (to half a point) that carries the most characters.
pub(crate) fn body_size<'a>(blocks: impl IntoIterator<Item = &'a Block>) -> f32 {
    let mut weights: Vec<(i32, usize)> = Vec::new();
    for b in blocks {
        let key = half_points(b.size);
        let n = b.text.chars().count();
        match weights.iter_mut().find(|(k, _)| *k == key) {
            Some((_, w)) => *w += n,
            None => weights.push((key, n)),
        }
    }
    weights
        .iter()
        .max_by_key(|(_, w)| *w)
        .map(|(k, _)| *k as f32 / 2.0)
        .unwrap_or(10.0)
}

/// Whether the lines of a paragraph differ in size, as they do when OCR measured them (each
/// line's size is the height of its glyph boxes, so ascenders and descenders move it by a
/// tenth): fewer than half of the blocks of two or more lines have lines of one size.
fn uneven_sizes(blocks: &[Block]) -> bool {
    let multi: Vec<&Block> = blocks.iter().filter(|b| b.n_lines >= 2).collect();
    let even = multi
        .iter()
        .filter(|b| {
            let sizes = b.geometry.iter().map(|g| g.size);
            let (lo, hi) = sizes.fold((f32::MAX, f32::MIN), |(lo, hi), s| (lo.min(s), hi.max(s)));
            hi - lo <= 0.15
        })
        .count();
    multi.len() >= 4 && even * 2 < multi.len()
}

#[cfg(test)]
mod tests {
    use super::super::{blocks, test_support::page};
    use super::*;

    /// Principle: body text is the size that carries the most characters, however many
    /// headings are set larger or captions smaller.
    #[test]
    fn body_is_the_size_that_carries_the_most_text() {
        let long = "Jeugdhulpprofessionals nemen vaak moeilijke beslissingen met grote gevolgen.";
        let bs = blocks(&[page(
            1,
            &[
                ("Titel", 24.0),
                ("Kop een", 14.0),
                ("Kop twee", 14.0),
                (long, 10.0),
                ("Bron: PEO", 8.0),
                (long, 10.0),
            ],
        )]);
        let t = Typography::of(&bs);
        assert_eq!(t.body, 10.0);
        assert!(!t.uneven);
    }

    /// Principle: a size is read against body text, as one of a few classes; the same ratio
    /// is the same class for every detector.
    #[test]
    fn sizes_are_classes_of_the_body_size() {
        let got: Vec<SizeClass> = [8.0, 9.6, 10.0, 10.6, 11.5, 13.5, 16.0]
            .iter()
            .map(|s| class(*s, 10.0))
            .collect();
        use SizeClass::*;
        assert_eq!(
            got,
            [Small, Body, Body, Larger, Heading, Prominent, Display]
        );
        assert!(small_print(8.5, 10.0) && !small_print(9.5, 10.0));
    }

    /// Principle: a page with enough text of its own (a summary page in small print) measures
    /// its headings against its own body; a page with a few lines against the document's.
    #[test]
    fn a_page_with_text_of_its_own_has_its_own_body() {
        let long = "Jeugdhulpprofessionals nemen vaak moeilijke beslissingen met grote gevolgen voor jeugdigen en gezinnen in de regio.";
        let mut pages = vec![page(1, &[(long, 10.0); 12])];
        pages.push(page(2, &[(long, 8.0); 8]));
        pages.push(page(3, &[("Een korte pagina", 8.0)]));
        let t = Typography::of(&blocks(&pages));
        assert_eq!(t.body, 10.0);
        assert_eq!(t.body_on(2), 8.0);
        assert_eq!(t.body_on(3), 10.0);
        assert_eq!(t.class_on(9.0, 2), SizeClass::Heading);
        assert_eq!(t.class_on(9.0, 3), SizeClass::Small);
    }

    /// Principle: unnumbered headings take their level from the rank of their size among the
    /// headings, the largest first.
    #[test]
    fn heading_levels_rank_by_prominence() {
        let sizes = [18.0, 14.0, 14.0, 12.0, 11.0];
        assert_eq!(rank(&sizes, 18.0), 1);
        assert_eq!(rank(&sizes, 14.0), 2);
        assert_eq!(rank(&sizes, 12.0), 3);
        assert_eq!(rank(&sizes, 11.0), 3);
    }
}
