//! Title, subtitle, wave, document type, authors and ISBN of a publication.
//!
//! Invariant: a value the catalog gives is used as it is; detection only fills what the catalog
//! leaves open.

use std::sync::LazyLock;

use regex::Regex;

use super::typography::{self, SizeClass, Typography};
use super::{Block, Known};
use crate::model::{DocType, Wave};

pub(crate) struct Meta {
    pub title: String,
    pub subtitle: Option<String>,
    pub wave: Option<Wave>,
    pub doc_type: Option<DocType>,
    pub authors: Vec<String>,
    pub isbn: Option<String>,
    /// Blocks that make up the title and subtitle on the first page.
    pub title_blocks: Vec<usize>,
}

static WAVE_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)eind\s+(20\d\d)\s*/\s*begin\s+(20\d\d)").expect("valid regex")
});
static WAVE_HALF_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bmeting\s+eind\s+(20\d\d)\s*/\s*begin").expect("valid regex")
});
static WAVE_RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(20\d\d)\s*[-/–]\s*(20\d\d)\b").expect("valid regex"));
static WAVE_SINGLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:PEO|meting|quickscan[a-z ]*)\s*:?\s*(20\d\d)\b").expect("valid regex")
});
static ISBN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ISBN[:\s]*((?:97[89])?[\d\- ]{9,16}[\dX])").expect("valid regex")
});

/// The wave a text names: "meting eind 2023/begin 2024" → "2023-2024", "PEO 2022" → "2022".
pub fn wave_in(text: &str) -> Option<Wave> {
    if let Some(c) = WAVE_SPAN.captures(text) {
        return Wave::parse(&format!("{}-{}", &c[1], &c[2]));
    }
    // "eind 2024/begin ..." with the second year lost (OCR): the winter wave runs into the
    // next year.
    if let Some(c) = WAVE_HALF_SPAN.captures(text) {
        let year: u16 = c[1].parse().ok()?;
        return Some(Wave {
            first: year,
            last: year + 1,
        });
    }
    for c in WAVE_RANGE.captures_iter(text) {
        let (first, last): (u16, u16) = (c[1].parse().ok()?, c[2].parse().ok()?);
        if last == first + 1 {
            return Some(Wave { first, last });
        }
    }
    WAVE_SINGLE.captures(text).and_then(|c| Wave::parse(&c[1]))
}

fn is_figure_like(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters < 3
}

pub(crate) fn detect(blocks: &[Block], typo: &Typography, known: &Known) -> Meta {
    let first_page = blocks.first().map(|b| b.page).unwrap_or(1);
    let first: Vec<&Block> = blocks.iter().filter(|b| b.page == first_page).collect();
    let candidates: Vec<&&Block> = first
        .iter()
        .filter(|b| {
            !is_figure_like(&b.text)
                && !super::sections::is_publisher(&b.text)
                && b.text.chars().count() <= 160
                && typo.title_size(b.size)
        })
        .collect();
    let largest = candidates
        .iter()
        .max_by(|a, b| {
            a.size
                .partial_cmp(&b.size)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.idx.cmp(&a.idx))
        })
        .copied();
    // OCR measures a line by its glyph boxes, so sizes jitter by a tenth: a heading as large as
    // the title may come out larger. There the title is the highest block set within a tenth
    // of the largest size, as a title stands at the top of its page.
    // The title the catalog or the PDF's information dictionary declares, where a block of the
    // first page prints it, marks the title block, however large the type of a heading below.
    let declared = known
        .title
        .as_deref()
        .or(known.pdf_title.as_deref().filter(|t| plausible_title(t)))
        .map(|t| words_of(&strip_type_suffix(t)))
        .filter(|w| !w.is_empty());
    let printed = declared.and_then(|d| {
        first
            .iter()
            .find(|b| words_of(&strip_type_suffix(&b.text)) == d)
    });
    let title_block = if printed.is_some() {
        printed
    } else if typo.uneven {
        largest.and_then(|l| {
            candidates
                .iter()
                .filter(|b| typography::near_largest(b.size, l.size))
                .min_by(|a, b| a.top.total_cmp(&b.top))
                .copied()
        })
    } else {
        largest
    };
    let mut title_blocks = Vec::new();
    let detected_title = title_block.map(|b| {
        title_blocks.push(b.idx);
        strip_type_suffix(&b.text)
    });
    let subtitle = title_block.and_then(|t| {
        let next = first.iter().find(|b| b.idx == t.idx + 1)?;
        let words = next.text.split_whitespace().count();
        (words >= 4
            && typo.class_in_document(next.size) >= SizeClass::Body
            && next.size < t.size
            && !next.list_item)
            .then(|| {
                title_blocks.push(next.idx);
                next.text.clone()
            })
    });
    let pdf_title = known
        .pdf_title
        .as_deref()
        .filter(|t| plausible_title(t))
        .map(strip_type_suffix);
    let title = known
        .title
        .clone()
        .or(detected_title)
        .or(pdf_title)
        .unwrap_or_default();

    let opening: String = blocks
        .iter()
        .filter(|b| b.page <= first_page + 1)
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let all: String = blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let wave = known
        .wave
        .or_else(|| wave_in(&opening))
        .or_else(|| wave_in(&all));
    let doc_type = known.doc_type.or_else(|| detect_type(blocks, title_block));
    Meta {
        title,
        subtitle,
        wave,
        doc_type,
        authors: authors(blocks),
        isbn: ISBN.captures(&all).map(|c| c[1].replace([' ', '-'], "")),
        title_blocks,
    }
}

