//! A page's text layer → whether to trust it: the share of its words the lexicon knows, of
//! one- and two-letter fragments and of characters that are no letter or digit, and whether
//! the PDF names an OCR program as its producer. A layer that a scanner's software made at low
//! resolution reads "ee aeabiedsreank ie" where the page says "0-3 jaar werkzaam 59": few
//! known words, many fragments, stray marks.
//!
//! Invariant: pure and total; the same text, lexicon and producer give the same verdict.

use crate::lexicon::Lexicon;

/// Below this share of lexicon words a layer is poor. Dutch running text and the tables and
/// tiles of the publications score 0.80 to 0.95 where the layer reads the page well; a layer
/// garbled at low resolution scores below 0.70.
const MIN_LEXICON_SHARE: f64 = 0.70;
/// The same, for a layer whose PDF names an OCR program as its producer: such a layer is
/// machine-read, and peo's own OCR of the prepared image reads it at least as well, so a
/// smaller doubt is enough to read the image again.
const MIN_LEXICON_SHARE_OCR_PRODUCER: f64 = 0.80;
/// Above this share of one- and two-letter fragments (letters that are no lexicon word) a
/// layer is poor: OCR that loses its way in a table or on a band breaks words into pieces.
const MAX_FRAGMENT_SHARE: f64 = 0.15;
/// Above this share of characters that are neither letter, digit nor ordinary punctuation a
/// layer is poor: specks and rules read as `|`, `~`, `_`, `»`.
const MAX_NOISE_SHARE: f64 = 0.05;
/// A layer of fewer words than this is too short to judge by shares (a page number, a
/// caption, a heading over a short list: one odd line among three is no sign of a poor layer
/// there): the page's own rule (no words at all) decides.
const MIN_WORDS: usize = 30;
/// A line of at least this many words, fewer than half of them Dutch words, is garbled: a
/// table cell read at low resolution ("ee aeabiedsreank ie"), a title on a band.
const GARBLED_LINE_WORDS: usize = 3;
const GARBLED_LINE_SHARE: f64 = 0.5;
/// A layer is poor when this share of its lines of three words or more is garbled. A layer that
/// reads well holds a garbled line or two among sixty (a reference in English, a cell): the
/// corpus scans' layers at most 5 %; reading such a page again and merging the two readings
/// line by line lost more than it won there (the photocopied scans' layers and peo's OCR
/// place their lines apart by more than the merge matches).
const MAX_GARBLED_SHARE: f64 = 0.10;

/// What is known of a text layer, as shares of its words and characters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LayerScore {
    /// Words with a letter.
    pub words: usize,
    /// Share of those words the lexicon knows.
    pub lexicon: f64,
    /// Share of those words that are one or two letters and no lexicon word.
    pub fragments: f64,
    /// Share of the characters (not white space) that are neither letter, digit nor ordinary
    /// punctuation.
    pub noise: f64,
    /// Lines of at least three words.
    pub long_lines: usize,
    /// Of those, the lines fewer than half of whose words are Dutch words.
    pub garbled_lines: usize,
    /// The PDF names an OCR program as its producer or creator.
    pub ocr_producer: bool,
}

/// Why a layer is not trusted.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum Poor {
    /// Too few of its words are Dutch words.
    FewLexiconWords { share: f64, min: f64 },
    /// Too many of its words are fragments of one or two letters.
    Fragments { share: f64, max: f64 },
    /// Too many of its characters are marks OCR reads off specks and rules.
    Noise { share: f64, max: f64 },
    /// Some of its lines are garbled (few of their words are Dutch words).
    GarbledLines { lines: usize },
}

/// The verdict on a page's text layer.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    Good,
    Poor(Poor),
}

impl std::fmt::Display for Poor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Poor::FewLexiconWords { share, min } => {
                write!(
                    f,
                    "{:.0}% of its words are Dutch words (under {:.0}%)",
                    share * 100.0,
                    min * 100.0
                )
            }
            Poor::Fragments { share, max } => write!(
                f,
                "{:.0}% of its words are fragments of one or two letters (over {:.0}%)",
                share * 100.0,
                max * 100.0
            ),
            Poor::GarbledLines { lines: 1 } => write!(f, "a line of it is garbled"),
            Poor::GarbledLines { lines } => write!(f, "{lines} of its lines are garbled"),
            Poor::Noise { share, max } => write!(
                f,
                "{:.0}% of its characters are stray marks (over {:.0}%)",
                share * 100.0,
                max * 100.0
            ),
        }
    }
}

