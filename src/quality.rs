//! Measures peo against the hand-made gold annotations in tests/gold: character and word error
//! rate and bag-of-words F1 of the text (also of pdftotext's output, as a reference), precision
//! and recall of sections, recommendations (with audience accuracy), quotes and key figures,
//! and whether title, wave and document type were detected.
//!
//! Invariant: the measurement never uses the catalog's metadata, so wave, type and title
//! scores are what peo detects by itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use rapidfuzz::distance::levenshtein;
use serde::{Deserialize, Serialize};
use similar::TextDiff;
use unicode_normalization::UnicodeNormalization;

use crate::catalog::Catalog;
use crate::model::{DocType, Document, KeyFigure, Quote, Recommendation, Section, Wave};
use crate::process::{self, Env};
use crate::segment::Known;

/// The expected structure of a document (tests/gold/<gold>.json).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Gold {
    pub id: String,
    pub title: String,
    #[serde(with = "crate::model::empty_is_none")]
    pub wave: Option<Wave>,
    #[serde(with = "crate::model::empty_is_none")]
    pub doc_type: Option<DocType>,
    pub sections: Vec<Section>,
    pub recommendations: Vec<Recommendation>,
    pub quotes: Vec<Quote>,
    pub key_figures: Vec<KeyFigure>,
}

/// Precision and recall counts.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub matched: usize,
    pub predicted: usize,
    pub expected: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            if self.expected == 0 {
                1.0
            } else {
                0.0
            }
        } else {
            self.matched as f64 / self.predicted as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.matched as f64 / self.expected as f64
        }
    }
}

/// Error rates of a text against the gold text.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct TextScore {
    pub cer: f64,
    pub wer: f64,
    pub bow_f1: f64,
}

/// Everything measured on one corpus file.
#[derive(Debug, Clone, Serialize)]
pub struct DocScore {
    pub file: String,
    pub gold: String,
    pub variant: String,
    pub text: TextScore,
    /// The same measure on the text before normalisation: the laid-out pages as read (and as
    /// OCR gave them), so `text` against `raw` is what normalisation did.
    pub raw: TextScore,
    /// The same measure on pdftotext's output, when tests/baseline holds it.
    pub pdftotext: Option<TextScore>,
    pub sections: Counts,
    pub recommendations: Counts,
    /// Share of matched recommendations whose canonical audiences are right.
    pub audience_accuracy: f64,
    pub quotes: Counts,
    pub key_figures: Counts,
    pub title_ok: bool,
    pub wave_ok: bool,
    pub type_ok: bool,
    /// What the counts are made of: the gold items missed and the items found beyond the gold
    /// (empty for a variant's pooled score). Not in the JSON output: `peo quality` prints them
    /// for a file that falls below its thresholds (`misses_text`).
    #[serde(skip)]
    pub misses: Misses,
}

/// Text as compared: NFC, white space folded, page breaks ignored.
fn comparable(text: &str) -> String {
    let t: String = text.nfc().collect();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Character and word edits of `text` against `gold` (Levenshtein distances, so a substituted
/// character or word counts once), with the gold's character and word counts.
fn edit_counts(text: &str, gold: &str) -> (usize, usize, usize, usize) {
    let (a, b) = (comparable(gold), comparable(text));
    let wa: Vec<&str> = a.split(' ').filter(|w| !w.is_empty()).collect();
    let wb: Vec<&str> = b.split(' ').filter(|w| !w.is_empty()).collect();
    // Words as numbers, so the bit-parallel distance can take them as it takes characters.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut id = |w| {
        let next = ids.len() as u32;
        *ids.entry(w).or_insert(next)
    };
    let (ia, ib): (Vec<u32>, Vec<u32>) = (
        wa.iter().map(|w| id(w)).collect(),
        wb.iter().map(|w| id(w)).collect(),
    );
    (
        levenshtein::distance(a.chars(), b.chars()),
        a.chars().count(),
        levenshtein::distance(ia, ib),
        wa.len(),
    )
}

/// CER, WER and bag-of-words F1 of `text` against `gold`. Where both have the same number of
/// pages (separated by form feeds), the error rates are counted page by page, so a block read
/// in another order costs its own page only.
pub fn score_text(text: &str, gold: &str) -> TextScore {
    let gold_pages: Vec<&str> = gold.split('\u{c}').collect();
    let text_pages: Vec<&str> = text.split('\u{c}').collect();
    let pairs: Vec<(&str, &str)> = if gold_pages.len() == text_pages.len() {
        text_pages.into_iter().zip(gold_pages).collect()
    } else {
        vec![(text, gold)]
    };
    let (mut ce, mut cn, mut we, mut wn) = (0, 0, 0, 0);
    for (t, g) in pairs {
        let (a, b, c, d) = edit_counts(t, g);
        ce += a;
        cn += b;
        we += c;
        wn += d;
    }
    let cer = ce as f64 / cn.max(1) as f64;
    let wer = we as f64 / wn.max(1) as f64;
    let count = |ws: Vec<String>| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for w in ws {
            *m.entry(w).or_default() += 1;
        }
        m
    };
    let (ga, gb) = (count(words(gold)), count(words(text)));
    let overlap: usize = ga
        .iter()
        .map(|(w, n)| (*n).min(gb.get(w).copied().unwrap_or(0)))
        .sum();
    let (na, nb) = (
        ga.values().sum::<usize>().max(1),
        gb.values().sum::<usize>().max(1),
    );
    let (p, r) = (overlap as f64 / nb as f64, overlap as f64 / na as f64);
    let bow_f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    TextScore { cer, wer, bow_f1 }
}

