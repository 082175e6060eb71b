//! Revising a document's text without losing what was coded on it: after the data-return
//! forum a community corrects a name, a figure, a sentence; every coding, fact, SWOT item
//! and tie that points into the text moves with the words it covers. A coding whose words
//! were all removed is kept, marked detached, with the words it covered, for a person to
//! review; nothing is dropped silently.
//!
//! The old and new texts are compared word by word (the Thai segmenter's tokens, so an
//! edit does not match stray letters across words), and inside a replaced run of words
//! character by character, so a word corrected by one letter keeps its place.

use super::Changes;
use crate::access::Author;
use crate::model::*;
use crate::thai::segment::Segmenter;
use crate::{Error, Result};
use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};
use std::time::{Duration, Instant};

/// How long one comparison may search before it settles for a coarser answer (a few very
/// long, heavily rewritten transcripts; normal corrections take milliseconds).
const DIFF_DEADLINE: Duration = Duration::from_secs(2);

/// Where each character of an old text is in the new one.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanMap {
    /// For each character of the old text, its index in the new text if it was kept.
    to_new: Vec<Option<usize>>,
    /// For each old index (and one past the end), the new index of the first kept
    /// character at or after it: where removed text used to be.
    after: Vec<usize>,
}

impl SpanMap {
    /// The span covering what is left of `span`'s words; None if none of them are left.
    pub fn map(&self, span: Span) -> Option<Span> {
        let (start, end) = (span.start.max(0) as usize, span.end.max(0) as usize);
        let kept = self.to_new.get(start..end.min(self.to_new.len()))?;
        let first = kept.iter().flatten().next()?;
        let last = kept.iter().rev().flatten().next()?;
        Some(Span {
            start: *first as i64,
            end: *last as i64 + 1,
        })
    }

    /// Where `span` of `old` is in `new`: where its words went; but where those words no
    /// longer read as they did while the very same words stand elsewhere (a comparison can
    /// pair a short word across a passage that moved), at the nearest place they stand.
    pub fn follow(&self, old: &[char], new: &[char], span: Span) -> Option<Span> {
        let (start, end) = (span.start.max(0) as usize, span.end.max(0) as usize);
        let quote = old.get(start..end.min(old.len()))?;
        let mapped = self.map(span);
        let reads = |s: Span| new.get(s.start as usize..s.end as usize) == Some(quote);
        if mapped.is_some_and(reads) || quote.is_empty() {
            return mapped;
        }
        let near = mapped.map_or(self.position(start), |m| m.start as usize);
        let found = new
            .windows(quote.len())
            .enumerate()
            .filter(|(_, w)| *w == quote)
            .map(|(at, _)| at)
            .min_by_key(|at| at.abs_diff(near));
        match found {
            Some(at) => Some(Span {
                start: at as i64,
                end: (at + quote.len()) as i64,
            }),
            None => mapped,
        }
    }

    /// Where the text at an old position continues in the new text.
    pub fn position(&self, old: usize) -> usize {
        self.after[old.min(self.after.len() - 1)]
    }
}

