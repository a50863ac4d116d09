//! Layout, normalisation and segmentation on random pages (proptest): glyph boxes anywhere,
//! of any size, zero-sized, NaN or infinite, huge coordinates, empty pages and pages of one
//! repeated glyph. The stages are pure and total: whatever a PDF draws, they must return a
//! page for every page and never panic.

use peo::layout::{lay_out, lay_out_tagged};
use peo::lexicon::Lexicon;
use peo::model::{Glyph, Marked, RawPage, Rect, StructElement, StructRole, Structure};
use peo::normalize::normalize;
use peo::segment::{segment, Known};
use proptest::prelude::*;

/// A coordinate or size: mostly ordinary, sometimes zero, negative, NaN, infinite or huge.
fn number(ordinary: std::ops::Range<f32>) -> impl Strategy<Value = f32> {
    prop_oneof![
        8 => ordinary,
        1 => Just(0.0f32),
        1 => prop_oneof![
            Just(f32::NAN),
            Just(f32::INFINITY),
            Just(f32::NEG_INFINITY),
            Just(f32::MAX),
            Just(f32::MIN),
            Just(-1.0e30f32),
            Just(1.0e30f32),
            Just(f32::MIN_POSITIVE),
        ],
    ]
}

/// The text of a glyph: letters, digits and the marks that layout and normalisation look at
/// (bullets, quotation marks, hyphens, colons, percent signs, spaces), now and then a ligature
/// or nothing at all.
fn glyph_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-zA-Z]",
        3 => "[0-9]",
        2 => prop::sample::select(vec![
            " ", "\u{a0}", "\u{ad}", "-", ":", ".", ",", "%", "•", "“", "”", "„", "'", "(", ")",
            "ﬁ", "", "N=", "|",
        ])
        .prop_map(str::to_string),
    ]
}

fn glyph() -> impl Strategy<Value = Glyph> {
    (
        (
            number(0.0..600.0),
            number(0.0..850.0),
            number(0.0..12.0),
            number(4.0..30.0),
            glyph_text(),
            0u32..6,
            any::<bool>(),
        ),
        // marks of a tagged PDF, so that the tree's order is taken through layout too
        prop_oneof![
            4 => Just(Marked::None),
            1 => Just(Marked::Artifact),
            3 => (0u32..60).prop_map(Marked::Element),
        ],
    )
        .prop_map(|((x, y, width, size, text, run, bold), marked)| Glyph {
            x,
            y,
            width,
            size,
            text,
            run,
            bold,
            // a slant from the glyph's run, so italic and upright lines meet
            italic: run % 3 == 0,
            marked,
        })
}

/// Glyphs in lines: words of a few glyphs set one after the other on a few baselines, as a
/// PDF draws text, with random glyphs mixed in; so tables, columns and lists can form.
fn lines_of_glyphs() -> impl Strategy<Value = Vec<Glyph>> {
    prop::collection::vec(
        (
            number(0.0..400.0),
            number(0.0..850.0),
            number(4.0..20.0),
            prop::collection::vec(glyph_text(), 1..12),
        ),
        0..30,
    )
    .prop_map(|lines| {
        let mut glyphs = Vec::new();
        for (run, (x, y, size, texts)) in lines.into_iter().enumerate() {
            let mut pen = x;
            for text in texts {
                let width = 0.5 * size;
                glyphs.push(Glyph {
                    x: pen,
                    y,
                    width,
                    size,
                    text,
                    run: run as u32,
                    bold: false,
                    italic: false,
                    marked: Marked::None,
                });
                pen += width;
            }
        }
        glyphs
    })
}

fn rect() -> impl Strategy<Value = Rect> {
    (
        number(0.0..600.0),
        number(0.0..850.0),
        number(0.0..600.0),
        number(0.0..850.0),
    )
        .prop_map(|(x0, y0, x1, y1)| Rect { x0, y0, x1, y1 })
}

fn page(number_: u32) -> impl Strategy<Value = RawPage> {
    (
        prop_oneof![
            1 => Just(Vec::new()),
            4 => prop::collection::vec(glyph(), 0..80),
            4 => lines_of_glyphs(),
            1 => (glyph(), 1usize..200).prop_map(|(g, n)| vec![g; n]),
        ],
        prop::collection::vec(rect(), 0..12),
        number(100.0..1000.0),
        number(100.0..1000.0),
        any::<bool>(),
    )
        .prop_map(move |(glyphs, rects, width, height, ocr)| RawPage {
            number: number_,
            width,
            height,
            glyphs,
            rects,
            problem: None,
            has_image: ocr,
            ocr,
        })
}

/// A structure tree of 40 elements of every role, each the child of the one at half its index.
fn tree() -> Structure {
    use StructRole::*;
    let roles = [
        Group,
        Heading(1),
        Heading(3),
        P,
        List,
        ListItem,
        Label,
        ListBody,
        BlockQuote,
        Quote,
        Table,
        TableRow,
        TableCell,
        Figure,
        Caption,
        Note,
        Inline,
    ];
    Structure {
        elements: (0..40u32)
            .map(|i| StructElement {
                role: roles[i as usize % roles.len()],
                parent: (i > 0).then_some(i / 2),
                alt: None,
            })
            .collect(),
        suspects: false,
    }
}

fn document() -> impl Strategy<Value = Vec<RawPage>> {
    prop::collection::vec(page(1), 0..4).prop_map(|mut pages| {
        for (i, p) in pages.iter_mut().enumerate() {
            p.number = i as u32 + 1;
        }
        pages
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_pages_are_laid_out_normalised_and_segmented_without_panic(pages in document()) {
        let laid: Vec<_> = pages.iter().map(lay_out).collect();
        prop_assert_eq!(laid.len(), pages.len());
        // the same pages as a tagged PDF's, with a tree of 40 elements (marks may point past it)
        let tagged: Vec<_> = pages.iter().map(|p| lay_out_tagged(p, Some(&tree()))).collect();
        prop_assert_eq!(tagged.len(), pages.len());
        let normalized = normalize(&laid, Lexicon::dutch());
        prop_assert_eq!(normalized.pages.len(), pages.len());
        let document = segment(&normalized.pages, &Known::default());
        prop_assert_eq!(document.pages.len(), pages.len());
    }
}