fn key(text: &str) -> String {
    text.nfc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// How alike two strings are (0 to 1), ignoring case, spacing and punctuation.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (key(a), key(b));
    if a == b {
        return 1.0;
    }
    let (la, lb) = (a.chars().count() as f64, b.chars().count() as f64);
    if la.min(lb) / la.max(lb).max(1.0) < 0.5 {
        return 0.0;
    }
    TextDiff::configure()
        .timeout(Duration::from_millis(200))
        .diff_chars(&a, &b)
        .ratio() as f64
}

/// Greedy one-to-one matching: each expected item takes the most similar unmatched prediction
/// that `accept` allows. Returns the pairs (expected, predicted).
fn match_items<E, P>(
    expected: &[E],
    predicted: &[P],
    accept: impl Fn(&E, &P) -> Option<f64>,
) -> Vec<(usize, usize)> {
    let mut taken = vec![false; predicted.len()];
    let mut pairs = Vec::new();
    for (i, e) in expected.iter().enumerate() {
        let best = predicted
            .iter()
            .enumerate()
            .filter(|(j, _)| !taken[*j])
            .filter_map(|(j, p)| accept(e, p).map(|s| (j, s)))
            .max_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
        if let Some((j, _)) = best {
            taken[j] = true;
            pairs.push((i, j));
        }
    }
    pairs
}

fn counts(pairs: usize, predicted: usize, expected: usize) -> Counts {
    Counts {
        matched: pairs,
        predicted,
        expected,
    }
}

/// What scoring one document against its gold measured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocumentScore {
    pub text: TextScore,
    pub sections: Counts,
    pub recommendations: Counts,
    pub audience_accuracy: f64,
    pub quotes: Counts,
    pub key_figures: Counts,
    /// The gold items peo did not find and the items it found that the gold does not hold, so a
    /// maintainer can see what a figure is made of.
    pub misses: Misses,
}

/// Unmatched items per kind: `missed` from the gold, `spurious` from peo's document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Misses {
    pub sections: Unmatched,
    pub recommendations: Unmatched,
    /// Matched recommendations whose audiences differ: "text | gold audiences | found".
    pub audiences: Vec<String>,
    pub quotes: Unmatched,
    pub key_figures: Unmatched,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Unmatched {
    pub missed: Vec<String>,
    pub spurious: Vec<String>,
}

impl Unmatched {
    fn of<E, P>(
        pairs: &[(usize, usize)],
        expected: &[E],
        predicted: &[P],
        show_e: impl Fn(&E) -> String,
        show_p: impl Fn(&P) -> String,
    ) -> Unmatched {
        let missed = (0..expected.len())
            .filter(|i| !pairs.iter().any(|(e, _)| e == i))
            .map(|i| show_e(&expected[i]))
            .collect();
        let spurious = (0..predicted.len())
            .filter(|j| !pairs.iter().any(|(_, p)| p == j))
            .map(|j| show_p(&predicted[j]))
            .collect();
        Unmatched { missed, spurious }
    }
}

