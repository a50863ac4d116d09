//! Recommendations: the list items under an Aanbevelingen heading or after a "we bevelen ...
//! aan:" sentence, with the audience label they stand under.
//!
//! Invariant: an item wrapped over lines, columns or pages is one recommendation; a label that
//! names several audiences maps to all of them.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::claims::Claims;
use super::enumerators::{self, Enumerator};
use super::sections::Headings;
use super::{vocab, Block, LineGeometry};
use crate::model::{Audience, Recommendation, SegmentRule};

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?i:{}en\s+)?((?i:{})\s+[^:.]{{2,80}}?)\s*:$",
        vocab::RECOMMENDATIONS_STEM,
        vocab::AUDIENCE_OPENERS.join("|")
    ))
    .expect("valid regex")
});
static BEVELEN_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bbevelen\s+(?:we\s+|wij\s+)?(.{2,90}?)\s+aan\s*:\s*$").expect("valid regex")
});
/// An audience label set without its colon: "Aan professionals", "Voor opleidingen".
static BARE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^({}\s+[^:.;!?]{{2,60}})$",
        vocab::alternation(&vocab::AUDIENCE_OPENERS)
    ))
    .expect("valid regex")
});
static BEVELEN_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:we|wij)\s+bevelen\s+(.{2,60}?)\s+aan\s+om\s+(.+)$").expect("valid regex")
});

pub(crate) struct Recs {
    pub items: Vec<Recommendation>,
    /// For each block used, the rule that first took it and what it saw.
    pub rules: Vec<(usize, SegmentRule, String)>,
    /// The blocks that are an audience label and nothing more.
    pub labels: HashSet<usize>,
}

