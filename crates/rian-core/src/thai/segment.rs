//! Word segmentation of Thai mixed with Latin words, numbers, URLs and punctuation.
//!
//! Text is first cut into runs by script: Thai letters, Latin words, numbers (with their
//! separators: `1,500`, `2.5`, `09.00`), URLs and e-mail addresses, white space, and single
//! symbols. Thai runs are then cut into words by the cheapest path through a lattice of
//! dictionary words (costs from word frequencies: a unigram model), where a cut may only
//! fall between Thai character clusters — never between a consonant and its vowel or tone
//! marks. Stretches no dictionary word covers become one unknown token. A character typed
//! three or more times in a row (มากกกก) stays with the word it lengthens.
//!
//! The dictionary is PyThaiNLP's word list with Thai National Corpus frequencies, plus
//! rian's domain lexicon (community-development terms and every Thai place name), so that
//! `สภาองค์กรชุมชน` and `ท่าหมื่นราม` stay whole. Users add their own words with
//! [`Segmenter::with_words`].

use daachorse::CharwiseDoubleArrayAhoCorasick;
use std::ops::Range;
use std::sync::OnceLock;

const WORDS_TH: &str = include_str!("../../data/dict/words_th.txt");
const TNC_FREQ: &str = include_str!("../../data/dict/tnc_freq.txt");
const DOMAIN_TH: &str = include_str!("../../data/lexicon/domain_th.txt");
const PLACES_TH: &str = include_str!("../../data/places_th.txt");

/// Costs are negative log probabilities, scaled to integers.
const SCALE: f64 = 100.0;
/// What each cluster that no dictionary word covers costs: about as much as a word seen
/// once in 3,000 words. Cheaper than a chain of rare dictionary words, so that a
/// transliterated name (โออิรัน) stays one unknown token instead of rare syllables; dearer
/// than common words, so that those still win where they fit. Tuned on wisesight-160.
const UNKNOWN_CLUSTER_COST: u32 = 800;

/// A word segmenter: a dictionary with a cost per word.
pub struct Segmenter {
    dict: CharwiseDoubleArrayAhoCorasick<u32>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter").finish_non_exhaustive()
    }
}

/// What kind of token a range of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A Thai word found in the dictionary.
    Thai,
    /// Thai text no dictionary word covers.
    ThaiUnknown,
    Latin,
    Number,
    Url,
    Space,
    /// Punctuation, symbols, emoji, ๆ and ฯ.
    Symbol,
}

/// A token: its byte range in the text and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
}

impl Token {
    /// True for tokens a person would call words (not white space or punctuation).
    pub fn is_word(&self) -> bool {
        !matches!(self.kind, TokenKind::Space | TokenKind::Symbol)
    }
}

