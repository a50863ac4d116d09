//! List enumerators: the marks that open a list item ("1.", "2)", "(3)", "4", "b)", "(c)",
//! "①", "•"), read as a style and an ordinal.
//!
//! Principle: a list counts. An enumerator at the start of a line opens an item when nothing
//! else could explain it: the line before ended a sentence, or the enumerator is the next one
//! of the list being read (same style, ordinal one higher, or the same bullet). A number that a
//! wrapped sentence happens to push to a line's start ("… in" / "2 weken") is neither.

/// How an enumerator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// 1, 2, 3 (also circled: ①, ❷).
    Arabic,
    /// a, b, c.
    Letter,
    /// A mark that does not count: •, –, ▪.
    Bullet(char),
}

/// What follows the enumerator's ordinal: "1." and "1)" belong to different lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Punct {
    Period,
    Paren,
    /// "(1)".
    Enclosed,
    /// "1 Text", a circled digit, a bullet.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Enumerator {
    pub style: Style,
    pub punct: Punct,
    /// 1-based; 0 for a bullet.
    pub ordinal: u32,
}

impl Enumerator {
    /// Whether this enumerator is the one that comes after `prev` in the same list.
    pub fn follows(&self, prev: &Enumerator) -> bool {
        self.style == prev.style
            && self.punct == prev.punct
            && match self.style {
                Style::Bullet(_) => true,
                Style::Arabic | Style::Letter => self.ordinal == prev.ordinal + 1,
            }
    }

    /// The ordinal as a recommendation's number: only arabic numbers are printed as numbers.
    pub fn number(&self) -> Option<u32> {
        (self.style == Style::Arabic).then_some(self.ordinal)
    }
}

const BULLETS: &str = "•◦▪▫‣⁃–—-*·●○■□►▸▶✓✔➢➤→";

/// The digit a circled or negative-circled numeral stands for (① to ⑳, ❶ to ❿, ➀ to ➉, ➊ to ➓).
fn circled(c: char) -> Option<u32> {
    let n = c as u32;
    [(0x2460, 20), (0x2776, 10), (0x2780, 10), (0x278A, 10)]
        .iter()
        .find(|(start, len)| n >= *start && n < start + len)
        .map(|(start, _)| n - start + 1)
}

/// The enumerator that opens `text`, and the item's text after it. A counting enumerator must
/// be followed by a word that opens with a capital ("1. Blijf", "b) Reflecteer"), so a
/// sentence's "a. de" or a number and its unit ("5 verwachtingen") is not read as one; typed
/// numbers and letters take at most two digits or one letter.
pub(crate) fn parse(text: &str) -> Option<(Enumerator, &str)> {
    let text = text.trim_start();
    let mut chars = text.char_indices();
    let (_, first) = chars.next()?;
    let opens_item = |rest: &str| rest.chars().next().is_some_and(char::is_uppercase);
    if let Some(ordinal) = circled(first) {
        let rest = text[first.len_utf8()..].trim_start();
        let e = Enumerator {
            style: Style::Arabic,
            punct: Punct::None,
            ordinal,
        };
        return (!rest.is_empty()).then_some((e, rest));
    }
    if BULLETS.contains(first) {
        let after = &text[first.len_utf8()..];
        let rest = after.trim_start();
        let spaced = after.len() > rest.len();
        let e = Enumerator {
            style: Style::Bullet(first),
            punct: Punct::None,
            ordinal: 0,
        };
        return (spaced && !rest.is_empty()).then_some((e, rest));
    }
    let enclosed = first == '(';
    let body = if enclosed { &text[1..] } else { text };
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    let (style, ordinal, len) = match digits {
        1 | 2 => (Style::Arabic, body[..digits].parse().ok()?, digits),
        0 => {
            let c = body.chars().next()?;
            if !c.is_ascii_lowercase() {
                return None;
            }
            (Style::Letter, c as u32 - 'a' as u32 + 1, 1)
        }
        _ => return None,
    };
    let after = &body[len..];
    let (punct, after) = if enclosed {
        (Punct::Enclosed, after.strip_prefix(')')?)
    } else if let Some(a) = after.strip_prefix('.') {
        (Punct::Period, a)
    } else if let Some(a) = after.strip_prefix(')') {
        (Punct::Paren, a)
    } else {
        (Punct::None, after)
    };
    let rest = after.trim_start();
    let spaced = after.len() > rest.len();
    // "1.Blijf": a typed number run into its text (some producers set the number apart
    // without a space character); a bare number or letter needs the space.
    let fits = match (style, punct) {
        (Style::Letter, Punct::None) => false,
        (_, Punct::None) => spaced,
        (Style::Arabic, Punct::Period) => spaced || !rest.starts_with(|c: char| c.is_ascii_digit()),
        _ => true,
    };
    (fits && opens_item(rest)).then_some((
        Enumerator {
            style,
            punct,
            ordinal,
        },
        rest,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(style: Style, punct: Punct, ordinal: u32) -> Enumerator {
        Enumerator {
            style,
            punct,
            ordinal,
        }
    }

    #[test]
    fn every_printed_form_of_an_enumerator_is_read() {
        use Punct::*;
        use Style::*;
        for (text, expected, rest) in [
            ("1. Blijf positief", e(Arabic, Period, 1), "Blijf positief"),
            ("12) Benut", e(Arabic, Paren, 12), "Benut"),
            ("(3) Organiseer", e(Arabic, Enclosed, 3), "Organiseer"),
            ("4 Vraag steun", e(Arabic, None, 4), "Vraag steun"),
            ("1.Blijf", e(Arabic, Period, 1), "Blijf"),
            ("b) Reflecteer", e(Letter, Paren, 2), "Reflecteer"),
            ("(c) Bespreek", e(Letter, Enclosed, 3), "Bespreek"),
            ("d. Vraag", e(Letter, Period, 4), "Vraag"),
            ("② Reflecteer", e(Arabic, None, 2), "Reflecteer"),
            ("❸ Bespreek", e(Arabic, None, 3), "Bespreek"),
            (
                "• tijd voor reflectie",
                e(Bullet('•'), None, 0),
                "tijd voor reflectie",
            ),
            ("– minder regels", e(Bullet('–'), None, 0), "minder regels"),
        ] {
            assert_eq!(parse(text), Some((expected, rest)), "{text}");
        }
    }

    #[test]
    fn numbers_and_letters_that_open_a_sentence_are_no_enumerators() {
        for text in [
            "5 verwachtingen van de buitenwereld",
            "2.5 Aanbevelingen",
            "2022 was een jaar",
            "a Blijf",
            "a. de professional",
            "47% Heeft",
            "De jeugdhulp",
            "-5 graden",
            "1.",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn the_next_enumerator_of_a_list_has_its_style_and_the_next_ordinal() {
        let two = parse("2. Reflecteer").unwrap().0;
        assert!(parse("3. Bespreek").unwrap().0.follows(&two));
        assert!(!parse("4. Bespreek").unwrap().0.follows(&two));
        assert!(!parse("3) Bespreek").unwrap().0.follows(&two));
        assert!(!parse("c. Bespreek").unwrap().0.follows(&two));
        let bullet = parse("• een").unwrap().0;
        assert!(parse("• twee").unwrap().0.follows(&bullet));
        assert!(!parse("▪ twee").unwrap().0.follows(&bullet));
    }
}
