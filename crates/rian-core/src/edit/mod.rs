//! Edits a person makes in the workbench. Every change is checked, written with its entry
//! in the activity log (who, what, when, the record before and after) in one transaction,
//! and can be undone. Changes made together form one batch and are undone together.
//!
//! ```text
//! form ─► Record ─► check ─► Changes { create | update | delete } ─► commit
//!                                       └► activity log ◄─ undo_last
//! ```

use crate::access::{Actor, Author, Place};
use crate::model::*;
use crate::store::{Store, Tx};
use crate::{Error, Result};

mod ordering;
mod revise;
pub use ordering::*;
pub use revise::*;

/// The longest text a single field takes (a memo, a SWOT item…), in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The longest document text a revision takes, in characters (a long transcript).
pub const MAX_DOCUMENT_CHARS: usize = 2_000_000;
/// The longest name (a code, an actor, a community), in characters.
pub const MAX_NAME_CHARS: usize = 300;

/// A set of changes in progress, written as one batch of the activity log.
pub struct Changes {
    tx: Tx,
    actor: Actor,
    batch: Option<i64>,
}

impl Changes {
    pub async fn begin(store: &Store, actor: &(impl Author + ?Sized)) -> Result<Changes> {
        Ok(Changes {
            tx: store.begin().await?,
            actor: actor.actor(),
            batch: None,
        })
    }

    /// Writes the batch whole.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }

    /// Adds a record (its `id` is ignored); returns the new id.
    pub async fn create(&mut self, record: Record) -> Result<i64> {
        Ok(self.add(record).await?.id())
    }

    /// Adds a record (its `id` is ignored); returns it as stored, with its id.
    pub async fn add(&mut self, record: Record) -> Result<Record> {
        check(&record)?;
        let record = record.with_id(0);
        let study = self.check_in_context(&record).await?;
        let id = self.tx.create(&record).await?;
        if let Record::Coding(_) = record {
            self.tx.place_coding(id).await?;
        }
        let stored = self.tx.fetch(record.entity(), id).await?;
        self.log_in(study, "add", &stored, None, Some(&stored))
            .await?;
        Ok(stored)
    }

    /// Replaces a record with `record` (same id), but only if it is still as the person
    /// saw it: `base` is the [`version_of`] the record had when their form was made.
    /// Someone else's change in between is a [`Error::Conflict`], never overwritten.
    pub async fn update_from(&mut self, record: Record, base: Option<&str>) -> Result<Record> {
        if let Some(base) = base.map(str::trim).filter(|b| !b.is_empty()) {
            let now = self.tx.fetch(record.entity(), record.id()).await?;
            let current = version_of(&now);
            if current != base {
                return Err(Error::Conflict { current });
            }
        }
        self.update(record).await
    }

    /// Replaces a record with `record` (same id). Returns the record as it was before.
    /// A change that changes nothing is not logged.
    pub async fn update(&mut self, record: Record) -> Result<Record> {
        check(&record)?;
        let before = self.tx.fetch(record.entity(), record.id()).await?;
        if before == record {
            return Ok(before);
        }
        let study = self.check_in_context(&record).await?;
        self.tx.update(&record).await?;
        if let Record::Coding(c) = &record {
            self.tx.place_coding(c.id).await?;
        }
        self.log_in(study, "update", &record, Some(&before), Some(&record))
            .await?;
        Ok(before)
    }

    /// Deletes a record, but only if it is still as the person saw it (`base`, as for
    /// [`Changes::update_from`]).
    pub async fn delete_from(
        &mut self,
        entity: Entity,
        id: i64,
        base: Option<&str>,
    ) -> Result<Record> {
        if let Some(base) = base.map(str::trim).filter(|b| !b.is_empty()) {
            let current = version_of(&self.tx.fetch(entity, id).await?);
            if current != base {
                return Err(Error::Conflict { current });
            }
        }
        self.delete(entity, id).await
    }

