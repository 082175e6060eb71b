//! The Markdown that goes into BENCHMARKS.md, from the phases' JSON.

use crate::{Fallible, KINDS};
use serde_json::Value;
use std::fmt::Write;
use std::path::{Path, PathBuf};

struct Run {
    generate: Value,
    build: Value,
    query: Value,
    peers: Value,
    recall: Value,
}

fn load(dir: &Path) -> Fallible<Run> {
    let read = |name: &str| -> Fallible<Value> {
        let path = dir.join(format!("{name}.json"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(serde_json::from_str(&text)?)
    };
    Ok(Run {
        generate: read("generate")?,
        build: read("build")?,
        query: read("query")?,
        peers: read("peers")?,
        recall: read("recall")?,
    })
}

fn f(v: &Value, digits: usize) -> String {
    match v.as_f64() {
        Some(x) => format!("{x:.digits$}"),
        None => "–".into(),
    }
}

fn thousands(n: &Value) -> String {
    let s = n.as_u64().unwrap_or(0).to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "p50 / p99" in ms for each kind of query.
fn latency_cells(summary: &Value) -> String {
    KINDS
        .iter()
        .map(|k| {
            let s = &summary[*k];
            format!("{} / {}", f(&s["p50_ms"], 1), f(&s["p99_ms"], 1))
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

pub fn markdown(dirs: &[PathBuf]) -> Fallible<String> {
    let runs: Vec<Run> = dirs.iter().map(|d| load(d)).collect::<Fallible<_>>()?;
    let mut md = String::new();
    let w = &mut md;

    writeln!(w, "**Corpus**\n")?;
    writeln!(w, "| documents | text | coded passages | generated in |")?;
    writeln!(w, "|---|---|---|---|")?;
    for r in &runs {
        let g = &r.generate;
        writeln!(
            w,
            "| {} | {} MB | {} | {} s |",
            thousands(&g["documents"]),
            f(&g["mb"], 1),
            thousands(&g["codings"]),
            f(&g["seconds"], 0)
        )?;
    }

    writeln!(
        w,
        "\n**Index build** (from the store, everything included: reading, cutting, writing, merging)\n"
    )?;
    writeln!(
        w,
        "| documents | engine | docs/s | MB/s | index size | peak RSS | of it, own memory |"
    )?;
    writeln!(w, "|---|---|---|---|---|---|---|")?;
    for r in &runs {
        let b = &r.build;
        let n = thousands(&r.generate["documents"]);
        let text_mb = r.generate["mb"].as_f64().unwrap_or(1.0);
        writeln!(
            w,
            "| {n} | **rian** (Tantivy, {} threads) | {} | {} | {} MB ({}× text) | {} MB | {} MB |",
            b["threads"],
            f(&b["docs_per_s"], 0),
            f(&b["mb_per_s"], 2),
            f(&b["index_mb"], 0),
            f(&(b["index_mb"].as_f64().unwrap_or(0.0) / text_mb).into(), 2),
            f(&b["peak_rss_mb"], 0),
            f(&b["peak_anon_mb"], 0)
        )?;
        for (name, label) in [
            ("fts5_unicode61", "FTS5 unicode61"),
            ("fts5_trigram", "FTS5 trigram"),
        ] {
            let p = &r.peers[name];
            writeln!(
                w,
                "| {n} | {label} | {} | {} | {} MB ({}× text) | – | – |",
                f(&p["docs_per_s"], 0),
                f(&p["mb_per_s"], 2),
                f(&p["index_mb"], 0),
                f(&(p["index_mb"].as_f64().unwrap_or(0.0) / text_mb).into(), 2),
            )?;
        }
    }
    writeln!(
        w,
        "\nrian's segmenter alone over the same texts, one thread:"
    )?;
    for r in &runs {
        let b = &r.build;
        let ratio =
            b["mb_per_s"].as_f64().unwrap_or(0.0) / b["segment_mb_per_s"].as_f64().unwrap_or(1.0);
        writeln!(
            w,
            "- {} documents: {} MB/s; the build runs at {:.2}× the segmenter's speed.",
            thousands(&r.generate["documents"]),
            f(&b["segment_mb_per_s"], 2),
            ratio
        )?;
    }

    writeln!(
        w,
        "\n**Query latency in process**, ms, p50 / p99 (top 20 with excerpts and total; rian also counts six facets)\n"
    )?;
    writeln!(w, "| documents | engine | {} |", KINDS.join(" | "))?;
    writeln!(w, "|---|---|---|---|---|---|")?;
    for r in &runs {
        let n = thousands(&r.generate["documents"]);
        writeln!(
            w,
            "| {n} | **rian** | {} |",
            latency_cells(&r.query["in_process"])
        )?;
        for (name, label) in [
            ("fts5_unicode61", "FTS5 unicode61"),
            ("fts5_trigram", "FTS5 trigram"),
        ] {
            writeln!(
                w,
                "| {n} | {label} | {} |",
                latency_cells(&r.peers[name]["in_process"])
            )?;
        }
    }

    writeln!(
        w,
        "\n**rian over HTTP** (`/api/search`, a new connection per request, server and clients on the same 2 cores), ms, p50 / p99\n"
    )?;
    writeln!(
        w,
        "| documents | clients | {} | requests/s | RSS after |",
        KINDS.join(" | ")
    )?;
    writeln!(w, "|---|---|---|---|---|---|---|---|")?;
    for r in &runs {
        let q = &r.query;
        let n = thousands(&r.generate["documents"]);
        writeln!(
            w,
            "| {n} | 1 | {} | {} | {} MB |",
            latency_cells(&q["http_1"]),
            f(&q["http_1_per_s"], 0),
            f(&q["rss_after_http_mb"], 0)
        )?;
        writeln!(
            w,
            "| {n} | 8 | {} | {} | peak {} MB |",
            latency_cells(&q["http_8"]),
            f(&q["http_8_per_s"], 0),
            f(&q["peak_rss_mb"], 0)
        )?;
    }

    for r in &runs {
        let words = r.recall["words"].as_array().cloned().unwrap_or_default();
        writeln!(
            w,
            "\n**Recall at {} documents**: documents found, against a scan of every text for the word as the segmenter cuts it (\"as word\") and for the string anywhere (\"as string\"). R = recall, P = precision.\n",
            thousands(&r.recall["documents"])
        )?;
        writeln!(
            w,
            "| word | dictionary word | as word | as string | rian R word | rian R string | rian P word | unicode61 R word | trigram R word | trigram P word |"
        )?;
        writeln!(w, "|---|---|---|---|---|---|---|---|---|---|")?;
        for x in &words {
            // Recall against the word scan means nothing where no text holds the word.
            let none_as_word = x["as_word"].as_u64() == Some(0);
            let by_word = |v: &Value| {
                if none_as_word {
                    "–".to_string()
                } else {
                    f(v, 3)
                }
            };
            writeln!(
                w,
                "| {}{} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                x["word"].as_str().unwrap_or(""),
                if x["rian_widened"].as_bool() == Some(true) {
                    " †"
                } else {
                    ""
                },
                if x["dictionary_word"].as_bool() == Some(true) {
                    "yes"
                } else {
                    "no"
                },
                thousands(&x["as_word"]),
                thousands(&x["as_string"]),
                by_word(&x["rian"]["recall_word"]),
                f(&x["rian"]["recall_string"], 3),
                by_word(&x["rian"]["precision_word"]),
                by_word(&x["fts5_unicode61"]["recall_word"]),
                by_word(&x["fts5_trigram"]["recall_word"]),
                by_word(&x["fts5_trigram"]["precision_word"]),
            )?;
        }
        let dictionary: Vec<_> = words
            .iter()
            .filter(|x| x["dictionary_word"].as_bool() == Some(true))
            .collect();
        let min = |engine: &str| {
            dictionary
                .iter()
                .filter_map(|x| x[engine]["recall_word"].as_f64())
                .fold(1.0f64, f64::min)
        };
        writeln!(
            w,
            "\nLowest recall over the {} dictionary words: rian {:.3}, FTS5 unicode61 {:.3}, FTS5 trigram {:.3}. † no text holds the term as a word, so rian looked inside words (its fallback) and said so.",
            dictionary.len(),
            min("rian"),
            min("fts5_unicode61"),
            min("fts5_trigram")
        )?;
    }
    Ok(md)
}
