//! The Dutch word list that OCR repairs and decompounding consult: OpenTaal's hunspell
//! dictionary (nl.aff and nl.dic, version 2.20.18, revised BSD or CC BY 3.0, see
//! src/lexicon/LICENSE-OpenTaal), compiled into the binary and read with spellbook, which
//! applies the affix and compound rules so that inflections ("reflecteerden") and many
//! compounds ("jeugdhulpprofessional") are known without being listed.
//!
//! Invariant: the dictionary is parsed at most once per process, on first use (about 60 ms),
//! so runs that never need it do not pay for it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

const AFF: &str = include_str!("lexicon/nl.aff");
const DIC: &str = include_str!("lexicon/nl.dic");

/// How many answers of `Lexicon::contains` a thread keeps (a few MB at most).
const REMEMBERED: usize = 100_000;

/// A set of Dutch words with hunspell's rules for inflection, compounding and case.
pub struct Lexicon {
    dictionary: spellbook::Dictionary,
}

impl Lexicon {
    /// The bundled OpenTaal dictionary, parsed on first use.
    pub fn dutch() -> &'static Lexicon {
        static DUTCH: OnceLock<Lexicon> = OnceLock::new();
        DUTCH.get_or_init(|| Lexicon {
            dictionary: spellbook::Dictionary::new(AFF, DIC)
                .expect("the bundled OpenTaal dictionary parses"),
        })
    }

    /// Whether `word` is a Dutch word. Case follows hunspell: a lowercase entry is also known
    /// capitalised or in capitals ("Werkdruk", "WERKDRUK"), a proper name only capitalised.
    ///
    /// Answers are remembered per thread (up to `REMEMBERED` words): the same words come back on
    /// every page, and hunspell's check of a compound takes microseconds.
    pub fn contains(&self, word: &str) -> bool {
        if word.is_empty() {
            return false;
        }
        thread_local! {
            static KNOWN: RefCell<HashMap<Box<str>, bool>> = RefCell::new(HashMap::new());
        }
        KNOWN.with_borrow_mut(|known| {
            if let Some(&answer) = known.get(word) {
                return answer;
            }
            let answer = self.dictionary.check(word);
            if known.len() >= REMEMBERED {
                known.clear();
            }
            known.insert(word.into(), answer);
            answer
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_inflections_compounds_and_case_variants() {
        let nl = Lexicon::dutch();
        for word in [
            "werkdruk",
            "Werkdruk",
            "cliënten",
            "reflecteren",
            "reflectie",
            "gereflecteerd",
            "professionals",
            "jeugdhulpprofessionals",
            "Ik",
            "Verder",
        ] {
            assert!(nl.contains(word), "{word} should be known");
        }
    }

    #[test]
    fn rejects_ocr_damage() {
        let nl = Lexicon::dutch();
        for word in ["cliénten", "lk", "\\erder", "Benutinzichten", "PEQ", ""] {
            assert!(!nl.contains(word), "{word} should be unknown");
            assert!(
                !nl.contains(word),
                "{word} should be unknown when asked again"
            );
        }
        assert!(nl.contains("werkdruk") && nl.contains("werkdruk"));
    }
}