    /// Deletes a record and what cannot exist without it (a code's sub-codes and codings,
    /// an actor's ties, a community's SWOT items), each logged so that undo restores all.
    /// Returns the record as it was.
    pub fn delete(
        &mut self,
        entity: Entity,
        id: i64,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<Record>> + Send + '_>> {
        // Boxed: deleting a code deletes its sub-codes the same way.
        Box::pin(async move {
            let before = self.tx.fetch(entity, id).await?;
            let dependents: &[(Entity, &str)] = match entity {
                Entity::Code => &[(Entity::Code, "parent_id"), (Entity::Coding, "code_id")],
                Entity::Actor => &[(Entity::Tie, "actor_id")],
                Entity::Community => &[(Entity::SwotItem, "community_id")],
                Entity::Forum => &[
                    (Entity::ForumParty, "forum_id"),
                    // A forum's documents are the sources themselves; a forum with any is
                    // refused below rather than deleted with them.
                ],
                _ => &[],
            };
            if entity == Entity::Forum && self.tx.forum_has_documents(id).await? {
                return Err(Error::Invalid {
                    field: "forum",
                    th: "เวทีนี้มีเอกสารแล้ว ลบไม่ได้".into(),
                    en: "this forum has documents and cannot be deleted".into(),
                });
            }
            for &(dependent, column) in dependents {
                for child in self.tx.ids_where(dependent, column, id).await? {
                    self.delete(dependent, child).await?;
                }
            }
            self.tx.delete(entity, id).await?;
            self.log("delete", &before, Some(&before), None).await?;
            Ok(before)
        })
    }

    /// The record as stored now.
    pub async fn get<T: Kind>(&mut self, id: i64) -> Result<T> {
        self.tx.get(id).await
    }

    async fn log(
        &mut self,
        action: &str,
        record: &Record,
        before: Option<&Record>,
        after: Option<&Record>,
    ) -> Result<()> {
        self.log_in(None, action, record, before, after).await
    }

    /// Logs a change of a record in `study`, when the caller has learnt it already.
    async fn log_in(
        &mut self,
        study: Option<i64>,
        action: &str,
        record: &Record,
        before: Option<&Record>,
        after: Option<&Record>,
    ) -> Result<()> {
        let study_id = match study {
            Some(study) => study,
            None => match record {
                // A deleted record can no longer be joined to its study; its parent can.
                Record::Code(c) => c.study_id,
                Record::Memo(m) => m.study_id,
                Record::Actor(a) => a.study_id,
                Record::CellSummary(c) => c.study_id,
                _ if after.is_none() => self.study_of_deleted(record).await?,
                _ => self.tx.study_of(record.entity(), record.id()).await?,
            },
        };
        // The last word on permissions: a route that did not check is still held here.
        let site = match record {
            Record::Correction(c) => Some(c.site_id),
            _ => None,
        };
        self.actor.check_change(
            record.entity(),
            Place {
                study: study_id,
                site,
            },
        )?;
        if let Record::Correction(_) = record {
            self.actor
                .check_correction(as_correction(before), as_correction(after))?;
        }
        let entry = self
            .tx
            .log_activity(
                study_id,
                self.batch,
                &self.actor,
                action,
                record.entity().as_str(),
                record.id(),
                before.map(Record::to_json).as_deref(),
                after.map(Record::to_json).as_deref(),
            )
            .await?;
        self.batch.get_or_insert(entry);
        Ok(())
    }

    async fn study_of_deleted(&mut self, record: &Record) -> Result<i64> {
        let (entity, id) = match record {
            Record::Coding(c) => (Entity::Code, c.code_id),
            Record::Forum(f) => return self.tx.study_of_site(f.site_id).await,
            Record::ForumParty(p) => (Entity::Forum, p.forum_id),
            Record::Fact(f) => return self.tx.study_of_document(f.document_id).await,
            Record::Community(c) => return self.tx.study_of_site(c.site_id).await,
            Record::SwotItem(s) => (Entity::Community, s.community_id),
            Record::Tie(t) => (Entity::Actor, t.actor_id),
            Record::PlanItem(p) => return self.tx.study_of_site(p.site_id).await,
            Record::DocumentText(d) => return self.tx.study_of_document(d.id).await,
            Record::Correction(c) => return self.tx.study_of_site(c.site_id).await,
            Record::Code(_) | Record::Memo(_) | Record::Actor(_) | Record::CellSummary(_) => {
                unreachable!("handled by the caller")
            }
        };
        self.tx.study_of(entity, id).await
    }

