//! Opening a PDF with limits: the file is checked to be a PDF, loaded by the lopdf that
//! pdf-extract reads through `filter_streams`, and re-saved by a newer lopdf when the older one
//! cannot parse it.
//!
//! Invariant: no stream is inflated without a bound. Image streams are emptied while loading,
//! because pdf-extract would otherwise decompress every scan image and parse it as a content
//! stream; every other compressed stream is inflated within `MAX_INFLATED` first, so a
//! decompression bomb fails its file instead of exhausting memory.

use lopdf::{Document as PdfDocument, LoadOptions, Object};

use super::{quietly, ExtractError};

/// The PDF loaded and checked (`open`), re-saved by the newer lopdf first when the older one
/// cannot parse it or finds no pages.
pub(super) fn load(bytes: &[u8]) -> Result<PdfDocument, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::NotPdf);
    }
    match open(bytes) {
        Err(e @ (ExtractError::Parse(_) | ExtractError::NoPages)) => {
            match resave(bytes).map(|b| open(&b)) {
                Some(Ok(doc)) => Ok(doc),
                Some(Err(ExtractError::Bomb)) => Err(ExtractError::Bomb),
                _ => Err(e),
            }
        }
        result => result,
    }
}

/// Loads a PDF with lopdf, the version pdf-extract reads, through `filter_streams`, and checks
/// that it can be read: not encrypted with a password, no decompression bomb, some pages.
pub(super) fn open(bytes: &[u8]) -> Result<PdfDocument, ExtractError> {
    let options = LoadOptions::with_filter(filter_streams);
    let doc = quietly(|| PdfDocument::load_mem_with_options(bytes, options))
        .map_err(ExtractError::Panic)?
        .map_err(|e| ExtractError::Parse(e.to_string()))?;
    if doc.is_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    let is_bomb = |o: &Object| o.as_stream().is_ok_and(|s| s.dict.has(b"PeoBomb"));
    if doc.objects.values().any(is_bomb) {
        return Err(ExtractError::Bomb);
    }
    if doc.get_pages().is_empty() {
        return Err(ExtractError::NoPages);
    }
    Ok(doc)
}

/// The PDF as a newer lopdf reads and writes it again, for a file the older one cannot parse
/// or finds no pages in: lopdf 0.47 recovers broken cross-reference tables and trailers and
/// rebuilds a lost page tree (only when loading without a filter), and writes a file with a
/// correct table. Its own bound on inflating streams is set to `MAX_INFLATED`; the streams of
/// the file it writes are checked again when `open` loads it.
pub(super) fn resave(bytes: &[u8]) -> Option<Vec<u8>> {
    let options = lopdf_047::LoadOptions {
        max_decompressed_size: Some(MAX_INFLATED as usize),
        ..Default::default()
    };
    let mut doc = quietly(|| lopdf_047::Document::load_mem_with_options(bytes, options))
        .ok()?
        .ok()?;
    let mut out = Vec::new();
    quietly(|| doc.save_to(&mut out)).ok()?.ok()?;
    Some(out)
}

/// The most one stream (a content stream, a font, an object stream) may inflate to. Real
/// content streams take kilobytes to a few megabytes; pdf-extract parses a content stream into
/// operations that take several times its size.
pub(super) const MAX_INFLATED: u64 = 64 << 20;

/// Runs on every object as lopdf loads it. Empties image streams: their pixels are never
/// needed for text, and pdf-extract would decompress them and parse them as content. Marks
/// (`/PeoBomb`, emptied) a stream that inflates to more than `MAX_INFLATED`: lopdf and
/// pdf-extract inflate whole streams into memory without a bound. An object stream loses its
/// `/Type` with it, or lopdf would drop it and the mark. A stream compressed only with
/// FlateDecode is kept inflated, as the check left it, so that pdf-extract and peo's own walks
/// do not inflate its content again.
fn filter_streams(id: (u32, u16), object: &mut Object) -> Option<((u32, u16), Object)> {
    let Object::Stream(stream) = object else {
        // An object of an object stream: lopdf keeps what is returned.
        return Some((id, object.clone()));
    };
    let is_image = stream
        .dict
        .get(b"Subtype")
        .and_then(|s| s.as_name())
        .map(|n| n == b"Image")
        .unwrap_or(false);
    if is_image {
        stream.dict.remove(b"Filter");
        stream.dict.remove(b"DecodeParms");
        stream.dict.set("PeoImage", Object::Boolean(true));
        stream.set_content(Vec::new());
    } else {
        let filters = stream.filters().unwrap_or_default();
        let only_flate = filters == [b"FlateDecode".as_slice()] && !stream.dict.has(b"DecodeParms");
        match inflate_within(&filters, &stream.content, MAX_INFLATED) {
            Inflated::Within(Some(inflated)) if only_flate => {
                stream.dict.remove(b"Filter");
                stream.set_content(inflated);
            }
            Inflated::Within(_) => {}
            Inflated::Over => {
                stream.dict.remove(b"Filter");
                stream.dict.remove(b"DecodeParms");
                stream.dict.remove(b"Type");
                stream.dict.set("PeoBomb", Object::Boolean(true));
                stream.set_content(Vec::new());
            }
        }
    }
    // A stream is never part of an object stream (ISO 32000-1, 7.5.7): lopdf keeps the object
    // it changed in place and only looks at whether something is returned, so the stream's
    // content is not copied.
    Some((id, Object::Null))
}

