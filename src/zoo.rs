//! Scores peo on the layout zoo: renders of every publication through many themes and PDF
//! producers (made by tests/zoo/render.py), each with a gold derived by code from the
//! publication's one canonical source. Reports per theme and producer, pooled per family (dev,
//! heldout) and per kind of render (tagged, untagged, scanned), and the worst theme.
//!
//! Invariant: a render is scored exactly as a corpus file is (`quality::score_document` on the
//! same pipeline, without catalog metadata), so zoo and corpus figures mean the same thing.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ocr::OcrMode;
use crate::process::{self, Env};
use crate::quality::{self, Counts, Gold, Misses, TextScore};
use crate::segment::Known;

/// One render, as listed in the zoo's manifest.json.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Render {
    pub name: String,
    /// The PDF, relative to the zoo directory.
    pub file: String,
    pub publication: String,
    /// dev (may be looked at while designing) or heldout (only its scores are read).
    pub family: String,
    /// The producer and its post-processing: "chromium", "typst+gs", "weasyprint+scan".
    pub producer: String,
    pub seed: u64,
    /// What the theme is, in one line.
    pub theme: String,
    /// Whether the PDF carries a structure tree (the producer was asked for one and no
    /// post-processing dropped it).
    pub tagged: bool,
    /// born-digital, scan-ocr or scan-image.
    pub variant: String,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    renders: Vec<Render>,
}

/// Everything measured on one render.
#[derive(Debug, Clone, Serialize)]
pub struct RenderScore {
    pub render: Render,
    /// Why the render could not be read, when it could not (its counts are then zero found).
    pub error: Option<String>,
    pub text: TextScore,
    pub pdftotext: TextScore,
    pub sections: Counts,
    pub recommendations: Counts,
    pub audience_accuracy: f64,
    /// Matched recommendations whose audiences are right (for pooling the accuracy).
    pub audiences_right: usize,
    pub quotes: Counts,
    pub key_figures: Counts,
    pub title_ok: bool,
    pub wave_ok: bool,
    pub type_ok: bool,
    /// What the counts are made of: the gold items missed and the items found beyond the gold.
    pub misses: Misses,
}

/// Scores every render of the zoo in `dir` (its manifest.json, pdf/, gold/ and pdftotext/).
pub fn score(dir: &Path) -> anyhow::Result<Vec<RenderScore>> {
    let manifest_path = dir.join("manifest.json");
    let manifest: Manifest = serde_json::from_str(
        &std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("{}: cannot read", manifest_path.display()))?,
    )
    .with_context(|| format!("{}: invalid manifest", manifest_path.display()))?;
    if manifest.renders.is_empty() {
        anyhow::bail!("{}: no renders listed", manifest_path.display());
    }
    manifest
        .renders
        .into_par_iter()
        .map(|render| score_render(dir, render))
        .collect()
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))
}

fn score_render(dir: &Path, render: Render) -> anyhow::Result<RenderScore> {
    let gold_json = dir.join("gold").join(format!("{}.json", render.name));
    let gold: Gold = serde_json::from_str(&read(&gold_json)?)
        .with_context(|| format!("{}: invalid gold", gold_json.display()))?;
    let gold_text = read(&dir.join("gold").join(format!("{}.txt", render.name)))?;
    let reference = read(&dir.join("pdftotext").join(format!("{}.txt", render.name)))?;
    let pdftotext = quality::score_text(&reference, &gold_text);
    let path = dir.join(&render.file);
    let bytes = std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
    let env = Env::standard(OcrMode::Auto);
    let doc = match process::process(&bytes, &path, &Known::default(), &env) {
        Ok(processed) => processed.document,
        Err(e) => return Ok(unreadable(render, &gold, pdftotext, e.to_string())),
    };
    let scored = quality::score_document(&doc, &gold, &gold_text);
    Ok(RenderScore {
        audiences_right: scored.recommendations.matched - scored.misses.audiences.len(),
        render,
        error: None,
        text: scored.text,
        pdftotext,
        sections: scored.sections,
        recommendations: scored.recommendations,
        audience_accuracy: scored.audience_accuracy,
        quotes: scored.quotes,
        key_figures: scored.key_figures,
        misses: scored.misses,
        title_ok: quality::similarity(&doc.title, &gold.title) >= 0.9,
        wave_ok: doc.wave == gold.wave,
        type_ok: doc.doc_type == gold.doc_type,
    })
}