    /// Checks that need the store: names unique where the schema says so, a code never
    /// under itself, records of one study never tied to another's. Returns the record's
    /// study when a check learnt it.
    async fn check_in_context(&mut self, record: &Record) -> Result<Option<i64>> {
        match record {
            Record::Code(c) => {
                let mut parent = c.parent_id;
                while let Some(p) = parent {
                    if p == c.id {
                        return Err(Error::Invalid {
                            field: "parent",
                            th: "ย้ายรหัสไปไว้ใต้ตัวเองหรือรหัสย่อยของตัวเองไม่ได้".into(),
                            en: "a code cannot move under itself or its own sub-code".into(),
                        });
                    }
                    let pc: Code = self.tx.get(p).await?;
                    if pc.study_id != c.study_id {
                        return Err(not_in_study("parent"));
                    }
                    parent = pc.parent_id;
                }
            }
            Record::Actor(a) if self.tx.actor_named(a.study_id, &a.name, a.id).await? => {
                return Err(Error::Invalid {
                    field: "name",
                    th: format!("มีภาคี \"{}\" ในการศึกษานี้แล้ว", a.name),
                    en: format!("this study already has an actor named \"{}\"", a.name),
                });
            }
            Record::Tie(t) => {
                let actor_study = self.tx.study_of(Entity::Actor, t.actor_id).await?;
                if actor_study != self.tx.study_of_site(t.site_id).await? {
                    return Err(not_in_study("site"));
                }
            }
            Record::Coding(c) => {
                let (code_study, document_study) = self
                    .tx
                    .studies_of_code_and_document(c.code_id, c.document_id)
                    .await?;
                if code_study != document_study {
                    return Err(not_in_study("code"));
                }
                return Ok(Some(code_study));
            }
            Record::Correction(c) => {
                let item: Entity = c.item_entity.parse()?;
                if self.tx.study_of(item, c.item_id).await?
                    != self.tx.study_of_site(c.site_id).await?
                {
                    return Err(not_in_study("item"));
                }
            }
            Record::CellSummary(c) => {
                if self.tx.study_of(Entity::Code, c.code_id).await? != c.study_id {
                    return Err(not_in_study("code"));
                }
                let row_study = match c.row_kind {
                    MatrixRows::Site => self.tx.study_of_site(c.row_id).await?,
                    MatrixRows::Community => self.tx.study_of(Entity::Community, c.row_id).await?,
                    MatrixRows::Forum => self.tx.study_of(Entity::Forum, c.row_id).await?,
                };
                if row_study != c.study_id {
                    return Err(not_in_study("row"));
                }
            }
            _ => {}
        }
        Ok(None)
    }
}

pub(crate) fn not_in_study(field: &'static str) -> Error {
    Error::Invalid {
        field,
        th: "รายการนี้อยู่คนละการศึกษา".into(),
        en: "that belongs to another study".into(),
    }
}

fn as_correction(record: Option<&Record>) -> Option<&Correction> {
    match record {
        Some(Record::Correction(c)) => Some(c),
        _ => None,
    }
}

