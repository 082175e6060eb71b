//! Any editable record by its kind: fetch, create, update, delete. The workbench's edits
//! and their undo go through here, so each kind's SQL is written once.

use super::rows::*;
use super::{Store, Tx, new_id};
use crate::access::{Place, Target};
use crate::model::*;
use crate::{Error, Result};
use sqlx::Row;

/// The table a kind of record is stored in. Only these literals are ever put into SQL.
fn table(entity: Entity) -> &'static str {
    match entity {
        Entity::Code => "code",
        Entity::Coding => "coding",
        Entity::Memo => "memo",
        Entity::Forum => "forum",
        Entity::ForumParty => "forum_party",
        Entity::Fact => "fact",
        Entity::Community => "community",
        Entity::SwotItem => "swot_item",
        Entity::Actor => "actor",
        Entity::Tie => "tie",
        Entity::PlanItem => "plan_item",
        Entity::CellSummary => "cell_summary",
        Entity::DocumentText => "document",
        Entity::Correction => "correction",
    }
}

/// How a kind of record reaches its study, as a SQL expression over the record's row `r`.
fn study_of_sql(entity: Entity) -> &'static str {
    const FROM_SITE: &str = "(SELECT s.study_id FROM site s WHERE s.id = r.site_id)";
    const FROM_FORUM: &str = "(SELECT s.study_id FROM forum f JOIN site s ON s.id = f.site_id
                               WHERE f.id = r.forum_id)";
    const FROM_DOCUMENT: &str = "(SELECT s.study_id FROM document d
                                  JOIN forum f ON f.id = d.forum_id
                                  JOIN site s ON s.id = f.site_id WHERE d.id = r.document_id)";
    match entity {
        Entity::Code | Entity::Memo | Entity::Actor | Entity::CellSummary => "r.study_id",
        Entity::Forum | Entity::Community | Entity::PlanItem | Entity::Correction => FROM_SITE,
        Entity::ForumParty | Entity::DocumentText => FROM_FORUM,
        Entity::Coding | Entity::Fact => FROM_DOCUMENT,
        Entity::SwotItem => {
            "(SELECT s.study_id FROM community c JOIN site s ON s.id = c.site_id
              WHERE c.id = r.community_id)"
        }
        Entity::Tie => "(SELECT a.study_id FROM actor a WHERE a.id = r.actor_id)",
    }
}

/// How a kind of record reaches its site, if it has one, as a SQL expression over `r`.
fn site_of_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Code | Entity::Memo | Entity::Actor | Entity::CellSummary => "CAST(NULL AS BIGINT)",
        Entity::Forum | Entity::Community | Entity::PlanItem | Entity::Correction | Entity::Tie => {
            "r.site_id"
        }
        Entity::ForumParty | Entity::DocumentText => {
            "(SELECT f.site_id FROM forum f WHERE f.id = r.forum_id)"
        }
        Entity::Coding | Entity::Fact => {
            "(SELECT f.site_id FROM document d JOIN forum f ON f.id = d.forum_id
              WHERE d.id = r.document_id)"
        }
        Entity::SwotItem => "(SELECT c.site_id FROM community c WHERE c.id = r.community_id)",
    }
}

impl Store {
    /// Where a record, site or study lives, for the permission check of a request.
    pub async fn place_of(&self, target: Target) -> Result<Place> {
        let (sql, id, entity) = match target {
            Target::Study(id) => (
                "SELECT id AS study_id, CAST(NULL AS BIGINT) AS site_id FROM study WHERE id = $1"
                    .to_string(),
                id,
                None,
            ),
            Target::Site(id) => (
                "SELECT study_id, id AS site_id FROM site WHERE id = $1".to_string(),
                id,
                None,
            ),
            Target::Record(entity, id) => (
                format!(
                    "SELECT {} AS study_id, {} AS site_id FROM {} r WHERE r.id = $1",
                    study_of_sql(entity),
                    site_of_sql(entity),
                    table(entity)
                ),
                id,
                Some(entity),
            ),
        };
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| match (target, entity) {
                (_, Some(entity)) => not_found(entity, id),
                (Target::Study(_), _) => Error::NotFound {
                    what_th: "การศึกษา",
                    what_en: "study",
                    id,
                },
                _ => Error::NotFound {
                    what_th: "พื้นที่",
                    what_en: "site",
                    id,
                },
            })?;
        Ok(Place {
            study: row
                .try_get::<Option<i64>, _>("study_id")?
                .ok_or_else(|| Error::Corrupt(format!("record {id} has no study")))?,
            site: row.try_get("site_id")?,
        })
    }
}

