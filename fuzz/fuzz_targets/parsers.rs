//! The parsers peo added to its vendored pdf-extract against the ones they stand in for, on
//! arbitrary bytes: whatever `decode_content` reads must be what lopdf's content parser reads,
//! and whatever `read_unicode_map` reads must be what adobe_cmap_parser reads; both may leave
//! the input to those (`None`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(fast) = pdf_extract::decode_content(data) {
        let slow = lopdf::content::Content::decode(data).expect("lopdf reads what peo read");
        assert_eq!(fast.operations.len(), slow.operations.len());
        for (a, b) in fast.operations.iter().zip(&slow.operations) {
            assert_eq!(a.operator, b.operator);
            assert_eq!(a.operands, b.operands);
        }
    }
    if let Some(map) = pdf_extract::read_unicode_map(data) {
        assert_eq!(Ok(map), pdf_extract::published_unicode_map(data));
    }
});
