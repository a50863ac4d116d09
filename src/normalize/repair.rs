//! Word repairs for text that came from OCR: character confusions ("lk" → "Ik", "cliénten" →
//! "cliënten", "\erder" → "Verder"), words run together ("creatiefin" → "creatief in"), words
//! broken apart ("professio nals" → "professionals") and letter-spaced headings ("Aa n b eve | I
//! n ge n" → "Aanbevelingen").
//!
//! Invariant: a token changes only when the original is not a Dutch word and the result is one
//! (by the lexicon), or when the document itself uses the result at least twice and more often
//! than the original. Names, numbers and words the lexicon does not know stay as they are, and
//! every change is reported as a `Diagnostic`.

use std::collections::HashMap;

use crate::lexicon::Lexicon;
use crate::model::{Diagnostic, LaidPage, Rule};

/// How often each word form occurs in the document, lowercased.
pub struct Vocabulary {
    lower: HashMap<String, usize>,
}

impl Vocabulary {
    pub fn of(pages: &[LaidPage]) -> Vocabulary {
        let mut lower = HashMap::new();
        for page in pages {
            for line in &page.lines {
                for token in line.text.split_whitespace() {
                    let w = token_core(token);
                    if !w.is_empty() {
                        *lower.entry(w.to_lowercase()).or_insert(0) += 1;
                    }
                }
            }
        }
        Vocabulary { lower }
    }

    pub fn count(&self, word: &str) -> usize {
        self.lower.get(&word.to_lowercase()).copied().unwrap_or(0)
    }
}

/// The word inside a token, without surrounding punctuation.
pub fn token_core(token: &str) -> &str {
    token.trim_matches(|c: char| !c.is_alphanumeric() && c != '\\' && c != '|')
}

/// Decides whether a repaired form may replace an original one.
pub struct Judge<'a> {
    pub vocab: &'a Vocabulary,
    pub lexicon: &'a Lexicon,
}

/// Why a repair was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    Lexicon,
    Document,
}

impl Judge<'_> {
    fn known(&self, word: &str) -> bool {
        self.lexicon.contains(word)
    }

    /// `Some` when `candidate` may replace `original`.
    fn accepts(&self, original: &str, candidate: &str) -> Option<Evidence> {
        if self.known(original) {
            return None;
        }
        let (own, theirs) = (self.vocab.count(original), self.vocab.count(candidate));
        // A form the document uses again and again is its own word (a name, a term, a
        // spelling such as "client"), unless the repaired form is used as often.
        if own >= 2 && theirs < own {
            return None;
        }
        // Short words are where the lexicon has the most accidental hits ("df" → "di"): they
        // need the document's own evidence.
        if self.known(candidate) && candidate.chars().count() >= 4 {
            Some(Evidence::Lexicon)
        } else if theirs >= 2 && theirs > own {
            Some(Evidence::Document)
        } else {
            None
        }
    }
}

/// What OCR engines read for what was printed, as (read, printed, rule).
/// A diaeresis that is missing altogether is not among them: publications write "client" too.
const CONFUSIONS: [(&str, &str, Rule); 23] = [
    ("é", "ë", Rule::OcrEAcuteForDiaeresis),
    ("è", "ë", Rule::OcrEGraveForDiaeresis),
    ("í", "i", Rule::OcrIAcuteForI),
    ("ì", "i", Rule::OcrIGraveForI),
    ("Q", "O", Rule::OcrQForO),
    ("0", "O", Rule::OcrZeroForO),
    ("jj", "ij", Rule::OcrJjForIj),
    ("y", "ij", Rule::OcrYForIj),
    ("Ii", "li", Rule::OcrCapitalIForL),
    ("I", "l", Rule::OcrCapitalIForL),
    ("i", "l", Rule::OcrIForL),
    ("l", "i", Rule::OcrLForI),
    ("1", "l", Rule::OcrOneForL),
    ("|", "l", Rule::OcrBarForL),
    ("!", "l", Rule::OcrExclamationForL),
    ("rn", "m", Rule::OcrRnForM),
    ("m", "rn", Rule::OcrMForRn),
    ("cl", "d", Rule::OcrClForD),
    ("vv", "w", Rule::OcrVvForW),
    ("f", "i", Rule::OcrFForI),
    ("f", "t", Rule::OcrFForT),
    ("t", "f", Rule::OcrTForF),
    ("c", "e", Rule::OcrCForE),
];

