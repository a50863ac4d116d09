//! The librarian's metadata file, corpus/catalog.toml: one entry per PDF with title, wave,
//! document type and provenance. What it says wins over what peo detects. Every entry is
//! checked as it is read: a wave written otherwise than `2022` or `2022-2023` is normalised, a
//! value that is no wave or no document type is left out, and unknown keys, entries without a
//! file and entries flagged for review are reported (`Catalog::problems`).
//!
//! Invariant: a missing catalog is an empty one; a catalog that is not TOML is an error naming
//! the file and the line; a problem of one entry is reported, never silently ignored, and costs
//! only the value it concerns.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::model::{DocType, Wave};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Catalog {
    #[serde(default, rename = "document")]
    pub documents: Vec<Entry>,
    /// What is wrong with the catalog as it was read, one message each ("entry
    /// \"a.pdf\": unknown key \"titel\""), entry by entry, the keys of one in sorted order.
    #[serde(skip)]
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The PDF's path relative to the corpus directory.
    pub file: String,
    /// The gold annotation the file is scored against (tests/gold/<gold>.json).
    pub gold: Option<String>,
    pub title: Option<String>,
    pub wave: Option<Wave>,
    pub doc_type: Option<DocType>,
    /// born-digital, scan-ocr or scan-image.
    pub variant: Option<String>,
    pub producer: Option<String>,
    pub publisher: Option<String>,
    pub source: Option<String>,
    pub licence: Option<String>,
    /// Why the entry needs a librarian's look (`peo add --replace` put a different file under
    /// its name); reported on every run until the key is removed.
    pub review: Option<String>,
    /// The file (or document id) of the publication this file is a copy of, such as the
    /// born-digital original of a scan: the copy takes the original's title, wave and type
    /// where its own entry gives none, so that peo shows the two as one publication.
    pub same_as: Option<String>,
}

pub const FILE_NAME: &str = "catalog.toml";

/// The keys of an entry with a text value (besides `file`, `wave` and `doc_type`).
const TEXT_KEYS: [&str; 9] = [
    "gold",
    "title",
    "variant",
    "producer",
    "publisher",
    "source",
    "licence",
    "review",
    "same_as",
];

