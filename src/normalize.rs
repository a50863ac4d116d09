//! `LaidPage`s → `CleanPage`s: removes page furniture (running headers and footers, page
//! numbers, which become page labels), decoration residue and bullets, expands ligatures, joins
//! words hyphenated across lines and repairs common OCR confusions.
//!
//! Invariant: pure and total: no I/O, never fails, and every change is reported as a
//! `Diagnostic`. A token is only changed into a form that the same document uses more often
//! than the token itself, so names, numbers and rare words stay as they are.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::model::{CleanPage, Diagnostic, LaidPage, Line};

/// The result of normalising a document.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub pages: Vec<CleanPage>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Normalises all pages of one document together: furniture is recognised by repeating across
/// pages, and repairs are judged by the words of the whole document.
pub fn normalize(pages: &[LaidPage]) -> Normalized {
    let mut diags = Vec::new();
    let mut pages: Vec<LaidPage> = pages.iter().map(|p| clean_characters(p)).collect();
    let labels = remove_furniture(&mut pages, &mut diags);
    for page in &mut pages {
        remove_decoration(page, &mut diags);
        mark_bullets(page, &mut diags);
    }
    let vocab = Vocabulary::of(&pages);
    for page in &mut pages {
        for line in &mut page.lines {
            let repaired = repair_tokens(&line.text, &vocab, page.number, &mut diags);
            line.text = join_letter_spaced(&repaired, &vocab, page.number, &mut diags);
        }
        dehyphenate(page, &vocab, &mut diags);
        page.lines.retain(|l| !l.text.trim().is_empty());
    }
    let pages = pages
        .into_iter()
        .zip(labels)
        .map(|(p, label)| CleanPage {
            number: p.number,
            label,
            lines: p.lines,
        })
        .collect();
    Normalized {
        pages,
        diagnostics: diags,
    }
}

/// Ligatures expanded, NUL and control characters dropped, Unicode NFC, white space folded.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            // Soft hyphens mark where a word may break; a break that happened is drawn as a
            // hyphen of its own.
            '\u{00AD}' => {}
            '\u{2010}' | '\u{2011}' => out.push('-'),
            '\u{00A0}' | '\u{2009}' | '\u{202F}' | '\u{2007}' => out.push(' '),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    let nfc: String = out.nfc().collect();
    let folded: Vec<&str> = nfc.split_whitespace().collect();
    folded.join(" ")
}

fn clean_characters(page: &LaidPage) -> LaidPage {
    let mut page = page.clone();
    for line in &mut page.lines {
        line.text = clean_text(&line.text);
    }
    page.lines.retain(|l| !l.text.is_empty());
    page
}

/// The shape of a furniture line: digits masked, so "14" and "15" or dates look the same.
fn furniture_key(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn in_margin(line: &Line, page: &LaidPage) -> bool {
    let h = page.height.max(1.0);
    line.bottom < 0.09 * h || line.top > 0.91 * h
}

fn page_number_in(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_prefix("Pagina ")
        .or_else(|| t.strip_prefix("pagina "))
        .or_else(|| t.strip_prefix("Page "))
        .unwrap_or(t);
    let first = t.split(['/', ' ']).next().unwrap_or("");
    let rest_ok = t[first.len()..]
        .trim_start_matches([' ', '/'])
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '/');
    let is_num = !first.is_empty() && first.len() <= 4 && first.chars().all(|c| c.is_ascii_digit());
    (is_num && rest_ok).then(|| first.to_string())
}