/// Scores one extracted document against its gold.
pub fn score_document(doc: &Document, gold: &Gold, gold_text: &str) -> DocumentScore {
    let text = score_text(&doc.text(), gold_text);
    let sec = match_items(&gold.sections, &doc.sections, |e, p| {
        let s = similarity(&e.reference(), &p.reference());
        (s >= 0.9).then_some(s)
    });
    let recs = match_items(&gold.recommendations, &doc.recommendations, |e, p| {
        let s = similarity(&e.text, &p.text);
        (s >= 0.85).then_some(s)
    });
    let mut audiences = Vec::new();
    for &(e, p) in &recs {
        let (e, p) = (&gold.recommendations[e], &doc.recommendations[p]);
        let mut a = e.audiences.clone();
        let mut b = p.audiences.clone();
        a.sort();
        b.sort();
        if a != b {
            audiences.push(format!("{} | {a:?} | {b:?}", e.text));
        }
    }
    let audience_accuracy = if recs.is_empty() {
        1.0
    } else {
        (recs.len() - audiences.len()) as f64 / recs.len() as f64
    };
    let quotes = match_items(&gold.quotes, &doc.quotes, |e, p| {
        let s = similarity(&e.text, &p.text);
        (s >= 0.85).then_some(s)
    });
    let figures = match_items(&gold.key_figures, &doc.key_figures, |e, p| {
        if key(&e.value) != key(&p.value) {
            return None;
        }
        let s = similarity(&e.statement, &p.statement);
        (s >= 0.5 || (e.statement.is_empty() && e.page == p.page))
            .then_some(s + if e.page == p.page { 0.1 } else { 0.0 })
    });
    let section = |s: &Section| s.reference();
    let rec = |r: &Recommendation| r.text.clone();
    let quote = |q: &Quote| q.text.clone();
    let figure = |f: &KeyFigure| format!("{} | {} (p. {})", f.value, f.statement, f.page);
    let misses = Misses {
        sections: Unmatched::of(&sec, &gold.sections, &doc.sections, section, section),
        recommendations: Unmatched::of(
            &recs,
            &gold.recommendations,
            &doc.recommendations,
            rec,
            rec,
        ),
        audiences,
        quotes: Unmatched::of(&quotes, &gold.quotes, &doc.quotes, quote, quote),
        key_figures: Unmatched::of(
            &figures,
            &gold.key_figures,
            &doc.key_figures,
            figure,
            figure,
        ),
    };
    DocumentScore {
        text,
        sections: counts(sec.len(), doc.sections.len(), gold.sections.len()),
        recommendations: counts(
            recs.len(),
            doc.recommendations.len(),
            gold.recommendations.len(),
        ),
        audience_accuracy,
        quotes: counts(quotes.len(), doc.quotes.len(), gold.quotes.len()),
        key_figures: counts(figures.len(), doc.key_figures.len(), gold.key_figures.len()),
        misses,
    }
}

/// Where the quality run finds its inputs.
pub struct Inputs {
    pub corpus: PathBuf,
    /// More catalogued directories of PDFs to score the same way (tests/scans).
    pub fixtures: Vec<PathBuf>,
    pub gold: PathBuf,
    /// tests/baseline/pdftotext: pdftotext's output per corpus file, by file stem.
    pub baseline: Option<PathBuf>,
}

/// Scores every catalogued corpus file that has gold.
pub fn run(inputs: &Inputs) -> anyhow::Result<Vec<DocScore>> {
    let mut scores = score_dir(inputs, &inputs.corpus)?;
    for dir in &inputs.fixtures {
        let found = score_dir(inputs, dir)?;
        if found.is_empty() {
            anyhow::bail!("{}: no catalogued PDFs with gold to score", dir.display());
        }
        scores.extend(found);
    }
    Ok(scores)
}

/// Scores the catalogued files of one directory that have gold.
fn score_dir(inputs: &Inputs, dir: &Path) -> anyhow::Result<Vec<DocScore>> {
    let catalog = Catalog::load(dir)?;
    let mut scores = Vec::new();
    for entry in &catalog.documents {
        let Some(gold_id) = &entry.gold else { continue };
        let gold_json = inputs.gold.join(format!("{gold_id}.json"));
        let gold: Gold = serde_json::from_str(
            &std::fs::read_to_string(&gold_json)
                .with_context(|| format!("{}: cannot read", gold_json.display()))?,
        )
        .with_context(|| format!("{}: invalid gold", gold_json.display()))?;
        let gold_txt = inputs.gold.join(format!("{gold_id}.txt"));
        let gold_text = std::fs::read_to_string(&gold_txt)
            .with_context(|| format!("{}: cannot read", gold_txt.display()))?;
        let path = dir.join(&entry.file);
        let bytes =
            std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        let env = Env::standard(crate::ocr::OcrMode::Auto);
        let processed = process::process(&bytes, &path, &Known::default(), &env)
            .with_context(|| format!("{}: cannot process", path.display()))?;
        let raw = score_text(&processed.laid_text.join("\n\u{c}\n"), &gold_text);
        let doc = processed.document;
        let DocumentScore {
            text,
            sections,
            recommendations,
            audience_accuracy,
            quotes,
            key_figures,
            misses,
        } = score_document(&doc, &gold, &gold_text);
        let pdftotext = inputs.baseline.as_ref().and_then(|dir| {
            let stem = process::doc_id(Path::new(&entry.file));
            std::fs::read_to_string(dir.join(format!("{stem}.txt")))
                .ok()
                .map(|t| score_text(&t, &gold_text))
        });
        scores.push(DocScore {
            file: entry.file.clone(),
            gold: gold_id.clone(),
            variant: entry
                .variant
                .clone()
                .unwrap_or_else(|| "born-digital".into()),
            text,
            raw,
            pdftotext,
            sections,
            recommendations,
            audience_accuracy,
            quotes,
            key_figures,
            title_ok: similarity(&doc.title, &gold.title) >= 0.9,
            wave_ok: doc.wave == gold.wave,
            type_ok: doc.doc_type == gold.doc_type,
            misses,
        });
    }
    Ok(scores)
}

