//! The librarian's metadata file, corpus/catalog.toml: one entry per PDF with title, wave,
//! document type and provenance. What it says wins over what peo detects.
//!
//! Invariant: a missing catalog is an empty one; a malformed catalog is an error naming the file
//! and the line, never silently ignored.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::model::{DocType, Wave};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Catalog {
    #[serde(default, rename = "document")]
    pub documents: Vec<Entry>,
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
}

pub const FILE_NAME: &str = "catalog.toml";

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

    pub fn parse(text: &str) -> anyhow::Result<Catalog> {
        Ok(toml::from_str(text)?)
    }

    /// The entry for a file, by its path relative to the corpus.
    pub fn entry(&self, relative: &str) -> Option<&Entry> {
        self.documents.iter().find(|e| e.file == relative)
    }
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
    fn a_malformed_catalog_is_an_error() {
        assert!(Catalog::parse("[[document]]\nfile = ").is_err());
        let wrong_wave = Catalog::parse("[[document]]\nfile = \"a.pdf\"\nwave = \"2022-2024\"");
        assert!(format!("{:#}", wrong_wave.unwrap_err()).contains("not a wave"));
    }
}
