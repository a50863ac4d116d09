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
    /// The glyph's font is italic or oblique (by its name or slant).
    pub italic: bool,
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

    /// The block-level element that holds element `index` (or is it): a paragraph, heading,
    /// list item, table cell, caption, note or figure, whose text flows as one block; none
    /// above it.
    pub fn block_of(&self, index: u32) -> Option<u32> {
        let mut at = Some(index);
        while let Some(i) = at {
            let element = self.elements.get(i as usize)?;
            if matches!(
                element.role,
                StructRole::P
                    | StructRole::Heading(_)
                    | StructRole::ListItem
                    | StructRole::TableCell
                    | StructRole::Caption
                    | StructRole::Note
                    | StructRole::Figure
            ) && (element.role != StructRole::P
                || self.within(i, StructRole::ListItem).is_none())
            {
                return Some(i);
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// Every word of the line is set in an italic or oblique font.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub italic: bool,
    /// The line is one row of a table: the text of each cell, left to right (a cell wrapped
    /// over lines joined); `text` is the cells joined by spaces. Empty for other lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
    /// What a tagged PDF's structure tree says the line is; none where the PDF has no tree or
    /// the tree does not mark the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<LineTag>,
}

/// The structure element a line belongs to, as the producer tagged it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LineTag {
    /// The element that marks most of the line's text (its index in `Structure::elements`).
    pub element: u32,
    /// That element's role (see `Structure::role_of`).
    pub role: StructRole,
    /// The quotation (BlockQuote or Quote element) the line is part of, if any.
    pub quote: Option<u32>,
    /// The list item (LI element) the line is part of, if any.
    pub item: Option<u32>,
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
    /// The rule that fired.
    pub rule: Rule,
    pub original: String,
    pub result: String,
}

/// The rules of normalize that report what they changed. In JSON (and `peo extract --explain`)
/// a rule is its name as `as_str` spells it, e.g. "dehyphenate", "ocr-l-for-I".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// A page number in the margin, dropped.
    PageNumber,
    /// A running header or footer (or other print furniture), dropped.
    RunningHeader,
    /// The dots of a table-of-contents leader, dropped.
    DottedLeader,
    /// A line of box corners, rules or specks read as characters, dropped.
    Decoration,
    /// What OCR read off specks, bullets and box edges at the ends of a line, taken off it.
    OcrDebris,
    /// A bullet split off the start of a line, which becomes a list item.
    Bullet,
    /// A word hyphenated across a line end, joined.
    Dehyphenate,
    /// A word hyphenated across a line end, joined with its hyphen kept.
    HyphenKept,
    /// Two words OCR ran together, split.
    OcrLostSpace,
    /// A word OCR broke in two, joined.
    OcrBrokenWord,
    /// A letter-spaced word, joined.
    LetterSpacing,
    /// A stray bar before a capital, dropped.
    OcrStrayBar,
    /// A stray capital inside a lowercase word, dropped.
    OcrStrayCapital,
    // OCR confusions: what an engine read for what was printed, named `ocr-READ-for-PRINTED`.
    OcrLForCapitalI,
    OcrBackslashForV,
    OcrEAcuteForDiaeresis,
    OcrEGraveForDiaeresis,
    OcrIAcuteForI,
    OcrIGraveForI,
    OcrQForO,
    OcrZeroForO,
    OcrJjForIj,
    OcrYForIj,
    OcrCapitalIForL,
    OcrIForL,
    OcrLForI,
    OcrOneForL,
    OcrBarForL,
    OcrExclamationForL,
    OcrRnForM,
    OcrMForRn,
    OcrClForD,
    OcrVvForW,
    OcrFForI,
    OcrFForT,
    OcrTForF,
    OcrCForE,
}

