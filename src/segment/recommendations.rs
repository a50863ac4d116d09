//! Recommendations: the list items under an Aanbevelingen heading or after a "we bevelen ...
//! aan:" sentence, with the audience label they stand under.
//!
//! Invariant: an item wrapped over lines, columns or pages is one recommendation; a label that
//! names several audiences maps to all of them.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::sections::Headings;
use super::Block;
use crate::model::Recommendation;

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:aanbevelingen\s+)?((?i:aan|voor)\s+[^:.]{2,80}?)\s*:$").expect("valid regex")
});
static BEVELEN_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bbevelen\s+(?:we\s+|wij\s+)?(.{2,90}?)\s+aan\s*:\s*$").expect("valid regex")
});
static BEVELEN_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:we|wij)\s+bevelen\s+(.{2,60}?)\s+aan\s+om\s+(.+)$").expect("valid regex")
});
static NUMBERED_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[.)]?\s+(\p{Lu}.*)$").expect("valid regex"));

pub(crate) struct Recs {
    pub items: Vec<Recommendation>,
    pub used: HashSet<usize>,
}

/// The canonical audiences a label names, sorted: professionals, organisaties, opleidingen,
/// beleid.
pub fn canonical_audiences(label: &str) -> Vec<String> {
    let lower = label.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |prefixes: &[&str]| {
        words
            .iter()
            .any(|w| prefixes.iter().any(|p| w.starts_with(p)))
    };
    let mut out = Vec::new();
    if has(&[
        "professional",
        "jeugdhulpprofessional",
        "medewerker",
        "jeugdhulpverlener",
    ]) {
        out.push("professionals".to_string());
    }
    if has(&[
        "organisatie",
        "aanbieder",
        "bestuurder",
        "manager",
        "leidinggevende",
        "werkgever",
    ]) || words.contains(&"gi")
        || lower.contains("gecertificeerde instelling")
    {
        out.push("organisaties".to_string());
    }
    if has(&["opleiding", "onderwijs", "hogeschool", "hogescholen"]) {
        out.push("opleidingen".to_string());
    }
    if has(&["gemeente", "beleid", "overheid", "rijk"]) {
        out.push("beleid".to_string());
    }
    out
}

fn label_of(text: &str) -> Option<String> {
    if let Some(c) = LABEL.captures(text.trim()) {
        let mut label = c[1].to_string();
        if let Some(first) = label.chars().next() {
            label.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
        }
        return Some(label);
    }
    BEVELEN_LABEL
        .captures(text.trim())
        .map(|c| c[1].trim().to_string())
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?'])
}

pub(crate) fn detect(blocks: &[Block], headings: &Headings) -> Recs {
    let mut items: Vec<Recommendation> = Vec::new();
    let mut used = HashSet::new();
    let mut in_recs = false;
    // Inside a section headed "Aanbevelingen", not only after a "bevelen ... aan:" sentence.
    let mut under_heading = false;
    // The current list marks its items (bullets, numbers): plain paragraphs are then no items.
    let mut bulleted = false;
    let mut label: Option<String> = None;
    let mut last: Option<usize> = None;
    for b in blocks {
        let text = b.text.trim();
        if let Some((_, s)) = headings.sections.iter().find(|(i, _)| *i == b.idx) {
            let title = s.title.to_lowercase();
            if title.contains("aanbeveling") {
                in_recs = true;
                under_heading = true;
                label = title
                    .split_once(" aan ")
                    .map(|(_, l)| l.trim_end_matches(':').to_string());
            } else if let Some(l) =
                label_of(&format!("{}:", s.title.trim_end_matches(':'))).filter(|_| in_recs)
            {
                label = Some(l);
            } else {
                in_recs = false;
                under_heading = false;
                label = None;
            }
            last = None;
            continue;
        }
        if headings.blocks.contains(&b.idx)
            || super::sections::is_publisher(text)
            || !b.cells.is_empty()
        {
            continue;
        }
        if let Some(l) = label_of(text) {
            if in_recs || BEVELEN_LABEL.is_match(text) {
                in_recs = true;
                bulleted = false;
                label = Some(l);
                last = None;
                used.insert(b.idx);
                continue;
            }
        }
        if let Some(c) = BEVELEN_SENTENCE.captures(text) {
            let l = c[1].to_string();
            items.push(Recommendation {
                audiences: canonical_audiences(&l),
                audience_label: l,
                number: None,
                text: c[2].trim().to_string(),
                page: b.page,
                section: headings.section_at(b.idx),
            });
            used.insert(b.idx);
            last = None;
            continue;
        }
        if !in_recs {
            continue;
        }
        let numbered = NUMBERED_ITEM.captures(text);
        if b.list_item || numbered.is_some() {
            bulleted = true;
            let (number, item_text) = match &numbered {
                Some(c) if !b.list_item || c[1].len() <= 2 => (c[1].parse().ok(), c[2].to_string()),
                _ => (None, text.to_string()),
            };
            let l = label.clone().unwrap_or_default();
            items.push(Recommendation {
                audiences: canonical_audiences(&l),
                audience_label: l,
                number,
                text: item_text,
                page: b.page,
                section: headings.section_at(b.idx),
            });
            used.insert(b.idx);
            last = Some(items.len() - 1);
            continue;
        }
        // Under an audience label, a paragraph that opens with a capital is an item of its own
        // even without a bullet (some layouts set items as plain paragraphs).
        let starts_item = label.is_some()
            && !bulleted
            && text.chars().next().is_some_and(|c| c.is_uppercase())
            && last.is_none_or(|i| ends_sentence(&items[i].text));
        if starts_item && under_heading {
            let l = label.clone().unwrap_or_default();
            items.push(Recommendation {
                audiences: canonical_audiences(&l),
                audience_label: l,
                number: None,
                text: text.to_string(),
                page: b.page,
                section: headings.section_at(b.idx),
            });
            used.insert(b.idx);
            last = Some(items.len() - 1);
            continue;
        }
        let continues = text.chars().next().is_some_and(|c| c.is_lowercase());
        match last {
            Some(i) if continues && !ends_sentence(&items[i].text) => {
                items[i].text = format!("{} {}", items[i].text, text);
                used.insert(b.idx);
            }
            _ => last = None,
        }
    }
    Recs { items, used }
}

