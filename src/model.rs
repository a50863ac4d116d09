//! The data that flows between the stages, named by its state: `RawPage` (glyphs and drawn
//! rectangles, straight from the PDF) → `LaidPage` (lines in reading order) → `CleanPage`
//! (repaired text) → `Document` (sections, recommendations, quotes, key figures).
//!
//! Invariant: every type here is plain data (serde-serialisable, no behaviour beyond small
//! accessors), so each stage can be tested with hand-written values.

use serde::{Deserialize, Serialize};

/// One glyph as the PDF draws it, in page space with the origin at the top left.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Left edge of the glyph.
    pub x: f32,
    /// Baseline, measured from the top of the page.
    pub y: f32,
    /// Advance width.
    pub width: f32,
    /// Effective font size (font size scaled by the text matrix).
    pub size: f32,
    /// The Unicode text of the glyph (may be several characters, e.g. a ligature).
    pub text: String,
    /// Index of the text-showing operator that drew it: glyphs of one run share it.
    pub run: u32,
    /// The glyph's font is bold (by its name or weight).
    pub bold: bool,
    /// What the producer's structure tree says the glyph belongs to (tagged PDF).
    pub marked: Marked,
}

/// How a glyph is marked in a tagged PDF's content stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Marked {
    /// Not marked, or the PDF has no (readable) structure tree.
    #[default]
    None,
    /// Marked as an artifact: running header or footer, page number, decoration.
    Artifact,
    /// Content of the structure element with this index in `Structure::elements`.
    Element(u32),
}

/// A tagged PDF's structure tree, as far as peo reads it: its elements in the tree's order
/// (depth first from the root, the document's logical reading order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Structure {
    pub elements: Vec<StructElement>,
    /// The producer itself doubts its tags (`/MarkInfo << /Suspects true >>`).
    pub suspects: bool,
}

impl Structure {
    /// The role that says what element `index` is part of: its own, or, for an element that
    /// only groups or wraps text (Div, NonStruct, Span), the nearest ancestor's that does more.
    pub fn role_of(&self, index: u32) -> Option<(u32, StructRole)> {
        let mut at = Some(index);
        // a parent always comes before its child in tree order, so the climb ends
        while let Some(i) = at {
            let element = self.elements.get(i as usize)?;
            if !matches!(element.role, StructRole::Group | StructRole::Inline) {
                return Some((i, element.role));
            }
            at = element.parent.filter(|&p| p < i);
        }
        None
    }

    /// The nearest element of role `role` that holds element `index` (or is it).
    pub fn within(&self, index: u32, role: StructRole) -> Option<u32> {
        let mut at = Some(index);
        while let Some(i) = at {
            let element = self.elements.get(i as usize)?;
            if element.role == role {
                return Some(i);
            }
            at = element.parent.filter(|&p| p < i);
        }
        None
    }
}

/// One element of a structure tree.
#[derive(Debug, Clone, PartialEq)]
pub struct StructElement {
    /// Its standard structure type, after the RoleMap.
    pub role: StructRole,
    /// The index of its parent element; none at the top.
    pub parent: Option<u32>,
    /// Its /Alt text (a figure's description) or /ActualText, when it has one.
    pub alt: Option<String>,
}

/// The standard structure types of ISO 32000-1, 14.8.4, that peo tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructRole {
    /// Document, Part, Art, Sect, Div, NonStruct and other grouping elements.
    Group,
    /// H1 to H6 (and H, as level 1).
    Heading(u8),
    P,
    /// L: a list.
    List,
    /// LI: a list item, holding its Lbl and LBody.
    ListItem,
    /// Lbl: the label of a list item ("1.", "•") or of another element.
    Label,
    /// LBody: the text of a list item.
    ListBody,
    BlockQuote,
    Quote,
    Table,
    /// TR, THead, TBody, TFoot.
    TableRow,
    /// TH and TD.
    TableCell,
    Figure,
    Caption,
    /// Note, Reference, BibEntry.
    Note,
    /// Span, Link, Code, and any inline or unknown type.
    Inline,
}

/// A rectangle drawn on the page (filled or stroked), top-left origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }
    pub fn contains(&self, x: f32, y: f32) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }
}

/// A page as the extractor read it.
#[derive(Debug, Clone, Default)]
pub struct RawPage {
    /// 1-based physical page number.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub glyphs: Vec<Glyph>,
    pub rects: Vec<Rect>,
    /// Why the page has no glyphs, when the extractor knows (a failed page, an image only page).
    pub problem: Option<String>,
    /// The page draws an image.
    pub has_image: bool,
    /// The text came from OCR: peo's own, or an invisible text layer over a page image, as OCR
    /// programs write it (text render mode 3).
    pub ocr: bool,
}

/// One line of text in reading order, with its geometry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Top of the line (baseline minus font size).
    pub top: f32,
    /// Baseline.
    pub bottom: f32,
    /// Dominant font size of the line.
    pub size: f32,
    /// Index of the paragraph-like block the line belongs to, counted per page.
    pub block: u32,
    /// The line stands inside a drawn box (kader, quote box, infographic block).
    pub boxed: bool,
    /// The line starts a list item (its bullet was removed by normalisation).
    #[serde(default)]
    pub list_item: bool,
    /// Every word of the line is set in a bold font.
    #[serde(default)]
    pub bold: bool,
    /// The line is one row of a table: the text of each cell, left to right (a cell wrapped
    /// over lines joined); `text` is the cells joined by spaces. Empty for other lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
}

