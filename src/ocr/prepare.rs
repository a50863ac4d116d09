//! `PageImage` → the gray image tesseract reads best: decoded (JPEG with the `image` crate, raw
//! gray or RGB samples as they are), resampled to 300 dpi effective, levelled when the scan is
//! turned by up to 3 degrees, and with every dark band that carries light text (a chapter band,
//! a coloured tile) inverted, so that its words are dark on light like the rest of the page.
//! Otsu's threshold tells dark from light for the skew and the bands, and what is lighter than
//! halfway from it to the paper becomes white (the paper's grain, upscaled, is what tesseract's
//! sparse mode reads words into); the ink keeps its gray edges, and tesseract binarises it.
//!
//! Invariant: hostile data costs the page, never the process: an image is decoded only within
//! `MAX_PIXELS` and `MAX_ALLOC` (checked before anything is allocated), and a decoder that
//! panics all the same is caught here and reported as the page's error.

use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

use image::imageops::{self, FilterType};
use image::{GrayImage, ImageFormat, ImageReader, Limits, Luma};

use crate::extract::{ImageEncoding, PageImage};

/// The resolution tesseract reads best at.
pub const TARGET_DPI: f32 = 300.0;
/// Within this factor of 300 dpi an image is read as it is: resampling it gains nothing.
const KEEP_SCALE: f32 = 1.15;
/// The largest image decoded or made, in pixels (an A3 page at 600 dpi).
const MAX_PIXELS: u64 = 70_000_000;
/// The most the decoder may allocate.
const MAX_ALLOC: u64 = 512 << 20;
/// The largest skew looked for, in degrees, and the step of the search.
const MAX_SKEW: f32 = 3.0;
const SKEW_STEP: f32 = 0.1;
/// A skew smaller than this is left: tesseract reads it, and turning costs sharpness.
const MIN_SKEW: f32 = 0.2;
/// The side of the tiles in which dark bands are looked for, in pixels at 300 dpi (2 mm).
const TILE: u32 = 24;
/// A tile this dark (share of dark pixels) is part of a band.
const DARK_TILE: f32 = 0.5;
/// A band is at least this many tiles wide and high (about 16 × 6 mm), and this dark in all.
const BAND_TILES_WIDE: u32 = 8;
const BAND_TILES_HIGH: u32 = 3;
const DARK_BAND: f32 = 0.6;
/// A band's top and bottom edges (this many pixels of it) are mostly dark: text set light on it
/// keeps a margin. The letters of a heading set large and bold are dark too, but the box
/// around them is not solid at its edges.
const BAND_EDGE: u32 = 4;
const SOLID: f32 = 0.6;

/// The settings of this preparation, as the OCR cache keys its entries: a change to any of
/// them reads the pages again.
pub const SETTINGS: &str =
    "gray 300dpi catmullrom, white from halfway threshold-paper (bands by their own, edges cleared), skew ±3°/0.1° min 0.2°, bands otsu 24px 8x3 0.5/0.6 edges 4px 0.6";

/// A page image ready for tesseract.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub image: GrayImage,
    /// The angle the page was turned by to level it, in degrees (positive: its lines ran down
    /// to the right).
    pub skew: f32,
    /// The dark bands that were inverted, in pixels of `image`: (x0, y0, x1, y1).
    pub bands: Vec<(u32, u32, u32, u32)>,
}

impl Prepared {
    /// The image as a binary PGM file (P5), which tesseract reads.
    pub fn pgm(&self) -> Vec<u8> {
        let mut out =
            format!("P5\n{} {}\n255\n", self.image.width(), self.image.height()).into_bytes();
        out.extend_from_slice(self.image.as_raw());
        out
    }
}

