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

/// Byte ranges of `text` as character ranges (counted in Unicode scalar values, as jq, Python
/// and JavaScript slice a string); a range that does not fall on characters is left out.
pub fn char_ranges(text: &str, ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    ranges
        .iter()
        .filter(|&&(s, e)| s <= e && text.get(s..e).is_some())
        .map(|&(s, e)| {
            let start = text[..s].chars().count();
            (start, start + text[s..e].chars().count())
        })
        .collect()
}

/// How many columns `text` takes on a terminal: its characters, without the escape sequences
/// of colour.
fn visible_width(text: &str) -> usize {
    let mut n = 0;
    let mut escape = false;
    for c in text.chars() {
        match (escape, c) {
            (false, '\x1b') => escape = true,
            (true, 'm') => escape = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

/// The lines of `text` wrapped at word boundaries to `width` columns, every line after the
/// first of each indented by `indent` spaces (a word longer than a line has a line of its own).
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        let lead = line.len() - line.trim_start().len();
        let mut column = lead;
        out.push_str(&line[..lead]);
        let mut first = true;
        for word in line.split_whitespace() {
            let w = visible_width(word);
            if !first && column + 1 + w > width {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                column = indent;
            } else if !first {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += w;
            first = false;
        }
        out.push('\n');
    }
    out
}

/// A hit as a researcher reads it: where it is, then the snippet; a publication (kind
/// `document`) with its number of pages and the command that shows it. Lines are wrapped to
/// `width` columns, indented under the hit.
pub fn format_hit(rank: usize, hit: &Hit, marking: Marking, width: usize) -> String {
    wrap(&hit_lines(rank, hit, marking), width, 5)
}

/// A hit as `format_hit` shows it, unwrapped.
fn hit_lines(rank: usize, hit: &Hit, marking: Marking) -> String {
    if hit.kind == PassageKind::Document {
        let pages = match hit.n_pages {
            Some(1) => " · 1 page".to_string(),
            Some(n) => format!(" · {n} pages"),
            None => String::new(),
        };
        let also_in = if hit.also_in.is_empty() {
            String::new()
        } else {
            format!(", also in {}", hit.also_in.join(", "))
        };
        return format!(
            "{rank:>3}. {} [{}, {}]{pages} (publication) {}{also_in}\n     {}\n     peo show {}\n",
            hit.title,
            hit.wave,
            hit.doc_type,
            hit.doc_id,
            mark(&hit.snippet, &hit.highlights, marking),
            hit.doc_id
        );
    }
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
    /// At most this many passages of one publication among the hits (0: no limit), so that
    /// one long report does not fill the page and the other publications stay in sight.
    pub per_doc: usize,
}

/// The passages of one publication shown by default (`SearchRequest::per_doc`).
pub const PER_DOC: usize = 3;

/// What a search found: the hits to show, and how many there are in all.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Found {
    /// The passages found, each once unless `duplicates` (`collapse_duplicates`).
    pub total_hits: usize,
    /// The publications those passages are in.
    pub total_documents: usize,
    /// The hits shown, best first: the publications whose `document` passage the query
    /// matched first, then at most `per_doc` passages of each publication (its `document`
    /// passage not counted).
    pub hits: Vec<Hit>,
    /// For each publication with hits shown, the number of its passages found but not shown,
    /// in the order of its first hit; publications with none not listed.
    pub more: Vec<More>,
}

/// The passages of a publication a search found beyond those it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct More {
    pub doc_id: String,
    pub hits: usize,
}

/// The filters with each value written as the index stores it (a wave "2023/2024" as
/// "2023-2024", a type or audience in lowercase), or an error naming the first value the index
/// does not hold, with the values it holds (`PeoIndex::checked_value`).
pub fn checked_filters(index: &PeoIndex, filters: &Filters) -> anyhow::Result<Filters> {
    let checked = |name: &str, values: &[String]| -> anyhow::Result<Vec<String>> {
        values
            .iter()
            .map(|v| index.checked_value(name, v))
            .collect()
    };
    for kind in &filters.kinds {
        index.checked_value("kind", kind.as_str())?;
    }
    Ok(Filters {
        waves: checked("wave", &filters.waves)?,
        doc_types: checked("type", &filters.doc_types)?,
        kinds: filters.kinds.clone(),
        audiences: checked("audience", &filters.audiences)?,
        doc_ids: filters.doc_ids.clone(),
    })
}