/// What the FlateDecode stages of a stream's filters give.
enum Inflated {
    /// At most the cap: the bytes they give, when the stages were all FlateDecode.
    Within(Option<Vec<u8>>),
    /// More than the cap.
    Over,
}

/// Inflates the FlateDecode stages of a stream's `filters` (in decoding order) from its
/// `content`, up to `cap` bytes. Inflating stops at the first byte over the cap, so a bomb
/// costs `cap` bytes of memory, not its size. The check ends at the first other filter
/// (ASCII85 and ASCIIHex shrink; LZW, rare in producers since 2000, is not bounded).
fn inflate_within(filters: &[&[u8]], content: &[u8], cap: u64) -> Inflated {
    let mut data: Option<Vec<u8>> = None;
    for &filter in filters {
        if filter != b"FlateDecode" {
            return Inflated::Within(None);
        }
        match inflate_capped(data.as_deref().unwrap_or(content), cap) {
            Some(inflated) => data = Some(inflated),
            None => return Inflated::Over,
        }
    }
    Inflated::Within(data)
}

/// Whether the FlateDecode stages of `filters` give at most `cap` bytes from `content`.
pub(super) fn inflates_within(filters: &[&[u8]], content: &[u8], cap: u64) -> bool {
    !matches!(inflate_within(filters, content, cap), Inflated::Over)
}

/// The bytes `data` inflates to, or `None` when that is more than `cap`. Like lopdf, a zlib
/// stream that fails at once is retried as raw deflate after its 2-byte header, and corrupt
/// data gives what inflated before the error.
fn inflate_capped(data: &[u8], cap: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    let zlib = flate2::read::ZlibDecoder::new(data)
        .take(cap + 1)
        .read_to_end(&mut out);
    if zlib.is_err() && out.is_empty() && data.len() > 2 {
        let _ = flate2::read::DeflateDecoder::new(&data[2..])
            .take(cap + 1)
            .read_to_end(&mut out);
    }
    (out.len() as u64 <= cap).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn a_flate_stream_is_kept_inflated_and_a_bomb_is_emptied() {
        use std::io::Write;
        let deflate = |data: &[u8]| {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let stream = |content: Vec<u8>| {
            Object::Stream(lopdf::Stream::new(
                dictionary! { "Filter" => "FlateDecode" },
                content,
            ))
        };
        let text = b"BT /F1 12 Tf (a) Tj ET".to_vec();
        let mut small = stream(deflate(&text));
        filter_streams((1, 0), &mut small);
        let small = small.as_stream().unwrap();
        assert_eq!(small.content, text);
        assert!(!small.dict.has(b"Filter"));
        let mut bomb = stream(deflate(&vec![b' '; MAX_INFLATED as usize + 1]));
        filter_streams((2, 0), &mut bomb);
        let bomb = bomb.as_stream().unwrap();
        assert!(bomb.content.is_empty() && bomb.dict.has(b"PeoBomb"));
    }

    #[test]
    fn inflating_stops_at_the_cap_through_every_flate_stage() {
        use std::io::Write;
        let deflate = |data: &[u8]| {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let once = deflate(&vec![b' '; 1 << 20]);
        let twice = deflate(&once);
        let flate: &[u8] = b"FlateDecode";
        let check = |filters: &[&[u8]], content: &[u8], cap: u64, expected: bool| {
            assert_eq!(inflates_within(filters, content, cap), expected, "{cap}");
        };
        check(&[flate], &once, 1 << 20, true);
        check(&[flate], &once, (1 << 20) - 1, false);
        check(&[flate, flate], &twice, 1 << 20, true);
        check(&[flate, flate], &twice, 1 << 16, false);
        // Other filters are not inflated here, and a stream without filters is as long as it is.
        check(&[b"LZWDecode"], &once, 1, true);
        check(&[], &once, 1, true);
    }
}
