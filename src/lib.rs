//! peo: search and extraction for the publications of the Professional-ervaringsonderzoek
//! (PEO), the periodic survey of youth-care professionals in Haaglanden.
//!
//! The modules follow the pipeline: `extract` (PDF → glyphs per page) → `layout` (lines in
//! reading order) → `normalize` (furniture and OCR artefacts repaired) → `segment` (sections,
//! recommendations, quotes, key figures, metadata) → `index` (tantivy) → `search`. `pipeline`
//! chains the stages over a corpus, in worker processes (`worker`) unless asked not to;
//! `quality` measures them against hand-made gold.

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
pub mod process;
pub mod quality;
pub mod search;
pub mod segment;
pub mod worker;
