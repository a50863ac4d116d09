//! `LaidPage`s → `CleanPage`s: removes page furniture (running headers and footers, page
//! numbers, which become page labels), decoration residue and bullets, expands ligatures, joins
//! words hyphenated across lines and, on pages whose text came from OCR, drops the marks OCR
//! reads off specks at a line's ends and repairs what OCR does to words (see `repair`).
//!
//! Invariant: pure and total: no I/O, never fails, and every change is reported as a
//! `Diagnostic`. Word repairs follow the rule of `repair`: only towards a Dutch word (by the
//! lexicon) or a form the document itself uses more often, so names, numbers and unknown words
//! stay as they are; born-digital pages get no OCR repairs at all.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::lexicon::Lexicon;
use crate::model::{CleanPage, Diagnostic, LaidPage, Line, Rule};

mod repair;

use repair::{token_core, Judge, Vocabulary};

/// The result of normalising a document.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub pages: Vec<CleanPage>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Normalises all pages of one document together: furniture is recognised by repeating across
/// pages, and repairs are judged by the words of the whole document.
pub fn normalize(pages: &[LaidPage], lexicon: &Lexicon) -> Normalized {
    let mut diags = Vec::new();
    let mut pages: Vec<LaidPage> = pages.iter().map(|p| clean_characters(p)).collect();
    let labels = remove_furniture(&mut pages, &mut diags);
    for page in &mut pages {
        remove_decoration(page, &mut diags);
        mark_bullets(page, &mut diags);
    }
    let vocab = Vocabulary::of(&pages);
    let judge = Judge {
        vocab: &vocab,
        lexicon,
    };
    for page in &mut pages {
        let number = page.number;
        if page.ocr {
            trim_ocr_debris(page, &vocab, &mut diags);
        }
        for line in &mut page.lines {
            line.text = repair::join_letter_spaced(&line.text, &judge, number, &mut diags);
        }
        dehyphenate(page, &judge, &mut diags);
        if page.ocr {
            for line in &mut page.lines {
                let text = repair::join_broken(&line.text, &judge, number, &mut diags);
                let text = repair::repair_confusions(&text, &judge, number, &mut diags);
                line.text = repair::split_run_together(&text, &judge, number, &mut diags);
            }
        }
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
        // A table row's cells are cleaned here too, once, for the tables segmentation builds.
        for cell in &mut line.cells {
            *cell = clean_text(cell);
        }
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
    // The sizes each repeated text is set in, over all its margin lines.
    let mut sizes: HashMap<String, Vec<f32>> = HashMap::new();
    for page in pages.iter() {
        let mut seen: Vec<String> = Vec::new();
        for l in page.lines.iter().filter(|l| in_margin(l, page)) {
            let key = furniture_key(&l.text);
            sizes.entry(key.clone()).or_default().push(l.size);
            seen.push(key);
        }
        seen.sort();
        seen.dedup();
        for k in seen {
            *counts.entry(k).or_default() += 1;
        }
    }
    // Furniture repeats at one size: a line set far larger than the usual instance of its
    // text is the page's own (a cover's title under a running header that repeats it).
    let usual_size: HashMap<String, f32> = sizes
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_by(f32::total_cmp);
            let median = v.get(v.len() / 2).copied().unwrap_or(0.0);
            (k, median)
        })
        .collect();
    let set_apart = |key: &str, size: f32| {
        usual_size
            .get(key)
            .is_some_and(|&usual| usual > 0.0 && size > 1.5 * usual)
    };
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
                    rule: Rule::PageNumber,
                    original: l.text.clone(),
                    result: String::new(),
                });
                return false;
            }
            let key = furniture_key(&l.text);
            if (repeated(&key) && !set_apart(&key, l.size)) || looks_like_print_furniture(&l.text) {
                diags.push(Diagnostic {
                    page: number,
                    rule: Rule::RunningHeader,
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
                rule: Rule::DottedLeader,
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
                rule: Rule::Decoration,
                original: l.text.clone(),
                result: String::new(),
            });
        }
        !drop
    });
}