/// Candidate repairs of one word for the confusions OCR engines make on Dutch text.
fn confusion_candidates(word: &str) -> Vec<(String, Rule)> {
    let mut out = Vec::new();
    let mut push = |s: String, rule: Rule| {
        if s != word && !s.is_empty() {
            out.push((s, rule));
        }
    };
    // "lk" for "Ik": a capital I read as a lowercase l, at the start of a word.
    if let Some(rest) = word.strip_prefix('l') {
        if rest.starts_with(|c: char| c.is_lowercase()) {
            push(format!("I{rest}"), Rule::OcrLForCapitalI);
        }
    }
    // "\erder" and "\/olgens" for "Verder" and "Volgens".
    if let Some(rest) = word.strip_prefix("\\/").or_else(|| word.strip_prefix('\\')) {
        push(format!("V{rest}"), Rule::OcrBackslashForV);
    }
    // "IWe" for "We": a stray bar before a capital.
    if word.starts_with('I') && word[1..].starts_with(|c: char| c.is_uppercase()) {
        push(word[1..].to_string(), Rule::OcrStrayBar);
    }
    for (from, to, rule) in CONFUSIONS {
        // "y" for "ij" only in longer words: short ones are abbreviations and English.
        if from == "y" && word.chars().count() < 5 {
            continue;
        }
        for (idx, _) in word.match_indices(from) {
            // A capital I at the start is a capital, and "IJ" is a Dutch capital pair.
            if from == "I" && (idx == 0 || word[idx + 1..].starts_with('J')) {
                continue;
            }
            let mut s = word.to_string();
            s.replace_range(idx..idx + from.len(), to);
            push(s, rule);
        }
    }
    // A stray capital inside a lowercase word ("tijJdens").
    let chars: Vec<char> = word.chars().collect();
    for i in 1..chars.len() {
        if chars[i].is_uppercase() && chars[i - 1].is_lowercase() {
            let s: String = chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| *c)
                .collect();
            push(s, Rule::OcrStrayCapital);
        }
    }
    // Two confusions in one longer word ("protessionais").
    if word.chars().count() >= 8 {
        let singles = out.clone();
        for (first, rule) in &singles {
            for (second, _) in &singles {
                if let Some(both) = combine(word, first, second) {
                    out.push((both, *rule));
                }
            }
        }
    }
    out
}

/// Applies two single repairs of `word` together, when they change different places of it.
fn combine(word: &str, first: &str, second: &str) -> Option<String> {
    // Byte lengths of the common prefix and suffix, on character boundaries.
    let prefix = |a: &str, b: &str| -> usize {
        a.chars()
            .zip(b.chars())
            .take_while(|(x, y)| x == y)
            .map(|(x, _)| x.len_utf8())
            .sum()
    };
    let suffix = |a: &str, b: &str| -> usize {
        a.chars()
            .rev()
            .zip(b.chars().rev())
            .take_while(|(x, y)| x == y)
            .map(|(x, _)| x.len_utf8())
            .sum()
    };
    // The first repair changed word[..end1) at most, the second word[start2..).
    let end1 = word.len() - suffix(word, first);
    let start2 = prefix(word, second);
    if end1 > start2 {
        return None;
    }
    let first_end = first.len() - (word.len() - end1);
    Some(format!(
        "{}{}{}",
        &first[..first_end],
        &word[end1..start2],
        &second[start2..]
    ))
}

#[cfg(test)]
mod combine_tests {
    #[test]
    fn two_repairs_in_different_places_combine() {
        let both = super::combine("protessionais", "profonessionais", "protessionals");
        assert_eq!(both.as_deref(), Some("profonessionals"));
        let both = super::combine("cliéntcn", "cliëntcn", "cliénten");
        assert_eq!(both.as_deref(), Some("cliënten"));
        assert_eq!(super::combine("abcd", "abxd", "axcd"), None);
    }
}