/// A text's words in lowercase, for comparing titles however they are cased and wrapped.
fn words_of(t: &str) -> Vec<String> {
    t.split_whitespace().map(str::to_lowercase).collect()
}

fn plausible_title(t: &str) -> bool {
    let lower = t.to_lowercase();
    let junk = [
        ".pdf",
        ".html",
        ".htm",
        ".doc",
        ".odt",
        "microsoft",
        "untitled",
        "naamloos",
        "file:",
    ];
    t.split_whitespace().count() >= 2 && !junk.iter().any(|j| lower.contains(j))
}

/// "Ruimte om van betekenis te zijn | Samenvatting" → "Ruimte om van betekenis te zijn".
fn strip_type_suffix(t: &str) -> String {
    let t = t.trim();
    for sep in [" | ", " – ", " - "] {
        if let Some((head, tail)) = t.rsplit_once(sep) {
            let tail = tail.trim().to_lowercase();
            if ["samenvatting", "factsheet", "rapport", "infographic"].contains(&tail.as_str()) {
                return head.trim().to_string();
            }
        }
    }
    t.to_string()
}

fn detect_type(blocks: &[Block], title: Option<&&Block>) -> Option<DocType> {
    let n_pages = blocks.iter().map(|b| b.page).max().unwrap_or(0);
    let first_page = blocks.first().map(|b| b.page).unwrap_or(1);
    let first_text = blocks
        .iter()
        .filter(|b| b.page == first_page)
        .map(|b| b.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let title_text = title.map(|b| b.text.to_lowercase()).unwrap_or_default();
    // A factsheet is a page or a few of key figures: percentages are a large share of its
    // words, where a report or a summary states a figure now and then.
    let words: usize = blocks
        .iter()
        .map(|b| b.text.split_whitespace().count())
        .sum();
    let percentages: usize = blocks.iter().map(|b| b.text.matches('%').count()).sum();
    let figures_dominate = percentages >= 8 && percentages * 1000 >= 15 * words.max(1);
    if n_pages >= 8 {
        Some(DocType::Rapport)
    } else if title_text.contains("samenvatting") || first_text.contains("| samenvatting") {
        Some(DocType::Samenvatting)
    } else if first_text.contains("(pdf)")
        || first_text.contains(" › ")
        || first_text.contains("auteurs")
    {
        // Download links, breadcrumbs and an author box belong to a web page, which may well
        // link to a factsheet.
        Some(DocType::Webpagina)
    } else if title_text.contains("factsheet")
        || first_text.contains("factsheet")
        || figures_dominate
    {
        Some(DocType::Factsheet)
    } else if first_text.contains("samenvatting") {
        Some(DocType::Samenvatting)
    } else {
        None
    }
}

/// Names listed under an "Auteurs" heading, one per line.
fn authors(blocks: &[Block]) -> Vec<String> {
    for (i, b) in blocks.iter().enumerate() {
        let first = b.lines.first().map(|l| l.trim()).unwrap_or("");
        if !first
            .trim_end_matches(':')
            .eq_ignore_ascii_case(super::vocab::AUTHORS_LABEL)
        {
            continue;
        }
        let mut lines: Vec<&String> = b.lines.iter().skip(1).collect();
        if lines.is_empty() {
            if let Some(next) = blocks.get(i + 1) {
                lines = next.lines.iter().collect();
            }
        }
        return lines
            .into_iter()
            .map(|l| l.trim().to_string())
            .take_while(|l| is_name(l))
            .collect();
    }
    Vec::new()
}

fn is_name(l: &str) -> bool {
    let words: Vec<&str> = l.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words
            .first()
            .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
        && words
            .last()
            .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
        && l.chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '.' || c == '\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waves_are_read_from_the_text() {
        assert_eq!(
            wave_in("Professional-ervaringsonderzoek — meting eind 2024/beginkegen")
                .map(|w| w.to_string())
                .as_deref(),
            Some("2024-2025")
        );
        assert_eq!(
            wave_in("Professional-ervaringsonderzoek — meting eind 2024/begin 2025")
                .map(|w| w.to_string())
                .as_deref(),
            Some("2024-2025")
        );
        assert_eq!(
            wave_in("Professional ervaringsonderzoek – meting eind 2022/begin 2023")
                .map(|w| w.to_string())
                .as_deref(),
            Some("2022-2023")
        );
        assert_eq!(
            wave_in("PEO 2022: Factsheet (pdf)")
                .map(|w| w.to_string())
                .as_deref(),
            Some("2022")
        );
        assert_eq!(
            wave_in("De respondenten 2022-2023 en hun kenmerken")
                .map(|w| w.to_string())
                .as_deref(),
            Some("2022-2023")
        );
        assert_eq!(wave_in("in 2020 startte het onderzoek"), None);
    }

    #[test]
    fn the_title_of_an_ocr_page_is_the_highest_of_the_largest_blocks() {
        use super::super::{blocks, test_support::placed, typography::Typography};
        // The factsheet scan as tesseract measures it: the title and two tile headings come
        // out within a tenth of each other, a tile heading the largest; body lines jitter.
        let page = placed(
            1,
            &[
                (
                    "PROFESSIONAL-ERVARINGSONDERZOEK (PEO): 2-jaarlijkse meting",
                    30.7,
                    380.0,
                    9.8,
                    10.3,
                    0,
                ),
                (
                    "Quickscan professionele ruimte en werkdruk 2022",
                    30.2,
                    560.0,
                    27.3,
                    18.6,
                    1,
                ),
                ("Doel jeugdbeleid", 53.8, 150.0, 81.3, 11.4, 2),
                (
                    "Vergroten van professionele ruimte om jeugdhulp",
                    29.3,
                    190.0,
                    101.3,
                    6.8,
                    3,
                ),
                (
                    "beter te laten aansluiten op wat nodig is voor",
                    29.3,
                    190.0,
                    110.3,
                    5.9,
                    3,
                ),
                ("(3 } Werkplezier", 215.0, 320.0, 79.0, 18.5, 4),
                (
                    "Verschillen tussen professionals",
                    216.5,
                    330.0,
                    138.7,
                    6.6,
                    5,
                ),
                (
                    "mensen die onvoldoende ruimte ervaren om",
                    223.2,
                    370.0,
                    218.8,
                    5.6,
                    6,
                ),
                (
                    "hun professionele afwegingen te maken.",
                    223.2,
                    370.0,
                    227.1,
                    6.9,
                    6,
                ),
                (
                    "mensen die ruimte voelen te investeren in",
                    222.7,
                    370.0,
                    262.0,
                    5.5,
                    7,
                ),
                ("hun relatie met clienten.", 222.7, 330.0, 269.7, 5.7, 7),
                ("[6 } Aanbevelingen", 655.7, 790.0, 86.2, 18.7, 8),
                (
                    "Op basis van dit onderzoek bevelen we gemeenten,",
                    657.6,
                    830.0,
                    109.9,
                    5.8,
                    9,
                ),
                ("aanbieders en Gl's aan.", 657.6, 740.0, 118.5, 5.6, 9),
            ],
        );
        let bs = blocks(&[page]);
        let meta = detect(&bs, &Typography::of(&bs), &Known::default());
        assert_eq!(
            meta.title,
            "Quickscan professionele ruimte en werkdruk 2022"
        );
    }

    /// The title the PDF declares marks the block that prints it, though a heading below is
    /// set larger; an undeclared or unprinted title leaves the largest block.
    #[test]
    fn the_declared_title_printed_on_the_first_page_is_the_title() {
        use super::super::{blocks, test_support::page, typography::Typography};
        let p = page(
            1,
            &[
                ("De jeugdhulpverlener met de toverstaf", 10.0),
                ("Samenvatting", 10.0),
                ("5 verwachtingen van de buitenwereld", 13.0),
                (
                    "Jeugdhulpverleners kunnen alle problemen oplossen, zo denkt men.",
                    10.0,
                ),
            ],
        );
        let bs = blocks(&[p]);
        let body = Typography::of(&bs);
        let declared = Known {
            pdf_title: Some("De Jeugdhulpverlener met de toverstaf – samenvatting".into()),
            ..Known::default()
        };
        assert_eq!(
            detect(&bs, &body, &declared).title,
            "De jeugdhulpverlener met de toverstaf"
        );
        let elsewhere = Known {
            pdf_title: Some("Een titel die nergens staat".into()),
            ..Known::default()
        };
        assert_eq!(
            detect(&bs, &body, &elsewhere).title,
            "5 verwachtingen van de buitenwereld"
        );
    }

    /// A factsheet is told by its figures, on however many pages a layout sets it: many
    /// percentages for its words. A summary that states a figure now and then is not one.
    #[test]
    fn a_document_of_key_figures_is_a_factsheet_on_any_number_of_pages() {
        use super::super::{blocks, test_support::page};
        let figures = [
            ("92% ervaart voldoende ruimte", 10.0),
            ("47% vindt de ruimte onvoldoende", 10.0),
            ("44% mist ruimte voor de cliënt", 10.0),
        ];
        let text = [("Professionals werken met plezier in de jeugdhulp, ook al is de werkdruk hoog en het verloop groot.", 10.0)];
        let pages: Vec<_> = (1..=3)
            .map(|n| page(n, &[figures.as_slice(), &text].concat()))
            .collect();
        assert_eq!(detect_type(&blocks(&pages), None), Some(DocType::Factsheet));
        let summary: Vec<_> = (1..=3)
            .map(|n| {
                page(
                    n,
                    &[
                        &figures[..usize::from(n == 1)],
                        &text[..],
                        &text[..],
                        &text[..],
                    ]
                    .concat(),
                )
            })
            .collect();
        assert_ne!(
            detect_type(&blocks(&summary), None),
            Some(DocType::Factsheet)
        );
    }

    #[test]
    fn the_type_suffix_is_not_part_of_the_title() {
        assert_eq!(
            strip_type_suffix("Ruimte om van betekenis te zijn | Samenvatting"),
            "Ruimte om van betekenis te zijn"
        );
        assert_eq!(
            strip_type_suffix("Jeugdhulp: professionele ruimte onder druk"),
            "Jeugdhulp: professionele ruimte onder druk"
        );
    }
}