/// Quotation marks that open a quotation; OCR also reads them off specks and box edges.
const OPENING_QUOTES: &str = "“‘„‚\"'«";
/// Marks that end a line as punctuation does in print; any other mark standing alone at a line
/// end, or ending a line after a space, is a speck read as text.
const CLOSING_MARKS: &str = "()[]{}”’\"'»-–—…%?!&/+";

/// Whether a token is made of marks only (no letter, no digit).
fn marks_only(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| !c.is_alphanumeric())
}

/// Whether a quotation opened at the start of line `i` is closed after it: a double one
/// anywhere later on the page (a quote runs over paragraphs and columns), a single one (a
/// quoted word, "‘grijze gebied’") in its block, by a ’ that is no apostrophe inside a word.
fn closes_quote(lines: &[Line], i: usize) -> bool {
    let double = lines[i].text.starts_with(['“', '„', '"', '«']);
    let block = lines[i].block;
    lines[i..]
        .iter()
        .enumerate()
        .take_while(|(_, l)| double || l.block == block)
        .any(|(k, l)| {
            let text = match l.text.char_indices().nth(1) {
                Some((start, _)) if k == 0 => &l.text[start..],
                None if k == 0 => "",
                _ => &l.text,
            };
            if double {
                text.contains(['”', '"', '»'])
            } else {
                let chars: Vec<char> = text.chars().collect();
                chars.iter().enumerate().any(|(j, &c)| {
                    (c == '’' || c == '\'') && !chars.get(j + 1).is_some_and(|n| n.is_alphabetic())
                })
            }
        })
}

