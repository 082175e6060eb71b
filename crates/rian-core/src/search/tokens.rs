//! The two ways rian cuts text for the index: into Thai words (the segmenter), and into
//! overlapping two-character grams (the fallback that finds a name or a short word
//! wherever the segmenter cut it differently).

use crate::thai::segment::{Segmenter, TokenKind};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Registered under this name for the word fields.
pub const WORDS: &str = "rian_th_words";
/// Registered under this name for the gram field.
pub const GRAMS: &str = "rian_th_grams";

/// Tokens of a text: byte range and the term the index holds.
pub type Cutting = Vec<(std::ops::Range<usize>, String)>;

/// A word as the index holds it: Latin folded to lower case, everything else as written
/// (the text is already NFC with Arabic digits from import).
pub fn fold(word: &str) -> String {
    if word.chars().any(char::is_uppercase) {
        word.to_lowercase()
    } else {
        word.to_string()
    }
}

/// The words of `text` with their byte ranges, as the index sees them. A compound term of
/// the domain lexicon counts as its parts, each with its own range, so that กองทุน finds
/// กองทุนสวัสดิการชุมชน and a phrase of the parts finds the term.
pub fn words(text: &str) -> Cutting {
    let mut out = Vec::with_capacity(text.len() / 8);
    for t in Segmenter::builtin().tokenize(text) {
        if !t.is_word() {
            continue;
        }
        let word = &text[t.range.clone()];
        match Segmenter::compound_parts(word) {
            Some(parts) => {
                let mut at = t.range.start;
                for p in parts {
                    out.push((at..at + p.len(), p.clone()));
                    at += p.len();
                }
            }
            None => out.push((t.range, fold(word))),
        }
    }
    out
}

/// Whether the segmenter knows `text` as exactly one dictionary word (or one Latin word
/// or number), so that searching for it as a word is reliable.
pub fn is_single_known_word(text: &str) -> bool {
    let tokens = Segmenter::builtin().tokenize(text);
    matches!(tokens.as_slice(), [t] if t.kind != TokenKind::ThaiUnknown && t.is_word())
}

/// The two-character grams of `text`'s words (a one-character word is its own gram),
/// positions counted across the whole text so that a phrase of grams is a substring.
pub fn grams(text: &str) -> Cutting {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(32);
    for (range, _) in raw_words(text) {
        chars.clear();
        chars.extend(text[range.clone()].char_indices());
        if chars.len() == 1 {
            out.push((range.clone(), fold(&text[range])));
            continue;
        }
        for pair in chars.windows(2) {
            let from = range.start + pair[0].0;
            let to = range.start + pair[1].0 + pair[1].1.len_utf8();
            out.push((from..to, fold(&text[from..to])));
        }
    }
    out
}

/// Runs of letters and digits, split at white space and punctuation only (not at word
/// boundaries): grams must cross the segmenter's cuts.
fn raw_words(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
    let mut start: Option<usize> = None;
    let mut out = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() || is_thai_mark(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s..i, &text[s..i]));
        }
    }
    out.into_iter()
}

/// Thai vowel and tone marks are not `alphanumeric` in Unicode's sense but belong to the
/// letter before them.
fn is_thai_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

/// A tantivy tokenizer over one of the functions above.
#[derive(Clone, Copy)]
pub struct Cutter(pub fn(&str) -> Cutting);

pub struct Cuts {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokenizer for Cutter {
    type TokenStream<'a> = Cuts;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Cuts {
        let tokens = (self.0)(text)
            .into_iter()
            .enumerate()
            .map(|(position, (range, text))| Token {
                offset_from: range.start,
                offset_to: range.end,
                position,
                text,
                position_length: 1,
            })
            .collect();
        Cuts { tokens, at: 0 }
    }
}

impl TokenStream for Cuts {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_cross_word_cuts_and_not_spaces() {
        let g: Vec<String> = grams("ab cd").into_iter().map(|(_, g)| g).collect();
        assert_eq!(g, ["ab", "cd"]);
        let g: Vec<String> = grams("น้ำท่วม").into_iter().map(|(_, g)| g).collect();
        assert_eq!(g.len(), "น้ำท่วม".chars().count() - 1);
        assert_eq!(g[0], "น\u{0E49}");
    }

    #[test]
    fn compound_terms_count_as_their_parts() {
        let w: Vec<String> = words("กองทุนสวัสดิการชุมชนช่วยได้")
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(w[..3], ["กองทุน", "สวัสดิการ", "ชุมชน"]);
        // A word of the general dictionary stays whole.
        let w: Vec<String> = words("แกนนำ").into_iter().map(|(_, w)| w).collect();
        assert_eq!(w, ["แกนนำ"]);
    }

    #[test]
    fn latin_is_folded() {
        let w: Vec<String> = words("Thai PBS ออกอากาศ")
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(w[0], "thai");
        assert_eq!(w[1], "pbs");
    }
}
