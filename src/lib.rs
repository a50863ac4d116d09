//! peo: search and extraction for the publications of the Professional-ervaringsonderzoek
//! (PEO), the periodic survey of youth-care professionals in Haaglanden.
//!
//! The stages: `extract` (PDF → glyphs per page) → `ocr` (image pages) → `layout` (lines in
//! reading order) → `normalize` (furniture and OCR artefacts repaired) → `segment` (sections,
//! recommendations, quotes, key figures, metadata), chained for one file by `process::process`
//! only. The use cases: `corpus::index` (what to (re)process, in parallel, in `worker`
//! processes unless asked not to, written into the `index`) and `search::search`. `cli` parses
//! and prints; `quality` measures the same functions against hand-made gold, `zoo` against the
//! gold derived for the layout zoo.

pub mod catalog;
pub mod cli;
pub mod corpus;
pub mod extract;
pub mod index;
pub mod layout;
pub mod lexicon;
pub mod model;
pub mod morphology;
pub mod normalize;
pub mod ocr;
pub mod panics;
pub mod process;
pub mod quality;
pub mod search;
pub mod segment;
pub mod worker;
pub mod zoo;