impl Rule {
    /// Every rule: the names JSON is read back from.
    pub const ALL: [Rule; 37] = [
        Rule::PageNumber,
        Rule::RunningHeader,
        Rule::DottedLeader,
        Rule::Decoration,
        Rule::OcrDebris,
        Rule::Bullet,
        Rule::Dehyphenate,
        Rule::HyphenKept,
        Rule::OcrLostSpace,
        Rule::OcrBrokenWord,
        Rule::LetterSpacing,
        Rule::OcrStrayBar,
        Rule::OcrStrayCapital,
        Rule::OcrLForCapitalI,
        Rule::OcrBackslashForV,
        Rule::OcrEAcuteForDiaeresis,
        Rule::OcrEGraveForDiaeresis,
        Rule::OcrIAcuteForI,
        Rule::OcrIGraveForI,
        Rule::OcrQForO,
        Rule::OcrZeroForO,
        Rule::OcrJjForIj,
        Rule::OcrYForIj,
        Rule::OcrCapitalIForL,
        Rule::OcrIForL,
        Rule::OcrLForI,
        Rule::OcrOneForL,
        Rule::OcrBarForL,
        Rule::OcrExclamationForL,
        Rule::OcrRnForM,
        Rule::OcrMForRn,
        Rule::OcrClForD,
        Rule::OcrVvForW,
        Rule::OcrFForI,
        Rule::OcrFForT,
        Rule::OcrTForF,
        Rule::OcrCForE,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::PageNumber => "page-number",
            Rule::RunningHeader => "running-header",
            Rule::DottedLeader => "dotted-leader",
            Rule::Decoration => "decoration",
            Rule::OcrDebris => "ocr-debris",
            Rule::Bullet => "bullet",
            Rule::Dehyphenate => "dehyphenate",
            Rule::HyphenKept => "hyphen-kept",
            Rule::OcrLostSpace => "ocr-lost-space",
            Rule::OcrBrokenWord => "ocr-broken-word",
            Rule::LetterSpacing => "letter-spacing",
            Rule::OcrStrayBar => "ocr-stray-bar",
            Rule::OcrStrayCapital => "ocr-stray-capital",
            Rule::OcrLForCapitalI => "ocr-l-for-I",
            Rule::OcrBackslashForV => "ocr-backslash-for-V",
            Rule::OcrEAcuteForDiaeresis => "ocr-e-acute-for-diaeresis",
            Rule::OcrEGraveForDiaeresis => "ocr-e-grave-for-diaeresis",
            Rule::OcrIAcuteForI => "ocr-i-acute-for-i",
            Rule::OcrIGraveForI => "ocr-i-grave-for-i",
            Rule::OcrQForO => "ocr-Q-for-O",
            Rule::OcrZeroForO => "ocr-0-for-O",
            Rule::OcrJjForIj => "ocr-jj-for-ij",
            Rule::OcrYForIj => "ocr-y-for-ij",
            Rule::OcrCapitalIForL => "ocr-I-for-l",
            Rule::OcrIForL => "ocr-i-for-l",
            Rule::OcrLForI => "ocr-l-for-i",
            Rule::OcrOneForL => "ocr-1-for-l",
            Rule::OcrBarForL => "ocr-bar-for-l",
            Rule::OcrExclamationForL => "ocr-exclamation-for-l",
            Rule::OcrRnForM => "ocr-rn-for-m",
            Rule::OcrMForRn => "ocr-m-for-rn",
            Rule::OcrClForD => "ocr-cl-for-d",
            Rule::OcrVvForW => "ocr-vv-for-w",
            Rule::OcrFForI => "ocr-f-for-i",
            Rule::OcrFForT => "ocr-f-for-t",
            Rule::OcrTForF => "ocr-t-for-f",
            Rule::OcrCForE => "ocr-c-for-e",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, so that a width (as in `peo extract --explain`) lines the names up.
        f.pad(self.as_str())
    }
}

impl std::str::FromStr for Rule {
    type Err = String;
    fn from_str(text: &str) -> Result<Rule, String> {
        Rule::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| format!("not a normalize rule: {text:?}"))
    }
}

