//! Search at scale, measured: rian's index beside SQLite FTS5 on the same generated corpus.
//!
//!   rian-bench-search generate --db D --docs N --shared S --repo R
//!   rian-bench-search build    --db D --out F     index build, size, peak memory
//!   rian-bench-search query    --db D --out F     latency in process and over HTTP
//!   rian-bench-search peers    --db D --out F     FTS5 build, size, latency
//!   rian-bench-search recall   --db D --out F     recall against brute-force scans
//!   rian-bench-search report   F...               the Markdown for BENCHMARKS.md
//!
//! Each phase runs in its own process so that its peak resident memory is its own.
//! `bench/search/run.sh` runs them all at 10k and 100k documents.

mod corpus;
mod http;
mod measure;
mod peers;
mod report;

use measure::{AnonPeak, Latencies, Stopwatch, memory_mb};

// The allocator the rian binary runs on, so that memory and latency are rian's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use rian_core::search::tokens;
use rian_core::search::{Filter, Request, Unit};
use rian_core::store::{Location, OpenMode, Store};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

struct Args {
    command: String,
    db: PathBuf,
    out: Option<PathBuf>,
    docs: usize,
    shared: PathBuf,
    repo: PathBuf,
    rest: Vec<PathBuf>,
}

fn args() -> Fallible<Args> {
    let mut it = std::env::args().skip(1);
    let command = it
        .next()
        .ok_or("usage: rian-bench-search COMMAND [options]")?;
    let mut a = Args {
        command,
        db: PathBuf::new(),
        out: None,
        docs: 10_000,
        shared: PathBuf::from("../shared"),
        repo: PathBuf::from("."),
        rest: Vec::new(),
    };
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--db" => a.db = value()?.into(),
            "--out" => a.out = Some(value()?.into()),
            "--docs" => a.docs = value()?.parse()?,
            "--shared" => a.shared = value()?.into(),
            "--repo" => a.repo = value()?.into(),
            _ => a.rest.push(arg.into()),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rian-bench-search: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Fallible<()> {
    let a = args()?;
    let rt = tokio::runtime::Runtime::new()?;
    let result = match a.command.as_str() {
        "generate" => {
            let clauses = corpus::Clauses::load(&a.shared, &a.repo)?;
            let g = rt.block_on(corpus::generate(&a.db, a.docs, &clauses))?;
            json!({
                "documents": g.documents, "codings": g.codings, "mb": g.bytes as f64 / 1e6,
                "seconds": g.seconds,
                "clauses": {"forum": clauses.forum.len(), "everyday": clauses.everyday.len()},
            })
        }
        "build" => build(&rt, &a.db)?,
        "query" => query(&rt, &a.db)?,
        "peers" => rt.block_on(peers::run(&a.db, &queries(&rt, &a.db)?))?,
        "recall" => recall(&rt, &a.db)?,
        "report" => {
            print!("{}", report::markdown(&a.rest)?);
            return Ok(());
        }
        other => return Err(format!("unknown command {other}").into()),
    };
    let text = serde_json::to_string_pretty(&result)?;
    match &a.out {
        Some(path) => std::fs::write(path, text)?,
        None => println!("{text}"),
    }
    Ok(())
}

fn location(db: &Path) -> Location {
    Location::Sqlite(db.to_path_buf())
}

/// Builds the index from nothing, then times the segmenter alone over the same texts.
fn build(rt: &tokio::runtime::Runtime, db: &Path) -> Fallible<Value> {
    let dir = db.with_extension("index");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let store = rt.block_on(Store::open_unindexed(&location(db), OpenMode::Existing))?;
    let anon = AnonPeak::start();
    let clock = Stopwatch::start();
    let done = rt.block_on(store.search_index()?.rebuild(&store, &mut |p| {
        eprint!("\r  indexed {} documents", p.documents)
    }))?;
    let seconds = clock.seconds();
    eprintln!();
    let peak = memory_mb("VmHWM");
    let anon_peak = anon.finish();
    let size = dir_bytes(&dir)?;

    // The segmenter alone, one thread, over the same texts: the floor for the build.
    let mut segment_seconds = 0.0;
    let mut words = 0usize;
    rt.block_on(each_text(db, |_, text| {
        let clock = Stopwatch::start();
        words += tokens::words(text).len();
        segment_seconds += clock.seconds();
    }))?;
    let mb = done.bytes as f64 / 1e6;
    Ok(json!({
        "documents": done.documents, "codings": done.codings, "mb": mb,
        "seconds": seconds, "docs_per_s": done.documents as f64 / seconds, "mb_per_s": mb / seconds,
        "threads": std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        "segment_mb_per_s": mb / segment_seconds, "words": words,
        "index_mb": size as f64 / 1e6, "peak_rss_mb": peak, "peak_anon_mb": anon_peak,
    }))
}

/// Calls `f` with every document's id and text, a thousand at a time.
async fn each_text(db: &Path, mut f: impl FnMut(i64, &str)) -> Fallible<()> {
    let pool = peers::sqlite(db, false).await?;
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, text FROM document WHERE id > ? ORDER BY id LIMIT 1000")
                .bind(after)
                .fetch_all(&pool)
                .await?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (id, text) in &rows {
            f(*id, text);
        }
    }
    pool.close().await;
    Ok(())
}

