//! The glyphs and rectangles of each page, collected through pdf-extract's `OutputDev`: each
//! glyph with its position, size, font style and the structure element that marks it, each
//! drawn path as its bounding box; a page whose OCR layer is skewed is turned level.
//!
//! Invariant: positions are in page space (points, origin top left); a glyph without a finite
//! position or size is dropped, never passed on.

use std::collections::HashMap;

use lopdf::Document as PdfDocument;
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::resources::{font_style, FontStyle};
use super::skipped_on_page;
use super::structure::Tree;
use crate::model::{Glyph, Marked, RawPage, Rect};

/// Collects glyphs and rectangles through pdf-extract's output interface, page by page.
pub(super) struct Collector<'t> {
    /// The pages that ended.
    pub(super) done: Vec<RawPage>,
    /// The page begun and not yet ended.
    pub(super) number: Option<u32>,
    pub(super) glyphs: Vec<Glyph>,
    /// The angle of each glyph's baseline (radians, counter-clockwise in PDF space).
    angles: Vec<f32>,
    pub(super) rects: Vec<Rect>,
    pub(super) width: f32,
    pub(super) height: f32,
    /// Top of the media box in PDF space, to flip y to a top-left origin.
    top: f64,
    left: f64,
    run: u32,
    /// The style of the font of the current run (`OutputDev::run_font`).
    style: FontStyle,
    /// The style of each font, by the address of its dictionary in the document being read.
    font_styles: HashMap<usize, FontStyle>,
    /// The structure tree of a tagged PDF, to find the element of each marked glyph.
    pub(super) tree: Option<&'t Tree>,
    /// The marked-content sequences open now, innermost last.
    marks: Vec<Mark>,
    /// The /StructParents key of each form XObject being drawn, innermost last.
    forms: Vec<Option<i64>>,
    /// What pdf-extract skipped on the page begun (`OutputDev::problem`), each with how often.
    problems: Vec<(String, usize)>,
}

/// An open marked-content sequence: its MCID, and whether it marks an artifact.
#[derive(Debug, Clone, Copy)]
struct Mark {
    mcid: Option<i64>,
    artifact: bool,
}

impl Collector<'_> {
    pub(super) fn new(width: f32, height: f32) -> Self {
        Collector {
            done: Vec::new(),
            number: None,
            glyphs: Vec::new(),
            angles: Vec::new(),
            rects: Vec::new(),
            width,
            height,
            top: height as f64,
            left: 0.0,
            run: 0,
            style: FontStyle::default(),
            font_styles: HashMap::new(),
            tree: None,
            marks: Vec::new(),
            forms: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// How the glyph drawn now is marked: an artifact when any open sequence says so (the
    /// standard lets no element sit inside an artifact), else the element of the innermost
    /// sequence with an MCID.
    fn marked(&self) -> Marked {
        if self.marks.iter().any(|m| m.artifact) {
            return Marked::Artifact;
        }
        let (Some(tree), Some(page)) = (self.tree, self.number) else {
            return Marked::None;
        };
        let Some(mcid) = self.marks.iter().rev().find_map(|m| m.mcid) else {
            return Marked::None;
        };
        let form = self.forms.last().copied().flatten();
        tree.element(page, form, mcid)
            .map_or(Marked::None, Marked::Element)
    }

    fn to_page(&self, x: f64, y: f64) -> (f32, f32) {
        ((x - self.left) as f32, (self.top - y) as f32)
    }
}

impl OutputDev for Collector<'_> {
    fn begin_page(
        &mut self,
        number: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.number = Some(number);
        self.problems.clear();
        self.glyphs.clear();
        self.angles.clear();
        self.rects.clear();
        self.run = 0;
        self.marks.clear();
        self.forms.clear();
        self.top = media_box.ury.max(media_box.lly);
        self.left = media_box.llx.min(media_box.urx);
        self.width = (media_box.urx - media_box.llx).abs() as f32;
        self.height = (media_box.ury - media_box.lly).abs() as f32;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        if let Some(number) = self.number.take() {
            self.deskew();
            self.done.push(RawPage {
                number,
                width: self.width,
                height: self.height,
                glyphs: std::mem::take(&mut self.glyphs),
                rects: std::mem::take(&mut self.rects),
                problem: skipped_on_page(number, &std::mem::take(&mut self.problems)),
                has_image: false,
                ocr: false,
            });
        }
        Ok(())
    }

    fn problem(&mut self, what: &str) {
        match self.problems.iter_mut().find(|(p, _)| p == what) {
            Some((_, n)) => *n += 1,
            None => self.problems.push((what.to_string(), 1)),
        }
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = (font_size * scale) as f32;
        if text.is_empty() || !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let (x, y) = self.to_page(trm.m31, trm.m32);
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        // The advance of a glyph scales with the horizontal part of the text matrix only.
        let hscale = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let advance = (width * font_size * hscale) as f32;
        self.angles.push(trm.m12.atan2(trm.m11) as f32);
        self.glyphs.push(Glyph {
            x,
            y,
            width: advance.max(0.0),
            size,
            text: text.to_string(),
            run: self.run,
            bold: self.style.bold,
            italic: self.style.italic,
            marked: self.marked(),
        });
        Ok(())
    }

    fn begin_marked_content(
        &mut self,
        tag: &[u8],
        properties: Option<&lopdf::Dictionary>,
    ) -> Result<(), OutputError> {
        let mcid = properties
            .and_then(|p| p.get(b"MCID").ok())
            .and_then(|m| m.as_i64().ok());
        self.marks.push(Mark {
            mcid,
            artifact: tag == b"Artifact",
        });
        Ok(())
    }

    fn end_marked_content(&mut self) -> Result<(), OutputError> {
        self.marks.pop();
        Ok(())
    }

    fn begin_form(&mut self, struct_parents: Option<i64>) -> Result<(), OutputError> {
        self.forms.push(struct_parents);
        Ok(())
    }

    fn end_form(&mut self) -> Result<(), OutputError> {
        self.forms.pop();
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.run += 1;
        Ok(())
    }

    fn run_font(
        &mut self,
        doc: &PdfDocument,
        font: Option<&lopdf::Dictionary>,
    ) -> Result<(), OutputError> {
        self.style = font
            .map(|font| {
                *self
                    .font_styles
                    .entry(font as *const lopdf::Dictionary as usize)
                    .or_insert_with(|| font_style(doc, font))
            })
            .unwrap_or_default();
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _: &pdf_extract::ColorSpace,
        _: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        self.record_path(ctm, path);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _: &pdf_extract::ColorSpace,
        color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        // A white fill is a page or cell background, not a box a reader sees.
        let white = !color.is_empty() && color.iter().all(|c| *c >= 0.99) && color.len() != 4;
        if !white {
            self.record_path(ctm, path);
        }
        Ok(())
    }
}