/// Whether a token is worth trying to repair: a word of letters, not a number, code or address.
fn repairable(core: &str) -> bool {
    core.chars().count() >= 2
        && !core
            .chars()
            .any(|c| c.is_ascii_digit() && !matches!(c, '0' | '1'))
        && !core.contains(['/', '@', '.', ':'])
        && core.chars().any(|c| c.is_alphabetic())
}

/// Replaces each token of `text` that `repair` changes, reporting every change under its rule.
fn map_tokens(
    text: &str,
    page: u32,
    diags: &mut Vec<Diagnostic>,
    mut repair: impl FnMut(&str) -> Option<(String, Rule)>,
) -> String {
    let mut out: Vec<String> = Vec::new();
    for token in text.split_whitespace() {
        match repair(token) {
            Some((repaired, rule)) => {
                diags.push(Diagnostic {
                    page,
                    rule,
                    original: token.to_string(),
                    result: repaired.clone(),
                });
                out.push(repaired);
            }
            None => out.push(token.to_string()),
        }
    }
    out.join(" ")
}

/// Repairs the OCR confusions in the words of one line.
pub fn repair_confusions(
    text: &str,
    judge: &Judge,
    page: u32,
    diags: &mut Vec<Diagnostic>,
) -> String {
    map_tokens(text, page, diags, |token| {
        let core = token_core(token);
        if !repairable(core) || judge.known(core) {
            return None;
        }
        let (_, cand, rule) = confusion_candidates(core)
            .into_iter()
            .filter_map(|(c, rule)| judge.accepts(core, &c).map(|e| (e, c, rule)))
            // The lexicon's word first, then the form the document uses most, then table order.
            .min_by_key(|(e, c, _)| (*e != Evidence::Lexicon, usize::MAX - judge.vocab.count(c)))?;
        Some((token.replacen(core, &cand, 1), rule))
    })
}

/// Splits words that OCR ran together ("creatiefin", "beschikProfessionals", "van:Ja") where
/// both parts are Dutch words and the whole is not.
pub fn split_run_together(
    text: &str,
    judge: &Judge,
    page: u32,
    diags: &mut Vec<Diagnostic>,
) -> String {
    map_tokens(text, page, diags, |token| {
        split_token(token, judge).map(|split| (split, Rule::OcrLostSpace))
    })
}

fn split_token(token: &str, judge: &Judge) -> Option<String> {
    let core = token_core(token);
    let start = token.find(core)?;
    let (head, tail) = (&token[..start], &token[start + core.len()..]);
    // A sentence mark between two words ("autorijden:Je").
    if let Some(i) = core.find([':', ';', '.', ',', '?', '!']) {
        let (left, right) = (&core[..i + 1], &core[i + 1..]);
        let left_word = token_core(left);
        if core[i + 1..].starts_with(|c: char| c.is_uppercase())
            && left_word.chars().count() >= 2
            && right.chars().count() >= 2
            && judge.known(left_word)
            && judge.known(right)
            && !core.contains(['/', '@'])
        {
            return Some(format!("{head}{left} {right}{tail}"));
        }
        return None;
    }
    if core.chars().count() < 5
        || !core.chars().all(|c| c.is_alphabetic())
        || judge.known(core)
        || judge.vocab.count(core) > 1
    {
        return None;
    }
    let bounds: Vec<usize> = core.char_indices().map(|(i, _)| i).skip(2).collect();
    let best = bounds
        .into_iter()
        .filter(|&i| core[i..].chars().count() >= 2)
        .filter(|&i| {
            let (left, right) = (&core[..i], &core[i..]);
            // Dutch writes compounds as one word, and the lexicon does not know them all, so
            // two words are only split apart where the join cannot be a compound: at a capital
            // after a lowercase letter ("beschikProfessionals"), or where one part is a word
            // that never forms compounds ("creatiefin", "alsje", "dede").
            let capital = right.starts_with(|c: char| c.is_uppercase())
                && left.ends_with(|c: char| c.is_lowercase());
            let lowercase = right.starts_with(|c: char| c.is_lowercase());
            let function_word = NEVER_HEADS.contains(&right)
                || NEVER_MODIFIERS.contains(&left.to_lowercase().as_str());
            (capital || lowercase && function_word) && judge.known(left) && judge.known(right)
        })
        .max_by_key(|&i| {
            let (left, right) = (&core[..i], &core[i..]);
            let attested = judge.vocab.count(left).min(judge.vocab.count(right));
            let balance = left.chars().count().min(right.chars().count());
            (attested.min(3), balance)
        })?;
    Some(format!("{head}{} {}{tail}", &core[..best], &core[best..]))
}

