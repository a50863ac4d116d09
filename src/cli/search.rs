//! `peo search`: ranked passages for a query.

use std::io::Write;

use crate::cli::{Exit, FilterArgs, IndexDir};
use crate::index::PeoIndex;
use crate::model::PassageKind;
use crate::search::{self, format_hit, Filters, Marking, SearchRequest};

/// Search the indexed publications.
///
/// The query is Dutch text: words find their inflections (organisatie/organisaties) and the
/// forms of their family that the texts use (reflectie/reflecteren/gereflecteerd), a word
/// finds the compounds it ends or starts (professionals: jeugdhulpprofessionals), diacritics
/// are folded (cliënten = clienten). The words after `search` are one query, joined by AND;
/// "..." is a phrase; OR, NOT, + and - as usual, (...) to group; werkdr* is every word that
/// begins so; after -- a query may begin with -. field:value limits to wave:2022 (or
/// wave:2024/2025), type:rapport, kind:quote, audience:opleidingen, section:aanbevelingen,
/// title:toverstaf or doc:peo-2022-factsheet; a wave, type, kind or audience the index does
/// not hold is an error that lists those it holds. A publication whose title, subtitle, wave,
/// type or authors the query names comes first (kind document), then at most 3 passages of
/// each publication (--per-doc), the rest counted. A passage that a scan and its original
/// both hold is shown once. When the words as written find fewer than 3 passages, near
/// spellings of the words are tried, also in prefixes and phrases, with the fields and
/// operators kept (marked "fuzzy match").
///
/// Examples:
///   peo search toverstaf
///   peo search werkdruk professionele
///   peo search '"professionele ruimte"' --wave 2022
///   peo search 'reflect* kind:quote' --format json
///   peo search -- '-kind:key_figure werkdruk (wave:2023-2024 OR wave:2024-2025)'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query: every word after `search` (and after --, for a query that begins with -).
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
    #[command(flatten)]
    filters: FilterArgs,
    /// Only passages of this kind (document, heading, paragraph, recommendation, quote,
    /// key_figure, table_row, alt_text; as in kind:). "figure" is a key figure; alt_text (or
    /// "alt") is what a tagged PDF says a figure shows in words, its Alt text.
    #[arg(long, value_name = "K")]
    kind: Vec<String>,
    /// At most this many hits.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// At most this many passages of one publication among the hits; 0: no limit.
    #[arg(long, value_name = "N", default_value_t = search::PER_DOC)]
    per_doc: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: SearchFormat,
    /// Mark matches in colour: auto (on a terminal, unless NO_COLOR is set), always or never
    /// (then « »).
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    color: Color,
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
                let kinds: Vec<&str> = PassageKind::ALL.iter().map(|k| k.as_str()).collect();
                anyhow::anyhow!("unknown kind {k:?}: the kinds are {}", kinds.join(", "))
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

/// When matches are marked in colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    /// Never: matches are marked « ».
    Never,
}

/// Colour as `color` says; « » where there is none.
fn marking_for_stdout(color: Color) -> Marking {
    let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match color {
        Color::Always => Marking::Colour,
        Color::Auto if tty && !no_color => Marking::Colour,
        _ => Marking::Plain,
    }
}

/// The columns of the terminal standard output is (COLUMNS when set), 80 when it is none.
fn output_width() -> usize {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return n;
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        // SAFETY: TIOCGWINSZ writes a `winsize` into the struct it is given, nothing else.
        let mut size: libc::winsize = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
        if ok && size.ws_col > 0 {
            return usize::from(size.ws_col);
        }
    }
    80
}

/// A hit as JSON, its highlights as character offsets into its snippet (`search::char_ranges`).
fn hit_json(hit: &search::Hit) -> serde_json::Result<serde_json::Value> {
    let mut value = serde_json::to_value(hit)?;
    value["highlights"] = serde_json::to_value(search::char_ranges(&hit.snippet, &hit.highlights))?;
    Ok(value)
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        self.format == SearchFormat::Json
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let query = args.query.join(" ");
    let request = SearchRequest {
        query: query.clone(),
        filters: filters(&args.filters, &args.kind)?,
        limit: args.limit,
        fuzzy: !args.no_fuzzy,
        duplicates: args.duplicates,
        per_doc: args.per_doc,
    };
    let index = PeoIndex::open(&args.index.index)?;
    let mut out = std::io::stdout().lock();
    if args.by_wave {
        let (table, total) = search::count_by_wave(&index, &request)?;
        match args.format {
            SearchFormat::Json => {
                let rows: Vec<_> = table
                    .iter()
                    .map(|(w, t, n)| serde_json::json!({ "wave": w, "doc_type": t, "hits": n }))
                    .collect();
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({ "query": query, "by_wave": rows })
                    )?
                )?;
            }
            SearchFormat::Text => {
                writeln!(out, "{:<12} {:<14} {:>5}", "wave", "type", "hits")?;
                for (w, t, n) in &table {
                    writeln!(out, "{:<12} {:<14} {:>5}", w, t, n)?;
                }
                writeln!(out, "{:<12} {:<14} {:>5}", "total", "", total)?;
            }
        }
        return Ok(Exit::Success);
    }
    let groups = match args.group {
        Some(Group::Doc) => Some(search::search_by_document(&index, &request)?),
        None => None,
    };
    let found = match groups {
        Some(_) => search::Found::default(),
        None => search::search(&index, &request)?,
    };
    match args.format {
        SearchFormat::Json => {
            let value = match &groups {
                Some(g) => {
                    let docs = g
                        .iter()
                        .map(|(h, n)| {
                            Ok(serde_json::json!({ "doc_id": h.doc_id, "title": h.title, "wave": h.wave, "doc_type": h.doc_type, "hits": n, "best": hit_json(h)? }))
                        })
                        .collect::<serde_json::Result<Vec<_>>>()?;
                    serde_json::json!({ "query": query, "documents": docs })
                }
                None => serde_json::json!({
                    "query": query,
                    "total_hits": found.total_hits,
                    "total_documents": found.total_documents,
                    "hits": found.hits.iter().map(hit_json).collect::<serde_json::Result<Vec<_>>>()?,
                    "more": found.more,
                }),
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        SearchFormat::Text => {
            let marking = marking_for_stdout(args.color);
            let width = output_width().max(40);
            match &groups {
                Some(g) => {
                    for (i, (hit, n)) in g.iter().enumerate() {
                        write!(out, "{}", format_hit(i + 1, hit, marking, width))?;
                        let n = crate::cli::count(*n, "hit", "hits");
                        writeln!(out, "     ({n} in this document)")?;
                    }
                }
                None if !found.hits.is_empty() => {
                    for (i, hit) in found.hits.iter().enumerate() {
                        write!(out, "{}", format_hit(i + 1, hit, marking, width))?;
                    }
                    for more in &found.more {
                        writeln!(out, "+{} more in {}", more.hits, more.doc_id)?;
                    }
                    writeln!(
                        out,
                        "{} of {} hits in {} {}",
                        found.hits.len(),
                        found.total_hits,
                        found.total_documents,
                        if found.total_documents == 1 {
                            "publication"
                        } else {
                            "publications"
                        }
                    )?;
                }
                None => {}
            }
        }
    }
    if found.hits.is_empty() && groups.as_ref().is_none_or(Vec::is_empty) {
        // As grep: nothing found is exit code 1, said on standard error.
        crate::cli::report(&format!("no hits for {query:?}"), None, args.json());
        return Ok(Exit::SomeFailed);
    }
    Ok(Exit::Success)
}
