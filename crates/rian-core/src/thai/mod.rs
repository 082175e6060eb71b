//! The Thai text engine: everything rian knows about reading Thai, in one place that
//! every later stage uses.
//!
//! - [`normalize`]: bytes → normalized text (NFC, repaired typing faults) with a map back
//!   to the original bytes.
//! - [`segment`]: words, clusters and clauses of Thai mixed with Latin, numbers and
//!   punctuation.
//! - [`dates`]: dates in every form a Thai write-up uses, Buddhist Era or Gregorian.
//! - [`figures`]: counts with their units.
//!
//! Positions returned by this module are byte ranges into the `&str` given; callers that
//! store spans convert them with [`char_span`].

pub mod dates;
pub mod figures;
mod normalize;
mod scan;
pub mod segment;

pub use normalize::{DecodeError, Normalized, SourceEncoding, normalize, normalize_bytes};
pub use scan::digit_value;

/// Converts a byte range of `text` into a range of Unicode scalar values, the unit spans
/// are stored in.
pub fn char_span(text: &str, bytes: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = text[..bytes.start].chars().count();
    start..start + text[bytes].chars().count()
}

/// Strings drawn from an alphabet, for property tests of the readers here.
#[cfg(test)]
pub(crate) fn text_from(
    alphabet: Vec<char>,
    max_len: usize,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    proptest::collection::vec(proptest::sample::select(alphabet), 0..max_len)
        .prop_map(|v| v.into_iter().collect())
}