/// Checks a record on its own: required text present and not too long, numbers in range,
/// colours and dates well formed. The error names the field and says what is wrong, in
/// Thai and English.
pub fn check(record: &Record) -> Result<()> {
    match record {
        Record::Code(c) => {
            required(
                "name_th",
                "ชื่อรหัส (ไทย)",
                "Thai name",
                &c.name_th,
                MAX_NAME_CHARS,
            )?;
            limit(
                "name_en",
                "ชื่อรหัส (อังกฤษ)",
                "English name",
                &c.name_en,
                MAX_NAME_CHARS,
            )?;
            if !is_colour(&c.color) {
                return Err(Error::Invalid {
                    field: "color",
                    th: format!("สี \"{}\" ไม่ถูกต้อง ใช้รูปแบบ #rrggbb", c.color),
                    en: format!("invalid colour \"{}\": use #rrggbb", c.color),
                });
            }
            optional("description", "คำอธิบาย", "description", &c.description)
        }
        Record::Coding(c) => {
            if c.span.start < 0 || c.span.end <= c.span.start {
                return Err(Error::InvalidSpan {
                    start: c.span.start,
                    end: c.span.end,
                });
            }
            optional("memo", "บันทึก", "memo", &c.memo)
        }
        Record::Memo(m) => required("text", "บันทึก", "memo", &m.text, MAX_TEXT_CHARS),
        Record::Forum(f) => {
            optional("title", "ชื่อเวที", "title", &f.title)?;
            optional("venue", "สถานที่", "venue", &f.venue)?;
            if f.participants
                .is_some_and(|n| !(0..=1_000_000).contains(&n))
            {
                return Err(Error::Invalid {
                    field: "participants",
                    th: "จำนวนผู้เข้าร่วมต้องอยู่ระหว่าง 0 ถึง 1,000,000".into(),
                    en: "participants must be between 0 and 1,000,000".into(),
                });
            }
            if let (Some(start), Some(end)) = (f.date, f.date_end)
                && end < start
            {
                return Err(Error::Invalid {
                    field: "date_end",
                    th: "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม".into(),
                    en: "the end date is before the start date".into(),
                });
            }
            Ok(())
        }
        Record::ForumParty(p) => required("name", "ชื่อ", "name", &p.name, MAX_NAME_CHARS),
        Record::Fact(f) => required("value", "ค่า", "value", &f.value, MAX_TEXT_CHARS),
        Record::Community(c) => {
            required("name_th", "ชื่อชุมชน", "name", &c.name_th, MAX_NAME_CHARS)?;
            optional("note", "หมายเหตุ", "note", &c.note)
        }
        Record::SwotItem(s) => required("text", "ข้อความ", "text", &s.text, MAX_TEXT_CHARS),
        Record::Actor(a) => required("name", "ชื่อภาคี", "name", &a.name, MAX_NAME_CHARS),
        Record::Tie(t) => optional("note", "หมายเหตุ", "note", &t.note),
        Record::CellSummary(c) => required("text", "สรุป", "summary", &c.text, MAX_TEXT_CHARS),
        Record::Correction(c) => {
            if !CORRECTABLE.contains(&c.item_entity.as_str()) {
                return Err(Error::Invalid {
                    field: "item",
                    th: format!("ไม่รู้จักรายการ \"{}\"", c.item_entity),
                    en: format!("unknown kind of item \"{}\"", c.item_entity),
                });
            }
            required("text", "ข้อความที่แก้ไข", "correction", &c.text, MAX_TEXT_CHARS)?;
            limit(
                "statement",
                "ข้อความในรายงาน",
                "statement",
                &c.statement,
                MAX_TEXT_CHARS,
            )?;
            optional("note", "หมายเหตุ", "note", &c.note)
        }
        Record::DocumentText(d) => required(
            "text",
            "ข้อความของเอกสาร",
            "document text",
            &d.text,
            MAX_DOCUMENT_CHARS,
        ),
        Record::PlanItem(p) => {
            required("what", "สิ่งที่จะทำ", "what", &p.what, MAX_TEXT_CHARS)?;
            optional("who", "ผู้รับผิดชอบ", "who", &p.who)?;
            if !(0..=100).contains(&p.progress) {
                return Err(Error::Invalid {
                    field: "progress",
                    th: "ความคืบหน้าต้องอยู่ระหว่าง 0 ถึง 100".into(),
                    en: "progress must be between 0 and 100".into(),
                });
            }
            Ok(())
        }
    }
}

fn required(field: &'static str, th: &str, en: &str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::Invalid {
            field,
            th: format!("กรุณากรอก{th}"),
            en: format!("{en} is required"),
        });
    }
    limit(field, th, en, value, max)
}