/// Whether a producer or creator string names an OCR program.
pub fn names_ocr_program(producer: &str) -> bool {
    let p = producer.to_lowercase();
    [
        "tesseract",
        "ocrmypdf",
        "abbyy",
        "finereader",
        "omnipage",
        "readiris",
        "paper capture",
        "clearscan",
        "kofax",
        "nuance",
    ]
    .iter()
    .any(|name| p.contains(name))
}

/// A word as the lexicon is asked about it: without the punctuation around it.
fn bare(token: &str) -> &str {
    token.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Ordinary punctuation of Dutch text, tables and figures: not noise.
fn is_punctuation(c: char) -> bool {
    ".,;:!?'\"()[]-–—%/&+€$°’‘“”„•·*=<>#@".contains(c)
}

/// Scores a page's text, given as its lines (words separated by white space).
pub fn score(lines: &[&str], lexicon: &Lexicon, ocr_producer: bool) -> LayerScore {
    let mut words = 0;
    let mut known = 0;
    let mut fragments = 0;
    let mut garbled_lines = 0;
    let mut long_lines = 0;
    for line in lines {
        let (mut line_words, mut line_known) = (0, 0);
        for token in line.split_whitespace() {
            let word = bare(token);
            if !word.chars().any(char::is_alphabetic) {
                continue;
            }
            line_words += 1;
            let is_word = lexicon.contains(word) || lexicon.contains(&word.to_lowercase());
            if is_word {
                line_known += 1;
            } else if word.chars().count() <= 2 {
                fragments += 1;
            }
        }
        if line_words >= GARBLED_LINE_WORDS {
            long_lines += 1;
            if (line_known as f64) < GARBLED_LINE_SHARE * line_words as f64 {
                garbled_lines += 1;
            }
        }
        words += line_words;
        known += line_known;
    }
    let mut chars = 0;
    let mut noise = 0;
    for c in lines
        .iter()
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
    {
        chars += 1;
        if !c.is_alphanumeric() && !is_punctuation(c) {
            noise += 1;
        }
    }
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    LayerScore {
        words,
        lexicon: share(known, words),
        fragments: share(fragments, words),
        noise: share(noise, chars),
        long_lines,
        garbled_lines,
        ocr_producer,
    }
}

/// Judges a scored layer.
pub fn verdict(score: &LayerScore) -> Verdict {
    if score.words < MIN_WORDS {
        return Verdict::Good;
    }
    let min = if score.ocr_producer {
        MIN_LEXICON_SHARE_OCR_PRODUCER
    } else {
        MIN_LEXICON_SHARE
    };
    if score.lexicon < min {
        return Verdict::Poor(Poor::FewLexiconWords {
            share: score.lexicon,
            min,
        });
    }
    if score.fragments > MAX_FRAGMENT_SHARE {
        return Verdict::Poor(Poor::Fragments {
            share: score.fragments,
            max: MAX_FRAGMENT_SHARE,
        });
    }
    if score.noise > MAX_NOISE_SHARE {
        return Verdict::Poor(Poor::Noise {
            share: score.noise,
            max: MAX_NOISE_SHARE,
        });
    }
    if score.garbled_lines as f64 > MAX_GARBLED_SHARE * score.long_lines as f64 {
        return Verdict::Poor(Poor::GarbledLines {
            lines: score.garbled_lines,
        });
    }
    Verdict::Good
}

/// Scores and judges a page's text, given as its lines.
pub fn judge(lines: &[&str], lexicon: &Lexicon, producer: Option<&str>) -> Verdict {
    verdict(&score(
        lines,
        lexicon,
        producer.is_some_and(names_ocr_program),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Judges a page of one line.
    fn check(text: &str, producer: Option<&str>) -> Verdict {
        judge(&[text], Lexicon::dutch(), producer)
    }

    /// A page of the layer `line` twice over: enough words to be judged, the same shares.
    fn twice(line: &str) -> String {
        format!("{line} {line}")
    }

    fn is_poor(v: Verdict) -> bool {
        matches!(v, Verdict::Poor(_))
    }

    #[test]
    fn a_clean_layer_of_running_text_is_good() {
        let text = "De meeste professionals zijn tevreden over hun werk. Zij ervaren wel \
                    een hoge werkdruk en vragen om meer tijd voor reflectie met collega's.";
        assert_eq!(check(text, None), Verdict::Good);
        assert_eq!(check(text, Some("Tesseract 5.3.0")), Verdict::Good);
    }

    #[test]
    fn a_clean_table_of_labels_and_figures_is_good() {
        let text = "Werkervaring Aantal Procent 0-3 jaar werkzaam 59 12% 4-10 jaar werkzaam \
                    143 29% meer dan 10 jaar werkzaam 288 59% Totaal 490 100%";
        assert_eq!(check(text, None), Verdict::Good);
    }

    #[test]
    fn a_layer_garbled_at_low_resolution_is_poor_for_its_unknown_words() {
        // What a scanner's OCR read of a table cell at 110 dpi, among readable words.
        let text = &twice(
            "Werkervaring ee aeabiedsreank ie Aantal tnrwe eaeknd 143 oeeia \
                    wrkzam mrr dn jaar rnsstie Totaal ocnrtaa",
        );
        let v = check(text, None);
        assert!(
            matches!(v, Verdict::Poor(Poor::FewLexiconWords { .. })),
            "{v:?}"
        );
    }

    #[test]
    fn a_layer_broken_into_fragments_is_poor() {
        let text =
            &twice("De pr of es si on als zi jn te vr ed en ov er hu n we rk en de werkdruk");
        let v = check(text, None);
        assert!(is_poor(v), "{v:?}");
    }

    #[test]
    fn a_layer_of_stray_marks_is_poor_for_its_noise() {
        let text = &twice(&twice(
            "De | meeste ~ professionals _ zijn | tevreden » over | hun ~ werk \
                    | en » de | werkdruk ~ is ¦ hoog | gebleven",
        ));
        let v = check(text, None);
        assert!(matches!(v, Verdict::Poor(Poor::Noise { .. })), "{v:?}");
    }

    #[test]
    fn a_layer_an_ocr_program_made_is_doubted_sooner() {
        // Eleven of fifteen words known: passable for a layer of unknown origin, not for one
        // that an OCR program made.
        let text = &twice(
            "De professionals zijn tevreden over werkdruk xqzt hun vrrk en de \
                    collega's blijven kwrp mrr",
        );
        let s = score(&[text.as_str()], Lexicon::dutch(), false);
        assert!(
            s.lexicon >= MIN_LEXICON_SHARE && s.lexicon < MIN_LEXICON_SHARE_OCR_PRODUCER,
            "{s:?}"
        );
        assert_eq!(check(text, Some("pdfTeX-1.40")), Verdict::Good);
        assert!(is_poor(check(
            text,
            Some("ocrmypdf 14.0.1 / Tesseract OCR-PDF 5.3.0")
        )));
    }

    #[test]
    fn too_few_words_are_not_judged() {
        assert_eq!(check("xq zz 21", None), Verdict::Good);
        // a short page with one garbled line among its few is not doubted
        let short = "Aanbevelingen ee aeabiedsreank ie tnrwe Blijf nieuwsgierig naar het vak";
        assert_eq!(check(short, Some("Tesseract")), Verdict::Good);
        assert_eq!(check("", Some("Tesseract")), Verdict::Good);
    }

    #[test]
    fn ocr_programs_are_named_in_any_case() {
        assert!(names_ocr_program("Tesseract 5.3.0"));
        assert!(names_ocr_program("ABBYY FineReader 15"));
        assert!(names_ocr_program(
            "Adobe Acrobat Pro (Paper Capture Plug-in)"
        ));
        assert!(!names_ocr_program("img2pdf 0.4.4"));
        assert!(!names_ocr_program("LibreOffice 7.4"));
    }

    #[test]
    fn a_page_that_reads_well_but_for_garbled_table_rows_is_poor() {
        // A layer that read the running text well and a table's rows not.
        let page = [
            "De meeste professionals zijn tevreden over hun werk.",
            "Zij ervaren wel een hoge werkdruk en vragen om meer tijd",
            "voor reflectie met collega's en hun leidinggevende.",
            "Werkervaring Aantal Procent",
            "ee aeabiedsreank ie 59 12%",
            "4-10 jaar werkzaam 143 29%",
        ];
        let s = score(&page, Lexicon::dutch(), true);
        assert!(s.lexicon > MIN_LEXICON_SHARE_OCR_PRODUCER, "{s:?}");
        assert_eq!(s.garbled_lines, 1);
        assert_eq!(
            judge(&page, Lexicon::dutch(), None),
            Verdict::Poor(Poor::GarbledLines { lines: 1 })
        );
        // Without the garbled row it is good.
        let mut clean = page.to_vec();
        clean.remove(4);
        assert_eq!(judge(&clean, Lexicon::dutch(), None), Verdict::Good);
        // One garbled line among many good ones (a reference in English) is no reason.
        let mut long: Vec<&str> = std::iter::repeat_n(page[..3].iter().copied(), 4)
            .flatten()
            .collect();
        long.push("Schön, D. A. (1983). The refiective practitioner. how professionals think");
        let s = score(&long, Lexicon::dutch(), true);
        assert_eq!((s.garbled_lines, s.long_lines), (1, 13));
        assert_eq!(verdict(&s), Verdict::Good);
    }
}