impl Segmenter {
    /// The segmenter rian ships: its dictionary plus the domain lexicon. Built once.
    pub fn builtin() -> &'static Segmenter {
        static BUILTIN: OnceLock<Segmenter> = OnceLock::new();
        BUILTIN.get_or_init(|| Segmenter::build(std::iter::empty(), true))
    }

    /// The built-in dictionary plus a user lexicon: each extra word stays whole.
    pub fn with_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Segmenter {
        Segmenter::build(words.into_iter(), true)
    }

    /// Parts of a compound term that the domain lexicon adds to the dictionary
    /// (กองทุนสวัสดิการชุมชน → กองทุน, สวัสดิการ, ชุมชน): segmentation keeps the term whole,
    /// search indexes its parts so that each part is found. `None` for every other word.
    pub fn compound_parts(word: &str) -> Option<&'static [String]> {
        static PARTS: OnceLock<std::collections::HashMap<&'static str, Vec<String>>> =
            OnceLock::new();
        PARTS
            .get_or_init(|| {
                let general: std::collections::HashSet<&str> = lines(WORDS_TH).collect();
                let plain = Segmenter::build(std::iter::empty(), false);
                lines(DOMAIN_TH)
                    .filter(|t| is_thai_word(t) && !general.contains(t))
                    .filter_map(|t| {
                        let tokens = plain.tokenize(t);
                        let known =
                            tokens.len() >= 2 && tokens.iter().all(|p| p.kind == TokenKind::Thai);
                        known.then(|| {
                            let parts = tokens.iter().map(|p| t[p.range.clone()].to_string());
                            (t, parts.collect())
                        })
                    })
                    .collect()
            })
            .get(word)
            .map(Vec::as_slice)
    }

    fn build<'a>(extra: impl Iterator<Item = &'a str>, lexicon: bool) -> Segmenter {
        let mut costs: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        let freq: Vec<(&str, f64)> = TNC_FREQ
            .lines()
            .filter_map(|l| {
                let (w, f) = l.split_once('\t')?;
                Some((w.trim(), f.trim().parse().ok()?))
            })
            .collect();
        let total: f64 = freq.iter().map(|(_, f)| f).sum::<f64>().max(1.0);
        let cost_of = |f: f64| ((total / f).ln() * SCALE) as u32;
        // Words listed without a frequency count as rare but known.
        let listed_cost = cost_of(1.0);
        let lexicon_cost = cost_of(50.0);
        for w in lines(WORDS_TH) {
            costs.insert(w, listed_cost);
        }
        for (w, f) in &freq {
            if is_thai_word(w) && costs.contains_key(w) {
                costs.insert(w, cost_of(*f + 1.0));
            }
        }
        let lexicon = lines(DOMAIN_TH).chain(lines(PLACES_TH)).filter(|_| lexicon);
        for w in lexicon.chain(extra) {
            let cost = costs
                .get(w)
                .copied()
                .unwrap_or(lexicon_cost)
                .min(lexicon_cost);
            costs.insert(w, cost);
        }
        let mut entries: Vec<(&str, u32)> =
            costs.into_iter().filter(|(w, _)| is_thai_word(w)).collect();
        entries.sort_unstable();
        let dict = CharwiseDoubleArrayAhoCorasick::with_values(entries)
            .expect("the built-in dictionary has unique, non-empty words");
        Segmenter { dict }
    }

    /// Byte ranges of the tokens of `text`, in order; they cover `text` exactly (white space
    /// is a token of its own).
    pub fn tokens(&self, text: &str) -> Vec<Range<usize>> {
        self.tokenize(text).into_iter().map(|t| t.range).collect()
    }

    /// The tokens of `text` with their kinds; they cover `text` exactly.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::with_capacity(text.len() / 6);
        for run in runs(text) {
            if run.kind == TokenKind::Thai {
                self.segment_thai(text, run.range, &mut out);
            } else {
                out.push(run);
            }
        }
        join_abbreviations(text, out)
    }

    /// The words of `text` (no white space or punctuation).
    pub fn words<'t>(&self, text: &'t str) -> impl Iterator<Item = &'t str> {
        self.tokenize(text)
            .into_iter()
            .filter(Token::is_word)
            .map(move |t| &text[t.range])
    }

    /// Segments one run of Thai letters, pushing its tokens.
    fn segment_thai(&self, text: &str, run: Range<usize>, out: &mut Vec<Token>) {
        let (reduced, origin) = collapse_repeats(&text[run.clone()]);
        let s = reduced.as_str();
        let n = s.len();
        // A cut may fall only at a cluster boundary.
        let mut boundary = vec![false; n + 1];
        let mut prev: Option<char> = None;
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            // A consonant silenced by ◌์ closes the syllable before it (กรณ์, ภาพยนตร์).
            let silenced = chars.peek().is_some_and(|&(_, d)| d == '\u{0E4C}');
            boundary[i] = !silenced && prev.is_none_or(|p| can_break_between(p, c));
            prev = Some(c);
        }
        boundary[n] = true;

        // best[i]: the cheapest cost of segmenting s[..i]; from[i]: where its last token
        // starts and whether that token is a dictionary word.
        const NONE: u32 = u32::MAX;
        let mut best = vec![NONE; n + 1];
        let mut from = vec![(0usize, false); n + 1];
        best[0] = 0;
        let mut next_cluster = vec![n; n + 1];
        let mut next = n;
        for i in (0..n).rev() {
            next_cluster[i] = next;
            if boundary[i] {
                next = i;
            }
        }
        // Matches arrive ordered by their end, so every start is settled before its end.
        let mut matches = self.dict.find_overlapping_iter(s).peekable();
        for i in 0..=n {
            while let Some(m) = matches.peek() {
                if m.end() > i {
                    break;
                }
                let m = matches.next().expect("peeked");
                let (start, end) = (m.start(), m.end());
                if end == i && boundary[start] && boundary[end] && best[start] != NONE {
                    let cost = best[start] + m.value();
                    if cost < best[end] {
                        best[end] = cost;
                        from[end] = (start, true);
                    }
                }
            }
            if i == n || !boundary[i] || best[i] == NONE {
                continue;
            }
            // An unknown cluster from here to the next cluster boundary.
            let j = next_cluster[i];
            let cost = best[i] + UNKNOWN_CLUSTER_COST;
            if cost < best[j] {
                best[j] = cost;
                from[j] = (i, false);
            }
        }

        // Walk back, then emit in order, merging neighbouring unknown clusters.
        let mut cuts = Vec::new();
        let mut at = n;
        while at > 0 {
            let (start, known) = from[at];
            cuts.push((start, at, known));
            at = start;
        }
        cuts.reverse();
        let cuts = attach_lone_consonants(s, cuts);
        let to_text = |i: usize| run.start + if i == n { run.len() } else { origin[i] };
        let first = out.len();
        for (start, end, known) in cuts {
            let range = to_text(start)..to_text(end);
            let kind = if known {
                TokenKind::Thai
            } else {
                TokenKind::ThaiUnknown
            };
            let extends_unknown = out.len() > first
                && kind == TokenKind::ThaiUnknown
                && out.last().is_some_and(|l| l.kind == TokenKind::ThaiUnknown);
            match out.last_mut() {
                Some(last) if extends_unknown => last.range.end = range.end,
                _ => out.push(Token { range, kind }),
            }
        }
        // A rare word of one cluster can cost more than the cluster unknown, so ป่า alone
        // comes out of the lattice "unknown"; it is still a word the dictionary knows.
        for t in &mut out[first..] {
            if t.kind == TokenKind::ThaiUnknown && self.knows(&text[t.range.clone()]) {
                t.kind = TokenKind::Thai;
            }
        }
    }

    /// Whether `word` is in the dictionary, whole.
    fn knows(&self, word: &str) -> bool {
        self.dict
            .find_overlapping_iter(word)
            .any(|m| m.start() == 0 && m.end() == word.len())
    }
}