/// Prepares the image that covers a page of `page_width` points for OCR.
pub fn prepare(image: &PageImage, page_width: f32) -> Result<Prepared, String> {
    let gray = decode(image)?;
    let gray = resample(gray, page_width);
    let threshold = otsu(&gray);
    let skew = skew(&gray, threshold);
    let mut gray = if skew.abs() >= MIN_SKEW {
        rotate(&gray, skew)
    } else {
        gray
    };
    let bands = dark_bands(&gray, threshold);
    // The paper's grain, upscaled, is what tesseract's sparse mode reads words into: a pixel
    // lighter than halfway from the threshold to the paper's mean becomes white. The ink keeps
    // its gray edges (cut at the threshold itself, thin strokes, the dot of an i and a colon
    // lose their edges and read as "1s", "rumte").
    let white_from = halfway_to_paper(&gray, threshold);
    let in_band = |x: u32, y: u32| {
        bands
            .iter()
            .any(|&(x0, y0, x1, y1)| (x0..x1).contains(&x) && (y0..y1).contains(&y))
    };
    for (x, y, p) in gray.enumerate_pixels_mut() {
        if p.0[0] > white_from && !in_band(x, y) {
            p.0[0] = 255;
        }
    }
    // A band is inverted, and its ground (now a mid gray) made white by its own threshold.
    for &(x0, y0, x1, y1) in &bands {
        let mut band = imageops::crop_imm(&gray, x0, y0, x1 - x0, y1 - y0).to_image();
        imageops::invert(&mut band);
        let white_from = halfway_to_paper(&band, otsu(&band));
        for p in band.pixels_mut() {
            if p.0[0] > white_from {
                p.0[0] = 255;
            }
        }
        imageops::replace(&mut gray, &band, x0 as i64, y0 as i64);
        // Its edge, blurred by the scan, would frame it with a dark line that touches a title
        // set against its left edge, and tesseract reads a framed word as a drawing.
        let (w, h) = gray.dimensions();
        let (ox0, oy0) = (x0.saturating_sub(BAND_EDGE), y0.saturating_sub(BAND_EDGE));
        let (ox1, oy1) = ((x1 + BAND_EDGE).min(w), (y1 + BAND_EDGE).min(h));
        for y in oy0..oy1 {
            for x in ox0..ox1 {
                let inner = x >= x0 + BAND_EDGE
                    && x + BAND_EDGE < x1
                    && y >= y0 + BAND_EDGE
                    && y + BAND_EDGE < y1;
                if !inner {
                    gray.put_pixel(x, y, Luma([255]));
                }
            }
        }
    }
    Ok(Prepared {
        image: gray,
        skew: if skew.abs() >= MIN_SKEW { skew } else { 0.0 },
        bands,
    })
}

/// The image's pixels in gray, within the bounds, or why not.
pub fn decode(image: &PageImage) -> Result<GrayImage, String> {
    let (w, h) = (image.width, image.height);
    if w == 0 || h == 0 {
        return Err("its image has no pixels".into());
    }
    if w as u64 * h as u64 > MAX_PIXELS {
        return Err(format!(
            "its image of {w} x {h} pixels is larger than OCR reads"
        ));
    }
    match image.encoding {
        ImageEncoding::Raw { components } => {
            let n = w as usize * h as usize * components as usize;
            let data = image
                .data
                .get(..n)
                .ok_or("its image has fewer samples than its size says")?;
            let gray = match components {
                1 => data.to_vec(),
                3 => data
                    .chunks_exact(3)
                    .map(|p| {
                        ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8
                    })
                    .collect(),
                n => return Err(format!("its image has {n} components a pixel")),
            };
            GrayImage::from_raw(w, h, gray).ok_or_else(|| "its image cannot be read".into())
        }
        ImageEncoding::Jpeg => {
            let decoded = panic::catch_unwind(AssertUnwindSafe(|| {
                let mut reader =
                    ImageReader::with_format(Cursor::new(&image.data), ImageFormat::Jpeg);
                let mut limits = Limits::default();
                limits.max_image_width = Some(w.max(1).saturating_mul(2).min(65_535));
                limits.max_image_height = Some(h.max(1).saturating_mul(2).min(65_535));
                limits.max_alloc = Some(MAX_ALLOC);
                reader.limits(limits);
                reader.decode().map(|d| d.into_luma8())
            }));
            match decoded {
                Ok(Ok(gray)) => Ok(gray),
                Ok(Err(e)) => Err(format!("its JPEG cannot be decoded: {e}")),
                Err(_) => Err("its JPEG made the decoder crash".into()),
            }
        }
    }
}