/// The scores of each variant (born-digital, scan-ocr, scan-image) taken together: counts
/// summed over its files (so precision and recall are pooled), text scores and audience accuracy
/// averaged, metadata right only when right for every file. Each is named "all <variant>", the
/// key its thresholds are found under.
pub fn by_variant(scores: &[DocScore]) -> Vec<DocScore> {
    let mut variants: Vec<&str> = scores.iter().map(|s| s.variant.as_str()).collect();
    variants.sort_unstable();
    variants.dedup();
    let sum = |a: Counts, b: Counts| Counts {
        matched: a.matched + b.matched,
        predicted: a.predicted + b.predicted,
        expected: a.expected + b.expected,
    };
    variants
        .into_iter()
        .map(|v| {
            let of: Vec<&DocScore> = scores.iter().filter(|s| s.variant == v).collect();
            let n = of.len() as f64;
            let mean = |f: &dyn Fn(&DocScore) -> f64| of.iter().map(|s| f(s)).sum::<f64>() / n;
            DocScore {
                file: format!("all {v}"),
                gold: String::new(),
                variant: v.to_string(),
                text: TextScore {
                    cer: mean(&|s| s.text.cer),
                    wer: mean(&|s| s.text.wer),
                    bow_f1: mean(&|s| s.text.bow_f1),
                },
                raw: TextScore {
                    cer: mean(&|s| s.raw.cer),
                    wer: mean(&|s| s.raw.wer),
                    bow_f1: mean(&|s| s.raw.bow_f1),
                },
                pdftotext: None,
                sections: of.iter().fold(Counts::default(), |a, s| sum(a, s.sections)),
                recommendations: of
                    .iter()
                    .fold(Counts::default(), |a, s| sum(a, s.recommendations)),
                audience_accuracy: mean(&|s| s.audience_accuracy),
                quotes: of.iter().fold(Counts::default(), |a, s| sum(a, s.quotes)),
                key_figures: of
                    .iter()
                    .fold(Counts::default(), |a, s| sum(a, s.key_figures)),
                title_ok: of.iter().all(|s| s.title_ok),
                wave_ok: of.iter().all(|s| s.wave_ok),
                type_ok: of.iter().all(|s| s.type_ok),
                misses: Misses::default(),
            }
        })
        .collect()
}

/// What the figures of a scored file are made of, one item a line under the file's name: the
/// gold items peo missed and the items it found beyond the gold, per kind, and the
/// recommendations whose audiences differ. Empty when peo found the gold exactly.
pub fn misses_text(score: &DocScore) -> String {
    use std::fmt::Write;
    let m = &score.misses;
    let mut out = String::new();
    for (kind, unmatched) in [
        ("section", &m.sections),
        ("recommendation", &m.recommendations),
        ("quote", &m.quotes),
        ("key figure", &m.key_figures),
    ] {
        for item in &unmatched.missed {
            let _ = writeln!(out, "  {kind} missed: {item}");
        }
        for item in &unmatched.spurious {
            let _ = writeln!(out, "  {kind} beyond the gold: {item}");
        }
    }
    for item in &m.audiences {
        let _ = writeln!(out, "  audiences differ (text | gold | found): {item}");
    }
    if out.is_empty() {
        return out;
    }
    format!("what the figures of {} are made of:\n{out}", score.file)
}

/// The least quality a variant must keep: set from what peo reaches, raised as it improves.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Threshold {
    pub max_cer: Option<f64>,
    pub max_wer: Option<f64>,
    pub min_bow_f1: Option<f64>,
    /// peo's bag-of-words F1 must be at least pdftotext's on the same file.
    pub beat_pdftotext: bool,
    /// Normalisation must not raise the character or word error rate: the text after it scores
    /// at least as well as the text before it.
    pub normalisation_no_worse: bool,
    pub min_section_precision: Option<f64>,
    pub min_section_recall: Option<f64>,
    pub min_recommendation_precision: Option<f64>,
    pub min_recommendation_recall: Option<f64>,
    pub min_audience_accuracy: Option<f64>,
    pub min_quote_precision: Option<f64>,
    pub min_quote_recall: Option<f64>,
    pub min_figure_precision: Option<f64>,
    pub min_figure_recall: Option<f64>,
    pub metadata: bool,
}

/// Thresholds per variant (born-digital, scan-ocr, scan-image), keyed by file for exceptions.
pub type Thresholds = HashMap<String, Threshold>;

/// How `value` breaks its threshold `limit` (a least value when `at_least`, else a most),
/// worded for the user; none when it keeps it or has none.
pub(crate) fn breach(name: &str, value: f64, limit: Option<f64>, at_least: bool) -> Option<String> {
    let limit = limit?;
    let ok = if at_least {
        value + 1e-9 >= limit
    } else {
        value <= limit + 1e-9
    };
    let rel = if at_least { "below" } else { "above" };
    (!ok).then(|| format!("{name} {value:.3} is {rel} the threshold {limit:.3}"))
}