impl Segmenter {
    /// Clauses of `text`, as byte ranges without their surrounding white space. Thai marks
    /// clauses and sentences with spaces rather than full stops, so a space ends a clause —
    /// except around a number or a date (31 มีนาคม 2566, 25 คน), after an abbreviation
    /// (จ. กาญจนบุรี, พ.ศ. 2566), before ๆ, and between two Latin words (Thai PBS). Line
    /// ends and sentence punctuation (. ! ? ;) always end one.
    pub fn clauses(&self, text: &str) -> Vec<Range<usize>> {
        let tokens = self.tokenize(text);
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let close = |out: &mut Vec<Range<usize>>, start: &mut Option<usize>, end: usize| {
            if let Some(s) = start.take() {
                out.push(s..end);
            }
        };
        for (i, t) in tokens.iter().enumerate() {
            let word = &text[t.range.clone()];
            match t.kind {
                TokenKind::Space => {
                    let prev = i.checked_sub(1).map(|p| &tokens[p]);
                    let next = tokens.get(i + 1);
                    if word.contains('\n') || !joins_across_space(text, prev, next) {
                        let end = prev.map_or(t.range.start, |p| p.range.end);
                        close(&mut out, &mut start, end);
                    }
                }
                TokenKind::Symbol
                    if matches!(word, "." | "!" | "?" | ";" | "…" | "。")
                        || word.starts_with("..") =>
                {
                    start.get_or_insert(t.range.start);
                    close(&mut out, &mut start, t.range.end);
                }
                _ => {
                    start.get_or_insert(t.range.start);
                }
            }
        }
        close(&mut out, &mut start, text.len());
        out
    }
}

