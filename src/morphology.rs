//! How Dutch words are built, as far as search needs it: the derivational family of a word
//! (reflecteren, reflectie, gereflecteerd share the root "reflect"), the parts of a compound
//! (jeugdhulpprofessionals = jeugdhulp + professionals), and the tails a compound may end in,
//! for highlighting. Words come in lowercase; which forms and parts are real is decided by the
//! caller (the index's vocabulary, the lexicon).
//!
//! Invariant: pure string functions, no I/O and no tantivy; every form or part returned is
//! built from the word by the rules below, never looked up in a list of known answers.

use crate::lexicon::Compounding;

/// The suffixes of the Latinate verb family (-eren: reflecteren, organiseren) and of the nouns
/// and adjectives made from its root (-atie, -ie after "ct", -ering, -atief, -ief after "ct"),
/// each with its inflections. A word ending in one of them has the root before it.
const VERB_SUFFIXES: [&str; 9] = [
    "eren", "eer", "eert", "eerde", "eerden", "eerd", "erend", "erende", "ering",
];
const NOUN_SUFFIXES: [&str; 10] = [
    "atie", "aties", "atief", "atieve", "eringen", "ie", "ies", "ief", "ieve", "ieven",
];

/// A root must keep this many letters, so that short words ("leren", "kleren", "relatie")
/// are no family of anything.
const MIN_ROOT: usize = 4;

/// The root of a word of the Latinate verb family and the nouns made from it, when the word has
/// one of its suffixes (with "ge-" for the participle): reflecteren, reflecteer, gereflecteerd,
/// reflectie, reflectief → "reflect"; organisatie, organiseren → "organis".
pub fn root(word: &str) -> Option<&str> {
    let all = VERB_SUFFIXES.iter().chain(NOUN_SUFFIXES.iter());
    // The longest suffix wins: "reflecteerde" is reflect+eerde, not reflecteerd+e.
    let suffix = all
        .filter(|s| word.ends_with(*s))
        .filter(|s| {
            // -ie and -ief attach to a root in "ct" (reflectie, reflectief); elsewhere they are
            // plain endings (studie, positief).
            let stem = &word[..word.len() - s.len()];
            !s.starts_with("ie") || stem.ends_with("ct")
        })
        .max_by_key(|s| s.len())?;
    let mut stem = &word[..word.len() - suffix.len()];
    // A root that ends in "o" or "e" before a suffix in "e" would be written with a diaeresis
    // (coördineren, creëren): "voering" is voer-ing, no vo-ering.
    if suffix.starts_with('e') && (stem.ends_with('o') || stem.ends_with('e')) {
        return None;
    }
    if suffix.starts_with("eerd") {
        stem = stem.strip_prefix("ge").unwrap_or(stem);
    }
    (stem.chars().count() >= MIN_ROOT && stem.chars().all(char::is_alphabetic)).then_some(stem)
}

/// Every form of the family of `word`'s root (the word itself included), or nothing when the
/// word has no such root. Which of them are words is for the caller to check: the family a
/// search widens to is the forms the indexed texts actually use.
pub fn family(word: &str) -> Vec<String> {
    let Some(root) = root(word) else {
        return Vec::new();
    };
    let mut forms: Vec<String> = VERB_SUFFIXES
        .iter()
        .chain(NOUN_SUFFIXES.iter())
        .filter(|s| !s.starts_with("ie") || root.ends_with("ct"))
        .map(|s| format!("{root}{s}"))
        .collect();
    forms.push(format!("ge{root}eerd"));
    forms.push(format!("ge{root}eerde"));
    if !forms.iter().any(|f| f == word) {
        forms.push(word.to_string());
    }
    forms
}

/// The prefixes that never take the participle's "ge" after them: a verb that begins with one
/// makes its participle without it (begeleiden: begeleid, vergelijken: vergeleken).
const INSEPARABLE: [&str; 6] = ["be", "ge", "her", "ont", "er", "ver"];