/// An error for a query that cannot mean what its writer meant: one without words, or with a
/// parenthesis that is not closed or not opened (outside "phrases"), which the parser would
/// otherwise read as best it could, silently.
pub fn check_query(query: &str) -> anyhow::Result<()> {
    if query.trim().is_empty() {
        anyhow::bail!("empty query: give the words to search for, as in `peo search werkdruk`");
    }
    let mut depth: i64 = 0;
    let mut quoted = false;
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth < 0 {
                    anyhow::bail!(
                        "unbalanced parenthesis in the query {query:?}: a ) without its ("
                    );
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        anyhow::bail!("unbalanced parenthesis in the query {query:?}: a ( without its )");
    }
    if quoted {
        anyhow::bail!("unbalanced quotes in the query {query:?}: a \" without its partner");
    }
    Ok(())
}

/// Fewer hits than this for the words as written make the fuzzy fallback try near spellings.
const FEW_HITS: usize = 3;

/// Runs a search: the words as written, then near spellings when they find few passages;
/// duplicates folded; the publications whose `document` passage matched first; at most
/// `per_doc` passages of a publication; the first `limit` hits, best first, with their
/// snippets marked, and the totals.
pub fn search(index: &PeoIndex, request: &SearchRequest) -> anyhow::Result<Found> {
    // Every passage found, for the totals and for what each publication holds beyond the
    // hits shown.
    let (all, marker) = found(index, request, usize::MAX)?;
    let all = documents_first(all, &request.query);
    // Per publication (each variant apart with `duplicates`): its best copy, the passages
    // found and those shown.
    struct Count<'a> {
        key: (&'a str, &'a str, &'a str),
        best: &'a Hit,
        found: usize,
        /// Passages shown, the publication's `document` passage not counted.
        shown: usize,
        /// Hits shown, the `document` passage counted.
        listed: usize,
    }
    let mut counts: Vec<Count> = Vec::new();
    let mut hits = Vec::new();
    for h in &all {
        let key = if request.duplicates {
            (h.doc_id.as_str(), "", "")
        } else {
            publication(h)
        };
        let n = match counts.iter().position(|c| c.key == key) {
            Some(i) => &mut counts[i],
            None => {
                counts.push(Count {
                    key,
                    best: h,
                    found: 0,
                    shown: 0,
                    listed: 0,
                });
                counts.last_mut().expect("just pushed")
            }
        };
        n.found += 1;
        if h.copy_rank < n.best.copy_rank {
            n.best = h;
        }
        // The publication itself (kind `document`) is no passage of it: it takes no place of one.
        let document = h.kind == PassageKind::Document;
        let room = request.per_doc == 0 || document || n.shown < request.per_doc;
        if room && hits.len() < request.limit {
            n.shown += usize::from(!document);
            n.listed += 1;
            hits.push(h.clone());
        }
    }
    marker.mark(&mut hits);
    hits.iter_mut().for_each(whole_words);
    let more = counts
        .iter()
        .filter(|c| c.listed > 0 && c.found > c.listed)
        .map(|c| More {
            doc_id: c.best.doc_id.clone(),
            hits: c.found - c.listed,
        })
        .collect();
    let per_doc = counts;
    Ok(Found {
        total_hits: all.len(),
        total_documents: per_doc.len(),
        hits,
        more,
    })
}

/// A publication as a search tells its copies apart from other publications: by title, wave and
/// type, which a scan shares with its original.
fn publication(hit: &Hit) -> (&str, &str, &str) {
    (&hit.title, &hit.wave, &hit.doc_type)
}

/// The hits with the publications whose title holds every word of the query (kind `document`,
/// `names_title`) first; the others, and the publications found by their subtitle, wave, type
/// or authors, in their order.
fn documents_first(hits: Vec<Hit>, query: &str) -> Vec<Hit> {
    let (mut documents, passages): (Vec<Hit>, Vec<Hit>) = hits
        .into_iter()
        .partition(|h| h.kind == PassageKind::Document && names_title(query, &h.title));
    documents.extend(passages);
    documents
}