/// The canonical audiences a label names, sorted: professionals, organisaties, opleidingen,
/// beleid.
pub fn canonical_audiences(label: &str) -> Vec<Audience> {
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
    let mut out: Vec<Audience> = vocab::AUDIENCE_STEMS
        .iter()
        .filter(|(audience, stems)| {
            has(stems)
                || (*audience == Audience::Organisaties
                    && (vocab::ORGANISATION_WORDS.iter().any(|o| words.contains(o))
                        || vocab::ORGANISATION_PHRASES
                            .iter()
                            .any(|p| lower.contains(p))))
        })
        .map(|(audience, _)| *audience)
        .collect();
    // OCR garbles the ends of words ("Voor orgatmenten:"): a label that names no audience
    // outright takes the one a long word of it begins like, by its first four letters.
    if out.is_empty() {
        for (stem, audience) in vocab::AUDIENCE_PREFIXES {
            if words
                .iter()
                .any(|w| w.chars().count() >= 7 && w.starts_with(stem))
                && !out.contains(&audience)
            {
                out.push(audience);
            }
        }
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

/// A label printed without its colon is one when it names an audience and the list it heads
/// follows at once (`list_follows`: the next line opens an item).
fn bare_label(text: &str, list_follows: bool) -> Option<String> {
    let c = BARE_LABEL.captures(text.trim())?;
    let names_audience = !canonical_audiences(&c[1]).is_empty();
    (names_audience && list_follows && c[1].split_whitespace().count() <= 8)
        .then(|| c[1].to_string())
}

/// Whether a line opens a list item: it opens with an enumerator.
fn opens_item(line: &str) -> bool {
    enumerators::parse(line).is_some()
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?'])
}

fn opens_capital(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_uppercase())
}

/// An item's text without what OCR read its bullet as: a lone mark such as ".", "‚", "_" or
/// "»" before the first word (quotation marks and brackets are text).
fn strip_stray_marks(text: &str) -> &str {
    let mut t = text.trim_start();
    while let Some((first, rest)) = t.split_once(' ') {
        let mark = first.chars().count() <= 2
            && first
                .chars()
                .all(|c| !c.is_alphanumeric() && !"“”\"„‘’'«»()[]".contains(c) || "»«".contains(c));
        if !mark || rest.trim().is_empty() {
            break;
        }
        t = rest.trim_start();
    }
    t
}

/// An item's first line without a bullet that OCR read as one or two lowercase letters before
/// the item's capital ("je Creëer ruimte", "ie Benut").
fn unbulleted(text: &str) -> &str {
    match text.split_once(' ') {
        Some((scrap, rest))
            if scrap.chars().count() <= 2
                && scrap.chars().all(char::is_lowercase)
                && opens_capital(rest) =>
        {
            rest
        }
        _ => text,
    }
}

/// Whether a wrapped paragraph ended at `prev` on purpose: the first word of the next line
/// would have fitted in the room left before the column's right edge `right`.
fn ends_early(prev: &LineGeometry, prev_text: &str, right: f32, next_text: &str) -> bool {
    let chars = prev_text.chars().count().max(1) as f32;
    let per_char = ((prev.x1 - prev.x0) / chars).max(0.1);
    let word = next_text.split_whitespace().next().unwrap_or("");
    let needed = (word.chars().count() as f32 + 1.0) * per_char;
    right - prev.x1 > needed
}

/// The state of the list being read.
#[derive(Default)]
struct List {
    label: Option<String>,
    /// Left edge of the label line: items are indented from it when their bullets hang.
    label_x0: Option<f32>,
    /// Left edge of the items' text and right edge of the list's lines on its page.
    item_x0: Option<f32>,
    right: f32,
    page: u32,
    /// The last line added to the current item.
    prev: Option<(LineGeometry, String)>,
    /// The distance between the baselines of an item's wrapped lines.
    pitch: Option<f32>,
    /// The enumerator of the last item that had one: the next item's is the one after it.
    enumerator: Option<Enumerator>,
}

/// Records the first rule that took block `idx`.
fn note(rules: &mut Vec<(usize, SegmentRule, String)>, idx: usize, rule: SegmentRule, why: &str) {
    if !rules.iter().any(|(i, _, _)| *i == idx) {
        rules.push((idx, rule, why.to_string()));
    }
}

/// `claims` holds the blocks taken before (title, headings); `quoted` are blocks that
/// quotations take: a quotation set in a list is no item of it.
pub(crate) fn detect(
    blocks: &[Block],
    headings: &Headings,
    claims: &Claims,
    quoted: &HashSet<usize>,
) -> Recs {
    let mut items: Vec<Recommendation> = Vec::new();
    let mut rules = Vec::new();
    // The rule that opened the current item.
    let mut item_rule = SegmentRule::ListItem;
    let mut labels = HashSet::new();
    // The blocks that gave an item, or part of one.
    let mut items_from = HashSet::new();
    let mut in_recs = false;
    // Inside a section headed "Aanbevelingen", not only after a "bevelen ... aan:" sentence.
    let mut under_heading = false;
    // The current list marks its items (bullets, numbers): a plain paragraph is then an item
    // only when it is indented like the items, not set at the label's margin.
    let mut bulleted = false;
    let mut list = List::default();
    let mut last: Option<usize> = None;
    for (pos, b) in blocks.iter().enumerate() {
        let text = b.text.trim();
        // Whether the next block opens a list item (enumerated, or an item of the tree), for a
        // label without colon.
        let item_follows = blocks
            .get(pos + 1)
            .is_some_and(|n| n.list_item || opens_item(&n.text));
        if let Some((_, s)) = headings.sections.iter().find(|(i, _)| *i == b.idx) {
            let title = s.title.to_lowercase();
            let label = if title.contains(vocab::RECOMMENDATIONS_STEM) {
                in_recs = true;
                under_heading = true;
                title
                    .split_once(" aan ")
                    .map(|(_, l)| l.trim_end_matches(':').to_string())
            } else if let Some(l) =
                label_of(&format!("{}:", s.title.trim_end_matches(':'))).filter(|_| in_recs)
            {
                Some(l)
            } else {
                in_recs = false;
                under_heading = false;
                None
            };
            // A heading that names the audience is the list's label: its items are indented
            // from it when their numbers hang.
            list = List {
                label_x0: label.as_ref().and(b.geometry.first().map(|g| g.x0)),
                label,
                ..List::default()
            };
            last = None;
            continue;
        }
        if claims.taken(b.idx)
            || super::sections::is_publisher(text)
            || !b.cells.is_empty()
            || b.quote.is_some()
            || quoted.contains(&b.idx)
        {
            continue;
        }
        let label = label_of(text).or_else(|| bare_label(text, item_follows).filter(|_| in_recs));
        if let Some(l) = label {
            if in_recs || BEVELEN_LABEL.is_match(text) {
                in_recs = true;
                bulleted = false;
                list = List {
                    label: Some(l),
                    label_x0: b.geometry.first().map(|g| g.x0),
                    ..List::default()
                };
                last = None;
                labels.insert(b.idx);
                note(
                    &mut rules,
                    b.idx,
                    SegmentRule::AudienceLabel,
                    "names the audience of the list under it",
                );
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
            items_from.insert(b.idx);
            note(
                &mut rules,
                b.idx,
                SegmentRule::RecommendSentence,
                "\"we bevelen ... aan om ...\"",
            );
            last = None;
            continue;
        }
        if !in_recs {
            continue;
        }
        if list.page != b.page {
            list.page = b.page;
            list.right = 0.0;
            list.item_x0 = None;
        }
        let block_right = b.geometry.iter().map(|g| g.x1).fold(0.0f32, f32::max);
        list.right = list.right.max(block_right);
        // Items are read line by line: on a scanned page a list often comes as one block, its
        // bullets lost, so an item ends where a line ends a sentence early.
        // The line before was an audience label: like a sentence's end, it ends what precedes.
        let mut after_label = false;
        // The line is the second of a wrapped label.
        let mut label_wrapped = false;
        for (k, line) in b.lines.iter().enumerate() {
            let Some(&g) = b.geometry.get(k) else { break };
            let raw = line.trim();
            let label_before = std::mem::take(&mut after_label);
            if std::mem::take(&mut label_wrapped) {
                after_label = true;
                continue;
            }
            if b.n_lines > 1 {
                let item_next = match b.lines.get(k + 1) {
                    Some(next) => opens_item(next),
                    None => item_follows,
                };
                // A label wrapped over two lines ends its second with the colon.
                let mut wrapped = || {
                    let second = b.lines.get(k + 1)?;
                    let l = label_of(&format!("{raw} {}", second.trim()))?;
                    label_wrapped = true;
                    Some(l)
                };
                let label = label_of(raw)
                    .or_else(|| bare_label(raw, item_next))
                    .or_else(|| wrapped().filter(|_| !ends_sentence(raw)));
                if let Some(l) = label {
                    bulleted = false;
                    list.label = Some(l);
                    list.label_x0 = Some(g.x0);
                    list.item_x0 = None;
                    list.prev = None;
                    last = None;
                    labels.insert(b.idx);
                    note(
                        &mut rules,
                        b.idx,
                        SegmentRule::AudienceLabel,
                        "a line of the block names the audience of the list under it",
                    );
                    after_label = true;
                    continue;
                }
            }
            let text = strip_stray_marks(raw);
            let after_sentence = k == 0
                || label_before
                || b.lines[k - 1]
                    .trim_end()
                    .ends_with(['.', ':', ';', '!', '?']);
            // An enumerator opens an item after a sentence's end or when it is the list's
            // next one (a list of short items ends no sentences).
            let marked = enumerators::parse(raw)
                .filter(|(e, _)| matches!(e.style, enumerators::Style::Bullet(_)))
                .or_else(|| enumerators::parse(text))
                .filter(|(e, _)| after_sentence || list.enumerator.is_some_and(|p| e.follows(&p)));
            if (k == 0 && b.list_item) || marked.is_some() {
                bulleted = true;
                let (number, item_text) = match marked {
                    Some((e, rest)) => {
                        list.enumerator = Some(e);
                        (e.number(), rest.to_string())
                    }
                    None => (None, text.to_string()),
                };
                let l = list.label.clone().unwrap_or_default();
                items.push(Recommendation {
                    audiences: canonical_audiences(&l),
                    audience_label: l,
                    number,
                    text: item_text,
                    page: b.page,
                    section: headings.section_at(b.idx),
                });
                items_from.insert(b.idx);
                item_rule = SegmentRule::ListItem;
                let why = match marked {
                    Some((e, _)) => format!("opens with enumerator {:?}", e.style),
                    None => "a list item of the layout or the structure tree".to_string(),
                };
                note(&mut rules, b.idx, item_rule, &why);
                last = Some(items.len() - 1);
                list.prev = Some((g, raw.to_string()));
                continue;
            }
            let size = g.size.max(1.0);
            // A line that starts well right of the items' text is the rest of a line the scan
            // broke apart, never a new item.
            let tail = list.item_x0.is_some_and(|x| g.x0 > x + 2.0 * size);
            let ended = last.is_none_or(|i| ends_sentence(&items[i].text));
            let capital = opens_capital(text);
            // A new item without a marker: under an audience label of an Aanbevelingen
            // section, a line opening with a capital after a finished sentence, at a block
            // boundary or after a line that ended early or before a wider gap.
            let broken = k == 0
                || list.prev.as_ref().is_none_or(|(p, t)| {
                    let gap = list.pitch.map_or(2.2 * size, |pitch| 1.5 * pitch);
                    ends_early(p, t, list.right, text) || g.bottom - p.bottom > gap
                });
            if let Some(i) = last {
                // Within a block a line goes on with the item unless it opens a new one; at a
                // block boundary only a line that is plainly the rest of a sentence does.
                let continues = tail
                    || if k > 0 {
                        !ended || !capital || !broken
                    } else {
                        !ended && !capital
                    };
                if continues {
                    items[i].text = format!("{} {}", items[i].text, text);
                    items_from.insert(b.idx);
                    note(&mut rules, b.idx, item_rule, "goes on with the item above");
                    if let Some((p, _)) = &list.prev {
                        let step = g.bottom - p.bottom;
                        if step > 0.5 * size && step < 3.0 * size {
                            list.pitch = Some(step);
                        }
                    }
                    list.prev = Some((g, raw.to_string()));
                    continue;
                }
            }
            let indented = list.label_x0.is_some_and(|x| g.x0 >= x + 0.5 * size);
            // A new block opening with a capital starts an item also after one that OCR cut
            // off before its end.
            let starts_item = list.label.is_some()
                && under_heading
                && (ended || k == 0)
                && capital
                && broken
                && !tail
                && (!bulleted || indented);
            // After a "bevelen ... aan:" sentence an unmarked item is a block that opens a
            // sentence, its lines hanging indented from the sentence's margin; a bullet OCR
            // read as a letter or two ("je Creëer", "ie Benut") is dropped.
            let opening = unbulleted(text);
            let hangs = list
                .label_x0
                .is_some_and(|x| b.geometry.iter().any(|h| h.x0 >= x + h.size.max(1.0)));
            let after_sentence_item = !under_heading
                && list.label.is_some()
                && k == 0
                && ended
                && hangs
                && opens_capital(opening);
            let text = if after_sentence_item { opening } else { text };
            if starts_item || after_sentence_item {
                let l = list.label.clone().unwrap_or_default();
                items.push(Recommendation {
                    audiences: canonical_audiences(&l),
                    audience_label: l,
                    number: None,
                    text: text.to_string(),
                    page: b.page,
                    section: headings.section_at(b.idx),
                });
                items_from.insert(b.idx);
                item_rule = SegmentRule::UnmarkedItem;
                let why = if starts_item {
                    "a new sentence at a line that ended early or after a wider gap, under an audience label"
                } else {
                    "a sentence hanging indented under a \"bevelen ... aan:\" sentence"
                };
                note(&mut rules, b.idx, item_rule, why);
                last = Some(items.len() - 1);
                list.prev = Some((g, raw.to_string()));
                list.item_x0 = Some(list.item_x0.map_or(g.x0, |x| x.min(g.x0)));
                continue;
            }
            last = None;
            list.prev = None;
        }
    }
    labels.retain(|i| !items_from.contains(i));
    Recs {
        items,
        rules,
        labels,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        blocks, sections,
        test_support::{claims_after, page},
        typography::Typography,
    };
    use super::*;

    fn check(input: &[(&str, f32)], expected: &[(&str, &[&str], Option<u32>, &str)]) {
        let pages = [page(1, input)];
        let bs = blocks(&pages);
        let h = sections::detect(&bs, &Typography::of(&bs), &[]);
        let recs = detect(&bs, &h, &claims_after(&bs, &h), &HashSet::new());
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
    fn short_items_that_end_no_sentence_are_told_apart_by_their_enumerators() {
        // One block of short items: none ends a sentence, so only the enumerators, each the
        // next of its list, say where an item starts; "3 Jongeren" does not follow "1." and
        // is the rest of the first item.
        check_placed(
            &[
                (
                    "Aanbevelingen aan professionals",
                    50.0,
                    250.0,
                    60.0,
                    14.0,
                    0,
                ),
                (
                    "1. Blijf het gesprek aangaan met",
                    50.0,
                    280.0,
                    90.0,
                    10.0,
                    1,
                ),
                ("3 Jongeren per week", 62.0, 180.0, 104.0, 10.0, 1),
                ("2. Reflecteer met elkaar", 50.0, 200.0, 118.0, 10.0, 1),
                (
                    "3. Bespreek wat realistisch is",
                    50.0,
                    240.0,
                    132.0,
                    10.0,
                    1,
                ),
                ("Aanbevelingen aan opleidingen", 50.0, 250.0, 170.0, 14.0, 2),
                (
                    "a) Verbind theorie met praktijk",
                    50.0,
                    240.0,
                    200.0,
                    10.0,
                    3,
                ),
                ("b) Oefen met casussen", 50.0, 190.0, 214.0, 10.0, 3),
            ],
            &[
                (
                    "professionals",
                    "Blijf het gesprek aangaan met 3 Jongeren per week",
                ),
                ("professionals", "Reflecteer met elkaar"),
                ("professionals", "Bespreek wat realistisch is"),
                ("opleidingen", "Verbind theorie met praktijk"),
                ("opleidingen", "Oefen met casussen"),
            ],
        );
    }

    #[test]
    fn a_label_without_colon_that_names_an_audience_heads_the_list_after_it() {
        check_placed(
            &[
                ("Aanbevelingen", 50.0, 250.0, 60.0, 14.0, 0),
                ("Aan professionals", 50.0, 150.0, 90.0, 10.0, 1),
                (
                    "1. Blijf positief en nieuwsgierig",
                    50.0,
                    230.0,
                    104.0,
                    10.0,
                    1,
                ),
                (
                    "2. Blijf steun zoeken bij collega's",
                    50.0,
                    240.0,
                    118.0,
                    10.0,
                    1,
                ),
                (
                    "Aan bestuurders/managers/beleidsmakers",
                    50.0,
                    250.0,
                    132.0,
                    10.0,
                    1,
                ),
                (
                    "1. Faciliteer het gebruik van professionele ruimte",
                    50.0,
                    280.0,
                    146.0,
                    10.0,
                    1,
                ),
                ("Voor de rest geldt dit niet", 50.0, 280.0, 170.0, 10.0, 2),
            ],
            &[
                ("Aan professionals", "Blijf positief en nieuwsgierig"),
                ("Aan professionals", "Blijf steun zoeken bij collega's"),
                (
                    "Aan bestuurders/managers/beleidsmakers",
                    "Faciliteer het gebruik van professionele ruimte",
                ),
            ],
        );
    }

    #[test]
    fn a_label_wrapped_over_two_lines_heads_the_items_after_it() {
        check_placed(
            &[
                ("Aanbevelingen", 50.0, 250.0, 60.0, 14.0, 0),
                ("Aan professionals:", 50.0, 150.0, 90.0, 10.0, 1),
                (
                    "1. Blijf steun zoeken bij collega's",
                    50.0,
                    240.0,
                    104.0,
                    10.0,
                    1,
                ),
                (
                    "Aan bestuurders/managers/beleids",
                    50.0,
                    250.0,
                    118.0,
                    10.0,
                    1,
                ),
                ("makers:", 50.0, 90.0, 132.0, 10.0, 1),
                (
                    "1. Faciliteer het gebruik van professionele ruimte",
                    50.0,
                    280.0,
                    146.0,
                    10.0,
                    1,
                ),
            ],
            &[
                ("Aan professionals", "Blijf steun zoeken bij collega's"),
                (
                    "Aan bestuurders/managers/beleids makers",
                    "Faciliteer het gebruik van professionele ruimte",
                ),
            ],
        );
    }

    /// The recommendations of a page of placed lines (see `test_support::placed`).
    fn check_placed(lines: &[(&str, f32, f32, f32, f32, u32)], expected: &[(&str, &str)]) {
        let pages = [super::super::test_support::placed(24, lines)];
        let bs = blocks(&pages);
        let h = sections::detect(&bs, &Typography::of(&bs), &[]);
        let recs = detect(&bs, &h, &claims_after(&bs, &h), &HashSet::new());
        let got: Vec<(&str, &str)> = recs
            .items
            .iter()
            .map(|r| (r.audience_label.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn items_whose_bullets_ocr_lost_end_where_a_line_ends_a_sentence_early() {
        // The report scan's summary page: one block per audience, bullets lost or read as
        // "‚_"; an item ends with a sentence on a line that leaves room for the next word.
        check_placed(
            &[
                ("Aanbevelingen", 399.0, 470.0, 250.6, 10.6, 0),
                ("Voor organisaties:", 399.4, 460.0, 273.4, 7.6, 1),
                ("‚_ Stimuleer een lerende cultuur", 400.8, 520.0, 280.2, 7.0, 1),
                ("waarin professionals van elkaar en", 409.9, 528.0, 289.5, 6.8, 2),
                ("cliënten leren.", 409.7, 460.0, 300.6, 7.0, 2),
                ("Organiseer leren vanuit de praktijk,", 410.1, 530.0, 310.9, 7.6, 2),
                ("met aandacht voor wat goed gaat", 410.4, 520.0, 317.9, 6.9, 2),
                ("én wat beter kan.", 410.4, 470.0, 330.6, 7.3, 2),
                ("Voor opleidingen:", 401.8, 460.0, 408.8, 6.9, 3),
                ("Verbind theorie met actuele praktijkvoorbeelden.", 412.8, 531.0, 472.7, 6.7, 4),
                ("Bereid studenten voor op blijvende", 413.8, 525.0, 494.1, 6.8, 4),
                ("professionele ontwikkeling.", 413.8, 505.0, 504.6, 6.9, 4),
            ],
            &[
                ("Voor organisaties", "Stimuleer een lerende cultuur waarin professionals van elkaar en cliënten leren."),
                ("Voor organisaties", "Organiseer leren vanuit de praktijk, met aandacht voor wat goed gaat én wat beter kan."),
                ("Voor opleidingen", "Verbind theorie met actuele praktijkvoorbeelden."),
                ("Voor opleidingen", "Bereid studenten voor op blijvende professionele ontwikkeling."),
            ],
        );
    }

    #[test]
    fn unnumbered_items_indented_from_their_heading_follow_one_whose_number_ocr_kept() {
        // The summary photocopy: OCR kept one of the numbers 6-9 (as "5"); the other items
        // stand indented from the heading that names their audience, as the numbered one does.
        check_placed(
            &[
                (
                    "Aanbevelingen aan bestuurders,",
                    572.7,
                    760.0,
                    292.5,
                    13.0,
                    0,
                ),
                ("managers, beleidsmakers:", 579.9, 740.0, 310.0, 12.7, 0),
                (
                    "5 Heb og voor de moeilijke context waarin",
                    592.6,
                    790.0,
                    334.6,
                    8.5,
                    1,
                ),
                (
                    "professionals Beale ngen moeten nemen",
                    596.5,
                    770.0,
                    348.6,
                    8.8,
                    1,
                ),
                ("Organiseer reflectie", 596.6, 690.0, 369.1, 8.3, 2),
                (
                    "Faciliteer het gebruik van: professionele ruimte",
                    595.9,
                    800.0,
                    388.9,
                    9.1,
                    3,
                ),
            ],
            &[
                (
                    "bestuurders, managers, beleidsmakers",
                    "Heb og voor de moeilijke context waarin professionals Beale ngen moeten nemen",
                ),
                (
                    "bestuurders, managers, beleidsmakers",
                    "Organiseer reflectie",
                ),
                (
                    "bestuurders, managers, beleidsmakers",
                    "Faciliteer het gebruik van: professionele ruimte",
                ),
            ],
        );
    }

    #[test]
    fn unmarked_items_hang_indented_under_a_bevelen_sentence() {
        // The web page photocopy: OCR read the bullets as "„" (dropped as a speck) and "ie";
        // the paragraph after the list stands at the sentence's margin.
        check_placed(
            &[
                ("Op basis van dit onderzoek bevelen we gemeenten, aanbieders", 50.0, 390.0, 77.1, 10.1, 0),
                ("en gecertificeerde instel ngen aan:", 53.4, 260.0, 92.4, 10.1, 0),
                ("Zorg dat er tijd en aandacht is voor het opbouwen van", 65.1, 380.0, 188.1, 9.4, 1),
                ("sterke teams waarin mogelijkheden zijn voor reflectie, en", 66.2, 385.0, 204.1, 9.6, 1),
                ("een gedeeld gevoel van verantwoordelijkheid is.", 69.6, 330.0, 220.4, 10.3, 1),
                ("ie Benut de concrete oplossingsrichtingen voor betere", 48.7, 360.0, 241.7, 10.0, 2),
                ("ondersteuning en verlaging van administratieve lasten", 50.2, 370.0, 256.8, 10.2, 2),
                ("medewerkers uit dit onderzoek.", 67.2, 260.0, 273.0, 10.6, 2),
                ("De resultaten van de tweede meting zijn beschreven in een", 54.2, 390.0, 403.2, 10.5, 3),
                ("rapport en factsheet, die u rechts kunt downloaden.", 53.6, 360.0, 416.7, 10.2, 3),
            ],
            &[
                ("gemeenten, aanbieders en gecertificeerde instel ngen", "Zorg dat er tijd en aandacht is voor het opbouwen van sterke teams waarin mogelijkheden zijn voor reflectie, en een gedeeld gevoel van verantwoordelijkheid is."),
                ("gemeenten, aanbieders en gecertificeerde instel ngen", "Benut de concrete oplossingsrichtingen voor betere ondersteuning en verlaging van administratieve lasten medewerkers uit dit onderzoek."),
            ],
        );
    }

    #[test]
    fn a_sentence_ending_on_a_full_line_goes_on_and_a_broken_tail_joins_its_item() {
        // The report scan's 5.3: the second sentence of an item starts on the next line
        // because the first filled its line; the scan broke a line and its tail, set far
        // right, came as a block of its own; an item bulleted by layout does not stop the
        // unmarked items after it, which are indented from their label.
        check_placed(
            &[
                ("5.3 Aanbevelingen", 70.3, 200.0, 93.6, 11.8, 0),
                ("Voor opleidingen:", 72.7, 160.0, 311.9, 9.3, 1),
                ("• Het is belangrijk dat de opleiding aandacht besteedt aan zelfkennis en persoonlijke", 86.2, 520.0, 326.9, 9.4, 2),
                ("eigenschappen die belangrijk zijn voor het werk.", 86.2, 521.0, 341.7, 9.5, 3),
                ("Heb in de opleiding meer aandacht voor zelfzorg.", 85.9, 330.0, 359.3, 9.4, 3),
                ("Besteed in de beroepsopleidingen aandacht aan hoe professionals zich blijvend kunnen", 87.6, 522.0, 447.3, 9.6, 4),
                ("ontwikkelen nadat hun opleiding is afgerond.", 87.8, 300.0, 466.2, 9.5, 4),
                ("Bied in overleg met organisaties hiertoe", 312.0, 520.0, 463.6, 9.3, 5),
                ("mogelijkheden aan.", 88.1, 180.0, 478.9, 9.6, 5),
                ("Deze aanbevelingen zijn besproken met de werkgroep van het platform.", 70.0, 500.0, 520.0, 9.5, 6),
            ],
            &[
                ("Voor opleidingen", "Het is belangrijk dat de opleiding aandacht besteedt aan zelfkennis en persoonlijke eigenschappen die belangrijk zijn voor het werk. Heb in de opleiding meer aandacht voor zelfzorg."),
                ("Voor opleidingen", "Besteed in de beroepsopleidingen aandacht aan hoe professionals zich blijvend kunnen ontwikkelen nadat hun opleiding is afgerond. Bied in overleg met organisaties hiertoe mogelijkheden aan."),
            ],
        );
    }

    #[test]
    fn an_item_ocr_cut_off_does_not_swallow_the_next() {
        // The report scan's summary page: OCR read the end of an item as noise; the next item,
        // a block of its own opening with a capital, is still an item.
        check_placed(
            &[
                ("Aanbevelingen", 399.0, 470.0, 250.6, 10.6, 0),
                ("Voor organisaties:", 399.4, 460.0, 273.4, 7.6, 1),
                (
                    "Bespreek het belang van professio-",
                    410.9,
                    528.0,
                    337.3,
                    7.2,
                    2,
                ),
                ("mobi ee eraann en", 410.9, 480.0, 354.2, 10.2, 3),
                (
                    "Benut inzichten van professionals",
                    411.6,
                    525.0,
                    382.9,
                    6.8,
                    4,
                ),
                ("om werkwijzen te verbeteren.", 411.4, 510.0, 392.9, 6.9, 4),
            ],
            &[
                (
                    "Voor organisaties",
                    "Bespreek het belang van professio- mobi ee eraann en",
                ),
                (
                    "Voor organisaties",
                    "Benut inzichten van professionals om werkwijzen te verbeteren.",
                ),
            ],
        );
    }

    #[test]
    fn a_stray_mark_before_an_item_is_no_text() {
        assert_eq!(strip_stray_marks(". Benadruk dat"), "Benadruk dat");
        assert_eq!(strip_stray_marks("‚_ Stimuleer"), "Stimuleer");
        assert_eq!(strip_stray_marks("» Organiseer"), "Organiseer");
        assert_eq!(strip_stray_marks("“Het is net als"), "“Het is net als");
        assert_eq!(strip_stray_marks("(zowel formeel"), "(zowel formeel");
    }

    fn audiences(label: &str) -> Vec<&'static str> {
        canonical_audiences(label)
            .into_iter()
            .map(Audience::as_str)
            .collect()
    }

    #[test]
    fn audiences_are_canonical() {
        assert_eq!(
            audiences("gemeenten, aanbieders en GI’s"),
            ["organisaties", "beleid"]
        );
        assert_eq!(audiences("Aan professionals"), ["professionals"]);
        assert_eq!(audiences("Voor opleidingen"), ["opleidingen"]);
        // The report scan's summary page.
        assert_eq!(audiences("Voor orgatmenten"), ["organisaties"]);
        assert!(canonical_audiences("Voor iedereen").is_empty());
    }
}
