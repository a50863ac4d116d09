//! `peo quality`: scores peo against tests/gold and checks the thresholds.

use std::io::Write;

use std::path::PathBuf;

use anyhow::Context;

use crate::cli::Exit;
use crate::quality::{self, Inputs, Thresholds};
use crate::zoo;

/// Measure extraction and segmentation quality against the gold annotations.
///
/// Runs the pipeline on every catalogued corpus file that has gold (without the catalog's
/// metadata, so detection is measured) and prints character and word error rate, bag-of-words
/// F1 (and pdftotext's, from tests/baseline), precision/recall of sections, recommendations,
/// quotes and key figures, audience accuracy and metadata. With --thresholds it exits 1 when a
/// figure falls below its threshold.
///
/// With --zoo it scores the renders of a layout zoo instead (made by `make zoo`; each render
/// with a gold derived from its publication's canonical source) and reports per family, kind
/// of render, producer and theme.
///
/// Examples:
///   peo quality
///   peo quality --thresholds tests/quality-thresholds.toml --format json
///   peo quality --zoo target/zoo --markdown docs/quality.md
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The corpus directory with the PDFs and catalog.toml (its `gold` keys).
    #[arg(long, value_name = "DIR", default_value = "corpus")]
    corpus: PathBuf,
    /// More directories of catalogued PDFs to score but not to index for the relevance
    /// questions, such as the extra scanned fixtures in tests/scans.
    #[arg(long, value_name = "DIR")]
    fixtures: Vec<PathBuf>,
    /// The gold annotations: <gold>.txt and <gold>.json per publication.
    #[arg(long, value_name = "DIR", default_value = "tests/gold")]
    gold: PathBuf,
    /// pdftotext's output per corpus file, the reference for text quality.
    #[arg(long, value_name = "DIR", default_value = "tests/baseline/pdftotext")]
    baseline: PathBuf,
    /// A TOML file of thresholds per variant (or per file).
    #[arg(long, value_name = "FILE")]
    thresholds: Option<PathBuf>,
    /// Researchers' questions with the passages they must find: recall@10 and MRR are measured
    /// on an index of the corpus built for the purpose, and checked against the file's minimums.
    #[arg(long, value_name = "FILE")]
    relevance: Option<PathBuf>,
    /// Compound splits judged by hand (word = "parts|separated|so", or the word unchanged
    /// when it is no compound): precision and recall of the places where peo splits the words,
    /// checked against the file's minimums.
    #[arg(long, value_name = "FILE")]
    compounds: Option<PathBuf>,
    /// Query words with the words a search for them marks, judged by hand (q, word, correct):
    /// each q is searched on the index of the relevance questions, and the precision of the
    /// pairs whose word it marks is checked against the file's minimum.
    #[arg(long, value_name = "FILE", requires = "relevance")]
    families: Option<PathBuf>,
    /// Score the layout zoo in DIR (its manifest.json, pdf/, gold/, pdftotext/) instead of the
    /// corpus.
    #[arg(long, value_name = "DIR")]
    zoo: Option<PathBuf>,
    /// With --zoo: a TOML file of thresholds per family (dev, heldout); exits 1 below them.
    #[arg(long, value_name = "FILE", requires = "zoo")]
    zoo_thresholds: Option<PathBuf>,
    /// With --zoo: also write the report to FILE (Markdown).
    #[arg(long, value_name = "FILE", requires = "zoo")]
    markdown: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: crate::cli::search::SearchFormat,
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        self.format == crate::cli::search::SearchFormat::Json
    }
}