#[cfg(test)]
mod tests {
    use super::super::{blocks, body_size, sections, test_support::page};
    use super::*;

    fn check(input: &[(&str, f32)], expected: &[(&str, &[&str], Option<u32>, &str)]) {
        let pages = [page(1, input)];
        let bs = blocks(&pages);
        let h = sections::detect(&bs, body_size(&bs), &[]);
        let recs = detect(&bs, &h);
        let got: Vec<(&str, Vec<&str>, Option<u32>, &str)> = recs
            .items
            .iter()
            .map(|r| {
                (
                    r.audience_label.as_str(),
                    r.audiences.iter().map(|s| s.as_str()).collect(),
                    r.number,
                    r.text.as_str(),
                )
            })
            .collect();
        let expected: Vec<(&str, Vec<&str>, Option<u32>, &str)> = expected
            .iter()
            .map(|(l, a, n, t)| (*l, a.to_vec(), *n, *t))
            .collect();
        assert_eq!(got, expected);
    }

    const BODY: &str = "Dit onderzoek richtte zich op hoe jeugdhulpprofessionals de aansluiting tussen hun opleiding en de praktijk ervaren.";

    #[test]
    fn bulleted_items_under_audience_labels() {
        check(
            &[
                ("5.3 Aanbevelingen", 14.0),
                ("Voor organisaties:", 10.0),
                ("• Benadruk dat jeugdhulpprofessionals zowel van elkaar als van hun cliënten leren, en waardeer het als ze dit", 10.0),
                ("doen.", 10.0),
                ("Voor opleidingen:", 10.0),
                ("• Verbind theorie met actuele praktijkvoorbeelden.", 10.0),
                (BODY, 10.0),
                (BODY, 10.0),
            ],
            &[
                ("Voor organisaties", &["organisaties"], None, "Benadruk dat jeugdhulpprofessionals zowel van elkaar als van hun cliënten leren, en waardeer het als ze dit doen."),
                ("Voor opleidingen", &["opleidingen"], None, "Verbind theorie met actuele praktijkvoorbeelden."),
            ],
        );
    }

    #[test]
    fn numbered_items_and_labels_naming_several_audiences() {
        check(
            &[
                ("Aanbevelingen", 14.0),
                ("Aan bestuurders/managers/beleidsmakers:", 10.0),
                ("6 Heb oog voor de moeilijke context", 10.0),
                ("7 Organiseer reflectie", 10.0),
                (BODY, 10.0),
                (BODY, 10.0),
            ],
            &[
                (
                    "Aan bestuurders/managers/beleidsmakers",
                    &["organisaties", "beleid"],
                    Some(6),
                    "Heb oog voor de moeilijke context",
                ),
                (
                    "Aan bestuurders/managers/beleidsmakers",
                    &["organisaties", "beleid"],
                    Some(7),
                    "Organiseer reflectie",
                ),
            ],
        );
    }

    #[test]
    fn a_bevelen_aan_sentence_opens_a_list_without_heading() {
        check(
            &[
                ("Op basis van dit onderzoek bevelen we gemeenten, aanbieders en gecertificeerde instellingen aan:", 10.0),
                ("• Creëer ruimte om professionals te laten doen wat nodig is.", 10.0),
                ("We bevelen professionals aan om binnen de organisatie het gesprek aan te gaan.", 10.0),
                (BODY, 10.0),
            ],
            &[
                ("gemeenten, aanbieders en gecertificeerde instellingen", &["organisaties", "beleid"], None, "Creëer ruimte om professionals te laten doen wat nodig is."),
                ("professionals", &["professionals"], None, "binnen de organisatie het gesprek aan te gaan."),
            ],
        );
    }

    #[test]
    fn audiences_are_canonical() {
        assert_eq!(
            canonical_audiences("gemeenten, aanbieders en GI’s"),
            ["organisaties", "beleid"]
        );
        assert_eq!(canonical_audiences("Aan professionals"), ["professionals"]);
        assert_eq!(canonical_audiences("Voor opleidingen"), ["opleidingen"]);
    }
}