/// A stem of Snowball's Dutch (Kraaij-Pohlmann) stemmer, `stem` of `word`, with the "ge" it took
/// out of a word that is no participle put back. The stemmer removes "ge" wherever it could mark
/// a participle (geleerd: leer, ingewerkt: inwerk), also where it is part of the word, so that
/// begeleiding meets beleid, gemeente meets menen, gesprek meets spreken and gebied meets
/// bieden. A participle with "ge" ends in -d or -t (weak verbs; a strong participle in -en is
/// not told from a plural, so it keeps its "ge"), no "ge" follows an inseparable prefix
/// (`INSEPARABLE`), and a word the lexicon lists as something else than a participle is none
/// (`participle`: Some(false) for gebied, a noun; None when the lexicon does not list the word,
/// which then counts as one). `participle` is asked only of a word that passes the other tests.
pub fn guard_stem(word: &str, stem: &str, participle: impl Fn(&str) -> Option<bool>) -> String {
    let common = word
        .char_indices()
        .zip(stem.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or(word.len().min(stem.len()));
    let before = &word[..common];
    // "ge" taken out: the word has it where the stem goes on with the letter after it
    let next = stem[common..].chars().next();
    let removed = word[common..].starts_with("ge")
        && next.is_some()
        && next == word[common + 2..].chars().next();
    if !removed {
        return stem.to_string();
    }
    let is_participle = (word.ends_with('d') || word.ends_with('t'))
        && !INSEPARABLE.contains(&before)
        && participle(word) != Some(false);
    if is_participle {
        stem.to_string()
    } else {
        format!("{before}ge{}", &stem[common..])
    }
}

/// Parts shorter than this are not split off: "in", "aan", "over"+"leg" stay whole.
const MIN_PART: usize = 4;

/// Word endings that are suffixes in a compound rather than words of their own, although the
/// lexicon knows them as words: belangrijk is no "rijk", mogelijkheden no "heden", inkomsten
/// no "sten".
const SUFFIXOIDS: [&str; 25] = [
    "lijk",
    "lijke",
    "lijks",
    "rijk",
    "rijke",
    "rijker",
    "rijkere",
    "schap",
    "schappen",
    "schappelijk",
    "schappelijke",
    "matig",
    "matige",
    "baar",
    "bare",
    "loos",
    "loze",
    "zaam",
    "zame",
    "achtig",
    "volle",
    "voller",
    "heden",
    "sten",
    "tering",
];

/// The prepositions and pronouns of four letters or more, closed word classes: a word that
/// ends in one is an adverb or a pronoun (daarvoor, hierboven, waardoor, zichzelf), whose last
/// part is no word a search for the whole should find it by.
const FUNCTION_WORDS: [&str; 32] = [
    "achter", "beneden", "binnen", "boven", "buiten", "door", "langs", "naar", "naast", "omtrent",
    "onder", "over", "rond", "sinds", "tegen", "tijdens", "tussen", "vanaf", "vanuit", "volgens",
    "voor", "voorbij", "zonder", "zelf", "zich", "mijn", "zijn", "haar", "deze", "iets", "niets",
    "alles",
];

/// A tail that begins with a vowel must be this long: shorter ones are inflections and
/// derivations of the head (kind|eren, stud|enten, special|isme), not words joined to it.
const MIN_VOWEL_TAIL: usize = 6;

/// Letter pairs that spell one sound (ch, ng, ij, and the vowel pairs): a compound never
/// splits them, so vers|chillen is no split of verschillen.
fn splits_a_grapheme(before: char, after: char) -> bool {
    matches!(
        (before, after),
        ('c', 'h')
            | ('s', 'c')
            | ('n', 'g')
            | ('i', 'j')
            | ('a', 'a')
            | ('e', 'e')
            | ('o', 'o')
            | ('u', 'u')
            | ('i', 'e')
            | ('o', 'e')
            | ('e', 'u')
            | ('u', 'i')
            | ('e', 'i')
            | ('o', 'u')
            | ('a', 'u')
    )
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'á' | 'é' | 'ë' | 'ï' | 'ó' | 'ö' | 'ü'
    )
}

/// The prepositions and adverbs that make particle verbs and their nouns with a following
/// word (onder|zoeken, over|leggen, voor|stellen, door|gaan, tegen|vallen): such a word means
/// something of its own, not its tail's meaning narrowed, so a word the lexicon knows whole is
/// not split after one of them (a search for "zoeken" must not find "onderzoek").
const PARTICLES: [&str; 11] = [
    "achter", "door", "onder", "over", "tegen", "voor", "terug", "samen", "voorbij", "weer", "rond",
];

