//! `PageImage` → words with positions, by the tesseract OCR engine with its Dutch data in sparse
//! text mode, run as an external program. The only module that runs an OCR engine.
//!
//! Invariant: OCR never fails a document: when tesseract is missing or fails, the page keeps
//! no text and the caller reports why.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::extract::{ImageEncoding, PageImage};
use crate::model::Glyph;

pub mod cache;
pub mod choose;
pub mod judge;
pub mod prepare;

/// When pages get OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OcrMode {
    /// Pages without words in their text layer (none, or a page number alone), when tesseract with Dutch data is installed.
    Auto,
    /// Every page that shows an image, replacing its text layer.
    Always,
    /// Never.
    Never,
}

/// An OCR engine: reads the words of a page image. `process::Env` carries one, so that a test
/// can hand the stages a fake.
pub trait OcrEngine: Sync {
    /// How the engine is named in the note of every page it reads.
    fn name(&self) -> &str;
    /// The engine's version and settings, everything else its words depend on: the OCR cache
    /// keys its entries by it, so a new engine or preparation reads the pages again.
    fn version(&self) -> &str;
    /// Why the engine cannot run here, or `None` when it can.
    fn unavailable(&self) -> Option<&str>;
    /// The words of `image`, which covers a page of `page_width` × `page_height` points, as
    /// glyphs in page space (one glyph per word, one run per line).
    fn recognize(
        &self,
        image: &PageImage,
        page_width: f32,
        page_height: f32,
    ) -> Result<Vec<Glyph>, String>;
    /// The same, from the image prepared first (`prepare`): for a page whose text layer was
    /// judged poor. An engine that prepares nothing reads the image as it is.
    fn recognize_prepared(
        &self,
        image: &PageImage,
        page_width: f32,
        page_height: f32,
    ) -> Result<Vec<Glyph>, String> {
        self.recognize(image, page_width, page_height)
    }
}

/// tesseract with its Dutch data, run as an external program.
pub struct Tesseract;

impl OcrEngine for Tesseract {
    fn name(&self) -> &str {
        "tesseract, nld"
    }

    fn version(&self) -> &str {
        static VERSION: OnceLock<String> = OnceLock::new();
        VERSION.get_or_init(|| {
            let version = Command::new("tesseract")
                .arg("--version")
                .output()
                .map(|o| {
                    // Older versions print it on standard error.
                    let out = [o.stdout, o.stderr].concat();
                    String::from_utf8_lossy(&out)
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_string()
                })
                .unwrap_or_default();
            format!("{version}; --psm 11; prepared: {}", prepare::SETTINGS)
        })
    }

    fn unavailable(&self) -> Option<&str> {
        (!available()).then_some("OCR needs tesseract with Dutch data: make ocr-deps")
    }

    fn recognize(
        &self,
        image: &PageImage,
        page_width: f32,
        page_height: f32,
    ) -> Result<Vec<Glyph>, String> {
        recognize(image, page_width, page_height)
    }

    fn recognize_prepared(
        &self,
        image: &PageImage,
        page_width: f32,
        page_height: f32,
    ) -> Result<Vec<Glyph>, String> {
        recognize_prepared(image, page_width, page_height)
    }
}

/// Whether `tesseract` with the Dutch language data (nld) can be run.
pub fn available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        Command::new("tesseract")
            .arg("--list-langs")
            .output()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| l.trim() == "nld")
            })
            .unwrap_or(false)
    })
}

/// The image as a file tesseract reads: the JPEG as it is, raw samples as PGM or PPM.
fn image_file(image: &PageImage) -> Vec<u8> {
    match image.encoding {
        ImageEncoding::Jpeg => image.data.clone(),
        ImageEncoding::Raw { components } => {
            let magic = if components == 1 { "P5" } else { "P6" };
            let n = image.width as usize * image.height as usize * components as usize;
            let mut out = format!("{magic}\n{} {}\n255\n", image.width, image.height).into_bytes();
            out.extend_from_slice(&image.data[..n.min(image.data.len())]);
            out
        }
    }
}

/// Recognises the words of a page image that covers a page of `page_width` × `page_height`
/// points, as glyphs in page space (one glyph per word, one run per line), from the image as
/// it is.
pub fn recognize(
    image: &PageImage,
    page_width: f32,
    page_height: f32,
) -> Result<Vec<Glyph>, String> {
    let ext = if image.encoding == ImageEncoding::Jpeg {
        "jpg"
    } else {
        "pnm"
    };
    let tsv = run_tesseract(&image_file(image), ext, image)?;
    let sx = page_width / image.width.max(1) as f32;
    let sy = page_height / image.height.max(1) as f32;
    Ok(parse_tsv(&tsv, sx, sy))
}

/// The same from the image prepared first (`prepare`: 300 dpi, levelled, dark bands
/// inverted, paper white); one that cannot be decoded is read as it is. Used only where a text
/// layer was judged poor: on pages without a layer, the prepared image read the corpus's
/// 150-dpi factsheet scan worse than the image as it is (its key figures F1 from .86 to .65).
pub fn recognize_prepared(
    image: &PageImage,
    page_width: f32,
    page_height: f32,
) -> Result<Vec<Glyph>, String> {
    let Ok(prepared) = prepare::prepare(image, page_width) else {
        return recognize(image, page_width, page_height);
    };
    let tsv = run_tesseract(&prepared.pgm(), "pgm", image)?;
    let sx = page_width / prepared.image.width().max(1) as f32;
    let sy = page_height / prepared.image.height().max(1) as f32;
    Ok(parse_tsv(&tsv, sx, sy))
}