fn unreadable(render: Render, gold: &Gold, pdftotext: TextScore, error: String) -> RenderScore {
    let none = |expected: usize| Counts {
        matched: 0,
        predicted: 0,
        expected,
    };
    RenderScore {
        render,
        error: Some(error),
        text: TextScore {
            cer: 1.0,
            wer: 1.0,
            bow_f1: 0.0,
        },
        pdftotext,
        sections: none(gold.sections.len()),
        recommendations: none(gold.recommendations.len()),
        audience_accuracy: 0.0,
        audiences_right: 0,
        quotes: none(gold.quotes.len()),
        key_figures: none(gold.key_figures.len()),
        title_ok: false,
        wave_ok: false,
        type_ok: false,
        // Scored against an empty document, everything in the gold is missed.
        misses: quality::score_document(&Default::default(), gold, "").misses,
    }
}

/// Scores taken together: counts summed (so precision and recall are pooled over the
/// renders), error rates averaged over them, metadata counted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Pooled {
    pub renders: usize,
    pub sections: Counts,
    pub recommendations: Counts,
    pub audiences_right: usize,
    pub quotes: Counts,
    pub key_figures: Counts,
    pub cer: f64,
    pub pdftotext_cer: f64,
    pub type_ok: usize,
    pub title_ok: usize,
    pub wave_ok: usize,
    pub errors: usize,
}

fn add(a: Counts, b: Counts) -> Counts {
    Counts {
        matched: a.matched + b.matched,
        predicted: a.predicted + b.predicted,
        expected: a.expected + b.expected,
    }
}

/// F1 of pooled counts; 1 when nothing was expected and nothing found.
pub fn f1(c: &Counts) -> f64 {
    let (p, r) = (c.precision(), c.recall());
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl Pooled {
    pub fn of<'a>(scores: impl IntoIterator<Item = &'a RenderScore>) -> Pooled {
        let mut p = Pooled::default();
        for s in scores {
            p.renders += 1;
            p.sections = add(p.sections, s.sections);
            p.recommendations = add(p.recommendations, s.recommendations);
            p.audiences_right += s.audiences_right;
            p.quotes = add(p.quotes, s.quotes);
            p.key_figures = add(p.key_figures, s.key_figures);
            p.cer += s.text.cer;
            p.pdftotext_cer += s.pdftotext.cer;
            p.type_ok += usize::from(s.type_ok);
            p.title_ok += usize::from(s.title_ok);
            p.wave_ok += usize::from(s.wave_ok);
            p.errors += usize::from(s.error.is_some());
        }
        if p.renders > 0 {
            p.cer /= p.renders as f64;
            p.pdftotext_cer /= p.renders as f64;
        }
        p
    }

    /// Share of matched recommendations whose canonical audiences are right.
    pub fn audience_accuracy(&self) -> f64 {
        if self.recommendations.matched == 0 {
            if self.recommendations.expected == 0 {
                1.0
            } else {
                0.0
            }
        } else {
            self.audiences_right as f64 / self.recommendations.matched as f64
        }
    }

    /// The mean of the structure F1s: how a theme is ranked against the others.
    pub fn structure(&self) -> f64 {
        (f1(&self.sections) + f1(&self.recommendations) + f1(&self.quotes) + f1(&self.key_figures))
            / 4.0
    }

    fn row(&self, label: &str) -> String {
        format!(
            "| {label} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.3} | {:.3} | {}/{} |{}\n",
            self.renders,
            f1(&self.sections),
            f1(&self.recommendations),
            self.audience_accuracy(),
            f1(&self.quotes),
            f1(&self.key_figures),
            self.cer,
            self.pdftotext_cer,
            self.type_ok,
            self.renders,
            if self.errors > 0 {
                format!(" {} unreadable", self.errors)
            } else {
                String::new()
            }
        )
    }
}

const HEADER: &str = "| renders | sections F1 | recs F1 | audiences | quotes F1 | key figures F1 | CER | pdftotext CER | type |\n";

fn table(first: &str, rows: &[(String, Pooled)]) -> String {
    let mut out = format!("| {first} {HEADER}");
    out.push_str(&format!(
        "|{}\n",
        "---|".repeat(HEADER.matches('|').count())
    ));
    for (label, p) in rows {
        out.push_str(&p.row(label));
    }
    out
}

/// How a render is grouped: tagged, untagged (born digital), or its scan variant.
pub fn kind(r: &Render) -> &'static str {
    match (r.variant.as_str(), r.tagged) {
        ("scan-ocr", _) => "scan-ocr",
        ("scan-image", _) => "scan-image",
        (_, true) => "tagged",
        _ => "untagged",
    }
}

fn grouped<'a, K: Ord + Clone>(
    scores: &'a [RenderScore],
    key: impl Fn(&'a RenderScore) -> K,
) -> BTreeMap<K, Vec<&'a RenderScore>> {
    let mut map: BTreeMap<K, Vec<&RenderScore>> = BTreeMap::new();
    for s in scores {
        map.entry(key(s)).or_default().push(s);
    }
    map
}