pub fn run(args: Args, json_errors: bool) -> anyhow::Result<Exit> {
    if let Some(dir) = &args.zoo {
        return run_zoo(&args, dir, json_errors);
    }
    let mut out = std::io::stdout().lock();
    let json = args.json();
    let baseline = args.baseline.is_dir().then(|| args.baseline.clone());
    let scores = quality::run(&Inputs {
        corpus: args.corpus.clone(),
        fixtures: args.fixtures,
        gold: args.gold,
        baseline,
    })?;
    let relevance = match &args.relevance {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            let queries: quality::Relevance = toml::from_str(&text)
                .with_context(|| format!("{}: invalid relevance file", path.display()))?;
            let dir =
                std::env::temp_dir().join(format!("peo-quality-index-{}", std::process::id()));
            let score = quality::relevance(&args.corpus, &queries, &dir)
                .and_then(|score| Ok((score, families(args.families.as_deref(), &dir)?)));
            let _ = std::fs::remove_dir_all(&dir);
            let (score, families) = score?;
            Some((score, queries, families))
        }
    };
    let families = relevance.as_ref().and_then(|(_, _, f)| f.clone());
    let relevance = relevance.map(|(s, q, _)| (s, q));
    let mut family_failures = Vec::new();
    if let Some((score, judged)) = &families {
        if score.precision + 1e-9 < judged.min_precision {
            family_failures.push(format!(
                "word families: precision {:.3} is below the threshold {:.3}",
                score.precision, judged.min_precision
            ));
        }
    }
    let mut relevance_failures = Vec::new();
    if let Some((score, queries)) = &relevance {
        if score.recall_at_10 + 1e-9 < queries.min_recall_at_10 {
            relevance_failures.push(format!(
                "relevance: recall@10 {:.3} is below the threshold {:.3}",
                score.recall_at_10, queries.min_recall_at_10
            ));
        }
        if score.mrr + 1e-9 < queries.min_mrr {
            relevance_failures.push(format!(
                "relevance: MRR {:.3} is below the threshold {:.3}",
                score.mrr, queries.min_mrr
            ));
        }
        for q in &score.titles_not_first {
            relevance_failures.push(format!(
                "relevance: {q:?} names a publication's title, which is not the first hit"
            ));
        }
    }
    let compounds = match &args.compounds {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            let judged: quality::JudgedCompounds = toml::from_str(&text)
                .with_context(|| format!("{}: invalid compound judgements", path.display()))?;
            let score = quality::compounds(&judged)
                .with_context(|| format!("{}: invalid compound judgements", path.display()))?;
            Some((score, judged))
        }
    };
    let mut compound_failures = Vec::new();
    if let Some((score, judged)) = &compounds {
        if score.precision + 1e-9 < judged.min_precision {
            compound_failures.push(format!(
                "compounds: precision {:.3} is below the threshold {:.3}",
                score.precision, judged.min_precision
            ));
        }
        if score.recall + 1e-9 < judged.min_recall {
            compound_failures.push(format!(
                "compounds: recall {:.3} is below the threshold {:.3}",
                score.recall, judged.min_recall
            ));
        }
    }
    let thresholds: Option<Thresholds> = match &args.thresholds {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            Some(
                toml::from_str(&text)
                    .with_context(|| format!("{}: invalid thresholds", path.display()))?,
            )
        }
    };
    // A variant's pooled score is judged too, and counts as one more unit.
    let pooled = quality::by_variant(&scores);
    let file_failures: Vec<Vec<String>> = scores
        .iter()
        .chain(&pooled)
        .map(|s| {
            thresholds
                .as_ref()
                .map(|t| quality::failures(s, t))
                .unwrap_or_default()
        })
        .collect();
    // One unit per scored file, one for the relevance questions and one for the compound
    // judgements when they were asked.
    let units = scores.len()
        + pooled.len()
        + usize::from(relevance.is_some())
        + usize::from(compounds.is_some())
        + usize::from(families.is_some());
    let failed = file_failures.iter().filter(|f| !f.is_empty()).count()
        + usize::from(!relevance_failures.is_empty())
        + usize::from(!compound_failures.is_empty())
        + usize::from(!family_failures.is_empty());
    if json {
        let value = serde_json::json!({
            "documents": scores,
            "relevance": relevance.as_ref().map(|(s, _)| s),
            "compounds": compounds.as_ref().map(|(s, _)| s),
            "families": families.as_ref().map(|(s, _)| s),
            "passed": units - failed,
            "failed": failed,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        write!(out, "{}", quality::table(&scores))?;
        if let Some((score, _)) = &relevance {
            writeln!(
                out,
                "relevance: recall@10 {:.3}, MRR {:.3} over {} queries",
                score.recall_at_10, score.mrr, score.queries
            )?;
            for m in &score.missed {
                writeln!(out, "  not in the first 10 hits: {m}")?;
            }
        }
        if let Some((score, _)) = &compounds {
            writeln!(
                out,
                "compounds: precision {:.3}, recall {:.3} over {} judged words",
                score.precision, score.recall, score.words
            )?;
            for w in &score.wrong {
                writeln!(out, "  split otherwise than judged: {w}")?;
            }
        }
        if let Some((score, _)) = &families {
            writeln!(
                out,
                "word families: precision {:.3} over {} of {} judged pairs matched",
                score.precision, score.matched, score.pairs
            )?;
            for w in &score.wrong {
                writeln!(out, "  matched, judged wrong: {w}")?;
            }
        }
        // What the figures of a file that fails are made of, so its failure can be read.
        for (score, failures) in scores.iter().zip(&file_failures) {
            if !failures.is_empty() {
                write!(out, "{}", quality::misses_text(score))?;
            }
        }
    }
    for f in file_failures
        .iter()
        .flatten()
        .chain(&relevance_failures)
        .chain(&compound_failures)
        .chain(&family_failures)
    {
        crate::cli::report(
            &format!("quality: {f}"),
            Some(Exit::SomeFailed),
            json_errors,
        );
    }
    // Without thresholds the scores are reported, never judged, except the relevance
    // questions and the compound judgements against the minimums in their own files.
    if !json && thresholds.is_some() {
        writeln!(out, "quality: {} passed, {} failed", units - failed, failed)?;
    }
    Ok(if failed == 0 {
        Exit::Success
    } else {
        Exit::SomeFailed
    })
}

fn run_zoo(args: &Args, dir: &std::path::Path, json_errors: bool) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    let scores = zoo::score(dir)?;
    let report = zoo::report(&scores);
    if args.json() {
        writeln!(out, "{}", serde_json::to_string_pretty(&scores)?)?;
    } else {
        write!(out, "{report}")?;
    }
    if let Some(path) = &args.markdown {
        let doc = format!(
            "# Quality on the layout zoo\n\nWritten by `peo quality --zoo {} --markdown {}` \
             (`make zoo-quality`): {} renders of the canonical sources in tests/zoo/sources. \
             Do not edit by hand.\n\n{report}",
            dir.display(),
            path.display(),
            scores.len()
        );
        std::fs::write(path, doc).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    let failures = match &args.zoo_thresholds {
        None => Vec::new(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            let thresholds: std::collections::BTreeMap<String, zoo::Threshold> =
                toml::from_str(&text)
                    .with_context(|| format!("{}: invalid thresholds", path.display()))?;
            zoo::failures(&scores, &thresholds)
        }
    };
    for f in &failures {
        crate::cli::report(
            &format!("quality: {f}"),
            Some(Exit::SomeFailed),
            json_errors,
        );
    }
    if args.zoo_thresholds.is_some() && !args.json() {
        writeln!(out, "zoo quality: {} below threshold", failures.len())?;
    }
    Ok(if failures.is_empty() {
        Exit::Success
    } else {
        Exit::SomeFailed
    })
}

/// The word-family judgements of `--families`, scored on the index in `dir`.
fn families(
    path: Option<&std::path::Path>,
    dir: &std::path::Path,
) -> anyhow::Result<Option<(quality::FamilyScore, quality::JudgedFamilies)>> {
    let Some(path) = path else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let judged: quality::JudgedFamilies = toml::from_str(&text)
        .with_context(|| format!("{}: invalid word-family judgements", path.display()))?;
    let index = crate::index::PeoIndex::open(dir)?;
    Ok(Some((quality::families(&index, &judged)?, judged)))
}
