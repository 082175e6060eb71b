//! Word frequencies on Thai words as rian's segmenter cuts them (the domain lexicon kept
//! whole: กองทุนสวัสดิการ is one word), without function words. Never on runs between
//! spaces, which in Thai are clauses, not words.

use crate::thai::segment::{Segmenter, TokenKind};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const STOP_WORDS: &str = include_str!("../../data/stopwords_th.txt");

/// The function words left out (data/stopwords_th.txt).
pub fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        STOP_WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
    .contains(word)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordCount {
    pub word: String,
    /// Times the word occurs.
    pub count: usize,
    /// Texts it occurs in.
    pub texts: usize,
}

/// Counts words over the texts; the `limit` most frequent, ties by word.
pub fn word_frequencies<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<WordCount> {
    let seg = Segmenter::builtin();
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    for text in texts {
        let mut seen: HashSet<&str> = HashSet::new();
        for t in seg.tokenize(text) {
            let word = &text[t.range.clone()];
            let counted = match t.kind {
                TokenKind::Thai => word.chars().count() > 1 && !is_stop_word(word),
                TokenKind::Latin => word.chars().count() > 1,
                _ => false,
            };
            if !counted {
                continue;
            }
            let key = if t.kind == TokenKind::Latin {
                word.to_lowercase()
            } else {
                word.to_string()
            };
            let first = seen.insert(word);
            let entry = counts.entry(key).or_default();
            entry.0 += 1;
            if first {
                entry.1 += 1;
            }
        }
    }
    let mut out: Vec<WordCount> = counts
        .into_iter()
        .map(|(word, (count, texts))| WordCount { word, count, texts })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_thai_words_not_spaces_and_keeps_domain_terms_whole() {
        let texts = [
            "ชุมชนมีกองทุนสวัสดิการชุมชนและกองทุนสวัสดิการชุมชนช่วยผู้สูงอายุ",
            "กองทุนสวัสดิการชุมชนของชุมชน COVID covid",
        ];
        let words = word_frequencies(texts, 50);
        let get = |w: &str| words.iter().find(|c| c.word == w).cloned();
        let fund = get("กองทุนสวัสดิการชุมชน").expect("the domain term is one word");
        assert_eq!((fund.count, fund.texts), (3, 2));
        assert_eq!(get("ชุมชน").map(|c| (c.count, c.texts)), Some((2, 2)));
        assert_eq!(get("covid").map(|c| c.count), Some(2));
        for stop in ["และ", "มี", "ของ"] {
            assert!(get(stop).is_none(), "{stop} is a function word");
        }
        assert_eq!(words[0].word, "กองทุนสวัสดิการชุมชน");
        assert!(get("ชุมชนมีกองทุนสวัสดิการชุมชนและกองทุนสวัสดิการชุมชนช่วยผู้สูงอายุ").is_none());
    }
}
