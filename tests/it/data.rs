//! The stage fixtures of `tests/data/<stage>/<case>.*` (see `tests/data/README.md`), one
//! runner per stage: each case is read, run through its stage and compared with what it
//! expects; every case that differs is reported with its file.

use std::path::{Path, PathBuf};

use peo::lexicon::Lexicon;
use peo::model::{CleanPage, LaidPage, Line};
use peo::normalize::normalize;
use peo::segment::{segment, Known};

use crate::common::ROOT;

/// The case files of a stage, sorted.
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

/// A normalize case's input pages and its expected output.
fn read_normalize_case(text: &str) -> (Vec<LaidPage>, String) {
    let (input, expected) = text
        .split_once("== expected\n")
        .expect("a case has an == expected section");
    let mut pages: Vec<LaidPage> = Vec::new();
    for row in input
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
    (pages, expected.to_string())
}

#[test]
fn normalize_cases() {
    let mut failed = Vec::new();
    let files = cases("normalize", "txt");
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a case file");
        let (pages, expected) = read_normalize_case(&text);
        let normalized = normalize(&pages, Lexicon::dutch());
        let got: String = normalized
            .pages
            .iter()
            .map(|p| format!("== page {} label {}\n{}\n", p.number, p.label, p.text()))
            .collect();
        if got != expected {
            failed.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                file.display()
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases differ:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

/// A segment case's clean pages and the sections it expects. Each line of a page is a block of
/// its own, `size text`, one under the other.
fn read_segment_case(text: &str) -> (Vec<CleanPage>, String) {
    let (input, expected) = text
        .split_once("== expected sections\n")
        .expect("a case has an == expected sections part");
    let mut pages: Vec<CleanPage> = Vec::new();
    for row in input
        .lines()
        .filter(|r| !r.starts_with('#') && !r.trim().is_empty())
    {
        if let Some(number) = row.strip_prefix("== page ") {
            let number: u32 = number.trim().parse().expect("a page number");
            pages.push(CleanPage {
                number,
                label: number.to_string(),
                lines: Vec::new(),
            });
            continue;
        }
        let (size, text) = row.split_once(' ').expect("a line is `size text`");
        let page = pages.last_mut().expect("a page before its lines");
        let i = page.lines.len() as u32;
        page.lines.push(Line {
            text: text.to_string(),
            x0: 50.0,
            x1: 300.0,
            top: 50.0 + i as f32 * 20.0,
            bottom: 60.0 + i as f32 * 20.0,
            size: size.parse().expect("a line's size"),
            block: i,
            boxed: false,
            list_item: false,
            bold: false,
            italic: false,
            cells: Vec::new(),
            tag: None,
        });
    }
    (pages, expected.to_string())
}

#[test]
fn segment_cases() {
    let mut failed = Vec::new();
    let files = cases("segment", "txt");
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a case file");
        let (pages, expected) = read_segment_case(&text);
        let document = segment(&pages, &Known::default());
        let got: String = document
            .sections
            .iter()
            .map(|s| {
                format!(
                    "{} | {} | {} | {}\n",
                    s.number.as_deref().unwrap_or("-"),
                    s.title,
                    s.level,
                    s.kind.as_str()
                )
            })
            .collect();
        if got != expected {
            failed.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                file.display()
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases differ:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}
