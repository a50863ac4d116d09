//! Key figures: a value (47%, 7,3, N=78, 150 respondenten, 9 op de 10) with the statement it
//! belongs to, also when the layout set the number apart from its words.
//!
//! Invariant: every figure keeps the page it is printed on; a figure standing alone takes the
//! next block of text on its page as its statement.

use std::sync::LazyLock;

use regex::Regex;

use super::typography::{self, SizeClass, Typography};
use super::{vocab, Block};
use crate::model::KeyFigure;

static VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)
        (?P<ratio>\b\d{{1,2}}\s+op\s+de\s+\d{{1,3}}\b)
      | (?P<pct>\b\d{{1,3}}(?:,\d)?\s?%)
      | (?P<n>\b[Nn]\s?=\s?\d{{1,5}}\b)
      | (?P<mark>{marks}[^\d]{{0,30}}\b\d{{1,2}},\d\b)
      | (?P<count>\b(?:\d{{1,5}}|{numbers})\s+(?:\p{{Ll}}+\s+)?{counted}\b)
      | (?P<lonemark>^\d,\d$)
    ",
        marks = vocab::alternation(&vocab::MARK_WORDS),
        numbers = vocab::NUMBER_WORDS.join("|"),
        counted = vocab::alternation(&vocab::COUNT_NOUNS),
    ))
    .expect("valid regex")
});
static CLAUSE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"[.!?;]|,?\s+(?:{}|en\s+(?:spraken|hebben|zijn|werden|is|was))\b",
        vocab::CLAUSE_CONJUNCTIONS.join("|")
    ))
    .expect("valid regex")
});
static MARK_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{1,2},\d").expect("valid regex"));
/// A line that states what the values below it measure, for groups named under each value.
static TEMPLATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^%\s*(\p{L}.{2,80}?)\s*:$").expect("valid regex"));
static GROUP_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.{3,60}?):\s*(\d{1,2},\d)$").expect("valid regex"));

fn is_bare_value(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).count() == 0
}

/// The sentence of `text` that holds byte offset `at`.
fn sentence_around(text: &str, at: usize) -> &str {
    let start = text[..at]
        .rfind(['.', '!', '?', ':'])
        .map(|p| p + 1)
        .unwrap_or(0);
    let end = text[at..]
        .find(['.', '!', '?'])
        .map(|p| at + p)
        .unwrap_or(text.len());
    text[start..end].trim()
}

/// `body` is the size of body text: a figure set apart is set large, while a bare number in
/// small type is a footnote mark or a page number.
/// The statement of a figure set apart at baseline `y`, right edge `x1`: the block of words
/// beside it (its lines span the figure's baseline), the nearest one left or right; else the
/// next block of words on the page, as under a tile.
fn statement_of<'a>(
    blocks: &'a [Block],
    i: usize,
    y: f32,
    x0: f32,
    x1: f32,
    skip: &[usize],
) -> Option<&'a Block> {
    let b = &blocks[i];
    let beside = blocks
        .iter()
        .filter(|n| n.page == b.page && n.idx != b.idx && !skip.contains(&n.idx))
        .filter(|n| !is_bare_value(&n.text) && n.cells.is_empty())
        .filter_map(|n| {
            let size = n.size.max(1.0);
            let spans = n.top - 0.5 * size <= y && y <= n.bottom + 0.5 * size;
            let left = n.geometry.iter().map(|g| g.x0).fold(f32::MAX, f32::min);
            let right = n.geometry.iter().map(|g| g.x1).fold(f32::MIN, f32::max);
            let distance = if left >= x1 - 1.0 {
                left - x1
            } else if right <= x0 + 1.0 {
                x0 - right
            } else {
                return None;
            };
            (spans && distance <= 3.0 * size).then_some((n, distance))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(n, _)| n);
    beside.or_else(|| {
        blocks[i + 1..]
            .iter()
            .take_while(|n| n.page == b.page)
            .find(|n| !is_bare_value(&n.text))
    })
}