/// Every way `score` falls below its threshold: the file's own table, else its variant's. A
/// variant's pooled score ("all born-digital", from `by_variant`) is judged only by a table of
/// its own name.
pub fn failures(score: &DocScore, thresholds: &Thresholds) -> Vec<String> {
    let pooled = score.file.starts_with("all ");
    let Some(t) = thresholds
        .get(&score.file)
        .or_else(|| (!pooled).then(|| thresholds.get(&score.variant)).flatten())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut check = |name: &str, value: f64, limit: Option<f64>, at_least: bool| {
        if let Some(breach) = breach(name, value, limit, at_least) {
            out.push(format!("{}: {breach}", score.file));
        }
    };
    check("cer", score.text.cer, t.max_cer, false);
    check("wer", score.text.wer, t.max_wer, false);
    check("bag-of-words f1", score.text.bow_f1, t.min_bow_f1, true);
    check(
        "section precision",
        score.sections.precision(),
        t.min_section_precision,
        true,
    );
    check(
        "section recall",
        score.sections.recall(),
        t.min_section_recall,
        true,
    );
    check(
        "recommendation precision",
        score.recommendations.precision(),
        t.min_recommendation_precision,
        true,
    );
    check(
        "recommendation recall",
        score.recommendations.recall(),
        t.min_recommendation_recall,
        true,
    );
    check(
        "audience accuracy",
        score.audience_accuracy,
        t.min_audience_accuracy,
        true,
    );
    check(
        "quote precision",
        score.quotes.precision(),
        t.min_quote_precision,
        true,
    );
    check(
        "quote recall",
        score.quotes.recall(),
        t.min_quote_recall,
        true,
    );
    check(
        "key figure precision",
        score.key_figures.precision(),
        t.min_figure_precision,
        true,
    );
    check(
        "key figure recall",
        score.key_figures.recall(),
        t.min_figure_recall,
        true,
    );
    if t.beat_pdftotext {
        if let Some(p) = score.pdftotext {
            if score.text.bow_f1 + 1e-9 < p.bow_f1 {
                out.push(format!(
                    "{}: bag-of-words f1 {:.3} is below pdftotext's {:.3}",
                    score.file, score.text.bow_f1, p.bow_f1
                ));
            }
        }
    }
    if t.normalisation_no_worse {
        for (name, after, before) in [
            ("cer", score.text.cer, score.raw.cer),
            ("wer", score.text.wer, score.raw.wer),
        ] {
            if after > before + 1e-9 {
                out.push(format!(
                    "{}: normalisation made the {name} worse: {before:.4} before, {after:.4} after",
                    score.file
                ));
            }
        }
    }
    if t.metadata && !(score.title_ok && score.wave_ok && score.type_ok) {
        out.push(format!(
            "{}: metadata wrong (title {}, wave {}, type {})",
            score.file, score.title_ok, score.wave_ok, score.type_ok
        ));
    }
    out
}