/// True if a space between these two tokens sits inside one clause.
fn joins_across_space(text: &str, prev: Option<&Token>, next: Option<&Token>) -> bool {
    let (Some(prev), Some(next)) = (prev, next) else {
        return false;
    };
    let p = &text[prev.range.clone()];
    let n = &text[next.range.clone()];
    prev.kind == TokenKind::Number
        || next.kind == TokenKind::Number
        || (prev.kind == TokenKind::Thai && p.ends_with('.'))
        || matches!(n, "ๆ" | "พ.ศ." | "ค.ศ.")
        || (prev.kind == TokenKind::Latin && next.kind == TokenKind::Latin)
        || is_month_name(p)
        || is_month_name(n)
}

/// Thai month names, full and abbreviated, so that a date written with spaces stays whole.
fn is_month_name(w: &str) -> bool {
    use crate::model::{MONTHS_TH, MONTHS_TH_SHORT};
    MONTHS_TH.contains(&w) || MONTHS_TH_SHORT.contains(&w)
}

/// A lone consonant that no word covers is almost always a misspelt or lengthened final
/// (คุน, แม่ง, พ่องงง) or initial (บรัช): it joins the word before it, or at the start of a
/// run the word after it.
fn attach_lone_consonants(s: &str, cuts: Vec<(usize, usize, bool)>) -> Vec<(usize, usize, bool)> {
    // Neighbouring unknown clusters are one unknown stretch (สปสช), never lone.
    let mut grouped: Vec<(usize, usize, bool)> = Vec::with_capacity(cuts.len());
    for cut in cuts {
        match grouped.last_mut() {
            Some(last) if !last.2 && !cut.2 => last.1 = cut.1,
            _ => grouped.push(cut),
        }
    }
    let cuts = grouped;
    let lone = |&(start, end, known): &(usize, usize, bool)| {
        !known
            && s[start..end].chars().count() == 1
            && is_consonant(s[start..].chars().next().unwrap_or(' '))
    };
    let mut out: Vec<(usize, usize, bool)> = Vec::with_capacity(cuts.len());
    let mut carry: Option<usize> = None;
    for cut in cuts {
        if lone(&cut) {
            match out.last_mut() {
                Some(prev) => {
                    prev.1 = cut.1;
                    prev.2 = false;
                }
                None => {
                    carry.get_or_insert(cut.0);
                }
            }
            continue;
        }
        let (start, end, known) = cut;
        match carry.take() {
            Some(s0) => out.push((s0, end, false)),
            None => out.push((start, end, known)),
        }
    }
    if let Some(s0) = carry {
        out.push((s0, s.len(), false));
    }
    out
}

/// Thai consonants ก–ฮ.
fn is_consonant(c: char) -> bool {
    ('\u{0E01}'..='\u{0E2E}').contains(&c)
}

