//! `CleanPage`s → `Document`: metadata, sections, recommendations, quotes, key figures and the
//! paragraphs in between.
//!
//! Invariant: pure and total: no I/O, never fails; what the catalog says wins over what is
//! detected, and every block of text lands in exactly one of heading, recommendation, quote,
//! table or paragraph (key figures are found inside any of them).

// An index out of bounds is a panic that costs the user the file: `cargo clippy` shows every
// place that indexes, so a new one is looked at (`get`, `first`, iterators) or known safe.
#![warn(clippy::indexing_slicing)]

mod audience;
mod claims;
mod enumerators;
mod figures;
mod metadata;
mod quotes;
mod recommendations;
mod sections;
mod tables;
mod typography;
mod vocab;

use crate::model::{
    CleanPage, Decision, DocType, Document, Line, Page, Paragraph, Role, SegmentRule, Wave,
};

pub use recommendations::canonical_audiences;

/// What is known about a document before its text is read: the librarian's catalog entry and
/// the PDF's own metadata.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Known {
    pub title: Option<String>,
    pub wave: Option<Wave>,
    pub doc_type: Option<DocType>,
    /// The title in the PDF's information dictionary.
    pub pdf_title: Option<String>,
}

/// Where a line stands: its left and right edges, its baseline and its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LineGeometry {
    pub x0: f32,
    pub x1: f32,
    pub bottom: f32,
    pub size: f32,
}

/// A block of lines read as one unit: a paragraph, a heading, a list item.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub page: u32,
    pub text: String,
    /// The block's lines, as laid out.
    pub lines: Vec<String>,
    /// Where each line stands on the page, in the order of `lines`.
    pub geometry: Vec<LineGeometry>,
    pub size: f32,
    pub boxed: bool,
    pub list_item: bool,
    /// Every line of the block is bold.
    pub bold: bool,
    /// Every line of the block is italic.
    pub italic: bool,
    /// The cells of a table row (a row is a block of its own); empty for other blocks.
    pub cells: Vec<String>,
    pub n_lines: usize,
    /// Top of its first line and baseline of its last, on the page.
    pub top: f32,
    pub bottom: f32,
    /// Position of the block among all blocks of the document.
    pub idx: usize,
    /// The quotation element (tagged PDF) that every line of the block is part of.
    pub quote: Option<u32>,
    /// The heading level (H1 = 1) when every line of the block is one heading element of a
    /// tagged PDF.
    pub heading: Option<u8>,
    /// The role a tagged PDF's tree gives every line of the block, when they agree.
    pub tag_role: Option<crate::model::StructRole>,
    /// Every line of the block is part of a list item (LI) of a tagged PDF.
    pub tag_item: bool,
}

/// The most words a title set above its text may have: a heading of two lines of a wide column.
const MAX_TITLE_WORDS: usize = 20;

/// The heading element a line is part of, with its level.
fn heading_of(line: &Line) -> Option<(u32, u8)> {
    match line.tag?.role {
        crate::model::StructRole::Heading(level) => Some((line.tag?.element, level)),
        _ => None,
    }
}

