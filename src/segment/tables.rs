//! Tables: the rows layout found (lines with cells) gathered into `Table`s with the caption
//! printed above them ("Tabel 2 De respondenten ..."), and the key figures their rows hold.
//!
//! Invariant: a table row is never a heading, paragraph, recommendation or quote; its caption
//! belongs to the table; every table keeps the page it starts on.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::sections::Headings;
use super::Block;
use crate::model::{KeyFigure, Table};

static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^((?i:{})\s*\d{{1,2}}[a-z]?)\s*[|:.\-–]?\s*(.*)$",
        super::vocab::alternation(&super::vocab::TABLE_WORDS)
    ))
    .expect("valid regex")
});
/// A number as a table prints it: 78, 12%, 7,3, 1.250, N=78.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[Nn]\s?=\s?)?\d{1,3}(?:[.,]\d{1,3})*\s?%?$").expect("valid regex")
});

/// A count of respondents: N=78.
static COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[Nn]\s?=\s?\d{1,5}\b").expect("valid regex"));

pub(crate) struct Tables {
    pub items: Vec<Table>,
    /// Blocks used: the rows and the captions.
    pub used: HashSet<usize>,
    /// The block of each table's first row, in the order of `items`.
    pub starts: Vec<usize>,
}

/// The blocks that are table rows.
pub(crate) fn rows(blocks: &[Block]) -> Vec<usize> {
    blocks
        .iter()
        .filter(|b| !b.cells.is_empty())
        .map(|b| b.idx)
        .collect()
}

/// Whether the first row names the columns rather than holding values: none of its cells past
/// the first is a number or a mark.
fn is_header(row: &[String]) -> bool {
    row.len() >= 2
        && row[1..].iter().any(|c| !c.is_empty())
        && row[1..].iter().all(|c| {
            let t = c.trim();
            t.is_empty()
                || (!NUMBER.is_match(t) && t.chars().filter(|c| c.is_alphabetic()).count() > 2)
        })
}

pub(crate) fn detect(blocks: &[Block], headings: &Headings) -> Tables {
    let mut items = Vec::new();
    let mut used = HashSet::new();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        if blocks[i].cells.is_empty() {
            i += 1;
            continue;
        }
        let start = i;
        while i < blocks.len()
            && !blocks[i].cells.is_empty()
            && blocks[i].page == blocks[start].page
        {
            used.insert(blocks[i].idx);
            i += 1;
        }
        // A row label keeps no bullet ("●● Lokaal team:").
        let mut rows: Vec<Vec<String>> = blocks[start..i]
            .iter()
            .map(|b| {
                b.cells
                    .iter()
                    .enumerate()
                    .map(|(c, cell)| {
                        if c > 0 {
                            return cell.clone();
                        }
                        cell.trim_start_matches(|c: char| {
                            !c.is_alphanumeric() && !"(“\"‘'".contains(c)
                        })
                        .to_string()
                    })
                    .collect()
            })
            .collect();
        // A value that layout put in the label's cell while the row's value cells are empty
        // ("Gemiddeld rapportcijfer 7,3" | "") belongs in the first of them.
        for row in rows.iter_mut().filter(|r| r.len() >= 2) {
            if row[1..].iter().all(|c| c.trim().is_empty()) {
                let spilled = row[0]
                    .trim()
                    .rsplit_once(' ')
                    .filter(|(label, value)| {
                        NUMBER.is_match(value) && label.chars().any(|c| c.is_alphabetic())
                    })
                    .map(|(label, value)| (label.to_string(), value.to_string()));
                if let Some((label, value)) = spilled {
                    row[0] = label;
                    row[1] = value;
                }
            }
        }
        let header = if is_header(&rows[0]) {
            rows.remove(0)
        } else {
            Vec::new()
        };
        // The caption stands just above the table, or else just below it.
        let page = blocks[start].page;
        let caption = blocks[start.saturating_sub(2)..start]
            .iter()
            .rev()
            .chain(blocks.get(i))
            .filter(|b| b.page == page && b.cells.is_empty())
            .find_map(|b| CAPTION.captures(b.text.trim()).map(|c| (b.idx, c)));
        let (number, caption) = match caption {
            Some((idx, c)) => {
                used.insert(idx);
                let rest = c[2].trim();
                (
                    Some(c[1].to_string()),
                    (!rest.is_empty()).then(|| rest.to_string()),
                )
            }
            None => (None, None),
        };
        starts.push(blocks[start].idx);
        items.push(Table {
            number,
            caption,
            page,
            header,
            rows,
            section: headings.section_at(blocks[start].idx),
        });
    }
    Tables {
        items,
        used,
        starts,
    }
}

