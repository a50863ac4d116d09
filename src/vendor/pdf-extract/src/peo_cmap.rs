// peo: a ToUnicode CMap reader added to pdf-extract (see README.md). Not in the published crate.

//! Reads a ToUnicode CMap into what `adobe_cmap_parser::get_unicode_map` gives, for the maps
//! producers write. adobe_cmap_parser's parser formats an error message for every alternative
//! it tries on every token; this one looks at the first byte.
//!
//! It gives `None` wherever it does not follow adobe_cmap_parser exactly, and wherever that
//! would fail or panic: escapes or nesting in literal strings, `#` in names, numbers with a
//! point or too large for an i64, `true`/`false`, a comment that is not at the start of a token,
//! bytes it stops at, and maps it would misread or refuse (a count that is no integer, a code
//! that is no string, a range whose arithmetic overflows). The caller then asks
//! adobe_cmap_parser.

use std::collections::HashMap;
use std::convert::TryFrom;

/// Arrays and dictionaries nested deeper than this are left to adobe_cmap_parser.
const MAX_NESTED: usize = 16;

/// A token as adobe_cmap_parser's `Value` sees it, as far as reading the map needs.
enum Token {
    Integer(i64),
    /// A literal or hexadecimal string (adobe_cmap_parser reads both as `LiteralString`).
    String(Vec<u8>),
    Operator(Vec<u8>),
    Array(Vec<Token>),
    /// A name or a dictionary.
    Other,
}

