//! Review: a person accepts or rejects rian's suggestions, one or all of a code at once,
//! and can undo what they did. Every change is written with its entry in the activity log,
//! in one transaction.

use crate::model::CodingStatus;
use crate::store::Store;
use crate::{Error, Result};

/// Who made a change, as the activity log names them. Single-user mode has one person.
pub const LOCAL_USER: &str = "local";

/// Sets the status of codings (accept or reject suggestions). Returns how many changed.
pub async fn set_status(
    store: &Store,
    coding_ids: &[i64],
    status: CodingStatus,
    actor: &str,
) -> Result<usize> {
    let mut tx = store.begin().await?;
    let mut batch = None;
    let mut changed = 0;
    for &id in coding_ids {
        let (study_id, before) = tx.coding_study_and_status(id).await?;
        if before == status {
            continue;
        }
        tx.set_coding_status(id, status).await?;
        let entry = tx
            .log_activity(
                study_id,
                batch,
                actor,
                "set_status",
                "coding",
                id,
                Some(before.as_str()),
                Some(status.as_str()),
            )
            .await?;
        batch.get_or_insert(entry);
        changed += 1;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Undoes the last change (or batch of changes made together) in a study that is not
/// undone yet. Returns how many entries it reverted; 0 if there was nothing to undo.
pub async fn undo_last(store: &Store, study_id: i64) -> Result<usize> {
    let mut tx = store.begin().await?;
    let entries = tx.last_activity_batch(study_id).await?;
    for e in &entries {
        match (e.action.as_str(), e.entity.as_str()) {
            ("add", "coding") => tx.delete_coding(e.entity_id).await?,
            ("set_status", "coding") => {
                let before: CodingStatus = e
                    .before
                    .as_deref()
                    .ok_or_else(|| Error::Corrupt(format!("activity {} has no before", e.id)))?
                    .parse()?;
                tx.set_coding_status(e.entity_id, before).await?;
            }
            (action, entity) => {
                return Err(Error::Corrupt(format!(
                    "activity {}: cannot undo {action} on {entity}",
                    e.id
                )));
            }
        }
        tx.mark_undone(e.id).await?;
    }
    tx.commit().await?;
    Ok(entries.len())
}

/// Codes a passage by hand. The span (character offsets into the document's text) is
/// widened to whole words, so that a selection never splits a word or a character
/// cluster. Returns the new coding's id.
pub async fn add_coding(
    store: &Store,
    document_id: i64,
    code_id: i64,
    span: crate::model::Span,
    actor: &str,
) -> Result<i64> {
    let document = store.document(document_id).await?;
    let span = snap_to_words(&document.text, span).ok_or(Error::InvalidSpan {
        start: span.start,
        end: span.end,
    })?;
    let forum = store.forum(document.forum_id).await?;
    let study_id = store.site(forum.site_id).await?.study_id;
    if !store.codes(study_id).await?.iter().any(|c| c.id == code_id) {
        return Err(Error::NotFound {
            what_th: "รหัสในสมุดรหัสของการศึกษานี้",
            what_en: "code in this study's codebook",
            id: code_id,
        });
    }
    let mut tx = store.begin().await?;
    let id = tx
        .insert_coding(&crate::model::Coding {
            id: 0,
            document_id,
            code_id,
            span,
            coder: actor.to_string(),
            status: CodingStatus::Accepted,
            memo: None,
            cue: None,
        })
        .await?;
    tx.log_activity(
        study_id,
        None,
        actor,
        "add",
        "coding",
        id,
        None,
        Some(&id.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Widens a character span to the words it touches; None if it is empty or outside.
pub fn snap_to_words(text: &str, span: crate::model::Span) -> Option<crate::model::Span> {
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
    Some(crate::model::Span {
        start: r.start as i64,
        end: r.end as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

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
