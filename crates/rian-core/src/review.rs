//! Review: a person accepts or rejects rian's suggestions, one or all of a code at once,
//! and codes what rian missed. Each is an edit ([`crate::edit`]): logged and undoable.

use crate::access::Author;
use crate::edit::Changes;
use crate::model::{Coding, CodingStatus, Record, Span};
use crate::store::Store;
use crate::{Error, Result};

/// Who made a change, as the activity log names them. Single-user mode has one person.
pub const LOCAL_USER: &str = "local";

/// Sets the status of codings (accept or reject suggestions), as one batch of changes.
/// Returns how many changed.
pub async fn set_status(
    store: &Store,
    coding_ids: &[i64],
    status: CodingStatus,
    actor: &(impl Author + ?Sized),
) -> Result<usize> {
    let mut changes = Changes::begin(store, actor).await?;
    let mut changed = 0;
    for &id in coding_ids {
        let coding: Coding = changes.get(id).await?;
        if coding.status != status {
            changes
                .update(Record::Coding(Coding { status, ..coding }))
                .await?;
            changed += 1;
        }
    }
    changes.commit().await?;
    Ok(changed)
}

/// Codes a passage by hand. The span (character offsets into the document's text) is
/// widened to whole words, so that a selection never splits a word or a character
/// cluster. Returns the new coding's id.
pub async fn add_coding(
    store: &Store,
    document_id: i64,
    code_id: i64,
    span: Span,
    actor: &(impl Author + ?Sized),
) -> Result<i64> {
    let document = store.document(document_id).await?;
    let span = snap_to_words(&document.text, span).ok_or(Error::InvalidSpan {
        start: span.start,
        end: span.end,
    })?;
    crate::edit::create(
        store,
        actor,
        Record::Coding(Coding {
            id: 0,
            document_id,
            code_id,
            span,
            coder: actor.actor().to_string(),
            status: CodingStatus::Accepted,
            memo: None,
            cue: None,
        }),
    )
    .await
}

/// Widens a character span to the words it touches; None if it is empty or outside.
pub fn snap_to_words(text: &str, span: Span) -> Option<Span> {
    let chars = text.chars().count() as i64;
    if span.start < 0 || span.end > chars || span.start >= span.end {
        return None;
    }
    let byte_of = |c: i64| {
        text.char_indices()
            .nth(c as usize)
            .map_or(text.len(), |(i, _)| i)
    };
    let (start, end) = (byte_of(span.start), byte_of(span.end));
    let tokens = crate::thai::segment::Segmenter::builtin().tokens(text);
    let start = tokens
        .iter()
        .find(|t| t.start <= start && start < t.end)
        .map_or(start, |t| t.start);
    let end = tokens
        .iter()
        .find(|t| t.start < end && end <= t.end)
        .map_or(end, |t| t.end);
    let trimmed = text[start..end].trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = start + text[start..end].find(trimmed).unwrap_or(0);
    let r = crate::thai::char_span(text, start..start + trimmed.len());
    Some(Span {
        start: r.start as i64,
        end: r.end as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Span;

    fn quote(text: &str, s: Span) -> String {
        text.chars()
            .skip(s.start as usize)
            .take((s.end - s.start) as usize)
            .collect()
    }

    #[test]
    fn selections_widen_to_whole_words() {
        let text = "ชุมชนมีกองทุนสวัสดิการชุมชน ช่วยสมาชิก";
        // "นมีกองท": from inside ชุมชน to inside the fund's name.
        let s = snap_to_words(text, Span { start: 4, end: 11 }).unwrap();
        assert_eq!(quote(text, s), "ชุมชนมีกองทุนสวัสดิการชุมชน");
        // White space around a selection is not part of it.
        let s = snap_to_words(text, Span { start: 27, end: 29 }).unwrap();
        assert_eq!(quote(text, s), "ช่วย");
        assert_eq!(snap_to_words(text, Span { start: 5, end: 5 }), None);
        assert_eq!(snap_to_words(text, Span { start: 0, end: 999 }), None);
        // Only white space selected: nothing to code.
        assert_eq!(snap_to_words(text, Span { start: 27, end: 28 }), None);
    }
}
