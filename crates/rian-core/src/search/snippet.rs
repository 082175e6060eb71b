//! Where a query matched inside a text, and the excerpt shown around it. Every highlight
//! starts and ends on a word boundary of the segmenter, so a match is never shown as half
//! a Thai word; offsets in results are in characters, as spans are everywhere in rian.

use super::tokens;
use serde::Serialize;
use std::ops::Range;

/// One thing to look for in a text.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// These words, one after another.
    Words(Vec<String>),
    /// These words, the last one only begun.
    Prefix(Vec<String>),
    /// This text anywhere (the fallback), widened to whole words.
    Substring(String),
}

/// Bytes of the longest word a substring may be widened to, for [`Cut::matching`]: 40
/// Thai letters, longer than any word of a dictionary.
const LONGEST_WORD: usize = 120;

/// The words of a text, cut once and shared by every pattern: all of them, or those of
/// the stretches around where the patterns may match ([`Cut::matching`]).
pub struct Cut<'t> {
    text: &'t str,
    /// Byte ranges of the words; a word's term is folded when compared (most are Thai,
    /// which folding leaves as written, so no copy of each word is made).
    words: Vec<Range<usize>>,
    /// Each stretch of text cut: the last word of one stretch and the first of the next
    /// are not neighbours in the text.
    stretches: Vec<Stretch>,
}

struct Stretch {
    /// A range of [`Cut::words`].
    words: Range<usize>,
    /// The byte range of the text.
    bytes: Range<usize>,
}

