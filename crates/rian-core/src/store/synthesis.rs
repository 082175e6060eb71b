//! What the cross-site synthesis reads: every accepted coded passage of a study with
//! where it sits (site, forum, date, paragraph, clause), passages' text for quotes, the
//! researcher's cell summaries, and the study's forums (migration 0006).

use super::Store;
use super::rows;
use crate::analyze::units::Units;
use crate::model::*;
use crate::{Error, Result};
use sqlx::Row;
use std::collections::HashMap;

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

async fn set_place(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    p: crate::analyze::units::Placed,
) -> Result<()> {
    sqlx::query(
        "UPDATE coding SET paragraph_first = $2, paragraph_last = $3,
           clause_first = $4, clause_last = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(p.paragraphs.0)
    .bind(p.paragraphs.1)
    .bind(p.clauses.0)
    .bind(p.clauses.1)
    .execute(conn)
    .await?;
    Ok(())
}

impl super::Tx {
    /// Places one coding in its document's paragraphs and clauses, in this write: a coding
    /// made or moved through the edit layer is ready for analysis when it is saved, so
    /// that opening an analysis on a busy server never has to write (and on PostgreSQL,
    /// analyses opened together queued on the placing of each other's new codings).
    pub(crate) async fn place_coding(&mut self, id: i64) -> Result<()> {
        let row = sqlx::query(
            "SELECT c.span_start AS span_start, c.span_end AS span_end, d.text AS text
             FROM coding c JOIN document d ON d.id = c.document_id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *self.tx)
        .await?;
        let Some(r) = row else { return Ok(()) };
        let text: String = r.try_get("text")?;
        let p = Units::of(&text).place(r.try_get("span_start")?, r.try_get("span_end")?);
        set_place(&mut self.tx, id, p).await
    }
}

impl Store {
    /// Fills in the paragraph and clause of every coding that has none yet (new, or its
    /// span changed). Analyses call this first; it returns how many were placed.
    pub async fn place_codings(&self) -> Result<usize> {
        // Analyses opened together would each place the same new codings, and on
        // PostgreSQL wait on each other's row locks: the first places them, the others
        // then find none left.
        let _one = self.placing.lock().await;
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
            let mut tx = self.begin_write().await?;
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
                set_place(&mut tx, id, p).await?;
                placed += 1;
            }
            tx.commit().await?;
        }
    }

    /// Every accepted coded passage of a study, ordered by document and position. Codings
    /// the edit layer wrote are placed already; imports' are placed here, once.
    pub async fn coded_passages(&self, study_id: i64) -> Result<Vec<CodedPassage>> {
        self.place_codings().await?;
        // Where each document sits, and then every coding, each read as one row holding
        // the values as words of a string. The driver hands rows from its worker thread
        // one at a time, and at 100k codings waking for each row cost more than all of the
        // analysis after it (BENCHMARKS.md, "Cross-site synthesis").
        let (concat, format) = self.backend.concat_format();
        let placement = format!(
            "SELECT {concat}({format}('%s %s %s %s %s', d.id, d.forum_id, f.site_id, f.kind,
                                      coalesce(f.date, '-')), ' ')
             FROM document d JOIN forum f ON f.id = d.forum_id JOIN site s ON s.id = f.site_id
             WHERE s.study_id = $1"
        );
        let placement: Option<String> = sqlx::query(sqlx::AssertSqlSafe(placement))
            .bind(study_id)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let corrupt = |what: &str| Error::Corrupt(format!("coded passages: {what}"));
        let mut placed: HashMap<i64, (i64, i64, ForumKind, Option<IsoDate>)> = HashMap::new();
        let words: Vec<&str> = placement
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        for w in words.chunks(5) {
            let [id, forum, site, kind, date] = w else {
                return Err(corrupt("a document's place"));
            };
            let number = |n: &str| n.parse::<i64>().map_err(|_| corrupt(n));
            let date = match *date {
                "-" => None,
                d => Some(IsoDate::parse(d).ok_or_else(|| corrupt(d))?),
            };
            let kind = kind.parse().map_err(|_| corrupt(kind))?;
            placed.insert(number(id)?, (number(forum)?, number(site)?, kind, date));
        }
        // Formatted by printf in one call and sorted here: both cheaper than SQL's
        // concatenation and ordered aggregate (BENCHMARKS.md). Migration 0007's index
        // covers every column read, so this never touches the coding table itself.
        let codings = format!(
            "SELECT {concat}({format}('%s %s %s %s %s %s %s %s %s', document_id, id, code_id,
                                      span_start, span_end, paragraph_first, paragraph_last,
                                      clause_first, clause_last), ' ')
             FROM coding
             WHERE code_id IN (SELECT id FROM code WHERE study_id = $1) AND status = 'accepted'
               AND paragraph_first IS NOT NULL AND clause_first IS NOT NULL"
        );
        let codings: Option<String> = sqlx::query(sqlx::AssertSqlSafe(codings))
            .bind(study_id)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let numbers: Vec<i64> = codings
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(|n| n.parse().map_err(|_| corrupt("a coding was not placed")))
            .collect::<Result<_>>()?;
        // A coding written between placing and this read has no place yet: the next read
        // has it.
        if !numbers.len().is_multiple_of(9) {
            return Err(corrupt("a coding's values"));
        }
        let mut out = Vec::with_capacity(numbers.len() / 9);
        for c in numbers.chunks_exact(9) {
            // A coding whose code is in the study but whose document is not: not evidence
            // of this study (the edit layer refuses it; a raw write could make one).
            let Some(&(forum_id, site_id, forum_kind, date)) = placed.get(&c[0]) else {
                continue;
            };
            out.push(CodedPassage {
                coding_id: c[1],
                code_id: c[2],
                document_id: c[0],
                forum_id,
                site_id,
                forum_kind,
                date,
                span: Span {
                    start: c[3],
                    end: c[4],
                },
                paragraphs: (c[5], c[6]),
                clauses: (c[7], c[8]),
            });
        }
        out.sort_unstable_by_key(|p| (p.document_id, p.span.start, p.coding_id));
        Ok(out)
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
                        substr(d.text, CAST(c.span_start + 1 AS INTEGER),
                               CAST(c.span_end - c.span_start AS INTEGER)) AS passage
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
        let order: HashMap<i64, usize> = coding_ids
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

    /// Who coded a study: each coder's name and accepted codings, most first.
    pub async fn coders(&self, study_id: i64) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT c.coder AS coder, COUNT(*) AS n FROM coding c JOIN code k ON k.id = c.code_id
             WHERE k.study_id = $1 AND c.status = 'accepted'
             GROUP BY c.coder ORDER BY COUNT(*) DESC, c.coder",
        )
        .bind(study_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("coder")?, r.try_get("n")?)))
            .collect()
    }

    /// The accepted codings two coders made in a study, and the documents they are in.
    pub async fn codings_by(
        &self,
        study_id: i64,
        coders: [&str; 2],
    ) -> Result<(Vec<Document>, Vec<Coding>)> {
        let rows = sqlx::query(
            "SELECT c.* FROM coding c JOIN code k ON k.id = c.code_id
             WHERE k.study_id = $1 AND c.status = 'accepted' AND (c.coder = $2 OR c.coder = $3)
             ORDER BY c.document_id, c.span_start, c.id",
        )
        .bind(study_id)
        .bind(coders[0].to_string())
        .bind(coders[1].to_string())
        .fetch_all(&self.pool)
        .await?;
        let codings: Vec<Coding> = rows.iter().map(rows::coding).collect::<Result<_>>()?;
        let mut ids: Vec<i64> = codings.iter().map(|c| c.document_id).collect();
        ids.dedup();
        let mut documents = Vec::with_capacity(ids.len());
        for id in ids {
            documents.push(self.document(id).await?);
        }
        Ok((documents, codings))
    }

    /// A study's sites in its own order (without the status `site_overviews` derives).
    pub async fn study_sites(&self, study_id: i64) -> Result<Vec<Site>> {
        let rows = sqlx::query("SELECT * FROM site WHERE study_id = $1 ORDER BY position, id")
            .bind(study_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::site).collect()
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