/// Latin prefixes that Dutch also writes as words (super, extra, ...): before a noun of the
/// Latinate family they make a loanword borrowed whole (supervisie, interactie, extractie),
/// not a compound of Dutch words.
const LATIN_PREFIXES: [&str; 12] = [
    "super", "hyper", "ultra", "extra", "inter", "intra", "trans", "multi", "semi", "contra",
    "anti", "pseudo",
];

/// Whether a compound could split before the `i`th character of `chars` as Dutch spelling and
/// word formation allow, whatever the lexicon says of the parts: not before a suffixoid
/// (-lijk, -heden, -schap, ...) or a closed-class word (`FUNCTION_WORDS`), nor through a
/// grapheme (s|ch, i|j, o|e).
fn may_split(word: &str, chars: &[(usize, char)], i: usize) -> bool {
    let tail = &word[chars[i].0..];
    !(SUFFIXOIDS.contains(&tail)
        || FUNCTION_WORDS.contains(&tail)
        || splits_a_grapheme(chars[i - 1].1, chars[i].1))
}

/// Whether the tail at the `i`th character looks like an ending of the head rather than a word
/// joined to it: a short tail that begins with a vowel (kind|eren, stud|enten), unless it
/// follows a linking "s" (`after_linking_s`: personeels|inzet), which only joins words; or, in
/// a word of the Latinate family (`latinate`), a tail outside that family (signaleren is no
/// signa|leren, stimuleren no stimu|leren).
fn looks_like_an_ending(
    word: &str,
    chars: &[(usize, char)],
    i: usize,
    latinate: bool,
    after_linking_s: bool,
) -> bool {
    let tail = &word[chars[i].0..];
    (is_vowel(chars[i].1) && chars.len() - i < MIN_VOWEL_TAIL && !after_linking_s)
        || (latinate && !is_latinate_tail(tail))
}

/// Whether a tail is a word of the Latinate family itself (reflectie, relatie, organiseren):
/// one of its suffixes after a root of at least 3 letters (`root` asks 4 of a whole word).
fn is_latinate_tail(tail: &str) -> bool {
    VERB_SUFFIXES
        .iter()
        .chain(NOUN_SUFFIXES.iter())
        .filter(|s| tail.ends_with(*s))
        .any(|s| {
            let stem = &tail[..tail.len() - s.len()];
            stem.chars().count() >= 3
                && (!s.starts_with("ie") || stem.ends_with("ct") || *s == "ie")
        })
}

/// A place where a compound splits: the head before it (without a linking "s" the head is a
/// word without) and the tail after it, which begins at the `at`th character of the word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub head: &'a str,
    pub tail: &'a str,
    pub at: usize,
}

/// Suffixes that make a noun of a whole word: a word in one of them is built on the word before
/// the suffix, so nieuwsgierigheid is [nieuwsgierig]heid, not nieuws + gierigheid.
const DERIVATIONS: [&str; 2] = ["heid", "heden"];

/// The places where a compound splits into a head and a tail that are both words
/// (`is_word`), of at least 4 letters each; a linking "s" or "er" between them is dropped when
/// the head is a word without it (opleidings|niveau: opleiding + niveau, kinder|bescherming).
/// What Dutch spelling and word formation rule out is no split: a tail that is a suffixoid
/// (-lijk, -heden, -schap, ...) or a closed-class word, a split through a grapheme (s|ch, i|j,
/// o|e) (`may_split`), and a word in -heid splits only where the word it is made of does
/// (`DERIVATIONS`), nor before a tail that looks like an ending of the head
/// (`looks_like_an_ending`: kind|eren, signa|leren), unless a linking "s" shows that a word
/// follows (personeels|inzet), nor after a Latin prefix before a Latinate noun (`LATIN_PREFIXES`:
/// supervisie). A word the
/// lexicon knows whole raises the bar: it is not split when the lexicon has it as a verb
/// (plaatsvindt, klaarstaat), after a particle (`PARTICLES`: onderzoek is no onder|zoek), nor
/// where the lexicon does not let the head begin a compound or the tail end one
/// (`compounding`: gesp|rekken, verschil|lende, mede|werker).
pub fn compound_splits<'a>(
    word: &'a str,
    is_word: impl Fn(&str) -> bool,
    compounding: impl Fn(&str) -> Option<Compounding>,
) -> Vec<Split<'a>> {
    splits(word, &is_word, &compounding)
}