/// Serde for a rule as its name.
impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rule, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Restrictions on what a search returns; each list means "any of these", an empty list means
/// no restriction.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub waves: Vec<String>,
    pub doc_types: Vec<String>,
    pub kinds: Vec<PassageKind>,
    pub audiences: Vec<String>,
    pub doc_ids: Vec<String>,
}

/// One ranked passage.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The passage's id, the same across re-indexing (`peo export`).
    pub id: String,
    pub score: f32,
    pub doc_id: String,
    pub title: String,
    pub wave: String,
    pub doc_type: String,
    pub kind: PassageKind,
    pub page: u32,
    pub page_label: String,
    pub section: Option<String>,
    pub audiences: Vec<String>,
    pub audience_label: Option<String>,
    pub number: Option<u32>,
    /// The number of pages of the publication, for a passage of kind `document`.
    pub n_pages: Option<u32>,
    /// `Document::copy_rank` of the file the passage is in: which copy of a publication to show.
    #[serde(skip)]
    pub copy_rank: u64,
    /// Position of the item among the document's items of its kind.
    #[serde(skip)]
    pub ordinal: Option<usize>,
    pub text: String,
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet` (the JSON of the CLI gives them as
    /// character offsets).
    pub highlights: Vec<(usize, usize)>,
    /// Found by the fuzzy fallback, not by the words as written.
    pub fuzzy: bool,
    /// The other variants of the publication (a scan beside its original) that hold the same
    /// passage, which `collapse_duplicates` folded into this hit.
    pub also_in: Vec<String>,
    /// The day the last good version of a document was indexed, when its file can no longer be
    /// read (the passage is from that version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale: Option<String>,
}

/// The kind of a searchable passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum PassageKind {
    /// The publication itself: its title, subtitle, wave, type and authors, one passage per
    /// publication, so that a researcher who remembers a title finds the publication.
    Document,
    Heading,
    Paragraph,
    Recommendation,
    Quote,
    KeyFigure,
    TableRow,
    /// The text a tagged PDF gives a figure in place of its picture (`AltText`). Named
    /// `alt_text`, not `figure`: "figure" has always meant a key figure (`key_figure`), in
    /// `--kind` and `kind:` alike, and keeps meaning that.
    AltText,
}

impl PassageKind {
    pub const ALL: [PassageKind; 8] = [
        PassageKind::Document,
        PassageKind::Heading,
        PassageKind::Paragraph,
        PassageKind::Recommendation,
        PassageKind::Quote,
        PassageKind::KeyFigure,
        PassageKind::TableRow,
        PassageKind::AltText,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PassageKind::Document => "document",
            PassageKind::Heading => "heading",
            PassageKind::Paragraph => "paragraph",
            PassageKind::Recommendation => "recommendation",
            PassageKind::Quote => "quote",
            PassageKind::KeyFigure => "key_figure",
            PassageKind::TableRow => "table_row",
            PassageKind::AltText => "alt_text",
        }
    }

    /// A kind as a researcher writes it, in `--kind` and in `kind:` alike: in any case, with a
    /// hyphen or an underscore, singular or plural ("Quotes", "key-figures"), "figure" for a
    /// key figure, "rec" for a recommendation and "alt" for the Alt text of a figure.
    pub fn parse(s: &str) -> Option<PassageKind> {
        let s = s.trim().to_lowercase().replace('-', "_");
        let singular = s.strip_suffix('s').unwrap_or(&s);
        PassageKind::ALL.into_iter().find(|k| {
            [s.as_str(), singular].iter().any(|w| {
                *w == k.as_str()
                    || (*w == "figure" && *k == PassageKind::KeyFigure)
                    || (*w == "rec" && *k == PassageKind::Recommendation)
                    || (*w == "alt" && *k == PassageKind::AltText)
            })
        })
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
    pub kind: SectionKind,
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
    /// The audiences the label names.
    pub audiences: Vec<Audience>,
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

/// What a block of text of a document is, as segmentation read it: one role per block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The publication's title (and the lines set with it).
    Title,
    /// A section heading; its level is in `BlockRole::level`.
    Heading,
    /// The label that names a list's audience ("Aan professionals:").
    AudienceLabel,
    /// A recommendation, or the start of one.
    Recommendation,
    Quote,
    /// A row of a table, or its caption.
    TableRow,
    Paragraph,
}

impl Role {
    /// The role as the JSON spells it ("audience_label").
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Heading => "heading",
            Role::AudienceLabel => "audience_label",
            Role::Recommendation => "recommendation",
            Role::Quote => "quote",
            Role::TableRow => "table_row",
            Role::Paragraph => "paragraph",
        }
    }
}

/// The segmentation rule a `Decision` names: each is a layout or text principle
/// (docs/pipeline.md), stable as a name across versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentRule {
    /// The title: the declared title where the first page prints it, else its largest text.
    Title,
    /// A heading the structure tree tags (H1-H6) and the page shows as one.
    TaggedHeading,
    /// A numbered box's title ("Kader 3 | ...").
    BoxTitle,
    /// A chapter number set on its own, large, with the title after it.
    ChapterNumber,
    /// A numbered heading set larger than body text, or at body size where it continues the
    /// numbering so far.
    NumberedHeading,
    /// An unnumbered heading set apart by its size.
    SizeHeading,
    /// A label in bold body type on a line of its own, before a list or a new sentence.
    BoldLabel,
    /// A label ending in a colon over a list indented under it (no bold to see: OCR).
    ListLabel,
    /// A word or three standing out from the text around them in their column (OCR).
    ShortLabel,
    /// A line naming the audience of the recommendations under it ("Aan professionals:").
    AudienceLabel,
    /// A list item (an enumerator, a bullet, a tagged LI) under an audience label.
    ListItem,
    /// An item without a marker: a new sentence set as a new item of the list.
    UnmarkedItem,
    /// "We bevelen ... aan om ...": a recommendation in one sentence.
    RecommendSentence,
    /// A quotation the structure tree marks (BlockQuote, Quote).
    TaggedQuote,
    /// An italic paragraph set off from the upright text around it.
    SetOffItalic,
    /// A block that opens with a quotation mark (or a quote label) and closes with one.
    QuotationMarks,
    /// A row of a table layout found, or its caption.
    TableRow,
    /// A key figure found in the block.
    KeyFigure,
}

impl SegmentRule {
    /// The rule's stable name, as the JSON spells it ("size-heading").
    pub fn name(self) -> &'static str {
        match self {
            SegmentRule::Title => "title",
            SegmentRule::TaggedHeading => "tagged-heading",
            SegmentRule::BoxTitle => "box-title",
            SegmentRule::ChapterNumber => "chapter-number",
            SegmentRule::NumberedHeading => "numbered-heading",
            SegmentRule::SizeHeading => "size-heading",
            SegmentRule::BoldLabel => "bold-label",
            SegmentRule::ListLabel => "list-label",
            SegmentRule::ShortLabel => "short-label",
            SegmentRule::AudienceLabel => "audience-label",
            SegmentRule::ListItem => "list-item",
            SegmentRule::UnmarkedItem => "unmarked-item",
            SegmentRule::RecommendSentence => "recommend-sentence",
            SegmentRule::TaggedQuote => "tagged-quote",
            SegmentRule::SetOffItalic => "set-off-italic",
            SegmentRule::QuotationMarks => "quotation-marks",
            SegmentRule::TableRow => "table-row",
            SegmentRule::KeyFigure => "key-figure",
        }
    }
}

impl std::fmt::Display for SegmentRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why segmentation made a block what it is, or why a rule that looked at it declined:
/// returned beside the `Document` (`segment::segment_explained`), printed by `peo extract
/// --explain`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The block's position in `Document::blocks`.
    pub block: usize,
    pub page: u32,
    pub rule: SegmentRule,
    /// The rule gave the block its role (or found a figure in it); false: it looked and
    /// declined.
    pub took: bool,
    /// What the rule saw: sizes against body text, the words or marks it read.
    pub evidence: String,
}

