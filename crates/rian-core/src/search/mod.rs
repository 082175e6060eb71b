//! Full-text search over every study: documents, coded passages and memos, cut into Thai
//! words by rian's own segmenter, ranked by BM25 (Tantivy), with facets, excerpts whose
//! highlights fall on word boundaries, and a concordance.
//!
//! The store is the source of truth; the index beside it is a cache. Every write to the
//! store queues what it changed in the same transaction (`search_pending`, filled by
//! triggers), and [`SearchIndex::sync`] applies the queue after the store commits. A crash
//! in between leaves the queue, and the next start applies it; an index that is missing,
//! from an older version, or unreadable is rebuilt from the store ([`SearchIndex::rebuild`],
//! `rian reindex`).
//!
//! Each term is searched as a word. The fallback — two-character grams, matched as a
//! phrase — finds text wherever the segmenter cut it: a term that is not one dictionary
//! word (a name, several words typed together, a phrase) is searched both ways, and a
//! dictionary word that no text holds as a word is looked for inside words.

mod directory;
mod find;
mod index;
pub mod query;
pub mod snippet;
pub mod tokens;

use crate::model::*;
use crate::store::{Placement, SourceDocument, SourceMemo, Store};
use crate::thai::dates::{DateStyle, format_be};
use crate::{Error, Result};
use directory::GroupSyncDirectory;
use query::Query;
use serde::Serialize;
use snippet::{Cut, Pattern, Snippet};
use std::collections::HashMap;
use std::ops::{Bound, Range};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhrasePrefixQuery,
    PhraseQuery, Query as EngineQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// What a search hit is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Document,
    Coding,
    Memo,
}

impl Unit {
    pub const ALL: [Unit; 3] = [Unit::Document, Unit::Coding, Unit::Memo];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Document => "document",
            Unit::Coding => "coding",
            Unit::Memo => "memo",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Unit::Document, Lang::Th) => "เอกสาร",
            (Unit::Document, Lang::En) => "Document",
            (Unit::Coding, Lang::Th) => "ข้อความที่ลงรหัส",
            (Unit::Coding, Lang::En) => "Coded passage",
            (Unit::Memo, Lang::Th) => "บันทึก",
            (Unit::Memo, Lang::En) => "Memo",
        }
    }
}

impl std::str::FromStr for Unit {
    type Err = Error;
    fn from_str(s: &str) -> Result<Unit> {
        Unit::ALL
            .into_iter()
            .find(|u| u.as_str() == s)
            .ok_or_else(|| Error::UnknownValue {
                kind: "Unit",
                value: s.to_string(),
            })
    }
}

/// Narrowing a search. Values within one list are alternatives; lists combine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub study: Option<i64>,
    pub sites: Vec<i64>,
    pub provinces: Vec<String>,
    pub codes: Vec<i64>,
    pub kinds: Vec<ForumKind>,
    /// Years in the Buddhist Era.
    pub years: Vec<i32>,
    pub units: Vec<Unit>,
    /// Forum dates, inclusive.
    pub from: Option<IsoDate>,
    pub to: Option<IsoDate>,
    /// Who searches, when some studies are coded blind: they see only their own codes.
    pub blind: Option<Blind>,
}

/// Studies coded blind, and the coder who searches them: in those studies only this
/// coder's passages are found, and documents neither count nor match by the codes on
/// them (another coder's codes would show through).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Blind {
    pub studies: Vec<i64>,
    pub coder: String,
}

