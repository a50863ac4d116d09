//! The words segmentation reads, in one place: which words name an audience, label a caption
//! or a box, mark a quotation, count people or join clauses. Each list says which principle
//! needs it; the rules that use them live in the detectors.
//!
//! Invariant: every list is the vocabulary of a kind of text (Dutch reports, survey results,
//! typography), never the words of one publication: no name of a publisher, an author or a
//! title is here.

use crate::model::Audience;

/// An audience label opens with a preposition that names who is addressed ("Aan
/// professionals:", "Voor organisaties:"). Needed by: an audience label heads a list of
/// recommendations and is no section.
pub(crate) const AUDIENCE_OPENERS: [&str; 2] = ["Aan", "Voor"];

/// The word that names a section of recommendations ("Aanbevelingen", "Conclusies en
/// aanbevelingen"), as a stem. Needed by: the items under such a heading are
/// recommendations, also without a "bevelen ... aan" sentence.
pub(crate) const RECOMMENDATIONS_STEM: &str = "aanbeveling";

/// The words an audience label names each audience with, as stems that a word of the label
/// begins with. Needed by: a recommendation is addressed to the audiences its label names.
pub(crate) const AUDIENCE_STEMS: [(Audience, &[&str]); 4] = [
    (
        Audience::Professionals,
        &[
            "professional",
            "jeugdhulpprofessional",
            "medewerker",
            "jeugdhulpverlener",
        ],
    ),
    (
        Audience::Organisaties,
        &[
            "organisatie",
            "aanbieder",
            "bestuurder",
            "manager",
            "leidinggevende",
            "werkgever",
        ],
    ),
    (
        Audience::Opleidingen,
        &["opleiding", "onderwijs", "hogeschool", "hogescholen"],
    ),
    (
        Audience::Beleid,
        &["gemeente", "beleid", "overheid", "rijk"],
    ),
];

/// Whole words and phrases that name organisations of youth care: "GI" and "gecertificeerde
/// instelling" (a kind of organisation, not a name). Needed by: as `AUDIENCE_STEMS`.
pub(crate) const ORGANISATION_WORDS: [&str; 1] = ["gi"];
pub(crate) const ORGANISATION_PHRASES: [&str; 1] = ["gecertificeerde instelling"];

/// The first four letters of each audience word: OCR garbles the end of a long word more
/// than its start ("orgatmenten"). Needed by: a label whose words name no audience outright
/// takes the one a long word of it begins like.
pub(crate) const AUDIENCE_PREFIXES: [(&str, Audience); 6] = [
    ("prof", Audience::Professionals),
    ("mede", Audience::Professionals),
    ("orga", Audience::Organisaties),
    ("aanb", Audience::Organisaties),
    ("ople", Audience::Opleidingen),
    ("geme", Audience::Beleid),
];

/// The audience words as a label prints them (the forms of `AUDIENCE_STEMS`). Needed by: a
/// word of a label that OCR damaged is read back as the audience word it was printed as.
pub(crate) const AUDIENCE_WORDS: [&str; 16] = [
    "professionals",
    "jeugdhulpprofessionals",
    "jeugdhulpverleners",
    "medewerkers",
    "organisaties",
    "aanbieders",
    "bestuurders",
    "managers",
    "leidinggevenden",
    "werkgevers",
    "opleidingen",
    "onderwijs",
    "hogescholen",
    "gemeenten",
    "beleidsmakers",
    "overheid",
];

/// The words that open a caption or a note under a table or figure ("Tabel 1", "Figuur 2",
/// "Bron:", "Noot"), and an ISBN line. Needed by: a caption is never a heading.
pub(crate) const CAPTION_WORDS: [&str; 6] = ["tabel", "figuur", "bron", "noot", "grafiek", "isbn"];

/// The words that number a table in its caption, Dutch and English. Needed by: a table's
/// caption belongs to the table.
pub(crate) const TABLE_WORDS: [&str; 2] = ["tabel", "table"];

/// The word a report numbers its text boxes with ("Kader 3 | ..."). Needed by: a numbered box
/// is a section of its own, whose scope ends with the box.
pub(crate) const BOX_WORD: &str = "kader";

/// The label under which a report lists its authors. Needed by: the names listed under it are
/// the authors.
pub(crate) const AUTHORS_LABEL: &str = "auteurs";

/// Opening and closing quotation marks of every kind Dutch typography uses: “…”, „…”, "…",
/// ‘…’, '…', «…». Needed by: a quote opens its block with a mark and ends where one closes.
pub(crate) const OPENING_MARKS: [char; 6] = ['“', '"', '„', '‘', '\'', '«'];
pub(crate) const CLOSING_MARKS: [char; 5] = ['”', '"', '’', '\'', '»'];

/// Labels a page sets before a quotation instead of a mark. Needed by: a labelled quotation is
/// a quote.
pub(crate) const QUOTE_LABELS: [&str; 2] = ["Quote:", "Citaat:"];

/// Nouns that count the people a survey heard ("150 respondenten", "twaalf interviews").
/// Needed by: a count of people is a key figure.
pub(crate) const COUNT_NOUNS: [&str; 6] = [
    "respondenten",
    "professionals",
    "deelnemers",
    "medewerkers",
    "interviews",
    "jeugdhulpprofessionals",
];

/// Numbers written as words, as a text counts small numbers. Needed by: as `COUNT_NOUNS`.
pub(crate) const NUMBER_WORDS: [&str; 11] = [
    "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf",
];

/// The words that name a mark out of ten ("rapportcijfer 7,3"). Needed by: a mark is a key
/// figure.
pub(crate) const MARK_WORDS: [&str; 2] = ["rapportcijfer", "cijfer"];

/// Conjunctions that open a new clause after a figure's statement (", maar ...", " omdat
/// ..."). Needed by: a figure's statement ends where the next clause begins.
pub(crate) const CLAUSE_CONJUNCTIONS: [&str; 5] = ["maar", "want", "terwijl", "omdat", "hoewel"];

/// A regex alternation of words: "(?:a|b|c)".
pub(crate) fn alternation(words: &[&str]) -> String {
    format!("(?:{})", words.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every audience word a label prints reads as an audience: the two lists agree.
    #[test]
    fn every_printed_audience_word_names_an_audience() {
        for w in AUDIENCE_WORDS {
            assert!(
                AUDIENCE_STEMS
                    .iter()
                    .any(|(_, stems)| stems.iter().any(|s| w.starts_with(s))),
                "{w}"
            );
        }
    }

    #[test]
    fn an_alternation_matches_each_word_and_no_other() {
        let re = regex::Regex::new(&format!("^{}$", alternation(&CAPTION_WORDS))).unwrap();
        assert!(re.is_match("tabel") && re.is_match("isbn"));
        assert!(!re.is_match("tabellen"));
    }
}
