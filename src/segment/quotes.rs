//! Quotes of interviewed professionals: blocks that open with a quotation mark or a "Quote:"
//! label, followed over lines, columns and pages until the quotation closes.
//!
//! Invariant: a quoted word or title inside a sentence is not a quote: a quote opens its block.

use std::collections::HashSet;

use super::claims::Claims;
use super::sections::Headings;
use super::Block;
use crate::model::{Quote, SegmentRule};

pub(crate) struct Quotes {
    pub items: Vec<Quote>,
    /// The blocks each quote takes, with the rule that found it and what it saw.
    pub used: Vec<(usize, SegmentRule, String)>,
}

use super::vocab::{CLOSING_MARKS as CLOSING, OPENING_MARKS as OPENING};

/// The quotation inside a block, without the label and the outer quotation marks.
fn opening_quote(text: &str) -> Option<&str> {
    let t = text.trim();
    let t = super::vocab::QUOTE_LABELS
        .iter()
        .find_map(|l| t.strip_prefix(l))
        .map(str::trim_start)
        .unwrap_or(t);
    let rest = t.strip_prefix(OPENING)?;
    // A long enough utterance, not a quoted term such as ‘grijze gebied’ standing alone.
    (rest.split_whitespace().count() >= 5).then_some(rest)
}

/// Whether a line opens a quotation long enough to be an utterance.
pub(crate) fn opens_quotation(text: &str) -> bool {
    opening_quote(text).is_some()
}

/// Whether a text opens a sentence: with a capital, or with an opening quotation mark.
pub(crate) fn opens_sentence(text: &str) -> bool {
    text.trim_start()
        .starts_with(|c: char| c.is_uppercase() || OPENING.contains(&c))
}

/// Whether a line ends a sentence, inside a closing quotation mark or not ("… praktijk.”").
pub(crate) fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(CLOSING)
        .ends_with(['.', '!', '?', '…'])
}

pub(crate) fn closes(text: &str) -> bool {
    let t = text.trim_end();
    let t = t.trim_end_matches(['.', ',', ';', ')']);
    t.ends_with(CLOSING)
}

fn strip_closing(text: &str) -> String {
    let t = text.trim_end();
    let mut t = t.to_string();
    for _ in 0..2 {
        if let Some(c) = t.chars().last() {
            if CLOSING.contains(&c) {
                t.pop();
                break;
            }
            if c == '.' && t.trim_end_matches('.').ends_with(CLOSING) {
                t = t.trim_end_matches('.').to_string();
                continue;
            }
        }
    }
    t.trim_end().to_string()
}

/// A quotation a tagged PDF marks (BlockQuote, Quote): its blocks, joined, without the outer
/// marks, wherever its marks are drawn (inline, as a large glyph of their own, or not at all).
/// Returns the text and the blocks it takes; none when the element holds too few words to be
/// an utterance.
fn tagged_quote(blocks: &[Block], start: usize, claims: &Claims) -> Option<(String, Vec<usize>)> {
    let element = blocks.get(start)?.quote?;
    let of: Vec<&Block> = blocks[start..]
        .iter()
        .take_while(|b| b.quote == Some(element) && !claims.taken(b.idx))
        .collect();
    let text = of
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let text = text.trim();
    let inner = text
        .strip_prefix(OPENING)
        .map(str::trim_start)
        .unwrap_or(text);
    let inner = strip_closing(inner);
    (inner.split_whitespace().count() >= 5).then(|| (inner, of.iter().map(|b| b.idx).collect()))
}

