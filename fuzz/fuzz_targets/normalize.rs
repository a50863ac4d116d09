//! The normaliser on arbitrary pages: `normalize` must return one clean page per page and
//! never panic, and `clean_text` must give folded text without control characters.

#![no_main]

use libfuzzer_sys::fuzz_target;
use peo::lexicon::Lexicon;
use peo::normalize::{clean_text, normalize};

fuzz_target!(|data: &[u8]| {
    let pages = peo_fuzz::laid_pages(data);
    let normalized = normalize(&pages, Lexicon::dutch());
    assert_eq!(normalized.pages.len(), pages.len());
    for line in pages.iter().flat_map(|p| &p.lines) {
        let clean = clean_text(&line.text);
        assert!(!clean.chars().any(char::is_control), "{clean:?}");
        assert!(!clean.contains("  "), "{clean:?}");
        assert_eq!(clean.trim(), clean, "{clean:?}");
    }
});