/// The least and the most skew `Collector::deskew` straightens: below it a page is level as
/// far as layout can tell, above it the text is turned on purpose (a vertical label, a
/// rotated table), not by a scanner.
const SKEW: std::ops::RangeInclusive<f32> = 0.1f32.to_radians()..=5.0f32.to_radians();

impl Collector<'_> {
    /// Turns the page's glyphs and rectangles so that its text runs level, when the text is
    /// skewed as a scan's OCR layer is: the text matrices of most glyphs share a small angle
    /// (OCRmyPDF writes a skewed page's words along their tilted baselines). Layout compares
    /// baselines and left edges, and a tilt of 1.5 degrees moves a baseline by more than a line
    /// across a page, so columns would be read interleaved.
    fn deskew(&mut self) {
        if self.glyphs.len() < 20 {
            return;
        }
        let mut angles = self.angles.clone();
        angles.sort_by(f32::total_cmp);
        let median = angles[angles.len() / 2];
        let near = angles
            .iter()
            .filter(|a| (*a - median).abs() <= 0.2f32.to_radians())
            .count();
        if !SKEW.contains(&median.abs()) || near * 2 < angles.len() {
            return;
        }
        let (sin, cos) = median.sin_cos();
        let (cx, cy) = (self.width / 2.0, self.height / 2.0);
        // In page space (y down) a rotation by `median` levels a baseline that rose by it.
        let turn = |x: f32, y: f32| {
            let (dx, dy) = (x - cx, y - cy);
            (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
        };
        for g in &mut self.glyphs {
            (g.x, g.y) = turn(g.x, g.y);
        }
        for r in &mut self.rects {
            let corners = [
                turn(r.x0, r.y0),
                turn(r.x1, r.y0),
                turn(r.x0, r.y1),
                turn(r.x1, r.y1),
            ];
            let fold = |f: fn(f32, f32) -> f32, pick: fn(&(f32, f32)) -> f32| {
                corners.iter().map(pick).reduce(f).unwrap_or(0.0)
            };
            *r = Rect {
                x0: fold(f32::min, |c| c.0),
                y0: fold(f32::min, |c| c.1),
                x1: fold(f32::max, |c| c.0),
                y1: fold(f32::max, |c| c.1),
            };
        }
    }

    fn record_path(&mut self, ctm: &Transform, path: &pdf_extract::Path) {
        use pdf_extract::PathOp;
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        let mut push = |x: f64, y: f64| {
            xs.push(x * ctm.m11 + y * ctm.m21 + ctm.m31);
            ys.push(x * ctm.m12 + y * ctm.m22 + ctm.m32);
        };
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) | PathOp::LineTo(x, y) => push(x, y),
                PathOp::CurveTo(_, _, _, _, x, y) => push(x, y),
                PathOp::Rect(x, y, w, h) => {
                    push(x, y);
                    push(x + w, y + h);
                }
                PathOp::Close => {}
            }
        }
        if xs.is_empty() {
            return;
        }
        let fold = |v: &[f64], f: fn(f64, f64) -> f64, init: f64| v.iter().copied().fold(init, f);
        let (x0, x1) = (fold(&xs, f64::min, f64::MAX), fold(&xs, f64::max, f64::MIN));
        let (y0, y1) = (fold(&ys, f64::min, f64::MAX), fold(&ys, f64::max, f64::MIN));
        let (px0, py1) = self.to_page(x0, y0);
        let (px1, py0) = self.to_page(x1, y1);
        let rect = Rect {
            x0: px0,
            y0: py0,
            x1: px1,
            y1: py1,
        };
        if rect.width().is_finite()
            && rect.height().is_finite()
            && rect.width() > 1.0
            && rect.height() > 1.0
        {
            self.rects.push(rect);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::read;
    use lopdf::{dictionary, Object};

    /// A line of `n` glyphs 6 pt apart from (x, y) in page space, rising by `deg` degrees
    /// to the right (as a skewed scan's OCR layer draws it).
    fn tilted_line(c: &mut Collector, x: f32, y: f32, n: usize, deg: f32) {
        let a = deg.to_radians();
        for i in 0..n {
            let d = 6.0 * i as f32;
            c.glyphs.push(Glyph {
                x: x + d * a.cos(),
                y: y - d * a.sin(),
                width: 6.0,
                size: 10.0,
                text: "x".into(),
                run: 1,
                bold: false,
                italic: false,
                marked: Marked::None,
            });
            c.angles.push(a);
        }
    }

    #[test]
    fn a_skewed_ocr_layer_is_turned_level() {
        let mut c = Collector::new(595.0, 842.0);
        tilted_line(&mut c, 50.0, 100.0, 40, -1.5);
        tilted_line(&mut c, 320.0, 100.0, 40, -1.5);
        c.deskew();
        // each line's baseline is level, and the left edges of lines stay in order
        for line in c.glyphs.chunks(40) {
            let ys: Vec<f32> = line.iter().map(|g| g.y).collect();
            let spread = ys.iter().cloned().fold(f32::MIN, f32::max)
                - ys.iter().cloned().fold(f32::MAX, f32::min);
            assert!(spread < 0.01, "{ys:?}");
        }
        assert!(c.glyphs[0].x < c.glyphs[40].x);
    }

    #[test]
    fn level_text_and_text_turned_on_purpose_are_left_as_drawn() {
        for deg in [0.0, 0.05, 90.0, 30.0] {
            let mut c = Collector::new(595.0, 842.0);
            tilted_line(&mut c, 50.0, 100.0, 40, deg);
            let before = c.glyphs.clone();
            c.deskew();
            assert_eq!(c.glyphs, before, "{deg} degrees");
        }
    }

    #[test]
    fn glyphs_are_bold_and_italic_where_their_font_is() {
        let mut doc = PdfDocument::with_version("1.7");
        let regular = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
        );
        let bold = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "DAAAAA+Helvetica-Bold" },
        );
        // By its weight, whatever its name.
        let descriptor =
            doc.add_object(dictionary! { "Type" => "FontDescriptor", "FontWeight" => 700 });
        let heavy = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Frutiger", "FontDescriptor" => descriptor,
        });
        // Italic by its name, or by the slant its descriptor gives.
        let oblique = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "EAAAAA+DejaVuSans-Oblique" },
        );
        let slanted =
            doc.add_object(dictionary! { "Type" => "FontDescriptor", "ItalicAngle" => -12 });
        let slanted = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Minion", "FontDescriptor" => slanted,
        });
        let fonts = dictionary! { "F1" => regular, "F2" => bold, "F3" => heavy, "F4" => oblique, "F5" => slanted };
        // A form is drawn with a font state of its own: "e" in its own /F2, "f" in no font set.
        let form = doc.add_object(lopdf::Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => dictionary! { "Font" => fonts.clone() } },
            b"BT /F2 10 Tf 72 600 Td (e) Tj ET".to_vec(),
        ));
        // The font of Tf is restored by Q; each string of a TJ array is a run of its own.
        let pages = [
            b"BT /F1 10 Tf 72 720 Td (a) Tj q /F2 10 Tf [(b) -20 (c)] TJ Q (d) Tj ET /Fm1 Do"
                .to_vec(),
            b"BT /F3 10 Tf 72 720 Td (g) Tj /F1 10 Tf (h) Tj /F4 10 Tf (i) Tj /F5 10 Tf (j) Tj ET"
                .to_vec(),
        ];
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for content in pages {
            let content_id = doc.add_object(lopdf::Stream::new(dictionary! {}, content));
            kids.push(Object::from(doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Contents" => content_id,
                "Resources" => dictionary! { "Font" => fonts.clone(), "XObject" => dictionary! { "Fm1" => form } },
            })));
        }
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let read = read(&bytes).unwrap();
        let glyphs: Vec<Vec<(&str, bool)>> = read
            .pages
            .iter()
            .map(|p| p.glyphs.iter().map(|g| (g.text.as_str(), g.bold)).collect())
            .collect();
        let italic: Vec<&str> = read.pages[1]
            .glyphs
            .iter()
            .filter(|g| g.italic)
            .map(|g| g.text.as_str())
            .collect();
        assert_eq!(italic, ["i", "j"]);
        assert_eq!(
            glyphs,
            [
                vec![
                    ("a", false),
                    ("b", true),
                    ("c", true),
                    ("d", false),
                    ("e", true)
                ],
                vec![("g", true), ("h", false), ("i", false), ("j", false)],
            ]
        );
    }
}
