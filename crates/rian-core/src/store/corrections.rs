//! The correction round's reads and steps: codings a text revision detached, a forum
//! record's steps (draft → checked → final), and the community's corrections (migration
//! 0008). Revisions and corrections themselves are written through `edit`.

use super::{Store, Tx, rows};
use crate::model::*;
use crate::{Error, Result};
use sqlx::Row;

/// A coding whose words a revision removed, with those words.
#[derive(Debug, Clone, PartialEq)]
pub struct DetachedCoding {
    pub coding: Coding,
    pub removed_text: String,
    pub previous_status: CodingStatus,
}

impl Store {
    /// The document's codings that are detached now, in the order they were made.
    pub async fn detached_codings(&self, document_id: i64) -> Result<Vec<DetachedCoding>> {
        let rows = sqlx::query(
            "SELECT c.*, d.removed_text AS removed_text, d.previous_status AS previous_status
             FROM coding c JOIN detached_coding d ON d.coding_id = c.id
             WHERE c.document_id = $1 AND c.status = 'detached' ORDER BY c.id",
        )
        .bind(document_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DetachedCoding {
                    coding: rows::coding(r)?,
                    removed_text: r.try_get("removed_text")?,
                    previous_status: rows::parse(r, "previous_status")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// A forum record's steps, oldest first.
    pub async fn record_steps(&self, forum_id: i64) -> Result<Vec<RecordStep>> {
        let rows = sqlx::query("SELECT * FROM forum_record_step WHERE forum_id = $1 ORDER BY id")
            .bind(forum_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(RecordStep {
                    id: r.try_get("id")?,
                    forum_id: r.try_get("forum_id")?,
                    state: rows::parse(r, "state")?,
                    actor: r.try_get("actor")?,
                    note: r.try_get("note")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// Where a forum's record stands: its last step, or draft.
    pub async fn record_state(&self, forum_id: i64) -> Result<RecordState> {
        Ok(self
            .record_steps(forum_id)
            .await?
            .last()
            .map_or(RecordState::Draft, |s| s.state))
    }

    /// Moves a forum's record to `state`, if that is a step it may take from where it is;
    /// the step is appended to its history with who took it and why.
    pub async fn step_record(
        &self,
        forum_id: i64,
        state: RecordState,
        actor: &str,
        note: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT state FROM forum_record_step WHERE forum_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(forum_id)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let now: RecordState = match row {
            Some(r) => rows::parse(&r, "state")?,
            None => RecordState::Draft,
        };
        tx.study_of(Entity::Forum, forum_id).await?;
        if !now.next().contains(&state) {
            return Err(Error::Invalid {
                field: "state",
                th: format!(
                    "บันทึกที่เป็น\"{}\" เปลี่ยนเป็น\"{}\" ไม่ได้",
                    now.label(Lang::Th),
                    state.label(Lang::Th)
                ),
                en: format!(
                    "a record that is \"{}\" cannot become \"{}\"",
                    now.label(Lang::En),
                    state.label(Lang::En)
                ),
            });
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if now == RecordState::Final && note.is_none() {
            return Err(Error::Invalid {
                field: "note",
                th: "การเปิดแก้ไขฉบับสมบูรณ์ต้องระบุเหตุผล".into(),
                en: "reopening a final record needs a reason".into(),
            });
        }
        if note.is_some_and(|n| n.chars().count() > crate::edit::MAX_TEXT_CHARS) {
            return Err(Error::Invalid {
                field: "note",
                th: "หมายเหตุยาวเกินไป".into(),
                en: "the note is too long".into(),
            });
        }
        sqlx::query(
            "INSERT INTO forum_record_step (forum_id, state, actor, note) VALUES ($1, $2, $3, $4)",
        )
        .bind(forum_id)
        .bind(state.as_str())
        .bind(actor.to_string())
        .bind(note.map(str::to_string))
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await
    }
}

impl Store {
    /// The corrections recorded for a site, oldest first.
    pub async fn corrections(&self, site_id: i64) -> Result<Vec<Correction>> {
        let rows = sqlx::query("SELECT * FROM correction WHERE site_id = $1 ORDER BY id")
            .bind(site_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::correction).collect()
    }
}

impl Tx {
    /// Writes a step of a forum's record as it was taken (who, when, why): for a study
    /// copied from another store. New steps go through [`Store::step_record`].
    pub async fn insert_record_step(&mut self, step: &RecordStep) -> Result<()> {
        sqlx::query(
            "INSERT INTO forum_record_step (forum_id, state, actor, note, at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(step.forum_id)
        .bind(step.state.as_str())
        .bind(step.actor.clone())
        .bind(step.note.clone())
        .bind(step.at.clone())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