fn splits<'a>(
    word: &'a str,
    is_word: &dyn Fn(&str) -> bool,
    compounding: &dyn Fn(&str) -> Option<Compounding>,
) -> Vec<Split<'a>> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    if chars.len() < 2 * MIN_PART || !word.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    // The places of the word a derivation is built on, when it is a word.
    let base_places: Option<Vec<usize>> = DERIVATIONS
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .filter(|base| is_word(base))
        .map(|base| {
            splits(base, is_word, compounding)
                .iter()
                .map(|s| s.at)
                .collect()
        });
    let latinate = root(word).is_some();
    let known = is_word(word);
    // A verb the lexicon knows whole is a separable verb (plaats|vinden, klaar|staan) or made
    // from a noun (noodzaken), whose meaning is its own; and OpenTaal lets no verb end a
    // compound.
    if known && compounding(word).is_some_and(|c| c.verb) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for i in MIN_PART..=chars.len() - MIN_PART {
        let (written, tail) = word.split_at(chars[i].0);
        if !may_split(word, &chars, i)
            || base_places.as_ref().is_some_and(|p| !p.contains(&i))
            || (known && PARTICLES.contains(&written))
            || !is_word(tail)
        {
            continue;
        }
        // The head as written, or without a linking "s" or "er" (opleidings|niveau,
        // kinder|bescherming).
        let unlinked = |linking: &str| {
            written
                .strip_suffix(linking)
                .filter(|h| h.chars().count() >= MIN_PART && is_word(h))
        };
        let head = if is_word(written) {
            written
        } else {
            match unlinked("s").or_else(|| unlinked("er")) {
                Some(h) => h,
                None => continue,
            }
        };
        if looks_like_an_ending(word, &chars, i, latinate, unlinked("s").is_some())
            || (LATIN_PREFIXES.contains(&written) && is_latinate_tail(tail))
        {
            continue;
        }
        if known && !may_compound(compounding, head, tail) {
            continue;
        }
        found.push(Split { head, tail, at: i });
    }
    found
}

/// Whether `head` and `tail` may make a compound as the lexicon's flags say: the head may begin
/// one and the tail end one, where the lexicon has an entry of them. OpenTaal leaves the flags
/// off rare and bound words (gesp, mana, mede, lende), so a word it knows whole is not split
/// into them.
fn may_compound(compounding: &dyn Fn(&str) -> Option<Compounding>, head: &str, tail: &str) -> bool {
    compounding(head).is_none_or(|c| c.begins) && compounding(tail).is_none_or(|c| c.ends)
}

/// The parts of a compound: the head and the tail of every place where it splits
/// (`compound_splits`), each once. Several places give several parts (jeugdhulpprofessionals:
/// jeugd, hulpprofessionals, jeugdhulp, professionals).
pub fn compound_parts(
    word: &str,
    is_word: impl Fn(&str) -> bool,
    compounding: impl Fn(&str) -> Option<Compounding>,
) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for split in compound_splits(word, is_word, compounding) {
        for p in [split.head, split.tail] {
            if !parts.iter().any(|x| x == p) {
                parts.push(p.to_string());
            }
        }
    }
    parts
}

