//! The ways rian cuts text for the index: into Thai words (the segmenter), into runs of two
//! and of three neighbouring words (so that a phrase is one term, or a few, rather than
//! the positions of every word in it), and into overlapping two-character grams (the
//! fallback that finds a name or a short word wherever the segmenter cut it differently).

use crate::thai::segment::{Segmenter, TokenKind, is_thai_letter};
use std::borrow::Cow;
use std::ops::Range;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Registered under this name for the word fields.
pub const WORDS: &str = "rian_th_words";
/// Registered under this name for the gram field.
pub const GRAMS: &str = "rian_th_grams";
/// Registered under this name for the field of word pairs.
pub const PAIRS: &str = "rian_th_pairs";
/// Registered under this name for the field of runs of three words.
pub const TRIPLES: &str = "rian_th_triples";

/// Tokens of a text: byte range and the term the index holds.
pub type Cutting = Vec<(Range<usize>, String)>;

/// A word as the index holds it: Latin folded to lower case, everything else as written
/// (the text is already NFC with Arabic digits from import).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(&mut out, word);
    out
}

/// `word` as the index holds it, borrowed when folding leaves it as it is (any Thai word).
pub fn fold_cow(word: &str) -> Cow<'_, str> {
    if needs_folding(word) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

fn needs_folding(word: &str) -> bool {
    // Thai has no case; asking Unicode's tables about each Thai letter is slow.
    word.chars().any(|c| !in_thai_block(c) && c.is_uppercase())
}

fn fold_into(out: &mut String, word: &str) {
    out.push_str(&fold_cow(word));
}

/// `text` folded as a whole, when each of its words is then folded as [`fold`] folds it
/// and every byte stays where it was: a text of Thai and ASCII only, as nearly all are.
/// Each word of the index is in up to three terms (a word, a pair, a triple); folding
/// the text once spares folding each word each time.
fn fold_whole(text: &str) -> Option<Cow<'_, str>> {
    if !text.chars().all(|c| c.is_ascii() || in_thai_block(c)) {
        return None;
    }
    Some(match text.bytes().any(|b| b.is_ascii_uppercase()) {
        true => Cow::Owned(text.to_ascii_lowercase()),
        false => Cow::Borrowed(text),
    })
}

/// The words of `text` with their byte ranges, as the index sees them. A compound term of
/// the domain lexicon counts as its parts, each with its own range, so that กองทุน finds
/// กองทุนสวัสดิการชุมชน and a phrase of the parts finds the term.
pub fn words(text: &str) -> Cutting {
    with_terms(text, word_ranges(text))
}

/// The byte ranges of [`words`], without their terms.
pub fn word_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / 8);
    for t in Segmenter::builtin().tokenize(text) {
        if !t.is_word() {
            continue;
        }
        match Segmenter::compound_parts(&text[t.range.clone()]) {
            // The parts spell out the term, so each is a slice of the text.
            Some(parts) => {
                let mut at = t.range.start;
                for p in parts {
                    out.push(at..at + p.len());
                    at += p.len();
                }
            }
            None => out.push(t.range),
        }
    }
    out
}

/// The term of neighbouring words (a pair or a triple) as the index holds it. No word
/// holds a space, so no run is also a word.
pub fn run<S: AsRef<str>>(words: &[S]) -> String {
    let mut out = String::with_capacity(words.iter().map(|w| w.as_ref().len() + 1).sum());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        fold_into(&mut out, w.as_ref());
    }
    out
}

thread_local! {
    /// The text the word cutter last cut on this thread, and its word ranges. The index
    /// cuts each text into words and then into runs of words, one field after the other
    /// on the same thread: the runs reuse the words rather than segment the text again.
    static LAST_CUT: std::cell::RefCell<(String, Vec<Range<usize>>)> =
        const { std::cell::RefCell::new((String::new(), Vec::new())) };
}