/// Who said what a block is: the producer's structure tree (a tagged PDF), or peo's reading of
/// the page's geometry and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The structure tree tags the block as what it became.
    Tags,
    /// Layout and text decided; the tree, if any, said nothing or something else.
    Layout,
}

/// One block of the document in reading order, with its role and the source of that role, so
/// that a user can see why peo read a page as it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockRole {
    pub page: u32,
    pub role: Role,
    /// The heading level (1 = chapter) of a heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    pub source: Source,
    /// The block's first words, to find it on its page.
    pub opening: String,
}

/// The text a tagged PDF gives a figure in place of its picture (the /Alt of a Figure element,
/// or its /ActualText): a chart's or an infographic's numbers, often printed nowhere else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AltText {
    /// The page the figure is on: its element's /Pg (or an ancestor's), else the first page
    /// its marked content is drawn on; none when the tree says neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub text: String,
}

/// Everything peo knows about one publication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The path of the file relative to its corpus, without `.pdf` ("peo-2022-factsheet",
    /// "2023/samenvatting"); unique within a corpus and kept when the file is renamed. For a
    /// file read on its own (`peo extract`), its name without extension.
    pub id: String,
    pub path: String,
    pub blake3: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// The wave the publication reports on; the empty string in JSON when unknown.
    #[serde(with = "empty_is_none")]
    pub wave: Option<Wave>,
    /// The empty string in JSON when unknown.
    #[serde(with = "empty_is_none")]
    pub doc_type: Option<DocType>,
    pub authors: Vec<String>,
    pub isbn: Option<String>,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub recommendations: Vec<Recommendation>,
    pub quotes: Vec<Quote>,
    pub key_figures: Vec<KeyFigure>,
    /// The Alt texts of the figures of a tagged PDF, in the tree's order: what a chart or an
    /// infographic shows, often numbers printed nowhere else.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_texts: Vec<AltText>,
    #[serde(default)]
    pub tables: Vec<Table>,
    pub paragraphs: Vec<Paragraph>,
    /// Every block of text in reading order with its role and where that role came from.
    #[serde(default)]
    pub blocks: Vec<BlockRole>,
    pub warnings: Vec<String>,
    /// The file's path relative to the corpus, with forward slashes, as the catalog names it;
    /// empty for a file read on its own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// The day (UTC, YYYY-MM-DD) this version of the file was read into the index.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub indexed_on: String,
    /// Why the file can no longer be read, when it cannot: the document is the last version
    /// that could (of `indexed_on`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale: Option<String>,
    /// Pages that are only an image and were not given OCR (it was off, or tesseract
    /// missing): the next indexing run that can OCR reads the file again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr_pending: Vec<u32>,
    /// Pages whose text came from OCR (peo's own, or a scan's invisible text layer).
    #[serde(default)]
    pub ocr_pages: u32,
    /// Repairs normalisation made to the text (hyphens joined, OCR confusions repaired, ...).
    #[serde(default)]
    pub repairs: u32,
}

