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
    /// What each entry of nl.dic may be in a compound, read from its flags on first use.
    compounding: OnceLock<HashMap<String, Compounding>>,
}

/// What OpenTaal says a word may be in a compound: its flags COMPOUNDBEGIN (Ca) and
/// COMPOUNDMIDDLE (Cb), the linking forms that begin one (Ch: +s, Cd, Ce; Cx: only in
/// compounds), and COMPOUNDEND (Cc); and whether it is a form of a verb (an entry with one of
/// the verb suffix flags V*; OpenTaal lets no verb end a compound).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Compounding {
    pub begins: bool,
    pub ends: bool,
    pub verb: bool,
}

/// The flags of nl.aff that let a word begin (or stand in the middle of) a compound, and
/// the one that lets it end one.
const BEGIN_FLAGS: [&str; 6] = ["Ca", "Cb", "Ch", "Cd", "Ce", "Cx"];
const END_FLAG: &str = "Cc";

impl Lexicon {
    /// The bundled OpenTaal dictionary, parsed on first use.
    pub fn dutch() -> &'static Lexicon {
        static DUTCH: OnceLock<Lexicon> = OnceLock::new();
        DUTCH.get_or_init(|| Lexicon {
            dictionary: spellbook::Dictionary::new(AFF, DIC)
                .expect("the bundled OpenTaal dictionary parses"),
            compounding: OnceLock::new(),
        })
    }

    /// What `word` may be in a compound, as the flags of its entry in nl.dic say: of the word
    /// itself or of the entry it is an inflection of (a plural in -s, -en, -n or -es, with a
    /// doubled consonant undone or a long vowel written double again: lessen, vragen; -heden
    /// for -heid; an adjective in -e); `verb` when it is a verb entry or a form the entry's verb
    /// flags make of it (-t, -de, -den, -te, -ten, -d, -e: plaatsvindt, klaarstaat). None when
    /// no entry is found: a word hunspell knows only as a compound of entries
    /// (hulpprofessionals), or not at all.
    pub fn compounding(&self, word: &str) -> Option<Compounding> {
        let entries = self.compounding.get_or_init(|| read_compounding(DIC));
        let mut found: Option<Compounding> = None;
        for stem in inflection_stems(word) {
            if let Some(c) = entries.get(&stem) {
                let f = found.get_or_insert_with(Compounding::default);
                f.begins |= c.begins;
                f.ends |= c.ends;
            }
        }
        for stem in verb_stems(word) {
            if entries.get(&stem).is_some_and(|c| c.verb) {
                found.get_or_insert_with(Compounding::default).verb = true;
            }
        }
        found
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

/// Every entry of nl.dic with what its flags let it be in a compound (flags are two letters
/// each, `FLAG long`; the dictionary writes ij as the ligature ĳ).
fn read_compounding(dic: &str) -> HashMap<String, Compounding> {
    let mut entries: HashMap<String, Compounding> = HashMap::new();
    for line in dic.lines().skip(1) {
        let (word, flags) = line.split_once('/').unwrap_or((line, ""));
        let flags = flags.split_whitespace().next().unwrap_or("");
        let flags: Vec<&str> = (0..flags.len() / 2)
            .filter_map(|i| flags.get(2 * i..2 * i + 2))
            .collect();
        let entry = entries.entry(word.replace('ĳ', "ij")).or_default();
        entry.begins |= flags.iter().any(|f| BEGIN_FLAGS.contains(f));
        entry.verb |= flags.iter().any(|f| f.starts_with('V'));
        entry.ends |= flags.contains(&END_FLAG);
    }
    entries
}

/// Whether nl.dic lists `word` as a past participle (flag Ve, the participle that takes -e as
/// an adjective: geleerd, ingewerkt), as something else (gebied, a noun and a verb's stem), or
/// not at all (None). Only words with "ge" in them that end in -d or -t are asked (the
/// stemmer's "ge" guard), so only those entries are read, on first use and without the rest of the lexicon: a search
/// that stems a word with "ge" pays milliseconds, not the whole dictionary's parse.
pub fn participle(word: &str) -> Option<bool> {
    static WITH_GE: OnceLock<HashMap<String, bool>> = OnceLock::new();
    let entries = WITH_GE.get_or_init(|| {
        // Bytes, not str: the scan of the whole list is what a search pays, once.
        let mut entries: HashMap<String, bool> = HashMap::new();
        for line in DIC.as_bytes().split(|&b| b == b'\n').skip(1) {
            let slash = line.iter().position(|&b| b == b'/');
            let word = &line[..slash.unwrap_or(line.len())];
            if !matches!(word.last(), Some(b'd' | b't')) || !word.windows(2).any(|w| w == b"ge") {
                continue;
            }
            let flags = slash.map_or(&b""[..], |i| &line[i + 1..]);
            let flags = flags
                .split(|&b| b == b' ' || b == b'\t')
                .next()
                .unwrap_or(b"");
            let ve = flags.chunks(2).any(|f| f == b"Ve");
            let word = String::from_utf8_lossy(word).replace('ĳ', "ij");
            *entries.entry(word).or_default() |= ve;
        }
        entries
    });
    entries.get(word).copied()
}

/// The entries `word` may be a verb form of: the word itself (a stem or an infinitive) and what
/// it is without an ending of nl.aff's verb flags (V3: -t, and -at, -ot after a stem in a or o;
/// Vp: -de, -den; Vq: -te, -ten; Vi: -d, -de after an infinitive; Ve: -e).
fn verb_stems(word: &str) -> Vec<String> {
    let mut stems = vec![word.to_string()];
    for ending in ["t", "de", "den", "te", "ten", "d", "e"] {
        let Some(base) = word.strip_suffix(ending) else {
            continue;
        };
        if base.chars().count() < 2 {
            continue;
        }
        stems.push(base.to_string());
        // klaarstaat: klaarsta + at
        if ending == "t" && (base.ends_with("aa") || base.ends_with("oo")) {
            stems.push(base[..base.len() - 1].to_string());
        }
    }
    stems
}

/// The forms an entry of `word` may have: the word itself and what it is without a plural,
/// genitive or adjective ending.
fn inflection_stems(word: &str) -> Vec<String> {
    let mut stems = vec![word.to_string()];
    let vowel = |c: char| "aeiou".contains(c);
    for (ending, instead) in [
        ("s", ""),
        ("'s", ""),
        ("en", ""),
        ("n", ""),
        ("es", ""),
        ("e", ""),
        ("heden", "heid"),
    ] {
        let Some(base) = word.strip_suffix(ending) else {
            continue;
        };
        if base.chars().count() < 2 {
            continue;
        }
        stems.push(format!("{base}{instead}"));
        if ending == "en" {
            let chars: Vec<char> = base.chars().collect();
            let (a, b) = (chars[chars.len() - 2], chars[chars.len() - 1]);
            if a == b && !vowel(b) {
                // lessen: les
                stems.push(chars[..chars.len() - 1].iter().collect());
            } else if vowel(a) && !vowel(b) {
                // vragen: vraag
                let mut long: String = chars[..chars.len() - 1].iter().collect();
                long.push(a);
                long.push(b);
                stems.push(long);
            }
        }
    }
    stems
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
    fn knows_what_a_word_may_be_in_a_compound() {
        let nl = Lexicon::dutch();
        // (word, may begin one, may end one): entries and their plurals
        for (word, begins, ends) in [
            ("werk", true, true),
            ("professionals", true, true),
            ("lijsten", true, true),
            ("gesp", false, true),
            ("mana", false, false),
            ("lende", false, false),
        ] {
            let c = nl
                .compounding(word)
                .unwrap_or_else(|| panic!("{word} has an entry"));
            assert_eq!((c.begins, c.ends), (begins, ends), "{word}");
        }
        // known only as a compound of entries
        assert_eq!(nl.compounding("hulpprofessionals"), None);
        // verbs and their forms, and words that are no verb
        for (word, verb) in [
            ("plaatsvinden", true),
            ("plaatsvindt", true),
            ("klaarstaat", true),
            ("noodzaak", true),
            ("werkte", true),
            ("werkdruk", false),
            ("professionals", false),
        ] {
            assert_eq!(nl.compounding(word).is_some_and(|c| c.verb), verb, "{word}");
        }
    }

    #[test]
    fn knows_which_words_with_ge_are_participles() {
        assert_eq!(participle("geleerd"), Some(true));
        assert_eq!(participle("ingewerkt"), Some(true));
        assert_eq!(participle("gebied"), Some(false));
        assert_eq!(participle("gexyzt"), None);
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
