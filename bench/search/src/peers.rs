//! The peer: SQLite FTS5 with its two tokenizers that could take Thai — `unicode61`
//! (words between spaces and punctuation) and `trigram` (every three characters) — built
//! from the same documents and asked the same queries.

use crate::measure::{Latencies, Stopwatch};
use crate::{Fallible, Mixed};
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Result key and tokenizer.
pub const TABLES: [(&str, &str); 2] =
    [("fts5_unicode61", "unicode61"), ("fts5_trigram", "trigram")];

pub async fn sqlite(path: &Path, create: bool) -> Result<SqlitePool, sqlx::Error> {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(create),
        )
        .await
}

fn table_path(db: &Path, tokenizer: &str) -> PathBuf {
    db.with_extension(format!("fts5-{tokenizer}.sqlite"))
}

/// Builds both tables, then times the query mix on each.
pub async fn run(db: &Path, mix: &[Mixed]) -> Fallible<Value> {
    let source = sqlite(db, false).await?;
    let mut out = serde_json::Map::new();
    for (name, tokenizer) in TABLES {
        let path = table_path(db, tokenizer);
        let _ = std::fs::remove_file(&path);
        let pool = sqlite(&path, true).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE VIRTUAL TABLE doc USING fts5(text, province UNINDEXED, year UNINDEXED, tokenize = '{tokenizer}')"
        )))
        .execute(&pool)
        .await?;
        let clock = Stopwatch::start();
        let mut tx = pool.begin().await?;
        let (mut after, mut documents, mut bytes) = (0i64, 0usize, 0usize);
        loop {
            let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
                "SELECT d.id, d.text, s.province_th, CAST(substr(f.date, 1, 4) AS INTEGER) + 543
                 FROM document d JOIN forum f ON f.id = d.forum_id JOIN site s ON s.id = f.site_id
                 WHERE d.id > ? ORDER BY d.id LIMIT 1000",
            )
            .bind(after)
            .fetch_all(&source)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            for (id, text, province, year) in &rows {
                sqlx::query("INSERT INTO doc (rowid, text, province, year) VALUES (?, ?, ?, ?)")
                    .bind(id)
                    .bind(text)
                    .bind(province)
                    .bind(year)
                    .execute(&mut *tx)
                    .await?;
                documents += 1;
                bytes += text.len();
            }
            eprint!("\r  {name}: {documents} documents");
        }
        sqlx::query("INSERT INTO doc (doc) VALUES ('optimize')")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let seconds = clock.seconds();
        eprintln!();
        let size = std::fs::metadata(&path)?.len();

        let mut totals = Vec::new();
        for q in mix {
            totals.push(ask(&pool, q).await?);
        }
        let mut latencies = Latencies::default();
        for _ in 0..crate::ROUNDS {
            for q in mix {
                let clock = Stopwatch::start();
                ask(&pool, q).await?;
                latencies.add(q.kind, clock.seconds());
            }
        }
        let mb = bytes as f64 / 1e6;
        out.insert(
            name.into(),
            json!({
                "documents": documents, "seconds": seconds,
                "docs_per_s": documents as f64 / seconds, "mb_per_s": mb / seconds,
                "index_mb": size as f64 / 1e6,
                "totals": totals, "in_process": latencies.summary(),
            }),
        );
        pool.close().await;
    }
    source.close().await;
    Ok(Value::Object(out))
}

/// What a search page needs from FTS5: the best twenty with an excerpt, and the count.
async fn ask(pool: &SqlitePool, q: &Mixed) -> Fallible<i64> {
    let facets = if q.province.is_some() {
        " AND province = ? AND year = ?"
    } else {
        ""
    };
    let top = format!(
        "SELECT rowid, snippet(doc, 0, '[', ']', '…', 16) FROM doc WHERE doc MATCH ?{facets} ORDER BY rank LIMIT 20"
    );
    let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(top)).bind(&q.fts5);
    if let (Some(p), Some(y)) = (&q.province, q.year_be) {
        query = query.bind(p).bind(y);
    }
    query.fetch_all(pool).await?;
    let count = format!("SELECT count(*) FROM doc WHERE doc MATCH ?{facets}");
    let mut query = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(count)).bind(&q.fts5);
    if let (Some(p), Some(y)) = (&q.province, q.year_be) {
        query = query.bind(p).bind(y);
    }
    Ok(query.fetch_one(pool).await?.0)
}

pub struct Peers(Vec<SqlitePool>);

pub async fn open(db: &Path) -> Fallible<Peers> {
    let mut pools = Vec::new();
    for (_, tokenizer) in TABLES {
        pools.push(sqlite(&table_path(db, tokenizer), false).await?);
    }
    Ok(Peers(pools))
}

/// The documents an FTS5 table matches for `expression`.
pub async fn matching(peers: &Peers, table: &str, expression: &str) -> Fallible<BTreeSet<i64>> {
    let i = TABLES
        .iter()
        .position(|(n, _)| *n == table)
        .ok_or("no such table")?;
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT rowid FROM doc WHERE doc MATCH ?")
        .bind(expression)
        .fetch_all(&peers.0[i])
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