/// Whether every word of a query (its words and phrases, not its field:value filters, its
/// exclusions or its operators) is a word of `title`, diacritics and case aside; a word*
/// begins one.
fn names_title(query: &str, title: &str) -> bool {
    let title: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    let mut words = query
        .split_whitespace()
        .filter(|t| !t.contains(':') && !t.starts_with('-'))
        .filter(|t| !matches!(*t, "OR" | "AND" | "NOT"))
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric() && c != '*'))
        .filter(|w| !w.is_empty() && *w != "*")
        .peekable();
    words.peek().is_some()
        && words.all(|w| match w.strip_suffix('*') {
            Some(prefix) => title.iter().any(|t| t.starts_with(&fold(prefix))),
            None => title.contains(&fold(w)),
        })
}

/// Runs a search as `search` does, and gives the best hit of each of the first `limit`
/// documents, marked, with the number of hits the document has.
pub fn search_by_document(
    index: &PeoIndex,
    request: &SearchRequest,
) -> anyhow::Result<Vec<(Hit, usize)>> {
    let (hits, marker) = found(index, request, usize::MAX)?;
    let mut groups: Vec<(Hit, usize)> = group_by_document(documents_first(hits, &request.query))
        .into_iter()
        .take(request.limit)
        .collect();
    for (best, _) in &mut groups {
        marker.mark(std::slice::from_mut(best));
        whole_words(best);
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
    check_query(&request.query)?;
    let filters = checked_filters(index, &request.filters)?;
    let request = &SearchRequest {
        filters,
        ..request.clone()
    };
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
    pub audience_label: Option<String>,
    pub audiences: Option<Vec<String>>,
    pub number: Option<u32>,
    pub text: String,
    pub page: u32,
    pub page_label: String,
    pub section: Option<String>,
    /// The file of a better copy of the publication (its born-digital original beside this
    /// scan) that holds the same item; listed only with `all_copies`.
    pub copy_of: Option<String>,
    /// The files of the other copies of the publication that hold the same item.
    pub also_in: Vec<String>,
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
        copy_of: None,
        also_in: Vec::new(),
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
    /// Every copy of an item (`Item::copy_of` says which are copies), instead of each item once,
    /// from the best copy of its publication.
    pub all_copies: bool,
}

/// The items of one kind of every document, in document order, each with the copies of it in
/// other files of its publication: an item of a file is a copy when a better file of the same
/// publication (same title, wave and type; `Document::copy_rank`) holds an item with nearly its
/// words (`SAME_PASSAGE`).
fn items_with_copies(docs: &[Document], which: Which) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut ranks: Vec<u64> = Vec::new();
    for d in docs {
        let of_doc = items_of(d, which);
        ranks.extend(std::iter::repeat_n(d.copy_rank(), of_doc.len()));
        items.extend(of_doc);
    }
    let words: Vec<Vec<u64>> = items.iter().map(|i| word_set(&i.text)).collect();
    let mut by_publication: std::collections::HashMap<(&str, &str, &str), Vec<usize>> =
        std::collections::HashMap::new();
    for (n, i) in items.iter().enumerate() {
        by_publication
            .entry((&i.title, &i.wave, &i.doc_type))
            .or_default()
            .push(n);
    }
    let mut originals: Vec<(usize, usize)> = Vec::new(); // (copy, original)
    for members in by_publication.values() {
        for &i in members {
            let better = members
                .iter()
                .copied()
                .filter(|&j| {
                    items[j].doc_id != items[i].doc_id
                        && (ranks[j], &items[j].doc_id) < (ranks[i], &items[i].doc_id)
                        && (dice(&words[i], &words[j]) >= SAME_PASSAGE
                            || (items[i].page == items[j].page
                                && contained(&words[i], &words[j]) >= SAME_PASSAGE))
                })
                .min_by_key(|&j| (ranks[j], &items[j].doc_id));
            if let Some(j) = better {
                originals.push((i, j));
            }
        }
    }
    for (copy, original) in originals {
        let original_id = items[original].doc_id.clone();
        let copy_id = items[copy].doc_id.clone();
        items[copy].copy_of = Some(original_id);
        if !items[original].also_in.contains(&copy_id) {
            items[original].also_in.push(copy_id);
        }
    }
    items
}

