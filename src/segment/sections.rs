//! Headings: numbered chapters and paragraphs, kaders, and unnumbered headings told apart from
//! body text by their font size.
//!
//! Invariant: a heading is one block (or two that layout split); captions ("Tabel 1", "Figuur 2"), labels ending in a
//! colon, quotes and figures are never headings.

use std::sync::LazyLock;

use regex::Regex;

use super::typography::{self, SizeClass, Typography};
use super::{vocab, Block};
use crate::model::{Section, SectionKind, SegmentRule};

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\p{Lu}.*)$").expect("valid regex")
});
static KADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?i:{})\s*(\d{{1,2}})\s*[|:.\-–]?\s*(.*)$",
        vocab::BOX_WORD
    ))
    .expect("valid regex")
});
/// A kader's title as printed on a line of its own: "Kader 4 | Leren samenwerken".
pub(crate) fn is_kader_title(text: &str) -> bool {
    static TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"^(?i:{})\s*\d{{1,2}}\s*[|:]\s*\p{{Lu}}[^.!?]{{0,120}}$",
            vocab::BOX_WORD
        ))
        .expect("valid regex")
    });
    TITLE.is_match(text.trim())
}

/// A number in a circle or a box before a heading, as OCR reads it: "(3 }", "[6 }", "(7)".
static CIRCLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(\[{|]\s*(\d{1,2})\s*[)\]}|]?\s+(\p{Lu}.{1,80})$").expect("valid regex")
});
/// A percentage or a report mark: a key figure set large, never a heading.
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d\s?%|\b\d{1,2},\d\b").expect("valid regex"));
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?i:{})\s*\d*\b",
        vocab::alternation(&vocab::CAPTION_WORDS)
    ))
    .expect("valid regex")
});

/// "Aan professionals:", "Voor organisaties:": the audience of the recommendations that
/// follow, not a section.
fn is_audience_label(text: &str) -> bool {
    let t = text.trim();
    t.ends_with(':')
        && t.split_once(' ')
            .is_some_and(|(first, _)| vocab::AUDIENCE_OPENERS.contains(&first))
        && t.split_whitespace().count() <= 6
}

/// The publishers of the PEO print their names as logos on covers and page corners.
///
/// FIXME: names of the corpus's publishers, not a principle. Without it the zoo scores the
/// same, but the corpus's logos read as the factsheet scan's title, as headings of two
/// summaries and of the web page copy, and as a recommendation of the web page (make quality:
/// 6 thresholds fail). A principle that would replace it (a short line in the title block,
/// or at a page's corner, that recurs as furniture) needs the page geometry segmentation does
/// not yet receive.
pub(crate) fn is_publisher(text: &str) -> bool {
    // A logo's icon read as a character ("8 Kennisnetwerk Jeugd Haaglanden") is no name.
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().count() > 1)
        .collect();
    let key: String = words
        .join(" ")
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    [
        "kennisnetwerkjeugdhaaglanden",
        "dehaagsehogeschool",
        "haagsehogeschool",
        "kennisnetwerk",
        "kennisnetwerkjeugd",
        "haaglanden",
        "dehaagse",
        "hogeschool",
        "jeugdhaaglanden",
    ]
    .contains(&key.as_str())
}

pub(crate) struct Headings {
    /// Each heading with the index of its block.
    pub sections: Vec<(usize, Section)>,
    /// Blocks used as headings (a heading may take a separate number block too, or a second
    /// line layout set apart), with the rule that made each one and what it saw.
    pub blocks: Vec<(usize, SegmentRule, String)>,
    /// Blocks set large enough to be headings that a rule declined, and why.
    pub declined: Vec<(usize, SegmentRule, String)>,
    /// Whether each block of the document is boxed, by block index.
    boxed: Vec<bool>,
}

impl Headings {
    /// The reference of the innermost section a block stands in. A kader's scope ends where
    /// the boxed text ends.
    pub fn section_at(&self, idx: usize) -> Option<String> {
        let in_box = self.boxed.get(idx).copied().unwrap_or(false);
        self.sections
            .iter()
            .rev()
            .filter(|(i, _)| *i <= idx)
            .find(|(i, s)| s.kind != SectionKind::Kader || in_box || *i == idx)
            .map(|(_, s)| s.reference())
    }
}

/// Whether a block reads like a heading; a `large` one (set clearly bigger than body text) may
/// end in a colon ("Aanbevelingen aan professionals:"), a body-sized one is then a label.
fn is_heading_text(text: &str, large: bool) -> bool {
    let t = text.trim();
    let words = t.split_whitespace().count();
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    let first_ok = t
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let quote = t.starts_with(vocab::OPENING_MARKS);
    first_ok
        && !quote
        && letters >= 3
        && words <= 14
        && t.chars().count() <= 120
        && !t.ends_with([';', ','])
        && (large || !t.ends_with(':'))
        && !(t.ends_with('.') && words > 3)
        && !CAPTION.is_match(t)
        && !FIGURE.is_match(t)
}

/// Whether a block opens a list item: marked by layout, or enumerated in its text.
fn is_list_item(b: &Block) -> bool {
    b.list_item || super::enumerators::parse(&b.text).is_some()
}

/// A label in bold body type on a line of its own ("Twee achterliggende oorzaken:",
/// "Auteurs") heads what follows when that is a list (after a colon) or a new sentence in
/// regular type; a bold phrase that runs on into its paragraph, a clause ending in a comma or a
/// form field ("Naam:") does not.
fn is_bold_label(b: &Block, next: Option<&Block>) -> bool {
    let t = b.text.trim();
    let Some(next) = next.filter(|n| n.page == b.page) else {
        return false;
    };
    let opens_sentence = next
        .text
        .trim()
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    b.bold
        && b.n_lines == 1
        && t.split_whitespace().count() <= 8
        && !t.trim_end_matches(':').contains([',', ';', '.'])
        && is_heading_text(t, true)
        && !next.bold
        && if t.ends_with(':') {
            is_list_item(next)
        } else {
            opens_sentence
        }
}