fn looks_like_print_furniture(text: &str) -> bool {
    let t = text.trim();
    let url = t.starts_with("file://") || t.starts_with("http://") || t.starts_with("https://");
    let date = {
        let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
        let has_time = t.contains(':');
        let has_sep = t.contains('-') || t.contains('/');
        digits >= 6 && has_time && has_sep && t.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    url || date
}

/// Removes running headers, footers and page numbers; returns each page's label.
fn remove_furniture(pages: &mut [LaidPage], diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let n_pages = pages.len();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        let mut seen: Vec<String> = page
            .lines
            .iter()
            .filter(|l| in_margin(l, page))
            .map(|l| furniture_key(&l.text))
            .collect();
        seen.sort();
        seen.dedup();
        for k in seen {
            *counts.entry(k).or_default() += 1;
        }
    }
    let repeated = |k: &str| {
        let n = counts.get(k).copied().unwrap_or(0);
        // On every page of a short document, or on a good share of the pages of a long one.
        n >= 2 && (n == n_pages || (n_pages >= 3 && n * 10 >= n_pages * 3))
    };
    let mut labels = Vec::with_capacity(n_pages);
    for page in pages.iter_mut() {
        let mut label = None;
        let number = page.number;
        let (width, height) = (page.width, page.height);
        page.lines.retain(|l| {
            let probe = LaidPage {
                width,
                height,
                ..Default::default()
            };
            if !in_margin(l, &probe) {
                return true;
            }
            if let Some(n) = page_number_in(&l.text) {
                if label.is_none() {
                    label = Some(n);
                }
                diags.push(Diagnostic {
                    page: number,
                    rule: "page-number".into(),
                    original: l.text.clone(),
                    result: String::new(),
                });
                return false;
            }
            if repeated(&furniture_key(&l.text)) || looks_like_print_furniture(&l.text) {
                diags.push(Diagnostic {
                    page: number,
                    rule: "running-header".into(),
                    original: l.text.clone(),
                    result: String::new(),
                });
                return false;
            }
            true
        });
        labels.push(label.unwrap_or_else(|| number.to_string()));
    }
    labels
}

/// Lines that are box corners, rules and specks read as characters: no word of two letters
/// and no figure, or only a few one- and two-letter scraps.
fn is_decoration(text: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let has_digit = text.chars().any(|c| c.is_ascii_digit());
    let longest_word = tokens
        .iter()
        .map(|t| t.chars().filter(|c| c.is_alphabetic()).count())
        .max()
        .unwrap_or(0);
    if has_digit {
        return false;
    }
    if longest_word < 2 {
        return true;
    }
    let scraps = tokens.len() <= 3 && tokens.iter().all(|t| t.chars().count() <= 2);
    let symbol = tokens
        .iter()
        .any(|t| t.chars().all(|c| !c.is_alphanumeric()));
    scraps && (symbol || tokens.len() >= 2 && tokens.iter().any(|t| t.chars().count() == 1))
}

fn remove_decoration(page: &mut LaidPage, diags: &mut Vec<Diagnostic>) {
    let number = page.number;
    for line in &mut page.lines {
        if line.text.contains(".....") {
            let kept: Vec<&str> = line
                .text
                .split_whitespace()
                .filter(|t| !t.contains("...."))
                .collect();
            let result = kept.join(" ");
            diags.push(Diagnostic {
                page: number,
                rule: "dotted-leader".into(),
                original: line.text.clone(),
                result: result.clone(),
            });
            line.text = result;
        }
    }
    page.lines.retain(|l| {
        let drop = !l.text.is_empty() && is_decoration(&l.text);
        if drop {
            diags.push(Diagnostic {
                page: number,
                rule: "decoration".into(),
                original: l.text.clone(),
                result: String::new(),
            });
        }
        !drop
    });
}

const BULLETS: [&str; 12] = [
    "●●", "••", "●", "•", "▪", "■", "◦", "○", "\u{F0B7}", "\u{FFFD}", "➢", "►",
];

/// Splits a bullet off the start of a line. OCR reads round bullets as "O", "@" or "e"; those
/// count only when a capitalised word follows, which a Dutch "O" or "e" never precedes.
fn strip_bullet(text: &str) -> Option<&str> {
    for b in BULLETS {
        if let Some(rest) = text.strip_prefix(b) {
            return Some(rest.trim_start());
        }
    }
    for b in [
        "O ", "@ ", "e ", "° ", "o ", "* ", "- ", "– ", "« ", "» ", "«", "»",
    ] {
        if let Some(rest) = text.strip_prefix(b) {
            if rest.chars().next().is_some_and(|c| c.is_uppercase()) {
                return Some(rest);
            }
        }
    }
    None
}