/// A document comes in by import and stays: its text is revised, never made or removed
/// as a record of its own.
fn documents_are_imported() -> Error {
    Error::Invalid {
        field: "document",
        th: "เอกสารเพิ่มได้ด้วยการนำเข้าเท่านั้น และลบไม่ได้ แก้ไขได้เฉพาะข้อความ".into(),
        en: "documents come in by import and are not deleted; only their text can be revised"
            .into(),
    }
}

fn not_found(entity: Entity, id: i64) -> Error {
    Error::NotFound {
        what_th: entity.label(Lang::Th),
        what_en: entity.label(Lang::En),
        id,
    }
}

impl Tx {
    /// The record of this kind and id as it is now.
    pub async fn fetch(&mut self, entity: Entity, id: i64) -> Result<Record> {
        let sql = format!("SELECT * FROM {} WHERE id = $1", table(entity));
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| not_found(entity, id))?;
        Ok(match entity {
            Entity::Code => Record::Code(code(&row)?),
            Entity::Coding => Record::Coding(coding(&row)?),
            Entity::Memo => Record::Memo(memo(&row)?),
            Entity::Forum => Record::Forum(forum(&row)?),
            Entity::ForumParty => Record::ForumParty(forum_party(&row)?),
            Entity::Fact => Record::Fact(fact(&row)?),
            Entity::Community => Record::Community(community(&row)?),
            Entity::SwotItem => Record::SwotItem(swot_item(&row)?),
            Entity::Actor => Record::Actor(actor(&row)?),
            Entity::Tie => Record::Tie(tie(&row)?),
            Entity::PlanItem => Record::PlanItem(plan_item(&row)?),
            Entity::CellSummary => Record::CellSummary(cell_summary(&row)?),
            Entity::DocumentText => Record::DocumentText(DocumentText {
                id: row.try_get("id")?,
                text: row.try_get("text")?,
            }),
            Entity::Correction => Record::Correction(correction(&row)?),
        })
    }

    /// The record of this type and id as it is now.
    pub async fn get<T: Kind>(&mut self, id: i64) -> Result<T> {
        let record = self.fetch(T::ENTITY, id).await?;
        T::from_record(record)
            .ok_or_else(|| Error::Corrupt(format!("{id} is not a {}", T::ENTITY.as_str())))
    }

    /// The study a record belongs to (through its site, forum, document…).
    pub async fn study_of(&mut self, entity: Entity, id: i64) -> Result<i64> {
        let sql = format!(
            "SELECT {} AS study_id FROM {} r WHERE r.id = $1",
            study_of_sql(entity),
            table(entity)
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| not_found(entity, id))?;
        row.try_get::<Option<i64>, _>("study_id")?
            .ok_or_else(|| Error::Corrupt(format!("{} {id} has no study", entity.as_str())))
    }

    /// The ids of records of a kind whose `column` is `value`, newest first.
    /// `column` is one of the literals the edit layer names.
    pub async fn ids_where(
        &mut self,
        entity: Entity,
        column: &'static str,
        value: i64,
    ) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT id FROM {} WHERE {column} = $1 ORDER BY id DESC",
            table(entity)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// Writes a new record (or puts a deleted one back under its old id); returns its id.
    pub async fn create(&mut self, record: &Record) -> Result<i64> {
        match record {
            Record::Code(r) => self.insert_code(r).await,
            Record::Coding(r) => self.insert_coding(r).await,
            Record::Memo(r) => self.insert_memo(r).await,
            Record::Forum(r) => {
                let id = self.insert_forum(r).await?;
                self.update(&Record::Forum(Forum { id, ..r.clone() }))
                    .await?;
                Ok(id)
            }
            Record::ForumParty(r) => self.insert_forum_party(r).await,
            Record::Fact(r) => self.insert_fact(r).await,
            Record::Community(r) => self.insert_community(r).await,
            Record::SwotItem(r) => self.insert_swot_item(r).await,
            Record::Actor(r) => self.insert_actor(r).await,
            Record::Tie(r) => self.insert_tie(r).await,
            Record::PlanItem(r) => self.insert_plan_item(r).await,
            Record::CellSummary(r) => self.insert_cell_summary(r).await,
            Record::DocumentText(_) => Err(documents_are_imported()),
            Record::Correction(r) => self.insert_correction(r).await,
        }
    }

    pub async fn delete(&mut self, entity: Entity, id: i64) -> Result<()> {
        if entity == Entity::DocumentText {
            return Err(documents_are_imported());
        }
        let sql = format!("DELETE FROM {} WHERE id = $1", table(entity));
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Writes every field of a record over the stored one with the same id.
    pub async fn update(&mut self, record: &Record) -> Result<()> {
        let q = match record {
            Record::Code(c) => sqlx::query(
                "UPDATE code SET parent_id = $2, key = $3, name_th = $4, name_en = $5, color = $6,
                   position = $7, description = $8 WHERE id = $1",
            )
            .bind(c.id)
            .bind(c.parent_id)
            .bind(c.key.clone())
            .bind(c.name_th.clone())
            .bind(c.name_en.clone())
            .bind(c.color.clone())
            .bind(c.position)
            .bind(c.description.clone()),
            Record::Coding(c) => sqlx::query(
                "UPDATE coding SET code_id = $2, span_start = $3, span_end = $4, coder = $5,
                   status = $6, memo = $7, cue = $8 WHERE id = $1",
            )
            .bind(c.id)
            .bind(c.code_id)
            .bind(c.span.start)
            .bind(c.span.end)
            .bind(c.coder.clone())
            .bind(c.status.as_str())
            .bind(c.memo.clone())
            .bind(c.cue.clone()),
            Record::Memo(m) => sqlx::query("UPDATE memo SET text = $2 WHERE id = $1")
                .bind(m.id)
                .bind(m.text.clone()),
            Record::Forum(f) => sqlx::query(
                "UPDATE forum SET site_id = $2, kind = $3, status = $4, title = $5, date = $6,
                   date_end = $7, venue = $8, participants = $9, reviewed_at = $10,
                   reviewed_by = $11 WHERE id = $1",
            )
            .bind(f.id)
            .bind(f.site_id)
            .bind(f.kind.as_str())
            .bind(f.status.as_str())
            .bind(f.title.clone())
            .bind(f.date.map(|d| d.to_string()))
            .bind(f.date_end.map(|d| d.to_string()))
            .bind(f.venue.clone())
            .bind(f.participants)
            .bind(f.reviewed_at.clone())
            .bind(f.reviewed_by.clone()),
            Record::ForumParty(p) => {
                sqlx::query("UPDATE forum_party SET role = $2, name = $3 WHERE id = $1")
                    .bind(p.id)
                    .bind(p.role.as_str())
                    .bind(p.name.clone())
            }
            Record::Fact(f) => sqlx::query(
                "UPDATE fact SET kind = $2, value = $3, number = CAST($4 AS DOUBLE PRECISION),
                   unit = $5, span_start = $6, span_end = $7 WHERE id = $1",
            )
            .bind(f.id)
            .bind(f.kind.as_str())
            .bind(f.value.clone())
            .bind(super::real(f.number))
            .bind(f.unit.clone())
            .bind(f.span.map(|s| s.start))
            .bind(f.span.map(|s| s.end)),
            Record::Community(c) => {
                sqlx::query("UPDATE community SET name_th = $2, note = $3 WHERE id = $1")
                    .bind(c.id)
                    .bind(c.name_th.clone())
                    .bind(c.note.clone())
            }
            Record::SwotItem(s) => sqlx::query(
                "UPDATE swot_item SET quadrant = $2, text = $3, position = $4, document_id = $5,
                   span_start = $6, span_end = $7 WHERE id = $1",
            )
            .bind(s.id)
            .bind(s.quadrant.as_str())
            .bind(s.text.clone())
            .bind(s.position)
            .bind(s.document_id)
            .bind(s.span.map(|s| s.start))
            .bind(s.span.map(|s| s.end)),
            Record::Actor(a) => sqlx::query("UPDATE actor SET name = $2, kind = $3 WHERE id = $1")
                .bind(a.id)
                .bind(a.name.clone())
                .bind(a.kind.as_str()),
            Record::Tie(t) => sqlx::query(
                "UPDATE tie SET actor_id = $2, site_id = $3, kind = $4, note = $5, document_id = $6,
                   span_start = $7, span_end = $8 WHERE id = $1",
            )
            .bind(t.id)
            .bind(t.actor_id)
            .bind(t.site_id)
            .bind(t.kind.as_str())
            .bind(t.note.clone())
            .bind(t.document_id)
            .bind(t.span.map(|s| s.start))
            .bind(t.span.map(|s| s.end)),
            Record::PlanItem(p) => sqlx::query(
                "UPDATE plan_item SET what = $2, who = $3, due = $4, status = $5, progress = $6
                 WHERE id = $1",
            )
            .bind(p.id)
            .bind(p.what.clone())
            .bind(p.who.clone())
            .bind(p.due.map(|d| d.to_string()))
            .bind(p.status.as_str())
            .bind(p.progress),
            Record::CellSummary(c) => {
                sqlx::query("UPDATE cell_summary SET text = $2, author = $3 WHERE id = $1")
                    .bind(c.id)
                    .bind(c.text.clone())
                    .bind(c.author.clone())
            }
            Record::DocumentText(d) => sqlx::query("UPDATE document SET text = $2 WHERE id = $1")
                .bind(d.id)
                .bind(d.text.clone()),
            Record::Correction(c) => sqlx::query(
                "UPDATE correction SET text = $2, state = $3, note = $4, author = $5 WHERE id = $1",
            )
            .bind(c.id)
            .bind(c.text.clone())
            .bind(c.state.as_str())
            .bind(c.note.clone())
            .bind(c.author.clone()),
        };
        let done = q.execute(&mut *self.tx).await?;
        if done.rows_affected() == 0 {
            return Err(not_found(record.entity(), record.id()));
        }
        Ok(())
    }

    pub async fn study_of_site(&mut self, site_id: i64) -> Result<i64> {
        self.one_i64("SELECT study_id FROM site WHERE id = $1", site_id)
            .await?
            .ok_or(Error::NotFound {
                what_th: "พื้นที่",
                what_en: "site",
                id: site_id,
            })
    }

    /// The studies of a code and of a document, asked together (a coding joins the two).
    pub async fn studies_of_code_and_document(
        &mut self,
        code_id: i64,
        document_id: i64,
    ) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT (SELECT study_id FROM code WHERE id = $1) AS code_study,
                    (SELECT s.study_id FROM document d JOIN forum f ON f.id = d.forum_id
                     JOIN site s ON s.id = f.site_id WHERE d.id = $2) AS document_study",
        )
        .bind(code_id)
        .bind(document_id)
        .fetch_one(&mut *self.tx)
        .await?;
        let code = row
            .try_get::<Option<i64>, _>("code_study")?
            .ok_or_else(|| not_found(Entity::Code, code_id))?;
        let document = row
            .try_get::<Option<i64>, _>("document_study")?
            .ok_or(Error::NotFound {
                what_th: "เอกสาร",
                what_en: "document",
                id: document_id,
            })?;
        Ok((code, document))
    }

    pub async fn study_of_document(&mut self, document_id: i64) -> Result<i64> {
        self.one_i64(
            "SELECT s.study_id FROM document d JOIN forum f ON f.id = d.forum_id
             JOIN site s ON s.id = f.site_id WHERE d.id = $1",
            document_id,
        )
        .await?
        .ok_or(Error::NotFound {
            what_th: "เอกสาร",
            what_en: "document",
            id: document_id,
        })
    }

    pub async fn forum_has_documents(&mut self, forum_id: i64) -> Result<bool> {
        Ok(self
            .one_i64(
                "SELECT id FROM document WHERE forum_id = $1 LIMIT 1",
                forum_id,
            )
            .await?
            .is_some())
    }

    /// Whether another actor of the study (not `except_id`) has this name.
    pub async fn actor_named(&mut self, study_id: i64, name: &str, except_id: i64) -> Result<bool> {
        let row =
            sqlx::query("SELECT id FROM actor WHERE study_id = $1 AND name = $2 AND id <> $3")
                .bind(study_id)
                .bind(name.to_string())
                .bind(except_id)
                .fetch_optional(&mut *self.tx)
                .await?;
        Ok(row.is_some())
    }

    async fn one_i64(&mut self, sql: &'static str, id: i64) -> Result<Option<i64>> {
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| Ok(r.try_get(0)?)).transpose()
    }

    pub async fn insert_correction(&mut self, c: &Correction) -> Result<i64> {
        // A correction put back by undo keeps the time it was written.
        let written_at = (!c.written_at.is_empty()).then(|| c.written_at.clone());
        let sql = format!(
            "INSERT INTO correction (site_id, item_entity, item_id, statement, text, state,
                                     note, author, written_at, id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9, {}), $10)
             RETURNING id",
            self.store.backend.now()
        );
        self.insert(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(c.site_id)
                .bind(c.item_entity.clone())
                .bind(c.item_id)
                .bind(c.statement.clone())
                .bind(c.text.clone())
                .bind(c.state.as_str())
                .bind(c.note.clone())
                .bind(c.author.clone())
                .bind(written_at)
                .bind(new_id(c.id)),
        )
        .await
    }

    pub async fn insert_memo(&mut self, m: &Memo) -> Result<i64> {
        // A new memo gets the store's clock; one put back keeps the time it was written.
        let written_at = (!m.written_at.is_empty()).then(|| m.written_at.clone());
        let sql = format!(
            "INSERT INTO memo (study_id, target, target_id, text, author, written_at, id)
             VALUES ($1, $2, $3, $4, $5, COALESCE($6, {}), $7) RETURNING id",
            self.store.backend.now()
        );
        self.insert(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(m.study_id)
                .bind(m.target.as_str())
                .bind(m.target_id)
                .bind(m.text.clone())
                .bind(m.author.clone())
                .bind(written_at)
                .bind(new_id(m.id)),
        )
        .await
    }

    pub async fn insert_cell_summary(&mut self, c: &CellSummary) -> Result<i64> {
        // As for memos: a new summary gets the store's clock, one put back keeps its own.
        let written_at = (!c.written_at.is_empty()).then(|| c.written_at.clone());
        let sql = format!(
            "INSERT INTO cell_summary (study_id, row_kind, row_id, code_id, text, author,
                                       written_at, id)
             VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, {}), $8)
             RETURNING id",
            self.store.backend.now()
        );
        self.insert(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(c.study_id)
                .bind(c.row_kind.as_str())
                .bind(c.row_id)
                .bind(c.code_id)
                .bind(c.text.clone())
                .bind(c.author.clone())
                .bind(written_at)
                .bind(new_id(c.id)),
        )
        .await
    }
}

impl Tx {
    /// Keeps the words a detached coding covered (edit::revise); a coding detached again
    /// keeps the latest.
    pub async fn record_detached(
        &mut self,
        coding_id: i64,
        removed_text: &str,
        previous_status: &str,
    ) -> Result<()> {
        let sql = format!(
            "INSERT INTO detached_coding (coding_id, removed_text, previous_status)
             VALUES ($1, $2, $3)
             ON CONFLICT (coding_id) DO UPDATE SET removed_text = excluded.removed_text,
               previous_status = excluded.previous_status, detached_at = {}",
            self.store.backend.now()
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(coding_id)
            .bind(removed_text.to_string())
            .bind(previous_status.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
