//! Repairs made to a loaded PDF before its pages are read, where pdf-extract would misread it
//! or spend its time badly: the range form of CID fonts' /W arrays, and ToUnicode maps that
//! map all 65536 codes with one range.
//!
//! Invariant: a repair never changes the text a page gives, only its positions (widths) or the
//! time it takes (a map cut to the codes the pages show maps those codes as before).

use std::collections::BTreeSet;

use lopdf::{Document as PdfDocument, Object, ObjectId};

use super::content;

/// pdf-extract misreads the range form `c_first c_last w` of a CID font's /W array (it takes
/// no width for the range), so glyphs of such fonts get the default width and the positions of
/// the glyphs after them drift. Rewriting every range into the list form `c_first [w w ...]`,
/// which it reads correctly, gives true positions.
pub(super) fn expand_cid_width_ranges(doc: &mut PdfDocument) {
    let mut arrays: Vec<(ObjectId, Option<ObjectId>)> = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(dict) = obj.as_dict() else { continue };
        let is_cid = dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .is_ok_and(|n| n == b"CIDFontType2" || n == b"CIDFontType0");
        if !is_cid {
            continue;
        }
        match dict.get(b"W") {
            Ok(Object::Reference(r)) => arrays.push((*id, Some(*r))),
            Ok(Object::Array(_)) => arrays.push((*id, None)),
            _ => {}
        }
    }
    for (font_id, array_id) in arrays {
        let target = array_id.unwrap_or(font_id);
        let Some(obj) = doc.objects.get_mut(&target) else {
            continue;
        };
        let w = match (array_id, obj) {
            (Some(_), Object::Array(a)) => a,
            (None, Object::Dictionary(d)) => match d.get_mut(b"W") {
                Ok(Object::Array(a)) => a,
                _ => continue,
            },
            _ => continue,
        };
        let mut out = Vec::with_capacity(w.len());
        let mut i = 0;
        while i < w.len() {
            match (w.get(i), w.get(i + 1), w.get(i + 2)) {
                (Some(first), Some(Object::Array(list)), _) => {
                    out.push(first.clone());
                    out.push(Object::Array(list.clone()));
                    i += 2;
                }
                (Some(first), Some(last), Some(width)) => {
                    let (Ok(first), Ok(last)) = (first.as_i64(), last.as_i64()) else {
                        break;
                    };
                    let n = (last - first + 1).clamp(0, 65536) as usize;
                    out.push(Object::Integer(first));
                    out.push(Object::Array(vec![width.clone(); n]));
                    i += 3;
                }
                _ => break,
            }
        }
        *w = out;
    }
}

/// A ToUnicode CMap with a range this wide is rewritten to the codes the document uses.
const WIDE_RANGE: u32 = 4096;

