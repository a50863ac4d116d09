//! The stage fixtures of `tests/data/<stage>/<case>.*` (see `tests/data/README.md`), one
//! runner per stage: each case is read, run through its stage, and what the stage made of it
//! is written as text and compared with the case's expect file, `<case>.expect`. Every case
//! that differs is reported with its file and the first line that differs. With
//! `UPDATE_EXPECT=1` the runners write the expect files instead (bless them, then read the
//! diff before committing).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use peo::layout::lay_out;
use peo::lexicon::Lexicon;
use peo::model::{CleanPage, Document, Glyph, LaidPage, Line, RawPage, Rect};
use peo::normalize::normalize;
use peo::segment::{segment, Known};
use serde::Deserialize;

use crate::common::ROOT;

/// The input files of a stage's cases, sorted.
fn cases(stage: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(ROOT).join("tests/data").join(stage);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    files
}

/// Whether the runners write the expect files instead of checking them.
fn blessing() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1")
}

/// Runs every case of `stage` (input files ending in `ext`) through `run`, which gives what
/// the stage made of the case's text, and checks it against the case's expect file.
fn run_cases(stage: &str, ext: &str, run: impl Fn(&str) -> String) {
    let files = cases(stage, ext);
    let mut failed = Vec::new();
    for file in &files {
        let input = std::fs::read_to_string(file).expect("a case file");
        let got = run(&input);
        let expect_file = file.with_extension("expect");
        if blessing() {
            std::fs::write(&expect_file, &got).expect("an expect file written");
            continue;
        }
        let expected = std::fs::read_to_string(&expect_file)
            .unwrap_or_else(|e| format!("(no expect file: {e}; UPDATE_EXPECT=1 writes it)\n",));
        if got != expected {
            failed.push(difference(&expect_file, &expected, &got));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} {stage} cases differ (UPDATE_EXPECT=1 blesses what the stage makes now):\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

/// Where `got` first differs from `expected`, and both in full.
fn difference(file: &Path, expected: &str, got: &str) -> String {
    let (e, g): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    let at = (0..e.len().max(g.len()))
        .find(|&i| e.get(i) != g.get(i))
        .unwrap_or(0);
    format!(
        "{}:{}: expected {:?}\n{:>w$}got      {:?}\n--- expected\n{expected}--- got\n{got}",
        file.display(),
        at + 1,
        e.get(at).copied().unwrap_or("(end)"),
        "",
        g.get(at).copied().unwrap_or("(end)"),
        w = file.display().to_string().len() + at.to_string().len() + 3,
    )
}

/// A layout case: a piece of a page as the extractor read it, cut from a corpus PDF.
#[derive(Deserialize)]
struct LayoutCase {
    width: f32,
    height: f32,
    ocr: bool,
    /// [x0, y0, x1, y1] of each drawn rectangle.
    rects: Vec<[f32; 4]>,
    /// [x, baseline, width, size, run, bold, text] of each glyph.
    glyphs: Vec<(f32, f32, f32, f32, u32, bool, String)>,
}

impl LayoutCase {
    fn page(self) -> RawPage {
        RawPage {
            number: 1,
            width: self.width,
            height: self.height,
            glyphs: self
                .glyphs
                .into_iter()
                .map(|(x, y, width, size, run, bold, text)| Glyph {
                    x,
                    y,
                    width,
                    size,
                    text,
                    run,
                    bold,
                    // the excerpts were cut before peo read slant; none of them is italic
                    italic: false,
                    marked: Default::default(),
                })
                .collect(),
            rects: self
                .rects
                .into_iter()
                .map(|[x0, y0, x1, y1]| Rect { x0, y0, x1, y1 })
                .collect(),
            problem: None,
            has_image: false,
            ocr: self.ocr,
        }
    }
}

/// A line with its block and geometry: `block flags size x0 x1 top  text`, flags `B` boxed,
/// `L` list item, `W` bold; a table row adds its cells on the next line.
fn line_text(l: &Line) -> String {
    let flags = format!(
        "{}{}{}",
        if l.boxed { "B" } else { "-" },
        if l.list_item { "L" } else { "-" },
        if l.bold { "W" } else { "-" }
    );
    let mut out = format!(
        "{:>2} {flags} {:>5.1} {:>6.1} {:>6.1} {:>6.1}  {}\n",
        l.block, l.size, l.x0, l.x1, l.top, l.text
    );
    if !l.cells.is_empty() {
        let _ = writeln!(out, "{:>31}cells: {}", "", l.cells.join(" | "));
    }
    out
}

#[test]
fn layout_cases() {
    run_cases("layout", "json", |input| {
        let case: LayoutCase = serde_json::from_str(input).expect("a layout case");
        let laid = lay_out(&case.page());
        laid.lines.iter().map(line_text).collect()
    });
}

/// A normalize case's input pages.
fn read_normalize_case(text: &str) -> Vec<LaidPage> {
    let mut pages: Vec<LaidPage> = Vec::new();
    for row in text
        .lines()
        .filter(|r| !r.starts_with('#') && !r.trim().is_empty())
    {
        if let Some(header) = row.strip_prefix("== page ") {
            let mut words = header.split_whitespace();
            pages.push(LaidPage {
                number: words
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("a page number"),
                width: 595.0,
                height: 842.0,
                lines: Vec::new(),
                ocr: words.next() == Some("ocr"),
            });
            continue;
        }
        let mut parts = row.splitn(3, ' ');
        let (Some(top), Some(block), Some(text)) = (parts.next(), parts.next(), parts.next())
        else {
            panic!("a line is `top block text`: {row:?}");
        };
        let top: f32 = top.parse().expect("a line's top");
        pages
            .last_mut()
            .expect("a page before its lines")
            .lines
            .push(Line {
                text: text.to_string(),
                x0: 50.0,
                x1: 300.0,
                top,
                bottom: top + 10.0,
                size: 10.0,
                block: block.parse().expect("a line's block"),
                boxed: false,
                list_item: false,
                bold: false,
                italic: false,
                cells: Vec::new(),
                tag: None,
            });
    }
    pages
}

#[test]
fn normalize_cases() {
    run_cases("normalize", "txt", |input| {
        let normalized = normalize(&read_normalize_case(input), Lexicon::dutch());
        normalized
            .pages
            .iter()
            .map(|p| format!("== page {} label {}\n{}\n", p.number, p.label, p.text()))
            .collect()
    });
}

/// A segment case: clean pages (whole, or some of their blocks) as normalisation gives them.
#[derive(Deserialize)]
struct SegmentCase {
    pages: Vec<CleanPage>,
}

/// The structure of a document, one item a line: sections, recommendations, quotes, key
/// figures and tables, each with its page (and the section it is in).
fn structure_text(doc: &Document) -> String {
    let mut out = String::new();
    let section = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    if !doc.sections.is_empty() {
        out.push_str("sections:\n");
    }
    for s in &doc.sections {
        let _ = writeln!(
            out,
            "  p{} {} | {} | level {} | {}",
            s.page,
            s.number.as_deref().unwrap_or("-"),
            s.title,
            s.level,
            s.kind.as_str()
        );
    }
    if !doc.recommendations.is_empty() {
        out.push_str("recommendations:\n");
    }
    for r in &doc.recommendations {
        let audiences: Vec<&str> = r.audiences.iter().map(|a| a.as_str()).collect();
        let _ = writeln!(
            out,
            "  p{} {} | {} ({}) | in {}\n    {}",
            r.page,
            r.number.map_or("-".to_string(), |n| n.to_string()),
            r.audience_label,
            audiences.join(", "),
            section(&r.section),
            r.text
        );
    }
    if !doc.quotes.is_empty() {
        out.push_str("quotes:\n");
    }
    for q in &doc.quotes {
        let _ = writeln!(
            out,
            "  p{} in {}\n    {}",
            q.page,
            section(&q.section),
            q.text
        );
    }
    if !doc.key_figures.is_empty() {
        out.push_str("key figures:\n");
    }
    for f in &doc.key_figures {
        let _ = writeln!(
            out,
            "  p{} {} | {} | group {}",
            f.page,
            f.value,
            f.statement,
            f.group.as_deref().unwrap_or("-")
        );
    }
    if !doc.tables.is_empty() {
        out.push_str("tables:\n");
    }
    for t in &doc.tables {
        let _ = writeln!(
            out,
            "  p{} {} | {} | in {}",
            t.page,
            t.number.as_deref().unwrap_or("-"),
            t.caption.as_deref().unwrap_or("-"),
            section(&t.section)
        );
        if !t.header.is_empty() {
            let _ = writeln!(out, "    header: {}", t.header.join(" | "));
        }
        for row in &t.rows {
            let _ = writeln!(out, "    row: {}", row.join(" | "));
        }
    }
    out
}

#[test]
fn segment_cases() {
    run_cases("segment", "json", |input| {
        let case: SegmentCase = serde_json::from_str(input).expect("a segment case");
        structure_text(&segment(&case.pages, &Known::default()))
    });
}
