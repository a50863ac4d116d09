//! Headings: numbered chapters and paragraphs, kaders, and unnumbered headings told apart from
//! body text by their font size.
//!
//! Invariant: a heading is one block; captions ("Tabel 1", "Figuur 2"), labels ending in a
//! colon, quotes and figures are never headings.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::Block;
use crate::model::Section;

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\p{Lu}.*)$").expect("valid regex")
});
static KADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:kader)\s*(\d{1,2})\s*[|:.\-–]?\s*(.*)$").expect("valid regex")
});
/// A kader's title as printed on a line of its own: "Kader 4 | Leren samenwerken".
pub(crate) fn is_kader_title(text: &str) -> bool {
    static TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:kader)\s*\d{1,2}\s*[|:]\s*\p{Lu}[^.!?]{0,120}$").expect("valid regex")
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
/// What a list item opens with when its number is text: "1 ", "2. ".
static ITEM_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2}[.)]?\s+\p{Lu}").expect("valid regex"));
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:tabel|figuur|bron|noot|grafiek)\s*\d*\b").expect("valid regex")
});

/// "Aan professionals:", "Voor organisaties:": the audience of the recommendations that
/// follow, not a section.
fn is_audience_label(text: &str) -> bool {
    let t = text.trim();
    t.ends_with(':')
        && (t.starts_with("Aan ") || t.starts_with("Voor "))
        && t.split_whitespace().count() <= 6
}

/// The publishers of the PEO print their names as logos on covers and page corners.
pub(crate) fn is_publisher(text: &str) -> bool {
    let key: String = text
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
    /// Blocks used as headings (a heading may take a separate number block too).
    pub blocks: HashSet<usize>,
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
            .find(|(i, s)| s.kind != "kader" || in_box || *i == idx)
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
    let quote = t.starts_with(['“', '"', '‘', '\'', '„', '«']);
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

/// Whether a block opens a list item: marked by layout, or numbered in its text.
fn is_list_item(b: &Block) -> bool {
    b.list_item || ITEM_NUMBER.is_match(b.text.trim())
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

/// The body size of each page: pages with enough text of their own (a summary page in small
/// print) measure headings against it, the others against the document's.
fn page_bodies(blocks: &[Block], body: f32) -> std::collections::HashMap<u32, f32> {
    let mut pages: std::collections::HashMap<u32, Vec<Block>> = std::collections::HashMap::new();
    for b in blocks {
        pages.entry(b.page).or_default().push(b.clone());
    }
    pages
        .into_iter()
        .map(|(page, bs)| {
            let chars: usize = bs.iter().map(|b| b.text.chars().count()).sum();
            (
                page,
                if chars >= 600 {
                    super::body_size(&bs)
                } else {
                    body
                },
            )
        })
        .collect()
}

pub(crate) fn detect(blocks: &[Block], body: f32, skip: &[usize]) -> Headings {
    let doc_body = body;
    let bodies = page_bodies(blocks, body);
    let mut found: Vec<(usize, Section, f32)> = Vec::new();
    let mut used = HashSet::new();
    // The number of the last numbered heading, as (chapter, paragraph); 0 for a chapter.
    let mut last_number: Option<(u32, u32)> = None;
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        i += 1;
        let body = bodies.get(&b.page).copied().unwrap_or(body);
        if skip.contains(&b.idx) || b.list_item {
            continue;
        }
        let read = b.text.trim();
        // A block number printed in a circle, as OCR reads it: "(3 } Werkplezier".
        let circled = (b.size >= body * 1.12)
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
                    kind: "kader".into(),
                    page: b.page,
                };
                found.push((b.idx, section, b.size));
                used.insert(b.idx);
                continue;
            }
        }
        // A chapter number set apart from its title, in a large size.
        let lone_number =
            text.len() <= 2 && text.chars().all(|c| c.is_ascii_digit()) && b.size >= body * 1.3;
        if lone_number {
            if let Some(next) = blocks.get(i).filter(|n| {
                n.page == b.page && n.size >= body * 1.1 && is_heading_text(&n.text, true)
            }) {
                let section = Section {
                    number: Some(text.to_string()),
                    title: next.text.trim().to_string(),
                    level: 1,
                    kind: "heading".into(),
                    page: b.page,
                };
                last_number = numbering(text).or(last_number);
                found.push((b.idx, section, next.size));
                used.insert(b.idx);
                used.insert(next.idx);
                i += 1;
                continue;
            }
        }
        // Bold labels are set in body type: smaller bold type labels parts of a figure.
        let bold_label =
            b.size < body * 1.12 && b.size >= doc_body * 0.95 && is_bold_label(b, blocks.get(i));
        if !(is_heading_text(text, b.size >= body * 1.12) || bold_label)
            || is_audience_label(text)
            || is_publisher(text)
        {
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
                && b.size >= body * 0.95
                && numbering(&number)
                    .is_some_and(|n| n.1 > 0 && last_number.is_some_and(|l| continues(n, l)));
            if b.size >= body * 1.05 || in_sequence {
                let level = (number.matches('.').count() + 1).min(3) as u8;
                if let Some(n) = numbering(&number) {
                    last_number = Some(n);
                }
                let section = Section {
                    number: Some(number),
                    title: c[2].trim().to_string(),
                    level,
                    kind: "heading".into(),
                    page: b.page,
                };
                found.push((b.idx, section, b.size));
                used.insert(b.idx);
                continue;
            }
        }
        // An unnumbered heading that ends in a colon introduces a list; "Kijk op:" before a
        // link does not.
        if colon && !blocks.get(i).is_some_and(is_list_item) {
            continue;
        }
        if (b.size >= body * 1.12 && b.n_lines <= 3) || bold_label {
            let section = Section {
                number: None,
                title: text.to_string(),
                level: 0,
                kind: "heading".into(),
                page: b.page,
            };
            found.push((b.idx, section, b.size));
            used.insert(b.idx);
        }
    }
    assign_levels(&mut found);
    Headings {
        sections: found.into_iter().map(|(i, s, _)| (i, s)).collect(),
        blocks: used,
        boxed: blocks.iter().map(|b| b.boxed).collect(),
    }
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
        .filter(|(_, s, _)| s.number.is_some() && s.kind == "heading")
        .map(|(_, s, size)| (*size, s.level))
        .collect();
    let mut sizes: Vec<i32> = found
        .iter()
        .filter(|(_, s, _)| s.level == 0)
        .map(|(_, _, size)| (size * 2.0).round() as i32)
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    for (_, s, size) in found.iter_mut() {
        if s.level != 0 {
            continue;
        }
        s.level = if numbered.is_empty() {
            let key = (*size * 2.0).round() as i32;
            (sizes.iter().position(|k| *k == key).unwrap_or(0) + 1).min(3) as u8
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
    use super::super::{blocks, body_size, test_support::page};
    use super::*;

    fn check(input: &[(&str, f32)], expected: &[(Option<&str>, &str, u8, &str)]) {
        check_bold(input, &[], expected);
    }

    const BODY: &str = "Professionals geven aan dat het leren van het vak in de praktijk voor een belangrijk deel bestaat uit leren omgaan met situaties.";

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
        let h = detect(&bs, body_size(&bs), &[]);
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