/// OCR text layers (tesseract's GlyphLessFont) map all 65536 codes with one bfrange, and
/// pdf-extract expands that map into a table again on every page: most of the time spent on a
/// scan went there. When a ToUnicode map holds such a wide range and nothing else, it is
/// replaced by the codes the pages show, mapped the same way.
pub(super) fn shrink_wide_unicode_ranges(doc: &mut PdfDocument) {
    let mut targets: Vec<(ObjectId, u32, u32, u32)> = Vec::new();
    // Only the maps fonts name are read (inflating every stream to look took 6 % of the time of
    // indexing); a stream no font names is never read as a map by pdf-extract either.
    let mut maps = BTreeSet::new();
    for obj in doc.objects.values() {
        to_unicode_refs(obj, &mut maps, 0);
    }
    for id in maps {
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        if stream.dict.has(b"Subtype") || stream.dict.has(b"Type") {
            continue;
        }
        let Ok(data) = stream.decompressed_content() else {
            continue;
        };
        if data.len() > 4096
            || !data.windows(12).any(|w| w == b"beginbfrange")
            || data.windows(11).any(|w| w == b"beginbfchar")
        {
            continue;
        }
        let text = String::from_utf8_lossy(&data);
        let Some(body) = text
            .split("beginbfrange")
            .nth(1)
            .and_then(|b| b.split("endbfrange").next())
        else {
            continue;
        };
        let hex: Vec<u32> = body
            .split(['<', '>'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .filter_map(|t| u32::from_str_radix(t, 16).ok())
            .collect();
        if let [lo, hi, dst] = hex[..] {
            if hi >= lo && hi - lo >= WIDE_RANGE && body.matches('<').count() == 3 {
                targets.push((id, lo, hi, dst));
            }
        }
    }
    if targets.is_empty() {
        return;
    }
    // The codes every content stream shows: pages and form XObjects (OCR tools often wrap the
    // text layer in a form).
    let mut streams: Vec<ObjectId> = doc
        .get_pages()
        .values()
        .flat_map(|&p| doc.get_page_contents(p))
        .collect();
    streams.extend(doc.objects.iter().filter_map(|(id, o)| {
        match o {
            Object::Stream(s)
                if s.dict
                    .get(b"Subtype")
                    .and_then(|t| t.as_name())
                    .is_ok_and(|n| n == b"Form") =>
            {
                Some(*id)
            }
            _ => None,
        }
    }));
    let mut used: BTreeSet<u32> = BTreeSet::new();
    for id in streams {
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        let Ok(data) = stream
            .decompressed_content()
            .or_else(|_| Ok::<_, lopdf::Error>(stream.content.clone()))
        else {
            continue;
        };
        let shown = content::for_each_shown_string(data, |s| {
            used.extend(
                s.chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]) as u32),
            );
        });
        // A stream that cannot be read leaves the maps as they are: better slow than silent.
        if shown.is_none() {
            return;
        }
    }
    for (id, lo, hi, dst) in targets {
        let codes: Vec<u32> = used
            .iter()
            .copied()
            .filter(|c| (lo..=hi).contains(c))
            .collect();
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        for chunk in codes.chunks(100) {
            cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for c in chunk {
                cmap.push_str(&format!("<{c:04X}> <{:04X}>\n", dst + (c - lo)));
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        if let Some(Object::Stream(stream)) = doc.objects.get_mut(&id) {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(cmap.into_bytes());
        }
    }
}

/// Collects the objects that `/ToUnicode` entries in `obj` (a font, or a dictionary or array
/// holding fonts, such as inline resources) refer to.
fn to_unicode_refs(obj: &Object, out: &mut BTreeSet<ObjectId>, depth: u32) {
    if depth > 8 {
        return;
    }
    let dict = match obj {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(items) => {
            for item in items {
                to_unicode_refs(item, out, depth + 1);
            }
            return;
        }
        _ => return,
    };
    for (key, value) in dict.iter() {
        match value {
            Object::Reference(r) if key == b"ToUnicode" => {
                out.insert(*r);
            }
            Object::Dictionary(_) | Object::Array(_) => to_unicode_refs(value, out, depth + 1),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn a_wide_unicode_range_is_cut_to_the_codes_the_pages_show() {
        use lopdf::Stream;
        let mut doc = PdfDocument::with_version("1.7");
        let cmap = b"/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap\n".to_vec();
        let cmap_id = doc.add_object(Stream::new(dictionary! {}, cmap));
        // OCRmyPDF's font, with the map as its ToUnicode.
        doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "GlyphLessFont",
            "ToUnicode" => cmap_id,
        });
        let content = b"BT /F1 10 Tf <0049> Tj [<0065> 120 <0049>] TJ ET".to_vec();
        doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form" },
            content,
        ));
        let pages_id = doc.new_object_id();
        let page_id = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        shrink_wide_unicode_ranges(&mut doc);
        let Object::Stream(s) = doc.get_object(cmap_id).unwrap() else {
            panic!("a stream")
        };
        let text = String::from_utf8(s.content.clone()).unwrap();
        assert!(
            text.contains("2 beginbfchar\n<0049> <0049>\n<0065> <0065>\nendbfchar"),
            "{text}"
        );
        assert!(!text.contains("beginbfrange"), "{text}");
    }

    #[test]
    fn width_ranges_of_cid_fonts_are_expanded_into_lists() {
        let mut doc = PdfDocument::with_version("1.7");
        let w = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(500), Object::Integer(600)]),
            Object::Integer(10),
            Object::Integer(12),
            Object::Integer(556),
        ];
        let font =
            doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "CIDFontType2", "W" => w });
        expand_cid_width_ranges(&mut doc);
        let got = doc
            .get_dictionary(font)
            .unwrap()
            .get(b"W")
            .unwrap()
            .as_array()
            .unwrap()
            .clone();
        let n = |i: i64| Object::Integer(i);
        assert_eq!(
            got,
            vec![
                n(3),
                Object::Array(vec![n(500), n(600)]),
                n(10),
                Object::Array(vec![n(556), n(556), n(556)])
            ]
        );
    }
}