/// The report: pooled per family, per family and kind of render, per family and producer, per
/// theme (a producer with its seed, pooled over the publications), the worst theme of each
/// family, and the renders that could not be read. Markdown tables.
pub fn report(scores: &[RenderScore]) -> String {
    let mut out = String::new();
    out.push_str(
        "Structure scores are F1 of counts pooled over the renders; CER is the mean character \
         error rate of the reading-order text (peo's, then pdftotext's on the same renders); \
         type counts renders whose document type peo inferred right without a catalog.\n\n",
    );
    let family = grouped(scores, |s| s.render.family.clone());
    let rows = |m: BTreeMap<String, Vec<&RenderScore>>| -> Vec<(String, Pooled)> {
        m.into_iter().map(|(k, v)| (k, Pooled::of(v))).collect()
    };
    out.push_str("### Per family\n\n");
    out.push_str(&table("family", &rows(family.clone())));
    out.push_str("\n### Per family and kind of render\n\n");
    out.push_str(&table(
        "family / kind",
        &rows(grouped(scores, |s| {
            format!("{} / {}", s.render.family, kind(&s.render))
        })),
    ));
    out.push_str("\n### Per family and producer\n\n");
    out.push_str(&table(
        "family / producer",
        &rows(grouped(scores, |s| {
            format!("{} / {}", s.render.family, s.render.producer)
        })),
    ));
    out.push_str("\n### Per theme (pooled over the publications)\n\n");
    let themes = grouped(scores, |s| {
        (
            s.render.family.clone(),
            s.render.producer.clone(),
            s.render.seed,
        )
    });
    let theme_rows: Vec<(String, Pooled)> = themes
        .iter()
        .map(|((f, p, seed), v)| {
            (
                format!("{f} {p}:{seed} ({})", v[0].render.theme),
                Pooled::of(v.iter().copied()),
            )
        })
        .collect();
    out.push_str(&table("theme", &theme_rows));
    out.push_str("\n### Worst theme per family\n\n");
    for fam in family.keys() {
        let worst = themes
            .iter()
            .filter(|((f, _, _), _)| f == fam)
            .map(|((_, p, seed), v)| (p, seed, v, Pooled::of(v.iter().copied())))
            .min_by(|a, b| a.3.structure().total_cmp(&b.3.structure()));
        if let Some((p, seed, v, pooled)) = worst {
            out.push_str(&format!(
                "- {fam}: {p}:{seed} ({}), mean structure F1 {:.2}\n",
                v[0].render.theme,
                pooled.structure()
            ));
        }
    }
    let unreadable: Vec<&RenderScore> = scores.iter().filter(|s| s.error.is_some()).collect();
    if !unreadable.is_empty() {
        out.push_str("\n### Unreadable renders\n\n");
        for s in unreadable {
            out.push_str(&format!(
                "- {}: {}\n",
                s.render.name,
                s.error.as_deref().unwrap_or_default()
            ));
        }
    }
    out
}

/// The least a family must keep on the zoo (tests/zoo/thresholds.toml): one table per family.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Threshold {
    pub min_section_f1: Option<f64>,
    pub min_recommendation_f1: Option<f64>,
    pub min_audience_accuracy: Option<f64>,
    pub min_quote_f1: Option<f64>,
    pub min_figure_f1: Option<f64>,
    pub max_cer: Option<f64>,
    /// Renders whose document type must be inferred right, as a share.
    pub min_type_share: Option<f64>,
}

