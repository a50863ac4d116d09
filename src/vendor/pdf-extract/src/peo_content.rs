// peo: a content-stream parser added to pdf-extract (see README.md). Not in the published crate.

//! Parses a content stream into what lopdf 0.42's `Content::decode` gives, for the streams
//! producers write: numbers, names, literal and hexadecimal strings, arrays and dictionaries
//! of those, and operators. lopdf's parser tries each kind of object in turn on every token; this one looks at
//! the first byte, which makes reading the text of a page several times faster.
//!
//! It gives `None` for anything it does not follow exactly as lopdf does: comments, inline
//! images, `null`/`true`/`false`, `#` escapes in names, references in arrays,
//! strings nested deeper than `MAX_NESTED`, numbers that do not parse, and any byte lopdf would
//! stop at. The caller then leaves the stream to lopdf.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Object, StringFormat};

/// Strings, arrays and dictionaries nested deeper than this are left to lopdf.
const MAX_NESTED: usize = 16;

/// The operations of a content stream, as lopdf 0.42 reads them, or `None` to let lopdf read it.
pub fn decode(data: &[u8]) -> Option<Content> {
    let mut p = Parser { data, i: 0 };
    let mut operations = Vec::new();
    let mut operands = Vec::new();
    p.content_space();
    while let Some(&c) = data.get(p.i) {
        if is_keyword_start(c) {
            let rest = &data[p.i..];
            // lopdf reads these as objects, or as an inline image (BI ... ID ... EI).
            if [&b"null"[..], b"true", b"false", b"BI"].iter().any(|k| rest.starts_with(k)) {
                return None;
            }
            let start = p.i;
            while data.get(p.i).is_some_and(|&c| is_keyword_start(c)) {
                p.i += 1;
            }
            let operator = String::from_utf8(data[start..p.i].to_vec()).ok()?;
            operations.push(Operation {
                operator,
                operands: std::mem::take(&mut operands),
            });
        } else {
            operands.push(p.object(0, false)?);
        }
        p.content_space();
    }
    // Operands without an operator at the end are dropped, as lopdf drops them.
    Some(Content { operations })
}

/// The operations of a content stream as pdf-extract interprets them: its comments taken out
/// (lopdf stops at one without an error, which lost the rest of the page), read by `decode`,
/// and by lopdf where `decode` leaves it. `Err` gives back the stream without its comments
/// when lopdf cannot decode it either (`salvage` reads what it can of it). The one reader of
/// content streams: peo's own walks over the operations call it too.
pub fn operations(data: Vec<u8>) -> Result<Content, Vec<u8>> {
    let data = without_comments(&data).unwrap_or(data);
    match decode(&data) {
        Some(content) => Ok(content),
        None => Content::decode(&data).map_err(|_| data),
    }
}

/// The bytes an operator is made of (lopdf: ASCII letters, `*`, `'` and `"`).
fn is_keyword_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || matches!(c, b'*' | b'\'' | b'"')
}

/// PDF white space, as lopdf reads it inside arrays and hexadecimal strings.
fn is_white_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

/// A byte that may stand in a name (neither white space nor a delimiter).
fn is_regular(c: u8) -> bool {
    !is_white_space(c) && !b"()<>[]{}/%".contains(&c)
}

