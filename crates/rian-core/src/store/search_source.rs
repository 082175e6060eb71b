//! What the full-text index reads from the store: documents with their codings, memos,
//! and where each sits (study, site, province, forum, date); and the queue of changes
//! the index has yet to apply (migration 0005).

use super::Store;
use super::rows::parse;
use crate::model::*;
use crate::{Error, Result};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::{BTreeSet, HashMap};

/// Where a searchable text sits in the study record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placement {
    pub study_id: i64,
    pub site_id: Option<i64>,
    pub province: Option<String>,
    pub forum_id: Option<i64>,
    pub forum_kind: Option<ForumKind>,
    pub date: Option<IsoDate>,
}

/// A document as the index takes it.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    pub id: i64,
    pub title: String,
    pub text: String,
    pub placement: Placement,
    /// Its codings that are not rejected: id, code, span in characters, coder (only those
    /// asked for, when read by [`Store::search_codings`]).
    pub codings: Vec<(i64, i64, Span, String)>,
    /// The codes of all its codings that are not rejected, each once, in order.
    pub codes: Vec<i64>,
}

/// A memo as the index takes it.
#[derive(Debug, Clone)]
pub struct SourceMemo {
    pub id: i64,
    pub text: String,
    pub target: MemoTarget,
    pub target_id: i64,
    pub placement: Placement,
    /// The document (and span) it is about, when it is about a document or a coding.
    pub document_id: Option<i64>,
    pub span: Option<Span>,
}

/// Changes the index has yet to apply, from the queue entries `seqs`: whole documents (their
/// text, passages and codes), coded passages alone, documents' own entries alone (the
/// codes they carry changed), and memos.
#[derive(Debug, Default)]
pub struct PendingChanges {
    pub seqs: Vec<i64>,
    pub documents: Vec<i64>,
    pub codings: Vec<i64>,
    pub document_codes: Vec<i64>,
    pub memos: Vec<i64>,
}

fn placeholders(n: usize) -> String {
    placeholders_from(1, n)
}

