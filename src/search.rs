//! Queries and hits: the filters a researcher sets, the hits the index returns, and how a hit is
//! shown (highlighted snippet on a terminal, markers in plain text, positions in JSON).
//!
//! Invariant: no I/O here beyond what the caller passes in; the index does the searching.

use serde::Serialize;

use crate::model::PassageKind;

/// Restrictions on what a search returns; each list means "any of these", an empty list means
/// no restriction.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub waves: Vec<String>,
    pub doc_types: Vec<String>,
    pub kinds: Vec<PassageKind>,
    pub audiences: Vec<String>,
    pub doc_ids: Vec<String>,
}

/// One ranked passage.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub score: f32,
    pub doc_id: String,
    pub title: String,
    pub wave: String,
    pub doc_type: String,
    pub kind: PassageKind,
    pub page: u32,
    pub page_label: String,
    pub section: Option<String>,
    pub audiences: Vec<String>,
    pub audience_label: Option<String>,
    pub number: Option<u32>,
    /// Position of the item among the document's items of its kind.
    #[serde(skip)]
    pub ordinal: Option<usize>,
    pub text: String,
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// How highlighted words are marked in text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// ANSI bold yellow, for a terminal.
    Colour,
    /// « and », for pipes and files.
    Plain,
}

impl Marking {
    /// Colour on a terminal unless NO_COLOR is set.
    pub fn for_stdout() -> Marking {
        let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if tty && !no_color {
            Marking::Colour
        } else {
            Marking::Plain
        }
    }
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
    let audience = hit
        .audience_label
        .as_deref()
        .map(|a| format!(" · {a}"))
        .unwrap_or_default();
    format!(
        "{rank:>3}. {} [{}, {}] p. {}{section} ({}{audience}) {}\n     {}\n",
        hit.title,
        hit.wave,
        hit.doc_type,
        hit.page_label,
        hit.kind.as_str(),
        hit.doc_id,
        mark(&hit.snippet, &hit.highlights, marking)
    )
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