/// Filters as a person types them: site and code names, province names with or without
/// จ./จังหวัด, forum kinds and units by key, years and dates in either era (2566 or 2023,
/// 2566-03-31 or 2023-03-31).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct FilterText {
    #[serde(default)]
    pub sites: Vec<String>,
    #[serde(default)]
    pub provinces: Vec<String>,
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub years: Vec<String>,
    #[serde(default)]
    pub units: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl FilterText {
    /// The filter these name, or why one of them names nothing.
    pub async fn resolve(&self, store: &Store) -> Result<Filter> {
        let mut filter = Filter::default();
        for s in self.sites.iter().filter(|s| !s.trim().is_empty()) {
            let found = store.sites_named(s).await?;
            if found.is_empty() {
                return Err(Error::UnknownSite(s.trim().to_string()));
            }
            filter.sites.extend(found.iter().map(|s| s.id));
        }
        for p in self.provinces.iter().filter(|s| !s.trim().is_empty()) {
            filter.provinces.push(province_name(p));
        }
        for c in self.codes.iter().filter(|s| !s.trim().is_empty()) {
            let found = store.codes_named(c).await?;
            if found.is_empty() {
                return Err(Error::Invalid {
                    field: "code",
                    th: format!("ไม่พบรหัส \"{}\" (ใช้เลขรหัสเช่น 2.4 หรือชื่อรหัส)", c.trim()),
                    en: format!(
                        "no code \"{}\" (use a key such as 2.4, or the code's name)",
                        c.trim()
                    ),
                });
            }
            filter.codes.extend(found.iter().map(|c| c.id));
        }
        for k in self.kinds.iter().filter(|s| !s.trim().is_empty()) {
            filter.kinds.push(k.trim().parse()?);
        }
        for u in self.units.iter().filter(|s| !s.trim().is_empty()) {
            filter.units.push(u.trim().parse()?);
        }
        for y in self.years.iter().filter(|s| !s.trim().is_empty()) {
            let year: i32 = y
                .trim()
                .parse()
                .map_err(|_| Error::InvalidDate(y.trim().to_string()))?;
            filter
                .years
                .push(if year < 2400 { year + BE_OFFSET } else { year });
        }
        filter.from = self
            .from
            .as_deref()
            .map(|d| read_date(d, false))
            .transpose()?
            .flatten();
        filter.to = self
            .to
            .as_deref()
            .map(|d| read_date(d, true))
            .transpose()?
            .flatten();
        Ok(filter)
    }
}

/// A province as the index holds it: without จ. or จังหวัด; กทม. is กรุงเทพมหานคร.
pub fn province_name(p: &str) -> String {
    let p = p.trim();
    let p = p
        .strip_prefix("จังหวัด")
        .or_else(|| p.strip_prefix("จ."))
        .unwrap_or(p)
        .trim();
    match p {
        "กทม" | "กทม." | "กรุงเทพ" | "กรุงเทพฯ" => {
            "กรุงเทพมหานคร".to_string()
        }
        _ => p.to_string(),
    }
}

/// `YYYY` or `YYYY-MM-DD` in either era (a year above 2400 is Buddhist); a bare year
/// stands for its first day, or its last when it ends a range. Empty is no date.
fn read_date(s: &str, end: bool) -> Result<Option<IsoDate>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || Error::InvalidDate(s.to_string());
    let era = |y: i32| if y > 2400 { y - BE_OFFSET } else { y };
    if let Ok(y) = s.parse::<i32>() {
        let (m, d) = if end { (12, 31) } else { (1, 1) };
        return IsoDate::new(era(y), m, d).map(Some).ok_or_else(bad);
    }
    let mut parts = s.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let (y, m, d) = (
        y.parse::<i32>().map_err(|_| bad())?,
        m.parse::<u32>().map_err(|_| bad())?,
        d.parse::<u32>().map_err(|_| bad())?,
    );
    IsoDate::new(era(y), m, d).map(Some).ok_or_else(bad)
}

/// Values listed per facet unless asked otherwise: as many as a page shows.
pub const FACET_VALUES: usize = 30;

/// A search as asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub query: String,
    pub filter: Filter,
    pub limit: usize,
    pub offset: usize,
    /// Values listed per facet, the largest counts first; the rest are counted in
    /// [`Facets::more`].
    pub facet_values: usize,
}

impl Request {
    pub fn new(query: impl Into<String>) -> Request {
        Request {
            query: query.into(),
            filter: Filter::default(),
            limit: 20,
            offset: 0,
            facet_values: FACET_VALUES,
        }
    }
}

/// A named thing a hit or a facet refers to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub id: i64,
    pub name: String,
}

