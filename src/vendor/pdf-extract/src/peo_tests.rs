// peo: tests that the parsers peo added (src/peo_content.rs, src/peo_cmap.rs) read what the
// published parsers (lopdf 0.42's content parser, adobe_cmap_parser) read, or leave the input
// to them. Not in the published crate.

//! The parsers peo added against the ones they stand in for: hand-picked inputs, 20,000 random
//! ones each, and every content stream and ToUnicode map of peo's bundled corpus.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lopdf::{Document, Object, ObjectId};

/// peo's bundled corpus: this crate sits in peo's src/vendor/pdf-extract.
fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../corpus")
}

/// The objects that `/ToUnicode` entries in `obj` (and the dictionaries and arrays inside it)
/// refer to.
fn to_unicode_refs(obj: &Object, out: &mut BTreeSet<ObjectId>) {
    let dict = match obj {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(items) => return items.iter().for_each(|item| to_unicode_refs(item, out)),
        _ => return,
    };
    for (key, value) in dict.iter() {
        match value {
            Object::Reference(r) if key == b"ToUnicode" => {
                out.insert(*r);
            }
            Object::Dictionary(_) | Object::Array(_) => to_unicode_refs(value, out),
            _ => {}
        }
    }
}

/// Checks that the content parser peo added (`decode_content`)
/// gives what lopdf gives, or leaves `content` to lopdf when `follows` is false.
fn check_decode(content: &[u8], follows: bool) {
    let text = String::from_utf8_lossy(content);
    let fast = crate::decode_content(content);
    assert_eq!(fast.is_some(), follows, "{text}");
    if let Some(fast) = fast {
        let slow = lopdf::content::Content::decode(content).unwrap();
        let ops = |c: &lopdf::content::Content| -> Vec<(String, Vec<Object>)> {
            c.operations
                .iter()
                .map(|op| (op.operator.clone(), op.operands.clone()))
                .collect()
        };
        assert_eq!(ops(&fast), ops(&slow), "{text}");
    }
}

#[test]
fn content_streams_are_decoded_as_lopdf_decodes_them() {
    check_decode(b"BT /F1 12 Tf 72 720 Td (Pagina 1) Tj ET", true);
    // Numbers: signs, a point on either side, operators right after a number, d0.
    check_decode(
        b"q 1 0 0 -1 +.5 -3. cm 0.2 .8 1.0 rg 2 w 0 0 1d0 d1 Q",
        true,
    );
    // Strings: escapes, octal, line continuations, nesting, raw line ends, hex with blanks.
    check_decode(
        b"[(a\\\\b\\(c\\)) -20 (\\101\\7\\0053 \\n\\t\\q) 3.5 (x (y (z)) \\\\\r\n\\\nw)] TJ",
        true,
    );
    check_decode(b"<48 65\n6c6C 6F> Tj <4> Tj <> Tj (\\r\\b\\f) '", true);
    check_decode(b"/Name /Na.me-_1 /  /F1 12 Tf T* 2 3 \" [ 3 2 ] 0 d", true);
    // Operands left without an operator are dropped, as lopdf drops them.
    check_decode(b"BT ET 1 2", true);
    // Marked content with a dictionary; a repeated key keeps its place and takes the value.
    check_decode(
        b"/P <</MCID 0 /Lang (nl-NL)>> BDC EMC /Span<</MCID 1/MCID 2>>BDC EMC",
        true,
    );
    check_decode(b"", true);
    // Left to lopdf: comments, inline images, dictionaries, keywords that are objects, #
    // escapes, references in arrays, odd bytes, unfinished strings, overflowing integers.
    for content in [
        &b"% comment\nBT ET"[..],
        b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI",
        b"/P <</Ref 1 0 R>> BDC EMC",
        b"/P <</MCID true>> BDC EMC",
        b"true Tj",
        b"null Tj",
        b"/A#20B gs",
        b"[1 0 R] TJ",
        b"1 2 \x00 re",
        b"(abc Tj",
        b"99999999999999999999 Tw",
        b"- 1 Td",
        b"{ }",
    ] {
        check_decode(content, false);
    }
}