/// Every ending of `word` that could be the tail of a compound (at least 4 letters, after at
/// least 4, where `may_split` allows), without checking that it is a word: highlighting uses
/// them to mark "jeugdhulpprofessionals" for a search that found it by its part
/// "professionals", and not "stimuleren" for one that found "leren".
pub fn compound_tails(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    if chars.len() < 2 * MIN_PART || !word.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let latinate = root(word).is_some();
    (MIN_PART..=chars.len() - MIN_PART)
        .filter(|&i| {
            may_split(word, &chars, i) && !looks_like_an_ending(word, &chars, i, latinate, false)
        })
        .map(|i| &word[chars[i].0..])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lexicon that says nothing of what a word may be in a compound.
    fn any(_: &str) -> Option<Compounding> {
        None
    }

    #[test]
    fn a_word_the_lexicon_lists_as_no_participle_keeps_its_ge() {
        // gebied is a noun (and a verb's stem), no participle of bieden
        let lexicon = |w: &str| match w {
            "gebied" => Some(false),
            "geleerd" => Some(true),
            _ => None,
        };
        assert_eq!(guard_stem("gebied", "bied", lexicon), "gebied");
        assert_eq!(guard_stem("geleerd", "leer", lexicon), "leer");
    }

    #[test]
    fn a_ge_that_belongs_to_the_word_stays_in_its_stem() {
        // (word, what Snowball's Dutch stemmer gives, what peo indexes)
        for (word, snowball, expected) in [
            ("begeleiding", "beleid", "begeleid"),
            ("begeleiden", "beleid", "begeleid"),
            ("begeleid", "beleid", "begeleid"),
            ("gemeenten", "meen", "gemeen"),
            ("gesprekken", "sprek", "gesprek"),
            ("vergelijken", "verlijk", "vergelijk"),
            ("gevoel", "voel", "gevoel"),
            // participles keep losing their "ge": they meet their verb
            ("geleerd", "leer", "leer"),
            ("gereflecteerd", "reflecteer", "reflecteer"),
            ("ingewerkt", "inwerk", "inwerk"),
            // no "ge" taken out: the stem as it is
            ("beleid", "beleid", "beleid"),
            ("organisaties", "organiseer", "organiseer"),
            ("professionals", "professional", "professional"),
        ] {
            assert_eq!(guard_stem(word, snowball, |_| None), expected, "{word}");
        }
    }

    fn check_root(word: &str, expected: Option<&str>) {
        assert_eq!(root(word), expected, "{word}");
    }

    #[test]
    fn latinate_verbs_and_their_nouns_share_a_root() {
        for w in [
            "reflecteren",
            "reflecteer",
            "reflecteert",
            "reflecteerde",
            "gereflecteerd",
            "reflectie",
            "reflecties",
            "reflectief",
        ] {
            check_root(w, Some("reflect"));
        }
        check_root("organisatie", Some("organis"));
        check_root("organiseren", Some("organis"));
        check_root("georganiseerd", Some("organis"));
        check_root("financiering", Some("financi"));
    }

    #[test]
    fn short_and_plain_words_have_no_root() {
        // (too short a root; -ie not after "ct"; no suffix of the family)
        for w in [
            "leren", "kleren", "relatie", "studie", "positief", "werkdruk", "meer",
        ] {
            check_root(w, None);
        }
    }

    #[test]
    fn the_family_holds_the_word_and_the_other_forms() {
        let f = family("reflectie");
        for w in ["reflecteren", "gereflecteerd", "reflectie", "reflectief"] {
            assert!(f.iter().any(|x| x == w), "{w} in {f:?}");
        }
        assert!(family("werkdruk").is_empty());
    }

    #[test]
    fn compounds_split_where_both_parts_are_words() {
        let words = [
            "jeugd",
            "hulp",
            "jeugdhulp",
            "professionals",
            "opleiding",
            "niveau",
        ];
        let is_word = |w: &str| words.contains(&w);
        assert_eq!(
            compound_parts("jeugdhulpprofessionals", is_word, any),
            ["jeugdhulp", "professionals"]
        );
        assert_eq!(
            compound_parts("opleidingsniveau", is_word, any),
            ["opleiding", "niveau"]
        );
        assert!(compound_parts("professionals", is_word, any).is_empty());
    }

    #[test]
    fn what_spelling_and_word_formation_rule_out_is_no_split() {
        // Every part below is a word, as hunspell's OpenTaal list says.
        let words = [
            "belang",
            "rijk",
            "over",
            "leg",
            "kind",
            "eren",
            "vers",
            "chillen",
            "signa",
            "leren",
            "zelf",
            "reflectie",
            "mogelijk",
            "heden",
            "super",
            "visie",
        ];
        let is_word = |w: &str| words.contains(&w);
        for w in [
            "belangrijk",    // a suffixoid
            "overleg",       // a part of 3 letters
            "kinderen",      // a short tail beginning with a vowel
            "verschillen",   // s|ch
            "signaleren",    // Latinate, and "leren" is not of its family
            "mogelijkheden", // -heden
            "supervisie",    // a Latin loanword
        ] {
            assert!(compound_parts(w, is_word, any).is_empty(), "{w}");
        }
        assert_eq!(
            compound_parts("zelfreflectie", is_word, any),
            ["zelf", "reflectie"]
        );
    }

    #[test]
    fn tails_are_the_endings_after_four_letters() {
        let tails = compound_tails("werkdruk");
        assert_eq!(tails, ["druk"]);
        assert!(compound_tails("jeugdhulpprofessionals").contains(&"professionals"));
        assert!(compound_tails("druk").is_empty());
        // A search that found "leren" marks no Latinate verb that ends so.
        for w in ["stimuleren", "signaleren", "escalerend"] {
            assert!(!compound_tails(w).iter().any(|t| t.contains("ler")), "{w}");
        }
    }

    #[test]
    fn a_derivation_splits_where_the_word_it_is_built_on_does() {
        let words = [
            "nieuws",
            "gierig",
            "gierigheid",
            "nieuwsgierig",
            "nieuwsgierigheid",
            "werk",
            "zeker",
            "zekerheid",
        ];
        let is_word = |w: &str| words.contains(&w);
        // a lexicon in which gierig may end no compound
        let gierig = |w: &str| {
            (w == "gierig").then_some(Compounding {
                begins: false,
                ends: false,
                verb: false,
            })
        };
        assert!(compound_parts("nieuwsgierig", is_word, gierig).is_empty());
        assert!(compound_parts("nieuwsgierigheid", is_word, gierig).is_empty());
        // werkzeker is no word: werkzekerheid is werk + zekerheid
        assert_eq!(
            compound_parts("werkzekerheid", is_word, gierig),
            ["werk", "zekerheid"]
        );
    }

    #[test]
    fn a_short_tail_in_a_vowel_is_a_word_after_a_linking_s() {
        let words = ["personeel", "inzet", "kind", "eren"];
        let is_word = |w: &str| words.contains(&w);
        assert_eq!(
            compound_parts("personeelsinzet", is_word, any),
            ["personeel", "inzet"]
        );
        assert!(compound_parts("kinderen", is_word, any).is_empty());
    }

    #[test]
    fn a_verb_the_lexicon_knows_whole_is_not_split() {
        let words = ["plaats", "vindt", "plaatsvindt", "werk", "druk", "werkdruk"];
        let is_word = |w: &str| words.contains(&w);
        let verbs = |w: &str| {
            (w == "plaatsvindt").then_some(Compounding {
                verb: true,
                ..Compounding::default()
            })
        };
        assert!(compound_parts("plaatsvindt", is_word, verbs).is_empty());
        assert_eq!(compound_parts("werkdruk", is_word, verbs), ["werk", "druk"]);
    }

    #[test]
    fn a_root_does_not_end_in_a_vowel_that_the_suffix_would_lengthen() {
        // voering is voer + ing (a diaeresis would mark vo-ering), so gespreksvoering is no
        // Latinate word and its tail "voering" may split off
        check_root("gespreksvoering", None);
        let words = ["gesprek", "voering"];
        let is_word = |w: &str| words.contains(&w);
        assert_eq!(
            compound_parts("gespreksvoering", is_word, any),
            ["gesprek", "voering"]
        );
    }

    #[test]
    fn a_known_word_is_not_split_after_a_particle() {
        let words = [
            "onder",
            "zoek",
            "onderzoek",
            "over",
            "leggen",
            "overleggen",
            "voor",
            "beeld",
            "opleiding",
            "onderwijs",
            "wijs",
            "jeugd",
            "zorg",
        ];
        let is_word = |w: &str| words.contains(&w);
        for w in ["onderzoek", "overleggen"] {
            assert!(compound_parts(w, is_word, any).is_empty(), "{w}");
        }
        // A compound the lexicon does not know whole still splits after one.
        assert_eq!(compound_parts("voorbeeld", is_word, any), ["voor", "beeld"]);
        assert_eq!(compound_parts("jeugdzorg", is_word, any), ["jeugd", "zorg"]);
    }
}
