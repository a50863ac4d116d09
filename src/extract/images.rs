//! The pixels of a scanned page's largest image, for OCR.
//!
//! Invariant: no image is decoded or inflated past `MAX_IMAGE`, or past the size its own
//! dictionary gives; an image that would be is reported, not read.

use lopdf::{Document as PdfDocument, Object};

use super::load::{inflates_within, resave};
use super::quietly;

/// The most pixel data OCR reads from one image (an A3 page scanned at 600 dpi in colour is
/// 200 MiB).
const MAX_IMAGE: u64 = 256 << 20;

/// The pixels of a page's image, for OCR.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    pub encoding: ImageEncoding,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageEncoding {
    /// A JPEG file as it is (DCTDecode).
    Jpeg,
    /// Raw 8-bit samples, 1 (gray) or 3 (RGB) per pixel.
    Raw { components: u8 },
}

/// The largest image each listed page draws (also inside form XObjects), for pages scanned
/// without a text layer, or why it is not read (an image larger than `MAX_IMAGE`, or one whose
/// data inflates to more than its size says). Loads the PDF again with its image data, so call
/// it only for pages that need OCR.
pub fn page_images(bytes: &[u8], pages: &[u32]) -> Vec<(u32, Result<PageImage, String>)> {
    let loaded = quietly(|| PdfDocument::load_mem(bytes))
        .ok()
        .and_then(Result::ok);
    let loaded = loaded.filter(|doc| !doc.get_pages().is_empty());
    let Some(doc) = loaded.or_else(|| {
        let resaved = resave(bytes)?;
        quietly(|| PdfDocument::load_mem(&resaved)).ok()?.ok()
    }) else {
        return Vec::new();
    };
    let page_ids = doc.get_pages();
    let mut out = Vec::new();
    for &number in pages {
        let Some(&page_id) = page_ids.get(&number) else {
            continue;
        };
        let Ok((resources, inherited)) = doc.get_page_resources(page_id) else {
            continue;
        };
        let mut best: Option<Result<PageImage, String>> = None;
        let dicts: Vec<&lopdf::Dictionary> = resources
            .into_iter()
            .chain(
                inherited
                    .iter()
                    .filter_map(|id| doc.get_dictionary(*id).ok()),
            )
            .collect();
        for res in dicts {
            collect_images(&doc, res, 0, &mut best);
        }
        if let Some(img) = best {
            out.push((number, img));
        }
    }
    out
}

fn collect_images(
    doc: &PdfDocument,
    resources: &lopdf::Dictionary,
    depth: u32,
    best: &mut Option<Result<PageImage, String>>,
) {
    if depth > 3 {
        return;
    }
    let xobjects = match resources.get(b"XObject") {
        Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let Some(xobjects) = xobjects else { return };
    for (_, x) in xobjects.iter() {
        let Ok(id) = x.as_reference() else { continue };
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        let dict = &stream.dict;
        let subtype = dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .unwrap_or(b"");
        if subtype == b"Form" {
            let inner = match dict.get(b"Resources") {
                Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
                Ok(Object::Dictionary(d)) => Some(d),
                _ => None,
            };
            if let Some(inner) = inner {
                collect_images(doc, inner, depth + 1, best);
            }
            continue;
        }
        if subtype != b"Image" {
            continue;
        }
        let num = |k: &[u8]| dict.get(k).and_then(|o| o.as_i64()).unwrap_or(0);
        let (width, height) = (num(b"Width").max(0) as u32, num(b"Height").max(0) as u32);
        let area = width as u64 * height as u64;
        let best_area = |b: &Result<PageImage, String>| match b {
            Ok(b) => b.width as u64 * b.height as u64,
            Err(_) => 0,
        };
        if best.as_ref().is_some_and(|b| best_area(b) >= area) {
            continue;
        }
        let filters: Vec<Vec<u8>> = match dict.get(b"Filter") {
            Ok(Object::Name(n)) => vec![n.clone()],
            Ok(Object::Array(a)) => a
                .iter()
                .filter_map(|o| o.as_name().ok().map(|n| n.to_vec()))
                .collect(),
            _ => Vec::new(),
        };
        let components = match dict.get(b"ColorSpace").and_then(|c| c.as_name()) {
            Ok(b"DeviceGray") => 1,
            Ok(b"DeviceRGB") => 3,
            _ => 0,
        };
        // Samples are counted as RGB where the colour space is unknown (JPEG).
        let samples = area
            * if components == 0 {
                3
            } else {
                components as u64
            };
        if samples > MAX_IMAGE {
            *best = Some(Err(format!(
                "its image of {width} x {height} pixels is larger than OCR reads ({} MiB)",
                MAX_IMAGE >> 20
            )));
            continue;
        }
        let image = if filters.last().is_some_and(|f| f == b"DCTDecode") {
            let data = if filters.len() == 1 {
                Some(stream.content.clone())
            } else {
                None
            };
            data.map(|data| PageImage {
                width,
                height,
                encoding: ImageEncoding::Jpeg,
                data,
            })
        } else if num(b"BitsPerComponent") == 8 && components > 0 {
            // Room for the filter byte a PNG predictor puts before every row.
            let filters: Vec<&[u8]> = filters.iter().map(Vec::as_slice).collect();
            if !inflates_within(&filters, &stream.content, samples + height as u64) {
                *best = Some(Err(format!(
                    "its image data inflates to more than its {width} x {height} pixels (a decompression bomb)"
                )));
                continue;
            }
            let data = stream
                .decompressed_content()
                .ok()
                .or_else(|| filters.is_empty().then(|| stream.content.clone()));
            data.filter(|d| d.len() as u64 >= samples)
                .map(|data| PageImage {
                    width,
                    height,
                    encoding: ImageEncoding::Raw {
                        components: components as u8,
                    },
                    data,
                })
        } else {
            None
        };
        if let Some(image) = image {
            *best = Some(Ok(image));
        }
    }
}