pub(crate) fn blocks(pages: &[CleanPage]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for page in pages {
        let mut current: Vec<&Line> = Vec::new();
        // The list item of the line before, and whether the block being gathered opens one.
        let mut item_before: Option<u32> = None;
        let mut opens_item = false;
        for line in &page.lines {
            // A kader's title line that layout ran into the text below it heads that text, when
            // that text opens a sentence (a title wrapped over two lines goes on in lowercase).
            let after_title = current.len() == 1
                && sections::is_kader_title(&current[0].text)
                && line.text.starts_with(|c: char| c.is_uppercase());
            // A title run into its text: where a block's first lines are set bold and the next,
            // in the regular weight, opens a sentence, the change of weight is where the title
            // ends (a box's title set above its text in the same frame).
            let title_words: usize = current
                .iter()
                .map(|l| l.text.split_whitespace().count())
                .sum();
            // A bold number label alone ("Tabel 3", "Kader 1") numbers the text it runs into:
            // that text is its caption or title, not a body below it.
            let number_label = current.len() == 1
                && current[0]
                    .text
                    .split_whitespace()
                    .last()
                    .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit() || c == '.'))
                && title_words <= 2;
            let after_bold_title = !current.is_empty()
                && !number_label
                && title_words <= MAX_TITLE_WORDS
                && current.iter().all(|l| l.bold)
                && !line.bold
                && line.text.starts_with(|c: char| c.is_uppercase())
                && current.last().is_some_and(|l| {
                    !quotes::ends_sentence(&l.text) && !l.text.trim_end().ends_with(':')
                });
            // And such a title starts where a sentence of the text above it ended: a bold line
            // that ends no sentence itself, after a line in the regular weight that does.
            let opens_bold_title = line.bold
                && !quotes::ends_sentence(&line.text)
                && current
                    .last()
                    .is_some_and(|l| !l.bold && quotes::ends_sentence(&l.text));
            // A title that layout split over blocks goes on in the next line of its size and
            // weight when that line opens in lowercase.
            let title_goes_on = !current.is_empty()
                && title_words <= MAX_TITLE_WORDS
                && current.iter().all(|l| l.bold)
                && line.bold
                && current.last().is_some_and(|l| {
                    typography::same_size(l.size, line.size)
                        && !quotes::ends_sentence(&l.text)
                        && line.x0 - l.x0 <= 0.5 * l.size
                        && line.top - l.bottom <= 2.5 * l.size
                })
                && line.text.starts_with(char::is_lowercase);
            // An italic paragraph set apart from the text around it is a block of its own: the
            // slant changes between whole lines where a sentence ended, or where the margin
            // moved and a sentence opens (not where a sentence goes on, at a hanging indent).
            let opens_sentence = quotes::opens_sentence(&line.text);
            let slant_changes = current.last().is_some_and(|l| {
                l.italic != line.italic
                    && (quotes::ends_sentence(&l.text)
                        || (opens_sentence && (line.x0 - l.x0).abs() >= 0.5 * l.size.max(1.0)))
            });
            // So does a label ending in a colon over a list whose bullets OCR lost: the items
            // stand indented under it.
            let after_label = current.len() == 1
                && current[0].text.trim_end().ends_with(':')
                && line.x0 >= current[0].x0 + 0.5 * current[0].size
                && line.x0 <= current[0].x0 + 4.0 * current[0].size;
            // A tagged PDF's list item (LI) is a block of its own, wherever layout put it.
            let item = |l: &Line| l.tag.and_then(|t| t.item);
            let new_item = current.last().is_some_and(|l| item(l) != item(line));
            // A quotation opens a block of its own: a line that opens with a quotation mark
            // after a line that ended a sentence (a quote set in the flow of a list or text).
            let opens_quote = current
                .last()
                .is_some_and(|l| quotes::ends_sentence(&l.text))
                && quotes::opens_quotation(&line.text);
            // And it ends its block where it closes.
            let quote_closed = current
                .first()
                .is_some_and(|l| quotes::opens_quotation(&l.text))
                && current.last().is_some_and(|l| quotes::closes(&l.text));
            // A tagged heading is a block of its own: the tree says where it starts and ends.
            // Lines that layout set in one block and the tree tags as headings of one level are
            // one heading wrapped (some producers make an element of every line).
            let level = |l: &Line| heading_of(l).map(|(_, level)| level);
            let new_heading = current.last().is_some_and(|l| {
                level(l) != level(line)
                    || (l.block != line.block && heading_of(l) != heading_of(line))
            });
            // Lines of one heading element are one block, however layout grouped them.
            let same_heading = current
                .last()
                .is_some_and(|l| heading_of(l).is_some() && heading_of(l) == heading_of(line));
            if current
                .last()
                .is_some_and(|l| l.block != line.block && !same_heading && !title_goes_on)
                || new_heading
                || after_title
                || after_bold_title
                || opens_bold_title
                || slant_changes
                || after_label
                || new_item
                || opens_quote
                || quote_closed
            {
                out.push(block_of(page.number, &current, out.len()));
                out.last_mut().expect("a block").list_item |= opens_item;
                current.clear();
            }
            if current.is_empty() {
                opens_item = item(line).is_some() && item_before != item(line);
            }
            item_before = item(line);
            current.push(line);
        }
        if !current.is_empty() {
            out.push(block_of(page.number, &current, out.len()));
            out.last_mut().expect("a block").list_item |= opens_item;
        }
    }
    out
}