/// Compares two texts and says where each old character went.
pub fn span_map(old: &str, new: &str) -> SpanMap {
    let segmenter = Segmenter::builtin();
    let (old_words, old_at, old_len) = words(segmenter, old);
    let (new_words, new_at, new_len) = words(segmenter, new);
    let mut to_new = vec![None; old_len];
    let deadline = Some(Instant::now() + DIFF_DEADLINE);
    // Patience anchors on words found once in each text, so a passage's words are matched
    // before the particles that recur everywhere; white space takes no part.
    for op in capture_diff_slices_deadline(Algorithm::Patience, &old_words, &new_words, deadline) {
        let (tag, a, b) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (o, n) in a.zip(b) {
                    for k in 0..old_words[o].chars().count() {
                        to_new[old_at[o] + k] = Some(new_at[n] + k);
                    }
                }
            }
            DiffTag::Replace => {
                // Letter by letter inside the replaced words, so a word corrected by one
                // letter keeps its place.
                let letters = |words: &[&str], at: &[usize], range: std::ops::Range<usize>| {
                    let mut chars = Vec::new();
                    let mut places = Vec::new();
                    for w in range {
                        for (k, c) in words[w].chars().enumerate() {
                            chars.push(c);
                            places.push(at[w] + k);
                        }
                    }
                    (chars, places)
                };
                let (old_chars, old_places) = letters(&old_words, &old_at, a);
                let (new_chars, new_places) = letters(&new_words, &new_at, b);
                for op in
                    capture_diff_slices_deadline(Algorithm::Myers, &old_chars, &new_chars, deadline)
                {
                    let (tag, x, y) = op.as_tag_tuple();
                    if tag == DiffTag::Equal {
                        for (i, j) in x.zip(y) {
                            to_new[old_places[i]] = Some(new_places[j]);
                        }
                    }
                }
            }
            DiffTag::Delete | DiffTag::Insert => {}
        }
    }
    let mut after = vec![new_len; old_len + 1];
    for i in (0..old_len).rev() {
        after[i] = to_new[i].unwrap_or(after[i + 1]);
    }
    SpanMap { to_new, after }
}

/// The words of a text (every token but white space), the character index where each
/// starts, and the text's length in characters.
fn words<'t>(segmenter: &Segmenter, text: &'t str) -> (Vec<&'t str>, Vec<usize>, usize) {
    let (mut words, mut at) = (Vec::new(), Vec::new());
    let mut chars = 0;
    for range in segmenter.tokens(text) {
        let token = &text[range];
        if !token.trim().is_empty() {
            words.push(token);
            at.push(chars);
        }
        chars += token.chars().count();
    }
    (words, at, chars)
}

/// What a revision did to the record over the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Revision {
    /// Codings, facts, SWOT items and ties whose span moved or changed length.
    pub moved: usize,
    /// Codings whose words were all removed: kept, marked detached, to be reviewed.
    pub detached: Vec<i64>,
    /// Facts, SWOT items and ties that kept their content but lost the passage they
    /// pointed to (their span is cleared).
    pub evidence_cleared: usize,
}

impl Changes {
    /// Replaces a document's text with `text` (normalized like an import), moving every
    /// span in it; all in this batch, so one undo puts the text and the spans back.
    pub async fn revise_text(&mut self, document_id: i64, text: &str) -> Result<Revision> {
        let new = crate::thai::normalize(text);
        let before: DocumentText = self.get(document_id).await?;
        let mut out = Revision::default();
        if before.text == new {
            return Ok(out);
        }
        let map = span_map(&before.text, &new);
        let new_chars: Vec<char> = new.chars().collect();
        let new_len = new_chars.len() as i64;
        self.update(Record::DocumentText(DocumentText {
            id: document_id,
            text: new,
        }))
        .await?;
        let old_chars: Vec<char> = before.text.chars().collect();
        let follow = |s: Span| map.follow(&old_chars, &new_chars, s);
        let quote = |s: Span| -> String {
            let end = (s.end.max(0) as usize).min(old_chars.len());
            let start = (s.start.max(0) as usize).min(end);
            old_chars[start..end].iter().collect()
        };

        for id in self
            .tx
            .ids_where(Entity::Coding, "document_id", document_id)
            .await?
        {
            let c: Coding = self.get(id).await?;
            if c.status == CodingStatus::Detached {
                continue;
            }
            match follow(c.span) {
                Some(span) if span == c.span => {}
                Some(span) => {
                    self.update(Record::Coding(Coding { span, ..c })).await?;
                    out.moved += 1;
                }
                None => {
                    // Kept where its words were, one character wide, until a person
                    // places it again or deletes it.
                    let at = (map.position(c.span.start.max(0) as usize) as i64)
                        .min(new_len - 1)
                        .max(0);
                    self.detach_coding(id, &quote(c.span), c.status).await?;
                    self.update(Record::Coding(Coding {
                        span: Span {
                            start: at,
                            end: at + 1,
                        },
                        status: CodingStatus::Detached,
                        ..c
                    }))
                    .await?;
                    out.detached.push(id);
                }
            }
        }
        for id in self
            .tx
            .ids_where(Entity::Fact, "document_id", document_id)
            .await?
        {
            let f: Fact = self.get(id).await?;
            if let Some((span, cleared)) = moved(follow, f.span) {
                out.count(cleared);
                self.update(Record::Fact(Fact { span, ..f })).await?;
            }
        }
        for id in self
            .tx
            .ids_where(Entity::SwotItem, "document_id", document_id)
            .await?
        {
            let s: SwotItem = self.get(id).await?;
            if let Some((span, cleared)) = moved(follow, s.span) {
                out.count(cleared);
                self.update(Record::SwotItem(SwotItem { span, ..s }))
                    .await?;
            }
        }
        for id in self
            .tx
            .ids_where(Entity::Tie, "document_id", document_id)
            .await?
        {
            let t: Tie = self.get(id).await?;
            if let Some((span, cleared)) = moved(follow, t.span) {
                out.count(cleared);
                self.update(Record::Tie(Tie { span, ..t })).await?;
            }
        }
        Ok(out)
    }

