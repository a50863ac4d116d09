//! Searching, the use case behind `peo search` (and `peo recs`/`peo quotes` with a query):
//! `search` runs a `SearchRequest` (the words as written, near spellings when they find few,
//! duplicates folded, the hits cut to the limit and marked); `items` lists recommendations or
//! quotes; `format_hit` and `mark` show a hit as a researcher reads it.
//!
//! Invariant: the index does the searching; nothing here prints or looks at the terminal (the
//! caller says how to mark a hit).

use serde::Serialize;

use crate::index::{edit_distance, fuzzy_distance, Marker, PeoIndex};
use crate::model::{Document, PassageKind};
pub use crate::model::{Filters, Hit};

/// How highlighted words are marked in text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// ANSI bold yellow, for a terminal.
    Colour,
    /// « and », for pipes and files.
    Plain,
}

/// The snippet with its highlighted ranges marked.
pub fn mark(snippet: &str, highlights: &[(usize, usize)], marking: Marking) -> String {
    let (open, close) = match marking {
        Marking::Colour => ("\x1b[1;33m", "\x1b[0m"),
        Marking::Plain => ("«", "»"),
    };
    let mut out = String::with_capacity(snippet.len() + highlights.len() * 8);
    let mut at = 0;
    for &(start, end) in highlights {
        if start < at
            || end > snippet.len()
            || !snippet.is_char_boundary(start)
            || !snippet.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&snippet[at..start]);
        out.push_str(open);
        out.push_str(&snippet[start..end]);
        out.push_str(close);
        at = end;
    }
    out.push_str(&snippet[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A hit as a researcher reads it: where it is, then the snippet.
pub fn format_hit(rank: usize, hit: &Hit, marking: Marking) -> String {
    let section = hit
        .section
        .as_deref()
        .map(|s| format!(" · {s}"))
        .unwrap_or_default();
    let fuzzy = if hit.fuzzy { " · fuzzy match" } else { "" };
    let also_in = if hit.also_in.is_empty() {
        String::new()
    } else {
        format!(", also in {}", hit.also_in.join(", "))
    };
    let audience = hit
        .audience_label
        .as_deref()
        .map(|a| format!(" · {a}"))
        .unwrap_or_default();
    let stale = hit
        .stale
        .as_deref()
        .map(|day| format!(" · stale: last good version indexed on {day}"))
        .unwrap_or_default();
    format!(
        "{rank:>3}. {} [{}, {}] p. {}{section} ({}{audience}{fuzzy}{stale}) {}{also_in}\n     {}\n",
        hit.title,
        hit.wave,
        hit.doc_type,
        hit.page_label,
        hit.kind.as_str(),
        hit.doc_id,
        mark(&hit.snippet, &hit.highlights, marking)
    )
}

/// A search as a researcher asks it, resolved from the command line (or set by `peo quality`
/// and the tests).
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    /// At most this many hits (or documents, by `search_by_document`).
    pub limit: usize,
    /// Near spellings of the words are tried when the words as written find fewer than 3
    /// passages (the hits so found are marked `fuzzy`).
    pub fuzzy: bool,
    /// A passage is shown every time it is found, instead of once with the other variants of
    /// its publication named (`collapse_duplicates`).
    pub duplicates: bool,
}

/// Fewer hits than this for the words as written make the fuzzy fallback try near spellings.
const FEW_HITS: usize = 3;

/// Runs a search: the words as written, then near spellings when they find few passages;
/// duplicates folded; the first `limit` hits, best first, with their snippets marked.
pub fn search(index: &PeoIndex, request: &SearchRequest) -> anyhow::Result<Vec<Hit>> {
    // At least 3, so that a small limit does not look like a query that finds little.
    let (mut hits, marker) = found(index, request, request.limit.max(FEW_HITS))?;
    hits.truncate(request.limit);
    marker.mark(&mut hits);
    Ok(hits)
}

/// Runs a search as `search` does, and gives the best hit of each of the first `limit`
/// documents, marked, with the number of hits the document has.
pub fn search_by_document(
    index: &PeoIndex,
    request: &SearchRequest,
) -> anyhow::Result<Vec<(Hit, usize)>> {
    let (hits, marker) = found(index, request, 1_000_000)?;
    let mut groups: Vec<(Hit, usize)> = group_by_document(hits)
        .into_iter()
        .take(request.limit)
        .collect();
    for (best, _) in &mut groups {
        marker.mark(std::slice::from_mut(best));
    }
    Ok(groups)
}

/// The passages a request finds among the first `wanted` (after folding duplicates), fuzzy
/// matches included, unmarked.
fn found(
    index: &PeoIndex,
    request: &SearchRequest,
    wanted: usize,
) -> anyhow::Result<(Vec<Hit>, Marker)> {
    let depth = if request.duplicates {
        wanted
    } else {
        collapse_depth(wanted)
    };
    // Snippets are made last, for the hits shown only.
    let (mut hits, marker) = index.search_unmarked(&request.query, &request.filters, depth)?;
    if request.fuzzy && hits.len() < FEW_HITS {
        let (fuzzy, words) = index.search_fuzzy(&request.query, &request.filters, depth)?;
        for mut h in fuzzy {
            let seen = hits
                .iter()
                .any(|x| x.doc_id == h.doc_id && x.page == h.page && x.text == h.text);
            if !seen {
                let (snippet, highlights) = window(&h.text, &fuzzy_highlights(&h.text, &words));
                h.snippet = snippet;
                h.highlights = highlights;
                hits.push(h);
            }
        }
    }
    if !request.duplicates {
        hits = collapse_duplicates(hits);
    }
    Ok((hits, marker))
}

/// Which items a command lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Recommendations,
    Quotes,
}