/// Whether block `n` starts indented under block `b` in the same column, as a list under its
/// label does when its bullets hang or were lost.
fn indented_under(n: &Block, b: &Block) -> bool {
    let (Some(g), Some(h)) = (n.geometry.first(), b.geometry.first()) else {
        return false;
    };
    n.page == b.page
        && n.top >= b.bottom - 1.0
        && g.x0 >= h.x0 + 0.5 * h.size
        && g.x0 <= h.x0 + 4.0 * h.size
}

/// A label on a line of its own that ends in a colon with a list indented under it
/// ("Twee achterliggende oorzaken:"), where no bold type shows it: an OCR text layer.
fn is_list_label(b: &Block, next: Option<&Block>) -> bool {
    let t = b.text.trim();
    b.n_lines == 1
        && t.ends_with(':')
        && t.split_whitespace().count() <= 8
        && !t.trim_end_matches(':').contains([',', ';', '.'])
        && is_heading_text(t, true)
        && !is_audience_label(t)
        && next.is_some_and(|n| {
            // Items of a list have words; figures set under a line ending in a colon do not.
            indented_under(n, b) && n.text.chars().filter(|c| c.is_alphabetic()).count() >= 3
        })
}

/// A word or three on a line of their own, measured larger than the text above and below them
/// in their column, before a line that opens a sentence ("Auteurs" over the names): bold type
/// as an OCR layer shows it.
fn is_short_label(blocks: &[Block], skip: &[usize], k: usize) -> bool {
    let b = &blocks[k];
    let t = b.text.trim();
    b.n_lines == 1
        && t.split_whitespace().count() <= 3
        && !t.contains(['.', ',', ';', ':', '!', '?'])
        && is_heading_text(t, false)
        && blocks.get(k + 1).is_some_and(|n| {
            n.page == b.page && n.text.trim_start().starts_with(char::is_uppercase)
        })
        && stands_out(blocks, skip, k, k)
}

/// Whether blocks `first..=last` are set at least 1.08 times the size of the text next to them
/// in their column: the nearest block of text above and the nearest below on the page (specks
/// read as a word or two are no text to compare with, nor are a larger heading and the title).
fn stands_out(blocks: &[Block], skip: &[usize], first: usize, last: usize) -> bool {
    let b = &blocks[first];
    let span = |n: &Block| {
        n.geometry.iter().fold((f32::MAX, f32::MIN), |(lo, hi), g| {
            (lo.min(g.x0), hi.max(g.x1))
        })
    };
    let (x0, x1) = span(b);
    let near = |n: &&Block| {
        let (n0, n1) = span(n);
        n.page == b.page
            && n0 < x1
            && n1 > x0
            && typography::not_larger(n.size, b.size)
            && !skip.contains(&n.idx)
            && n.text.chars().filter(|c| c.is_alphabetic()).count() >= 12
    };
    let above = blocks[..first]
        .iter()
        .rev()
        .filter(|n| n.bottom <= b.top + 1.0)
        .find(near);
    let below = blocks[last + 1..]
        .iter()
        .filter(|n| n.top >= blocks[last].bottom - 1.0)
        .find(near);
    [above, below]
        .into_iter()
        .flatten()
        .all(|n| typography::stands_out_from(b.size, n.size))
}

/// Whether block `n` is the second line of heading `b`, set apart by layout: the same size,
/// directly below it in the same column.
fn wraps_on(b: &Block, n: &Block) -> bool {
    let (Some(g), Some(h)) = (n.geometry.first(), b.geometry.first()) else {
        return false;
    };
    n.page == b.page
        && b.n_lines + n.n_lines <= 3
        && typography::same_wrapped(b.size, n.size)
        && n.top >= b.bottom - 1.0
        && n.top - b.bottom < 0.8 * b.size
        && (g.x0 - h.x0).abs() <= 2.0 * b.size
}