/// One ranked result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub unit: Unit,
    pub id: i64,
    pub score: f32,
    pub study_id: i64,
    pub document_id: Option<i64>,
    pub site: Option<Label>,
    pub province: Option<String>,
    pub forum_id: Option<i64>,
    pub forum_kind: Option<ForumKind>,
    pub date: Option<IsoDate>,
    /// The date as a person reads it: 31 มีนาคม 2566.
    pub date_be: Option<String>,
    /// The code of a coded passage.
    pub code: Option<Label>,
    pub snippet: Snippet,
    /// The first highlight as a character span of the document, when the hit is in one.
    pub span: Option<Range<usize>>,
    /// Where the workbench shows it.
    pub link: String,
}

/// How many hits fall under one value of a facet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetCount {
    /// The value to filter by (an id, a name, a key or a year).
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// Counts of every hit (not only the page shown) by site, province, code, forum kind,
/// year and kind of hit; largest first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub site: Vec<FacetCount>,
    pub province: Vec<FacetCount>,
    pub code: Vec<FacetCount>,
    pub kind: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub unit: Vec<FacetCount>,
    /// Per facet, how many more values hold hits than are listed (only facets cut short).
    pub more: std::collections::BTreeMap<&'static str, usize>,
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// Terms no text holds as a word, looked for inside words instead.
    pub widened: Vec<String>,
    /// Changes written to the store that the index has not applied yet (another process
    /// holds the index); they are applied at the next chance.
    pub pending: i64,
}

/// One line of a concordance, with where it was said.
#[derive(Debug, Clone, Serialize)]
pub struct ConcordanceLine {
    pub document_id: i64,
    pub forum_id: Option<i64>,
    pub site: Option<Label>,
    pub province: Option<String>,
    pub forum_kind: Option<ForumKind>,
    pub date: Option<IsoDate>,
    pub date_be: Option<String>,
    #[serde(flatten)]
    pub line: snippet::Line,
    pub link: String,
}

/// A concordance (keyword in context) over the documents.
#[derive(Debug, Clone, Serialize)]
pub struct Concordance {
    pub query: String,
    pub lines: Vec<ConcordanceLine>,
    /// Documents that matched.
    pub documents: usize,
    /// Whether lines were left out to stay within the limit.
    pub truncated: bool,
}

impl Concordance {
    /// The lines as CSV for a spreadsheet: UTF-8 with a byte-order mark (so that Excel
    /// reads Thai), one header row, dates both ISO and Buddhist Era.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{FEFF}");
        let header = [
            "province",
            "site",
            "forum_kind",
            "date",
            "date_be",
            "document_id",
            "span_start",
            "span_end",
            "left",
            "keyword",
            "right",
        ];
        crate::export::csv_row(&mut out, header.iter().map(|h| h.to_string()));
        for l in &self.lines {
            crate::export::csv_row(
                &mut out,
                [
                    l.province.clone().unwrap_or_default(),
                    l.site.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
                    l.forum_kind
                        .map(|k| k.label(Lang::Th).to_string())
                        .unwrap_or_default(),
                    l.date.map(|d| d.to_string()).unwrap_or_default(),
                    l.date_be.clone().unwrap_or_default(),
                    l.document_id.to_string(),
                    l.line.span.start.to_string(),
                    l.line.span.end.to_string(),
                    l.line.left.clone(),
                    l.line.keyword.clone(),
                    l.line.right.clone(),
                ],
            );
        }
        out
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rebuilt {
    pub documents: u64,
    pub codings: u64,
    pub memos: u64,
    /// UTF-8 bytes of document text read.
    pub bytes: u64,
}

/// The outcome of applying the change queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synced {
    /// This many documents, coded passages, documents' codes and memos were indexed again.
    Applied(usize),
    /// Another process holds the index; the queue stays for later.
    Busy,
    /// This process is applying the queue already, for writes not yet acknowledged.
    Running,
}