/// Joins abbreviations written with dots into one token: a short run of bare consonants
/// and a dot (จ. อ. รพ. กทม.), or a chain of short pieces each with its dot (พ.ศ. ม.ค.
/// เม.ย. รพ.สต.).
fn join_abbreviations(text: &str, tokens: Vec<Token>) -> Vec<Token> {
    let thai = |t: &Token| matches!(t.kind, TokenKind::Thai | TokenKind::ThaiUnknown);
    let chars = |t: &Token| text[t.range.clone()].chars().count();
    let bare = |t: &Token| {
        thai(t) && (1..=4).contains(&chars(t)) && text[t.range.clone()].chars().all(is_consonant)
    };
    let short = |t: &Token| thai(t) && chars(t) <= 3;
    let dot = |t: &Token| &text[t.range.clone()] == ".";
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        // The longest chain of (piece, dot) pairs starting here.
        let mut pairs = 0;
        while i + 2 * pairs + 1 < tokens.len()
            && short(&tokens[i + 2 * pairs])
            && dot(&tokens[i + 2 * pairs + 1])
        {
            pairs += 1;
        }
        let ok = match pairs {
            0 => false,
            1 => bare(&tokens[i]),
            _ => true,
        };
        if ok {
            out.push(Token {
                range: tokens[i].range.start..tokens[i + 2 * pairs - 1].range.end,
                kind: TokenKind::Thai,
            });
            i += 2 * pairs;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

/// True if `word` is a term of rian's domain lexicon (สภาองค์กรชุมชน, กองทุนสวัสดิการชุมชน…):
/// the name of a kind of thing, not of one thing.
pub fn is_domain_term(word: &str) -> bool {
    static TERMS: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    TERMS
        .get_or_init(|| lines(DOMAIN_TH).collect())
        .contains(word)
}

fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Words the lattice can use: Thai letters only (dictionary entries with spaces, digits or
/// dots never match inside a Thai run).
fn is_thai_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(is_thai_letter)
}

/// Thai letters, vowels and marks; not Thai digits, ๆ, ฯ, ฿ or the Thai punctuation marks.
pub fn is_thai_letter(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E2E}' | '\u{0E30}'..='\u{0E3A}' | '\u{0E40}'..='\u{0E45}' | '\u{0E47}'..='\u{0E4E}')
}

/// Marks that belong to the consonant before them.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

/// Vowels written before the consonant they follow in speech: เ แ โ ใ ไ.
fn is_leading_vowel(c: char) -> bool {
    ('\u{0E40}'..='\u{0E44}').contains(&c)
}

/// True if a word may end after `a` and the next begin with `b`: never inside a
/// character cluster.
pub fn can_break_between(a: char, b: char) -> bool {
    // A leading vowel always has its consonant after it.
    !(cannot_start_word(b) || is_leading_vowel(a))
}

/// Marks and following vowels: no Thai word begins with them (ะ า ำ ๅ and the marks).
fn cannot_start_word(c: char) -> bool {
    is_combining(c) || matches!(c, '\u{0E30}' | '\u{0E32}' | '\u{0E33}' | '\u{0E45}')
}

/// Collapses a character typed three or more times in a row to one, returning the reduced
/// text and, for each byte of it, the byte in the original it came from. The extra copies
/// then go with the token that holds the first.
fn collapse_repeats(s: &str) -> (String, Vec<usize>) {
    let mut reduced = String::with_capacity(s.len());
    let mut origin = Vec::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut copies = 1;
        let mut look = chars.clone();
        while look.next_if(|&(_, d)| d == c).is_some() {
            copies += 1;
        }
        reduced.push(c);
        origin.extend(i..i + c.len_utf8());
        if copies >= 3 {
            for _ in 1..copies {
                chars.next();
            }
        }
    }
    (reduced, origin)
}

// ---- runs by script --------------------------------------------------------------------

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{0E50}'..='\u{0E59}').contains(&c)
}

/// Joins a symbol to the one before it: variation selectors, skin tones, joiners.
fn is_symbol_extender(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{200D}' | '\u{20E3}' | '\u{E0020}'..='\u{E007F}')
        || unicode_mark(c)
        // A Thai mark typed after an emoji cannot start a word; it stays with the emoji.
        || cannot_start_word(c)
}

/// Combining marks outside Thai (accents typed as separate characters).
fn unicode_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Cuts text into runs of one script or kind; Thai runs are segmented afterwards.
fn runs(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = char_at(text, i) {
        let start = i;
        let take_while = |mut j: usize, f: &dyn Fn(char) -> bool| {
            while let Some(d) = char_at(text, j).filter(|&d| f(d)) {
                j += d.len_utf8();
            }
            j
        };
        let (end, kind) = if is_thai_letter(c) {
            // A stray combining mark at the start still belongs to the Thai run.
            (take_while(i, &is_thai_letter), TokenKind::Thai)
        } else if matches!(c, 'ๆ' | 'ฯ') {
            // The repetition and abbreviation marks are words of their own.
            (i + c.len_utf8(), TokenKind::Symbol)
        } else if c.is_whitespace() {
            (take_while(i, &char::is_whitespace), TokenKind::Space)
        } else if let Some(end) = url_end(text, i) {
            (end, TokenKind::Url)
        } else if is_digit(c) {
            let end = number_end(text, i);
            // Digits run straight into Latin letters (4u2, 3D) make one alphanumeric word.
            match char_at(text, end) {
                Some(d) if d.is_ascii_alphabetic() => (latin_end(text, end), TokenKind::Latin),
                _ => (end, TokenKind::Number),
            }
        } else if c.is_alphabetic() {
            (latin_end(text, i), TokenKind::Latin)
        } else if c == '.' {
            // An ellipsis typed as dots is one token.
            (take_while(i, &|d| d == '.'), TokenKind::Symbol)
        } else {
            (
                take_while(i + c.len_utf8(), &is_symbol_extender),
                TokenKind::Symbol,
            )
        };
        out.push(Token {
            range: start..end,
            kind,
        });
        i = end;
    }
    out
}