    /// Codings marked detached by a revision, with the words they covered.
    async fn detach_coding(
        &mut self,
        coding_id: i64,
        removed: &str,
        previous: CodingStatus,
    ) -> Result<()> {
        self.tx
            .record_detached(coding_id, removed, previous.as_str())
            .await
    }
}

impl Revision {
    fn count(&mut self, cleared: bool) {
        if cleared {
            self.evidence_cleared += 1;
        } else {
            self.moved += 1;
        }
    }
}

/// An optional span after the revision, if it changes: (the new span, whether it was
/// cleared because its words are gone).
fn moved(
    follow: impl Fn(Span) -> Option<Span>,
    span: Option<Span>,
) -> Option<(Option<Span>, bool)> {
    let old = span?;
    match follow(old) {
        Some(new) if new == old => None,
        Some(new) => Some((Some(new), false)),
        None => Some((None, true)),
    }
}

/// One revision, written as its own batch (undone as one).
pub async fn revise_text(
    store: &crate::store::Store,
    actor: &(impl Author + ?Sized),
    document_id: i64,
    text: &str,
) -> Result<Revision> {
    revise_text_from(store, actor, document_id, text, None).await
}

/// As [`revise_text`], refused as a [`Error::Conflict`] when the text is no longer the one
/// the person revised (`base`, its [`super::version_of`]): two people revising the same
/// document at once do not overwrite each other.
pub async fn revise_text_from(
    store: &crate::store::Store,
    actor: &(impl Author + ?Sized),
    document_id: i64,
    text: &str,
    base: Option<&str>,
) -> Result<Revision> {
    check_revision(text)?;
    if let Some(base) = base.map(str::trim).filter(|b| !b.is_empty()) {
        let now: DocumentText = store.get(document_id).await?;
        let current = super::version_of(&Record::DocumentText(now));
        if current != base {
            return Err(Error::Conflict { current });
        }
    }
    let forum_id = store.document(document_id).await?.forum_id;
    if store.record_state(forum_id).await? == RecordState::Final {
        return Err(Error::Invalid {
            field: "text",
            th: "บันทึกของเวทีนี้เป็นฉบับสมบูรณ์แล้ว เปิดแก้ไขใหม่ที่หน้าเวทีก่อน".into(),
            en: "this forum's record is final: reopen it on the forum page first".into(),
        });
    }
    let mut changes = Changes::begin(store, actor).await?;
    let revision = changes.revise_text(document_id, text).await?;
    changes.commit().await?;
    Ok(revision)
}