/// 20,000 inputs of up to `max_tokens` of `tokens` each, most followed by a space, drawn
/// by a xorshift generator from `seed` (the same inputs on every run).
fn random_inputs(tokens: &[&[u8]], max_tokens: u64, seed: u64) -> Vec<Vec<u8>> {
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..20_000)
        .map(|_| {
            let mut input = Vec::new();
            for _ in 0..next() % max_tokens {
                input.extend_from_slice(tokens[(next() % tokens.len() as u64) as usize]);
                if next() % 3 > 0 {
                    input.push(b' ');
                }
            }
            input
        })
        .collect()
}

#[test]
fn random_content_streams_are_decoded_as_lopdf_decodes_them_or_left_to_it() {
    // Streams of random tokens, each picked from what content streams hold and from what
    // lopdf stops at: whatever the parser follows must come out as lopdf's.
    let tokens: &[&[u8]] = &[
        b"0",
        b"12",
        b"-3",
        b"+4",
        b"1.5",
        b"-.25",
        b"7.",
        b".",
        b"-",
        b"99999999999999999999",
        b"/F1",
        b"/A#20",
        b"/",
        b"(a)",
        b"(\\(x\\)\\101\\0)",
        b"(p (q) r)",
        b"(\\\r\n)",
        b"(unended",
        b"<4865>",
        b"<4 8 6>",
        b"<>",
        b"<zz>",
        b"[",
        b"]",
        b"<<",
        b">>",
        b"Tj",
        b"TJ",
        b"Tf",
        b"BT",
        b"ET",
        b"T*",
        b"'",
        b"\"",
        b"d0",
        b"BI",
        b"ID",
        b"EI",
        b"true",
        b"null",
        b"false",
        b"R",
        b"%c\n",
        b"{",
        b"}",
        b" ",
        b"\n",
        b"\r",
        b"\t",
        b"\0",
        b"\x0C",
        b")",
        b"\\",
    ];
    let (mut followed, mut left) = (0, 0);
    for content in random_inputs(tokens, 24, 0x9E37_79B9_7F4A_7C15) {
        match crate::decode_content(&content) {
            Some(_) => {
                check_decode(&content, true);
                followed += 1;
            }
            None => left += 1,
        }
    }
    assert!(
        followed > 1000 && left > 1000,
        "{followed} followed, {left} left"
    );
}

/// Checks that the CMap reader peo added (`read_unicode_map`)
/// gives what adobe_cmap_parser gives, or leaves `cmap` to it when `follows` is false.
fn check_cmap(cmap: &[u8], follows: bool) {
    let text = String::from_utf8_lossy(cmap);
    let fast = crate::read_unicode_map(cmap);
    assert_eq!(fast.is_some(), follows, "{text}");
    if let Some(fast) = fast {
        assert_eq!(Ok(fast), crate::published_unicode_map(cmap), "{text}");
    }
}