fn block_of(page: u32, lines: &[&Line], idx: usize) -> Block {
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let chars: f32 = lines
        .iter()
        .map(|l| l.text.chars().count() as f32)
        .sum::<f32>()
        .max(1.0);
    let size = lines
        .iter()
        .map(|l| l.size * l.text.chars().count() as f32)
        .sum::<f32>()
        / chars;
    Block {
        page,
        text: texts.join(" "),
        lines: texts.iter().map(|t| t.to_string()).collect(),
        geometry: lines
            .iter()
            .map(|l| LineGeometry {
                x0: l.x0,
                x1: l.x1,
                bottom: l.bottom,
                size: l.size,
            })
            .collect(),
        size,
        boxed: lines.iter().any(|l| l.boxed),
        list_item: lines[0].list_item,
        bold: lines.iter().all(|l| l.bold),
        italic: lines.iter().all(|l| l.italic),
        cells: lines[0].cells.clone(),
        n_lines: lines.len(),
        top: lines.iter().map(|l| l.top).fold(f32::MAX, f32::min),
        bottom: lines.iter().map(|l| l.bottom).fold(f32::MIN, f32::max),
        idx,
        heading: heading_of(lines[0]).map(|(_, level)| level).filter(|h| {
            lines
                .iter()
                .all(|l| heading_of(l).map(|(_, lv)| lv) == Some(*h))
        }),
        tag_item: lines
            .iter()
            .all(|l| l.tag.is_some_and(|t| t.item.is_some())),
        tag_role: lines[0]
            .tag
            .map(|t| t.role)
            .filter(|r| lines.iter().all(|l| l.tag.map(|t| t.role) == Some(*r))),
        quote: lines[0].tag.and_then(|t| t.quote).filter(|q| {
            lines
                .iter()
                .all(|l| l.tag.and_then(|t| t.quote) == Some(*q))
        }),
    }
}

/// Segments a document.
pub fn segment(pages: &[CleanPage], known: &Known) -> Document {
    segment_explained(pages, known).0
}

/// Claims the blocks the headings took, each with the rule that made it a heading, and records
/// the blocks set large enough that a heading rule declined.
fn claim_headings(claims: &mut claims::Claims, headings: &sections::Headings) {
    for (idx, rule, why) in &headings.blocks {
        claims.claim(*idx, Role::Heading, *rule, why.clone());
    }
    for (idx, rule, why) in &headings.declined {
        claims.decline(*idx, *rule, why.clone());
    }
}

/// Claims the audience labels and the blocks that hold recommendations.
fn claim_recommendations(claims: &mut claims::Claims, recs: &recommendations::Recs) {
    for (idx, rule, why) in &recs.rules {
        if recs.labels.contains(idx) {
            claims.claim(*idx, Role::AudienceLabel, *rule, why.clone());
        }
    }
    for (idx, rule, why) in &recs.rules {
        if !recs.labels.contains(idx) {
            // A block whose first line is a label and whose next lines are items holds
            // recommendations.
            let (rule, why) = match rule {
                SegmentRule::AudienceLabel => (
                    SegmentRule::ListItem,
                    format!("items under the audience label it opens with ({why})"),
                ),
                _ => (*rule, why.clone()),
            };
            claims.claim(*idx, Role::Recommendation, rule, why);
        }
    }
}