fn dir_bytes(dir: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        total += if e.file_type()?.is_dir() {
            dir_bytes(&e.path())?
        } else {
            e.metadata()?.len()
        };
    }
    Ok(total)
}

/// One query of the mix, in the forms each engine takes.
#[derive(Debug, Clone)]
pub struct Mixed {
    pub kind: &'static str,
    /// rian's query syntax.
    pub query: String,
    /// The same as an FTS5 MATCH expression.
    pub fts5: String,
    pub province: Option<String>,
    pub year_be: Option<i32>,
}

pub const KINDS: [&str; 4] = ["one word", "two words", "phrase", "word + facets"];

const ONE_WORD: [&str; 8] = [
    "กองทุน",
    "เครือข่าย",
    "ผู้สูงอายุ",
    "แกนนำ",
    "วัฒนธรรม",
    "ปัญหา",
    "สมาชิก",
    "ภูมิปัญญา",
];
const TWO_WORDS: [(&str, &str); 6] = [
    ("กองทุน", "สวัสดิการ"),
    ("แกนนำ", "ชุมชน"),
    ("เครือข่าย", "หน่วยงาน"),
    ("ปัญหา", "อุปสรรค"),
    ("ประเพณี", "วัฒนธรรม"),
    ("สมาชิก", "ช่วยเหลือ"),
];
const PHRASES: [&str; 5] = [
    "กองทุนสวัสดิการชุมชน",
    "สภาองค์กรชุมชน",
    "เวทีคืนข้อมูล",
    "ภาพฝันในอนาคต",
    "การทำงานเป็นทีม",
];

/// The query mix, with provinces and years that the corpus holds.
fn queries(rt: &tokio::runtime::Runtime, db: &Path) -> Fallible<Vec<Mixed>> {
    let provinces: Vec<(String,)> = rt.block_on(async {
        let pool = peers::sqlite(db, false).await?;
        let rows = sqlx::query_as(
            "SELECT province_th FROM site GROUP BY province_th ORDER BY count(*) DESC, province_th LIMIT 3",
        )
        .fetch_all(&pool)
        .await;
        pool.close().await;
        rows
    })?;
    let mut mix = Vec::new();
    for w in ONE_WORD {
        mix.push(Mixed {
            kind: KINDS[0],
            query: w.into(),
            fts5: format!("\"{w}\""),
            province: None,
            year_be: None,
        });
    }
    for (a, b) in TWO_WORDS {
        mix.push(Mixed {
            kind: KINDS[1],
            query: format!("{a} {b}"),
            fts5: format!("\"{a}\" AND \"{b}\""),
            province: None,
            year_be: None,
        });
    }
    for p in PHRASES {
        mix.push(Mixed {
            kind: KINDS[2],
            query: format!("\"{p}\""),
            fts5: format!("\"{p}\""),
            province: None,
            year_be: None,
        });
    }
    for (i, w) in ONE_WORD.iter().take(6).enumerate() {
        mix.push(Mixed {
            kind: KINDS[3],
            query: w.to_string(),
            fts5: format!("\"{w}\""),
            province: Some(provinces[i % provinces.len()].0.clone()),
            year_be: Some(2561 + 2 * (i as i32 % 4)),
        });
    }
    Ok(mix)
}