impl<'t> Cut<'t> {
    pub fn new(text: &'t str) -> Cut<'t> {
        let words = tokens::word_ranges(text);
        Cut {
            text,
            stretches: vec![Stretch {
                words: 0..words.len(),
                bytes: 0..text.len(),
            }],
            words,
        }
    }

    /// Where `patterns` match in `text`, with the words of `reach` bytes around every
    /// match: what a concordance line needs. Segmenting is most of the cost of showing a
    /// hit, and a hit's text may be a whole write-up.
    ///
    /// Stretches are widened to white space, where the segmenter's cuts do not depend on
    /// the text beyond, so their words are those of the whole text. A phrase whose words
    /// stand further apart than `reach` plus its own length is not found, and a line
    /// may show less of a word longer than [`LONGEST_WORD`]; when nothing is found in
    /// the stretches, the whole text is cut.
    pub fn matching(
        text: &'t str,
        patterns: &[Pattern],
        reach: usize,
    ) -> (Cut<'t>, Vec<Range<usize>>) {
        let near =
            Cut::likely(text, patterns, reach, reach).map(|spans| Cut::stretches(text, spans));
        Cut::found_or_whole(text, patterns, near, |_, _| true)
    }

    /// Like [`Cut::matching`], but only around the densest stretch of likely matches:
    /// what an excerpt of `reach` bytes needs. A common word stands all over a long
    /// text, and an excerpt shows one place.
    pub fn for_excerpt(
        text: &'t str,
        patterns: &[Pattern],
        reach: usize,
    ) -> (Cut<'t>, Vec<Range<usize>>) {
        // An excerpt shows a quarter of its length before its first match (`snippet`).
        let near = Cut::likely(text, patterns, reach / 4, reach).map(|spans| {
            let (mut best, mut best_n) = (0, 0);
            for (i, s) in spans.iter().enumerate() {
                let n = spans[i..]
                    .iter()
                    .take_while(|o| o.start < s.start + reach)
                    .count();
                if n > best_n {
                    (best, best_n) = (i, n);
                }
            }
            let cluster = &spans[best..best + best_n];
            let end = cluster.iter().map(|s| s.end).max().unwrap_or(text.len());
            Cut::stretches(text, std::iter::once(cluster[0].start..end).collect())
        });
        // Matches at the stretch's edges, whose excerpt would reach beyond it, are left
        // to the matches of the cluster.
        let inside = |cut: &Cut, m: &Range<usize>| {
            cut.stretches.iter().map(|s| &s.bytes).any(|w| {
                (w.start == 0 || m.start >= w.start + reach / 4)
                    && (w.end == text.len() || m.start + reach <= w.end)
            })
        };
        Cut::found_or_whole(text, patterns, near, inside)
    }

    fn found_or_whole(
        text: &'t str,
        patterns: &[Pattern],
        near: Option<Cut<'t>>,
        keep: impl Fn(&Cut, &Range<usize>) -> bool,
    ) -> (Cut<'t>, Vec<Range<usize>>) {
        if let Some(cut) = near {
            let mut found = cut.find(patterns);
            found.retain(|m| keep(&cut, m));
            if !found.is_empty() {
                return (cut, found);
            }
        }
        let cut = Cut::new(text);
        let found = cut.find(patterns);
        (cut, found)
    }

    /// The span of text around each place a pattern's first word (or substring) stands,
    /// from `lead` bytes before to `reach` after, sorted, or `None` when the whole text
    /// is as cheap to cut.
    fn likely(
        text: &str,
        patterns: &[Pattern],
        lead: usize,
        reach: usize,
    ) -> Option<Vec<Range<usize>>> {
        if text.len() <= 2 * (lead + reach + LONGEST_WORD) {
            return None;
        }
        let folded = tokens::fold_cow(text);
        if folded.len() != text.len() {
            return None;
        }
        let mut spans = Vec::new();
        for p in patterns {
            let (needle, length) = match p {
                Pattern::Words(ws) | Pattern::Prefix(ws) => (
                    ws.first().map_or("", String::as_str),
                    ws.iter().map(|w| w.len() + 1).sum(),
                ),
                Pattern::Substring(s) => (s.as_str(), s.len()),
            };
            if needle.is_empty() {
                continue;
            }
            // A match may begin before its first word's place (a substring widened to
            // the word that holds it) and end after it (a phrase).
            let (before, after) = (lead + LONGEST_WORD, reach + 2 * length + LONGEST_WORD);
            spans.extend(
                folded
                    .match_indices(needle)
                    .map(|(at, _)| at.saturating_sub(before)..(at + after).min(text.len())),
            );
        }
        if spans.is_empty() {
            return None;
        }
        spans.sort_by_key(|r| r.start);
        Some(spans)
    }

    /// The words of `spans` (sorted by start) of `text`, each widened to white space.
    fn stretches(text: &'t str, spans: Vec<Range<usize>>) -> Cut<'t> {
        let mut windows: Vec<Range<usize>> = Vec::new();
        for r in spans {
            let start = text.floor_char_boundary(r.start);
            let start = text[..start].rfind(char::is_whitespace).map_or(0, |i| {
                i + text[i..].chars().next().map_or(1, char::len_utf8)
            });
            let end = text.ceil_char_boundary(r.end);
            let end = text[end..]
                .find(char::is_whitespace)
                .map_or(text.len(), |i| end + i);
            match windows.last_mut() {
                Some(last) if start <= last.end => last.end = last.end.max(end),
                _ => windows.push(start..end),
            }
        }
        let mut words = Vec::new();
        let mut stretches = Vec::with_capacity(windows.len());
        for bytes in windows {
            let first = words.len();
            words.extend(
                tokens::word_ranges(&text[bytes.clone()])
                    .into_iter()
                    .map(|r| r.start + bytes.start..r.end + bytes.start),
            );
            stretches.push(Stretch {
                words: first..words.len(),
                bytes,
            });
        }
        Cut {
            text,
            words,
            stretches,
        }
    }

    /// Byte ranges where any of `patterns` matched, sorted, overlaps merged.
    pub fn find(&self, patterns: &[Pattern]) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        for p in patterns {
            match p {
                Pattern::Words(ws) | Pattern::Prefix(ws) if !ws.is_empty() => {
                    let prefix = matches!(p, Pattern::Prefix(_));
                    let last = ws.len() - 1;
                    for stretch in &self.stretches {
                        let words = &self.words[stretch.words.clone()];
                        for window in words.windows(ws.len()) {
                            let hit = window.iter().zip(ws).enumerate().all(|(k, (r, q))| {
                                let w = tokens::fold_cow(&self.text[r.clone()]);
                                if prefix && k == last {
                                    w.starts_with(q.as_str())
                                } else {
                                    *w == **q
                                }
                            });
                            if hit {
                                found.push(window[0].start..window[last].end);
                            }
                        }
                    }
                }
                Pattern::Substring(s) if !s.is_empty() => {
                    let folded = tokens::fold(self.text);
                    // Folding keeps byte offsets unless a letter changes length; then match
                    // the text as written.
                    let hay = if folded.len() == self.text.len() {
                        folded.as_str()
                    } else {
                        self.text
                    };
                    for (at, _) in hay.match_indices(s.as_str()) {
                        found.push(self.widen(at..at + s.len()));
                    }
                }
                _ => {}
            }
        }
        found.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(found.len());
        for r in found {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// `r` widened to the words it touches.
    fn widen(&self, r: Range<usize>) -> Range<usize> {
        let first = self.words.partition_point(|w| w.end <= r.start);
        let last = self.words.partition_point(|w| w.start < r.end);
        let start = self
            .words
            .get(first)
            .map_or(r.start, |w| w.start.min(r.start));
        let end = last
            .checked_sub(1)
            .and_then(|i| self.words.get(i))
            .map_or(r.end, |w| w.end.max(r.end));
        start..end
    }

    /// The word boundary at or before byte `at`.
    fn boundary_before(&self, at: usize) -> usize {
        let i = self.words.partition_point(|w| w.end <= at);
        match self.words.get(i) {
            Some(w) if w.start < at => w.start,
            _ => at,
        }
    }

    /// The word boundary at or after byte `at`.
    fn boundary_after(&self, at: usize) -> usize {
        let i = self.words.partition_point(|w| w.end <= at);
        match self.words.get(i) {
            Some(w) if w.start < at => w.end,
            _ => at,
        }
    }
}

/// An excerpt of a text around what matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Highlights, as character ranges in `text`.
    pub marks: Vec<Range<usize>>,
    /// Where `text` starts in the whole text, in characters.
    pub offset: usize,
    /// Whether text was left out before and after.
    pub cut_before: bool,
    pub cut_after: bool,
}

impl Snippet {
    /// The first highlight as a character span of the whole text.
    pub fn first_match(&self) -> Option<Range<usize>> {
        self.marks
            .first()
            .map(|m| self.offset + m.start..self.offset + m.end)
    }

    /// The excerpt as pieces, each marked or not, for templates and terminals.
    pub fn pieces(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let byte = |c: usize| {
            self.text
                .char_indices()
                .nth(c)
                .map_or(self.text.len(), |(b, _)| b)
        };
        let mut at = 0;
        for m in &self.marks {
            let (s, e) = (byte(m.start), byte(m.end));
            if s > at {
                out.push((&self.text[at..s], false));
            }
            out.push((&self.text[s..e], true));
            at = e;
        }
        if at < self.text.len() {
            out.push((&self.text[at..], false));
        }
        out
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// About `width` characters of `cut`'s text around its densest stretch of `matches`,
/// starting and ending on word boundaries.
pub fn snippet(cut: &Cut<'_>, matches: &[Range<usize>], width: usize) -> Snippet {
    let text = cut.text;
    let budget = width * 3; // bytes: Thai letters take three
    // The window holding the most matches, starting at one of them.
    let (mut best, mut best_n) = (0, 0);
    for (i, m) in matches.iter().enumerate() {
        let n = matches[i..]
            .iter()
            .take_while(|o| o.end <= m.start + budget)
            .count();
        if n > best_n {
            (best, best_n) = (i, n);
        }
    }
    let (start, end) = match matches.get(best) {
        None => (
            0,
            cut.boundary_after(text.floor_char_boundary(budget.min(text.len()))),
        ),
        Some(m) => {
            let lead = budget / 4;
            let start = cut.boundary_before(text.floor_char_boundary(m.start.saturating_sub(lead)));
            let end = cut.boundary_after(
                text.floor_char_boundary((start + budget).min(text.len()))
                    .max(m.end),
            );
            (start, end)
        }
    };
    let excerpt = text[start..end].trim_end();
    let shown = chars(excerpt);
    let offset = chars(&text[..start]);
    // A match may end in white space the excerpt drops at its end: mark what is shown.
    let marks = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| {
            let s = chars(&text[start..m.start]);
            s..(s + chars(&text[m.start..m.end])).min(shown)
        })
        .filter(|m| m.start < m.end)
        .collect();
    Snippet {
        text: excerpt.to_string(),
        marks,
        offset,
        cut_before: start > 0,
        cut_after: end < text.trim_end().len(),
    }
}

/// One line of a concordance: a match with what stands left and right of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub left: String,
    pub keyword: String,
    pub right: String,
    /// The match as a character span of the whole text.
    pub span: Range<usize>,
}

/// Every match of `cut` with about `width` characters each side, cut at word boundaries
/// and at line ends.
pub fn concordance(cut: &Cut<'_>, matches: &[Range<usize>], width: usize) -> Vec<Line> {
    let text = cut.text;
    let reach = width * 3;
    let mut chars_before = 0;
    let mut counted = 0;
    matches
        .iter()
        .map(|m| {
            chars_before += chars(&text[counted..m.start]);
            counted = m.start;
            let from = cut.boundary_after(text.floor_char_boundary(m.start.saturating_sub(reach)));
            let from = text[from..m.start]
                .rfind('\n')
                .map_or(from, |i| from + i + 1);
            let to = cut.boundary_before(text.floor_char_boundary((m.end + reach).min(text.len())));
            let to = text[m.end..to].find('\n').map_or(to, |i| m.end + i);
            let keyword = &text[m.clone()];
            Line {
                left: text[from..m.start].trim_start().to_string(),
                keyword: keyword.to_string(),
                right: text[m.end..to].trim_end().to_string(),
                span: chars_before..chars_before + chars(keyword),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The highlighted pieces of an excerpt.
    fn marked(s: &Snippet) -> Vec<&str> {
        s.pieces()
            .into_iter()
            .filter(|p| p.1)
            .map(|p| p.0)
            .collect()
    }

    #[test]
    fn substring_widens_to_whole_words() {
        let text = "ชาวบ้านช่วยกันดูแลป่าชุมชน";
        let cut = Cut::new(text);
        let m = cut.find(&[Pattern::Substring("ดูแ".into())]);
        assert_eq!(&text[m[0].clone()], "ดูแล");
    }

    #[test]
    fn a_match_ending_in_white_space_is_marked_within_the_excerpt() {
        // Found by fuzzing: the excerpt drops trailing white space, the mark must too.
        let text = "ชุมชน covid\r\r";
        let cut = Cut::new(text);
        let m = cut.find(&[Pattern::Substring("covid\r".into())]);
        let s = snippet(&cut, &m, 80);
        assert_eq!(s.text, "ชุมชน covid");
        assert!(s.marks.iter().all(|r| r.end <= s.text.chars().count()));
        assert_eq!(marked(&s), ["covid"]);
    }

    #[test]
    fn an_excerpt_without_matches_ends_on_a_character_boundary() {
        // Found by fuzzing: the width fell inside a letter outside any word.
        let text = format!("{}😀😀", " ".repeat(238));
        let cut = Cut::new(&text);
        let s = snippet(&cut, &[], 80);
        assert!(s.text.is_empty() || text.starts_with(&s.text));
    }

    /// Text of words the segmenter knows and does not, Latin, digits, white space and
    /// punctuation, long enough to be cut in stretches.
    fn forum_text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "กองทุน",
            "สวัสดิการ",
            "ชุมชน",
            "แกนนำ",
            "ประชุม",
            "ผู้สูงอายุ",
            "บางไส้ไก่",
            "ทุน",
            "จ.",
            "พ.ศ.",
            "2566",
            "COVID",
            "Thai PBS",
            " ",
            " ",
            "\n",
            ", ",
            "ๆ",
            "ชาวบ้านช่วยกันดูแลป่า",
            "สภาองค์กรชุมชน",
        ]);
        prop::collection::vec(piece, 50..600).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn stretches_find_what_the_whole_text_finds(
            text in forum_text(),
            query in prop::collection::vec(
                prop::sample::select(vec!["กองทุน", "ชุมชน", "ทุน", "covid", "แกนนำ", "บางไส้ไก่"]),
                1..4,
            ),
            reach in prop::sample::select(vec![60usize, 240, 480]),
        ) {
            let words: Vec<String> = query.iter().map(|w| w.to_string()).collect();
            let patterns = [
                Pattern::Words(words.clone()),
                Pattern::Words(vec![words[0].clone()]),
                Pattern::Prefix(words.clone()),
                Pattern::Substring(words.concat()),
            ];
            for ps in [&patterns[..], &patterns[..1], &patterns[3..]] {
                let whole = Cut::new(&text);
                let expected = whole.find(ps);
                let (cut, found) = Cut::matching(&text, ps, reach);
                prop_assert_eq!(&found, &expected);
                prop_assert_eq!(
                    concordance(&cut, &found, reach / 3),
                    concordance(&whole, &expected, reach / 3)
                );
                // An excerpt marks what the whole text matches (two matches that overlap
                // are one range, and one of them may lie outside the stretch), and
                // starts on one of the whole text's word boundaries.
                let (cut, found) = Cut::for_excerpt(&text, ps, reach);
                prop_assert_eq!(found.is_empty(), expected.is_empty());
                for m in &found {
                    prop_assert!(
                        expected.iter().any(|e| e.start <= m.start && m.end <= e.end),
                        "{:?} not in {:?}", m, expected
                    );
                }
                let shown = snippet(&cut, &found, reach / 3);
                let start = text
                    .char_indices()
                    .nth(shown.offset)
                    .map_or(text.len(), |(b, _)| b);
                prop_assert!(!whole.words.iter().any(|w| w.start < start && start < w.end));
            }
        }
    }

    #[test]
    fn a_long_text_is_cut_only_around_its_matches() {
        let filler = "ชาวบ้านช่วยกันดูแลป่า ".repeat(200);
        let text = format!("{filler}แกนนำชุมชน {filler}");
        let whole = Cut::new(&text).words.len();
        let leaders = [Pattern::Words(vec!["แกนนำ".into()])];
        let (cut, found) = Cut::matching(&text, &leaders, 240);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].clone()], "แกนนำ");
        assert!(cut.words.len() * 10 < whole);
        // A word all over the text: the excerpt's words are those of one place.
        let forest = [Pattern::Words(vec!["ป่า".into()])];
        let (cut, found) = Cut::matching(&text, &forest, 240);
        assert_eq!(found.len(), 400);
        assert_eq!(cut.words.len(), whole);
        let (cut, found) = Cut::for_excerpt(&text, &forest, 240);
        assert!(!found.is_empty() && cut.words.len() * 10 < whole);
    }

    #[test]
    fn snippet_marks_the_words() {
        let text = "กองทุนสวัสดิการชุมชนช่วยสมาชิก ".repeat(20) + "ปลายทาง";
        let cut = Cut::new(&text);
        let m = cut.find(&[Pattern::Words(vec!["ปลายทาง".into()])]);
        let s = snippet(&cut, &m, 60);
        assert!(s.cut_before && !s.cut_after);
        assert_eq!(marked(&s), ["ปลายทาง"]);
        let span = s.first_match().unwrap();
        let found: String = text.chars().skip(span.start).take(span.len()).collect();
        assert_eq!(found, "ปลายทาง");
    }
}
