//! Which corpus an index belongs to. The index keeps the canonical path of its corpus and an id
//! (`peo-corpus.json` in the index directory); the corpus keeps the same id
//! (`.peo-corpus-id`), so that a corpus moved with its files is still known as itself.
//!
//! Invariant: an index is only ever updated from its own corpus: another corpus is refused,
//! naming both, unless the caller says the corpus moved.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// The file in the index directory that names its corpus.
pub const INDEX_FILE: &str = "peo-corpus.json";
/// The file in the corpus directory that holds its id.
pub const CORPUS_FILE: &str = ".peo-corpus-id";

/// The corpus an index belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Belonging {
    /// The corpus directory, canonical.
    pub path: PathBuf,
    /// The id written into the corpus.
    pub id: String,
}

/// The corpus the index in `index` belongs to, when it says so.
pub fn recorded(index: &Path) -> Option<Belonging> {
    let text = std::fs::read_to_string(index.join(INDEX_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Whether the index in `index` may be updated from `corpus`, and what it will then record:
/// yes when it records no corpus yet, when it records this one (by path, or by the id that the
/// corpus carries with it when moved), or when `moved` says that the corpus it records is now
/// `corpus`.
pub fn check(index: &Path, corpus: &Path, moved: bool) -> anyhow::Result<Belonging> {
    let path = corpus
        .canonicalize()
        .with_context(|| format!("{}: cannot read the corpus", corpus.display()))?;
    let carried = std::fs::read_to_string(path.join(CORPUS_FILE))
        .ok()
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty());
    let Some(own) = recorded(index) else {
        let id = carried.unwrap_or_else(|| new_id(&path));
        return Ok(Belonging { path, id });
    };
    if own.path == path || carried.as_ref() == Some(&own.id) {
        return Ok(Belonging { path, id: own.id });
    }
    if moved {
        return Ok(Belonging {
            id: carried.unwrap_or(own.id),
            path,
        });
    }
    anyhow::bail!(
        "{}: this index belongs to the corpus {}, not to {}; give --corpus {}, or --corpus-moved if that corpus is now {}",
        index.display(),
        own.path.display(),
        path.display(),
        own.path.display(),
        path.display()
    )
}

/// Records in the index (and, when it can be written, in the corpus) that the index belongs
/// to `belonging`. A corpus that cannot be written (read-only) keeps no id; it is then known
/// by its path alone.
pub fn record(index: &Path, belonging: &Belonging) -> anyhow::Result<()> {
    let in_corpus = belonging.path.join(CORPUS_FILE);
    let carried = std::fs::read_to_string(&in_corpus).unwrap_or_default();
    if carried.trim() != belonging.id {
        let _ = std::fs::write(&in_corpus, format!("{}\n", belonging.id));
    }
    if recorded(index).as_ref() == Some(belonging) {
        return Ok(());
    }
    let text = serde_json::to_string_pretty(belonging)?;
    let temporary = index.join(format!(".{INDEX_FILE}.peo-tmp"));
    std::fs::write(&temporary, text)
        .and_then(|_| std::fs::rename(&temporary, index.join(INDEX_FILE)))
        .with_context(|| format!("{}: cannot write the index", index.display()))
}

/// A new corpus id: unique to this path, process and moment.
fn new_id(path: &Path) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let seed = format!("{}|{}|{now}", path.display(), std::process::id());
    blake3::hash(seed.as_bytes()).to_hex()[..16].to_string()
}