impl Catalog {
    /// Reads `catalog.toml` in `corpus`, or an empty catalog when there is none.
    pub fn load(corpus: &Path) -> anyhow::Result<Catalog> {
        let path = corpus.join(FILE_NAME);
        if !path.exists() {
            return Ok(Catalog::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        Catalog::parse(&text).with_context(|| format!("{}: invalid catalog", path.display()))
    }

    /// Reads a catalog's text; fails only when it is not TOML.
    pub fn parse(text: &str) -> anyhow::Result<Catalog> {
        let table: toml::Table = toml::from_str(text)?;
        let mut catalog = Catalog::default();
        for (key, value) in &table {
            if key != "document" {
                catalog.problems.push(format!(
                    "unknown key {key:?} (entries are [[document]] tables)"
                ));
                continue;
            }
            let Some(entries) = value.as_array() else {
                catalog
                    .problems
                    .push("\"document\" is not a list of [[document]] tables".into());
                continue;
            };
            for (n, value) in entries.iter().enumerate() {
                let entry = value
                    .as_table()
                    .and_then(|t| read_entry(t, &mut catalog.problems));
                match entry {
                    Some(entry) => {
                        if catalog.entry(&entry.file).is_some() {
                            catalog.problems.push(format!(
                                "entry {:?}: a second entry for the same file, ignored",
                                entry.file
                            ));
                        } else {
                            catalog.documents.push(entry);
                        }
                    }
                    None => catalog.problems.push(format!(
                        "[[document]] number {}: an entry without a file, ignored",
                        n + 1
                    )),
                }
            }
        }
        catalog.join_copies();
        Ok(catalog)
    }

    /// Checks every `same_as` and gives a copy the title, wave and type of its original where
    /// its own entry has none. A `same_as` that names no other entry (by its file, or its file
    /// without ".pdf"), or that leads back to its own entry, is a problem and left out; a copy
    /// of a copy takes the first original that is no copy.
    fn join_copies(&mut self) {
        let find = |documents: &[Entry], name: &str| {
            documents
                .iter()
                .position(|e| e.file == name || e.file.strip_suffix(".pdf") == Some(name))
        };
        for i in 0..self.documents.len() {
            let Some(name) = self.documents[i].same_as.clone() else {
                continue;
            };
            let file = self.documents[i].file.clone();
            // Follows the chain of copies to an entry that is no copy.
            let mut seen = vec![i];
            let mut at = find(&self.documents, &name);
            let original = loop {
                match at {
                    None => {
                        break Err(format!(
                            "same_as {name:?} names no entry of the catalog (a file or document id), left out"
                        ))
                    }
                    Some(j) if seen.contains(&j) => {
                        break Err(format!(
                            "same_as {name:?} leads back to this entry, left out"
                        ))
                    }
                    Some(j) => match self.documents[j].same_as.clone() {
                        None => break Ok(j),
                        Some(next) => {
                            seen.push(j);
                            at = find(&self.documents, &next);
                        }
                    },
                }
            };
            match original {
                Ok(j) => {
                    let (title, wave, doc_type) = {
                        let o = &self.documents[j];
                        (o.title.clone(), o.wave, o.doc_type)
                    };
                    if title.is_none() || wave.is_none() || doc_type.is_none() {
                        self.problems.push(format!(
                            "entry {file:?}: same_as {name:?}, whose entry does not give title, \
                             wave and doc_type: the copy is one publication with it only where \
                             peo reads the same ones from both"
                        ));
                    }
                    let copy = &mut self.documents[i];
                    copy.title = copy.title.take().or(title);
                    copy.wave = copy.wave.or(wave);
                    copy.doc_type = copy.doc_type.or(doc_type);
                }
                Err(problem) => {
                    self.problems.push(format!("entry {file:?}: {problem}"));
                    self.documents[i].same_as = None;
                }
            }
        }
    }

    /// The entry for a file, by its path relative to the corpus.
    pub fn entry(&self, relative: &str) -> Option<&Entry> {
        self.documents.iter().find(|e| e.file == relative)
    }

    /// The problems of entries whose file is not among `files` (paths relative to the corpus).
    pub fn without_file(&self, files: &[String]) -> Vec<String> {
        self.documents
            .iter()
            .filter(|e| !files.contains(&e.file))
            .map(|e| format!("entry {:?}: no such file in the corpus", e.file))
            .collect()
    }
}

/// One `[[document]]` table; none when it names no file. Its problems go to `problems`.
fn read_entry(table: &toml::Table, problems: &mut Vec<String>) -> Option<Entry> {
    let file = table.get("file")?.as_str()?.to_string();
    let mut entry = Entry {
        file: file.clone(),
        ..Entry::default()
    };
    let mut problem = |what: String| problems.push(format!("entry {file:?}: {what}"));
    for (key, value) in table {
        match key.as_str() {
            "file" => {}
            "wave" => {
                let written = match value {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Integer(n) => n.to_string(),
                    other => other.to_string(),
                };
                match Wave::parse(&written) {
                    Some(wave) if wave.to_string() == written => entry.wave = Some(wave),
                    Some(wave) => {
                        problem(format!("wave {written:?} read as \"{wave}\" (write it so)"));
                        entry.wave = Some(wave);
                    }
                    None => problem(format!(
                        "wave {written:?} is not a wave (2022 or 2022-2023), left out"
                    )),
                }
            }
            "doc_type" => match value.as_str().map(str::parse::<DocType>) {
                Some(Ok(doc_type)) => entry.doc_type = Some(doc_type),
                Some(Err(e)) => problem(format!("{e}, left out")),
                None => problem(format!("doc_type {value} is not text, left out")),
            },
            key if TEXT_KEYS.contains(&key) => match value.as_str() {
                Some(text) => {
                    let text = Some(text.to_string());
                    match key {
                        "gold" => entry.gold = text,
                        "title" => entry.title = text,
                        "variant" => entry.variant = text,
                        "producer" => entry.producer = text,
                        "publisher" => entry.publisher = text,
                        "source" => entry.source = text,
                        "licence" => entry.licence = text,
                        "same_as" => entry.same_as = text,
                        _ => entry.review = text,
                    }
                }
                None => problem(format!("{key} {value} is not text, left out")),
            },
            key => problem(format!(
                "unknown key {key:?} (known: file, wave, doc_type, {})",
                TEXT_KEYS.join(", ")
            )),
        }
    }
    if let Some(why) = &entry.review {
        problems.push(format!("entry {file:?}: flagged for review: {why}"));
    }
    Some(entry)
}

/// Makes the entry of `old` the entry of `new` in the catalog file of `corpus` (a file renamed
/// in the corpus keeps its entry), changing only its `file` line; false when no entry names
/// `old`.
pub fn rename_entry(corpus: &Path, old: &str, new: &str) -> anyhow::Result<bool> {
    edit_entry(corpus, old, |lines, at| {
        lines[at] = format!("file = {}", toml::Value::String(new.to_string()));
    })
}

/// Flags the entry of `file` in the catalog file of `corpus` for review with `why` (a `review`
/// key after its `file` line, replacing one it had); false when no entry names `file`.
pub fn flag_for_review(corpus: &Path, file: &str, why: &str) -> anyhow::Result<bool> {
    edit_entry(corpus, file, |lines, at| {
        let end = (at + 1..lines.len())
            .find(|&i| lines[i].trim_start().starts_with('['))
            .unwrap_or(lines.len());
        if let Some(i) = (at + 1..end).find(|&i| key_of(&lines[i]) == Some("review")) {
            lines.remove(i);
        }
        lines.insert(
            at + 1,
            format!("review = {}", toml::Value::String(why.to_string())),
        );
    })
}

/// The key a line of TOML sets, if it sets one.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_')).then_some(key)
}

/// Edits the catalog file as text, so that its comments and layout stay: `edit` gets the lines
/// and the index of the line `file = "<file>"`; the result is checked to read as the same
/// catalog would, and written in place of the old one at once.
fn edit_entry(
    corpus: &Path,
    file: &str,
    edit: impl FnOnce(&mut Vec<String>, usize),
) -> anyhow::Result<bool> {
    let path = corpus.join(FILE_NAME);
    if !path.exists() {
        return Ok(false);
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let names_file = |line: &str| {
        key_of(line) == Some("file")
            && line
                .split_once('=')
                .and_then(|(_, v)| toml::from_str::<toml::Table>(&format!("v = {v}")).ok())
                .and_then(|t| t.get("v").and_then(|v| v.as_str().map(str::to_string)))
                .is_some_and(|v| v == file)
    };
    let Some(at) = lines.iter().position(|l| names_file(l)) else {
        return Ok(false);
    };
    edit(&mut lines, at);
    let mut edited = lines.join("\n");
    edited.push('\n');
    Catalog::parse(&edited).with_context(|| format!("{}: cannot edit", path.display()))?;
    let temporary = corpus.join(format!(".{FILE_NAME}.peo-tmp"));
    std::fs::write(&temporary, edited)
        .and_then(|_| std::fs::rename(&temporary, &path))
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_by_file() {
        let c = Catalog::parse(
            r#"
            [[document]]
            file = "peo-2022-factsheet.pdf"
            title = "Factsheet"
            wave = "2022"
            doc_type = "factsheet"
            "#,
        )
        .unwrap();
        assert_eq!(
            c.entry("peo-2022-factsheet.pdf").and_then(|e| e.wave),
            Wave::parse("2022")
        );
        assert!(c.entry("other.pdf").is_none());
    }

    #[test]
    fn a_catalog_that_is_not_toml_is_an_error() {
        assert!(Catalog::parse("[[document]]\nfile = ").is_err());
    }

    fn check(text: &str, expected: &[&str]) -> Catalog {
        let catalog = Catalog::parse(text).unwrap();
        assert_eq!(catalog.problems, expected);
        catalog
    }

    #[test]
    fn every_problem_of_an_entry_is_reported_and_costs_only_its_value() {
        let c = check(
            "[[document]]\nfile = \"a.pdf\"\nwave = \"2024/2025\"\ndoc_type = \"folder\"\ntitel = \"A\"\n\
             [[document]]\nfile = \"b.pdf\"\nwave = \"2022-2024\"\n\
             [[document]]\ntitle = \"no file\"\n",
            &[
                "entry \"a.pdf\": not a document type: \"folder\" (rapport, samenvatting, factsheet, webpagina), left out",
                "entry \"a.pdf\": unknown key \"titel\" (known: file, wave, doc_type, gold, title, variant, producer, publisher, source, licence, review, same_as)",
                "entry \"a.pdf\": wave \"2024/2025\" read as \"2024-2025\" (write it so)",
                "entry \"b.pdf\": wave \"2022-2024\" is not a wave (2022 or 2022-2023), left out",
                "[[document]] number 3: an entry without a file, ignored",
            ],
        );
        let a = c.entry("a.pdf").unwrap();
        assert_eq!((a.wave, a.doc_type), (Wave::parse("2024-2025"), None));
        assert_eq!(c.entry("b.pdf").unwrap().wave, None);
        assert_eq!(c.documents.len(), 2);
    }

    #[test]
    fn a_copy_takes_its_originals_publication_and_a_wrong_same_as_is_a_problem() {
        let c = check(
            "[[document]]\nfile = \"a.pdf\"\ntitle = \"A\"\nwave = \"2022\"\ndoc_type = \"factsheet\"\n\
             [[document]]\nfile = \"a-scan.pdf\"\nsame_as = \"a\"\n\
             [[document]]\nfile = \"a-copy.pdf\"\nsame_as = \"a-scan.pdf\"\nwave = \"2023\"\n\
             [[document]]\nfile = \"b.pdf\"\nsame_as = \"c.pdf\"\n\
             [[document]]\nfile = \"d.pdf\"\nsame_as = \"e.pdf\"\n\
             [[document]]\nfile = \"e.pdf\"\nsame_as = \"d\"\n",
            &[
                "entry \"b.pdf\": same_as \"c.pdf\" names no entry of the catalog (a file or document id), left out",
                "entry \"d.pdf\": same_as \"e.pdf\" leads back to this entry, left out",
                "entry \"e.pdf\": same_as \"d\", whose entry does not give title, wave and doc_type: the copy is one publication with it only where peo reads the same ones from both",
            ],
        );
        let scan = c.entry("a-scan.pdf").unwrap();
        assert_eq!(scan.title.as_deref(), Some("A"));
        assert_eq!(scan.wave, Wave::parse("2022"));
        assert_eq!(scan.doc_type, Some(DocType::Factsheet));
        // A copy of a copy takes the original's; what its own entry says wins.
        let copy = c.entry("a-copy.pdf").unwrap();
        assert_eq!(copy.title.as_deref(), Some("A"));
        assert_eq!(copy.wave, Wave::parse("2023"));
        assert_eq!(c.entry("b.pdf").unwrap().same_as, None);
    }

    #[test]
    fn entries_are_renamed_and_flagged_in_place() {
        let dir = std::env::temp_dir().join(format!("peo-catalog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "# kept\n[[document]]\nfile = \"a.pdf\"\ntitle = \"A\"\n\n[[document]]\nfile = 'b.pdf'\nreview = \"old\"\n";
        std::fs::write(dir.join(FILE_NAME), text).unwrap();
        assert!(rename_entry(&dir, "a.pdf", "sub/c.pdf").unwrap());
        assert!(flag_for_review(&dir, "b.pdf", "new").unwrap());
        assert!(!flag_for_review(&dir, "d.pdf", "new").unwrap());
        let edited = std::fs::read_to_string(dir.join(FILE_NAME)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            edited,
            "# kept\n[[document]]\nfile = \"sub/c.pdf\"\ntitle = \"A\"\n\n[[document]]\nfile = 'b.pdf'\nreview = \"new\"\n"
        );
    }
}