impl Document {
    /// How good a copy of its publication this file is, lower is better: a born-digital file
    /// before a scan, then the one that needed fewer repairs.
    pub fn copy_rank(&self) -> u64 {
        ((self.ocr_pages > 0) as u64) << 32 | self.repairs as u64
    }

    /// The wave as it is written ("2022-2023"), empty when unknown.
    pub fn wave_text(&self) -> String {
        self.wave.map(|w| w.to_string()).unwrap_or_default()
    }

    /// The document type as it is written, empty when unknown.
    pub fn doc_type_text(&self) -> &'static str {
        self.doc_type.map_or("", DocType::as_str)
    }

    pub fn page_label(&self, page: u32) -> String {
        self.pages
            .iter()
            .find(|p| p.number == page)
            .map(|p| p.label.clone())
            .unwrap_or_else(|| page.to_string())
    }

    /// "stale: last good version indexed on DATE" for a document whose file can no longer be
    /// read.
    pub fn stale_note(&self) -> Option<String> {
        self.stale
            .as_ref()
            .map(|_| format!("stale: last good version indexed on {}", self.indexed_on))
    }

    /// The whole text, pages separated by form feeds.
    pub fn text(&self) -> String {
        let pages: Vec<&str> = self.pages.iter().map(|p| p.text.as_str()).collect();
        pages.join("\n\u{c}\n")
    }
}