/// Segments a document, and says why each block became what it is: the `Decision`s of the
/// rules that took a block or looked at it and declined, in block order.
pub fn segment_explained(pages: &[CleanPage], known: &Known) -> (Document, Vec<Decision>) {
    let blocks = blocks(pages);
    let typo = typography::Typography::of(&blocks);
    let meta = metadata::detect(&blocks, &typo, known);
    let mut skip = meta.title_blocks.clone();
    skip.extend(tables::rows(&blocks));
    // A line or two set above the title (a kicker, a masthead) heads nothing. More text above
    // it means the title was not found at the top, and nothing is skipped.
    if let Some(first) = meta.title_blocks.iter().min().and_then(|&i| blocks.get(i)) {
        let above: Vec<usize> = blocks
            .iter()
            .filter(|b| b.page == first.page && b.idx < first.idx && b.bottom <= first.top)
            .map(|b| b.idx)
            .collect();
        if above.len() <= 2 {
            skip.extend(above);
        }
    }
    // The title printed again (on a summary page, a back cover) heads no section of its own.
    let key = |t: &str| -> String {
        t.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let title_key = key(&meta.title);
    if !title_key.is_empty() {
        skip.extend(
            blocks
                .iter()
                .filter(|b| key(&b.text) == title_key)
                .map(|b| b.idx),
        );
    }
    let headings = sections::detect(&blocks, &typo, &skip);
    let mut claims = claims::Claims::new(&blocks);
    for &idx in &meta.title_blocks {
        claims.claim(
            idx,
            Role::Title,
            SegmentRule::Title,
            "the declared title as printed, or the largest text of the first page".to_string(),
        );
    }
    claim_headings(&mut claims, &headings);
    let tables = tables::detect(&blocks, &headings);
    let set_off = quotes::set_off_italic(&blocks);
    let recs = recommendations::detect(&blocks, &headings, &claims, &set_off);
    claim_recommendations(&mut claims, &recs);
    let mut rows: Vec<usize> = tables.used.iter().copied().collect();
    rows.sort_unstable();
    for idx in rows {
        claims.claim(
            idx,
            Role::TableRow,
            SegmentRule::TableRow,
            "a row of cells layout found, or the table's caption".to_string(),
        );
    }
    let quotes = quotes::detect(&blocks, &headings, &claims, &set_off);
    for (idx, rule, why) in &quotes.used {
        claims.claim(*idx, Role::Quote, *rule, why.clone());
    }
    // A chapter number set large is a heading, not a figure.
    let mut no_figures = skip.clone();
    no_figures.extend(claims.with_role(Role::Heading));
    let mut placed = figures::detect(&blocks, &no_figures, &typo);
    for (t, &start) in tables.items.iter().zip(&tables.starts) {
        placed.extend(
            tables::key_figures(std::slice::from_ref(t))
                .into_iter()
                .map(|f| (start, f)),
        );
    }
    placed.sort_by_key(|(idx, _)| *idx);
    for (idx, f) in &placed {
        claims.note(
            *idx,
            SegmentRule::KeyFigure,
            format!("{} ({})", f.value, f.statement),
        );
    }
    let mut key_figures: Vec<_> = placed.into_iter().map(|(_, f)| f).collect();
    figures::fill_breakdowns(&mut key_figures);

    let roles = block_roles(&blocks, &headings, &claims);
    let paragraphs = blocks
        .iter()
        .filter(|b| !claims.taken(b.idx))
        .map(|b| Paragraph {
            text: b.text.clone(),
            page: b.page,
            section: headings.section_at(b.idx),
        })
        .collect();

    let document = Document {
        title: meta.title,
        subtitle: meta.subtitle,
        wave: meta.wave,
        doc_type: meta.doc_type,
        authors: meta.authors,
        isbn: meta.isbn,
        pages: pages
            .iter()
            .map(|p| Page {
                number: p.number,
                label: p.label.clone(),
                text: p.text(),
            })
            .collect(),
        sections: headings.sections.iter().map(|(_, s)| s.clone()).collect(),
        recommendations: audience::repair_labels(recs.items, |w| {
            crate::lexicon::Lexicon::dutch().contains(w)
        }),
        quotes: quotes.items,
        key_figures,
        tables: tables.items,
        paragraphs,
        blocks: roles,
        warnings: heading_levels_against_sizes(&blocks),
        ..Default::default()
    };
    (document, claims.into_decisions())
}

/// A tree made in a hurry: where the structure tree's heading levels disagree with the sizes
/// the headings are set in (its H1 set smaller than its H2), a warning says so. peo takes the
/// levels from the tree's order of headings and from their numbers all the same; the warning
/// tells a user why a section's level may look wrong.
fn heading_levels_against_sizes(blocks: &[Block]) -> Vec<String> {
    let mut sizes: std::collections::BTreeMap<u8, (f32, usize)> = Default::default();
    for b in blocks {
        if let Some(level) = b.heading {
            let e = sizes.entry(level).or_default();
            e.0 += b.size;
            e.1 += 1;
        }
    }
    let means: Vec<(u8, f32)> = sizes
        .into_iter()
        .map(|(level, (sum, n))| (level, sum / n as f32))
        .collect();
    means
        .windows(2)
        .filter_map(|w| {
            let [(upper, big), (lower, small)] = w else {
                return None;
            };
            (*big < 0.95 * small).then(|| {
                format!(
                    "the structure tree's H{lower} headings are set larger ({small:.1} pt on average) than its H{upper} headings ({big:.1} pt): heading levels may not match what the page shows"
                )
            })
        })
        .collect()
}

/// The role each block took, in reading order, and whether the structure tree gave it: a
/// block's role comes from the tags when the tree tags every line of it as that role (a
/// heading as H, a quote inside BlockQuote or Quote, a recommendation as LI, a table row as
/// cells, a paragraph as P); otherwise layout and text decided. Each block has one role, its
/// claim (`claims`).
fn block_roles(
    blocks: &[Block],
    headings: &sections::Headings,
    claims: &claims::Claims,
) -> Vec<crate::model::BlockRole> {
    use crate::model::{BlockRole, Source, StructRole};
    blocks
        .iter()
        .map(|b| {
            let role = claims.role(b.idx);
            let level = (role == Role::Heading)
                .then(|| {
                    headings
                        .sections
                        .iter()
                        .find(|(i, _)| *i == b.idx)
                        .map(|(_, s)| s.level)
                })
                .flatten();
            let tagged = match role {
                Role::Title | Role::Heading => b.heading.is_some(),
                Role::Quote => b.quote.is_some(),
                Role::Recommendation => b.tag_item,
                Role::TableRow => matches!(
                    b.tag_role,
                    Some(StructRole::TableCell | StructRole::TableRow | StructRole::Caption)
                ),
                Role::Paragraph => b.tag_role == Some(StructRole::P),
                Role::AudienceLabel => b.tag_role == Some(StructRole::Label),
            };
            BlockRole {
                page: b.page,
                role,
                level,
                source: if tagged { Source::Tags } else { Source::Layout },
                opening: b
                    .text
                    .split_whitespace()
                    .take(8)
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::model::{CleanPage, Line};

    /// The claims after the headings took their blocks, as the detectors after them see them.
    pub fn claims_after(
        blocks: &[super::Block],
        headings: &super::sections::Headings,
    ) -> super::claims::Claims {
        let mut claims = super::claims::Claims::new(blocks);
        super::claim_headings(&mut claims, headings);
        claims
    }

    /// A page from (text, size) pairs, one block per pair; a leading "• " marks a list item.
    pub fn page(number: u32, blocks: &[(&str, f32)]) -> CleanPage {
        let lines = blocks
            .iter()
            .enumerate()
            .map(|(i, (text, size))| {
                let (text, list_item) = match text.strip_prefix("• ") {
                    Some(rest) => (rest, true),
                    None => (*text, false),
                };
                Line {
                    text: text.to_string(),
                    x0: 50.0,
                    x1: 300.0,
                    top: 50.0 + i as f32 * 20.0,
                    bottom: 60.0 + i as f32 * 20.0,
                    size: *size,
                    block: i as u32,
                    boxed: false,
                    list_item,
                    bold: false,
                    italic: false,
                    cells: Vec::new(),
                    tag: None,
                }
            })
            .collect();
        CleanPage {
            number,
            label: number.to_string(),
            lines,
        }
    }

    /// A page from lines placed by hand: (text, x0, x1, baseline, size, block); a leading "• "
    /// marks a list item.
    pub fn placed(number: u32, lines: &[(&str, f32, f32, f32, f32, u32)]) -> CleanPage {
        let lines = lines
            .iter()
            .map(|&(text, x0, x1, bottom, size, block)| {
                let (text, list_item) = match text.strip_prefix("• ") {
                    Some(rest) => (rest, true),
                    None => (text, false),
                };
                Line {
                    text: text.to_string(),
                    x0,
                    x1,
                    top: bottom - 0.8 * size,
                    bottom,
                    size,
                    block,
                    boxed: false,
                    list_item,
                    bold: false,
                    italic: false,
                    cells: Vec::new(),
                    tag: None,
                }
            })
            .collect();
        CleanPage {
            number,
            label: number.to_string(),
            lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::placed;
    use super::*;

    /// Layout principle: a tagged PDF's list items (LI) are items of their own, even where
    /// layout ran them into one block (automatic numbers a producer draws as decoration).
    /// A quotation set in the flow of the text, in the same block as the sentence before it,
    /// opens a block of its own and is read as a quote; a quoted phrase inside a sentence is not.
    #[test]
    fn a_quotation_after_a_finished_sentence_opens_a_block_and_is_a_quote() {
        let mut page = test_support::page(
            1,
            &[
                ("Ken je waarden en gebruik ze.", 10.0),
                ("“Het is net als autorijden: je leert het", 10.0),
                ("pas echt in de praktijk.”", 10.0),
                ("Zij noemt dat het “grijze gebied” van", 10.0),
                ("het werk, zoals eerder beschreven.", 10.0),
            ],
        );
        for line in &mut page.lines {
            line.block = 0;
        }
        let texts: Vec<String> = blocks(&[page.clone()])
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert_eq!(
            texts,
            [
                "Ken je waarden en gebruik ze.",
                "“Het is net als autorijden: je leert het pas echt in de praktijk.”",
                "Zij noemt dat het “grijze gebied” van het werk, zoals eerder beschreven."
            ]
        );
        let doc = segment(&[page], &Known::default());
        let quotes: Vec<&str> = doc.quotes.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(
            quotes,
            ["Het is net als autorijden: je leert het pas echt in de praktijk."]
        );
    }

    #[test]
    fn the_list_items_of_a_tagged_pdf_open_blocks_of_their_own() {
        use crate::model::{LineTag, StructRole};
        let mut page = test_support::page(
            1,
            &[
                ("Aan professionals:", 10.0),
                ("Blijf positief en", 10.0),
                ("nieuwsgierig", 10.0),
                ("Benut je professionele ruimte", 10.0),
                ("Een alinea daarna.", 10.0),
            ],
        );
        let items = [None, Some(4), Some(4), Some(7), None];
        for (line, item) in page.lines.iter_mut().zip(items) {
            line.block = 0;
            line.tag = Some(LineTag {
                element: 1,
                role: StructRole::P,
                quote: None,
                item,
            });
        }
        let got: Vec<(String, bool)> = blocks(&[page])
            .into_iter()
            .map(|b| (b.text, b.list_item))
            .collect();
        assert_eq!(
            got,
            [
                ("Aan professionals:".to_string(), false),
                ("Blijf positief en nieuwsgierig".to_string(), true),
                ("Benut je professionele ruimte".to_string(), true),
                ("Een alinea daarna.".to_string(), false),
            ]
        );
    }

    #[test]
    fn a_kader_title_run_into_its_text_is_a_block_of_its_own() {
        // The report scan: OCR put "Kader 1 | ..." and the kader's first lines in one block; a
        // title wrapped over two lines (next line in lowercase) stays whole.
        let pages = [placed(
            6,
            &[
                (
                    "Kader 1 | Het professional-ervaringsonderzoek",
                    66.0,
                    300.0,
                    80.9,
                    9.0,
                    0,
                ),
                (
                    "De gemeenten in de regio Haaglanden vinden",
                    66.0,
                    290.0,
                    110.9,
                    8.6,
                    0,
                ),
                (
                    "het belangrijk om naast de ervaringen van jeugdigen",
                    66.0,
                    295.0,
                    123.6,
                    8.3,
                    0,
                ),
                (
                    "Kader 5 | Overeenkomsten en verschillen",
                    66.0,
                    290.0,
                    300.0,
                    9.0,
                    1,
                ),
                (
                    "tussen professionals uit lokale teams",
                    66.0,
                    290.0,
                    312.0,
                    9.0,
                    1,
                ),
            ],
        )];
        let texts: Vec<String> = blocks(&pages).into_iter().map(|b| b.text).collect();
        assert_eq!(
            texts,
            [
                "Kader 1 | Het professional-ervaringsonderzoek",
                "De gemeenten in de regio Haaglanden vinden het belangrijk om naast de ervaringen van jeugdigen",
                "Kader 5 | Overeenkomsten en verschillen tussen professionals uit lokale teams",
            ]
        );
    }

    #[test]
    fn a_bold_title_set_above_its_text_in_one_frame_is_a_block_of_its_own() {
        // A box whose title (bold, wrapped over two lines) and text (regular weight) layout
        // gathered as one block: the change of weight ends the title. A bold sentence that ends
        // with a stop runs on into its paragraph: it is emphasis, not a title.
        let mut page = placed(
            4,
            &[
                (
                    "Kader 5 Overeenkomsten en verschillen",
                    52.0,
                    290.0,
                    74.0,
                    10.7,
                    0,
                ),
                (
                    "tussen professionals uit lokale teams",
                    52.0,
                    290.0,
                    88.0,
                    10.7,
                    0,
                ),
                (
                    "We zien grote overeenkomsten tussen",
                    52.0,
                    290.0,
                    108.0,
                    9.5,
                    0,
                ),
                (
                    "professionals van alle organisaties.",
                    52.0,
                    290.0,
                    121.0,
                    9.5,
                    0,
                ),
                (
                    "Dit is van groot belang voor iedereen.",
                    52.0,
                    290.0,
                    160.0,
                    9.5,
                    1,
                ),
                (
                    "Het tweede deel van de alinea volgt hier.",
                    52.0,
                    290.0,
                    173.0,
                    9.5,
                    1,
                ),
            ],
        );
        for i in [0, 1, 4] {
            page.lines[i].bold = true;
        }
        let texts: Vec<String> = blocks(&[page]).into_iter().map(|b| b.text).collect();
        assert_eq!(
            texts,
            [
                "Kader 5 Overeenkomsten en verschillen tussen professionals uit lokale teams",
                "We zien grote overeenkomsten tussen professionals van alle organisaties.",
                "Dit is van groot belang voor iedereen. Het tweede deel van de alinea volgt hier.",
            ]
        );
    }

    #[test]
    fn each_block_has_one_role_and_says_whether_the_tags_gave_it() {
        use crate::model::{LineTag, Role, Source, StructRole};
        let mut page = placed(
            1,
            &[
                (
                    "Verwachtingen van de buitenwereld",
                    50.0,
                    400.0,
                    60.0,
                    24.0,
                    0,
                ),
                ("Aanleiding", 50.0, 300.0, 120.0, 16.0, 1),
                (
                    "Jeugdhulpprofessionals moeten vaak moeilijke beslissingen nemen.",
                    50.0,
                    500.0,
                    150.0,
                    10.0,
                    2,
                ),
                ("Aanbevelingen", 50.0, 300.0, 200.0, 16.0, 3),
                ("Aan professionals:", 50.0, 300.0, 230.0, 10.0, 4),
                (
                    "• Blijf het gesprek aangaan met elkaar.",
                    60.0,
                    400.0,
                    250.0,
                    10.0,
                    5,
                ),
            ],
        );
        let tag = |element, role| {
            Some(LineTag {
                element,
                role,
                quote: None,
                item: None,
            })
        };
        page.lines[1].tag = tag(1, StructRole::Heading(2));
        page.lines[2].tag = tag(2, StructRole::P);
        page.lines[3].tag = tag(3, StructRole::Heading(2));
        // the label is tagged P, and the list has no tags: layout and text make them what they
        // are
        page.lines[4].tag = tag(4, StructRole::P);
        let doc = segment(&[page], &Known::default());
        let got: Vec<(Role, Source)> = doc.blocks.iter().map(|b| (b.role, b.source)).collect();
        assert_eq!(
            got,
            [
                (Role::Title, Source::Layout),
                (Role::Heading, Source::Tags),
                (Role::Paragraph, Source::Tags),
                (Role::Heading, Source::Tags),
                (Role::AudienceLabel, Source::Layout),
                (Role::Recommendation, Source::Layout),
            ]
        );
        assert_eq!(doc.blocks[1].opening, "Aanleiding");
    }

    #[test]
    fn heading_levels_set_against_their_sizes_are_a_warning() {
        use crate::model::{LineTag, StructRole};
        let body = "Jeugdhulpprofessionals moeten vaak moeilijke beslissingen nemen.";
        let mut page = placed(
            1,
            &[
                ("Hoofdstuk een", 50.0, 300.0, 60.0, 12.0, 0),
                ("Een paragraaf", 50.0, 300.0, 100.0, 18.0, 1),
                (body, 50.0, 500.0, 130.0, 10.0, 2),
            ],
        );
        for (i, level) in [(0, 1), (1, 2)] {
            page.lines[i].tag = Some(LineTag {
                element: i as u32,
                role: StructRole::Heading(level),
                quote: None,
                item: None,
            });
        }
        let blocks = blocks(&[page.clone()]);
        let warnings = heading_levels_against_sizes(&blocks);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("H2 headings are set larger"),
            "{warnings:?}"
        );
        // Sizes that follow the levels say nothing.
        page.lines[0].size = 24.0;
        assert!(heading_levels_against_sizes(&super::blocks(&[page])).is_empty());
    }

    #[test]
    fn a_bold_number_label_stays_with_the_caption_it_numbers() {
        let mut page = placed(
            10,
            &[
                ("Tabel 3", 59.0, 120.0, 100.0, 8.4, 0),
                (
                    "Overzicht van de kennis uit de opleiding.",
                    59.0,
                    400.0,
                    112.0,
                    7.8,
                    0,
                ),
            ],
        );
        page.lines[0].bold = true;
        let texts: Vec<String> = blocks(&[page]).into_iter().map(|b| b.text).collect();
        assert_eq!(texts, ["Tabel 3 Overzicht van de kennis uit de opleiding."]);
    }

    #[test]
    fn a_bold_title_starts_after_a_finished_sentence_and_goes_on_over_blocks() {
        // A box set straight after the text before it, in the same block, with a title that
        // layout split over two blocks (its second line opens in lowercase).
        let mut page = placed(
            13,
            &[
                (
                    "ondersteunen van gezinnen met een beperking.",
                    54.0,
                    500.0,
                    673.0,
                    12.0,
                    2,
                ),
                (
                    "Kader 6 Overeenkomsten en verschillen",
                    54.0,
                    400.0,
                    691.0,
                    12.0,
                    2,
                ),
                (
                    "tussen professionals uit lokale teams",
                    54.0,
                    400.0,
                    708.0,
                    12.0,
                    3,
                ),
                (
                    "Professionals geven aan dat ze het leerden.",
                    54.0,
                    500.0,
                    726.0,
                    12.0,
                    3,
                ),
            ],
        );
        page.lines[1].bold = true;
        page.lines[2].bold = true;
        let texts: Vec<String> = blocks(&[page]).into_iter().map(|b| b.text).collect();
        assert_eq!(
            texts,
            [
                "ondersteunen van gezinnen met een beperking.",
                "Kader 6 Overeenkomsten en verschillen tussen professionals uit lokale teams",
                "Professionals geven aan dat ze het leerden.",
            ]
        );
    }

    #[test]
    fn the_title_printed_again_heads_no_section() {
        let body = "Jeugdhulpprofessionals moeten vaak moeilijke beslissingen nemen die grote gevolgen kunnen hebben voor jeugdigen en gezinnen.";
        let pages = [
            placed(
                1,
                &[
                    ("Al doende leren", 50.0, 300.0, 100.0, 30.0, 0),
                    (body, 50.0, 500.0, 200.0, 10.0, 1),
                ],
            ),
            placed(
                2,
                &[
                    ("Al doende leren", 50.0, 200.0, 60.0, 15.0, 0),
                    ("Aanleiding", 50.0, 120.0, 100.0, 12.0, 1),
                    (body, 50.0, 500.0, 120.0, 10.0, 2),
                    (body, 50.0, 500.0, 140.0, 10.0, 3),
                ],
            ),
        ];
        let doc = segment(&pages, &Known::default());
        assert_eq!(doc.title, "Al doende leren");
        let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Aanleiding"]);
    }
}