struct Parser<'a> {
    data: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.i).copied()
    }

    /// The white space lopdf takes between operands and operations.
    fn content_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    /// The white space lopdf takes inside arrays; `None` at a comment.
    fn space(&mut self) -> Option<()> {
        while let Some(c) = self.peek() {
            if c == b'%' {
                return None;
            }
            if !is_white_space(c) {
                break;
            }
            self.i += 1;
        }
        Some(())
    }

    /// One object, starting at its first byte; `in_array` inside an array or a dictionary, where
    /// lopdf reads references.
    fn object(&mut self, depth: usize, in_array: bool) -> Option<Object> {
        match self.peek()? {
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if in_array && self.is_reference() {
                    return None;
                }
                self.number()
            }
            b'/' => {
                self.i += 1;
                let start = self.i;
                while self.peek().is_some_and(|c| c != b'#' && is_regular(c)) {
                    self.i += 1;
                }
                if self.peek() == Some(b'#') {
                    return None;
                }
                Some(Object::Name(self.data[start..self.i].to_vec()))
            }
            b'(' => {
                self.i += 1;
                Some(Object::String(
                    self.literal_string(0)?,
                    StringFormat::Literal,
                ))
            }
            b'<' if self.data.get(self.i + 1) == Some(&b'<') => {
                // A dictionary, as marked content (`/P <</MCID 0>> BDC`) has them.
                if depth >= MAX_NESTED {
                    return None;
                }
                self.i += 2;
                self.space()?;
                let mut dict = Dictionary::new();
                loop {
                    if self.data[self.i..].starts_with(b">>") {
                        self.i += 2;
                        break;
                    }
                    let Object::Name(key) = self.object(depth + 1, true)? else {
                        return None;
                    };
                    self.space()?;
                    let value = self.object(depth + 1, true)?;
                    self.space()?;
                    dict.set(key, value);
                }
                Some(Object::Dictionary(dict))
            }
            b'<' => {
                self.i += 1;
                self.hexadecimal_string()
            }
            b'[' => {
                if depth >= MAX_NESTED {
                    return None;
                }
                self.i += 1;
                self.space()?;
                let mut items = Vec::new();
                loop {
                    if self.peek()? == b']' {
                        self.i += 1;
                        break;
                    }
                    items.push(self.object(depth + 1, true)?);
                    self.space()?;
                }
                Some(Object::Array(items))
            }
            _ => None,
        }
    }

    /// Whether an array element here is a reference (`12 0 R`), which lopdf tries first.
    fn is_reference(&self) -> bool {
        let d = self.data;
        let mut j = self.i;
        let digits = |j: &mut usize| {
            let start = *j;
            while d.get(*j).is_some_and(u8::is_ascii_digit) {
                *j += 1;
            }
            *j > start
        };
        let white = |j: &mut usize| {
            while d.get(*j).is_some_and(|&c| is_white_space(c) || c == b'%') {
                *j += 1;
            }
        };
        if !digits(&mut j) {
            return false;
        }
        white(&mut j);
        if !digits(&mut j) {
            return false;
        }
        white(&mut j);
        d.get(j) == Some(&b'R')
    }

    /// A real (`[+-]` digits `.` digits, either side may be empty but not both) or an integer.
    fn number(&mut self) -> Option<Object> {
        let d = self.data;
        let start = self.i;
        let mut j = start;
        if matches!(d.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let int_start = j;
        while d.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        let int_digits = j - int_start;
        if d.get(j) == Some(&b'.') {
            let frac_start = j + 1;
            let mut k = frac_start;
            while d.get(k).is_some_and(u8::is_ascii_digit) {
                k += 1;
            }
            if int_digits == 0 && k == frac_start {
                return None;
            }
            let value: f32 = std::str::from_utf8(&d[start..k]).ok()?.parse().ok()?;
            self.i = k;
            return Some(Object::Real(value));
        }
        if int_digits == 0 {
            return None;
        }
        let value: i64 = std::str::from_utf8(&d[start..j]).ok()?.parse().ok()?;
        self.i = j;
        Some(Object::Integer(value))
    }

    /// The bytes of a literal string after its `(`, through its `)`: escapes resolved, line ends
    /// kept as they are, nested parentheses kept.
    fn literal_string(&mut self, depth: usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b')' => return Some(out),
                b'(' => {
                    if depth >= MAX_NESTED {
                        return None;
                    }
                    out.push(b'(');
                    out.extend(self.literal_string(depth + 1)?);
                    out.push(b')');
                }
                b'\\' => {
                    let e = self.peek()?;
                    match e {
                        b'0'..=b'7' => {
                            let start = self.i;
                            while self.i - start < 3 && matches!(self.peek(), Some(b'0'..=b'7')) {
                                self.i += 1;
                            }
                            let digits = std::str::from_utf8(&self.data[start..self.i]).ok()?;
                            out.push(u16::from_str_radix(digits, 8).ok()? as u8);
                        }
                        b'\r' => {
                            self.i += 1;
                            if self.peek() == Some(b'\n') {
                                self.i += 1;
                            }
                        }
                        b'\n' => self.i += 1,
                        _ => {
                            self.i += 1;
                            out.push(match e {
                                b'n' => b'\n',
                                b'r' => b'\r',
                                b't' => b'\t',
                                b'b' => b'\x08',
                                b'f' => b'\x0C',
                                other => other,
                            });
                        }
                    }
                }
                _ => out.push(c),
            }
        }
    }

    /// The bytes of a hexadecimal string after its `<`, through its `>`; an odd last digit is
    /// the high half of a byte.
    fn hexadecimal_string(&mut self) -> Option<Object> {
        let mut out = Vec::new();
        let mut high = true;
        loop {
            while self.peek().is_some_and(is_white_space) {
                self.i += 1;
            }
            let Some(nibble) = self.peek().and_then(|c| (c as char).to_digit(16)) else {
                break;
            };
            self.i += 1;
            if high {
                out.push((nibble as u8) << 4);
            } else {
                *out.last_mut()? |= nibble as u8;
            }
            high = !high;
        }
        if self.peek()? != b'>' {
            return None;
        }
        self.i += 1;
        Some(Object::String(out, StringFormat::Hexadecimal))
    }
}