/// The words of the block right above block `i` in its column, when they make a title: a line
/// or two of at most eight words that ends no sentence.
fn title_above(blocks: &[Block], i: usize) -> Option<&str> {
    let b = &blocks[i];
    let p = blocks[..i].last().filter(|p| p.page == b.page)?;
    let (g, h) = (b.geometry.first()?, p.geometry.first()?);
    let t = p.text.trim();
    (p.n_lines <= 2
        && t.split_whitespace().count() <= 8
        && !t.ends_with(['.', '!', '?', ':', ';'])
        && p.bottom <= b.top + 1.0
        && b.top - p.bottom <= 2.0 * b.size.max(1.0)
        && (g.x0 - h.x0).abs() <= 2.0 * b.size.max(1.0))
    .then_some(t)
}

/// `body` is the size of body text: a figure set apart is set large, while a bare number in
/// small type is a footnote mark or a page number. Each figure comes with the index of the
/// block it is printed in. A figure of a group ("Lokaal team: 7,7") has an empty statement:
/// it is the statement of the figure it breaks down (see `fill_breakdowns`).
pub(crate) fn detect(
    blocks: &[Block],
    skip: &[usize],
    typo: &Typography,
) -> Vec<(usize, KeyFigure)> {
    let mut out = Vec::new();
    // "% dat sterke werkdruk ervaart:" over a row of tiles, each a value over its group: the
    // statement of the values set in the size of the first one below it.
    let mut template: Option<(u32, String, Option<f32>)> = None;
    for (i, b) in blocks.iter().enumerate() {
        if skip.contains(&b.idx) {
            continue;
        }
        let text = b.text.trim();
        if template
            .as_ref()
            .is_some_and(|(page, _, _)| *page != b.page)
        {
            template = None;
        }
        if let Some(c) = TEMPLATE.captures(text) {
            template = Some((b.page, c[1].trim().to_string(), None));
            continue;
        }
        if let Some(c) = GROUP_MARK.captures(text) {
            out.push((
                b.idx,
                KeyFigure {
                    value: c[2].to_string(),
                    statement: String::new(),
                    group: Some(c[1].trim().to_string()),
                    page: b.page,
                },
            ));
            continue;
        }
        // Principle: a pictogram set with a figure in display type is no text. OCR reads it as
        // a token of three letters at most that is no word ("CED" over "79%"), on a line of
        // its own in the figure's block; such a line does not make the figure part of a text.
        let icon = |l: &str| {
            let t = l.trim();
            t.split_whitespace().count() == 1
                && t.chars().filter(|c| c.is_alphabetic()).count() <= 3
                && !crate::lexicon::Lexicon::dutch().contains(&t.to_lowercase())
        };
        let with_icon = typo.class_in_document(b.size) == SizeClass::Display
            && b.lines.iter().any(|l| is_bare_value(l))
            && b.lines.iter().all(|l| is_bare_value(l) || icon(l));
        if is_bare_value(text) || with_icon {
            if typography::small_print(b.size, typo.body) {
                continue;
            }
            // A plain number counts too when it is set large, as a figure in a strip of tiles.
            let large = typo.class_in_document(b.size) == SizeClass::Display;
            // Big figures set apart, one or more a line: each line's values take the words
            // beside them, or the next words below.
            for (k, line) in b.lines.iter().enumerate() {
                let Some(g) = b.geometry.get(k) else { break };
                let values: Vec<&str> = line
                    .split_whitespace()
                    .filter(|v| {
                        VALUE.is_match(v)
                            || MARK_VALUE.is_match(v)
                            || (large && v.chars().all(|c| c.is_ascii_digit()) && v.len() <= 5)
                    })
                    .collect();
                if values.is_empty() {
                    continue;
                }
                let words = statement_of(blocks, i, g.bottom, g.x0, g.x1, skip)
                    .map(|n| n.text.clone())
                    .unwrap_or_default();
                let in_template = match &mut template {
                    Some((_, _, size @ None)) => {
                        *size = Some(g.size);
                        true
                    }
                    Some((_, _, Some(size))) => typography::same_measured(*size, g.size),
                    None => false,
                };
                let (statement, group) = match &template {
                    Some((_, t, _)) if in_template => (t.clone(), Some(words)),
                    _ => (words, None),
                };
                for value in values {
                    out.push((
                        b.idx,
                        KeyFigure {
                            value: value.to_string(),
                            statement: statement.clone(),
                            group: group.clone(),
                            page: b.page,
                        },
                    ));
                }
            }
            continue;
        }
        for m in VALUE.captures_iter(text) {
            let (value, at) = if let Some(x) = m.name("mark") {
                let inner = MARK_VALUE.find(x.as_str()).expect("a mark has a value");
                (inner.as_str().to_string(), x.start() + inner.start())
            } else {
                let x = m.get(0).expect("a match");
                let v = match m.name("count") {
                    Some(c) => c
                        .as_str()
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    None => x.as_str().to_string(),
                };
                (v, x.start())
            };
            let value = if value.ends_with('%') {
                value.replace(' ', "")
            } else {
                value
            };
            let sentence = sentence_around(text, at);
            // The words after the value when they make a statement ("47% vindt ..."), else
            // the sentence around it.
            // The statement ends with its sentence or where a new clause begins (", maar",
            // " en spraken"...).
            let mut end = CLAUSE_END
                .find(&text[at..])
                .map(|m| at + m.start())
                .unwrap_or(text.len());
            // The statement ends where the next figure begins ("19% werkt 0-3 jaar 23% werkt
            // 3-6 jaar", as OCR gives a column of tiles).
            let whole = m.get(0).expect("a match");
            let next_figure = VALUE.find_at(text, whole.end()).filter(|n| n.start() < end);
            if let Some(next) = next_figure {
                end = next.start();
            }
            // A count names people; "om ..." after it says what they were there for.
            if m.name("count").is_some() {
                if let Some(p) = text[at..end].find(" om ") {
                    end = at + p;
                }
            }
            let after_value = text[at..end]
                .split_whitespace()
                .skip(value.split_whitespace().count())
                .collect::<Vec<_>>()
                .join(" ");
            // "N=78" counts what precedes it: "Diepte-interviews professionals (N=12)".
            let before_value = text[..at]
                .rsplit(['.', '!', '?', ':', ';'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_end_matches(['(', ',', '–', '-'])
                .trim_end();
            // A count that opens its block counts what the line above it names, as under a
            // step of a flow chart ("Diepte-interviews professionals" over "N=12").
            let title_above = (m.name("n").is_some() && before_value.is_empty())
                .then(|| title_above(blocks, i))
                .flatten();
            let statement = if m.name("n").is_some() && before_value.split_whitespace().count() >= 2
            {
                before_value.to_string()
            } else if let Some(title) = title_above {
                title.to_string()
            } else if after_value.split_whitespace().count() >= 2
                || (next_figure.is_some() && !after_value.is_empty())
            {
                // Between two figures even a word is a statement ("6% anders 19% werkt ...").
                after_value
            } else {
                sentence.to_string()
            };
            out.push((
                b.idx,
                KeyFigure {
                    value,
                    statement,
                    group: None,
                    page: b.page,
                },
            ));
        }
    }
    out
}

/// Whether two values are of one kind: percentages, report marks, or counts.
fn same_kind(a: &str, b: &str) -> bool {
    let kind = |v: &str| (v.ends_with('%'), MARK_VALUE.is_match(v));
    kind(a) == kind(b)
}

/// Figures of a group printed with an empty statement ("Lokaal team: 7,7") break down the
/// figure of the same kind printed before them on the page ("Gemiddeld rapportcijfer 7,3"),
/// and take its statement; without one their group is their statement. `figures` are in
/// reading order.
pub(crate) fn fill_breakdowns(figures: &mut [KeyFigure]) {
    for k in 0..figures.len() {
        if !figures[k].statement.is_empty() {
            continue;
        }
        let whole = figures[..k]
            .iter()
            .rev()
            .take_while(|f| f.page == figures[k].page)
            .find(|f| {
                f.group.is_none()
                    && !f.statement.is_empty()
                    && same_kind(&f.value, &figures[k].value)
            })
            .map(|f| f.statement.clone());
        figures[k].statement =
            whole.unwrap_or_else(|| figures[k].group.clone().unwrap_or_default());
    }
}

#[cfg(test)]
mod tests {
    use super::super::{blocks, test_support::page};
    use super::*;

    fn check(input: &[(&str, f32)], expected: &[(&str, &str)]) {
        let pages = [page(1, input)];
        let got: Vec<(String, String)> = detect(&blocks(&pages), &[], &Typography::with_body(10.0))
            .into_iter()
            .map(|(_, f)| (f.value, f.statement))
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(v, s)| (v.to_string(), s.to_string()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn figures_inside_sentences() {
        check(
            &[
                ("47% vindt de ruimte om te investeren in relatie met hun cliënten onvoldoende", 10.0),
                ("Deze 2e meting laat zien dat 9 op de 10 medewerkers voldoende professionele ruimte ervaren.", 10.0),
                ("CIJFERS: 150 respondenten uit regio Haaglanden", 10.0),
            ],
            &[
                ("47%", "vindt de ruimte om te investeren in relatie met hun cliënten onvoldoende"),
                ("9 op de 10", "medewerkers voldoende professionele ruimte ervaren"),
                ("150", "respondenten uit regio Haaglanden"),
            ],
        );
    }

    #[test]
    fn a_count_opening_its_block_counts_what_the_title_above_names() {
        // The report scan's flow chart: a step's title, then its count and description.
        let pages = [super::super::test_support::placed(
            7,
            &[
                (
                    "Diepte-interviews professionals",
                    66.2,
                    200.0,
                    652.0,
                    7.8,
                    0,
                ),
                ("N=12", 66.7, 90.0, 660.4, 6.4, 1),
                (
                    "Leidraad gebaseerd op de literatuur",
                    66.5,
                    190.0,
                    670.9,
                    6.2,
                    1,
                ),
            ],
        )];
        let got: Vec<(String, String)> = detect(&blocks(&pages), &[], &Typography::with_body(8.3))
            .into_iter()
            .map(|(_, f)| (f.value, f.statement))
            .collect();
        assert_eq!(
            got,
            [(
                "N=12".to_string(),
                "Diepte-interviews professionals".to_string()
            )]
        );
    }

    #[test]
    fn a_statement_ends_where_the_next_figure_begins() {
        // The factsheet scan: tesseract reads a column of tiles as one line.
        check(
            &[(
                "19% werkt 0-3 jaar in de jeugdhulp 23% werkt 3-6 jaar in de jeugdhulp",
                10.0,
            )],
            &[
                ("19%", "werkt 0-3 jaar in de jeugdhulp"),
                ("23%", "werkt 3-6 jaar in de jeugdhulp"),
            ],
        );
        // Its list of who answered, the bullets lost: one word between two figures is the
        // statement of the first.
        check(
            &[(
                "30% bij lokaal team 6% anders 19% werkt 0-3 jaar in de jeugdhulp",
                10.0,
            )],
            &[
                ("30%", "bij lokaal team"),
                ("6%", "anders"),
                ("19%", "werkt 0-3 jaar in de jeugdhulp"),
            ],
        );
    }

    #[test]
    fn a_figure_set_apart_takes_the_next_statement() {
        check(&[("79%", 30.0), ("acht de kans (redelijk) groot over een jaar nog werkzaam te zijn in de jeugdhulp", 10.0)], &[("79%", "acht de kans (redelijk) groot over een jaar nog werkzaam te zijn in de jeugdhulp")]);
    }

    #[test]
    fn a_count_of_respondents_states_what_it_counts() {
        check(
            &[
                ("Diepte-interviews professionals N=12 Leidraad gebaseerd op de literatuur", 7.4),
                ("Daarna is een groepsgesprek gedaan met drie professionals van de werkgroep PJH.", 10.0),
                ("We interviewden 10 ervaren jeugdhulpprofessionals die met veel plezier in de jeugdhulp werken en spraken tijdens verschillende bijeenkomsten met jongeren.", 10.0),
                ("Uit de meting blijkt dat 9 op de 10 medewerkers voldoende professionele ruimte ervaart, maar dat dit bij doorvragen vooral de ideale situatie betreft.", 10.0),
            ],
            &[
                ("N=12", "Diepte-interviews professionals"),
                ("drie", "professionals van de werkgroep PJH"),
                ("10", "ervaren jeugdhulpprofessionals die met veel plezier in de jeugdhulp werken"),
                ("9 op de 10", "medewerkers voldoende professionele ruimte ervaart"),
            ],
        );
    }

    #[test]
    fn a_large_plain_number_in_a_tile_is_a_figure() {
        check(
            &[
                ("78", 24.0),
                ("gesprekken met startende professionals geanalyseerd", 8.5),
                (BODY_TEXT, 8.5),
                (BODY_TEXT, 8.5),
            ],
            &[("78", "gesprekken met startende professionals geanalyseerd")],
        );
    }

    /// Principle: a pictogram that OCR read as a few letters that make no word, on a line of
    /// its own in a block of display type, is no text: the figure takes the words beside it.
    #[test]
    fn a_figure_set_large_under_an_icon_read_as_letters_takes_the_words_beside_it() {
        // The factsheet scan: OCR read the icon over "79%" as "CED", in the figure's block.
        let pages = [super::super::test_support::placed(
            1,
            &[
                ("CED", 213.1, 240.0, 332.1, 13.2, 0),
                ("79%", 217.4, 250.0, 353.3, 14.4, 0),
                (
                    "acht de kans (redelijk) groot over",
                    259.2,
                    380.0,
                    348.4,
                    6.5,
                    1,
                ),
                (
                    "een jaar nog werkzaam te zijn in de",
                    258.7,
                    380.0,
                    358.4,
                    5.7,
                    1,
                ),
                ("jeugdhulp", 258.7, 300.0, 366.3, 6.2, 1),
            ],
        )];
        let statements = |pages: &[crate::model::CleanPage]| -> Vec<(String, String)> {
            detect(&blocks(pages), &[], &Typography::with_body(6.3))
                .into_iter()
                .map(|(_, f)| (f.value, f.statement))
                .collect()
        };
        let got = statements(&pages);
        assert_eq!(
            got,
            [(
                "79%".to_string(),
                "acht de kans (redelijk) groot over een jaar nog werkzaam te zijn in de jeugdhulp"
                    .to_string()
            )]
        );
        // A word of the language on that line is text: the figure is read inside it.
        let mut worded = pages.clone();
        worded[0].lines[0].text = "Ook".to_string();
        assert_ne!(statements(&worded), got);
    }

    #[test]
    fn a_footnote_mark_in_small_type_is_no_figure() {
        check(&[("1,2", 6.2), (BODY_TEXT, 10.0), (BODY_TEXT, 10.0)], &[]);
    }

    const BODY_TEXT: &str =
        "Daarnaast is het belangrijk om voortdurend te blijven leren in de praktijk.";

    #[test]
    fn a_column_of_values_takes_the_statements_beside_each() {
        // The factsheet: four percentages set large in one column, each beside its statement
        // of two lines in the next; a mark set large after its words on one line.
        let pages = [super::super::test_support::placed(
            1,
            &[
                ("47%", 29.3, 62.0, 222.7, 17.0, 0),
                ("44%", 29.3, 62.0, 248.2, 17.0, 0),
                (
                    "vindt de ruimte om te investeren in",
                    72.2,
                    190.0,
                    218.7,
                    7.0,
                    1,
                ),
                (
                    "relatie met hun cliënten onvoldoende",
                    72.2,
                    190.0,
                    226.9,
                    7.0,
                    1,
                ),
                (
                    "vindt dat er onvoldoende ruimte is",
                    72.2,
                    190.0,
                    248.7,
                    7.0,
                    2,
                ),
                (
                    "te doen wat nodig is voor een cliënt",
                    72.2,
                    190.0,
                    256.9,
                    7.0,
                    2,
                ),
                ("Gemiddeld rapportcijfer", 213.9, 300.0, 106.5, 7.5, 3),
                ("7,3", 305.0, 330.0, 106.5, 17.0, 4),
                (
                    "Verschillen tussen professionals:",
                    213.9,
                    320.0,
                    140.7,
                    7.0,
                    5,
                ),
            ],
        )];
        let got: Vec<(String, String)> = detect(&blocks(&pages), &[], &Typography::with_body(7.0))
            .into_iter()
            .map(|(_, f)| (f.value, f.statement))
            .collect();
        let expected = [
            (
                "47%",
                "vindt de ruimte om te investeren in relatie met hun cliënten onvoldoende",
            ),
            (
                "44%",
                "vindt dat er onvoldoende ruimte is te doen wat nodig is voor een cliënt",
            ),
            ("7,3", "Gemiddeld rapportcijfer"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(v, s)| (v.to_string(), s.to_string()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn tiles_under_a_percent_line_name_their_group() {
        let pages = [page(
            1,
            &[
                ("% dat sterke werkdruk ervaart:", 7.3),
                ("37%", 13.0),
                ("GI-medewerkers", 7.6),
                ("26%", 13.0),
                ("medewerkers gespecialiseerde hulp", 7.6),
            ],
        )];
        let got: Vec<(String, String, Option<String>)> =
            detect(&blocks(&pages), &[], &Typography::with_body(7.6))
                .into_iter()
                .map(|(_, f)| (f.value, f.statement, f.group))
                .collect();
        assert_eq!(
            got,
            [
                (
                    "37%".to_string(),
                    "dat sterke werkdruk ervaart".to_string(),
                    Some("GI-medewerkers".to_string())
                ),
                (
                    "26%".to_string(),
                    "dat sterke werkdruk ervaart".to_string(),
                    Some("medewerkers gespecialiseerde hulp".to_string())
                ),
            ]
        );
    }

    #[test]
    fn a_breakdown_by_group_takes_the_statement_it_breaks_down() {
        let figure = |value: &str, statement: &str, group: Option<&str>| KeyFigure {
            value: value.into(),
            statement: statement.into(),
            group: group.map(Into::into),
            page: 1,
        };
        let mut figures = vec![
            figure("7,3", "Gemiddeld rapportcijfer", None),
            figure("47%", "vindt de ruimte onvoldoende", None),
            figure("7,7", "", Some("Lokaal team")),
            figure("12%", "", Some("Anders")),
        ];
        fill_breakdowns(&mut figures);
        let statements: Vec<&str> = figures.iter().map(|f| f.statement.as_str()).collect();
        assert_eq!(
            statements,
            [
                "Gemiddeld rapportcijfer",
                "vindt de ruimte onvoldoende",
                "Gemiddeld rapportcijfer",
                "vindt de ruimte onvoldoende"
            ]
        );
    }

    #[test]
    fn report_marks_with_their_group() {
        let pages = [page(1, &[("Lokaal team: 7,7", 10.0)])];
        let f = detect(&blocks(&pages), &[], &Typography::with_body(10.0));
        assert_eq!(
            (f[0].1.value.as_str(), f[0].1.group.as_deref()),
            ("7,7", Some("Lokaal team"))
        );
    }
}