#[derive(Clone, Copy)]
struct Fields {
    unit: Field,
    id: Field,
    /// Every entry of a document: its own and its coded passages'.
    doc: Field,
    /// A document's own entry only.
    document_entry: Field,
    /// A coded passage's entry.
    coding: Field,
    memo: Field,
    study: Field,
    site: Field,
    forum: Field,
    date: Field,
    span_start: Field,
    code: Field,
    /// Who coded a coded passage (blind coding hides the others').
    coder: Field,
    /// Where a memo is shown (a memo's place does not depend on the query).
    link: Field,
    facets: Field,
    text: Field,
    grams: Field,
    /// Pairs of neighbouring words of `text` ([`tokens::run`]): a phrase of two words is
    /// one of them, and a prefix after whole words is looked up among them. After `text`
    /// in the schema, so that each text is cut once for all its fields.
    pairs: Field,
    /// Runs of three neighbouring words: a phrase of three is one, a longer one a few.
    triples: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let cut = |tokenizer, record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    // Words in order are found by their runs (`pairs`, `triples`), so the words
    // themselves need no positions; grams do, to find a substring.
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let f = Fields {
        unit: b.add_text_field("unit", STRING | STORED),
        id: b.add_i64_field("id", STORED),
        doc: b.add_i64_field("doc", INDEXED | STORED),
        document_entry: b.add_i64_field("document_entry", INDEXED),
        coding: b.add_i64_field("coding", INDEXED),
        memo: b.add_i64_field("memo", INDEXED),
        study: b.add_i64_field("study", STORED),
        site: b.add_i64_field("site", STORED),
        forum: b.add_i64_field("forum", STORED),
        date: b.add_i64_field("date", INDEXED | STORED | FAST),
        span_start: b.add_i64_field("span_start", STORED),
        code: b.add_i64_field("code", STORED),
        coder: b.add_text_field("coder", STRING),
        link: b.add_text_field("link", STORED),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        text: b.add_text_field(
            "text",
            cut(tokens::WORDS, IndexRecordOption::WithFreqs).set_stored(),
        ),
        grams: b.add_text_field("grams", cut(tokens::GRAMS, positions)),
        pairs: b.add_text_field("pairs", cut(tokens::PAIRS, positions)),
        triples: b.add_text_field("triples", cut(tokens::TRIPLES, positions)),
    };
    (b.build(), f)
}

/// The full-text index of a store.
pub struct SearchIndex {
    index: Index,
    /// The index's files, kept to let go of mapped pages during a rebuild.
    directory: GroupSyncDirectory,
    reader: IndexReader,
    f: Fields,
    /// One writer at a time in this process; other processes meet Tantivy's lock. It
    /// holds the writer kept open between syncs ([`SearchIndex::keep_writer`]).
    writing: tokio::sync::Mutex<Option<IndexWriter>>,
    /// Whether a sync's writer stays open for the next one.
    keep: std::sync::atomic::AtomicBool,
    dir: PathBuf,
    facets: find::FacetCache,
    /// The segments and commit the reader was last loaded at, as one number.
    loaded: std::sync::atomic::AtomicU64,
    /// Group commit ([`SearchIndex::sync`]): the last ticket handed out, and the last
    /// one a finished sync covered.
    tickets: std::sync::atomic::AtomicU64,
    synced: std::sync::atomic::AtomicU64,
    /// Queue entries the index holds whose deletion from the store is under way
    /// ([`SearchIndex::forget`]): a sync leaves them out.
    forgetting: Arc<std::sync::Mutex<std::collections::BTreeSet<i64>>>,
    forgets: std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

/// Whether a sync deletes the queue entries it applied before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forget {
    Now,
    Later,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn engine(e: tantivy::TantivyError) -> Error {
    Error::Search(e.to_string())
}

fn date_number(d: IsoDate) -> i64 {
    d.year() as i64 * 10_000 + d.month() as i64 * 100 + d.day() as i64
}

fn date_from_number(n: i64) -> Option<IsoDate> {
    IsoDate::new(
        (n / 10_000) as i32,
        (n / 100 % 100) as u32,
        (n % 100) as u32,
    )
}
