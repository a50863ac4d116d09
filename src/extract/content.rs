//! The operations of a content stream, for peo's own walks over them (is there invisible
//! text, which codes does a page show).
//!
//! Invariant: one reader of content streams. The walks read a stream with pdf-extract's own
//! (`pdf_extract::content_operations`: its fast parser, lopdf's for what that one leaves), so
//! they see exactly the operations pdf-extract interprets.

use lopdf::content::Content;
use lopdf::Object;

/// The operations of `content` as pdf-extract interprets them, or `None` when neither parser
/// reads it (pdf-extract then reads what it can salvage; a walk takes the stream as unread).
fn operations(content: Vec<u8>) -> Option<Content> {
    pdf_extract::content_operations(content).ok()
}

/// Whether `content` sets text render mode 3 (neither fill nor stroke): the invisible text
/// that OCR programs lay over a scanned image. A stream that cannot be read sets none.
pub(super) fn sets_invisible_text(content: Vec<u8>) -> bool {
    // Most pages with an image set no render mode at all: no `Tr` in the bytes, nothing to
    // parse.
    if !content.windows(2).any(|w| w == b"Tr") {
        return false;
    }
    operations(content).is_some_and(|c| {
        c.operations.iter().any(|op| {
            op.operator == "Tr" && matches!(op.operands.first(), Some(Object::Integer(3)))
        })
    })
}

/// Calls `f` on each string `content` shows (the operands of `Tj`, `'` and `"`, and the
/// strings of a `TJ` array); `None` when the stream cannot be read.
pub(super) fn for_each_shown_string(content: Vec<u8>, mut f: impl FnMut(&[u8])) -> Option<()> {
    let content = operations(content)?;
    for op in &content.operations {
        if !matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\"") {
            continue;
        }
        for operand in &op.operands {
            match operand {
                Object::String(bytes, _) => f(bytes),
                Object::Array(items) => items
                    .iter()
                    .filter_map(|o| o.as_str().ok())
                    .for_each(&mut f),
                _ => {}
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(content: &[u8]) -> Option<Vec<String>> {
        let mut out = Vec::new();
        for_each_shown_string(content.to_vec(), |s| {
            out.push(String::from_utf8_lossy(s).into_owned())
        })?;
        Some(out)
    }

    #[test]
    fn the_strings_a_stream_shows_are_those_of_the_text_showing_operators() {
        // TJ arrays give their own strings, not those of arrays inside them; a comment is white
        // space; an inline image, which the fast parser leaves to lopdf, is read past.
        let content = b"BT /F1 12 Tf (een) Tj % (commentaar) Tj\n[(t) -20 <7765> [(x)]] TJ \
            (drie) ' 1 2 (vier) \" /Span <</ActualText (niet)>> BDC EMC ET \
            q BI /W 1 /H 1 /CS /G /BPC 8 ID x EI Q";
        assert_eq!(
            shown(content),
            Some(
                ["een", "t", "we", "drie", "vier"]
                    .map(String::from)
                    .to_vec()
            )
        );
        // An inline image that never ends: lopdf gives up on the whole stream.
        assert_eq!(shown(b"BT (x) Tj ET BI /W 1 /H 1 ID x"), None);
    }

    #[test]
    fn invisible_text_is_text_render_mode_3() {
        assert!(sets_invisible_text(b"BT 3 Tr /F1 8 Tf (x) Tj ET".to_vec()));
        assert!(sets_invisible_text(b"% OCR\nBT 3 Tr ET".to_vec()));
        assert!(!sets_invisible_text(b"BT 0 Tr /F1 8 Tf (x) Tj ET".to_vec()));
        assert!(!sets_invisible_text(
            b"BT 3 Tr ET BI /W 1 /H 1 ID x".to_vec()
        ));
    }
}