/// The table the quality command prints.
pub fn table(scores: &[DocScore]) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<38} {:<13} {:>6} {:>6} {:>6} {:>13} {:>11} {:>11} {:>5} {:>11} {:>11} {:>5}\n",
        "file",
        "variant",
        "cer",
        "wer",
        "bow-f1",
        "pdftotext f1",
        "sect p/r",
        "recs p/r",
        "aud",
        "quotes p/r",
        "figs p/r",
        "meta"
    ));
    let pr = |c: &Counts| format!("{:.2}/{:.2}", c.precision(), c.recall());
    let pooled = by_variant(scores);
    for (i, s) in scores.iter().chain(&pooled).enumerate() {
        if i == scores.len() {
            out.push_str("per variant (counts pooled over its files, text scores averaged):\n");
        }
        let meta = format!(
            "{}{}{}",
            if s.title_ok { "t" } else { "-" },
            if s.wave_ok { "w" } else { "-" },
            if s.type_ok { "d" } else { "-" }
        );
        out.push_str(&format!(
            "{:<38} {:<13} {:>6.3} {:>6.3} {:>6.3} {:>13} {:>11} {:>11} {:>5.2} {:>11} {:>11} {:>5}\n",
            s.file,
            s.variant,
            s.text.cer,
            s.text.wer,
            s.text.bow_f1,
            s.pdftotext.map(|p| format!("{:.3}", p.bow_f1)).unwrap_or_else(|| "-".into()),
            pr(&s.sections),
            pr(&s.recommendations),
            s.audience_accuracy,
            pr(&s.quotes),
            pr(&s.key_figures),
            meta
        ));
    }
    out.push_str(&format!(
        "normalisation, text before -> after:\n{:<38} {:<13} {:>17} {:>17} {:>17}\n",
        "file", "variant", "cer", "wer", "bow-f1"
    ));
    let change = |before: f64, after: f64| format!("{before:.4} -> {after:.4}");
    for s in scores.iter().chain(&pooled) {
        out.push_str(&format!(
            "{:<38} {:<13} {:>17} {:>17} {:>17}\n",
            s.file,
            s.variant,
            change(s.raw.cer, s.text.cer),
            change(s.raw.wer, s.text.wer),
            change(s.raw.bow_f1, s.text.bow_f1),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gold_file_reads_as_the_typed_model() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold");
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let gold: Gold = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(
                    gold.wave.is_some() && gold.doc_type.is_some(),
                    "{}",
                    path.display()
                );
                n += 1;
            }
        }
        assert!(n >= 6, "{n} gold files");
    }

    #[test]
    fn identical_text_scores_perfectly() {
        let s = score_text("Leren in de\npraktijk", "Leren in de praktijk");
        assert_eq!((s.cer, s.wer, s.bow_f1), (0.0, 0.0, 1.0));
    }

    #[test]
    fn error_rates_count_edits_against_the_gold() {
        let s = score_text("lk leer van collega's", "Ik leer van collega's");
        assert!((s.cer - 1.0 / 21.0).abs() < 1e-9, "{}", s.cer);
        assert!((s.wer - 0.25).abs() < 1e-9, "{}", s.wer);
    }

    fn score(file: &str, variant: &str, matched: usize, predicted: usize) -> DocScore {
        let c = Counts {
            matched,
            predicted,
            expected: 4,
        };
        DocScore {
            file: file.into(),
            gold: String::new(),
            variant: variant.into(),
            text: TextScore::default(),
            raw: TextScore::default(),
            pdftotext: None,
            sections: c,
            recommendations: c,
            audience_accuracy: 1.0,
            quotes: c,
            key_figures: c,
            title_ok: true,
            wave_ok: true,
            type_ok: false,
            misses: Misses::default(),
        }
    }

    #[test]
    fn the_misses_of_a_file_name_what_peo_missed_and_found_beyond_the_gold() {
        let section = |number: &str, title: &str| Section {
            number: Some(number.into()),
            title: title.into(),
            level: 1,
            kind: crate::model::SectionKind::Heading,
            page: 3,
        };
        let gold = Gold {
            sections: vec![section("1", "Inleiding"), section("2", "Methoden")],
            ..Gold::default()
        };
        let doc = Document {
            sections: vec![section("1", "Inleiding"), section("2.1", "Algemeen")],
            ..Document::default()
        };
        let mut scored = score("rapport.pdf", "born-digital", 1, 2);
        scored.misses = score_document(&doc, &gold, "").misses;
        assert_eq!(
            misses_text(&scored),
            "what the figures of rapport.pdf are made of:\n  section missed: 2 Methoden\n  section beyond the gold: 2.1 Algemeen\n"
        );
        scored.misses = score_document(&gold_document(&gold), &gold, "").misses;
        assert_eq!(misses_text(&scored), "");
        // Not in the JSON of `peo quality --format json`, which stays as it was.
        let json = serde_json::to_value(&scored).unwrap();
        assert!(json.get("misses").is_none(), "{json}");
    }

    /// A document that holds exactly the gold's items.
    fn gold_document(gold: &Gold) -> Document {
        Document {
            sections: gold.sections.clone(),
            ..Document::default()
        }
    }

    #[test]
    fn variants_pool_the_counts_of_their_files() {
        let pooled = by_variant(&[
            score("a.pdf", "born-digital", 4, 4),
            score("b-scan.pdf", "scan-ocr", 1, 2),
            score("c.pdf", "born-digital", 2, 4),
        ]);
        let got: Vec<(&str, f64, f64)> = pooled
            .iter()
            .map(|s| (s.file.as_str(), s.sections.precision(), s.sections.recall()))
            .collect();
        assert_eq!(
            got,
            [
                ("all born-digital", 0.75, 0.75),
                ("all scan-ocr", 0.5, 0.25)
            ]
        );
        // A pooled score is judged by its own table only, never by the per-file one.
        let mut thresholds = Thresholds::new();
        thresholds.insert(
            "scan-ocr".into(),
            Threshold {
                min_section_precision: Some(0.9),
                ..Default::default()
            },
        );
        assert!(failures(&pooled[1], &thresholds).is_empty());
        thresholds.insert(
            "all scan-ocr".into(),
            Threshold {
                min_section_precision: Some(0.9),
                ..Default::default()
            },
        );
        assert_eq!(failures(&pooled[1], &thresholds).len(), 1);
    }

    #[test]
    fn normalisation_that_raises_an_error_rate_fails() {
        let mut thresholds = Thresholds::new();
        thresholds.insert(
            "scan-ocr".into(),
            Threshold {
                normalisation_no_worse: true,
                ..Default::default()
            },
        );
        let gold = "Ik leer van collega's";
        let mut s = score("a-scan.pdf", "scan-ocr", 4, 4);
        s.raw = score_text("lk leer van collega's", gold);
        s.text = score_text("Ik leer van collega's", gold);
        assert!(failures(&s, &thresholds).is_empty());
        s.text = score_text("lk leer van collega", gold);
        let got = failures(&s, &thresholds);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("a-scan.pdf: normalisation made the cer worse"));
    }

    #[test]
    fn precision_and_recall_of_empty_sets() {
        assert_eq!(
            Counts {
                matched: 0,
                predicted: 0,
                expected: 0
            }
            .precision(),
            1.0
        );
        assert_eq!(
            Counts {
                matched: 0,
                predicted: 2,
                expected: 0
            }
            .precision(),
            0.0
        );
        assert_eq!(
            Counts {
                matched: 1,
                predicted: 2,
                expected: 4
            }
            .recall(),
            0.25
        );
    }
}

