//! `peo add`: copy publications into the corpus and index what changed.

use std::path::PathBuf;

use anyhow::Context;

use crate::cli::{index, Exit, IndexDir};

/// Copy PDF files into the corpus and index them.
///
/// Each file is copied into the corpus directory under its own name (a file of that name is
/// replaced); then the corpus is indexed incrementally, so only the new and changed files are
/// processed. Add their title, wave and type to corpus/catalog.toml to override detection.
///
/// Examples:
///   peo add ~/Downloads/peo-2025-2026-rapport.pdf
///   peo add nieuw/*.pdf --corpus corpus --index index
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The PDF files to add.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The corpus directory.
    #[arg(long, value_name = "DIR", default_value = "corpus")]
    corpus: PathBuf,
    #[command(flatten)]
    index: IndexDir,
    #[command(flatten)]
    processing: index::Processing,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    std::fs::create_dir_all(&args.corpus)
        .with_context(|| format!("{}: cannot create the corpus", args.corpus.display()))?;
    for file in &args.files {
        let is_pdf = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        let Some(name) = file.file_name().filter(|_| is_pdf) else {
            anyhow::bail!("{}: not a .pdf file", file.display());
        };
        let target = args.corpus.join(name);
        if target.exists() && std::fs::read(&target).ok() == std::fs::read(file).ok() {
            continue;
        }
        std::fs::copy(file, &target).with_context(|| {
            format!(
                "{}: cannot copy into {}",
                file.display(),
                args.corpus.display()
            )
        })?;
        eprintln!("added {} to {}", file.display(), args.corpus.display());
    }
    let config = args
        .processing
        .config(args.corpus, args.index.index, false)?;
    index::index(&config)
}