/// A number with its inner separators: 1,500 / 2.5 / 09.00 / 12:30 / ๒๕๖๖.
fn number_end(text: &str, start: usize) -> usize {
    let mut j = start;
    loop {
        while let Some(d) = char_at(text, j).filter(|&d| is_digit(d)) {
            j += d.len_utf8();
        }
        match (char_at(text, j), char_at(text, j + 1)) {
            (Some(',' | '.' | ':'), Some(d)) if is_digit(d) => j += 1,
            _ => return j,
        }
    }
}

/// A Latin word: letters and digits, with inner apostrophes (don't). Words run together
/// in hashtags split where a capital follows a small letter or digit (GOT7Official).
fn latin_end(text: &str, start: usize) -> usize {
    let word = |d: char| (d.is_alphanumeric() && !is_thai_block(d)) || unicode_mark(d) || d == '_';
    let mut j = start;
    let mut prev: Option<char> = None;
    loop {
        while let Some(d) = char_at(text, j).filter(|&d| word(d)) {
            let camel_hump = d.is_uppercase()
                && prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                && char_at(text, j + d.len_utf8()).is_some_and(char::is_lowercase);
            if camel_hump && j > start {
                return j;
            }
            prev = Some(d);
            j += d.len_utf8();
        }
        match (char_at(text, j), char_at(text, j + 1)) {
            (Some('\'' | '’'), Some(d)) if d.is_alphabetic() && !is_thai_letter(d) => {
                j += char_at(text, j).map_or(1, char::len_utf8)
            }
            _ => return j,
        }
    }
}