/// A recommendation or quote with the publication it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub doc_id: String,
    pub title: String,
    pub wave: String,
    pub doc_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audiences: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    pub text: String,
    pub page: u32,
    pub page_label: String,
    pub section: Option<String>,
}

/// The items of one kind of a document, in document order.
fn items_of(doc: &Document, which: Which) -> Vec<Item> {
    let item = |text: &str, page: u32, section: &Option<String>| Item {
        doc_id: doc.id.clone(),
        title: doc.title.clone(),
        wave: doc.wave_text(),
        doc_type: doc.doc_type_text().to_string(),
        audience_label: None,
        audiences: None,
        number: None,
        text: text.to_string(),
        page,
        page_label: doc.page_label(page),
        section: section.clone(),
    };
    match which {
        Which::Recommendations => doc
            .recommendations
            .iter()
            .map(|r| Item {
                audience_label: Some(r.audience_label.clone()),
                audiences: Some(r.audiences.iter().map(|a| a.to_string()).collect()),
                number: r.number,
                ..item(&r.text, r.page, &r.section)
            })
            .collect(),
        Which::Quotes => doc
            .quotes
            .iter()
            .map(|q| item(&q.text, q.page, &q.section))
            .collect(),
    }
}

/// Which recommendations or quotes to list.
#[derive(Debug, Clone)]
pub struct ItemsRequest {
    pub which: Which,
    /// Only items matching this query, best first; without one, every item in document order.
    pub query: Option<String>,
    /// Waves, types and audiences (kinds are set by `which`).
    pub filters: Filters,
    pub limit: Option<usize>,
}

/// The recommendations or quotes of the indexed publications that pass the filters: every one
/// in document order, or, with a query, those whose passage it finds, best first.
pub fn items(index: &PeoIndex, request: &ItemsRequest) -> anyhow::Result<Vec<Item>> {
    let docs = index.documents()?;
    let f = &request.filters;
    let keep_doc = |d: &Document| {
        (f.waves.is_empty() || f.waves.contains(&d.wave_text()))
            && (f.doc_types.is_empty() || f.doc_types.iter().any(|t| t == d.doc_type_text()))
    };
    let keep_item = |i: &Item| {
        f.audiences.is_empty()
            || i.audiences
                .as_ref()
                .is_some_and(|a| a.iter().any(|x| f.audiences.contains(x)))
    };
    let which = request.which;
    let mut items: Vec<Item> = match request.query.as_deref().filter(|q| !q.trim().is_empty()) {
        None => docs
            .iter()
            .filter(|d| keep_doc(d))
            .flat_map(|d| items_of(d, which))
            .filter(keep_item)
            .collect(),
        Some(query) => {
            let kind = match which {
                Which::Recommendations => PassageKind::Recommendation,
                Which::Quotes => PassageKind::Quote,
            };
            let filters = Filters {
                kinds: vec![kind],
                ..f.clone()
            };
            let (hits, _) = index.search_unmarked(query, &filters, 10_000)?;
            hits.iter()
                .filter_map(|h| {
                    let doc = docs.iter().find(|d| d.id == h.doc_id)?;
                    items_of(doc, which).into_iter().nth(h.ordinal?)
                })
                .collect()
        }
    };
    items.truncate(request.limit.unwrap_or(usize::MAX));
    Ok(items)
}

/// Hit counts per wave and document type of every passage the query finds (as written, each
/// once unless `duplicates`), and the number of those passages.
pub fn count_by_wave(
    index: &PeoIndex,
    request: &SearchRequest,
) -> anyhow::Result<(Vec<(String, String, usize)>, usize)> {
    let (mut hits, _) = index.search_unmarked(&request.query, &request.filters, 1_000_000)?;
    if !request.duplicates {
        hits = collapse_duplicates(hits);
    }
    Ok((by_wave(&hits), hits.len()))
}