/// A page after layout analysis: lines in reading order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LaidPage {
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub lines: Vec<Line>,
    /// The text came from OCR (see `RawPage::ocr`); only such text gets OCR repairs.
    #[serde(default)]
    pub ocr: bool,
}

/// A page after normalisation: furniture removed, text repaired.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CleanPage {
    pub number: u32,
    /// The printed page number, when the page shows one; else the physical number.
    pub label: String,
    pub lines: Vec<Line>,
}

impl CleanPage {
    /// The page's text: each block on one line, blocks separated by a blank line.
    pub fn text(&self) -> String {
        block_text(&self.lines)
    }
}

impl LaidPage {
    /// The page's text before normalisation, blocks as in `CleanPage::text`.
    pub fn text(&self) -> String {
        block_text(&self.lines)
    }
}

/// Lines as text: each block on one line, blocks separated by a blank line.
fn block_text(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut last_block = None;
    for line in lines {
        match last_block {
            None => {}
            Some(b) if b == line.block => out.push(' '),
            Some(_) => out.push_str("\n\n"),
        }
        out.push_str(&line.text);
        last_block = Some(line.block);
    }
    out
}

/// What a repair or a guess was, so a user can check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub page: u32,
    /// The rule that fired, e.g. "dehyphenate", "ocr-confusion", "running-header".
    pub rule: String,
    pub original: String,
    pub result: String,
}

/// The kind of a searchable passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum PassageKind {
    Heading,
    Paragraph,
    Recommendation,
    Quote,
    KeyFigure,
    TableRow,
}

impl PassageKind {
    pub const ALL: [PassageKind; 6] = [
        PassageKind::Heading,
        PassageKind::Paragraph,
        PassageKind::Recommendation,
        PassageKind::Quote,
        PassageKind::KeyFigure,
        PassageKind::TableRow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PassageKind::Heading => "heading",
            PassageKind::Paragraph => "paragraph",
            PassageKind::Recommendation => "recommendation",
            PassageKind::Quote => "quote",
            PassageKind::KeyFigure => "key_figure",
            PassageKind::TableRow => "table_row",
        }
    }

    pub fn parse(s: &str) -> Option<PassageKind> {
        PassageKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s || (s == "figure" && *k == PassageKind::KeyFigure))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub number: u32,
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The label printed before the title: "3.4", "Kader 4", a block number; none when unnumbered.
    pub number: Option<String>,
    pub title: String,
    pub level: u8,
    /// "heading" or "kader".
    pub kind: String,
    pub page: u32,
}

impl Section {
    /// How other items refer to the section: number and title joined by a space.
    pub fn reference(&self) -> String {
        match &self.number {
            Some(n) => format!("{n} {}", self.title),
            None => self.title.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The audience as printed, without the trailing colon.
    pub audience_label: String,
    /// Canonical audiences: professionals, organisaties, opleidingen, beleid.
    pub audiences: Vec<String>,
    #[serde(default, deserialize_with = "number_or_string")]
    pub number: Option<u32>,
    pub text: String,
    pub page: u32,
    pub section: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub page: u32,
    pub section: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFigure {
    pub value: String,
    pub statement: String,
    pub group: Option<String>,
    pub page: u32,
}

/// A table ("Tabel 2"), kept as rows of cells rather than read as paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The label of its caption ("Tabel 2"), when one is printed above it.
    pub number: Option<String>,
    /// The caption's text after the label.
    pub caption: Option<String>,
    pub page: u32,
    /// The column headings, when the first row holds no values; else empty.
    pub header: Vec<String>,
    /// The rows below the header, each a list of cell texts left to right.
    pub rows: Vec<Vec<String>>,
    pub section: Option<String>,
}

/// A paragraph of body text, the unit of full-text search besides the items above.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    pub page: u32,
    pub section: Option<String>,
}

/// Everything peo knows about one publication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The file name without extension; unique within a corpus.
    pub id: String,
    pub path: String,
    pub blake3: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// "2022", "2022-2023", ...; empty when unknown.
    pub wave: String,
    /// rapport, samenvatting, factsheet, webpagina; empty when unknown.
    pub doc_type: String,
    pub authors: Vec<String>,
    pub isbn: Option<String>,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub recommendations: Vec<Recommendation>,
    pub quotes: Vec<Quote>,
    pub key_figures: Vec<KeyFigure>,
    #[serde(default)]
    pub tables: Vec<Table>,
    pub paragraphs: Vec<Paragraph>,
    pub warnings: Vec<String>,
}

impl Document {
    pub fn page_label(&self, page: u32) -> String {
        self.pages
            .iter()
            .find(|p| p.number == page)
            .map(|p| p.label.clone())
            .unwrap_or_else(|| page.to_string())
    }

    /// The whole text, pages separated by form feeds.
    pub fn text(&self) -> String {
        let pages: Vec<&str> = self.pages.iter().map(|p| p.text.as_str()).collect();
        pages.join("\n\u{c}\n")
    }
}

/// Reads an item number written as 7 or "7" (hand-made annotations use both).
fn number_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Any {
        N(u32),
        S(String),
    }
    Ok(match Option::<Any>::deserialize(d)? {
        Some(Any::N(n)) => Some(n),
        Some(Any::S(s)) => s.trim().trim_end_matches('.').parse().ok(),
        None => None,
    })
}
