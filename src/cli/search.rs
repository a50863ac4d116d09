//! `peo search`: ranked passages for a query.

use crate::cli::{Exit, FilterArgs, IndexDir};
use crate::index::PeoIndex;
use crate::model::PassageKind;
use crate::search::{
    by_wave, collapse_depth, collapse_duplicates, format_hit, fuzzy_highlights, group_by_document,
    Filters, Hit, Marking,
};

/// Search the indexed publications.
///
/// The query is Dutch text: words find their inflections (organisatie/organisaties) and the
/// forms of their family that the texts use (reflectie/reflecteren/gereflecteerd), a word
/// finds the compounds it ends or starts (professionals: jeugdhulpprofessionals), diacritics
/// are folded (cliënten = clienten). Words are joined by AND; "..." is a phrase; OR, NOT, +
/// and - as usual, (...) to group; werkdr* is every word that begins so. field:value limits
/// to wave:2022 (or wave:2024/2025), type:rapport, kind:quote, audience:opleidingen,
/// section:aanbevelingen, title:toverstaf or doc:peo-2022-factsheet. A passage that a scan
/// and its original both hold is shown once. When the words as written find fewer than 3
/// passages, near spellings of the words are tried, also in prefixes and phrases, with the
/// fields and operators kept (marked "fuzzy match").
///
/// Examples:
///   peo search werkdruk
///   peo search '"professionele ruimte"' --wave 2022
///   peo search 'reflect* kind:quote' --format json
///   peo search 'werkdruk -kind:key_figure (wave:2023-2024 OR wave:2024-2025)'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query.
    query: String,
    #[command(flatten)]
    filters: FilterArgs,
    /// Only passages of this kind (heading, paragraph, recommendation, quote, key_figure, table_row).
    #[arg(long, value_name = "K")]
    kind: Vec<String>,
    /// At most this many hits.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: SearchFormat,
    /// Collapse the hits of each document into its best one, with the document's hit count.
    #[arg(long, value_enum, value_name = "BY")]
    group: Option<Group>,
    /// Print a table of hit counts per wave and document type instead of the hits.
    #[arg(long)]
    by_wave: bool,
    /// Do not fall back to fuzzy matching when the words as written find fewer than 3 hits.
    #[arg(long)]
    no_fuzzy: bool,
    /// Show a passage every time it is found: in each variant of a publication (a scan beside
    /// its original) and as a key figure beside the paragraph it was read from, instead of once
    /// with the other variants named.
    #[arg(long)]
    duplicates: bool,
    #[command(flatten)]
    index: IndexDir,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Group {
    /// One entry per document.
    Doc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
}

pub(crate) fn filters(args: &FilterArgs, kinds: &[String]) -> anyhow::Result<Filters> {
    let kinds = kinds
        .iter()
        .map(|k| {
            PassageKind::parse(k).ok_or_else(|| {
                anyhow::anyhow!(
                    "unknown kind {k:?} (heading, paragraph, recommendation, quote, key_figure, table_row)"
                )
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Filters {
        waves: args.wave.clone(),
        doc_types: args.doc_type.clone(),
        kinds,
        audiences: args.audience.clone(),
        doc_ids: Vec::new(),
    })
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

impl Args {
    pub(crate) fn json(&self) -> bool {
        self.format == SearchFormat::Json
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let filters = filters(&args.filters, &args.kind)?;
    let index = PeoIndex::open(&args.index.index)?;
    if args.by_wave {
        let mut hits = index.search(&args.query, &filters, 1_000_000)?;
        if !args.duplicates {
            hits = collapse_duplicates(hits);
        }
        let table = by_wave(&hits);
        match args.format {
            SearchFormat::Json => {
                let rows: Vec<_> = table
                    .iter()
                    .map(|(w, t, n)| serde_json::json!({ "wave": w, "doc_type": t, "hits": n }))
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({ "query": args.query, "by_wave": rows })
                    )?
                );
            }
            SearchFormat::Text => {
                println!("{:<12} {:<14} {:>5}", "wave", "type", "hits");
                for (w, t, n) in &table {
                    println!("{:<12} {:<14} {:>5}", w, t, n);
                }
                println!("{:<12} {:<14} {:>5}", "total", "", hits.len());
            }
        }
        return Ok(Exit::Success);
    }
    // At least 3, so that a small --limit does not look like a query that finds little.
    let wanted = if args.group.is_some() {
        1_000_000
    } else {
        args.limit.max(3)
    };
    let depth = if args.duplicates {
        wanted
    } else {
        collapse_depth(wanted)
    };
    let mut hits = index.search(&args.query, &filters, depth)?;
    let few = hits.len() < 3;
    if !args.no_fuzzy && few {
        let (fuzzy, words) = index.search_fuzzy(&args.query, &filters, depth)?;
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
    if !args.duplicates {
        hits = collapse_duplicates(hits);
    }
    if args.group.is_none() {
        hits.truncate(args.limit);
    }
    let groups: Option<Vec<(Hit, usize)>> = args.group.map(|_| {
        group_by_document(hits.clone())
            .into_iter()
            .take(args.limit)
            .collect()
    });
    match args.format {
        SearchFormat::Json => {
            let value = match &groups {
                Some(g) => {
                    let docs: Vec<_> = g.iter().map(|(h, n)| serde_json::json!({ "doc_id": h.doc_id, "title": h.title, "wave": h.wave, "doc_type": h.doc_type, "hits": n, "best": h })).collect();
                    serde_json::json!({ "query": args.query, "documents": docs })
                }
                None => serde_json::json!({ "query": args.query, "hits": hits }),
            };
            println!("{}", serde_json::to_string_pretty(&value)?);
        }
        SearchFormat::Text => {
            if hits.is_empty() {
                println!("no hits for {:?}", args.query);
            }
            let marking = Marking::for_stdout();
            match &groups {
                Some(g) => {
                    for (i, (hit, n)) in g.iter().enumerate() {
                        print!("{}", format_hit(i + 1, hit, marking));
                        println!("     ({n} hits in this document)");
                    }
                }
                None => {
                    for (i, hit) in hits.iter().enumerate() {
                        print!("{}", format_hit(i + 1, hit, marking));
                    }
                }
            }
        }
    }
    Ok(Exit::Success)
}
