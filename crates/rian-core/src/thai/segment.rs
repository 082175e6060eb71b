//! Word segmentation. (Placeholder: splits at white space until the engine lands.)

use std::ops::Range;

/// A word segmenter: a dictionary and the rules around it.
pub struct Segmenter {}

impl Segmenter {
    /// The segmenter rian ships: its dictionary plus the domain lexicon.
    pub fn builtin() -> &'static Segmenter {
        static S: Segmenter = Segmenter {};
        &S
    }

    /// Byte ranges of the tokens of `text`, in order; they cover `text` exactly
    /// (white space is a token of its own).
    pub fn tokens(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut last_space = None;
        for (i, c) in text.char_indices() {
            let space = c.is_whitespace();
            if last_space.is_some_and(|l| l != space) {
                out.push(start..i);
                start = i;
            }
            last_space = Some(space);
        }
        if start < text.len() {
            out.push(start..text.len());
        }
        out
    }
}