fn optional(field: &'static str, th: &str, en: &str, value: &Option<String>) -> Result<()> {
    value
        .as_deref()
        .map_or(Ok(()), |v| limit(field, th, en, v, MAX_TEXT_CHARS))
}

fn limit(field: &'static str, th: &str, en: &str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(Error::Invalid {
            field,
            th: format!("{th}ยาวเกิน {max} ตัวอักษร"),
            en: format!("{en} is longer than {max} characters"),
        });
    }
    Ok(())
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// One change, written alone as its own batch.
pub async fn create(store: &Store, actor: &(impl Author + ?Sized), record: Record) -> Result<i64> {
    Ok(add(store, actor, record).await?.id())
}

/// One new record, written as its own batch; returns it as stored.
pub async fn add(store: &Store, actor: &(impl Author + ?Sized), record: Record) -> Result<Record> {
    let mut changes = Changes::begin(store, actor).await?;
    let stored = changes.add(record).await?;
    changes.commit().await?;
    Ok(stored)
}

/// One change, written alone as its own batch.
pub async fn update(
    store: &Store,
    actor: &(impl Author + ?Sized),
    record: Record,
) -> Result<Record> {
    update_from(store, actor, record, None).await
}

/// One change made from a form or a request that saw the record at version `base`
/// ([`Changes::update_from`]), written as its own batch.
pub async fn update_from(
    store: &Store,
    actor: &(impl Author + ?Sized),
    record: Record,
    base: Option<&str>,
) -> Result<Record> {
    let mut changes = Changes::begin(store, actor).await?;
    let before = changes.update_from(record, base).await?;
    changes.commit().await?;
    Ok(before)
}

/// A record's version: a short digest of everything it holds. A form carries the version
/// it was made from; a change based on an older one is refused as a conflict.
pub fn version_of(record: &Record) -> String {
    use sha2::Digest;
    let json = serde_json::to_vec(record).unwrap_or_default();
    sha2::Sha256::digest(&json)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One deletion (with what depends on it), written as its own batch.
pub async fn delete(
    store: &Store,
    actor: &(impl Author + ?Sized),
    entity: Entity,
    id: i64,
) -> Result<Record> {
    delete_from(store, actor, entity, id, None).await
}

/// One deletion asked for by someone who saw the record at version `base`
/// ([`Changes::delete_from`]), written as its own batch.
pub async fn delete_from(
    store: &Store,
    actor: &(impl Author + ?Sized),
    entity: Entity,
    id: i64,
    base: Option<&str>,
) -> Result<Record> {
    let mut changes = Changes::begin(store, actor).await?;
    let before = changes.delete_from(entity, id, base).await?;
    changes.commit().await?;
    Ok(before)
}

/// Undoes the last batch of changes in a study that is not undone yet, newest change
/// first. Returns how many entries it reverted; 0 if there was nothing to undo.
pub async fn undo_last(store: &Store, study_id: i64) -> Result<usize> {
    let mut tx = store.begin().await?;
    let entries = tx.last_activity_batch(study_id).await?;
    for e in &entries {
        let corrupt = |what: &str| Error::Corrupt(format!("activity {}: {what}", e.id));
        let entity: Entity = e.entity.parse()?;
        let record = |json: &Option<String>| {
            json.as_deref()
                .ok_or_else(|| corrupt("no record"))
                .and_then(|j| Record::from_json(entity, j).map_err(|err| corrupt(&err.to_string())))
        };
        match e.action.as_str() {
            "add" => tx.delete(entity, e.entity_id).await?,
            "update" => tx.update(&record(&e.before)?).await?,
            "delete" => {
                tx.create(&record(&e.before)?).await?;
            }
            // Written by rian before every change kept whole records.
            "set_status" => {
                let before: CodingStatus = e
                    .before
                    .as_deref()
                    .ok_or_else(|| corrupt("no before"))?
                    .parse()?;
                tx.set_coding_status(e.entity_id, before).await?;
            }
            other => return Err(corrupt(&format!("cannot undo {other}"))),
        }
        tx.mark_undone(e.id).await?;
    }
    tx.commit().await?;
    Ok(entries.len())
}
