//! The segmenter on arbitrary pages: `segment` must return a document with every page and
//! never panic, with or without what the catalog knows.

#![no_main]

use libfuzzer_sys::fuzz_target;
use peo::model::{DocType, Wave};
use peo::segment::{segment, Known};

fuzz_target!(|data: &[u8]| {
    let pages = peo_fuzz::clean_pages(data);
    let document = segment(&pages, &Known::default());
    assert_eq!(document.pages.len(), pages.len());
    let known = Known {
        title: Some("Titel".into()),
        wave: Wave::parse("2024-2025"),
        doc_type: Some(DocType::Rapport),
        pdf_title: None,
    };
    let document = segment(&pages, &known);
    assert_eq!(document.wave, Wave::parse("2024-2025"));
});