/// [`word_ranges`], remembered for the next call with the same text on this thread.
fn remembered_word_ranges(text: &str) -> Vec<Range<usize>> {
    LAST_CUT.with_borrow_mut(|(last, ranges)| {
        if last.as_str() != text {
            *ranges = word_ranges(text);
            last.clear();
            last.push_str(text);
        }
        ranges.clone()
    })
}

fn with_terms(text: &str, ranges: Vec<Range<usize>>) -> Cutting {
    ranges
        .into_iter()
        .map(|r| {
            let term = fold(&text[r.clone()]);
            (r, term)
        })
        .collect()
}

/// Whether the segmenter knows `text` as exactly one dictionary word (or one Latin word
/// or number), so that searching for it as a word is reliable.
pub fn is_single_known_word(text: &str) -> bool {
    let tokens = Segmenter::builtin().tokenize(text);
    matches!(tokens.as_slice(), [t] if t.kind != TokenKind::ThaiUnknown && t.is_word())
}

/// Whether every word of `text` is one the segmenter knows (no run of letters it could
/// not place, as in most names), so that searching for the words in order is reliable.
pub fn all_known_words(text: &str) -> bool {
    Segmenter::builtin()
        .tokenize(text)
        .iter()
        .all(|t| t.kind != TokenKind::ThaiUnknown)
}

/// The two-character grams of `text`'s words (a one-character word is its own gram),
/// positions counted across the whole text so that a phrase of grams is a substring.
pub fn grams(text: &str) -> Cutting {
    with_terms(text, gram_ranges(text))
}

fn gram_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(32);
    for range in raw_words(text) {
        chars.clear();
        chars.extend(text[range.clone()].char_indices());
        if chars.len() == 1 {
            out.push(range);
            continue;
        }
        for pair in chars.windows(2) {
            let from = range.start + pair[0].0;
            let to = range.start + pair[1].0 + pair[1].1.len_utf8();
            out.push(from..to);
        }
    }
    out
}

/// Runs of letters and digits, split at white space and punctuation only (not at word
/// boundaries): grams must cross the segmenter's cuts.
fn raw_words(text: &str) -> impl Iterator<Item = Range<usize>> {
    let mut start: Option<usize> = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(i, c)| {
            if is_run_char(c) {
                start.get_or_insert(i);
                None
            } else {
                start.take().map(|s| s..i)
            }
        })
}

/// A letter, digit or mark of a run. Thai vowel and tone marks are not all `alphanumeric`
/// in Unicode's sense but belong to the letter before them. The Thai block is decided
/// here directly: Unicode's tables answer slowly for anything beyond ASCII, and this runs
/// for every character indexed.
fn is_run_char(c: char) -> bool {
    if in_thai_block(c) {
        is_thai_letter(c) || matches!(c, 'ฯ' | 'ๆ' | '๐'..='๙')
    } else {
        c.is_alphanumeric()
    }
}

fn in_thai_block(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// Registers the cuttings with an index.
pub fn register(index: &tantivy::Index) {
    let cutter = |cut, run| TextAnalyzer::from(Cutter { cut, run });
    let tokenizers = index.tokenizers();
    tokenizers.register(WORDS, cutter(remembered_word_ranges, 1));
    tokenizers.register(PAIRS, cutter(remembered_word_ranges, 2));
    tokenizers.register(TRIPLES, cutter(remembered_word_ranges, 3));
    tokenizers.register(GRAMS, cutter(gram_ranges, 1));
}

/// A tantivy tokenizer over one of the cuttings above, or over its runs of `run`
/// neighbouring ranges, each at the position of its first. Terms are written into one
/// reused token rather than allocated one by one: indexing makes millions of them.
#[derive(Clone, Copy)]
struct Cutter {
    cut: fn(&str) -> Vec<Range<usize>>,
    run: usize,
}

struct Cuts<'a> {
    text: &'a str,
    /// `text` folded once for all its terms, when that can be done ([`fold_whole`]).
    folded: Option<Cow<'a, str>>,
    ranges: Vec<Range<usize>>,
    run: usize,
    /// The first range of the next token.
    next: usize,
    token: Token,
}

