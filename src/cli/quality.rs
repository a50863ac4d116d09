//! `peo quality`: scores peo against tests/gold and checks the thresholds.

use std::path::PathBuf;

use anyhow::Context;

use crate::cli::Exit;
use crate::quality::{self, Inputs, Thresholds};

/// Measure extraction and segmentation quality against the gold annotations.
///
/// Runs the pipeline on every catalogued corpus file that has gold (without the catalog's
/// metadata, so detection is measured) and prints character and word error rate, bag-of-words
/// F1 (and pdftotext's, from tests/baseline), precision/recall of sections, recommendations,
/// quotes and key figures, audience accuracy and metadata. With --thresholds it exits 1 when a
/// figure falls below its threshold.
///
/// Examples:
///   peo quality
///   peo quality --thresholds tests/quality-thresholds.toml --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The corpus directory with the PDFs and catalog.toml (its `gold` keys).
    #[arg(long, value_name = "DIR", default_value = "corpus")]
    corpus: PathBuf,
    /// The gold annotations: <gold>.txt and <gold>.json per publication.
    #[arg(long, value_name = "DIR", default_value = "tests/gold")]
    gold: PathBuf,
    /// pdftotext's output per corpus file, the reference for text quality.
    #[arg(long, value_name = "DIR", default_value = "tests/baseline/pdftotext")]
    baseline: PathBuf,
    /// A TOML file of thresholds per variant (or per file).
    #[arg(long, value_name = "FILE")]
    thresholds: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: crate::cli::search::SearchFormat,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let baseline = args.baseline.is_dir().then(|| args.baseline.clone());
    let scores = quality::run(&Inputs {
        corpus: args.corpus,
        gold: args.gold,
        baseline,
    })?;
    if args.format == crate::cli::search::SearchFormat::Json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        print!("{}", quality::table(&scores));
    }
    let Some(path) = args.thresholds else {
        return Ok(Exit::Success);
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let thresholds: Thresholds =
        toml::from_str(&text).with_context(|| format!("{}: invalid thresholds", path.display()))?;
    let failures: Vec<String> = scores
        .iter()
        .flat_map(|s| quality::failures(s, &thresholds))
        .collect();
    for f in &failures {
        eprintln!("peo: quality: {f}");
    }
    let n = scores.len();
    println!(
        "quality: {} passed, {} failed",
        n - scores
            .iter()
            .filter(|s| !quality::failures(s, &thresholds).is_empty())
            .count(),
        scores
            .iter()
            .filter(|s| !quality::failures(s, &thresholds).is_empty())
            .count()
    );
    Ok(if failures.is_empty() {
        Exit::Success
    } else {
        Exit::SomeFailed
    })
}