/// What can be read of a stream that neither this parser nor lopdf decodes, and what was
/// skipped: its inline images are taken out (they hold no text, and lopdf gives up on the whole
/// stream at one that never ends); a stream that still does not decode is skipped whole. (Other
/// bytes lopdf cannot read end its reading of a stream without an error: what comes before them
/// is read.)
pub fn salvage(data: &[u8]) -> (Content, String) {
    let (without, n_images) = without_inline_images(data);
    match decode(&without).or_else(|| Content::decode(&without).ok()) {
        Some(content) if n_images > 0 => {
            (content, format!("skipped {n_images} inline image(s) that cannot be read"))
        }
        _ => (
            Content { operations: Vec::new() },
            "skipped a content stream that cannot be read".to_string(),
        ),
    }
}

/// `data` without its inline images (`BI` ... `ID` data `EI`; an image without its `EI` runs
/// to the end), and how many there were.
fn without_inline_images(data: &[u8]) -> (Vec<u8>, usize) {
    let token_at = |i: usize, token: &[u8]| {
        data[i..].starts_with(token)
            && (i == 0 || is_white_space(data[i - 1]) || !is_regular(data[i - 1]))
            && data.get(i + token.len()).is_none_or(|&c| is_white_space(c) || !is_regular(c))
    };
    let mut out = Vec::with_capacity(data.len());
    let mut n = 0;
    let mut i = 0;
    while i < data.len() {
        if !token_at(i, b"BI") {
            out.push(data[i]);
            i += 1;
            continue;
        }
        n += 1;
        // The image data starts one white-space byte after `ID` and ends at white space
        // followed by `EI`.
        let id = (i + 2..data.len().saturating_sub(1)).find(|&j| token_at(j, b"ID"));
        let end = id.and_then(|id| {
            (id + 3..data.len().saturating_sub(1))
                .find(|&j| is_white_space(data[j - 1]) && token_at(j, b"EI"))
                .map(|j| j + 2)
        });
        out.push(b' ');
        i = end.unwrap_or(data.len());
    }
    (out, n)
}

/// `data` without its comments (`%` to the end of the line, outside strings), or `None` when it
/// has none, or holds an inline image (whose bytes may hold a `%`) or a string that does not
/// end. lopdf's content parser stops at a comment without an error, which lost the rest of
/// the page; a comment is white space to every reader of PDF.
pub fn without_comments(data: &[u8]) -> Option<Vec<u8>> {
    if !data.contains(&b'%') {
        return None;
    }
    let mut out = Vec::with_capacity(data.len());
    let mut found = false;
    let mut i = 0;
    while let Some(&c) = data.get(i) {
        match c {
            b'(' => {
                // A literal string, with its balanced parentheses and escapes.
                let mut depth = 0usize;
                loop {
                    let &c = data.get(i)?;
                    out.push(c);
                    i += 1;
                    match c {
                        b'\\' => {
                            out.push(*data.get(i)?);
                            i += 1;
                        }
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            b'%' => {
                found = true;
                while data.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    i += 1;
                }
                out.push(b'\n');
            }
            b'B' if data.get(i + 1) == Some(&b'I')
                && (i == 0 || !is_regular(data[i - 1]))
                && data.get(i + 2).is_none_or(|&c| !is_regular(c)) =>
            {
                return None;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    found.then_some(out)
}

#[cfg(test)]
mod comment_tests {
    use super::*;

    #[test]
    fn comments_are_taken_out_and_a_percent_sign_in_a_string_stays() {
        let data = b"BT % move\n/F1 12 Tf (42% (nested\\) %) ) Tj % end\r\nET";
        let out = without_comments(data).unwrap();
        assert_eq!(out, b"BT \n\n/F1 12 Tf (42% (nested\\) %) ) Tj \n\r\nET".to_vec());
        assert_eq!(without_comments(b"BT (12%) Tj ET"), None);
        assert_eq!(without_comments(b"BI /W 1 ID %\x00 EI % c"), None);
        assert_eq!(without_comments(b"(never ends % c"), None);
    }
}
