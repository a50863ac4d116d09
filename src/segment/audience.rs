//! An audience label as it was printed: a word of it that OCR damaged ("Voor orgatmenten") is
//! read back as the word of an audience label it was ("Voor organisaties"), so that hits and
//! `peo recs` show the label the publication prints.
//!
//! Invariant: pure; a word is only replaced when the lexicon does not know it and one word of
//! `AUDIENCE_WORDS` is near it by the rule of `printed_word`; every other character of the
//! label stays as it is.

use rapidfuzz::distance::levenshtein;

use super::recommendations::canonical_audiences;
use super::vocab::AUDIENCE_WORDS;
use crate::model::Recommendation;

/// The recommendations with their labels as printed (`printed_label`), and the audiences of a
/// repaired label read from it again.
pub(crate) fn repair_labels(
    mut items: Vec<Recommendation>,
    is_word: impl Fn(&str) -> bool,
) -> Vec<Recommendation> {
    for r in &mut items {
        let printed = printed_label(&r.audience_label, &is_word);
        if printed != r.audience_label {
            let audiences = canonical_audiences(&printed);
            if !audiences.is_empty() {
                r.audiences = audiences;
            }
            r.audience_label = printed;
        }
    }
    items
}

/// Characters a damaged word must share with its audience word at the start: OCR garbles the
/// middle and end of a word more than its first letters, and the rule must not read
/// "orgatmenten" as gemeenten, which is nearer by edit distance alone.
const SAME_START: usize = 2;

/// `label` with each word the lexicon does not know (`is_word`, asked in lowercase) replaced by
/// the audience word it was printed as (`printed_word`), its first letter's case kept.
pub fn printed_label(label: &str, is_word: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(label.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            let lower = word.to_lowercase();
            match (!is_word(&lower)).then(|| printed_word(&lower)).flatten() {
                Some(printed) if word.starts_with(char::is_uppercase) => {
                    let mut chars = printed.chars();
                    out.extend(chars.next().into_iter().flat_map(char::to_uppercase));
                    out.extend(chars);
                }
                Some(printed) => out.push_str(printed),
                None => out.push_str(word),
            }
            word.clear();
        }
    };
    for c in label.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The audience word a damaged word (lowercase) was printed as: the one with the fewest edits
/// to it, relative to the audience word's length, of those that begin with the same
/// `SAME_START` letters, when those edits are at most half its letters. None when no audience
/// word is so near, or when two are equally near.
fn printed_word(damaged: &str) -> Option<&'static str> {
    if damaged.chars().count() < 5 {
        return None;
    }
    let start: String = damaged.chars().take(SAME_START).collect();
    let mut near: Vec<(f64, &'static str)> = AUDIENCE_WORDS
        .iter()
        .filter(|w| w.starts_with(&start))
        .map(|w| {
            let edits = levenshtein::distance(damaged.chars(), w.chars()) as f64;
            (edits / w.chars().count() as f64, *w)
        })
        .filter(|(relative, _)| *relative <= 0.5)
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    match near.as_slice() {
        [(a, w), (b, _), ..] if b > a => Some(w),
        [(_, w)] => Some(w),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of the labels below that the lexicon knows.
    fn is_word(w: &str) -> bool {
        [
            "voor",
            "aan",
            "organisaties",
            "opleidingen",
            "professionals",
            "bestuurders",
            "managers",
            "beleidsmakers",
            "iedereen",
            "gemeenten",
            "en",
        ]
        .contains(&w)
    }

    fn check(read: &str, printed: &str) {
        assert_eq!(printed_label(read, is_word), printed, "{read}");
    }

    #[test]
    fn ocr_damage_in_a_label_is_read_back_as_the_audience_word() {
        // The rapport scan's summary page, as tesseract reads it.
        check("Voor orgatmenten", "Voor organisaties");
        // Letters misread, as OCR does.
        check("Voor opleidlngen", "Voor opleidingen");
        check("Aan profesionals", "Aan professionals");
        check("Voor Orqanisaties", "Voor Organisaties");
        check(
            "Voor gemeenteu en aanbieders",
            "Voor gemeenten en aanbieders",
        );
    }

    #[test]
    fn known_words_and_words_near_no_audience_stay() {
        check("Voor organisaties", "Voor organisaties");
        check(
            "Aan bestuurders/managers/beleidsmakers",
            "Aan bestuurders/managers/beleidsmakers",
        );
        check("Voor iedereen", "Voor iedereen");
        // Unknown, but near no audience word: left as read.
        check("Voor xyzzyplop", "Voor xyzzyplop");
        check("Voor onderzoekers", "Voor onderzoekers");
    }
}