/// The image at 300 dpi: its width against the page's width in points says its resolution.
fn resample(gray: GrayImage, page_width: f32) -> GrayImage {
    let dpi = gray.width() as f32 / (page_width.max(1.0) / 72.0);
    let mut scale = TARGET_DPI / dpi;
    if !(1.0 / KEEP_SCALE..=KEEP_SCALE).contains(&scale) && scale.is_finite() {
        let pixels = gray.width() as f32 * gray.height() as f32 * scale * scale;
        if pixels > MAX_PIXELS as f32 {
            scale *= (MAX_PIXELS as f32 / pixels).sqrt();
        }
        let w = ((gray.width() as f32 * scale).round() as u32).max(1);
        let h = ((gray.height() as f32 * scale).round() as u32).max(1);
        return imageops::resize(&gray, w, h, FilterType::CatmullRom);
    }
    gray
}

/// Otsu's threshold: the gray level that best splits the histogram into two classes (the
/// largest variance between them). A pixel at or below it is dark.
pub fn otsu(gray: &GrayImage) -> u8 {
    let mut histogram = [0u64; 256];
    for p in gray.as_raw() {
        histogram[*p as usize] += 1;
    }
    let total: u64 = histogram.iter().sum();
    let sum: f64 = histogram
        .iter()
        .enumerate()
        .map(|(v, &n)| v as f64 * n as f64)
        .sum();
    let (mut below, mut below_sum) = (0u64, 0f64);
    let (mut best, mut best_variance) = (127u8, -1f64);
    for (v, &n) in histogram.iter().enumerate() {
        below += n;
        below_sum += v as f64 * n as f64;
        let above = total - below;
        if below == 0 || above == 0 {
            continue;
        }
        let mean_below = below_sum / below as f64;
        let mean_above = (sum - below_sum) / above as f64;
        let variance = below as f64 * above as f64 * (mean_below - mean_above).powi(2);
        if variance > best_variance {
            best_variance = variance;
            best = v as u8;
        }
    }
    best
}

/// The gray halfway from `threshold` to the paper (the mean of the pixels lighter than it).
fn halfway_to_paper(gray: &GrayImage, threshold: u8) -> u8 {
    ((threshold as u32 + light_mean(gray, threshold) as u32) / 2) as u8
}

/// The mean gray of the pixels lighter than `threshold`: the paper.
fn light_mean(gray: &GrayImage, threshold: u8) -> u8 {
    let (mut sum, mut n) = (0u64, 0u64);
    for p in gray.as_raw() {
        if *p > threshold {
            sum += *p as u64;
            n += 1;
        }
    }
    if n == 0 {
        255
    } else {
        (sum / n) as u8
    }
}

/// The skew of the page's lines, in degrees (positive: they run down to the right): the angle
/// within ±3 degrees at which the dark pixels, projected onto the page's side, pile up into the
/// sharpest rows (the largest sum of squared row counts). 0 when no angle beats level.
pub fn skew(gray: &GrayImage, threshold: u8) -> f32 {
    // Every other pixel of every other row is enough to see the rows.
    let (w, h) = (gray.width(), gray.height());
    let mut points = Vec::new();
    for y in (0..h).step_by(2) {
        for x in (0..w).step_by(2) {
            if gray.get_pixel(x, y).0[0] <= threshold {
                points.push((x as f32 - w as f32 / 2.0, y as f32 - h as f32 / 2.0));
            }
        }
    }
    // A page that is mostly dark (a photograph, a full band) has no rows to find.
    if points.is_empty() || points.len() as u64 * 4 > w as u64 * h as u64 / 2 {
        return 0.0;
    }
    let n_rows = (w + h) as usize + 2;
    let offset = (n_rows / 2) as f32;
    let sharpness = |degrees: f32| {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let mut rows = vec![0u32; n_rows];
        for &(x, y) in &points {
            let row = (y * cos - x * sin + offset) as usize;
            if let Some(r) = rows.get_mut(row) {
                *r += 1;
            }
        }
        rows.iter().map(|&n| n as f64 * n as f64).sum::<f64>()
    };
    let level = sharpness(0.0);
    let steps = (MAX_SKEW / SKEW_STEP).round() as i32;
    let (mut best, mut best_sharpness) = (0.0, level);
    for i in -steps..=steps {
        let degrees = i as f32 * SKEW_STEP;
        let s = sharpness(degrees);
        if s > best_sharpness {
            best = degrees;
            best_sharpness = s;
        }
    }
    // Noise makes some angle beat level by a hair: a real skew sharpens the rows clearly.
    if best_sharpness < level * 1.02 {
        return 0.0;
    }
    best
}