/// Function words that never end a compound: a word that ends in one was two words.
/// Suffix-like words ("en", "er", "de", "te", "je") are not among them: they end plurals,
/// comparatives and diminutives.
const NEVER_HEADS: [&str; 22] = [
    "in", "het", "een", "van", "dat", "die", "is", "niet", "ook", "wel", "dan", "nog", "met", "ze",
    "we", "hij", "zij", "ik", "wat", "hoe", "als", "zijn",
];

/// Function words that never start a compound: a word that starts with one was two words.
/// Words that are also prefixes ("op", "aan", "voor", "over") are not among them.
const NEVER_MODIFIERS: [&str; 14] = [
    "de", "het", "een", "dat", "die", "je", "ik", "is", "wat", "hoe", "als", "dan", "ze", "we",
];

/// Joins the pieces of a word that OCR broke apart ("professio nals") when neither piece is a
/// word and the whole is.
pub fn join_broken(text: &str, judge: &Judge, page: u32, diags: &mut Vec<Diagnostic>) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(next) = tokens.get(i + 1) {
            let (a, b) = (tokens[i], *next);
            let letters = |t: &str| t.chars().all(|c| c.is_alphabetic());
            let a_word = a.trim_start_matches(|c: char| !c.is_alphanumeric());
            let b_word = token_core(b);
            let joined = format!("{a_word}{b_word}");
            if letters(a_word)
                && b.starts_with(|c: char| c.is_lowercase())
                && !a_word.is_empty()
                && !judge.known(a_word)
                && !judge.known(b_word)
                && judge.known(&joined)
            {
                let result = format!("{a}{b}");
                diags.push(Diagnostic {
                    page,
                    rule: Rule::OcrBrokenWord,
                    original: format!("{a} {b}"),
                    result: result.clone(),
                });
                out.push(result);
                i += 2;
                continue;
            }
        }
        out.push(tokens[i].to_string());
        i += 1;
    }
    out.join(" ")
}

/// Joins a run of letter-spaced scraps ("Aa n b eve | I n ge n") when the joined word is a Dutch
/// word or occurs elsewhere in the document.
pub fn join_letter_spaced(
    text: &str,
    judge: &Judge,
    page: u32,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let short =
        |t: &str| t.chars().count() <= 3 && t.chars().all(|c| c.is_alphabetic() || c == '|');
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        while j < tokens.len() && short(tokens[j]) {
            j += 1;
        }
        if j - i >= 4 {
            let joined: String = tokens[i..j].concat();
            let capitalised = |v: &str| {
                let mut chars = v.chars();
                let first = chars.next().map(|c| c.to_string()).unwrap_or_default();
                first + &chars.as_str().to_lowercase()
            };
            let variants = [
                capitalised(&joined.replace('|', "l")),
                capitalised(&joined.replace('|', "l").replace('I', "i")),
            ];
            let found = variants
                .into_iter()
                .find(|v| v.chars().count() >= 6 && (judge.known(v) || judge.vocab.count(v) >= 1));
            if let Some(word) = found {
                diags.push(Diagnostic {
                    page,
                    rule: Rule::LetterSpacing,
                    original: tokens[i..j].join(" "),
                    result: word.clone(),
                });
                out.push(word);
                i = j;
                continue;
            }
        }
        if j > i {
            out.extend(tokens[i..j].iter().map(|t| t.to_string()));
            i = j;
        } else {
            out.push(tokens[i].to_string());
            i += 1;
        }
    }
    out.join(" ")
}