/// The numbers in a table's rows, each with its row label as statement and its column heading
/// as group, when the table has a header.
pub(crate) fn key_figures(tables: &[Table]) -> Vec<KeyFigure> {
    let mut out = Vec::new();
    for t in tables {
        for row in &t.rows {
            let Some(label) = row.first().filter(|l| !l.trim().is_empty()) else {
                continue;
            };
            // A count printed in the label counts what the label names before it: a flow
            // chart's step read as a row ("Analyse bestaande interviews N=78 Specifiek ...").
            if let Some(m) = COUNT.find(label) {
                let before = label[..m.start()].trim();
                if before.split_whitespace().count() >= 2 {
                    out.push(KeyFigure {
                        value: m.as_str().replace(' ', ""),
                        statement: before.to_string(),
                        group: None,
                        page: t.page,
                    });
                }
            }
            // "Lokaal team: 7,7": a breakdown by group of a figure stated elsewhere.
            let breakdown = t.header.is_empty() && label.trim_end().ends_with(':');
            for (c, cell) in row.iter().enumerate().skip(1) {
                let value = cell.trim();
                if !NUMBER.is_match(value) {
                    continue;
                }
                if breakdown {
                    out.push(KeyFigure {
                        value: value.to_string(),
                        statement: String::new(),
                        group: Some(label.trim().trim_end_matches(':').trim_end().to_string()),
                        page: t.page,
                    });
                    continue;
                }
                out.push(KeyFigure {
                    value: value.to_string(),
                    statement: label.trim().to_string(),
                    group: t
                        .header
                        .get(c)
                        .map(|h| h.trim().to_string())
                        .filter(|h| !h.is_empty()),
                    page: t.page,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{blocks, sections};
    use super::*;
    use crate::model::{CleanPage, Line};

    /// A page of blocks; a block given as several cells (split at " | ") is a table row.
    fn page(texts: &[&str]) -> CleanPage {
        let lines = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let cells: Vec<String> = if t.contains(" | ") {
                    t.split(" | ").map(|c| c.to_string()).collect()
                } else {
                    Vec::new()
                };
                Line {
                    text: t.replace(" | ", " "),
                    x0: 50.0,
                    x1: 300.0,
                    top: 50.0 + i as f32 * 20.0,
                    bottom: 60.0 + i as f32 * 20.0,
                    size: 8.0,
                    block: i as u32,
                    boxed: false,
                    list_item: false,
                    bold: false,
                    italic: false,
                    cells,
                    tag: None,
                }
            })
            .collect();
        CleanPage {
            number: 7,
            label: "7".into(),
            lines,
        }
    }

    fn check(texts: &[&str], expected: &[(&str, &str, Option<&str>)]) -> Vec<Table> {
        let pages = [page(texts)];
        let bs = blocks(&pages);
        let headings = sections::detect(
            &bs,
            &super::super::typography::Typography::with_body(8.0),
            &rows(&bs),
        );
        let tables = detect(&bs, &headings);
        let got: Vec<(String, String, Option<String>)> = key_figures(&tables.items)
            .into_iter()
            .map(|f| (f.value, f.statement, f.group))
            .collect();
        let expected: Vec<(String, String, Option<String>)> = expected
            .iter()
            .map(|(v, s, g)| (v.to_string(), s.to_string(), g.map(|g| g.to_string())))
            .collect();
        assert_eq!(got, expected);
        tables.items
    }

    #[test]
    fn a_table_of_counts_gives_a_key_figure_per_row() {
        let tables = check(
            &[
                "Tabel 2 De respondenten uit de diepte-interviews en hun kenmerken.",
                "Aantal professionals | 12",
                "0-3 jaar werkzaam | 2",
                "MBO + EVC Traject | 2",
            ],
            &[
                ("12", "Aantal professionals", None),
                ("2", "0-3 jaar werkzaam", None),
                ("2", "MBO + EVC Traject", None),
            ],
        );
        assert_eq!(tables[0].number.as_deref(), Some("Tabel 2"));
        assert_eq!(
            tables[0].caption.as_deref(),
            Some("De respondenten uit de diepte-interviews en hun kenmerken.")
        );
        assert_eq!(tables[0].rows.len(), 3);
    }

    #[test]
    fn a_value_spilled_into_the_label_cell_and_rows_of_label_and_colon() {
        // The factsheet: the line above its list of marks by group became a row whose value
        // layout put in the label's cell; the groups ("●● Lokaal team:") are breakdowns.
        let tables = check(
            &[
                "Gemiddeld rapportcijfer 7,3 | ",
                "●● Lokaal team: | 7,7",
                "●● Specialistische jeugdhulp: | 6,9",
            ],
            &[
                ("7,3", "Gemiddeld rapportcijfer", None),
                ("7,7", "", Some("Lokaal team")),
                ("6,9", "", Some("Specialistische jeugdhulp")),
            ],
        );
        // The table keeps its labels without their bullets too.
        assert_eq!(tables[0].rows[1], ["Lokaal team:", "7,7"]);
    }

    #[test]
    fn a_count_in_a_row_label_counts_what_the_label_names() {
        // The report scan's flow chart, read by OCR as a table whose value cell holds the "N"
        // of a count set on a line of its own.
        check(
            &[
                "Korte literatuurscan Wat is er al bekend | EN",
                "gen pd Analyse bestaande interviews startende professionals N=78 Specifiek de vragen over aansluiting opleiding — praktijk | N",
            ],
            &[(
                "N=78",
                "gen pd Analyse bestaande interviews startende professionals",
                None,
            )],
        );
    }

    #[test]
    fn a_header_row_names_the_group_and_marks_are_no_figures() {
        let tables = check(
            &[
                "Tabel 3",
                "Kenmerk | Startende professionals | Ervaren professionals",
                "Gespreksvoering | x | x",
                "Leren reflecteren |  | x",
                "Gemiddeld rapportcijfer | 7,3 | 7,7",
            ],
            &[
                (
                    "7,3",
                    "Gemiddeld rapportcijfer",
                    Some("Startende professionals"),
                ),
                (
                    "7,7",
                    "Gemiddeld rapportcijfer",
                    Some("Ervaren professionals"),
                ),
            ],
        );
        assert_eq!(
            tables[0].header,
            [
                "Kenmerk",
                "Startende professionals",
                "Ervaren professionals"
            ]
        );
        assert_eq!(tables[0].rows[1], ["Leren reflecteren", "", "x"]);
    }
}
