//! What the cross-site synthesis reads: every accepted coded passage of a study with
//! where it sits (site, forum, date, paragraph, clause), passages' text for quotes, the
//! researcher's cell summaries, and the study's forums (migration 0006).

use super::Store;
use super::rows::{self, parse};
use crate::analyze::units::Units;
use crate::model::*;
use crate::{Error, Result};
use sqlx::Row;

/// An accepted coded passage, placed in the study.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedPassage {
    pub coding_id: i64,
    pub code_id: i64,
    pub document_id: i64,
    pub forum_id: i64,
    pub site_id: i64,
    pub forum_kind: ForumKind,
    pub date: Option<IsoDate>,
    pub span: Span,
    /// First and last paragraph, first and last clause of its document it touches.
    pub paragraphs: (i64, i64),
    pub clauses: (i64, i64),
}

/// A passage as a quote: its words, and the document it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub coding_id: i64,
    pub code_id: i64,
    pub document_id: i64,
    pub document_title: String,
    pub span: Span,
    pub text: String,
}

/// Codings placed per batch while filling in paragraphs and clauses.
const PLACE_BATCH: i64 = 2_000;

impl Store {
    /// Fills in the paragraph and clause of every coding that has none yet (new, or its
    /// span changed). Analyses call this first; it returns how many were placed.
    pub async fn place_codings(&self) -> Result<usize> {
        let mut placed = 0;
        loop {
            let rows = sqlx::query(
                "SELECT id, document_id, span_start, span_end FROM coding
                 WHERE paragraph_first IS NULL ORDER BY document_id, id LIMIT $1",
            )
            .bind(PLACE_BATCH)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                return Ok(placed);
            }
            let mut tx = self.pool.begin().await?;
            let mut units: Option<(i64, Units)> = None;
            for r in &rows {
                let id: i64 = r.try_get("id")?;
                let document: i64 = r.try_get("document_id")?;
                if units.as_ref().is_none_or(|(d, _)| *d != document) {
                    let text: String = sqlx::query("SELECT text FROM document WHERE id = $1")
                        .bind(document)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get(0)?;
                    units = Some((document, Units::of(&text)));
                }
                let Some((_, u)) = &units else { continue };
                let p = u.place(r.try_get("span_start")?, r.try_get("span_end")?);
                sqlx::query(
                    "UPDATE coding SET paragraph_first = $2, paragraph_last = $3,
                       clause_first = $4, clause_last = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(p.paragraphs.0)
                .bind(p.paragraphs.1)
                .bind(p.clauses.0)
                .bind(p.clauses.1)
                .execute(&mut *tx)
                .await?;
                placed += 1;
            }
            tx.commit().await?;
        }
    }