fn mark_bullets(page: &mut LaidPage, diags: &mut Vec<Diagnostic>) {
    let mut block = 0u32;
    let mut last_old = None;
    for (i, line) in page.lines.iter_mut().enumerate() {
        if let Some(rest) = strip_bullet(&line.text).filter(|_| !line.list_item) {
            diags.push(Diagnostic {
                page: page.number,
                rule: "bullet".into(),
                original: line.text.clone(),
                result: rest.to_string(),
            });
            line.text = rest.to_string();
            line.list_item = true;
        }
        // Renumber blocks so that every list item starts a block of its own.
        if i > 0 && (last_old != Some(line.block) || line.list_item) {
            block += 1;
        }
        last_old = Some(line.block);
        line.block = block;
    }
}

/// How often each word form occurs in the document, lowercased.
pub struct Vocabulary {
    lower: HashMap<String, usize>,
}

impl Vocabulary {
    fn of(pages: &[LaidPage]) -> Vocabulary {
        let mut lower = HashMap::new();
        for page in pages {
            for line in &page.lines {
                for token in line.text.split_whitespace() {
                    let w = token_core(token);
                    if w.is_empty() {
                        continue;
                    }
                    *lower.entry(w.to_lowercase()).or_insert(0) += 1;
                }
            }
        }
        Vocabulary { lower }
    }

    fn count(&self, word: &str) -> usize {
        self.lower.get(&word.to_lowercase()).copied().unwrap_or(0)
    }
}

/// The word inside a token, without surrounding punctuation.
fn token_core(token: &str) -> &str {
    token.trim_matches(|c: char| !c.is_alphanumeric() && c != '\\' && c != '|')
}

/// Candidate repairs of one word for the confusions OCR engines make on Dutch text.
fn confusion_candidates(word: &str) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut push = |s: String, rule: &'static str| {
        if s != word && !s.is_empty() {
            out.push((s, rule));
        }
    };
    // "lk" for "Ik", "\erder" and "\/olgens" for "Verder" and "Volgens".
    if let Some(rest) = word.strip_prefix("l") {
        if rest.starts_with(|c: char| c.is_lowercase()) {
            push(format!("I{rest}"), "ocr-l-for-I");
        }
    }
    if let Some(rest) = word.strip_prefix("\\/").or_else(|| word.strip_prefix("\\")) {
        push(format!("V{rest}"), "ocr-backslash-for-V");
    }
    if word.starts_with('I') && word.len() > 1 && word[1..].starts_with(|c: char| c.is_uppercase())
    {
        // "IWe" for "We": a stray bar before a capital.
        push(word[1..].to_string(), "ocr-stray-bar");
    }
    // Letter confusions inside a word.
    let swaps: [(&str, &str, &str); 8] = [
        ("é", "ë", "ocr-e-acute-for-diaeresis"),
        ("Q", "O", "ocr-Q-for-O"),
        ("jj", "ij", "ocr-jj-for-ij"),
        ("Ii", "li", "ocr-I-for-l"),
        ("I", "l", "ocr-I-for-l"),
        ("rn", "m", "ocr-rn-for-m"),
        ("f", "i", "ocr-f-for-i"),
        ("Jj", "J", "ocr-Jj-for-J"),
    ];
    for (from, to, rule) in swaps {
        for (idx, _) in word.match_indices(from) {
            if from == "I" && idx == 0 {
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
            push(s, "ocr-stray-capital");
        }
    }
    out
}