/// Every way a family's pooled scores fall below their thresholds.
pub fn failures(scores: &[RenderScore], thresholds: &BTreeMap<String, Threshold>) -> Vec<String> {
    let mut out = Vec::new();
    for (family, t) in thresholds {
        let of: Vec<&RenderScore> = scores
            .iter()
            .filter(|s| &s.render.family == family)
            .collect();
        if of.is_empty() {
            out.push(format!(
                "zoo: family {family} has thresholds but no renders"
            ));
            continue;
        }
        let p = Pooled::of(of);
        let mut check = |name: &str, value: f64, limit: Option<f64>, at_least: bool| {
            if let Some(breach) = quality::breach(name, value, limit, at_least) {
                out.push(format!("zoo {family}: {breach}"));
            }
        };
        check("section F1", f1(&p.sections), t.min_section_f1, true);
        check(
            "recommendation F1",
            f1(&p.recommendations),
            t.min_recommendation_f1,
            true,
        );
        check(
            "audience accuracy",
            p.audience_accuracy(),
            t.min_audience_accuracy,
            true,
        );
        check("quote F1", f1(&p.quotes), t.min_quote_f1, true);
        check("key figure F1", f1(&p.key_figures), t.min_figure_f1, true);
        check("cer", p.cer, t.max_cer, false);
        check(
            "document type share",
            p.type_ok as f64 / p.renders.max(1) as f64,
            t.min_type_share,
            true,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(family: &str, tagged: bool) -> Render {
        Render {
            name: format!("x--{family}"),
            file: "pdf/x.pdf".into(),
            publication: "x".into(),
            family: family.into(),
            producer: "typst".into(),
            seed: 1,
            theme: "A4 1col".into(),
            tagged,
            variant: "born-digital".into(),
        }
    }

    fn counts(matched: usize, predicted: usize, expected: usize) -> Counts {
        Counts {
            matched,
            predicted,
            expected,
        }
    }

    fn scored(family: &str, sections: Counts, recs: Counts, cer: f64) -> RenderScore {
        RenderScore {
            render: render(family, false),
            error: None,
            text: TextScore {
                cer,
                wer: cer,
                bow_f1: 1.0,
            },
            pdftotext: TextScore {
                cer: 0.1,
                wer: 0.1,
                bow_f1: 1.0,
            },
            sections,
            recommendations: recs,
            audience_accuracy: 1.0,
            audiences_right: recs.matched,
            quotes: counts(0, 0, 0),
            key_figures: counts(0, 0, 0),
            title_ok: true,
            wave_ok: true,
            type_ok: family == "dev",
            misses: Misses::default(),
        }
    }

    #[test]
    fn counts_are_pooled_over_renders_before_f1_is_taken() {
        let scores = [
            scored("dev", counts(1, 1, 1), counts(0, 0, 4), 0.0),
            scored("dev", counts(3, 4, 9), counts(4, 4, 4), 0.2),
        ];
        let p = Pooled::of(&scores);
        // sections: 4 matched of 5 found and 10 expected: P .8, R .4
        assert!((f1(&p.sections) - 2.0 * 0.8 * 0.4 / 1.2).abs() < 1e-9);
        assert!((f1(&p.recommendations) - 2.0 * 1.0 * 0.5 / 1.5).abs() < 1e-9);
        assert!((p.cer - 0.1).abs() < 1e-9);
        assert_eq!(p.type_ok, 2);
    }

    #[test]
    fn a_family_below_its_threshold_is_named_and_the_other_passes() {
        let scores = [
            scored("dev", counts(9, 10, 10), counts(5, 5, 5), 0.01),
            scored("heldout", counts(5, 10, 10), counts(5, 5, 5), 0.30),
        ];
        let thresholds: BTreeMap<String, Threshold> = toml::from_str(
            "[dev]\nmin_section_f1 = 0.85\nmax_cer = 0.05\n\
             [heldout]\nmin_section_f1 = 0.85\nmax_cer = 0.05\nmin_type_share = 0.5\n",
        )
        .unwrap();
        let failed = failures(&scores, &thresholds);
        assert_eq!(failed.len(), 3, "{failed:?}");
        assert!(failed.iter().all(|f| f.starts_with("zoo heldout:")));
        assert!(failed[0].contains("section F1 0.500 is below the threshold 0.850"));
        assert!(failed[1].contains("cer 0.300 is above"));
        assert!(failed[2].contains("document type share 0.000"));
    }

    #[test]
    fn a_family_with_thresholds_and_no_renders_fails() {
        let thresholds: BTreeMap<String, Threshold> =
            toml::from_str("[heldout]\nmax_cer = 0.05\n").unwrap();
        let failed = failures(
            &[scored("dev", counts(1, 1, 1), counts(1, 1, 1), 0.0)],
            &thresholds,
        );
        assert_eq!(
            failed,
            ["zoo: family heldout has thresholds but no renders"]
        );
    }

    #[test]
    fn the_report_groups_by_family_kind_producer_and_theme_and_names_the_worst() {
        let mut tagged = scored("dev", counts(1, 1, 1), counts(1, 1, 1), 0.0);
        tagged.render = render("dev", true);
        tagged.render.producer = "chromium".into();
        tagged.render.seed = 2;
        let scores = [scored("dev", counts(0, 3, 3), counts(0, 0, 2), 0.5), tagged];
        let report = report(&scores);
        assert!(
            report.contains("| dev / tagged | 1 | 1.00 | 1.00 |"),
            "{report}"
        );
        assert!(
            report.contains("| dev / untagged | 1 | 0.00 | 0.00 |"),
            "{report}"
        );
        assert!(report.contains("| dev / chromium | 1 |"));
        assert!(
            report.contains("- dev: typst:1 (A4 1col), mean structure F1 0.50"),
            "{report}"
        );
    }
}