/// Italic paragraphs set off from the text around them: the quotations a layout marks by slant
/// and indent alone, without quotation marks. A block is one when all its lines are italic,
/// it holds an utterance (five words or more, opening and ending a sentence), and it stands indented from
/// the upright blocks next to it on its page, or in a box. Where most of the text is italic,
/// slant sets nothing off.
pub(crate) fn set_off_italic(blocks: &[Block]) -> HashSet<usize> {
    let words = |b: &Block| b.text.split_whitespace().count();
    let total: usize = blocks.iter().map(words).sum();
    let italic: usize = blocks.iter().filter(|b| b.italic).map(words).sum();
    if italic * 2 >= total {
        return HashSet::new();
    }
    let x0 = |b: &Block| b.geometry.iter().map(|g| g.x0).fold(f32::MAX, f32::min);
    let upright_near = |pos: usize, step: isize| {
        let page = blocks.get(pos)?.page;
        let mut at = pos as isize + step;
        while let Some(n) = usize::try_from(at).ok().and_then(|i| blocks.get(i)) {
            if n.page != page {
                return None;
            }
            if !n.italic {
                return Some(n);
            }
            at += step;
        }
        None
    };
    blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.italic && !b.list_item && b.heading.is_none() && b.cells.is_empty())
        .filter(|(_, b)| words(b) >= 5 && opens_sentence(&b.text) && ends_sentence(&b.text))
        .filter(|&(pos, b)| {
            let indent = 0.5 * b.size.max(1.0);
            let indented = [upright_near(pos, -1), upright_near(pos, 1)]
                .into_iter()
                .flatten()
                .any(|n| x0(b) >= x0(n) + indent);
            b.boxed || indented
        })
        .map(|(_, b)| b.idx)
        .collect()
}

/// `claims` holds the blocks other detectors took first (title, headings, recommendations,
/// tables): a quote never takes one.
pub(crate) fn detect(
    blocks: &[Block],
    headings: &Headings,
    claims: &Claims,
    set_off: &HashSet<usize>,
) -> Quotes {
    let mut items = Vec::new();
    let mut used = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        i += 1;
        if claims.taken(b.idx) {
            continue;
        }
        // The producer's tags say where a quotation begins and ends: they are followed first.
        if let Some((text, idxs)) = tagged_quote(blocks, i - 1, claims) {
            i += idxs.len() - 1;
            items.push(Quote {
                text,
                page: b.page,
                section: headings.section_at(b.idx),
            });
            used.extend(idxs.into_iter().map(|i| {
                (
                    i,
                    SegmentRule::TaggedQuote,
                    "inside a BlockQuote or Quote element of the structure tree".to_string(),
                )
            }));
            continue;
        }
        if set_off.contains(&b.idx) {
            let text = b.text.trim();
            let inner = text
                .strip_prefix(OPENING)
                .map(str::trim_start)
                .unwrap_or(text);
            items.push(Quote {
                text: strip_closing(inner),
                page: b.page,
                section: headings.section_at(b.idx),
            });
            used.push((
                b.idx,
                SegmentRule::SetOffItalic,
                "italic, an utterance, set off from the upright text around it".to_string(),
            ));
            continue;
        }
        let Some(first) = opening_quote(&b.text) else {
            continue;
        };
        let mut parts = vec![first.to_string()];
        let mut idxs = vec![b.idx];
        // A quote that does not close in its block goes on in the next ones (a column or page
        // break), at most three more.
        while !closes(parts.last().expect("one part")) && idxs.len() < 4 {
            match blocks.get(i) {
                Some(n) if !claims.taken(n.idx) && opening_quote(&n.text).is_none() => {
                    parts.push(n.text.clone());
                    idxs.push(n.idx);
                    i += 1;
                }
                _ => break,
            }
        }
        if !closes(parts.last().expect("one part")) {
            // Never closed: keep only the first block, as OCR often loses the closing mark.
            parts.truncate(1);
            idxs.truncate(1);
            i = blocks
                .iter()
                .position(|x| x.idx == b.idx)
                .map(|p| p + 1)
                .unwrap_or(i);
        }
        let text = strip_closing(&parts.join(" "));
        items.push(Quote {
            text,
            page: b.page,
            section: headings.section_at(b.idx),
        });
        let n = idxs.len();
        used.extend(idxs.into_iter().map(|i| {
            let why = if n > 1 {
                format!("opens with a quotation mark and closes {n} blocks on")
            } else {
                "opens with a quotation mark".to_string()
            };
            (i, SegmentRule::QuotationMarks, why)
        }));
    }
    Quotes { items, used }
}