    /// Every accepted coded passage of a study, ordered by document and position.
    pub async fn coded_passages(&self, study_id: i64) -> Result<Vec<CodedPassage>> {
        self.place_codings().await?;
        let rows = sqlx::query(
            "SELECT c.id AS id, c.code_id AS code_id, c.document_id AS document_id,
                    d.forum_id AS forum_id, f.site_id AS site_id, f.kind AS kind, f.date AS date,
                    c.span_start AS span_start, c.span_end AS span_end,
                    c.paragraph_first AS pf, c.paragraph_last AS pl,
                    c.clause_first AS cf, c.clause_last AS cl
             FROM coding c
             JOIN document d ON d.id = c.document_id
             JOIN forum f ON f.id = d.forum_id
             JOIN site s ON s.id = f.site_id
             WHERE s.study_id = $1 AND c.status = 'accepted'
             ORDER BY c.document_id, c.span_start, c.id",
        )
        .bind(study_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let unplaced = || Error::Corrupt("a coding was not placed".into());
                Ok(CodedPassage {
                    coding_id: r.try_get("id")?,
                    code_id: r.try_get("code_id")?,
                    document_id: r.try_get("document_id")?,
                    forum_id: r.try_get("forum_id")?,
                    site_id: r.try_get("site_id")?,
                    forum_kind: parse(r, "kind")?,
                    date: rows::date(r, "date")?,
                    span: Span {
                        start: r.try_get("span_start")?,
                        end: r.try_get("span_end")?,
                    },
                    paragraphs: (
                        r.try_get::<Option<i64>, _>("pf")?.ok_or_else(unplaced)?,
                        r.try_get::<Option<i64>, _>("pl")?.ok_or_else(unplaced)?,
                    ),
                    clauses: (
                        r.try_get::<Option<i64>, _>("cf")?.ok_or_else(unplaced)?,
                        r.try_get::<Option<i64>, _>("cl")?.ok_or_else(unplaced)?,
                    ),
                })
            })
            .collect()
    }

    /// The passages of these codings as quotes, in the order given.
    pub async fn quotes(&self, coding_ids: &[i64]) -> Result<Vec<Quote>> {
        let mut out = Vec::with_capacity(coding_ids.len());
        for chunk in coding_ids.chunks(500) {
            let list = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            // substr counts characters in both SQLite and PostgreSQL, as spans do.
            let sql = format!(
                "SELECT c.id AS id, c.code_id AS code_id, c.document_id AS document_id,
                        d.title AS title, c.span_start AS s, c.span_end AS e,
                        substr(d.text, c.span_start + 1, c.span_end - c.span_start) AS passage
                 FROM coding c JOIN document d ON d.id = c.document_id
                 WHERE c.id IN ({list})"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.push(Quote {
                    coding_id: r.try_get("id")?,
                    code_id: r.try_get("code_id")?,
                    document_id: r.try_get("document_id")?,
                    document_title: r.try_get("title")?,
                    span: Span {
                        start: r.try_get("s")?,
                        end: r.try_get("e")?,
                    },
                    text: r.try_get("passage")?,
                });
            }
        }
        let order: std::collections::HashMap<i64, usize> = coding_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i))
            .collect();
        out.sort_by_key(|q| order.get(&q.coding_id).copied().unwrap_or(usize::MAX));
        Ok(out)
    }

    /// The summaries written in a study's matrix with rows of this kind.
    pub async fn cell_summaries(
        &self,
        study_id: i64,
        rows_of: MatrixRows,
    ) -> Result<Vec<CellSummary>> {
        let rows = sqlx::query(
            "SELECT * FROM cell_summary WHERE study_id = $1 AND row_kind = $2 ORDER BY id",
        )
        .bind(study_id)
        .bind(rows_of.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::cell_summary).collect()
    }

    /// Every forum of a study, by site and date.
    pub async fn study_forums(&self, study_id: i64) -> Result<Vec<Forum>> {
        let rows = sqlx::query(
            "SELECT f.* FROM forum f JOIN site s ON s.id = f.site_id
             WHERE s.study_id = $1 ORDER BY s.position, f.date, f.id",
        )
        .bind(study_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::forum).collect()
    }

    /// Every community of a study's sites.
    pub async fn study_communities(&self, study_id: i64) -> Result<Vec<Community>> {
        let rows = sqlx::query(
            "SELECT c.* FROM community c JOIN site s ON s.id = c.site_id
             WHERE s.study_id = $1 ORDER BY s.position, c.id",
        )
        .bind(study_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::community).collect()
    }

    /// The normalized text of every document of a study, with its site.
    pub async fn study_texts(&self, study_id: i64) -> Result<Vec<(i64, i64, String)>> {
        let rows = sqlx::query(
            "SELECT d.id AS id, f.site_id AS site_id, d.text AS text FROM document d
             JOIN forum f ON f.id = d.forum_id JOIN site s ON s.id = f.site_id
             WHERE s.study_id = $1 ORDER BY d.id",
        )
        .bind(study_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("site_id")?, r.try_get("text")?)))
            .collect()
    }
}