/// What OCR reads off the specks, bullets and box edges at the ends of a line of a scan, taken
/// off that line: a mark or a mark with one letter standing before the first word ("„ meer",
/// "|E Professional", "‚F jeugdhulp"), a mark glued before a capital ("_PEO", "‘Vraag") when
/// no quotation closes after it in its block, marks standing alone at the end ("managers, :"),
/// and a word of one or two lowercase letters after a line's final punctuation that the
/// document uses nowhere else ("professionals: j", "neerleggen. oe"). Only OCR pages get this:
/// in born-digital text every mark was set on purpose.
fn trim_ocr_debris(page: &mut LaidPage, vocab: &Vocabulary, diags: &mut Vec<Diagnostic>) {
    for i in 0..page.lines.len() {
        let original = page.lines[i].text.clone();
        // Only a line holding an opening quotation mark asks whether it is closed later.
        let unclosed =
            original.contains(|c| OPENING_QUOTES.contains(c)) && !closes_quote(&page.lines, i);
        let mut tokens: Vec<&str> = original.split_whitespace().collect();
        while tokens.len() > 1 {
            let first = tokens[0];
            let has_quote = first.chars().any(|c| OPENING_QUOTES.contains(c));
            let standalone_quote = first.chars().all(|c| OPENING_QUOTES.contains(c));
            let speck = marks_only(first)
                && !first.contains(['(', '[', '%', '-', '–', '—', '…'])
                && (standalone_quote || !has_quote || unclosed);
            let mark_and_letter = first.chars().count() == 2
                && first.chars().filter(|c| c.is_alphabetic()).count() == 1
                && first
                    .chars()
                    .any(|c| !c.is_alphanumeric() && !"'’‘(".contains(c));
            if !(speck || mark_and_letter) {
                break;
            }
            tokens.remove(0);
        }
        while tokens.len() > 1 {
            let last = tokens[tokens.len() - 1];
            let before = tokens[tokens.len() - 2];
            let stray_mark = marks_only(last) && !last.chars().all(|c| CLOSING_MARKS.contains(c));
            let scrap = last.chars().count() <= 2
                && last.chars().all(|c| c.is_lowercase())
                && before.ends_with(['.', ':', '?', '!'])
                && vocab.count(last) <= 1;
            if !(stray_mark || scrap) {
                break;
            }
            tokens.pop();
        }
        let mut result = tokens.join(" ");
        // One mark glued before a capital, or two ("«_Professionals": a bullet read as a
        // quotation mark and a speck as an underscore).
        let marks: Vec<char> = result
            .chars()
            .take_while(|&c| OPENING_QUOTES.contains(c) || "._|".contains(c))
            .take(3)
            .collect();
        let next = result.chars().nth(marks.len());
        let quote = marks.iter().any(|&c| OPENING_QUOTES.contains(c));
        if (1..=2).contains(&marks.len())
            && next.is_some_and(char::is_uppercase)
            && (!quote || unclosed)
        {
            let len: usize = marks.iter().map(|c| c.len_utf8()).sum();
            result.replace_range(..len, "");
        }
        if result != original {
            diags.push(Diagnostic {
                page: page.number,
                rule: Rule::OcrDebris,
                original,
                result: result.clone(),
            });
            page.lines[i].text = result;
        }
    }
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
                rule: Rule::Bullet,
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

/// Words that follow a hyphen kept as a real one: "voor- en achteraf", "bij- of nascholing".
const CONJUNCTIONS: [&str; 4] = ["en", "of", "tot", "noch"];

/// Joins words hyphenated across a line end. The next line may start a new block when the
/// layout broke a paragraph (at a column or page-region break, or a wide OCR line gap): a block
/// that starts in lowercase after a hyphen continues the previous one, and the two are merged.
/// The hyphen stays where the joined form is not a word but the hyphenated one is
/// ("werk-privé"), and before a conjunction ("voor- en achteraf").
fn dehyphenate(page: &mut LaidPage, judge: &Judge, diags: &mut Vec<Diagnostic>) {
    for i in 0..page.lines.len().saturating_sub(1) {
        let (block, next_block) = (page.lines[i].block, page.lines[i + 1].block);
        if page.lines[i + 1].list_item {
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
        let (vocab, known) = (judge.vocab, |w: &str| judge.lexicon.contains(w));
        // Across blocks the next line may belong elsewhere (reading order is a guess): join
        // only into a word the lexicon or the document knows.
        if next_block != block && !known(&joined) && vocab.count(&joined) == 0 {
            continue;
        }
        let keep_hyphen = (vocab.count(&hyphenated) > 0 && vocab.count(&joined) == 0)
            || (vocab.count(&joined) == 0 && !known(&joined) && known(&hyphenated));
        let (word, rule) = if keep_hyphen {
            (format!("{left}-{right_token}"), Rule::HyphenKept)
        } else {
            (format!("{left}{right_token}"), Rule::Dehyphenate)
        };
        diags.push(Diagnostic {
            page: page.number,
            rule,
            original: format!("{left}-|{right_token}"),
            result: word.clone(),
        });
        let head = &stem[..stem.len() - left.len()];
        page.lines[i].text = format!("{head}{word}");
        page.lines[i + 1].text = next[right_token.len()..].trim_start().to_string();
        if next_block != block {
            for l in page.lines.iter_mut().skip(i + 1) {
                if l.block == next_block {
                    l.block = block;
                }
            }
        }
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
            italic: false,
            cells: Vec::new(),
            tag: None,
        }
    }

    fn page(number: u32, lines: Vec<Line>) -> LaidPage {
        LaidPage {
            number,
            width: 595.0,
            height: 842.0,
            lines,
            ocr: true,
        }
    }

    #[test]
    fn the_cells_of_a_table_row_are_cleaned_with_its_text() {
        let mut row = line("Efﬁciënt werken 7,3", 300.0, 4);
        row.cells = vec!["Efﬁciënt\u{a0}werken".into(), " 7,3\u{ad}".into()];
        let n = normalize(&[page(1, vec![row])], Lexicon::dutch());
        assert_eq!(n.pages[0].lines[0].cells, ["Efficiënt werken", "7,3"]);
    }

    fn texts(n: &Normalized) -> Vec<Vec<String>> {
        n.pages
            .iter()
            .map(|p| p.lines.iter().map(|l| l.text.clone()).collect())
            .collect()
    }

    // More cases, as data: tests/data/normalize (running headers and page labels, box residue,
    // line-end hyphens, OCR specks, born-digital text left alone).

    #[test]
    fn a_title_set_far_larger_than_the_running_header_that_repeats_it_stays() {
        // Every page carries the running header "Al doende leren" at 8 pt in its top margin;
        // the cover also sets that title at 29 pt just below it, still inside the margin.
        let header = |top| {
            let mut l = line("Al doende leren", top, 0);
            l.size = 8.0;
            l.bottom = top + 7.0;
            l
        };
        let mut title = line("Al doende leren", 44.0, 1);
        title.size = 29.0;
        title.bottom = 73.0;
        let pages: Vec<LaidPage> = (1..=3)
            .map(|n| {
                let mut lines = vec![header(26.0)];
                if n == 1 {
                    lines.push(title.clone());
                }
                lines.push(line("De tekst van de pagina gaat hier verder.", 300.0, 2));
                page(n, lines)
            })
            .collect();
        let n = normalize(&pages, Lexicon::dutch());
        assert_eq!(
            texts(&n)[0],
            [
                "Al doende leren",
                "De tekst van de pagina gaat hier verder."
            ]
        );
        assert_eq!(n.pages[0].lines[0].size, 29.0);
        assert_eq!(texts(&n)[1], ["De tekst van de pagina gaat hier verder."]);
    }

    #[test]
    fn ligatures_and_decomposed_diacritics_are_normalised() {
        assert_eq!(clean_text("pro\u{FB01}el  cliënten"), "profiel cliënten");
        assert_eq!(clean_text("clie\u{308}nten"), "cliënten");
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
        let n = normalize(&[p], Lexicon::dutch());
        assert_eq!(
            texts(&n)[0],
            ["Stimuleer een lerende cultuur", "Organiseer leren"]
        );
        assert!(n.pages[0].lines.iter().all(|l| l.list_item));
        assert_ne!(n.pages[0].lines[0].block, n.pages[0].lines[1].block);
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
        let n = normalize(&[p], Lexicon::dutch());
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
            .any(|d| d.rule == Rule::OcrLForCapitalI && d.original == "lk"));
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
        assert_eq!(
            texts(&normalize(&[p], Lexicon::dutch()))[0][0],
            "Aanbevelingen"
        );
    }

    #[test]
    fn ocr_words_are_repaired_by_the_lexicon_and_born_digital_text_is_left_alone() {
        let lines = vec![
            line(
                "De cliénten van jeugdhuipprofessionals zijn creatiefin hun werk.",
                100.0,
                0,
            ),
            line(
                "Het gaat om professio nals en alsje twijfelt, vraag het.",
                120.0,
                1,
            ),
            line(
                "Safety-I en Deel I blijven staan, net als Hollnagel.",
                140.0,
                2,
            ),
        ];
        let scanned = normalize(&[page(1, lines.clone())], Lexicon::dutch());
        assert_eq!(
            texts(&scanned)[0],
            [
                "De cliënten van jeugdhulpprofessionals zijn creatief in hun werk.",
                "Het gaat om professionals en als je twijfelt, vraag het.",
                "Safety-I en Deel I blijven staan, net als Hollnagel.",
            ]
        );
        let rules: Vec<&str> = scanned
            .diagnostics
            .iter()
            .map(|d| d.rule.as_str())
            .collect();
        for rule in [
            "ocr-e-acute-for-diaeresis",
            "ocr-lost-space",
            "ocr-broken-word",
        ] {
            assert!(rules.contains(&rule), "{rule} in {rules:?}");
        }
        let mut born_digital = page(1, lines.clone());
        born_digital.ocr = false;
        let kept = normalize(&[born_digital], Lexicon::dutch());
        let original: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
        assert_eq!(texts(&kept)[0], original);
    }

    #[test]
    fn compounds_the_lexicon_lacks_are_not_split() {
        let p = page(
            1,
            vec![line("De meestgenoemde werkdrukbeleving bleef.", 100.0, 0)],
        );
        assert_eq!(
            texts(&normalize(&[p], Lexicon::dutch()))[0],
            ["De meestgenoemde werkdrukbeleving bleef."]
        );
    }
}