impl Mixed {
    fn request(&self) -> Request {
        let mut r = Request::new(self.query.clone());
        r.filter = Filter {
            provinces: self.province.iter().cloned().collect(),
            years: self.year_be.into_iter().collect(),
            ..Filter::default()
        };
        r
    }

    fn path(&self) -> String {
        let mut p = format!("/api/search?q={}", http::encode(&self.query));
        if let Some(province) = &self.province {
            p += &format!("&province={}", http::encode(province));
        }
        if let Some(y) = self.year_be {
            p += &format!("&year={y}");
        }
        p
    }
}

/// Rounds of the whole mix per measurement.
pub const ROUNDS: usize = 12;

/// Latency in process (the library call the CLI makes) and over HTTP (the workbench's
/// /api/search), with one client and with eight at once.
fn query(rt: &tokio::runtime::Runtime, db: &Path) -> Fallible<Value> {
    let mix = queries(rt, db)?;
    let store = rt.block_on(Store::open_with(&location(db), OpenMode::Existing))?;
    let index = store.search_index()?;
    let mut totals = Vec::new();
    for q in &mix {
        // The first pass warms the caches and records what each query finds.
        let found = rt.block_on(index.search(&store, &q.request()))?;
        totals.push(
            json!({"kind": q.kind, "query": q.query, "province": q.province,
                           "year": q.year_be, "total": found.total}),
        );
    }
    let mut in_process = Latencies::default();
    for _ in 0..ROUNDS {
        for q in &mix {
            let request = q.request();
            let clock = Stopwatch::start();
            rt.block_on(index.search(&store, &request))?;
            in_process.add(q.kind, clock.seconds());
        }
    }
    let rss_in_process = memory_mb("VmRSS");

    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let address = listener.local_addr()?;
    let server = rt.spawn(rian_web::serve(
        listener,
        rian_web::router(store.clone()),
        std::future::pending(),
    ));
    // The web answer must be the library's answer.
    for (q, t) in mix.iter().zip(&totals) {
        let body = http::get(address, &q.path()).map_err(|e| e.to_string())?;
        let got: Value = serde_json::from_str(&body)?;
        if got["total"] != t["total"] {
            return Err(format!(
                "{}: HTTP found {} but the library {}",
                q.query, got["total"], t["total"]
            )
            .into());
        }
    }
    let paths: Vec<(&'static str, String)> = mix.iter().map(|q| (q.kind, q.path())).collect();
    let one = http::load(address, &paths, 1, ROUNDS * paths.len())?;
    let eight = http::load(address, &paths, 8, ROUNDS * paths.len())?;
    server.abort();
    Ok(json!({
        "queries": totals,
        "in_process": in_process.summary(),
        "http_1": one.latencies.summary(), "http_1_per_s": one.per_second,
        "http_8": eight.latencies.summary(), "http_8_per_s": eight.per_second,
        "rss_after_queries_mb": rss_in_process,
        "rss_after_http_mb": memory_mb("VmRSS"),
        "peak_rss_mb": memory_mb("VmHWM"),
    }))
}

/// Words whose recall is measured: dictionary words of the forum vocabulary, short words
/// that also live inside longer ones, and names the dictionary does not hold.
const RECALL_WORDS: [&str; 32] = [
    "ชุมชน",
    "กองทุน",
    "สวัสดิการ",
    "เครือข่าย",
    "แกนนำ",
    "ผู้สูงอายุ",
    "ปัญหา",
    "ประเพณี",
    "วัฒนธรรม",
    "ภูมิปัญญา",
    "สมาชิก",
    "ออมทรัพย์",
    "เยาวชน",
    "โรงเรียน",
    "อาชีพ",
    "รายได้",
    "สุขภาพ",
    "ขยะ",
    "เกษตร",
    "งบประมาณ",
    "ประชุม",
    "ความร่วมมือ",
    "ช่วยเหลือ",
    "หน่วยงาน",
    "ทุน",
    "น้ำ",
    "คน",
    "ป่า",
    "วัด",
    "covid",
    "ธนบุรี",
    "บางไส้ไก่",
];

/// For each word, which documents rian finds, against which documents hold it as a word
/// (the segmenter's cut) and which hold it as a string at all.
fn recall(rt: &tokio::runtime::Runtime, db: &Path) -> Fallible<Value> {
    let folded: Vec<String> = RECALL_WORDS.iter().map(|w| tokens::fold(w)).collect();
    let mut as_word: Vec<BTreeSet<i64>> = vec![BTreeSet::new(); RECALL_WORDS.len()];
    let mut as_string: Vec<BTreeSet<i64>> = vec![BTreeSet::new(); RECALL_WORDS.len()];
    let mut documents = 0;
    rt.block_on(each_text(db, |id, text| {
        documents += 1;
        let terms: HashSet<String> = tokens::words(text).into_iter().map(|(_, t)| t).collect();
        let lower = text.to_lowercase();
        for (i, w) in folded.iter().enumerate() {
            if terms.contains(w) {
                as_word[i].insert(id);
            }
            if lower.contains(w.as_str()) {
                as_string[i].insert(id);
            }
        }
    }))?;
    let store = rt.block_on(Store::open_with(&location(db), OpenMode::Existing))?;
    let index = store.search_index()?;
    let peers = rt.block_on(peers::open(db))?;
    let mut rows = Vec::new();
    for (i, word) in RECALL_WORDS.iter().enumerate() {
        let mut found = BTreeSet::new();
        let mut request = Request::new(*word);
        request.filter.units = vec![Unit::Document];
        request.limit = 500;
        let mut widened = false;
        loop {
            let page = rt.block_on(index.search(&store, &request))?;
            widened |= !page.widened.is_empty();
            found.extend(page.hits.iter().map(|h| h.id));
            request.offset += page.hits.len();
            if page.hits.is_empty() || request.offset >= page.total {
                break;
            }
        }
        let mut row = json!({
            "word": word,
            "dictionary_word": tokens::is_single_known_word(word),
            "as_word": as_word[i].len(), "as_string": as_string[i].len(),
            "rian": score(&found, &as_word[i], &as_string[i]),
            "rian_widened": widened,
        });
        for (name, _) in peers::TABLES {
            let ids = rt.block_on(peers::matching(&peers, name, &format!("\"{word}\"")))?;
            row[name] = score(&ids, &as_word[i], &as_string[i]);
        }
        eprintln!("  recall {word}: {}", row["rian"]);
        rows.push(row);
    }
    Ok(json!({"documents": documents, "words": rows}))
}

/// Recall and precision against the word scan and the string scan. A hit whose text does
/// not hold the string is wrong for any reading; one that holds it only inside another
/// word (ทุน in กองทุน) is wrong for a word search.
fn score(found: &BTreeSet<i64>, as_word: &BTreeSet<i64>, as_string: &BTreeSet<i64>) -> Value {
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    json!({
        "found": found.len(),
        "recall_word": ratio(found.intersection(as_word).count(), as_word.len()),
        "recall_string": ratio(found.intersection(as_string).count(), as_string.len()),
        "precision_word": ratio(found.intersection(as_word).count(), found.len()),
        "precision_string": ratio(found.intersection(as_string).count(), found.len()),
    })
}