/// The image turned by `degrees` around its centre so that lines skewed by that angle come out
/// level; what comes in from outside the image is white.
pub fn rotate(gray: &GrayImage, degrees: f32) -> GrayImage {
    let (w, h) = gray.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (sin, cos) = degrees.to_radians().sin_cos();
    GrayImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
        // The level line through (x, y) comes from the line skewed by `degrees`.
        let sx = dx * cos - dy * sin + cx - 0.5;
        let sy = dx * sin + dy * cos + cy - 0.5;
        Luma([bilinear(gray, sx, sy)])
    })
}

fn bilinear(gray: &GrayImage, x: f32, y: f32) -> u8 {
    let (w, h) = gray.dimensions();
    if x < 0.0 || y < 0.0 || x > (w - 1) as f32 || y > (h - 1) as f32 {
        return 255;
    }
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x, y| gray.get_pixel(x, y).0[0] as f32;
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    (top * (1.0 - fy) + bottom * fy).round() as u8
}

/// The dark rectangles of the page large enough to be bands or tiles that carry light text:
/// connected tiles at least half dark, whose bounding box is at least 16 × 6 mm and mostly dark,
/// each with its edges moved to where the dark ends, and solid along its top and bottom. Text
/// on a light page never is one: its tiles are a tenth to a third dark; nor is a heading set
/// large and bold, whose box is not solid at its edges.
pub fn dark_bands(gray: &GrayImage, threshold: u8) -> Vec<(u32, u32, u32, u32)> {
    let (w, h) = gray.dimensions();
    let (tw, th) = (w.div_ceil(TILE), h.div_ceil(TILE));
    let dark = |x: u32, y: u32| gray.get_pixel(x, y).0[0] <= threshold;
    let share = |x0: u32, y0: u32, x1: u32, y1: u32| {
        let n = (x1 - x0) as u64 * (y1 - y0) as u64;
        if n == 0 {
            return 0.0;
        }
        let mut d = 0u64;
        for y in y0..y1 {
            for x in x0..x1 {
                d += dark(x, y) as u64;
            }
        }
        d as f32 / n as f32
    };
    let mut tiles = vec![false; (tw * th) as usize];
    for ty in 0..th {
        for tx in 0..tw {
            let (x0, y0) = (tx * TILE, ty * TILE);
            let (x1, y1) = ((x0 + TILE).min(w), (y0 + TILE).min(h));
            tiles[(ty * tw + tx) as usize] = share(x0, y0, x1, y1) >= DARK_TILE;
        }
    }
    let mut seen = vec![false; tiles.len()];
    let mut bands = Vec::new();
    for start in 0..tiles.len() {
        if !tiles[start] || seen[start] {
            continue;
        }
        // The tiles connected to this one, and the box around them.
        let (mut bx0, mut by0, mut bx1, mut by1) = (tw, th, 0, 0);
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(i) = stack.pop() {
            let (tx, ty) = (i as u32 % tw, i as u32 / tw);
            (bx0, by0, bx1, by1) = (bx0.min(tx), by0.min(ty), bx1.max(tx + 1), by1.max(ty + 1));
            let mut visit = |nx: u32, ny: u32| {
                let j = (ny * tw + nx) as usize;
                if tiles[j] && !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            };
            if tx > 0 {
                visit(tx - 1, ty);
            }
            if tx + 1 < tw {
                visit(tx + 1, ty);
            }
            if ty > 0 {
                visit(tx, ty - 1);
            }
            if ty + 1 < th {
                visit(tx, ty + 1);
            }
        }
        if bx1 - bx0 < BAND_TILES_WIDE || by1 - by0 < BAND_TILES_HIGH {
            continue;
        }
        let (mut x0, mut y0) = (bx0 * TILE, by0 * TILE);
        let (mut x1, mut y1) = ((bx1 * TILE).min(w), (by1 * TILE).min(h));
        if share(x0, y0, x1, y1) < DARK_BAND {
            continue;
        }
        // The box's edges to where the dark ends: in by a tile at most where the edge row or
        // column is mostly light, out by a tile at most where the one beyond is mostly dark.
        for _ in 0..TILE {
            if y0 + 1 < y1 && share(x0, y0, x1, y0 + 1) < 0.5 {
                y0 += 1;
            }
            if y1 > y0 + 1 && share(x0, y1 - 1, x1, y1) < 0.5 {
                y1 -= 1;
            }
            if x0 + 1 < x1 && share(x0, y0, x0 + 1, y1) < 0.5 {
                x0 += 1;
            }
            if x1 > x0 + 1 && share(x1 - 1, y0, x1, y1) < 0.5 {
                x1 -= 1;
            }
            if y0 > 0 && share(x0, y0 - 1, x1, y0) >= 0.5 {
                y0 -= 1;
            }
            if y1 < h && share(x0, y1, x1, y1 + 1) >= 0.5 {
                y1 += 1;
            }
            if x0 > 0 && share(x0 - 1, y0, x0, y1) >= 0.5 {
                x0 -= 1;
            }
            if x1 < w && share(x1, y0, x1 + 1, y1) >= 0.5 {
                x1 += 1;
            }
        }
        let solid_edges = y1 - y0 >= BAND_TILES_HIGH * TILE
            && share(x0, y0, x1, y0 + BAND_EDGE) >= SOLID
            && share(x0, y1 - BAND_EDGE, x1, y1) >= SOLID;
        if solid_edges {
            bands.push((x0, y0, x1, y1));
        }
    }
    bands
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHITE: u8 = 245;
    const INK: u8 = 30;

    /// A page of `rows` lines of "text" (dashes of ink, like words) on a light ground, each
    /// line running down to the right by `skew_degrees`, drawn at `dpi` on an A4 page.
    fn text_page(dpi: f32, skew_degrees: f32) -> GrayImage {
        let (w, h) = ((595.0 / 72.0 * dpi) as u32, (842.0 / 72.0 * dpi) as u32);
        let line = (dpi / 6.0) as u32; // six lines an inch
        let x_height = (dpi / 24.0).max(2.0) as u32;
        let tan = skew_degrees.to_radians().tan();
        GrayImage::from_fn(w, h, |x, y| {
            let margin = w / 8;
            if x < margin || x > w - margin {
                return Luma([WHITE]);
            }
            // Undo the skew to see where on the level page this pixel lies.
            let level_y = y as f32 - (x as f32 - w as f32 / 2.0) * tan;
            if level_y < (h / 8) as f32 || level_y > (h - h / 8) as f32 {
                return Luma([WHITE]);
            }
            let in_line = (level_y as u32) % line < x_height;
            // Words of 5 "letters" with a gap between them.
            let in_word = (x / (x_height * 2)) % 7 != 6;
            Luma([if in_line && in_word { INK } else { WHITE }])
        })
    }

    #[test]
    fn otsu_splits_ink_from_paper() {
        let page = text_page(100.0, 0.0);
        let t = otsu(&page);
        assert!((INK..WHITE).contains(&t), "{t}");
    }

    #[test]
    fn a_rotated_page_is_found_turned_and_levelled() {
        for degrees in [-2.0f32, 1.5, 2.5] {
            let page = text_page(100.0, degrees);
            let found = skew(&page, otsu(&page));
            assert!(
                (found - degrees).abs() <= 0.15,
                "turned {degrees}, found {found}"
            );
            // Levelled, the page has no skew left.
            let level = rotate(&page, found);
            let left = skew(&level, otsu(&level));
            assert!(left.abs() <= 0.15, "turned {degrees}, {left} left");
        }
    }

    #[test]
    fn a_level_page_is_not_turned() {
        let page = text_page(100.0, 0.0);
        assert_eq!(skew(&page, otsu(&page)), 0.0);
    }

    #[test]
    fn an_inverted_band_is_found_and_made_dark_on_light() {
        // A light page at 300 dpi with a dark band across it, 2 cm high, in which three light
        // "words" stand, and a line of dark words below it.
        let (w, h) = (1200u32, 900u32);
        let band = (100u32, 200u32, 1100u32, 436u32);
        let page = GrayImage::from_fn(w, h, |x, y| {
            let in_band = (band.0..band.2).contains(&x) && (band.1..band.3).contains(&y);
            let in_word = (300..340).contains(&y) && (x / 60) % 3 != 0 && (200..1000).contains(&x);
            let below = (600..640).contains(&y) && (x / 60) % 3 != 0 && (200..1000).contains(&x);
            Luma(match (in_band, in_word, below) {
                (true, true, _) => [235],
                (true, false, _) => [40],
                (false, _, true) => [30],
                _ => [250],
            })
        });
        let found = dark_bands(&page, otsu(&page));
        assert_eq!(found.len(), 1, "{found:?}");
        let (x0, y0, x1, y1) = found[0];
        for (got, want) in [(x0, band.0), (y0, band.1), (x1, band.2), (y1, band.3)] {
            assert!(got.abs_diff(want) <= 2, "{found:?} against {band:?}");
        }
        // After preparation the band's words are dark on light, and the line below is kept.
        let image = PageImage {
            width: w,
            height: h,
            encoding: ImageEncoding::Raw { components: 1 },
            data: page.into_raw(),
        };
        // 1200 pixels across 288 points is 300 dpi: no resampling.
        let prepared = prepare(&image, 288.0).unwrap();
        let p = |x, y| prepared.image.get_pixel(x, y).0[0];
        assert!(p(150, 250) > 200, "the band's ground is light");
        assert!(p(250, 320) < 50, "the band's words are dark");
        assert!(p(250, 620) < 50, "the words below stay dark");
        assert!(p(250, 700) > 200, "the page stays light");
    }

    #[test]
    fn dark_words_on_a_light_page_are_no_band() {
        let page = text_page(300.0, 0.0);
        assert!(dark_bands(&page, otsu(&page)).is_empty());
    }

    #[test]
    fn a_110_dpi_table_cell_is_read_at_300_dpi() {
        // A table cell scanned at 110 dpi: 1.5 inches wide, with a one-pixel rule under a
        // two-pixel-high row of figures.
        let (w, h) = (165u32, 44u32);
        let cell = GrayImage::from_fn(w, h, |x, y| {
            Luma([
                if y == 40 || ((10..30).contains(&x) && (20..22).contains(&y)) {
                    INK
                } else {
                    WHITE
                },
            ])
        });
        let image = PageImage {
            width: w,
            height: h,
            encoding: ImageEncoding::Raw { components: 1 },
            data: cell.into_raw(),
        };
        let prepared = prepare(&image, 108.0).unwrap();
        // 165 pixels over 1.5 inches at 300 dpi: 450.
        assert_eq!(prepared.image.dimensions(), (450, 120));
        // The figures' stroke lies where it lay, at 300/110 the scale.
        let p = |x, y| prepared.image.get_pixel(x, y).0[0];
        assert!(p(55, 57) < 100, "{}", p(55, 57));
        assert!(p(55, 80) > 200);
    }

    #[test]
    fn a_jpeg_is_decoded_and_a_broken_one_is_an_error() {
        let page = text_page(50.0, 0.0);
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&page)
            .unwrap();
        let image = |data: Vec<u8>| PageImage {
            width: page.width(),
            height: page.height(),
            encoding: ImageEncoding::Jpeg,
            data,
        };
        let gray = decode(&image(jpeg.clone())).unwrap();
        assert_eq!(gray.dimensions(), page.dimensions());
        // A JPEG cut short may decode with its lower part gray, or fail: it never panics.
        let _ = decode(&image(jpeg[..jpeg.len() / 3].to_vec()));
        assert!(decode(&image(b"not a jpeg at all".to_vec())).is_err());
    }

    #[test]
    fn an_image_larger_than_ocr_reads_is_refused_before_decoding() {
        let image = PageImage {
            width: 100_000,
            height: 100_000,
            encoding: ImageEncoding::Jpeg,
            data: vec![0xFF, 0xD8],
        };
        assert!(decode(&image)
            .unwrap_err()
            .contains("larger than OCR reads"));
        let raw = PageImage {
            width: 10,
            height: 10,
            encoding: ImageEncoding::Raw { components: 1 },
            data: vec![0; 50],
        };
        assert!(decode(&raw).is_err());
    }
}
