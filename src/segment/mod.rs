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
mod enumerators;
mod figures;
mod metadata;
mod quotes;
mod recommendations;
mod sections;
mod tables;

use crate::model::{CleanPage, DocType, Document, Line, Page, Paragraph, Wave};

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
}

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
                .is_some_and(|l| l.block != line.block && !same_heading)
                || new_heading
                || after_title
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
        quote: lines[0].tag.and_then(|t| t.quote).filter(|q| {
            lines
                .iter()
                .all(|l| l.tag.and_then(|t| t.quote) == Some(*q))
        }),
    }
}

/// The size of body text: the font size that carries the most characters.
pub(crate) fn body_size(blocks: &[Block]) -> f32 {
    let mut weights: Vec<(i32, usize)> = Vec::new();
    for b in blocks {
        let key = (b.size * 2.0).round() as i32;
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

/// Segments a document.
pub fn segment(pages: &[CleanPage], known: &Known) -> Document {
    let blocks = blocks(pages);
    let body = body_size(&blocks);
    let meta = metadata::detect(&blocks, body, known);
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
    let headings = sections::detect(&blocks, body, &skip);
    let tables = tables::detect(&blocks, &headings);
    let recs = recommendations::detect(&blocks, &headings);
    let mut taken = recs.used.clone();
    taken.extend(&tables.used);
    let quotes = quotes::detect(&blocks, &headings, &taken);
    // A chapter number set large is a heading, not a figure.
    let mut no_figures = skip.clone();
    no_figures.extend(headings.blocks.iter().copied());
    let mut placed = figures::detect(&blocks, &no_figures, body);
    for (t, &start) in tables.items.iter().zip(&tables.starts) {
        placed.extend(
            tables::key_figures(std::slice::from_ref(t))
                .into_iter()
                .map(|f| (start, f)),
        );
    }
    placed.sort_by_key(|(idx, _)| *idx);
    let mut key_figures: Vec<_> = placed.into_iter().map(|(_, f)| f).collect();
    figures::fill_breakdowns(&mut key_figures);

    let mut paragraphs = Vec::new();
    for b in &blocks {
        let used = headings.blocks.contains(&b.idx)
            || recs.used.contains(&b.idx)
            || quotes.used.contains(&b.idx)
            || tables.used.contains(&b.idx);
        if used || meta.title_blocks.contains(&b.idx) {
            continue;
        }
        paragraphs.push(Paragraph {
            text: b.text.clone(),
            page: b.page,
            section: headings.section_at(b.idx),
        });
    }

    Document {
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
        ..Default::default()
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::model::{CleanPage, Line};

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