/// The share of the words of the smaller of two word sets that the other holds, when it has
/// words enough to tell (5): on the same page of a copy, OCR that lost part of an item keeps
/// the words of the rest.
fn contained(a: &[u64], b: &[u64]) -> f64 {
    let fewer = a.len().min(b.len());
    if fewer < 5 {
        0.0
    } else {
        common(a, b) as f64 / fewer as f64
    }
}

/// How much two word sets (`word_set`) overlap: the Dice coefficient.
fn dice(a: &[u64], b: &[u64]) -> f64 {
    let total = (a.len() + b.len()) as f64;
    if total == 0.0 {
        0.0
    } else {
        2.0 * common(a, b) as f64 / total
    }
}

/// The recommendations or quotes of the indexed publications that pass the filters: every one
/// in document order, or, with a query, those whose passage it finds, best first.
pub fn items(index: &PeoIndex, request: &ItemsRequest) -> anyhow::Result<Vec<Item>> {
    let docs = index.documents()?;
    let f = &checked_filters(index, &request.filters)?;
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
    let all = items_with_copies(&docs, which);
    let shown = |i: &Item| request.all_copies || i.copy_of.is_none();
    let mut items: Vec<Item> = match request.query.as_deref().filter(|q| !q.trim().is_empty()) {
        None => {
            let kept: Vec<&str> = docs
                .iter()
                .filter(|d| keep_doc(d))
                .map(|d| d.id.as_str())
                .collect();
            all.iter()
                .filter(|i| kept.contains(&i.doc_id.as_str()) && keep_item(i) && shown(i))
                .cloned()
                .collect()
        }
        Some(query) => {
            check_query(query)?;
            let kind = match which {
                Which::Recommendations => PassageKind::Recommendation,
                Which::Quotes => PassageKind::Quote,
            };
            let filters = Filters {
                kinds: vec![kind],
                ..f.clone()
            };
            let (hits, _) = index.search_unmarked(query, &filters, usize::MAX)?;
            let at = |doc_id: &str, ordinal: usize| {
                all.iter().filter(|i| i.doc_id == doc_id).nth(ordinal)
            };
            let mut out: Vec<Item> = Vec::new();
            for h in &hits {
                let Some(mut item) = h.ordinal.and_then(|n| at(&h.doc_id, n)) else {
                    continue;
                };
                // A copy found stands for its original, when only the original is shown.
                if !request.all_copies {
                    if let Some(original) = &item.copy_of {
                        let original = all.iter().find(|i| {
                            i.doc_id == *original && i.also_in.contains(&item.doc_id) && {
                                dice(&word_set(&i.text), &word_set(&item.text)) >= SAME_PASSAGE
                            }
                        });
                        match original {
                            Some(original) => item = original,
                            None => continue,
                        }
                    }
                }
                let seen = out
                    .iter()
                    .any(|o| o.doc_id == item.doc_id && o.text == item.text && o.page == item.page);
                if !seen {
                    out.push(item.clone());
                }
            }
            out
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
    check_query(&request.query)?;
    let filters = checked_filters(index, &request.filters)?;
    let (mut hits, _) = index.search_unmarked(&request.query, &filters, usize::MAX)?;
    if !request.duplicates {
        hits = collapse_duplicates(hits);
    }
    Ok((by_wave(&hits), hits.len()))
}

/// The end of a passage left out of a snippet when it is this short (a last word or two): a
/// snippet that ends on "wat nodig" of "wat nodig is." reads as another sentence.
const SHORT_REST: usize = 16;

/// Makes a hit's snippet whole words: a snippet that begins or ends inside a word of its
/// passage is widened to the word, a rest of the passage shorter than `SHORT_REST` is taken in,
/// and "…" marks where it is cut; the highlights move with it.
fn whole_words(hit: &mut Hit) {
    let text = hit.text.as_str();
    let Some(start) = text.find(hit.snippet.as_str()) else {
        return;
    };
    let (mut from, mut to) = (start, start + hit.snippet.len());
    while let Some(c) = text[..from]
        .chars()
        .next_back()
        .filter(|c| c.is_alphanumeric())
    {
        from -= c.len_utf8();
    }
    while let Some(c) = text[to..].chars().next().filter(|c| c.is_alphanumeric()) {
        to += c.len_utf8();
    }
    if text.len() - to < SHORT_REST {
        to = text.len();
    }
    let body = text[from..to].trim();
    let lead = text[from..to].len() - text[from..to].trim_start().len();
    let open = if from > 0 { "…" } else { "" };
    let close = if to < text.len() { "…" } else { "" };
    let shift = |p: usize| (p + start).saturating_sub(from + lead) + open.len();
    hit.highlights = hit
        .highlights
        .iter()
        .map(|&(s, e)| (shift(s), shift(e)))
        .filter(|&(_, e)| e <= open.len() + body.len())
        .collect();
    hit.snippet = format!("{open}{body}{close}");
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
    fn lines_are_wrapped_to_the_width_and_indented() {
        let text = "  1. Al doende leren [2024-2025, rapport] p. 9\n     Dat \x1b[1;33mreflecteren\x1b[0m, daarop werd altijd heel erg gehamerd\n";
        assert_eq!(
            wrap(text, 30, 5),
            "  1. Al doende leren\n     [2024-2025, rapport] p. 9\n     Dat \x1b[1;33mreflecteren\x1b[0m, daarop\n     werd altijd heel erg\n     gehamerd\n"
        );
        for line in wrap(text, 30, 5).lines() {
            assert!(visible_width(line) <= 30, "{line:?}");
        }
    }

    #[test]
    fn a_query_names_a_title_when_the_title_holds_each_of_its_words() {
        let title = "De jeugdhulpverlener met de toverstaf";
        for (query, named) in [
            ("toverstaf", true),
            ("\"met de Toverstaf\"", true),
            ("toverst*", true),
            ("toverstaf wave:2022-2023 -kind:quote", true),
            ("toverstaf werkdruk", false),
            ("wave:2022-2023", false),
            ("leren", false),
        ] {
            assert_eq!(names_title(query, title), named, "{query}");
        }
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
            // The better copy of the publication (born digital, fewer repairs) is shown in the
            // place of the better-ranked hit, the other named in `also_in`.
            Some((kept, kept_words)) if kept.doc_id != h.doc_id && h.copy_rank < kept.copy_rank => {
                let mut also_in = std::mem::take(&mut kept.also_in);
                also_in.push(kept.doc_id.clone());
                also_in.retain(|d| *d != h.doc_id);
                let score = kept.score.max(h.score);
                *kept = Hit {
                    score,
                    also_in,
                    ..h
                };
                *kept_words = words;
            }
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
            id: String::new(),
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
            n_pages: None,
            copy_rank: 0,
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
    fn snippets_are_whole_words_marked_where_cut() {
        // (snippet as the generator cut it, its highlights, what is shown, the marked words)
        let text = "Professionals die de ruimte ervaren om te doen wat nodig is.";
        for (cut, marks, shown, marked) in [
            (
                "sionals die de ruimte ervaren",
                vec![(15, 21)],
                "Professionals die de ruimte ervaren…",
                vec!["ruimte"],
            ),
            (
                "ruimte ervaren om te doen wat nodig",
                vec![(0, 6)],
                "…ruimte ervaren om te doen wat nodig is.",
                vec!["ruimte"],
            ),
            (text, vec![(0, 13)], text, vec!["Professionals"]),
        ] {
            let mut h = hit("d", "t", text);
            h.snippet = cut.to_string();
            h.highlights = marks;
            whole_words(&mut h);
            assert_eq!(h.snippet, shown);
            let words: Vec<&str> = h
                .highlights
                .iter()
                .map(|&(s, e)| &h.snippet[s..e])
                .collect();
            assert_eq!(words, marked, "{cut}");
        }
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