pub(crate) fn detect(blocks: &[Block], typo: &Typography, skip: &[usize]) -> Headings {
    let uneven = typo.uneven;
    let mut found: Vec<(usize, Section, f32)> = Vec::new();
    let mut used: Vec<(usize, SegmentRule, String)> = Vec::new();
    let mut declined: Vec<(usize, SegmentRule, String)> = Vec::new();
    let size = |b: &Block| typo.describe(b.size, b.page);
    // The number of the last numbered heading, as (chapter, paragraph); 0 for a chapter.
    let mut last_number: Option<(u32, u32)> = None;
    // A tagged PDF whose tree names headings says which blocks are headings; a tree that tags
    // everything P says nothing, and geometry decides.
    let tree_headings = blocks.iter().any(|b| b.heading.is_some());
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        i += 1;
        let class = typo.class(b);
        if skip.contains(&b.idx) || b.list_item {
            continue;
        }
        let read = b.text.trim();
        // A block number printed in a circle, as OCR reads it: "(3 } Werkplezier".
        let circled = (class >= SizeClass::Heading)
            .then(|| CIRCLED.captures(read))
            .flatten()
            .map(|c| format!("{} {}", &c[1], &c[2]));
        let text = circled.as_deref().unwrap_or(read);
        if let Some(c) = KADER.captures(text) {
            let title = c[2].trim().to_string();
            if !title.is_empty() && title.split_whitespace().count() <= 14 {
                let section = Section {
                    number: Some(format!("Kader {}", &c[1])),
                    title,
                    level: 2,
                    kind: SectionKind::Kader,
                    page: b.page,
                };
                found.push((b.idx, section, b.size));
                used.push((
                    b.idx,
                    SegmentRule::BoxTitle,
                    format!("a numbered box's title: {:?}", c[1].to_string()),
                ));
                continue;
            }
        }
        if tree_headings {
            // A chapter number the tree tags as a heading of its own heads the heading after it.
            let lone =
                b.heading.is_some() && text.len() <= 2 && text.chars().all(|c| c.is_ascii_digit());
            let next = blocks
                .get(i)
                .filter(|n| n.page == b.page && n.heading.is_some());
            if let Some(n) = next.filter(|_| lone) {
                if let Some(mut section) = tagged_heading(n, n.text.trim(), typo) {
                    section.number = Some(text.to_string());
                    last_number = numbering(text).or(last_number);
                    found.push((b.idx, section, n.size));
                    used.push((
                        b.idx,
                        SegmentRule::ChapterNumber,
                        format!("a chapter number the tree tags as a heading of its own, numbering {:?}", n.text.trim()),
                    ));
                    used.push((
                        n.idx,
                        SegmentRule::TaggedHeading,
                        format!("tagged H{}, {}", n.heading.unwrap_or(0), size(n)),
                    ));
                    i += 1;
                    continue;
                }
            }
            let Some(level) = b.heading else {
                continue;
            };
            if let Some(section) = tagged_heading(b, text, typo) {
                if let Some(n) = section.number.as_deref().and_then(numbering) {
                    last_number = Some(n);
                }
                found.push((b.idx, section, b.size));
                used.push((
                    b.idx,
                    SegmentRule::TaggedHeading,
                    format!("tagged H{level}, {}", size(b)),
                ));
                continue;
            }
            declined.push((
                b.idx,
                SegmentRule::TaggedHeading,
                format!(
                    "tagged H{level}, but {} (below the heading class, or no heading's words): left to the untagged rules",
                    size(b)
                ),
            ));
            // An H that does not stand out by its size is a heading when the page shows one
            // too: the rules for untagged text decide.
        }
        // A chapter number set apart from its title, in a large size; OCR reads the circle a
        // block number is printed in as brackets around it ("(7)", "1)").
        let number = text.trim_matches(['(', ')', '[', ']', '{', '}', '|']);
        let lone_number = !number.is_empty()
            && number.len() <= 2
            && number.chars().all(|c| c.is_ascii_digit())
            && class >= SizeClass::Prominent;
        if lone_number {
            let text = number;
            // The number says the title after it heads a chapter: like a numbered heading, it
            // need only be set a step larger than body text.
            if let Some(next) = blocks.get(i).filter(|n| {
                n.page == b.page
                    && typo.class(n) >= SizeClass::Larger
                    && is_heading_text(&n.text, true)
            }) {
                let section = Section {
                    number: Some(text.to_string()),
                    title: next
                        .text
                        .trim()
                        .trim_end_matches(':')
                        .trim_end()
                        .to_string(),
                    level: 1,
                    kind: SectionKind::Heading,
                    page: b.page,
                };
                last_number = numbering(text).or(last_number);
                found.push((b.idx, section, next.size));
                used.push((
                    b.idx,
                    SegmentRule::ChapterNumber,
                    format!("a number set on its own, {}", size(b)),
                ));
                used.push((
                    next.idx,
                    SegmentRule::ChapterNumber,
                    format!("the title after chapter number {text}, {}", size(next)),
                ));
                i += 1;
                continue;
            }
        }
        let mut large = class >= SizeClass::Heading;
        let mut wrapped = None;
        let ocr_title;
        let mut text = text;
        if uneven && large {
            // Sizes as OCR measures them jitter by a tenth: a heading also stands out from the
            // blocks around it. A heading that layout split over two blocks is taken whole, and
            // its first letter and a final stop are OCR's to doubt ("inpact ... op.").
            wrapped = blocks.get(i).filter(|n| wraps_on(b, n));
            large = stands_out(blocks, skip, i - 1, i - 1 + usize::from(wrapped.is_some()));
            // Set hardly larger, it is a label rather: one line, no clauses.
            if !typo.clear_of_jitter(b.size, b.page) {
                large &= b.n_lines == 1 && !text.contains([',', ';']);
            }
            // A line in lowercase after an unfinished sentence goes on with that sentence.
            let before = i.checked_sub(2).and_then(|k| blocks.get(k));
            let goes_on = text.starts_with(char::is_lowercase)
                && before.is_some_and(|p| !p.text.trim_end().ends_with(['.', '?', '!', ':']));
            large &= !goes_on;
            if large {
                let mut t = match wrapped {
                    Some(n) => format!("{text} {}", n.text.trim()),
                    None => text.to_string(),
                };
                if t.ends_with('.') && !t.ends_with("..") {
                    t.pop();
                }
                if let Some(first) = t.chars().next().filter(|c| c.is_lowercase()) {
                    t.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
                }
                ocr_title = t;
                text = &ocr_title;
            } else {
                wrapped = None;
            }
        }
        // Bold labels are set in body type: smaller bold type labels parts of a figure. An OCR
        // layer has no bold: there a label is told by the list indented under it.
        let bold_label = !large
            && typo.class_in_document(b.size) >= SizeClass::Body
            && (is_bold_label(b, blocks.get(i))
                || uneven
                    && (is_list_label(b, blocks.get(i)) || is_short_label(blocks, skip, i - 1)));
        if !(is_heading_text(text, large) || bold_label)
            || is_audience_label(text)
            || is_publisher(text)
        {
            if large {
                let why = if is_audience_label(text) {
                    "an audience label"
                } else if is_publisher(text) {
                    "a publisher's name"
                } else {
                    "not a heading's words (a sentence, a caption, a figure, a quotation)"
                };
                declined.push((
                    b.idx,
                    SegmentRule::SizeHeading,
                    format!("{}, but {why}", size(b)),
                ));
            }
            continue;
        }
        let colon = text.ends_with(':');
        let text = text.trim_end_matches(':').trim_end();
        if let Some(c) = NUMBERED.captures(text) {
            // OCR loses the dot of a paragraph number ("44 Leren onder druk"): a number of two
            // digits that reads as the next paragraph is that paragraph.
            let number = match (numbering(&c[1]), last_number) {
                (Some((n, 0)), Some(last)) if (10..100).contains(&n) => {
                    let split = (n / 10, n % 10);
                    if continues(split, last) && !continues((n, 0), last) {
                        format!("{}.{}", split.0, split.1)
                    } else {
                        c[1].to_string()
                    }
                }
                _ => c[1].to_string(),
            };
            // A paragraph heading set hardly larger than the text (as OCR measures it) is still
            // one when it stands on a line of its own and goes on from the numbering so far.
            let in_sequence = b.n_lines == 1
                && class >= SizeClass::Body
                && numbering(&number)
                    .is_some_and(|n| n.1 > 0 && last_number.is_some_and(|l| continues(n, l)));
            if class >= SizeClass::Larger || in_sequence {
                let level = (number.matches('.').count() + 1).min(3) as u8;
                if let Some(n) = numbering(&number) {
                    last_number = Some(n);
                }
                let section = Section {
                    number: Some(number),
                    title: c[2].trim().to_string(),
                    level,
                    kind: SectionKind::Heading,
                    page: b.page,
                };
                found.push((b.idx, section, b.size));
                let why = if class >= SizeClass::Larger {
                    format!("numbered, {}", size(b))
                } else {
                    format!(
                        "numbered at {}, a line of its own that continues the numbering",
                        size(b)
                    )
                };
                used.push((b.idx, SegmentRule::NumberedHeading, why));
                if let Some(n) = wrapped {
                    used.push((
                        n.idx,
                        SegmentRule::NumberedHeading,
                        "the heading's second line, set apart by layout".to_string(),
                    ));
                    i += 1;
                }
                continue;
            }
        }
        // An unnumbered heading that ends in a colon introduces a list; "Kijk op:" before a
        // link does not.
        if colon
            && !blocks
                .get(i)
                .is_some_and(|n| is_list_item(n) || indented_under(n, b))
        {
            continue;
        }
        if (large && b.n_lines <= 3) || bold_label {
            let section = Section {
                number: None,
                title: text.to_string(),
                level: 0,
                kind: SectionKind::Heading,
                page: b.page,
            };
            found.push((b.idx, section, b.size));
            let (rule, why) = if large {
                let around = if uneven {
                    ", larger than the text above and below it"
                } else {
                    ""
                };
                (SegmentRule::SizeHeading, format!("{}{around}", size(b)))
            } else if is_bold_label(b, blocks.get(i)) {
                (
                    SegmentRule::BoldLabel,
                    format!("bold, {}, before a list or a new sentence", size(b)),
                )
            } else if is_list_label(b, blocks.get(i)) {
                (
                    SegmentRule::ListLabel,
                    "ends in a colon, with a list indented under it".to_string(),
                )
            } else {
                (
                    SegmentRule::ShortLabel,
                    format!("a few words, {}, larger than the text around them", size(b)),
                )
            };
            used.push((b.idx, rule, why));
            if let Some(n) = wrapped {
                used.push((
                    n.idx,
                    rule,
                    "the heading's second line, set apart by layout".to_string(),
                ));
                i += 1;
            }
        }
    }
    // Tagged levels count from the highest heading level used for sections (the title is
    // often the only H1).
    let top = found
        .iter()
        .filter(|(i, s, _)| {
            s.kind == SectionKind::Heading && blocks.get(*i).is_some_and(|b| b.heading.is_some())
        })
        .map(|(_, s, _)| s.level)
        .min()
        .unwrap_or(1);
    for (i, s, _) in found.iter_mut() {
        if blocks.get(*i).is_some_and(|b| b.heading.is_some()) {
            s.level = (s.level + 1).saturating_sub(top).clamp(1, 3);
        }
    }
    assign_levels(&mut found);
    Headings {
        sections: found.into_iter().map(|(i, s, _)| (i, s)).collect(),
        blocks: used,
        declined,
        boxed: blocks.iter().map(|b| b.boxed).collect(),
    }
}

