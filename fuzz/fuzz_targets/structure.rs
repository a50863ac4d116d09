//! The whole pipeline on arbitrary PDF bytes, seeded with small tagged PDFs written without
//! compression (fuzz/corpus/structure), so that libFuzzer's mutations reach the structure tree
//! (elements, role map, parent tree, marked-content references, cycles) and the marked content
//! of the pages and their forms: `process` must end on every input, and never with a panic it
//! had to contain (`ExtractError::Bug`, or a page's warning); a PDF it cannot read is an ordinary error.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use peo::extract::ExtractError;
use peo::ocr::OcrMode;
use peo::panics::PLEASE_REPORT;
use peo::process::{process, Env};
use peo::segment::Known;

fuzz_target!(|data: &[u8]| {
    let env = Env::standard(OcrMode::Never);
    match process(data, Path::new("fuzz.pdf"), &Known::default(), &env) {
        Ok(processed) => {
            for warning in &processed.document.warnings {
                assert!(!warning.contains(PLEASE_REPORT), "{warning}");
            }
        }
        Err(e @ ExtractError::Bug(_)) => panic!("{e}"),
        Err(_) => {}
    }
});
