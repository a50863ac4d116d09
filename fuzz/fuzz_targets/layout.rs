//! Layout on arbitrary glyphs and rectangles: `lay_out` must return a page and never panic,
//! whatever positions, sizes and widths a PDF gives (NaN, infinite, negative, huge, zero), and
//! normalisation and segmentation must take what it returns.

#![no_main]

use libfuzzer_sys::fuzz_target;
use peo::layout::lay_out;
use peo::lexicon::Lexicon;
use peo::model::RawPage;
use peo::normalize::normalize;
use peo::segment::{segment, Known};

fuzz_target!(|data: &[u8]| {
    let (glyphs, rects) = peo_fuzz::glyphs_and_rects(data);
    let page = RawPage {
        number: 1,
        width: 595.0,
        height: 842.0,
        glyphs,
        rects,
        ..RawPage::default()
    };
    let laid = lay_out(&page);
    let normalized = normalize(std::slice::from_ref(&laid), Lexicon::dutch());
    let document = segment(&normalized.pages, &Known::default());
    assert_eq!(document.pages.len(), 1);
});