/// A block the tree tags as a heading, as a section, unless the page plainly shows otherwise:
/// a heading is short and is no sentence (`is_heading_text`), so an H that holds a paragraph is
/// overruled; an H set hardly larger than body text is left to the rules for untagged text.
fn tagged_heading(b: &Block, text: &str, typo: &Typography) -> Option<Section> {
    let level = b.heading?;
    // An audience label heads a list of recommendations, not a section. An H set hardly
    // larger than the page's body text may be a label the tree calls a heading (a diagram's
    // box, a chart's title): the page must show it is one (see `detect`).
    if is_audience_label(text) || typo.class(b) < SizeClass::Heading {
        return None;
    }
    let text = text.trim_end_matches(':').trim_end();
    if !is_heading_text(text, true) || is_publisher(text) {
        return None;
    }
    let (number, title) = match NUMBERED.captures(text) {
        Some(c) => (Some(c[1].to_string()), c[2].trim().to_string()),
        None => (None, text.to_string()),
    };
    Some(Section {
        number,
        title,
        level,
        kind: SectionKind::Heading,
        page: b.page,
    })
}

/// A heading number of one or two levels as (chapter, paragraph), paragraph 0 for a chapter.
fn numbering(number: &str) -> Option<(u32, u32)> {
    let mut parts = number.split('.');
    let chapter = parts.next()?.parse().ok()?;
    let paragraph = match parts.next() {
        Some(p) => p.parse().ok()?,
        None => 0,
    };
    parts.next().is_none().then_some((chapter, paragraph))
}

/// Whether heading number `n` can follow `last`: the next paragraph or one after it (a heading
/// may be lost), or the first paragraph or the number of the next chapter.
fn continues(n: (u32, u32), last: (u32, u32)) -> bool {
    (n.0 == last.0 && n.1 > last.1 && n.1 <= last.1 + 2) || (n.0 == last.0 + 1 && n.1 <= 1)
}

