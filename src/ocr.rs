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

/// When pages get OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OcrMode {
    /// Pages without a text layer, when tesseract with Dutch data is installed.
    Auto,
    /// Every page that shows an image, replacing its text layer.
    Always,
    /// Never.
    Never,
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
/// points, as glyphs in page space (one glyph per word, one run per line).
pub fn recognize(
    image: &PageImage,
    page_width: f32,
    page_height: f32,
) -> Result<Vec<Glyph>, String> {
    let dir = std::env::temp_dir().join(format!("peo-ocr-{}-{:p}", std::process::id(), image));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot write a temporary image: {e}"))?;
    let ext = if image.encoding == ImageEncoding::Jpeg {
        "jpg"
    } else {
        "pnm"
    };
    let path = dir.join(format!("page.{ext}"));
    let written = std::fs::File::create(&path).and_then(|mut f| f.write_all(&image_file(image)));
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
    let sx = page_width / image.width.max(1) as f32;
    let sy = page_height / image.height.max(1) as f32;
    Ok(parse_tsv(&String::from_utf8_lossy(&output.stdout), sx, sy))
}

/// Words of tesseract's TSV output (level 5 rows) as glyphs.
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
            y: (top + height) * sy,
            width: width * sx,
            size: (height * sy * 1.15).max(1.0),
            text: text.to_string(),
            run,
            bold: false,
        });
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
        assert_eq!(
            (g[0].text.as_str(), g[0].x, g[0].y, g[0].width),
            ("Werkplezier", 50.0, 110.0, 60.0)
        );
        assert_eq!(g[0].run, g[1].run);
    }
}