/// Runs tesseract on an image file's bytes; its TSV output.
fn run_tesseract(file: &[u8], ext: &str, image: &PageImage) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("peo-ocr-{}-{:p}", std::process::id(), image));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot write a temporary image: {e}"))?;
    let path = dir.join(format!("page.{ext}"));
    let written = std::fs::File::create(&path).and_then(|mut f| f.write_all(file));
    // Sparse text (--psm 11): layout builds lines and reading order from the word boxes, so
    // tesseract only has to find and read the words. Its page segmentation (--psm 3) runs the
    // lines of tiles set side by side into one line, whose words then carry the heights and
    // baselines of their neighbours, and passes over words set light on a dark band.
    let output = written.and_then(|_| {
        Command::new("tesseract")
            .arg(&path)
            .arg("stdout")
            .args(["-l", "nld", "--psm", "11", "tsv"])
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::null())
            .output()
    });
    let _ = std::fs::remove_dir_all(&dir);
    let output = output.map_err(|e| format!("cannot run tesseract: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "tesseract failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// How far below its baseline a word's box reaches, as a share of the box's height: a letter
/// with a descender or a bracket goes down about a fifth of the box, a comma less.
fn descent(text: &str) -> f32 {
    if text.contains(['g', 'j', 'p', 'q', 'y', '(', ')', '[', ']', '{', '}', '|']) {
        0.21
    } else if text.contains([',', ';']) {
        0.17
    } else {
        0.0
    }
}

/// Words of tesseract's TSV output (level 5 rows) as glyphs. A glyph stands on its word's
/// baseline, which the words of one line share: the middle of the estimates of its words
/// (the bottom of a box, above a descender), so that a word with a descender stays on the
/// line of its neighbours and a value with a comma on the row of its label.
fn parse_tsv(tsv: &str, sx: f32, sy: f32) -> Vec<Glyph> {
    let mut glyphs = Vec::new();
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let text = cols[11].trim();
        let n = |i: usize| cols[i].parse::<f32>().unwrap_or(0.0);
        if text.is_empty() {
            continue;
        }
        // Block, paragraph and line numbers make the run: the words of one line share it.
        let run = (cols[2].parse::<u32>().unwrap_or(0) << 16)
            | (cols[3].parse::<u32>().unwrap_or(0) << 8)
            | cols[4].parse::<u32>().unwrap_or(0);
        let (left, top, width, height) = (n(6), n(7), n(8), n(9));
        glyphs.push(Glyph {
            x: left * sx,
            y: (top + height * (1.0 - descent(text))) * sy,
            width: width * sx,
            size: (height * sy * 1.15).max(1.0),
            text: text.to_string(),
            run,
            bold: false,
            italic: false,
            marked: Default::default(),
        });
    }
    let mut runs: Vec<u32> = glyphs.iter().map(|g| g.run).collect();
    runs.sort_unstable();
    runs.dedup();
    for run in runs {
        let mut ys: Vec<f32> = glyphs
            .iter()
            .filter(|g| g.run == run)
            .map(|g| g.y)
            .collect();
        ys.sort_by(f32::total_cmp);
        let baseline = ys[ys.len() / 2];
        for g in glyphs.iter_mut().filter(|g| g.run == run) {
            g.y = baseline;
        }
    }
    glyphs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_become_glyphs_in_page_space() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   4\t1\t1\t1\t1\t0\t100\t200\t300\t20\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t100\t200\t120\t20\t96.5\tWerkplezier\n\
                   5\t1\t1\t1\t1\t2\t230\t200\t50\t20\t95.1\t7,3\n";
        let g = parse_tsv(tsv, 0.5, 0.5);
        assert_eq!(g.len(), 2);
        // The line's baseline lies above the bottom of the boxes, by the descents of the p and
        // the comma.
        assert_eq!(
            (g[0].text.as_str(), g[0].x, g[0].y, g[0].width),
            ("Werkplezier", 50.0, 108.3, 60.0)
        );
        assert_eq!(g[0].run, g[1].run);
    }

    #[test]
    fn words_stand_on_their_baseline_not_below_their_descenders() {
        // The factsheet scan at 150 dpi: "aanstelling" reaches below the line by its g, and
        // the mark "7,7" set large beside its label "Lokaal team:" by its comma.
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   5\t1\t22\t1\t1\t1\t854\t295\t25\t11\t95.3\tdan\n\
                   5\t1\t22\t1\t1\t2\t885\t297\t11\t9\t89.9\tin\n\
                   5\t1\t22\t1\t1\t3\t902\t296\t77\t15\t92.5\taanstelling\n\
                   5\t1\t28\t1\t1\t2\t475\t319\t40\t11\t92.7\tLokaal\n\
                   5\t1\t28\t1\t1\t3\t521\t321\t33\t10\t92.7\tteam:\n\
                   5\t1\t29\t1\t1\t1\t753\t319\t29\t17\t85.9\t7,7\n";
        let g = parse_tsv(tsv, 0.48, 0.48);
        let y = |t: &str| g.iter().find(|g| g.text == t).map(|g| g.y).unwrap();
        assert_eq!(y("aanstelling"), y("dan"));
        assert_eq!(y("in"), y("dan"));
        // Within the 0.3 of the smaller size that layout allows a row's cells.
        let label = g.iter().find(|g| g.text == "Lokaal").unwrap();
        assert!(
            (y("7,7") - y("Lokaal")).abs() <= 0.3 * label.size,
            "{} against {}",
            y("7,7"),
            y("Lokaal")
        );
    }
}