/// Unnumbered headings take the level of numbered headings of the nearest size, or, without
/// those, the rank of their size.
fn assign_levels(found: &mut [(usize, Section, f32)]) {
    let numbered: Vec<(f32, u8)> = found
        .iter()
        .filter(|(_, s, _)| s.number.is_some() && s.kind == SectionKind::Heading)
        .map(|(_, s, size)| (*size, s.level))
        .collect();
    let sizes: Vec<f32> = found
        .iter()
        .filter(|(_, s, _)| s.level == 0)
        .map(|(_, _, size)| *size)
        .collect();
    for (_, s, size) in found.iter_mut() {
        if s.level != 0 {
            continue;
        }
        s.level = if numbered.is_empty() {
            typography::rank(&sizes, *size)
        } else {
            numbered
                .iter()
                .min_by(|a, b| {
                    (a.0 - *size)
                        .abs()
                        .partial_cmp(&(b.0 - *size).abs())
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .map(|(_, l)| *l)
                .unwrap_or(1)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        blocks,
        test_support::{page, placed},
    };
    use super::*;

    fn check(input: &[(&str, f32)], expected: &[(Option<&str>, &str, u8, &str)]) {
        check_bold(input, &[], expected);
    }

    const BODY: &str = "Professionals geven aan dat het leren van het vak in de praktijk voor een belangrijk deel bestaat uit leren omgaan met situaties.";

    fn titles(pages: &[crate::model::CleanPage]) -> Vec<String> {
        let bs = blocks(pages);
        detect(&bs, &Typography::of(&bs), &[])
            .sections
            .into_iter()
            .map(|(_, s)| s.title)
            .collect()
    }

    /// A page whose lines the tree tags: (text, size, block, role, element).
    fn tagged(
        lines: &[(&str, f32, u32, crate::model::StructRole, u32)],
    ) -> crate::model::CleanPage {
        let texts: Vec<(&str, f32)> = lines.iter().map(|l| (l.0, l.1)).collect();
        let mut p = page(1, &texts);
        for (line, &(_, _, block, role, element)) in p.lines.iter_mut().zip(lines) {
            line.block = block;
            line.bold = line.size > 10.0 || line.text.starts_with("Voor");
            line.tag = Some(crate::model::LineTag {
                element,
                role,
                quote: None,
                item: None,
            });
        }
        p
    }

    /// Tagged PDF: where the tree names headings, its H elements are the headings (a heading
    /// wrapped over lines, even one element per line, is one); a bold label the tree tags P
    /// is no heading, and an H that holds a sentence is overruled by what the page shows.
    #[test]
    fn the_tree_names_the_headings_and_geometry_checks_them() {
        use crate::model::StructRole::{Heading, P};
        let p = tagged(&[
            ("Hoe professionals met de", 14.0, 0, Heading(2), 1),
            ("verwachtingen omgaan", 14.0, 0, Heading(2), 2),
            (BODY, 10.0, 2, P, 3),
            ("Voor organisaties", 10.0, 3, P, 4),
            (BODY, 10.0, 4, P, 5),
            ("Dit is een hele zin die de maker als kop heeft getagd, maar het is gewoon tekst van een alinea.", 10.0, 5, Heading(3), 6),
            ("2.1 Leren in de praktijk", 12.0, 6, Heading(3), 7),
            (BODY, 10.0, 7, P, 8),
        ]);
        let bs = blocks(std::slice::from_ref(&p));
        let found: Vec<(Option<String>, String, u8)> = detect(&bs, &Typography::of(&bs), &[])
            .sections
            .into_iter()
            .map(|(_, s)| (s.number, s.title, s.level))
            .collect();
        assert_eq!(
            found,
            [
                (
                    None,
                    "Hoe professionals met de verwachtingen omgaan".into(),
                    1
                ),
                (Some("2.1".into()), "Leren in de praktijk".into(), 2),
            ]
        );
        // A tree that tags everything P names no headings: geometry finds them as untagged.
        let mut all_p = p.clone();
        for line in &mut all_p.lines {
            if let Some(t) = &mut line.tag {
                t.role = P;
            }
        }
        assert!(titles(&[all_p]).contains(&"Voor organisaties".to_string()));
    }

    /// The summary photocopy as its OCR layer gives it (tests/scans): every line measured at its
    /// own size, no bold, the list numbers and bullets lost.
    fn photocopied_summary() -> Vec<(&'static str, f32, f32, f32, f32, u32)> {
        vec![
            (
                "5 verwachtingen vvan de buitenwereld",
                41.4,
                250.0,
                113.7,
                12.1,
                0,
            ),
            ("over jeugdprofessionals", 41.1, 180.0, 130.1, 12.4, 0),
            (
                "Jeugdhulpverleners kunnen alle problemen",
                57.7,
                240.0,
                154.9,
                9.2,
                1,
            ),
            ("oplossen", 58.0, 100.0, 169.1, 9.8, 1),
            (
                "Jeugdhulp ‘plaatst onterecht kinderen uit huis",
                57.7,
                250.0,
                189.0,
                8.2,
                2,
            ),
            (
                "Het probleem ligtbij de jongere …",
                58.5,
                210.0,
                207.9,
                9.8,
                3,
            ),
            (
                "Je krijgt geen jeugdhulp als je het nodig hebt -",
                57.8,
                260.0,
                228.8,
                9.8,
                4,
            ),
            (
                "Jeugdhulp an effectiever en efficiënter",
                57.9,
                230.0,
                251.0,
                8.3,
                5,
            ),
            (
                "Deze verwachtingen hebben jeugdhulpverleners.",
                50.5,
                250.0,
                275.7,
                9.2,
                6,
            ),
            ("zelf-ook,", 50.5, 90.0, 289.8, 8.3, 6),
            ("Twee achterliggende oorzaken:", 40.8, 190.0, 308.2, 9.5, 7),
            (
                "Geluksdruk: iedereen wil. een perfect leven’",
                52.7,
                240.0,
                325.0,
                8.3,
                7,
            ),
            (
                "Maakbaarheid samenleving: ‘we kunnen. alles",
                52.3,
                240.0,
                341.5,
                8.7,
                8,
            ),
            (
                "‘verbeteren (zowel bi gezinnen afs in de zorg)’.",
                49.3,
                250.0,
                354.8,
                8.2,
                8,
            ),
            (
                "Onderzoek naar maatschappelijke",
                41.3,
                230.0,
                399.7,
                12.4,
                9,
            ),
            ("verwachtingen.", 38.4, 130.0, 417.1, 12.4, 9),
            (
                "Welke vesrivaehtinden heeft.de bunbawelsie vande",
                52.4,
                250.0,
                468.3,
                8.6,
                10,
            ),
            (
                "jeugdhulp volgens leugdhulpprofessionals? -",
                51.6,
                240.0,
                481.6,
                8.6,
                10,
            ),
            (
                "Wat is de impact van deze verwachtingen op (het",
                52.3,
                250.0,
                498.3,
                8.5,
                11,
            ),
            (
                "werk vari) jeugdhulpprofessionals?",
                52.3,
                200.0,
                511.8,
                8.6,
                11,
            ),
            (
                "Hoe gaan jeugdhulpprofessionals met deze.",
                53.0,
                240.0,
                528.4,
                8.6,
                12,
            ),
            ("verwachtingen em?", 52.2, 140.0, 540.8, 8.9, 12),
            (
                "inpact van dele verwactiingen op.",
                310.8,
                480.0,
                114.2,
                11.7,
                13,
            ),
            ("jeugdhulpprofessionals", 296.7, 450.0, 130.5, 11.8, 14),
            (
                "De mismatch tussen deze verwachtingen en de",
                300.4,
                520.0,
                150.9,
                9.1,
                15,
            ),
            (
                "Eee beperkte invloed van professionals heeft grote",
                284.1,
                520.0,
                166.0,
                8.7,
                15,
            ),
        ]
    }

    #[test]
    fn ocr_headings_stand_out_from_the_blocks_around_them() {
        let pages = [placed(1, &photocopied_summary())];
        assert_eq!(
            titles(&pages),
            [
                "5 verwachtingen vvan de buitenwereld over jeugdprofessionals",
                "Twee achterliggende oorzaken",
                "Onderzoek naar maatschappelijke verwachtingen",
                "Inpact van dele verwactiingen op. jeugdhulpprofessionals",
            ]
        );
    }

    #[test]
    fn ocr_block_numbers_in_circles_head_their_tiles_and_figures_make_no_list() {
        // The factsheet scan as tesseract reads it: a circled block number comes as "1)" or
        // "(7)" above its title; a line ending in a colon stands over figures set indented.
        let lines = [
            ("1)", 29.3, 45.0, 76.2, 25.4, 0),
            ("Doel jeugdbeleid", 53.8, 150.0, 81.3, 11.4, 1),
            (
                "Vergroten van professionele ruimte om jeugdhulp",
                29.3,
                190.0,
                101.3,
                6.8,
                2,
            ),
            (
                "beter te laten aansluiten op wat nodig is voor",
                29.3,
                190.0,
                110.3,
                5.9,
                2,
            ),
            ("jeugdigen en ouders.", 28.8, 100.0, 118.6, 6.8, 2),
            ("Professionele ruimte", 52.3, 150.0, 159.6, 10.3, 3),
            (
                "ALGEMEEN: 92% professionals ervaart",
                28.3,
                170.0,
                178.6,
                6.7,
                4,
            ),
            (
                "professionele ruimte als (ruim) voldoende.",
                28.3,
                180.0,
                187.2,
                6.3,
                4,
            ),
            (
                "Maar voor specifieke aspecten is dit anders:",
                27.8,
                190.0,
                200.6,
                6.3,
                5,
            ),
            ("47%", 31.2, 60.0, 219.0, 14.9, 6),
            ("44%", 30.7, 60.0, 244.8, 13.8, 6),
            (
                "vindt de ruimte om te investeren in",
                73.9,
                190.0,
                214.5,
                5.5,
                7,
            ),
            ("relatie met hun cliënten", 73.4, 160.0, 222.7, 6.0, 7),
            ("onvoldoende", 73.0, 120.0, 231.8, 6.1, 7),
            (
                "VERKLARING volgens professionals: op",
                31.7,
                180.0,
                320.1,
                6.7,
                8,
            ),
            (
                "papier voldoende professionele ruimte, maar",
                31.7,
                190.0,
                329.7,
                6.0,
                8,
            ),
            (
                "die staat in de dagelijkse praktijk steeds onder",
                31.2,
                195.0,
                337.4,
                6.2,
                8,
            ),
            ("(7)", 650.9, 680.0, 419.8, 25.4, 9),
            ("Over dit onderzoek:", 675.8, 760.0, 425.0, 9.8, 10),
            (
                "PROCES: enquête uitgezet. opbrengst besproken",
                652.3,
                830.0,
                444.0,
                7.1,
                11,
            ),
            (
                "werkgroep professionals, aanvullende informatie",
                652.3,
                830.0,
                452.7,
                6.9,
                11,
            ),
            ("verzameld in webinar", 652.3, 740.0, 460.7, 5.6, 11),
        ];
        let bs = blocks(&[placed(1, &lines)]);
        let found: Vec<(Option<String>, String)> = detect(&bs, &Typography::of(&bs), &[])
            .sections
            .into_iter()
            .map(|(_, s)| (s.number, s.title))
            .collect();
        assert_eq!(
            found,
            [
                (Some("1".into()), "Doel jeugdbeleid".into()),
                (None, "Professionele ruimte".into()),
                (Some("7".into()), "Over dit onderzoek".into()),
            ]
        );
    }

    #[test]
    fn an_ocr_heading_is_compared_with_the_text_of_its_own_column() {
        // The report scan's page 3: "Zelfreflectie" heads the second column, under the page's
        // title; what precedes it in reading order is the end of the first column.
        let para = |x0: f32, y: f32, block: u32| {
            [
                (
                    "Nora leert naarmate ze meer ervaring opdoet in",
                    x0,
                    x0 + 230.0,
                    y,
                    7.8,
                    block,
                ),
                (
                    "de jeugdbescherming steeds beter om haar",
                    x0,
                    x0 + 210.0,
                    y + 11.1,
                    8.0,
                    block,
                ),
                (
                    "aanpak af te stemmen op de specifieke behoeften",
                    x0,
                    x0 + 235.0,
                    y + 23.2,
                    7.3,
                    block,
                ),
            ]
        };
        let mut lines = vec![(
            "De leerroute van Nora | Voorbeeld",
            44.0,
            400.0,
            55.4,
            16.9,
            0,
        )];
        lines.extend(para(56.2, 300.0, 1));
        lines.push(("Leren in het grijze gebied", 56.5, 200.0, 459.0, 9.0, 2));
        lines.extend(para(56.7, 477.0, 3));
        // A quote in larger type ends the first column.
        lines.extend([
            (
                "“Het is net als autorijden: Je kunt",
                54.0,
                200.0,
                647.1,
                8.4,
                7,
            ),
            (
                "twintig lessen volgen, maar pas",
                54.1,
                190.0,
                659.2,
                8.3,
                7,
            ),
        ]);
        lines.push(("Zelfreflectie", 329.3, 390.0, 113.0, 8.6, 4));
        lines.extend(para(328.8, 130.1, 5));
        lines.extend(para(328.8, 300.0, 6));
        assert_eq!(
            titles(&[placed(3, &lines)]),
            [
                "De leerroute van Nora | Voorbeeld",
                "Leren in het grijze gebied",
                "Zelfreflectie"
            ]
        );
    }

    #[test]
    fn an_ocr_label_over_names_is_a_heading_and_a_logo_or_an_isbn_is_none() {
        // The web page photocopy: the site's logo with its icon read as "8", the sidebar's
        // "Auteurs" measured larger than the names under it, the ISBN set large.
        let body = |y: f32, block: u32| {
            [
                (
                    "Voor goede hulp aan kinderen en gezinnen is professionele",
                    56.5,
                    390.0,
                    y,
                    9.8,
                    block,
                ),
                (
                    "ruimte essentieel. Professionals hebben deze ruimte onder",
                    51.5,
                    392.0,
                    y + 16.2,
                    10.3,
                    block,
                ),
                (
                    "meer nodig om een goede relatie op te bouwen met hun",
                    48.7,
                    380.0,
                    y + 31.2,
                    10.0,
                    block,
                ),
            ]
        };
        let mut lines = vec![(
            "8 Kennisnetwerk Jeugd Haaglanden",
            102.6,
            330.0,
            55.2,
            17.0,
            0,
        )];
        for (k, y) in [220.5, 300.0, 380.0, 460.0].into_iter().enumerate() {
            lines.extend(body(y, 1 + k as u32));
        }
        lines.extend([
            ("Auteurs", 432.0, 480.0, 259.2, 10.2, 10),
            ("Suzanne Rutz", 432.4, 500.0, 278.5, 9.0, 11),
            ("Rob Gilsing", 432.9, 495.0, 294.9, 9.1, 11),
            ("Rosita Paulo", 432.9, 495.0, 311.0, 8.3, 12),
            ("ISBN 9789083280103", 433.0, 540.0, 484.9, 12.2, 13),
        ]);
        assert_eq!(titles(&[placed(1, &lines)]), ["Auteurs"]);
    }

    #[test]
    fn a_numbered_ocr_heading_split_over_two_blocks_is_one_heading() {
        let title = (
            "De jeugdhulpverlener met de toverstaf",
            19.6,
            560.0,
            22.8,
            22.9,
            100,
        );
        let lines: Vec<_> = std::iter::once(title)
            .chain(photocopied_summary())
            .map(|l| match l.0 {
                "Onderzoek naar maatschappelijke" => (
                    "2 Onderzoek naar maatschappelijke",
                    41.3,
                    230.0,
                    399.7,
                    12.4,
                    9,
                ),
                "verwachtingen." => ("verwachtingen", 48.4, 130.0, 417.1, 12.4, 90),
                _ => l,
            })
            .collect();
        let doc = super::super::segment(&[placed(1, &lines)], &super::super::Known::default());
        let heading = doc
            .sections
            .iter()
            .find(|s| s.number.as_deref() == Some("2"));
        assert_eq!(
            heading.map(|s| s.title.as_str()),
            Some("Onderzoek naar maatschappelijke verwachtingen")
        );
        assert!(doc.paragraphs.iter().all(|p| p.text != "verwachtingen"));
    }

    #[test]
    fn the_same_lines_with_even_sizes_keep_the_born_digital_rules() {
        // Born-digital text has one size per paragraph and shows bold: a label in regular type
        // and a heading in lowercase or ending in a stop are no headings there.
        let even: Vec<_> = photocopied_summary()
            .into_iter()
            .map(|(t, x0, x1, y, size, block)| {
                (t, x0, x1, y, if size > 11.0 { 12.0 } else { 9.7 }, block)
            })
            .collect();
        assert_eq!(
            titles(&[placed(1, &even)]),
            ["5 verwachtingen vvan de buitenwereld over jeugdprofessionals"]
        );
    }

    #[test]
    fn numbered_headings_and_kaders_get_number_and_level() {
        check(
            &[
                ("3 Leren in de praktijk", 22.0),
                (BODY, 10.0),
                ("3.4 Leren waar regels en werkwijzen niet passen", 13.0),
                (BODY, 10.0),
                ("Kader 4 | Leren samenwerken", 11.0),
                (BODY, 10.0),
            ],
            &[
                (Some("3"), "Leren in de praktijk", 1, "heading"),
                (
                    Some("3.4"),
                    "Leren waar regels en werkwijzen niet passen",
                    2,
                    "heading",
                ),
                (Some("Kader 4"), "Leren samenwerken", 2, "kader"),
            ],
        );
    }

    #[test]
    fn numbered_list_items_captions_and_labels_are_not_headings() {
        check(
            &[
                ("1. Werk dat ertoe doet", 10.0),
                ("Tabel 3", 12.0),
                ("Voor organisaties:", 10.0),
                (BODY, 10.0),
                (BODY, 10.0),
            ],
            &[],
        );
    }

    #[test]
    fn unnumbered_headings_are_ranked_by_size() {
        check(
            &[
                ("Aanleiding", 14.0),
                (BODY, 10.0),
                ("Aan professionals", 12.0),
                (BODY, 10.0),
                (BODY, 10.0),
            ],
            &[
                (None, "Aanleiding", 1, "heading"),
                (None, "Aan professionals", 2, "heading"),
            ],
        );
    }

    /// The sections found in `input`, with the blocks whose index is in `bold` set in bold type.
    fn check_bold(
        input: &[(&str, f32)],
        bold: &[usize],
        expected: &[(Option<&str>, &str, u8, &str)],
    ) {
        let mut pages = [page(1, input)];
        for l in pages[0].lines.iter_mut() {
            l.bold = bold.contains(&(l.block as usize));
        }
        let bs = blocks(&pages);
        let h = detect(&bs, &Typography::of(&bs), &[]);
        let got: Vec<(Option<&str>, &str, u8, &str)> = h
            .sections
            .iter()
            .map(|(_, s)| {
                (
                    s.number.as_deref(),
                    s.title.as_str(),
                    s.level,
                    s.kind.as_str(),
                )
            })
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_bold_label_before_a_list_or_a_sentence_is_a_heading() {
        // The 2022-2023 summary and the web page's aside: labels in bold body type.
        check_bold(
            &[
                (
                    "Hoe jeugdhulpprofessionals met de verwachtingen omgaan",
                    12.0,
                ),
                ("Meegaan in de verwachting:", 9.7),
                ("• Je erbij neerleggen", 9.7),
                ("• Verwachting nuanceren", 9.7),
                ("Auteurs", 9.7),
                ("Suzanne Rutz", 9.7),
                (BODY, 9.7),
                (BODY, 9.7),
            ],
            &[1, 4],
            &[
                (
                    None,
                    "Hoe jeugdhulpprofessionals met de verwachtingen omgaan",
                    1,
                    "heading",
                ),
                (None, "Meegaan in de verwachting", 2, "heading"),
                (None, "Auteurs", 2, "heading"),
            ],
        );
    }

    #[test]
    fn bold_form_fields_clauses_and_plain_labels_are_no_headings() {
        check_bold(
            &[
                ("Naam:", 9.7),
                ("Nora", 9.7),
                ("De opleiding biedt een goede basis,", 9.7),
                ("maar om een goede jeugdhulpprofessional te worden leer je veel in de praktijk.", 9.7),
                ("Twee achterliggende oorzaken:", 9.7),
                ("• Geluksdruk", 9.7),
                (BODY, 9.7),
                (BODY, 9.7),
            ],
            &[0, 2],
            &[],
        );
    }

    #[test]
    fn figures_set_large_are_no_headings() {
        check(
            &[
                ("37% voor reflectie op het werk", 14.0),
                ("Gemiddeld rapportcijfer 7,3", 14.0),
                (BODY, 10.0),
                (BODY, 10.0),
            ],
            &[],
        );
    }

    #[test]
    fn paragraph_numbers_that_go_on_are_headings_at_body_size() {
        // The report scan: OCR measures paragraph headings at about body size and loses the
        // dot of "4.4"; a numbered list item that does not go on from the numbering stays text.
        check(
            &[
                ("4.3 Bijdragen aan organisatieontwikkeling", 11.5),
                (BODY, 9.5),
                ("44 Leren onder druk", 9.6),
                (BODY, 9.5),
                ("5.1 De resultaten samengevat", 9.7),
                (BODY, 9.5),
                ("7.1 Een regel die niet doornummert", 9.5),
                (BODY, 9.5),
                (BODY, 9.5),
            ],
            &[
                (
                    Some("4.3"),
                    "Bijdragen aan organisatieontwikkeling",
                    2,
                    "heading",
                ),
                (Some("4.4"), "Leren onder druk", 2, "heading"),
                (Some("5.1"), "De resultaten samengevat", 2, "heading"),
            ],
        );
    }

    #[test]
    fn a_number_in_a_circle_as_ocr_reads_it_numbers_its_heading() {
        // The factsheet scan: the numbered blocks' circles come out as brackets.
        check(
            &[
                ("(3 } Werkplezier", 18.5),
                (BODY, 7.0),
                ("[6 } Aanbevelingen", 18.7),
                (BODY, 7.0),
                (BODY, 7.0),
            ],
            &[
                (Some("3"), "Werkplezier", 1, "heading"),
                (Some("6"), "Aanbevelingen", 1, "heading"),
            ],
        );
    }

    #[test]
    fn a_chapter_number_set_apart_joins_its_title() {
        check(
            &[
                ("5", 40.0),
                ("Conclusies en aanbevelingen", 22.0),
                (BODY, 10.0),
                (BODY, 10.0),
            ],
            &[(Some("5"), "Conclusies en aanbevelingen", 1, "heading")],
        );
    }
}
