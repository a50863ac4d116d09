//! `peo add`: check publications, copy them into the corpus and index what changed.
//!
//! Invariant: all or nothing: every file is checked (a PDF that opens, no clash of names)
//! before the first is copied.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::catalog;
use crate::cli::index::{self, Output, Safety};
use crate::cli::{report, Exit, IndexDir};
use crate::corpus::identity;

/// Copy PDF files into the corpus and index them.
///
/// Every file is checked first: it must be a PDF that opens, and a different file under a name
/// the corpus already has needs --replace (its catalog entry is then flagged for review,
/// because it described the old file). When one file fails its check, nothing is copied. Then
/// the corpus is indexed incrementally, so only the new and changed files are processed. Without
/// --corpus, the files go into the corpus the index belongs to. Add their title, wave and type to
/// catalog.toml to override detection.
///
/// Examples:
///   peo add ~/Downloads/peo-2025-2026-rapport.pdf
///   peo add nieuw/*.pdf --corpus corpus --index index
///   peo add --replace gecorrigeerd/peo-2022-factsheet.pdf
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The PDF files to add.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The corpus directory (default: the corpus the index belongs to, else "corpus").
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Replace a different file of the same name in the corpus (its catalog entry is flagged for
    /// review).
    #[arg(long)]
    replace: bool,
    #[command(flatten)]
    index: IndexDir,
    #[command(flatten)]
    processing: index::Processing,
    #[command(flatten)]
    safety: Safety,
    #[command(flatten)]
    output: Output,
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        self.output.json()
    }
}

/// A file that passed its check, and what copying it does.
struct Checked<'a> {
    file: &'a Path,
    name: String,
    /// It replaces a different file of its name.
    replaces: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let json = args.output.json();
    let corpus = match &args.corpus {
        Some(corpus) => corpus.clone(),
        None => identity::recorded(&args.index.index)
            .map(|b| b.path)
            .unwrap_or_else(|| PathBuf::from("corpus")),
    };
    // Another corpus than the index's is refused before anything is copied into it.
    if corpus.exists() {
        identity::check(&args.index.index, &corpus, args.safety.corpus_moved)?;
    } else if let Some(own) = identity::recorded(&args.index.index) {
        if !args.safety.corpus_moved {
            anyhow::bail!(
                "{}: this index belongs to the corpus {}, not to {} (which does not exist); give --corpus {}",
                args.index.index.display(),
                own.path.display(),
                corpus.display(),
                own.path.display()
            );
        }
    }
    let mut checked = Vec::new();
    let mut refused = Vec::new();
    for file in &args.files {
        match check(file, &corpus, args.replace) {
            Ok(c) if checked.iter().any(|o: &Checked| o.name == c.name) => refused.push(format!(
                "{}: another file given is also named {}",
                file.display(),
                c.name
            )),
            Ok(c) => checked.push(c),
            Err(why) => refused.push(format!("{}: {why}", file.display())),
        }
    }
    if !refused.is_empty() {
        for why in &refused {
            report(why, None, json);
        }
        anyhow::bail!(
            "nothing was added: {} of the {} files cannot be added",
            refused.len(),
            args.files.len()
        );
    }
    std::fs::create_dir_all(&corpus)
        .with_context(|| format!("{}: cannot create the corpus", corpus.display()))?;
    for c in &checked {
        let target = corpus.join(&c.name);
        std::fs::copy(c.file, &target).with_context(|| {
            format!(
                "{}: cannot copy into {}",
                c.file.display(),
                corpus.display()
            )
        })?;
        if c.replaces {
            let why = format!(
                "{} was replaced by a different file (peo add --replace): check its title, wave and type, then remove this line",
                c.name
            );
            let flagged = catalog::flag_for_review(&corpus, &c.name, &why)?;
            if !args.output.quiet && flagged {
                report(
                    &format!(
                        "{}: the entry of {} is flagged for review",
                        corpus.join(catalog::FILE_NAME).display(),
                        c.name
                    ),
                    None,
                    json,
                );
            }
        }
        if !args.output.quiet && !json {
            eprintln!("copied {} to {}", c.file.display(), target.display());
        }
    }
    let config = args
        .processing
        .config(corpus, args.index.index, false, &args.safety)?;
    index::index(config, &args.output)
}

/// Whether `file` may be copied into `corpus`: why not, when not. A file the corpus holds
/// already, byte for byte, passes (copying it changes nothing).
fn check<'a>(file: &'a Path, corpus: &Path, replace: bool) -> Result<Checked<'a>, String> {
    let is_pdf = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let name = match file.file_name() {
        Some(name) if is_pdf => name.to_string_lossy().into_owned(),
        _ => return Err("not a PDF (its name does not end in .pdf)".into()),
    };
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read: {e}"))?;
    crate::extract::check(&bytes).map_err(|e| e.to_string())?;
    let target = corpus.join(&name);
    let replaces = match std::fs::read(&target) {
        Ok(old) if old == bytes => false,
        Ok(_) if replace => true,
        Ok(_) => {
            return Err(format!(
                "{} holds a different file of this name; --replace replaces it (and flags its catalog entry for review)",
                corpus.display()
            ))
        }
        Err(_) => false,
    };
    Ok(Checked {
        file,
        name,
        replaces,
    })
}
