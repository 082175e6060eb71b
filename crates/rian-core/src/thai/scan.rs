//! A cursor over text for the small hand-written readers of dates and figures.

/// A position in a text that readers advance as they match.
#[derive(Debug, Clone, Copy)]
pub struct Cursor<'t> {
    pub text: &'t str,
    pub at: usize,
}

impl<'t> Cursor<'t> {
    pub fn new(text: &'t str, at: usize) -> Cursor<'t> {
        Cursor { text, at }
    }

    pub fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Consumes `lit` if the text continues with it.
    pub fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit) {
            self.at += lit.len();
            true
        } else {
            false
        }
    }

    /// Consumes the longest of `options` the text continues with; returns its index.
    pub fn eat_longest(&mut self, options: &[&str]) -> Option<usize> {
        let rest = self.rest();
        let (i, lit) = options
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.is_empty() && rest.starts_with(**o))
            .max_by_key(|(_, o)| o.len())?;
        self.at += lit.len();
        Some(i)
    }

    /// Consumes spaces and tabs (not line ends); returns how many characters.
    pub fn spaces(&mut self) -> usize {
        let mut n = 0;
        while let Some(c) = self.peek().filter(|c| matches!(c, ' ' | '\t' | '\u{00A0}')) {
            self.at += c.len_utf8();
            n += 1;
        }
        n
    }

    /// Consumes a run of ASCII or Thai digits; returns its value and digit count.
    pub fn digits(&mut self) -> Option<(u64, usize)> {
        let mut value: u64 = 0;
        let mut count = 0;
        while let Some(d) = self.peek().and_then(digit_value) {
            value = value.saturating_mul(10).saturating_add(u64::from(d));
            count += 1;
            self.at += self.peek().map_or(1, char::len_utf8);
        }
        (count > 0).then_some((value, count))
    }
}

/// The value of an ASCII or Thai digit (๐–๙).
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '๐'..='๙' => Some(c as u32 - '๐' as u32),
        _ => None,
    }
}