impl Tokenizer for Cutter {
    type TokenStream<'a> = Cuts<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Cuts<'a> {
        Cuts {
            text,
            folded: fold_whole(text),
            ranges: (self.cut)(text),
            run: self.run,
            next: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for Cuts<'_> {
    fn advance(&mut self) -> bool {
        let Some(run) = self.ranges.get(self.next..self.next + self.run) else {
            return false;
        };
        let t = &mut self.token;
        t.position = self.next;
        t.offset_from = run[0].start;
        t.offset_to = run[run.len() - 1].end;
        t.text.clear();
        for (i, r) in run.iter().enumerate() {
            if i > 0 {
                t.text.push(' ');
            }
            match &self.folded {
                Some(folded) => t.text.push_str(&folded[r.clone()]),
                None => fold_into(&mut t.text, &self.text[r.clone()]),
            }
        }
        self.next += 1;
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thai_shortcut_agrees_with_unicode() {
        let thai_mark =
            |c| matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}');
        for c in ('\u{0E00}'..='\u{0E7F}').chain(['a', 'Z', '7', ' ', '.', 'é']) {
            assert_eq!(is_run_char(c), c.is_alphanumeric() || thai_mark(c), "{c:?}");
            assert!(!c.is_uppercase() || !in_thai_block(c));
        }
    }

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

    /// The terms the index makes of `text` with one of its tokenizers.
    fn indexed(name: &str, text: &str) -> Vec<(usize, String)> {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        register(&index);
        let mut analyzer = index.tokenizers().get(name).expect("registered");
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            assert!(text.get(t.offset_from..t.offset_to).is_some());
            out.push((t.position, t.text.clone()));
        }
        out
    }

    #[test]
    fn runs_are_neighbouring_words_at_the_first_ones_position() {
        let text = "Thai PBS ออกอากาศ กองทุนสวัสดิการชุมชน";
        let words: Vec<String> = indexed(WORDS, text).into_iter().map(|(_, w)| w).collect();
        for (tokenizer, n) in [(PAIRS, 2), (TRIPLES, 3)] {
            let runs = indexed(tokenizer, text);
            assert_eq!(runs.len(), words.len() + 1 - n);
            for (i, (position, term)) in runs.iter().enumerate() {
                assert_eq!(*position, i);
                assert_eq!(*term, run(&words[i..i + n]));
            }
        }
        assert_eq!(indexed(PAIRS, text)[0].1, "thai pbs");
        assert_eq!(indexed(TRIPLES, text)[0].1, "thai pbs ออกอากาศ");
        // The words remembered for the runs are those of the text asked for.
        assert_eq!(
            indexed(TRIPLES, "แกนนำชุมชนเข้มแข็ง"),
            [(0, run(&["แกนนำ", "ชุมชน", "เข้มแข็ง"]))]
        );
        assert_eq!(indexed(PAIRS, "แกนนำชุมชน"), [(0, run(&["แกนนำ", "ชุมชน"]))]);
        assert!(indexed(PAIRS, "แกนนำ").is_empty());
        assert!(indexed(TRIPLES, "แกนนำชุมชน").is_empty());
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

    proptest::proptest! {
        /// The index folds a whole text at once where it can; its terms must be the
        /// words folded one by one, as a query's are.
        #[test]
        fn a_text_folded_at_once_gives_the_words_folded_alone(
            text in "[กขงชนมยรลวสอะาิีุเแโใไ่้ aAzZİıΣσǅé0-9.]{0,40}"
        ) {
            let alone: Vec<String> = words(&text).into_iter().map(|(_, w)| w).collect();
            let indexed: Vec<String> = indexed(WORDS, &text).into_iter().map(|(_, t)| t).collect();
            proptest::prop_assert_eq!(indexed, alone);
        }
    }
}