/// Repairs the words of one line whose repaired form the document uses at least twice, and
/// more often than the form found here.
fn repair_tokens(text: &str, vocab: &Vocabulary, page: u32, diags: &mut Vec<Diagnostic>) -> String {
    let mut out: Vec<String> = Vec::new();
    for token in text.split_whitespace() {
        let core = token_core(token);
        if core.chars().count() < 2 || core.chars().any(|c| c.is_ascii_digit()) {
            out.push(token.to_string());
            continue;
        }
        let own = vocab.count(core);
        let best = confusion_candidates(core)
            .into_iter()
            .map(|(c, rule)| (vocab.count(&c), c, rule))
            .filter(|(n, _, _)| *n >= 2 && *n > own)
            .max_by_key(|(n, _, _)| *n);
        match best {
            Some((_, cand, rule)) => {
                let repaired = token.replacen(core, &cand, 1);
                diags.push(Diagnostic {
                    page,
                    rule: rule.into(),
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

/// Joins a run of letter-spaced scraps ("Aa n b eve | I n ge n") when the joined word occurs
/// elsewhere in the document.
fn join_letter_spaced(
    text: &str,
    vocab: &Vocabulary,
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
            let variants = [
                joined.replace('|', "l").replace('I', "i"),
                joined.replace('|', "l"),
            ];
            let found = variants.iter().find(|v| {
                let mut lower = v.to_lowercase();
                if let Some(first) = v.chars().next() {
                    lower.replace_range(..first.len_utf8(), &first.to_string());
                }
                vocab.count(v) >= 1 && v.chars().count() >= 6
            });
            if let Some(v) = found {
                let mut chars = v.chars();
                let first = chars.next().map(|c| c.to_string()).unwrap_or_default();
                let word = first + &chars.as_str().to_lowercase();
                diags.push(Diagnostic {
                    page,
                    rule: "letter-spacing".into(),
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

/// Words that follow a hyphen kept as a real one: "voor- en achteraf", "bij- of nascholing".
const CONJUNCTIONS: [&str; 4] = ["en", "of", "tot", "noch"];

fn dehyphenate(page: &mut LaidPage, vocab: &Vocabulary, diags: &mut Vec<Diagnostic>) {
    for i in 0..page.lines.len().saturating_sub(1) {
        if page.lines[i].block != page.lines[i + 1].block || page.lines[i + 1].list_item {
            continue;
        }
        let line = &page.lines[i].text;
        let Some(stem) = line.strip_suffix('-') else {
            continue;
        };
        let left = stem.rsplit(' ').next().unwrap_or("");
        if !left.chars().last().is_some_and(|c| c.is_alphabetic()) {
            continue;
        }
        let next = page.lines[i + 1].text.clone();
        let right_token = next.split(' ').next().unwrap_or("");
        let right = token_core(right_token);
        if !right.chars().next().is_some_and(|c| c.is_lowercase()) || CONJUNCTIONS.contains(&right)
        {
            continue;
        }
        let left_core = token_core(left);
        let hyphenated = format!("{left_core}-{right}");
        let joined = format!("{left_core}{right}");
        let keep_hyphen = vocab.count(&hyphenated) > 0 && vocab.count(&joined) == 0;
        let (word, rule) = if keep_hyphen {
            (format!("{left}-{right_token}"), "hyphen-kept")
        } else {
            (format!("{left}{right_token}"), "dehyphenate")
        };
        diags.push(Diagnostic {
            page: page.number,
            rule: rule.into(),
            original: format!("{left}-|{right_token}"),
            result: word.clone(),
        });
        let head = &stem[..stem.len() - left.len()];
        page.lines[i].text = format!("{head}{word}");
        page.lines[i + 1].text = next[right_token.len()..].trim_start().to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, top: f32, block: u32) -> Line {
        Line {
            text: text.into(),
            x0: 50.0,
            x1: 300.0,
            top,
            bottom: top + 10.0,
            size: 10.0,
            block,
            boxed: false,
            list_item: false,
            bold: false,
            cells: Vec::new(),
        }
    }

    fn page(number: u32, lines: Vec<Line>) -> LaidPage {
        LaidPage {
            number,
            width: 595.0,
            height: 842.0,
            lines,
        }
    }

    fn texts(n: &Normalized) -> Vec<Vec<String>> {
        n.pages
            .iter()
            .map(|p| p.lines.iter().map(|l| l.text.clone()).collect())
            .collect()
    }

    #[test]
    fn ligatures_and_decomposed_diacritics_are_normalised() {
        assert_eq!(clean_text("pro\u{FB01}el  cliënten"), "profiel cliënten");
        assert_eq!(clean_text("clie\u{308}nten"), "cliënten");
    }

    #[test]
    fn running_headers_and_page_numbers_are_removed_and_labels_kept() {
        let pages: Vec<LaidPage> = (1..=4)
            .map(|n| {
                page(
                    n,
                    vec![
                        line("Kennisnetwerk Jeugd Haaglanden | Al doende leren", 20.0, 0),
                        line("Tekst van de pagina", 300.0, 1),
                        line(&format!("{}", n + 12), 810.0, 2),
                    ],
                )
            })
            .collect();
        let n = normalize(&pages);
        assert_eq!(texts(&n)[0], ["Tekst van de pagina"]);
        assert_eq!(n.pages[2].label, "15");
    }

    #[test]
    fn box_residue_is_dropped_but_figures_stay() {
        let p = page(
            1,
            vec![
                line("( )", 100.0, 0),
                line("e N", 120.0, 1),
                line("\\ J", 130.0, 2),
                line("79%", 140.0, 3),
                line("Leren in de praktijk", 160.0, 4),
            ],
        );
        assert_eq!(texts(&normalize(&[p]))[0], ["79%", "Leren in de praktijk"]);
    }

    #[test]
    fn ocr_bullets_are_removed_and_start_list_items() {
        let p = page(
            1,
            vec![
                line("O Stimuleer een lerende cultuur", 100.0, 0),
                line("@ Organiseer leren", 112.0, 0),
            ],
        );
        let n = normalize(&[p]);
        assert_eq!(
            texts(&n)[0],
            ["Stimuleer een lerende cultuur", "Organiseer leren"]
        );
        assert!(n.pages[0].lines.iter().all(|l| l.list_item));
        assert_ne!(n.pages[0].lines[0].block, n.pages[0].lines[1].block);
    }

    #[test]
    fn line_end_hyphens_are_joined_but_real_hyphens_kept() {
        let p = page(
            1,
            vec![
                line("vaste momenten met jeugdhulppro-", 100.0, 0),
                line("fessionals en het voor-", 112.0, 0),
                line("en achteraf bespreken van de werk-", 124.0, 0),
                line("privé balans en werk-privé afspraken", 136.0, 0),
            ],
        );
        let n = normalize(&[p]);
        assert_eq!(n.pages[0].text(), "vaste momenten met jeugdhulpprofessionals en het voor- en achteraf bespreken van de werk-privé balans en werk-privé afspraken");
    }

    #[test]
    fn ocr_confusions_are_repaired_only_towards_forms_the_document_uses() {
        let p = page(
            1,
            vec![
                line("lk leer van collega's.", 100.0, 0),
                line("Ik denk het. Ik weet het.", 120.0, 1),
                line("\\erder is er Verder en verder.", 140.0, 2),
                line("Het PEQ en het PEO en PEO.", 160.0, 3),
                line("Een I is geen Ik.", 180.0, 4),
            ],
        );
        let n = normalize(&[p]);
        assert_eq!(
            texts(&n)[0],
            [
                "Ik leer van collega's.",
                "Ik denk het. Ik weet het.",
                "Verder is er Verder en verder.",
                "Het PEO en het PEO en PEO.",
                "Een I is geen Ik."
            ]
        );
        assert!(n
            .diagnostics
            .iter()
            .any(|d| d.rule == "ocr-l-for-I" && d.original == "lk"));
    }

    #[test]
    fn letter_spaced_headings_are_joined() {
        let p = page(
            1,
            vec![
                line("Aa n b eve | I n ge n", 100.0, 0),
                line("De aanbevelingen volgen.", 120.0, 1),
            ],
        );
        assert_eq!(texts(&normalize(&[p]))[0][0], "Aanbevelingen");
    }
}
