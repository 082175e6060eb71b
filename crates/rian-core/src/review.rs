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