/// The map from character codes to UTF-16BE bytes, or `None` to leave `input` to
/// adobe_cmap_parser.
pub fn unicode_map(input: &[u8]) -> Option<HashMap<u32, Vec<u8>>> {
    let tokens = lex(input)?;
    let mut map = HashMap::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Operator(op) = &tokens[i] else {
            i += 1;
            continue;
        };
        match op.as_slice() {
            b"beginbfchar" => {
                let count = match tokens.get(i.checked_sub(1)?)? {
                    Token::Integer(c) => *c,
                    _ => return None,
                };
                i += 1;
                for _ in 0..count {
                    let (Token::String(code), Token::String(unicode)) =
                        (tokens.get(i)?, tokens.get(i + 1)?)
                    else {
                        return None;
                    };
                    map.insert(as_code(code), unicode.clone());
                    i += 2;
                }
                i += 1;
            }
            b"beginbfrange" => {
                let count = match tokens.get(i.checked_sub(1)?)? {
                    Token::Integer(c) => *c,
                    _ => return None,
                };
                i += 1;
                for _ in 0..count {
                    let (Token::String(lower), Token::String(upper)) =
                        (tokens.get(i)?, tokens.get(i + 1)?)
                    else {
                        return None;
                    };
                    let (lower, upper) = (as_code(lower), as_code(upper));
                    match tokens.get(i + 2)? {
                        Token::String(start) if start.len() == 4 => {
                            let start = as_code(start);
                            for c in lower..=upper {
                                let code = start.checked_add(c - lower)?;
                                map.insert(c, code.to_be_bytes().to_vec());
                            }
                        }
                        Token::String(start) if start.len() == 2 => {
                            let start = as_code(start) as u16;
                            for c in lower..=upper {
                                let code = start.checked_add(u16::try_from(c - lower).ok()?)?;
                                map.insert(c, code.to_be_bytes().to_vec());
                            }
                        }
                        Token::Array(codes) => {
                            if upper < lower || (upper - lower + 1) as usize != codes.len() {
                                return None;
                            }
                            for (c, unicode) in (lower..=upper).zip(codes) {
                                let Token::String(unicode) = unicode else {
                                    return None;
                                };
                                map.insert(c, unicode.clone());
                            }
                        }
                        _ => return None,
                    }
                    i += 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Some(map)
}

fn as_code(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |code, &b| (code << 8) | b as u32)
}

/// White space between tokens (pom's `multispace`).
fn is_multispace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// White space inside arrays, dictionaries and hexadecimal strings.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

fn is_operator_byte(c: u8) -> bool {
    c.is_ascii_alphabetic() || matches!(c, b'*' | b'\'' | b'"')
}

/// The tokens of a CMap, comments skipped, as adobe_cmap_parser lexes them.
fn lex(input: &[u8]) -> Option<Vec<Token>> {
    let mut lexer = Lexer { data: input, i: 0 };
    let mut tokens = Vec::new();
    loop {
        // Comments, each ended by a line end, then white space, then a token.
        while lexer.peek() == Some(b'%') {
            while lexer.peek().is_some_and(|c| c != b'\r' && c != b'\n') {
                lexer.i += 1;
            }
            match lexer.peek()? {
                b'\r' if lexer.data.get(lexer.i + 1) == Some(&b'\n') => lexer.i += 2,
                _ => lexer.i += 1,
            }
        }
        lexer.skip(is_multispace);
        if lexer.peek().is_none() {
            break;
        }
        tokens.push(lexer.value(0)?);
    }
    (!tokens.is_empty()).then_some(tokens)
}

struct Lexer<'a> {
    data: &'a [u8],
    i: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.i).copied()
    }

    fn skip(&mut self, class: fn(u8) -> bool) {
        while self.peek().is_some_and(class) {
            self.i += 1;
        }
    }

    /// One token and the white space after it.
    fn value(&mut self, depth: usize) -> Option<Token> {
        let token = match self.peek()? {
            b'0'..=b'9' | b'+' | b'-' => {
                let start = self.i;
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.i += 1;
                }
                let digits = self.i;
                self.skip(|c| c.is_ascii_digit());
                if self.i == digits || self.peek() == Some(b'.') {
                    return None;
                }
                Token::Integer(std::str::from_utf8(&self.data[start..self.i]).ok()?.parse().ok()?)
            }
            b'/' => {
                self.i += 1;
                self.skip(|c| c.is_ascii() && c != b'\0' && c != b'#' && !is_space(c)
                    && !b"()<>[]{}/%".contains(&c));
                if self.peek().is_some_and(|c| c == b'#' || c == b'\0' || !c.is_ascii()) {
                    return None;
                }
                Token::Other
            }
            c if is_operator_byte(c) => {
                let rest = &self.data[self.i..];
                if rest.starts_with(b"true") || rest.starts_with(b"false") {
                    return None;
                }
                let start = self.i;
                self.skip(is_operator_byte);
                Token::Operator(self.data[start..self.i].to_vec())
            }
            b'(' => {
                self.i += 1;
                let start = self.i;
                self.skip(|c| !b"\\()".contains(&c));
                if self.peek()? != b')' {
                    return None;
                }
                self.i += 1;
                Token::String(self.data[start..self.i - 1].to_vec())
            }
            b'<' if self.data.get(self.i + 1) == Some(&b'<') => {
                if depth >= MAX_NESTED {
                    return None;
                }
                self.i += 2;
                self.skip(is_space);
                while !self.data[self.i..].starts_with(b">>") {
                    if self.peek()? != b'/' {
                        return None;
                    }
                    self.value(depth + 1)?;
                    self.skip(is_space);
                    self.value(depth + 1)?;
                }
                self.i += 2;
                Token::Other
            }
            b'<' => {
                self.i += 1;
                let mut bytes = Vec::new();
                loop {
                    let save = self.i;
                    self.skip(is_space);
                    let pair = self.data.get(self.i..self.i + 2);
                    match pair.and_then(|p| std::str::from_utf8(p).ok()) {
                        Some(p) if p.bytes().all(|c| c.is_ascii_hexdigit()) => {
                            bytes.push(u8::from_str_radix(p, 16).ok()?);
                            self.i += 2;
                        }
                        _ => {
                            self.i = save;
                            break;
                        }
                    }
                }
                self.skip(is_space);
                if self.peek()? != b'>' {
                    return None;
                }
                self.i += 1;
                Token::String(bytes)
            }
            b'[' => {
                if depth >= MAX_NESTED {
                    return None;
                }
                self.i += 1;
                self.skip(is_space);
                let mut items = Vec::new();
                while self.peek()? != b']' {
                    items.push(self.value(depth + 1)?);
                }
                self.i += 1;
                Token::Array(items)
            }
            _ => return None,
        };
        self.skip(is_multispace);
        Some(token)
    }
}