/// Refuses an empty revision before anything is written.
pub fn check_revision(text: &str) -> Result<()> {
    if crate::thai::normalize(text).trim().is_empty() {
        return Err(Error::Invalid {
            field: "text",
            th: "ข้อความของเอกสารว่างไม่ได้".into(),
            en: "a document's text cannot be empty".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn quote(text: &str, s: Span) -> String {
        text.chars()
            .skip(s.start as usize)
            .take((s.end - s.start) as usize)
            .collect()
    }

    fn span_of(text: &str, words: &str) -> Span {
        let at = text.find(words).unwrap();
        let start = text[..at].chars().count() as i64;
        Span {
            start,
            end: start + words.chars().count() as i64,
        }
    }

    #[test]
    fn a_passage_moves_with_an_edit_before_it() {
        let old = "ชุมชนมีกองทุนสวัสดิการ ผู้นำเสียสละ";
        let new = "ชุมชนบางไส้ไก่มีกองทุนสวัสดิการ ผู้นำเสียสละ";
        let span = span_of(old, "ผู้นำเสียสละ");
        let moved = span_map(old, new).map(span).unwrap();
        assert_eq!(quote(new, moved), "ผู้นำเสียสละ");
    }

    #[test]
    fn a_corrected_figure_inside_a_passage_stays_covered() {
        let old = "ความร่วมมือขยายไปถึง 43 ชุมชน และเครือข่าย 30 เครือข่าย";
        let new = "ความร่วมมือขยายไปถึง 45 ชุมชน และเครือข่าย 30 เครือข่าย";
        let span = span_of(old, "ขยายไปถึง 43 ชุมชน");
        let moved = span_map(old, new).map(span).unwrap();
        assert_eq!(quote(new, moved), "ขยายไปถึง 45 ชุมชน");
    }

    #[test]
    fn a_removed_passage_maps_to_nothing_and_is_placed_where_it_was() {
        let old = "ก่อนหน้า ประโยคที่ถูกลบทั้งหมด หลังจากนั้น";
        let new = "ก่อนหน้า หลังจากนั้น";
        let map = span_map(old, new);
        let span = span_of(old, "ประโยคที่ถูกลบทั้งหมด");
        assert_eq!(map.map(span), None);
        let at = map.position(span.start as usize);
        assert!(
            new.chars()
                .skip(at)
                .collect::<String>()
                .starts_with("หลังจากนั้น")
        );
    }

    #[test]
    fn text_typed_inside_a_passage_joins_it() {
        let old = "กองทุนช่วยสมาชิก";
        let new = "กองทุนสวัสดิการช่วยสมาชิก";
        let moved = span_map(old, new).map(Span { start: 0, end: 16 }).unwrap();
        assert_eq!(quote(new, moved), new);
    }

    proptest! {
        // An edit outside a passage leaves its words exactly as they were.
        #[test]
        fn edits_elsewhere_keep_a_passage_word_for_word(
            before in "[ก-ฮะ-ู เ-ไ]{0,40}",
            passage in "[ก-ฮ]{1,6}(ชุมชน|กองทุน|เครือข่าย)[ก-ฮ]{1,6}",
            after in "[ก-ฮะ-ู เ-ไ]{0,40}",
            inserted in "[ก-ฮ0-9 ]{0,20}",
            cut in 0usize..40,
        ) {
            let old = format!("{before}|{passage}|{after}");
            let span = Span {
                start: before.chars().count() as i64 + 1,
                end: (before.chars().count() + 1 + passage.chars().count()) as i64,
            };
            // Insert text in the part after the passage, and remove some of the part before.
            let keep_before: String = before.chars().skip(cut.min(before.chars().count())).collect();
            let new = format!("{keep_before}|{passage}|{inserted}{after}");
            let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
            let moved = span_map(&old, &new).follow(&o, &n, span);
            prop_assert_eq!(moved.map(|s| quote(&new, s)), Some(passage.clone()));
        }

        // Any revision maps every span inside the new text, or to nothing.
        #[test]
        fn mapped_spans_lie_inside_the_new_text(
            old in "[ก-ฮ ะ-ู]{1,60}",
            new in "[ก-ฮ ะ-ู]{1,60}",
            a in 0usize..60,
            b in 1usize..60,
        ) {
            let n = old.chars().count();
            let start = a % n;
            let end = (start + b).min(n).max(start + 1);
            let span = Span { start: start as i64, end: end as i64 };
            if let Some(m) = span_map(&old, &new).map(span) {
                prop_assert!(m.start >= 0 && m.start < m.end);
                prop_assert!(m.end as usize <= new.chars().count());
            }
        }
    }
}