#[cfg(test)]
mod tests {
    use super::super::{
        blocks, sections,
        test_support::{claims_after, page},
        typography::Typography,
    };
    use super::*;

    fn check(input: &[(&str, f32)], expected: &[&str]) {
        let pages = [page(1, input)];
        let bs = blocks(&pages);
        let h = sections::detect(&bs, &Typography::of(&bs), &[]);
        let q = detect(&bs, &h, &claims_after(&bs, &h), &set_off_italic(&bs));
        let got: Vec<&str> = q.items.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn quotes_with_typographic_and_straight_marks_and_labels() {
        check(
            &[
                ("“Ik leer van collega’s door mee te lopen. Bij iedereen een beetje af te kijken.”", 10.0),
                ("\"Ik zou dit werk nooit hebben kunnen doen vlak na mijn opleiding.\"", 10.0),
                ("Quote: \"Je moet in dit werk denk ik chronisch nieuwsgierig zijn naar wat mensen beweegt.\"", 10.0),
            ],
            &[
                "Ik leer van collega’s door mee te lopen. Bij iedereen een beetje af te kijken.",
                "Ik zou dit werk nooit hebben kunnen doen vlak na mijn opleiding.",
                "Je moet in dit werk denk ik chronisch nieuwsgierig zijn naar wat mensen beweegt.",
            ],
        );
    }

    #[test]
    fn a_quote_broken_over_blocks_is_joined() {
        check(
            &[("“Ik denk dat ik stiekem het meest geleerd heb van me bevinden in het", 10.0), ("grijze gebied. En dan zie je dat het wel werkt.”", 10.0)],
            &["Ik denk dat ik stiekem het meest geleerd heb van me bevinden in het grijze gebied. En dan zie je dat het wel werkt."],
        );
    }

    /// Layout principle: a tagged PDF's BlockQuote is a quotation however it is drawn: marks
    /// in its text, a large decorative mark set apart in a block of its own, or italic only.
    #[test]
    fn a_tagged_quotation_is_a_quote_whatever_marks_it_has() {
        let pages = [page(
            1,
            &[
                ("Inleidende tekst van het rapport over leren.", 10.0),
                ("“", 30.0),
                (
                    "Ik leer van collega’s door mee te lopen. Bij iedereen",
                    10.0,
                ),
                ("een beetje af te kijken.”", 10.0),
                (
                    "Hoe gaat iedereen om met wat er op hem afkomt in dit werk",
                    10.0,
                ),
                (
                    "Een gewone alinea die op het citaat volgt, en geen citaat is.",
                    10.0,
                ),
            ],
        )];
        let mut bs = blocks(&pages);
        // the tree: the mark and the first two lines are one BlockQuote, the italic utterance
        // after them another
        for (b, q) in bs
            .iter_mut()
            .zip([None, Some(3), Some(3), Some(3), Some(7), None])
        {
            b.quote = q;
        }
        let h = sections::detect(&bs, &Typography::of(&bs), &[]);
        let q = detect(&bs, &h, &claims_after(&bs, &h), &set_off_italic(&bs));
        let got: Vec<&str> = q.items.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(
            got,
            [
                "Ik leer van collega’s door mee te lopen. Bij iedereen een beetje af te kijken.",
                "Hoe gaat iedereen om met wat er op hem afkomt in dit werk"
            ]
        );
    }

    #[test]
    fn an_italic_paragraph_set_off_from_the_text_is_a_quote() {
        // A list, then an utterance in italic indented under it, in the same layout block;
        // then italic emphasis at the body's margin, which sets nothing off.
        use super::super::test_support::placed;
        let mut page = placed(
            2,
            &[
                ("Aanbevelingen", 57.0, 300.0, 80.0, 16.0, 9),
                ("Aan professionals:", 57.0, 300.0, 100.0, 10.5, 0),
                (
                    "• Blijf jezelf ontwikkelen in het vak.",
                    57.0,
                    400.0,
                    114.0,
                    10.5,
                    1,
                ),
                (
                    "Het is net als autorijden: je kunt twintig lessen",
                    69.0,
                    400.0,
                    131.0,
                    10.5,
                    1,
                ),
                (
                    "volgen, maar pas op de weg leer je het.",
                    69.0,
                    400.0,
                    143.0,
                    10.5,
                    1,
                ),
                (
                    "De tekst van het hoofdstuk gaat hier gewoon verder.",
                    57.0,
                    500.0,
                    170.0,
                    10.5,
                    2,
                ),
                (
                    "Dit woord staat schuin maar is geen citaat van iemand.",
                    57.0,
                    500.0,
                    184.0,
                    10.5,
                    3,
                ),
                (
                    "En de alinea loopt daarna weer rechtop door.",
                    57.0,
                    500.0,
                    198.0,
                    10.5,
                    4,
                ),
                (
                    "Het onderzoek vroeg professionals naar hun ervaringen met leren",
                    57.0,
                    500.0,
                    226.0,
                    10.5,
                    5,
                ),
                (
                    "in de praktijk, van collega's en van de mensen die zij helpen.",
                    57.0,
                    500.0,
                    240.0,
                    10.5,
                    5,
                ),
            ],
        );
        for i in [3, 4, 6] {
            page.lines[i].italic = true;
        }
        let bs = blocks(&[page]);
        let h = sections::detect(&bs, &Typography::of(&bs), &[]);
        let set_off = set_off_italic(&bs);
        let q = detect(&bs, &h, &claims_after(&bs, &h), &set_off);
        let got: Vec<&str> = q.items.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(
            got,
            ["Het is net als autorijden: je kunt twintig lessen volgen, maar pas op de weg leer je het."]
        );
        // The list keeps its item and not the quotation.
        let recs = super::super::recommendations::detect(&bs, &h, &claims_after(&bs, &h), &set_off);
        let items: Vec<&str> = recs.items.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(items, ["Blijf jezelf ontwikkelen in het vak."]);
    }

    #[test]
    fn an_italic_line_that_goes_on_with_a_list_item_is_no_quote() {
        // The item's second line, at the hanging indent, sets its quoted words in italic: the
        // sentence goes on, so no quotation is set off there.
        use super::super::test_support::placed;
        let mut page = placed(
            1,
            &[
                (
                    "• Maakbaarheid samenleving: 'we kunnen alles",
                    34.0,
                    300.0,
                    331.0,
                    9.7,
                    0,
                ),
                (
                    "verbeteren (zowel bij gezinnen als in de zorg)'.",
                    45.5,
                    300.0,
                    344.0,
                    9.7,
                    0,
                ),
                (
                    "Daarna volgt de tekst van het hoofdstuk over de verwachtingen",
                    34.0,
                    500.0,
                    370.0,
                    9.7,
                    1,
                ),
                (
                    "van de buitenwereld, in een gewone alinea zonder nadruk erin.",
                    34.0,
                    500.0,
                    383.0,
                    9.7,
                    1,
                ),
            ],
        );
        page.lines[1].italic = true;
        let bs = blocks(&[page]);
        assert_eq!(bs.len(), 2);
        assert!(set_off_italic(&bs).is_empty());
    }

    #[test]
    fn a_quoted_term_inside_a_sentence_is_not_a_quote() {
        check(&[("Professionals noemen dit ‘buiten de lijntjes kleuren’ of ‘werken in het grijze gebied’.", 10.0), ("‘grijze gebied’", 10.0)], &[]);
    }
}
