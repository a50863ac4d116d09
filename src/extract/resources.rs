//! What a page's resources and the dictionaries they point to say: the fonts' weight and
//! slant, the XObjects a page draws (images and forms), whether it lays invisible text over
//! an image, and its size.
//!
//! Invariant: reads only; a resource that is missing or malformed reads as absent, never as an
//! error, and every walk through nested forms is bounded in depth.

use lopdf::{Document as PdfDocument, Object, ObjectId};

use super::content;

fn deref<'a>(doc: &'a PdfDocument, obj: &'a Object) -> &'a Object {
    match obj {
        Object::Reference(r) => doc.get_object(*r).unwrap_or(obj),
        o => o,
    }
}

/// How a font sets its text: bold when its name says so ("LiberationSans-Bold", "Arial,Bold",
/// "DejaVuSans-BoldOblique", "…-Semibold", "…-Black") or its descriptor gives a weight of 600
/// or more; italic when its name says so ("…-Italic", "…-Oblique", "Arial,Italic") or its
/// descriptor slants it by more than a degree. Subset prefixes ("ABCDEF+") do not matter.
pub(super) fn font_style(doc: &PdfDocument, font: &lopdf::Dictionary) -> FontStyle {
    let name = |d: &lopdf::Dictionary| {
        d.get(b"BaseFont")
            .ok()
            .and_then(|n| deref(doc, n).as_name().ok())
            .map(|n| String::from_utf8_lossy(n).to_lowercase())
            .unwrap_or_default()
    };
    let descendant = font
        .get(b"DescendantFonts")
        .ok()
        .and_then(|d| deref(doc, d).as_array().ok())
        .and_then(|a| a.first())
        .and_then(|d| deref(doc, d).as_dict().ok());
    let descriptor = |key: &[u8]| {
        [Some(font), descendant]
            .into_iter()
            .flatten()
            .filter_map(|d| {
                d.get(b"FontDescriptor")
                    .ok()
                    .and_then(|fd| deref(doc, fd).as_dict().ok())
                    .and_then(|fd| fd.get(key).ok())
                    .and_then(|v| v.as_float().ok())
            })
            .collect::<Vec<f32>>()
    };
    let weight = descriptor(b"FontWeight").iter().any(|&w| w >= 600.0);
    let slant = descriptor(b"ItalicAngle").iter().any(|&a| a.abs() > 1.0);
    let names = name(font) + " " + &descendant.map(name).unwrap_or_default();
    FontStyle {
        bold: weight
            || ["bold", "black", "heavy", "semibold", "demibold"]
                .iter()
                .any(|w| names.contains(w)),
        italic: slant || ["italic", "oblique"].iter().any(|w| names.contains(w)),
    }
}

/// The weight and slant of a font (`font_style`).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct FontStyle {
    pub(super) bold: bool,
    pub(super) italic: bool,
}

/// The XObjects the page's resources name (images and forms), and those that its forms name in
/// turn, a few levels deep.
fn page_xobjects(doc: &PdfDocument, page_id: ObjectId) -> Vec<&lopdf::Stream> {
    let Ok((resources, ids)) = doc.get_page_resources(page_id) else {
        return Vec::new();
    };
    let mut dicts: Vec<&lopdf::Dictionary> = resources
        .into_iter()
        .chain(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()))
        .collect();
    let mut out: Vec<&lopdf::Stream> = Vec::new();
    for _depth in 0..4 {
        let mut forms = Vec::new();
        for res in dicts {
            let xobjects = match res.get(b"XObject") {
                Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
                Ok(Object::Dictionary(d)) => Some(d),
                _ => None,
            };
            for (_, x) in xobjects.into_iter().flat_map(|d| d.iter()) {
                let stream = match x {
                    Object::Reference(r) => {
                        doc.get_object(*r).ok().and_then(|o| o.as_stream().ok())
                    }
                    Object::Stream(s) => Some(s),
                    _ => None,
                };
                let Some(stream) = stream else { continue };
                if out.iter().any(|seen| std::ptr::eq(*seen, stream)) {
                    continue;
                }
                out.push(stream);
                match stream.dict.get(b"Resources") {
                    Ok(Object::Reference(r)) => forms.extend(doc.get_dictionary(*r).ok()),
                    Ok(Object::Dictionary(d)) => forms.push(d),
                    _ => {}
                }
            }
        }
        if forms.is_empty() {
            break;
        }
        dicts = forms;
    }
    out
}

pub(super) fn page_has_image(doc: &PdfDocument, page_id: ObjectId) -> bool {
    page_xobjects(doc, page_id)
        .iter()
        .any(|s| s.dict.get(b"PeoImage").is_ok())
}

/// Whether the page's content, or a form it draws, sets text render mode 3 (neither fill nor
/// stroke): the invisible text that OCR programs lay over a scanned image.
pub(super) fn draws_invisible_text(doc: &PdfDocument, page_id: ObjectId) -> bool {
    if doc
        .get_page_content(page_id)
        .is_ok_and(content::sets_invisible_text)
    {
        return true;
    }
    page_xobjects(doc, page_id).iter().any(|form| {
        let is_form = form
            .dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .is_ok_and(|n| n == b"Form");
        is_form
            && form
                .decompressed_content()
                .is_ok_and(content::sets_invisible_text)
    })
}

pub(super) fn page_size(doc: &PdfDocument, page_id: ObjectId) -> (f32, f32) {
    let mut id = page_id;
    for _ in 0..32 {
        let Ok(dict) = doc.get_dictionary(id) else {
            break;
        };
        if let Ok(mb) = dict.get(b"MediaBox") {
            let mb = match mb {
                Object::Reference(r) => doc.get_object(*r).ok(),
                o => Some(o),
            };
            if let Some(Ok(arr)) = mb.map(|o| o.as_array()) {
                let v: Vec<f32> = arr.iter().filter_map(|o| o.as_float().ok()).collect();
                if v.len() == 4 {
                    return ((v[2] - v[0]).abs(), (v[3] - v[1]).abs());
                }
            }
        }
        match dict.get(b"Parent").and_then(|p| p.as_reference()) {
            Ok(parent) => id = parent,
            Err(_) => break,
        }
    }
    (595.0, 842.0)
}