/// `n` placeholders numbered from `first`.
fn placeholders_from(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A document's columns and its place, read from `document d` ([`DOCUMENT_PLACE`]).
const DOCUMENT_COLUMNS: &str = "d.id AS id, d.title AS title, d.text AS text,
        f.id AS forum_id, f.kind AS kind, f.date AS date,
        s.id AS site_id, s.province_th AS province, s.study_id AS study_id";
const DOCUMENT_PLACE: &str = "JOIN forum f ON f.id = d.forum_id JOIN site s ON s.id = f.site_id";

fn placement(r: &AnyRow) -> Result<Placement> {
    let date: Option<String> = r.try_get("date")?;
    Ok(Placement {
        study_id: r.try_get("study_id")?,
        site_id: Some(r.try_get("site_id")?),
        province: Some(r.try_get("province")?),
        forum_id: Some(r.try_get("forum_id")?),
        forum_kind: Some(parse(r, "kind")?),
        date: date.and_then(|d| IsoDate::parse(&d)),
    })
}

/// A document row read with [`DOCUMENT_COLUMNS`], before its codings.
fn source_document(r: &AnyRow) -> Result<SourceDocument> {
    Ok(SourceDocument {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        text: r.try_get("text")?,
        placement: placement(r)?,
        codings: Vec::new(),
        codes: Vec::new(),
    })
}

/// A coding row as a document's entry holds it: id (from the column `id`), code, span,
/// coder.
fn source_coding(r: &AnyRow, id: &str) -> Result<(i64, i64, Span, String)> {
    Ok((
        r.try_get(id)?,
        r.try_get("code_id")?,
        Span {
            start: r.try_get("span_start")?,
            end: r.try_get("span_end")?,
        },
        r.try_get("coder")?,
    ))
}

impl Store {
    /// The size of the change queue, for status lines.
    pub async fn pending_search_changes(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) FROM search_pending")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?)
    }

    /// How many documents the store holds, for progress lines.
    pub async fn document_total(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) FROM document")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?)
    }

    /// The last entry of the change queue, 0 when it is empty.
    pub(crate) async fn last_search_change(&self) -> Result<i64> {
        Ok(
            sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM search_pending")
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?,
        )
    }

    /// Every entry of the change queue, for a rebuild to forget once it has committed.
    pub(crate) async fn search_change_seqs(&self) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT seq FROM search_pending")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// The queue read as documents and memos to index again, leaving out the entries in
    /// `applied` (the index holds them; their deletion from the queue is under way).
    pub(crate) async fn search_changes(&self, applied: &BTreeSet<i64>) -> Result<PendingChanges> {
        // With the memos of the queued codings (a coding's memos show its passage), in the
        // same statement: every one a write waits for counts on a busy server.
        let rows = sqlx::query(
            "SELECT seq, entity, entity_id FROM search_pending
             UNION ALL
             SELECT NULL, 'coding_memo', m.id FROM memo m
             WHERE m.target = 'coding'
               AND m.target_id IN (SELECT entity_id FROM search_pending WHERE entity = 'coding')",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = PendingChanges::default();
        let (mut documents, mut memos) = (Vec::new(), Vec::new());
        let (mut codings, mut document_codes) = (Vec::new(), Vec::new());
        for r in &rows {
            let Some(seq) = r.try_get::<Option<i64>, _>("seq")? else {
                memos.push(r.try_get("entity_id")?);
                continue;
            };
            if applied.contains(&seq) {
                continue;
            }
            out.seqs.push(seq);
            let id: i64 = r.try_get("entity_id")?;
            let entity: String = r.try_get("entity")?;
            match entity.as_str() {
                "document" => documents.push(id),
                "memo" => memos.push(id),
                "coding" => codings.push(id),
                "document_codes" => document_codes.push(id),
                "forum" => documents.extend(
                    self.ids("SELECT id FROM document WHERE forum_id = $1", id)
                        .await?,
                ),
                "site" => {
                    documents.extend(
                        self.ids(
                            "SELECT d.id FROM document d JOIN forum f ON f.id = d.forum_id
                             WHERE f.site_id = $1",
                            id,
                        )
                        .await?,
                    );
                    memos.extend(
                        self.ids(
                            "SELECT id FROM memo WHERE target = 'site' AND target_id = $1",
                            id,
                        )
                        .await?,
                    );
                }
                other => return Err(Error::Corrupt(format!("search_pending.entity = {other:?}"))),
            }
        }
        documents.sort_unstable();
        documents.dedup();
        // A document's memos sit where it sits: they move with it.
        memos.extend(
            self.ids_among(
                "SELECT id FROM memo WHERE (target = 'document' AND target_id IN ({ids}))
                    OR (target = 'coding' AND target_id IN
                        (SELECT id FROM coding WHERE document_id IN ({ids})))",
                &documents,
            )
            .await?,
        );
        codings.sort_unstable();
        codings.dedup();
        // A document indexed whole carries its codes already.
        document_codes.sort_unstable();
        document_codes.dedup();
        document_codes.retain(|d| documents.binary_search(d).is_err());
        memos.sort_unstable();
        memos.dedup();
        out.codings = codings;
        out.document_codes = document_codes;
        out.documents = documents;
        out.memos = memos;
        Ok(out)
    }

    /// Forgets the queue entries `seqs`, once the index has committed them. By entry,
    /// not up to the last one read: on PostgreSQL a queue number is taken before its
    /// transaction commits, so an entry below it may commit after the queue was read.
    pub(crate) async fn forget_search_changes(&self, seqs: &[i64]) -> Result<()> {
        self.rows_among("DELETE FROM search_pending WHERE seq IN ({ids})", seqs)
            .await?;
        Ok(())
    }

    /// The rows `sql` returns for the ids `among`, asked 500 at a time (a statement's
    /// parameters are limited): `{ids}` in `sql` stands for a chunk's placeholders.
    async fn rows_among(&self, sql: &str, among: &[i64]) -> Result<Vec<AnyRow>> {
        let mut out = Vec::new();
        for chunk in among.chunks(500) {
            let sql = sql.replace("{ids}", &placeholders(chunk.len()));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            out.extend(q.fetch_all(&self.pool).await?);
        }
        Ok(out)
    }

    /// The ids `sql` selects for `among` ([`Store::rows_among`]).
    async fn ids_among(&self, sql: &str, among: &[i64]) -> Result<Vec<i64>> {
        let rows = self.rows_among(sql, among).await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    async fn ids(&self, sql: &'static str, id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(sql).bind(id).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Documents by id (those that no longer exist are left out).
    pub(crate) async fn search_documents(&self, ids: &[i64]) -> Result<Vec<SourceDocument>> {
        let rows = self.documents_by_id(ids).await?;
        self.with_codings(&rows).await
    }

    /// Documents by id with their codes but not their codings: what a document's own
    /// entry in the index needs.
    pub(crate) async fn search_document_entries(&self, ids: &[i64]) -> Result<Vec<SourceDocument>> {
        let mut docs = self
            .documents_by_id(ids)
            .await?
            .iter()
            .map(source_document)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<i64> = docs.iter().map(|d| d.id).collect();
        let coded = self
            .rows_among(
                "SELECT DISTINCT document_id, code_id FROM coding
                 WHERE document_id IN ({ids}) AND status <> 'rejected'
                 ORDER BY document_id, code_id",
                &ids,
            )
            .await?;
        let at: HashMap<i64, usize> = docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        for r in coded {
            if let Some(&i) = at.get(&r.try_get::<i64, _>(0)?) {
                docs[i].codes.push(r.try_get(1)?);
            }
        }
        Ok(docs)
    }

    async fn documents_by_id(&self, ids: &[i64]) -> Result<Vec<AnyRow>> {
        let sql = format!(
            "SELECT {DOCUMENT_COLUMNS} FROM document d {DOCUMENT_PLACE}
             WHERE d.id IN ({{ids}}) ORDER BY d.id"
        );
        self.rows_among(&sql, ids).await
    }

    /// Coded passages by id, each with its document's text and place: one
    /// [`SourceDocument`] per document, holding only the passages asked for (rejected and
    /// deleted ones are left out).
    pub(crate) async fn search_codings(&self, ids: &[i64]) -> Result<Vec<SourceDocument>> {
        let sql = format!(
            "SELECT c.id AS coding_id, c.code_id AS code_id, c.span_start AS span_start,
                    c.span_end AS span_end, c.coder AS coder, {DOCUMENT_COLUMNS}
             FROM coding c JOIN document d ON d.id = c.document_id {DOCUMENT_PLACE}
             WHERE c.id IN ({{ids}}) AND c.status <> 'rejected'
             ORDER BY d.id, c.span_start, c.id"
        );
        let mut out: Vec<SourceDocument> = Vec::new();
        for r in self.rows_among(&sql, ids).await? {
            let id: i64 = r.try_get("id")?;
            let coding = source_coding(&r, "coding_id")?;
            match out.last_mut() {
                Some(d) if d.id == id => d.codings.push(coding),
                _ => out.push(SourceDocument {
                    codings: vec![coding],
                    ..source_document(&r)?
                }),
            }
        }
        Ok(out)
    }

    /// The next `limit` documents after id `after`, in id order: a rebuild walks them all.
    pub(crate) async fn search_documents_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<SourceDocument>> {
        let sql = format!(
            "SELECT {DOCUMENT_COLUMNS} FROM document d {DOCUMENT_PLACE} WHERE d.id > $1 ORDER BY d.id LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        self.with_codings(&rows).await
    }

    async fn with_codings(&self, rows: &[AnyRow]) -> Result<Vec<SourceDocument>> {
        let mut docs: Vec<SourceDocument> =
            rows.iter().map(source_document).collect::<Result<_>>()?;
        let (Some(first), Some(last)) = (docs.first(), docs.last()) else {
            return Ok(docs);
        };
        let coded = sqlx::query(
            "SELECT id, document_id, code_id, span_start, span_end, coder FROM coding
             WHERE document_id BETWEEN $1 AND $2 AND status <> 'rejected'
             ORDER BY document_id, span_start, id",
        )
        .bind(first.id)
        .bind(last.id)
        .fetch_all(&self.pool)
        .await?;
        let at: HashMap<i64, usize> = docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        for r in &coded {
            let doc: i64 = r.try_get("document_id")?;
            if let Some(&i) = at.get(&doc) {
                docs[i].codings.push(source_coding(r, "id")?);
            }
        }
        for d in &mut docs {
            d.codes = d.codings.iter().map(|c| c.1).collect();
            d.codes.sort_unstable();
            d.codes.dedup();
        }
        Ok(docs)
    }

    /// Memos by id (those that no longer exist are left out).
    pub(crate) async fn search_memos(&self, ids: &[i64]) -> Result<Vec<SourceMemo>> {
        let rows = self
            .rows_among("SELECT * FROM memo WHERE id IN ({ids}) ORDER BY id", ids)
            .await?;
        self.place_memos(&rows).await
    }

    /// The next `limit` memos after id `after`.
    pub(crate) async fn search_memos_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<SourceMemo>> {
        let rows = sqlx::query("SELECT * FROM memo WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        self.place_memos(&rows).await
    }

    async fn place_memos(&self, rows: &[AnyRow]) -> Result<Vec<SourceMemo>> {
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let target: MemoTarget = parse(r, "target")?;
            let target_id: i64 = r.try_get("target_id")?;
            let mut memo = SourceMemo {
                id: r.try_get("id")?,
                text: r.try_get("text")?,
                target,
                target_id,
                placement: Placement {
                    study_id: r.try_get("study_id")?,
                    ..Placement::default()
                },
                document_id: None,
                span: None,
            };
            match target {
                MemoTarget::Document => memo.document_id = Some(target_id),
                MemoTarget::Coding => {
                    let row = sqlx::query(
                        "SELECT document_id, span_start, span_end FROM coding WHERE id = $1",
                    )
                    .bind(target_id)
                    .fetch_optional(&self.pool)
                    .await?;
                    if let Some(row) = row {
                        memo.document_id = Some(row.try_get("document_id")?);
                        memo.span = Some(Span {
                            start: row.try_get("span_start")?,
                            end: row.try_get("span_end")?,
                        });
                    }
                }
                MemoTarget::Site => {
                    let row = sqlx::query("SELECT province_th FROM site WHERE id = $1")
                        .bind(target_id)
                        .fetch_optional(&self.pool)
                        .await?;
                    if let Some(row) = row {
                        memo.placement.site_id = Some(target_id);
                        memo.placement.province = Some(row.try_get(0)?);
                    }
                }
                MemoTarget::Code => {}
            }
            if let Some(doc) = memo.document_id {
                let sql = format!(
                    "SELECT {DOCUMENT_COLUMNS} FROM document d {DOCUMENT_PLACE} WHERE d.id = $1"
                );
                match sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(doc)
                    .fetch_optional(&self.pool)
                    .await?
                {
                    Some(row) => memo.placement = placement(&row)?,
                    // The document is gone; the memo stays, placed in its study only.
                    None => memo.document_id = None,
                }
            }
            out.push(memo);
        }
        Ok(out)
    }
}

/// The names search results show for the sites, codes and forums they refer to.
#[derive(Debug, Default)]
pub struct SearchNames {
    /// Site id → its name with prefix ("ต.พระแท่น") and its province.
    pub sites: HashMap<i64, (String, String)>,
    /// Code id → "key name".
    pub codes: HashMap<i64, String>,
    pub forum_kinds: HashMap<i64, ForumKind>,
}

impl Store {
    /// Names for search results, read in one statement (a search asks for them every
    /// time; each statement is a round trip to the database's thread or server).
    pub async fn search_names(
        &self,
        sites: &[i64],
        codes: &[i64],
        forums: &[i64],
    ) -> Result<SearchNames> {
        let unique = |ids: &[i64]| {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let mut wanted: Vec<(u8, i64)> = Vec::new();
        for (what, ids) in [(0u8, sites), (1, codes), (2, forums)] {
            wanted.extend(unique(ids).into_iter().map(|id| (what, id)));
        }
        let mut names = SearchNames::default();
        // A statement's parameters are limited: 500 ids at a time.
        for chunk in wanted.chunks(500) {
            let mut selects = Vec::new();
            let mut at = 1;
            for (what, sql) in [
                (
                    0,
                    "SELECT 0 AS what, id, level AS a, name_th AS b, province_th AS c FROM site",
                ),
                // Named in every part: a chunk may hold no site, and a union's
                // columns take the names of its first part.
                (
                    1,
                    "SELECT 1 AS what, id, key AS a, name_th AS b, NULL AS c FROM code",
                ),
                (
                    2,
                    "SELECT 2 AS what, id, kind AS a, NULL AS b, NULL AS c FROM forum",
                ),
            ] {
                let n = chunk.iter().filter(|(w, _)| *w == what).count();
                if n > 0 {
                    selects.push(format!("{sql} WHERE id IN ({})", placeholders_from(at, n)));
                    at += n;
                }
            }
            let sql = selects.join(" UNION ALL ");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (_, id) in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await? {
                let id: i64 = r.try_get(1)?;
                match r.try_get::<i64, _>(0)? {
                    0 => {
                        let level: AdminLevel = parse(&r, "a")?;
                        let name: String = r.try_get(3)?;
                        names
                            .sites
                            .insert(id, (level.name_with_prefix(&name), r.try_get(4)?));
                    }
                    1 => {
                        let (key, name): (String, String) = (r.try_get(2)?, r.try_get(3)?);
                        names.codes.insert(id, format!("{key} {name}"));
                    }
                    _ => {
                        names.forum_kinds.insert(id, parse(&r, "a")?);
                    }
                }
            }
        }
        Ok(names)
    }
}