/// Researchers' questions with the passages they must find (tests/relevance.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relevance {
    #[serde(default)]
    pub min_recall_at_10: f64,
    #[serde(default)]
    pub min_mrr: f64,
    pub query: Vec<RelevanceQuery>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelevanceQuery {
    pub q: String,
    pub wave: Option<String>,
    pub kind: Option<String>,
    pub audience: Option<String>,
    /// The question names a publication by its title: its first expected passage must be the
    /// first hit.
    #[serde(default)]
    pub names_title: bool,
    pub expect: Vec<Expected>,
}

/// A passage that must be found: in the document with this id (or a scan made from it, whose
/// id it starts), holding these words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub doc: String,
    pub contains: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelevanceScore {
    pub queries: usize,
    pub recall_at_10: f64,
    pub mrr: f64,
    /// Expected passages not among the first 10 hits, as "query: doc: words".
    pub missed: Vec<String>,
    /// Per query, the rank (from 1) of the first expected passage among the first 10 hits.
    pub ranks: Vec<(String, Option<usize>)>,
    /// The questions that name a publication's title and do not have it first (`names_title`).
    pub titles_not_first: Vec<String>,
}

fn folded(text: &str) -> String {
    let t: String = text
        .nfc()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '’' { '\'' } else { c })
        .collect();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Indexes the corpus (with its catalog) into `index_dir` and measures recall@10 and MRR of the
/// questions.
pub fn relevance(
    corpus: &Path,
    relevance: &Relevance,
    index_dir: &Path,
) -> anyhow::Result<RelevanceScore> {
    use crate::corpus::{IndexConfig, Processing};
    use crate::index::PeoIndex;
    use crate::model::PassageKind;
    use crate::search::{Filters, SearchRequest};
    let config = IndexConfig {
        corpus: corpus.to_path_buf(),
        index: index_dir.to_path_buf(),
        jobs: 2,
        force: true,
        processing: Processing::in_process(crate::ocr::OcrMode::Auto),
        progress: false,
        // A scratch index of the measurement, rebuilt from whichever corpus is measured.
        allow_removal: true,
        corpus_moved: true,
        strict: false,
    };
    // A file that fails is measured by what the questions no longer find.
    crate::corpus::index(&config, &mut |_| {})?;
    let index = PeoIndex::open(index_dir)?;
    let (mut found, mut expected, mut rr) = (0usize, 0usize, 0.0);
    let mut missed = Vec::new();
    let mut ranks = Vec::new();
    let mut titles_not_first = Vec::new();
    for q in &relevance.query {
        let filters = Filters {
            waves: q.wave.iter().cloned().collect(),
            kinds: q
                .kind
                .iter()
                .filter_map(|k| PassageKind::parse(k))
                .collect(),
            audiences: q.audience.iter().cloned().collect(),
            ..Default::default()
        };
        // As `peo search` runs it, with the first 10 hits shown.
        let request = SearchRequest {
            query: q.q.clone(),
            filters,
            limit: 10,
            fuzzy: true,
            duplicates: false,
            per_doc: crate::search::PER_DOC,
        };
        let hits = crate::search::search(&index, &request)?.hits;
        let matches = |h: &crate::search::Hit, e: &Expected| {
            h.doc_id.starts_with(&e.doc) && folded(&h.text).contains(&folded(&e.contains))
        };
        for e in &q.expect {
            expected += 1;
            if hits.iter().any(|h| matches(h, e)) {
                found += 1;
            } else {
                missed.push(format!("{}: {}: {}", q.q, e.doc, e.contains));
            }
        }
        let rank = hits
            .iter()
            .position(|h| q.expect.iter().any(|e| matches(h, e)));
        if let Some(rank) = rank {
            rr += 1.0 / (rank + 1) as f64;
        }
        if q.names_title && !hits.first().is_some_and(|h| matches(h, &q.expect[0])) {
            titles_not_first.push(q.q.clone());
        }
        ranks.push((q.q.clone(), rank.map(|r| r + 1)));
    }
    let n = relevance.query.len().max(1);
    Ok(RelevanceScore {
        queries: relevance.query.len(),
        recall_at_10: found as f64 / expected.max(1) as f64,
        mrr: rr / n as f64,
        missed,
        ranks,
        titles_not_first,
    })
}