/// A window of `text` around its first highlight, with the highlights moved into it.
fn window(text: &str, highlights: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let first = highlights.first().map(|h| h.0).unwrap_or(0);
    let mut start = first.saturating_sub(80);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + 220).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let moved = highlights
        .iter()
        .filter(|h| h.0 >= start && h.1 <= end)
        .map(|h| (h.0 - start, h.1 - start))
        .collect();
    (text[start..end].to_string(), moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_marked_in_plain_text() {
        assert_eq!(
            mark("een hoge werkdruk voor", &[(9, 17)], Marking::Plain),
            "een hoge «werkdruk» voor"
        );
    }

    #[test]
    fn ranges_that_do_not_fit_are_skipped() {
        assert_eq!(mark("cliënten", &[(3, 4)], Marking::Plain), "cliënten");
    }
}

/// Lowercased, without diacritics: how the unstemmed index field compares words.
fn fold(word: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Byte ranges of the words of `text` that a fuzzy search matched, given the words it matched
/// loosely (`PeoIndex::search_fuzzy`; folded, a prefix ending in *).
pub fn fuzzy_highlights(text: &str, words: &[String]) -> Vec<(usize, usize)> {
    let wanted: Vec<(Vec<char>, bool)> = words
        .iter()
        .map(|w| match w.strip_suffix('*') {
            Some(prefix) => (fold(prefix).chars().collect::<Vec<char>>(), true),
            None => (fold(w).chars().collect(), false),
        })
        .filter(|(w, _)| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word: Vec<char> = fold(&text[s..i]).chars().collect();
                let near = |(w, prefix): &(Vec<char>, bool)| {
                    let d = fuzzy_distance(w.len());
                    if *prefix {
                        // the word's beginnings of the prefix's length, give or take its distance
                        (w.len().saturating_sub(d)..=w.len() + d)
                            .filter(|&n| n <= word.len())
                            .any(|n| edit_distance(w, &word[..n]) <= d)
                    } else {
                        edit_distance(w, &word) <= d
                    }
                };
                if wanted.iter().any(near) {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Hit counts per wave and document type, for following a theme across waves.
pub fn by_wave(hits: &[Hit]) -> Vec<(String, String, usize)> {
    let mut counts: std::collections::BTreeMap<(String, String), usize> =
        std::collections::BTreeMap::new();
    for h in hits {
        *counts
            .entry((h.wave.clone(), h.doc_type.clone()))
            .or_default() += 1;
    }
    counts.into_iter().map(|((w, t), n)| (w, t, n)).collect()
}

/// The words of a passage as near-duplicate detection compares them: lowercase, without
/// diacritics, each as a hash, sorted and without repeats. Hashes instead of strings because a
/// search folds the words of every candidate hit; two words sharing a hash would only make two
/// passages look a little more alike.
fn word_set(text: &str) -> Vec<u64> {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    let mut folded = String::new();
    let mut out: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.is_ascii() {
                folded.clear();
                folded.extend(w.chars().map(|c| c.to_ascii_lowercase()));
                hasher.hash_one(folded.as_str())
            } else {
                hasher.hash_one(fold(w).as_str())
            }
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How many values two sorted lists without repeats share.
fn common(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Two passages are the same passage in two variants when their words overlap this much (Dice
/// coefficient): OCR changes a few words of a passage, never most of them.
const SAME_PASSAGE: f64 = 0.75;

/// The hits with each passage shown once per publication. A hit whose words are nearly those
/// of a better hit of the same publication (same title, wave and type) is dropped: from another
/// variant of it (a scan beside its original), its document goes into the better hit's
/// `also_in`; from the same page of the same document, it is the same text twice (a key figure
/// and the paragraph it was read from). Order is kept, so the better-ranked hit stays.
pub fn collapse_duplicates(hits: Vec<Hit>) -> Vec<Hit> {
    let mut out: Vec<(Hit, Vec<u64>)> = Vec::new();
    for h in hits {
        let words = word_set(&h.text);
        let same = out.iter_mut().find(|(k, kw)| {
            (k.doc_id != h.doc_id || k.page == h.page)
                && k.title == h.title
                && k.wave == h.wave
                && k.doc_type == h.doc_type
                && {
                    let total = (kw.len() + words.len()) as f64;
                    total > 0.0 && 2.0 * common(kw, &words) as f64 / total >= SAME_PASSAGE
                }
        });
        match same {
            Some((kept, _)) => {
                if kept.doc_id != h.doc_id && !kept.also_in.contains(&h.doc_id) {
                    kept.also_in.push(h.doc_id);
                }
            }
            None => out.push((h, words)),
        }
    }
    out.into_iter().map(|(h, _)| h).collect()
}

/// How many hits to ask the index for so that `limit` remain after `collapse_duplicates`: a
/// corpus holds a few variants of a publication at most.
pub fn collapse_depth(limit: usize) -> usize {
    limit.saturating_mul(4).saturating_add(20)
}

/// The best hit of each document, with the number of hits the document has, best first.
pub fn group_by_document(hits: Vec<Hit>) -> Vec<(Hit, usize)> {
    let mut out: Vec<(Hit, usize)> = Vec::new();
    for h in hits {
        match out.iter_mut().find(|(g, _)| g.doc_id == h.doc_id) {
            Some((_, n)) => *n += 1,
            None => out.push((h, 1)),
        }
    }
    out
}

#[cfg(test)]
mod fuzzy_tests {
    use super::*;
    use crate::model::PassageKind;

    fn hit(doc_id: &str, title: &str, text: &str) -> Hit {
        Hit {
            score: 1.0,
            doc_id: doc_id.into(),
            title: title.into(),
            wave: "2024-2025".into(),
            doc_type: "rapport".into(),
            kind: PassageKind::Quote,
            page: 9,
            page_label: "9".into(),
            section: None,
            audiences: Vec::new(),
            audience_label: None,
            number: None,
            ordinal: None,
            text: text.into(),
            snippet: String::new(),
            highlights: Vec::new(),
            fuzzy: false,
            also_in: Vec::new(),
            stale: None,
        }
    }

    #[test]
    fn a_passage_in_a_scan_and_its_original_is_shown_once() {
        // The quote as the report prints it, and as OCR read it in the scan.
        let hits = vec![
            hit("rapport", "Al doende leren", "Dat reflecteren, daarop werd altijd heel erg gehamerd vanuit de opleiding. Maar […] in de praktijk is het ook echt belangrijk"),
            hit("rapport-scan", "Al doende leren", "Dat reflecteren, daarop werd altijd heel erg gehamerd vanuit de opleiding. Maar L]in de praktijk is het ook echt belangrijk"),
            hit("rapport-scan", "Al doende leren", "Ik zou dit werk nooit hebben kunnen doen vlak na mijn opleiding"),
            hit("samenvatting", "Ruimte om van betekenis te zijn", "Dat reflecteren, daarop werd altijd heel erg gehamerd vanuit de opleiding. Maar […] in de praktijk is het ook echt belangrijk"),
        ];
        let out = collapse_duplicates(hits);
        let ids: Vec<&str> = out.iter().map(|h| h.doc_id.as_str()).collect();
        assert_eq!(ids, ["rapport", "rapport-scan", "samenvatting"]);
        assert_eq!(out[0].also_in, ["rapport-scan"]);
        assert!(out[1].also_in.is_empty());
    }

    #[test]
    fn a_key_figure_and_the_paragraph_it_was_read_from_are_shown_once() {
        let figure = hit(
            "factsheet",
            "Quickscan",
            "19% ervaart niet of nauwelijks werkdruk",
        );
        let paragraph = hit(
            "factsheet",
            "Quickscan",
            "ervaart niet of nauwelijks werkdruk",
        );
        let mut elsewhere = paragraph.clone();
        elsewhere.page = 2;
        let out = collapse_duplicates(vec![figure, paragraph, elsewhere]);
        let pages: Vec<u32> = out.iter().map(|h| h.page).collect();
        assert_eq!(pages, [9, 2]);
        assert!(out[0].also_in.is_empty());
    }

    #[test]
    fn fuzzy_highlights_find_ocr_variants() {
        let text = "Het PJH reflecteert op de resultaten van het PEQ en de jeugdhuipprofessionals.";
        let marked: Vec<&str> = fuzzy_highlights(text, &words(&["jeugdhulpprofessionals", "peo"]))
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(marked, ["jeugdhuipprofessionals"]);
        let marked: Vec<&str> = fuzzy_highlights("de cliénten", &words(&["clienten"]))
            .iter()
            .map(|&(s, e)| &"de cliénten"[s..e])
            .collect();
        assert_eq!(marked, ["cliénten"]);
    }

    fn words(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn fuzzy_highlights_mark_the_words_a_fuzzy_prefix_began() {
        // "professio*" (9 letters, 2 edits) as OCR read the word: "protessionals"
        let text = "De protessionals en de professie, niet de provincie.";
        let marked: Vec<&str> = fuzzy_highlights(text, &words(&["professio*"]))
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(marked, ["protessionals", "professie"]);
    }

    #[test]
    fn short_words_must_match_exactly() {
        assert_eq!(fuzzy_distance(3), 0);
        assert_eq!(fuzzy_distance(6), 1);
        assert_eq!(fuzzy_distance(12), 2);
    }
}