/// A wave of the survey: one year ("2022") or, for a measurement that runs from the end of one
/// year into the next, two ("2022-2023", also read from "2022/2023", "2022 - 2023",
/// "2022-23" and "2022–2023"). Waves order by their years: 2022 < 2022-2023 < 2023-2024. In
/// JSON (and the catalog) a wave is its string as `Display` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Wave {
    pub first: u16,
    /// The same as `first` for a wave of one year.
    pub last: u16,
}

impl Wave {
    /// A wave as it is written, or `None` when `text` names no year or two that do not follow
    /// each other.
    pub fn parse(text: &str) -> Option<Wave> {
        let years: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|y| !y.is_empty())
            .collect();
        let wave = match years.as_slice() {
            [y] if y.len() == 4 => {
                let year = y.parse().ok()?;
                Wave {
                    first: year,
                    last: year,
                }
            }
            [a, b] if a.len() == 4 && (b.len() == 4 || b.len() == 2) => {
                let first: u16 = a.parse().ok()?;
                let last: u16 = if b.len() == 2 {
                    first / 100 * 100 + b.parse::<u16>().ok()?
                } else {
                    b.parse().ok()?
                };
                Wave { first, last }
            }
            _ => return None,
        };
        (wave.last == wave.first || wave.last == wave.first + 1).then_some(wave)
    }
}

impl std::fmt::Display for Wave {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

impl std::str::FromStr for Wave {
    type Err = String;
    fn from_str(text: &str) -> Result<Wave, String> {
        Wave::parse(text).ok_or_else(|| format!("not a wave: {text:?} (2022, 2022-2023)"))
    }
}

/// What kind of publication a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocType {
    Rapport,
    Samenvatting,
    Factsheet,
    Webpagina,
}

impl DocType {
    pub const ALL: [DocType; 4] = [
        DocType::Rapport,
        DocType::Samenvatting,
        DocType::Factsheet,
        DocType::Webpagina,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Rapport => "rapport",
            DocType::Samenvatting => "samenvatting",
            DocType::Factsheet => "factsheet",
            DocType::Webpagina => "webpagina",
        }
    }
}

impl std::fmt::Display for DocType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for DocType {
    type Err = String;
    fn from_str(text: &str) -> Result<DocType, String> {
        DocType::ALL
            .into_iter()
            .find(|t| t.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "not a document type: {text:?} (rapport, samenvatting, factsheet, webpagina)"
                )
            })
    }
}

/// Whom a recommendation addresses, in the order the publications name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Professionals,
    Organisaties,
    Opleidingen,
    Beleid,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Professionals => "professionals",
            Audience::Organisaties => "organisaties",
            Audience::Opleidingen => "opleidingen",
            Audience::Beleid => "beleid",
        }
    }
}

impl std::fmt::Display for Audience {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a section is: a chapter or paragraph of the text, or a kader (a boxed aside, whose
/// scope ends where the box ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    Heading,
    Kader,
}

impl SectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Heading => "heading",
            SectionKind::Kader => "kader",
        }
    }
}