/// Compound splits judged by hand (tests/compounds.toml): each word with its parts separated
/// by "|", or unchanged when it is no compound.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgedCompounds {
    #[serde(default)]
    pub min_precision: f64,
    #[serde(default)]
    pub min_recall: f64,
    pub words: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompoundScore {
    pub words: usize,
    /// Share of the places peo splits a word at that the judgement splits at too.
    pub precision: f64,
    /// Share of the judged places that peo splits at.
    pub recall: f64,
    /// The words peo splits otherwise than judged, as "word: peo a|b, judged a|b|c".
    pub wrong: Vec<String>,
}

/// Splits every judged word as the index does (`morphology::compound_splits` with the bundled
/// lexicon) and scores the places of the splits against the judgement. A judgement whose parts
/// do not spell its word is an error naming the word.
pub fn compounds(judged: &JudgedCompounds) -> anyhow::Result<CompoundScore> {
    let lexicon = crate::lexicon::Lexicon::dutch();
    let (mut agreed, mut predicted, mut expected) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    for (word, split) in &judged.words {
        if split.replace('|', "") != *word {
            anyhow::bail!("{word:?} is judged {split:?}, whose parts do not spell it");
        }
        // The judged places: the character each part after the first begins at.
        let mut places = Vec::new();
        let mut at = 0;
        for part in split.split('|') {
            if at > 0 {
                places.push(at);
            }
            at += part.chars().count();
        }
        let found: Vec<usize> = crate::morphology::compound_splits(
            word,
            |w| lexicon.contains(w),
            |w| lexicon.compounding(w),
        )
        .iter()
        .map(|s| s.at)
        .collect();
        agreed += found.iter().filter(|p| places.contains(p)).count();
        predicted += found.len();
        expected += places.len();
        if found != places {
            wrong.push(format!(
                "{word}: peo {}, judged {split}",
                with_bars(word, &found)
            ));
        }
    }
    Ok(CompoundScore {
        words: judged.words.len(),
        precision: if predicted == 0 {
            1.0
        } else {
            agreed as f64 / predicted as f64
        },
        recall: if expected == 0 {
            1.0
        } else {
            agreed as f64 / expected as f64
        },
        wrong,
    })
}

/// `word` with a "|" before each of the characters `places` (ascending).
fn with_bars(word: &str, places: &[usize]) -> String {
    let mut out = String::new();
    for (i, c) in word.chars().enumerate() {
        if places.contains(&i) {
            out.push('|');
        }
        out.push(c);
    }
    out
}

/// What query words match besides themselves, judged by hand (tests/word-families.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgedFamilies {
    #[serde(default)]
    pub min_precision: f64,
    pub pair: Vec<JudgedPair>,
}

/// A query word, a word of a hit that a search for it marks, and whether it should.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgedPair {
    pub q: String,
    pub word: String,
    pub correct: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FamilyScore {
    pub pairs: usize,
    /// Pairs whose word a search for their query word marks.
    pub matched: usize,
    /// Share of the matched pairs judged correct.
    pub precision: f64,
    /// The matched pairs judged wrong, as "q -> word".
    pub wrong: Vec<String>,
}

/// Searches every judged query word in `index` as `peo search` does (every passage, no limit
/// per publication) and scores the words it marks against the judgement.
pub fn families(
    index: &crate::index::PeoIndex,
    judged: &JudgedFamilies,
) -> anyhow::Result<FamilyScore> {
    use crate::search::{Filters, SearchRequest};
    let mut marked: std::collections::HashMap<&str, std::collections::HashSet<String>> =
        std::collections::HashMap::new();
    for p in &judged.pair {
        if marked.contains_key(p.q.as_str()) {
            continue;
        }
        let request = SearchRequest {
            query: p.q.clone(),
            filters: Filters::default(),
            limit: usize::MAX,
            fuzzy: true,
            duplicates: false,
            per_doc: 0,
        };
        let mut words = std::collections::HashSet::new();
        for hit in crate::search::search(index, &request)?.hits {
            // Highlights are byte ranges of the snippet.
            for &(start, end) in &hit.highlights {
                if let Some(w) = hit.snippet.get(start..end) {
                    words.insert(w.to_lowercase());
                }
            }
        }
        marked.insert(p.q.as_str(), words);
    }
    let matched: Vec<&JudgedPair> = judged
        .pair
        .iter()
        .filter(|p| marked[p.q.as_str()].contains(&p.word.to_lowercase()))
        .collect();
    let correct = matched.iter().filter(|p| p.correct).count();
    Ok(FamilyScore {
        pairs: judged.pair.len(),
        matched: matched.len(),
        precision: if matched.is_empty() {
            1.0
        } else {
            correct as f64 / matched.len() as f64
        },
        wrong: matched
            .iter()
            .filter(|p| !p.correct)
            .map(|p| format!("{} -> {}", p.q, p.word))
            .collect(),
    })
}