fn is_thai_block(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// The end of a URL or e-mail address starting at `start`, if one does.
fn url_end(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start..];
    let head = &rest.as_bytes()[..rest.len().min(8)];
    let starts = |p: &[u8]| head.len() >= p.len() && head[..p.len()].eq_ignore_ascii_case(p);
    if !(starts(b"http://") || starts(b"https://") || starts(b"www.")) {
        return None;
    }
    let len = rest
        .char_indices()
        .find(|&(_, c)| {
            c.is_whitespace() || !c.is_ascii() || matches!(c, '"' | '<' | '>' | ')' | ']')
        })
        .map_or(rest.len(), |(i, _)| i);
    // A sentence's full stop or comma after a URL is not part of it.
    let trimmed = rest[..len].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    Some(start + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn seg(text: &str) -> String {
        let s = Segmenter::builtin();
        s.tokens(text)
            .into_iter()
            .map(|r| &text[r])
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn segments_thai_words() {
        assert_eq!(seg("ชาวบ้านร่วมกันพัฒนา"), "ชาวบ้าน|ร่วม|กัน|พัฒนา");
        assert_eq!(seg("ไปโรงเรียน"), "ไป|โรงเรียน");
    }

    #[test]
    fn keeps_domain_terms_and_places_whole() {
        assert_eq!(seg("สภาองค์กรชุมชน"), "สภาองค์กรชุมชน");
        assert_eq!(seg("กองทุนสวัสดิการชุมชน"), "กองทุนสวัสดิการชุมชน");
        assert_eq!(seg("เวทีคืนข้อมูล"), "เวทีคืนข้อมูล");
        assert!(
            seg("ตำบลท่าหมื่นราม").ends_with("|ท่าหมื่นราม"),
            "{}",
            seg("ตำบลท่าหมื่นราม")
        );
    }

    #[test]
    fn separates_latin_numbers_and_symbols() {
        assert_eq!(seg("Thai PBSมา"), "Thai| |PBS|มา");
        assert_eq!(seg("จำนวน 1,500 คน"), "จำนวน| |1,500| |คน");
        assert_eq!(seg("ปี๒๕๖๖"), "ปี|๒๕๖๖");
        assert_eq!(seg("ดี!!😰😰"), "ดี|!|!|😰|😰");
        assert_eq!(seg("รอ...."), "รอ|....");
        assert_eq!(
            seg("ดูที่ https://example.org/a?b=1."),
            "ดู|ที่| |https://example.org/a?b=1|."
        );
        assert_eq!(seg("ช้าๆ"), "ช้า|ๆ");
    }

    #[test]
    fn keeps_repeated_letters_with_their_word() {
        assert_eq!(seg("มากกกกก"), "มากกกกก");
        assert_eq!(seg("ดีมากกกกกเลย"), "ดี|มากกกกก|เลย");
    }

    #[test]
    fn never_cuts_inside_a_cluster() {
        for text in ["ที่นั้นน้ำเยิ้มปั้น", "กขฃคฅฆงจฉชซฌญฎฏ", "เกะกะ"]
        {
            let tokens = Segmenter::builtin().tokens(text);
            for r in &tokens[1..] {
                let before = text[..r.start].chars().last().unwrap();
                let after = text[r.start..].chars().next().unwrap();
                assert!(can_break_between(before, after), "{text}: {before}|{after}");
            }
        }
    }

    #[test]
    fn user_words_stay_whole() {
        let s = Segmenter::with_words(["บางไส้ไก่"]);
        let text = "ชุมชนบางไส้ไก่";
        let words: Vec<_> = s.words(text).collect();
        assert_eq!(words, ["ชุมชน", "บางไส้ไก่"]);
    }

    fn clauses(text: &str) -> Vec<&str> {
        Segmenter::builtin()
            .clauses(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn clauses_split_at_spaces_but_not_inside_dates_numbers_or_abbreviations() {
        assert_eq!(
            clauses("เมื่อวันศุกร์ที่ 31 มีนาคม 2566 ณ ที่ทำการสภาองค์กรชุมชน มีผู้เข้าร่วมจำนวน 25 คน"),
            [
                "เมื่อวันศุกร์ที่ 31 มีนาคม 2566 ณ",
                "ที่ทำการสภาองค์กรชุมชน",
                "มีผู้เข้าร่วมจำนวน 25 คน"
            ]
        );
        assert_eq!(
            clauses("ตำบลพระแท่น จ. กาญจนบุรี ประจำปี พ.ศ. 2566"),
            ["ตำบลพระแท่น", "จ. กาญจนบุรี", "ประจำปี พ.ศ. 2566"]
        );
        assert_eq!(clauses("ประเด็นต่าง ๆ ที่น่าสนใจ"), ["ประเด็นต่าง ๆ", "ที่น่าสนใจ"]);
        assert_eq!(
            clauses("Thai PBS มาถ่ายทำ\nWHO ลงพื้นที่"),
            ["Thai PBS", "มาถ่ายทำ", "WHO", "ลงพื้นที่"]
        );
        assert_eq!(clauses("ดีมาก! ใช่ไหม?"), ["ดีมาก!", "ใช่ไหม?"]);
        assert_eq!(clauses("  "), Vec::<&str>::new());
    }

    fn mixed_text() -> impl Strategy<Value = String> {
        crate::thai::text_from(
            ('\u{0E01}'..='\u{0E5B}')
                .chain("ab Z09.,:'-/h\u{0301}\u{FE0F}😰\n\t!".chars())
                .collect(),
            60,
        )
    }

    proptest! {
        #[test]
        fn tokens_concatenate_to_the_input(s in mixed_text()) {
            let tokens = Segmenter::builtin().tokens(&s);
            let mut at = 0;
            for r in &tokens {
                prop_assert_eq!(r.start, at);
                prop_assert!(r.end > r.start);
                at = r.end;
            }
            prop_assert_eq!(at, s.len());
        }

        #[test]
        fn clauses_are_ordered_trimmed_and_inside_the_text(s in mixed_text()) {
            let mut last = 0;
            for r in Segmenter::builtin().clauses(&s) {
                prop_assert!(r.start >= last && r.start < r.end && r.end <= s.len());
                prop_assert_eq!(s[r.clone()].trim(), &s[r.clone()]);
                last = r.end;
            }
        }

        #[test]
        fn cuts_fall_between_clusters(s in mixed_text()) {
            for r in Segmenter::builtin().tokens(&s).iter().skip(1) {
                let before = s[..r.start].chars().last().unwrap();
                let after = s[r.start..].chars().next().unwrap();
                if is_thai_letter(before) && is_thai_letter(after) {
                    prop_assert!(can_break_between(before, after), "{}|{}", before, after);
                }
            }
        }
    }
}