/// Serde for a wave as its string.
impl Serialize for Wave {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Wave {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Wave, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Serde for an optional value written as its string, the empty string when there is none (as
/// `Document::wave` and `doc_type` are in JSON).
pub mod empty_is_none {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Display, S: Serializer>(
        value: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_str(""),
        }
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<Option<T>, D::Error>
    where
        T: FromStr<Err = String>,
        D: Deserializer<'de>,
    {
        let text = String::deserialize(d)?;
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(serde::de::Error::custom)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_a_key_figure_and_alt_text_a_kind_of_its_own() {
        let k = |text: &str| PassageKind::parse(text);
        for figure in ["figure", "Figures", "key-figure", "key_figures"] {
            assert_eq!(k(figure), Some(PassageKind::KeyFigure), "{figure}");
        }
        for alt in ["alt", "alt_text", "Alt-Texts"] {
            assert_eq!(k(alt), Some(PassageKind::AltText), "{alt}");
        }
        assert_eq!(k("figure_text"), None);
    }

    #[test]
    fn waves_are_read_as_written_and_ordered_by_their_years() {
        let w = |text: &str| Wave::parse(text).map(|w| w.to_string());
        assert_eq!(w("2022").as_deref(), Some("2022"));
        assert_eq!(w("2022-2023").as_deref(), Some("2022-2023"));
        assert_eq!(w("2022/2023").as_deref(), Some("2022-2023"));
        assert_eq!(w("2024 - 2025").as_deref(), Some("2024-2025"));
        assert_eq!(w("2024-25").as_deref(), Some("2024-2025"));
        assert_eq!(w("2024–2025").as_deref(), Some("2024-2025"));
        assert_eq!(w("2022-2024"), None);
        assert_eq!(w("22"), None);
        assert_eq!(w(""), None);
        let mut waves: Vec<Wave> = ["2024-2025", "2022-2023", "2023-2024", "2022"]
            .iter()
            .filter_map(|t| Wave::parse(t))
            .collect();
        waves.sort();
        let sorted: Vec<String> = waves.iter().map(Wave::to_string).collect();
        assert_eq!(sorted, ["2022", "2022-2023", "2023-2024", "2024-2025"]);
    }

    #[test]
    fn wave_and_type_are_the_strings_they_were_in_json() {
        let doc = Document {
            wave: Wave::parse("2023/2024"),
            doc_type: Some(DocType::Samenvatting),
            sections: vec![Section {
                number: Some("Kader 4".into()),
                title: "Leren samenwerken".into(),
                level: 2,
                kind: SectionKind::Kader,
                page: 9,
            }],
            ..Document::default()
        };
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["wave"], "2023-2024");
        assert_eq!(json["doc_type"], "samenvatting");
        assert_eq!(json["sections"][0]["kind"], "kader");
        let unknown = serde_json::to_value(Document::default()).unwrap();
        assert_eq!(
            (&unknown["wave"], &unknown["doc_type"]),
            (&"".into(), &"".into())
        );
        let back: Document = serde_json::from_value(json).unwrap();
        assert_eq!(back, doc);
        let wrong = serde_json::from_str::<Wave>("\"2022-2024\"").unwrap_err();
        assert!(wrong.to_string().contains("not a wave"), "{wrong}");
    }

    #[test]
    fn rules_are_the_strings_they_were_in_json() {
        let d = Diagnostic {
            page: 3,
            rule: Rule::OcrLForCapitalI,
            original: "lk".into(),
            result: "Ik".into(),
        };
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["rule"], "ocr-l-for-I");
        assert_eq!(serde_json::from_value::<Diagnostic>(json).unwrap(), d);
        assert_eq!(format!("{:<14}|", Rule::Dehyphenate), "dehyphenate   |");
        let names: std::collections::HashSet<&str> = Rule::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(names.len(), Rule::ALL.len(), "two rules share a name");
        for rule in Rule::ALL {
            let back: Rule = serde_json::from_value(serde_json::to_value(rule).unwrap()).unwrap();
            assert_eq!(back, rule);
        }
        let wrong = serde_json::from_str::<Rule>("\"ocr-confusion\"").unwrap_err();
        assert!(
            wrong.to_string().contains("not a normalize rule"),
            "{wrong}"
        );
    }
}