#[test]
fn unicode_maps_are_read_as_adobe_cmap_parser_reads_them() {
    let head = "%!PS-Adobe-3.0 Resource-CMap\n%%DocumentNeededResources: ProcSet (CIDInit)\n\
        /CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <<\n\
        /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n\
        /CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    let tail = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    let cmap = |body: &str| format!("{head}{body}{tail}").into_bytes();
    check_cmap(
        &cmap("2 beginbfchar\n<0003> <0020>\n<0011> <00E9>\nendbfchar\n"),
        true,
    );
    // Ranges: a start of two and of four bytes, an array, a later entry winning.
    check_cmap(
        &cmap(
            "3 beginbfrange\n<0020> <0025> <0041>\n<0030> <0031> <D835DC00>\n\
             <40><42>[<0061> <0062><00660066>]\nendbfrange\n1 beginbfchar <0020> <005A> endbfchar\n",
        ),
        true,
    );
    // A hex string with blanks between its bytes, tabs, CR LF, a dictionary inline.
    check_cmap(b"1 beginbfchar\r\n< 00 4 1 >\t<0 041>\r\nendbfchar", false);
    check_cmap(b"1 beginbfchar\r\n< 00 41 >\t<00 41>\r\nendbfchar", true);
    check_cmap(
        b"<</A [1 (b) <00>] /C <</D 2>>>> 1 beginbfchar <01> <0041> endbfchar",
        true,
    );
    // Left to adobe_cmap_parser, which would misread, refuse or panic on some of these.
    for cmap in [
        &b"beginbfchar <01> <0041> endbfchar"[..],
        b"/Count beginbfchar <01> <0041> endbfchar",
        b"2 beginbfchar <01> <0041> endbfchar",
        b"1 beginbfrange <00> <02> <004100> endbfrange",
        b"1 beginbfrange <0000> <0002> <FFFF> endbfrange",
        b"1 beginbfrange <00> <02> [<0041>] endbfrange",
        b"1.5 beginbfchar <01> <0041> endbfchar",
        b"1 beginbfchar (\\001) <0041> endbfchar",
        b"/A#20 1 beginbfchar <01> <0041> endbfchar",
        b"true 1 beginbfchar <01> <0041> endbfchar",
        b"1 beginbfchar <01> <0041> endbfchar\n%%EOF",
        b"1 beginbfchar <01> <0041> endbfchar { }",
        b"",
    ] {
        check_cmap(cmap, false);
    }
}

#[test]
fn random_unicode_maps_are_read_as_adobe_cmap_parser_reads_them_or_left_to_it() {
    let tokens: &[&[u8]] = &[
        b"1",
        b"2",
        b"3",
        b"-1",
        b"12",
        b"beginbfchar",
        b"endbfchar",
        b"beginbfrange",
        b"endbfrange",
        b"<00>",
        b"<0041>",
        b"<00410042>",
        b"<FFFF>",
        b"<0>",
        b"< 00 >",
        b"[",
        b"]",
        b"<<",
        b">>",
        b"/Name",
        b"/A#20",
        b"(Adobe)",
        b"(a\\)",
        b"%c\n",
        b"%c",
        b"def",
        b"begincmap",
        b"true",
        b"1.5",
        b" ",
        b"\n",
        b"\r\n",
        b"\0",
        b"\x0C",
        b"{",
        b")",
    ];
    let (mut followed, mut left) = (0, 0);
    for cmap in random_inputs(tokens, 16, 0x2545_F491_4F6C_DD1D) {
        match crate::read_unicode_map(&cmap) {
            Some(_) => {
                check_cmap(&cmap, true);
                followed += 1;
            }
            None => left += 1,
        }
    }
    assert!(
        followed > 1000 && left > 1000,
        "{followed} followed, {left} left"
    );
}

#[test]
fn every_unicode_map_of_the_corpus_is_read_as_adobe_cmap_parser_reads_it() {
    let corpus = corpus_dir();
    let mut n = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let doc = Document::load_mem(&std::fs::read(&path).unwrap()).unwrap();
        let mut maps = BTreeSet::new();
        for obj in doc.objects.values() {
            to_unicode_refs(obj, &mut maps);
        }
        for id in maps {
            let stream = doc.get_object(id).unwrap().as_stream().unwrap();
            check_cmap(&stream.decompressed_content().unwrap(), true);
            n += 1;
        }
    }
    assert!(n >= 20, "{n}");
}

#[test]
fn every_content_stream_of_the_corpus_is_decoded_as_lopdf_decodes_it() {
    let corpus = corpus_dir();
    let mut n = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let doc = Document::load_mem(&std::fs::read(&path).unwrap()).unwrap();
        for id in doc.get_pages().values() {
            check_decode(&doc.get_page_content(*id).unwrap(), true);
            n += 1;
        }
    }
    assert!(n >= 60, "{n}");
}
