//! The cross-site synthesis pages of a study: the framework matrix and its cells, code
//! frequencies with co-occurrence and sites side by side, word frequencies, the network
//! graph, the map and the timeline, with their exports. Thin: the counting is
//! `rian_core::analyze`, the drawing `rian_core::chart`.

use super::render;
use super::search::Params;
use crate::form::Submission;
use crate::page::Page;
use crate::{App, AppState, WebError};
use askama::Template;
use axum::extract::{Path, RawQuery};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use rian_core::analyze::codes::{self, Within};
use rian_core::analyze::matrix::{Matrix, StudyRecord, matrix};
use rian_core::analyze::{self, Scope, map, network, timeline, words};
use rian_core::chart;
use rian_core::edit::Changes;
use rian_core::model::*;
use rian_core::store::CodedPassage;
use std::collections::HashMap;

/// Everything the synthesis pages read about a study, read once per request. The coded
/// passages (the one large read) only for the pages that count them.
struct Loaded {
    study: Study,
    sites: Vec<Site>,
    communities: Vec<Community>,
    forums: Vec<Forum>,
    codes: Vec<Code>,
    passages: Vec<CodedPassage>,
}

impl Loaded {
    async fn read(app: &AppState, study_id: i64) -> Result<Loaded, WebError> {
        let s = &app.store;
        Ok(Loaded {
            study: s.study(study_id).await?,
            sites: s.study_sites(study_id).await?,
            communities: s.study_communities(study_id).await?,
            forums: s.study_forums(study_id).await?,
            codes: s.codes(study_id).await?,
            passages: Vec::new(),
        })
    }

    /// As [`Loaded::read`], with the study's accepted coded passages.
    async fn coded(app: &AppState, study_id: i64) -> Result<Loaded, WebError> {
        let mut loaded = Loaded::read(app, study_id).await?;
        loaded.passages = app
            .store
            .coded_passages_seen_by(study_id, &app.user)
            .await?;
        Ok(loaded)
    }

    fn record(&self) -> StudyRecord<'_> {
        StudyRecord {
            sites: &self.sites,
            communities: &self.communities,
            forums: &self.forums,
            codes: &self.codes,
            passages: &self.passages,
        }
    }

    fn in_scope(&self, scope: &Scope) -> Vec<&CodedPassage> {
        let sites: HashMap<i64, &Site> = self.sites.iter().map(|s| (s.id, s)).collect();
        scope.passages(&self.passages, &sites)
    }

    fn code(&self, id: i64) -> Option<&Code> {
        self.codes.iter().find(|c| c.id == id)
    }

    fn code_label(&self, id: i64, lang: Lang) -> String {
        self.code(id)
            .map(|c| {
                let name = match lang {
                    Lang::Th => &c.name_th,
                    Lang::En => &c.name_en,
                };
                format!("{} {name}", c.key)
            })
            .unwrap_or_default()
    }

    /// The codes a page shows: those chosen with `code=`, or the framework's five parts
    /// (`level=top`), or every sub-code (`level=sub`).
    fn chosen(&self, params: &Params) -> Vec<i64> {
        let picked: Vec<i64> = params
            .all("code")
            .iter()
            .filter_map(|c| c.parse().ok())
            .filter(|id| self.code(*id).is_some())
            .collect();
        if !picked.is_empty() {
            return picked;
        }
        match params.first("level") {
            Some("sub") => self
                .codes
                .iter()
                .filter(|c| c.parent_id.is_some())
                .map(|c| c.id)
                .collect(),
            Some("all") => self.codes.iter().map(|c| c.id).collect(),
            _ => analyze::framework_codes(&self.codes),
        }
    }
}

/// The scope a page's parameters name: `site`, `province`, `kind`, `year` (BE).
fn scope_of(params: &Params) -> Scope {
    Scope {
        sites: params
            .all("site")
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect(),
        provinces: params.all("province"),
        kinds: params
            .all("kind")
            .iter()
            .filter_map(|k| k.parse().ok())
            .collect(),
        years: params
            .all("year")
            .iter()
            .filter_map(|y| y.parse().ok())
            .collect(),
    }
}

/// A choice in a filter list.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

/// The filters every synthesis page shows.
pub struct Filters {
    pub sites: Vec<Choice>,
    pub provinces: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub years: Vec<Choice>,
    /// The query string of the current filters (for links to exports and cells).
    pub query: String,
}

fn filters(loaded: &Loaded, params: &Params, lang: Lang) -> Filters {
    let mut provinces: Vec<String> = loaded.sites.iter().map(|s| s.province_th.clone()).collect();
    provinces.sort();
    provinces.dedup();
    let mut years: Vec<i32> = loaded
        .forums
        .iter()
        .filter_map(|f| f.date.map(|d| d.year_be()))
        .collect();
    years.sort_unstable();
    years.dedup();
    let choice = |key: &str, value: String, label: String| Choice {
        chosen: params.has(key, &value),
        value,
        label,
    };
    Filters {
        sites: loaded
            .sites
            .iter()
            .map(|s| choice("site", s.id.to_string(), s.display_name()))
            .collect(),
        provinces: provinces
            .into_iter()
            .map(|p| choice("province", p.clone(), p))
            .collect(),
        kinds: ForumKind::ALL
            .iter()
            .map(|k| choice("kind", k.as_str().into(), k.label(lang).into()))
            .collect(),
        years: years
            .into_iter()
            .map(|y| choice("year", y.to_string(), y.to_string()))
            .collect(),
        query: params.query(),
    }
}

/// The tabs of the synthesis pages.
pub struct Tab {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

pub(crate) fn tabs(study_id: i64, current: &str, lang: Lang) -> Vec<Tab> {
    let all: [(&str, &str, &str); 7] = [
        ("matrix", "ตารางกรอบแนวคิด", "Framework matrix"),
        (
            "codes",
            "ความถี่และการเกิดร่วมของรหัส",
            "Codes and co-occurrence",
        ),
        ("words", "ความถี่ของคำ", "Word frequencies"),
        ("graph", "แผนภาพเครือข่าย", "Network graph"),
        ("map", "แผนที่", "Map"),
        ("timeline", "ลำดับเวลาเวที", "Timeline"),
        ("agreement", "ความสอดคล้องของผู้ลงรหัส", "Coder agreement"),
    ];
    all.iter()
        .map(|(key, th, en)| Tab {
            href: match *key {
                "graph" => format!("/studies/{study_id}/network/graph"),
                k => format!("/studies/{study_id}/{k}"),
            },
            label: match lang {
                Lang::Th => th,
                Lang::En => en,
            },
            current: *key == current,
        })
        .collect()
}

// ---- the framework matrix --------------------------------------------------------------

pub struct CellView {
    pub count: usize,
    pub documents: usize,
    pub summary: String,
    pub href: String,
    pub anchor: String,
    /// 0–4: how dark the cell is shaded, by its share of the largest count.
    pub shade: usize,
}

pub struct RowView {
    pub label: String,
    pub href: String,
    pub cells: Vec<CellView>,
}

pub struct ColumnView {
    pub label: String,
    pub code_id: i64,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "synthesis_matrix.html")]
pub struct MatrixPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub tabs: Vec<Tab>,
    pub filters: Filters,
    pub row_kinds: Vec<Choice>,
    pub columns: Vec<ColumnView>,
    pub all_codes: Vec<ColumnView>,
    pub rows: Vec<RowView>,
}

fn rows_of(params: &Params) -> MatrixRows {
    params
        .first("rows")
        .and_then(|r| r.parse().ok())
        .unwrap_or(MatrixRows::Site)
}

async fn build_matrix(
    app: &AppState,
    loaded: &Loaded,
    params: &Params,
) -> Result<Matrix, WebError> {
    let rows_of = rows_of(params);
    let scope = scope_of(params);
    // Only rows of communities read the passages' words (to see which community each names).
    let texts: HashMap<i64, String> = if rows_of == MatrixRows::Community {
        let ids: Vec<i64> = loaded
            .in_scope(&scope)
            .iter()
            .map(|p| p.coding_id)
            .collect();
        app.store
            .quotes(&ids)
            .await?
            .into_iter()
            .map(|q| (q.coding_id, q.text))
            .collect()
    } else {
        HashMap::new()
    };
    let summaries = app.store.cell_summaries(loaded.study.id, rows_of).await?;
    Ok(matrix(
        loaded.record(),
        rows_of,
        &loaded.chosen(params),
        &scope,
        &summaries,
        &texts,
    ))
}

pub async fn matrix_page(
    App(app): App,
    Path(study_id): Path<i64>,
    RawQuery(raw): RawQuery,
    page: Page,
) -> Result<Html<String>, WebError> {
    let params = Params::read(raw);
    let loaded = Loaded::coded(&app, study_id).await?;
    let m = build_matrix(&app, &loaded, &params).await?;
    let lang = page.lang;
    let most = m
        .cells
        .iter()
        .flatten()
        .map(|c| c.count())
        .max()
        .unwrap_or(0)
        .max(1);
    let filters = filters(&loaded, &params, lang);
    let rows = m
        .rows
        .iter()
        .zip(&m.cells)
        .map(|(row, cells)| RowView {
            label: row.label.clone(),
            href: row.href.clone(),
            cells: cells
                .iter()
                .zip(&m.columns)
                .map(|(cell, column)| CellView {
                    count: cell.count(),
                    documents: cell.documents,
                    summary: cell.summary.clone().unwrap_or_default(),
                    href: format!(
                        "/studies/{study_id}/matrix/cell?rows={}&row={}&code={}&{}",
                        m.rows_of.as_str(),
                        row.id,
                        column.code_id,
                        filters.query
                    ),
                    anchor: format!("cell-{}-{}", row.id, column.code_id),
                    shade: if cell.count() == 0 {
                        0
                    } else {
                        1 + cell.count() * 3 / most
                    },
                })
                .collect(),
        })
        .collect();
    let chosen: Vec<i64> = m.columns.iter().map(|c| c.code_id).collect();
    let column = |c: &Code| ColumnView {
        label: loaded.code_label(c.id, lang),
        code_id: c.id,
        chosen: chosen.contains(&c.id),
    };
    let title = format!(
        "{} · {}",
        page.tr("ตารางกรอบแนวคิด", "Framework matrix"),
        loaded.study.name_th
    );
    render(&MatrixPage {
        study_id,
        tabs: tabs(study_id, "matrix", lang),
        row_kinds: MatrixRows::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str().into(),
                label: r.label(lang).into(),
                chosen: *r == m.rows_of,
            })
            .collect(),
        columns: m
            .columns
            .iter()
            .filter_map(|c| loaded.code(c.code_id))
            .map(column)
            .collect(),
        all_codes: loaded.codes.iter().map(column).collect(),
        rows,
        filters,
        study_name: loaded.study.name_th.clone(),
        page: page.titled(title),
    })
}

/// A file to save: its type, its name, its bytes.
pub(crate) fn download(
    content_type: &'static str,
    name: String,
    body: impl IntoResponse,
) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn matrix_csv(
    App(app): App,
    Path(study_id): Path<i64>,
    RawQuery(raw): RawQuery,
    page: Page,
) -> Result<Response, WebError> {
    let params = Params::read(raw);
    let loaded = Loaded::coded(&app, study_id).await?;
    let m = build_matrix(&app, &loaded, &params).await?;
    let body = rian_core::export::csv(&m.table(page.lang));
    Ok(download(
        "text/csv; charset=utf-8",
        format!("rian-matrix-{}.csv", loaded.study.slug),
        body,
    ))
}

pub async fn matrix_xlsx(
    App(app): App,
    Path(study_id): Path<i64>,
    RawQuery(raw): RawQuery,
    page: Page,
) -> Result<Response, WebError> {
    let params = Params::read(raw);
    let loaded = Loaded::coded(&app, study_id).await?;
    let m = build_matrix(&app, &loaded, &params).await?;
    let table = m.table(page.lang);
    let body = rian_core::export::xlsx(&[(page.tr("ตารางกรอบแนวคิด", "Framework matrix"), &table)])?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("rian-matrix-{}.xlsx", loaded.study.slug),
        body,
    ))
}

pub struct QuoteView {
    pub text: String,
    pub source: String,
    pub href: String,
    pub site: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "synthesis_cell.html")]
pub struct CellPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub row_label: String,
    pub row_href: String,
    pub code_label: String,
    pub rows_of: &'static str,
    pub row_id: i64,
    pub code_id: i64,
    pub summary: String,
    pub quotes: Vec<QuoteView>,
    pub back: String,
}

pub async fn cell_page(
    App(app): App,
    Path(study_id): Path<i64>,
    RawQuery(raw): RawQuery,
    page: Page,
) -> Result<Html<String>, WebError> {
    let params = Params::read(raw);
    let loaded = Loaded::coded(&app, study_id).await?;
    let row_id: i64 = params
        .first("row")
        .and_then(|r| r.parse().ok())
        .ok_or(WebError::NotFound)?;
    let code_id: i64 = params
        .first("code")
        .and_then(|c| c.parse().ok())
        .ok_or(WebError::NotFound)?;
    if loaded.code(code_id).is_none() {
        return Err(WebError::NotFound);
    }
    // The cell as the matrix counts it: the same scope, this one column.
    let mut one = Params::read(Some(params.query()));
    one.set("code", &code_id.to_string());
    let m = build_matrix(&app, &loaded, &one).await?;
    let r = m
        .rows
        .iter()
        .position(|r| r.id == row_id)
        .ok_or(WebError::NotFound)?;
    let cell = &m.cells[r][0];
    let passages: HashMap<i64, &CodedPassage> =
        loaded.passages.iter().map(|p| (p.coding_id, p)).collect();
    let site_name: HashMap<i64, String> = loaded
        .sites
        .iter()
        .map(|s| (s.id, s.display_name()))
        .collect();
    let quotes = app
        .store
        .quotes(&cell.codings)
        .await?
        .into_iter()
        .map(|q| {
            let p = passages.get(&q.coding_id);
            QuoteView {
                href: format!(
                    "/documents/{}?span={}-{}#focus",
                    q.document_id, q.span.start, q.span.end
                ),
                text: q.text,
                source: q.document_title,
                site: p
                    .and_then(|p| site_name.get(&p.site_id).cloned())
                    .unwrap_or_default(),
                date: p
                    .and_then(|p| p.date)
                    .map(|d| d.display(page.lang))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let title = format!(
        "{} · {}",
        m.rows[r].label,
        loaded.code_label(code_id, page.lang)
    );
    let mut back = Params::read(Some(params.query()));
    back.remove("row");
    back.remove("code");
    render(&CellPage {
        study_id,
        study_name: loaded.study.name_th.clone(),
        row_label: m.rows[r].label.clone(),
        row_href: m.rows[r].href.clone(),
        code_label: loaded.code_label(code_id, page.lang),
        rows_of: m.rows_of.as_str(),
        row_id,
        code_id,
        summary: cell.summary.clone().unwrap_or_default(),
        quotes,
        back: format!(
            "/studies/{study_id}/matrix?{}#cell-{row_id}-{code_id}",
            back.query()
        ),
        page: page.titled(title),
    })
}

#[derive(serde::Deserialize)]
struct SummaryForm {
    rows: String,
    row: i64,
    code: i64,
    text: String,
}

/// `POST /studies/{id}/matrix/cell`: writes (or changes, or with empty text removes) the
/// summary of a cell. Logged, so the activity page can undo it.
pub async fn save_summary(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: SummaryForm = form.read()?;
        let row_kind: MatrixRows = crate::form::choice("rows", &f.rows)?;
        let text = f.text.trim().to_string();
        let existing = app
            .store
            .cell_summaries(study_id, row_kind)
            .await?
            .into_iter()
            .find(|s| s.row_id == f.row && s.code_id == f.code);
        let mut changes = Changes::begin(&app.store, &app.user).await?;
        match (existing, text.is_empty()) {
            (Some(old), true) => {
                changes.delete(Entity::CellSummary, old.id).await?;
            }
            (Some(old), false) => {
                changes
                    .update(Record::CellSummary(CellSummary {
                        text,
                        author: app.user.to_string(),
                        ..old
                    }))
                    .await?;
            }
            (None, true) => {}
            (None, false) => {
                changes
                    .create(Record::CellSummary(CellSummary {
                        id: 0,
                        study_id,
                        row_kind,
                        row_id: f.row,
                        code_id: f.code,
                        text,
                        author: app.user.to_string(),
                        written_at: String::new(),
                    }))
                    .await?;
            }
        }
        changes.commit().await?;
        Ok(form.back_or(format!(
            "/studies/{study_id}/matrix?rows={}#cell-{}-{}",
            row_kind.as_str(),
            f.row,
            f.code
        )))
    }
    .await;
    form.finish(page, outcome)
}

// ---- codes: frequencies, co-occurrence, sites side by side ------------------------------

pub struct FrequencyView {
    pub label: String,
    pub passages: usize,
    pub documents: usize,
    pub sites: usize,
}

pub struct PairView {
    pub a: String,
    pub b: String,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "synthesis_codes.html")]
pub struct CodesPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub tabs: Vec<Tab>,
    pub filters: Filters,
    pub level: String,
    pub within: Vec<Choice>,
    pub frequencies: Vec<FrequencyView>,
    pub frequency_chart: String,
    pub labels: Vec<String>,
    /// The co-occurrence table: per row, the count and its shade (0–4) per column.
    pub cooccurrence: Vec<(String, Vec<(usize, usize)>)>,
    pub pairs: Vec<PairView>,
    pub compared: Vec<String>,
    pub comparison: Vec<(String, Vec<usize>)>,
    pub comparison_chart: String,
}

pub async fn codes_page(
    App(app): App,
    Path(study_id): Path<i64>,
    RawQuery(raw): RawQuery,
    page: Page,
) -> Result<Html<String>, WebError> {
    let params = Params::read(raw);
    let loaded = Loaded::coded(&app, study_id).await?;
    let lang = page.lang;
    let scope = scope_of(&params);
    let passages = loaded.in_scope(&scope);
    let chosen = loaded.chosen(&params);
    let labels: Vec<String> = chosen.iter().map(|&c| loaded.code_label(c, lang)).collect();
    let colour = |id: i64| loaded.code(id).map(|c| c.color.clone());
    let freq = codes::frequencies(&loaded.codes, &passages, &chosen);
    let frequency_chart = chart::bar_chart(
        page.tr("จำนวนข้อความที่ลงรหัส", "Coded passages"),
        page.tr("ข้อความ", "passages"),
        &freq
            .iter()
            .zip(&labels)
            .map(|(f, label)| chart::Bar {
                label: label.clone(),
                value: f.passages as f64,
                href: None,
                color: colour(f.code_id),
            })
            .collect::<Vec<_>>(),
    );
    let within: Within = params
        .first("within")
        .and_then(|w| w.parse().ok())
        .unwrap_or(Within::Paragraph);
    let co = codes::cooccurrence(&loaded.codes, &passages, &chosen, within);
    let most_pair = co.pairs().first().map_or(1, |p| p.2.max(1));
    let cooccurrence = co
        .counts
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(a, (row, label))| {
            let cells = row
                .iter()
                .enumerate()
                .map(|(b, &n)| {
                    let shade = if a == b || n == 0 {
                        0
                    } else {
                        1 + n * 3 / most_pair
                    };
                    (n, shade)
                })
                .collect();
            (label.clone(), cells)
        })
        .collect();
    let pairs = co
        .pairs()
        .into_iter()
        .take(15)
        .map(|(a, b, count)| PairView {
            a: loaded.code_label(a, lang),
            b: loaded.code_label(b, lang),
            count,
        })
        .collect();
    // Sites side by side: the ones chosen with `compare=`, else none.
    let compare_ids: Vec<i64> = params
        .all("compare")
        .iter()
        .filter_map(|s| s.parse().ok())
        .filter(|id| loaded.sites.iter().any(|s| s.id == *id))
        .collect();
    let site_label = |id: i64| {
        loaded
            .sites
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.display_name())
            .unwrap_or_default()
    };
    let side = codes::compare(&loaded.codes, &passages, &chosen, &compare_ids);
    const SERIES: [&str; 6] = [
        "#1d6f8c", "#c77d1a", "#2a9d6f", "#8e4fb5", "#c0392b", "#5d6d7e",
    ];
    let comparison_chart = if compare_ids.len() >= 2 {
        chart::grouped_bars(
            page.tr("เทียบพื้นที่", "Sites side by side"),
            &labels,
            &compare_ids
                .iter()
                .zip(&side)
                .enumerate()
                .map(|(i, (&id, counts))| chart::Series {
                    name: site_label(id),
                    color: SERIES[i % SERIES.len()].into(),
                    values: counts.iter().map(|&n| n as f64).collect(),
                })
                .collect::<Vec<_>>(),
        )
    } else {
        String::new()
    };
    let title = format!(
        "{} · {}",
        page.tr("ความถี่และการเกิดร่วมของรหัส", "Codes and co-occurrence"),
        loaded.study.name_th
    );
    render(&CodesPage {
        study_id,
        tabs: tabs(study_id, "codes", lang),
        filters: filters(&loaded, &params, lang),
        level: params.first("level").unwrap_or("top").to_string(),
        within: Within::ALL
            .iter()
            .map(|w| Choice {
                value: w.as_str().into(),
                label: w.label(lang).into(),
                chosen: *w == within,
            })
            .collect(),
        frequencies: freq
            .iter()
            .zip(&labels)
            .map(|(f, label)| FrequencyView {
                label: label.clone(),
                passages: f.passages,
                documents: f.documents,
                sites: f.sites,
            })
            .collect(),
        frequency_chart,
        cooccurrence,
        pairs,
        compared: compare_ids.iter().map(|&id| site_label(id)).collect(),
        comparison: labels
            .iter()
            .enumerate()
            .map(|(c, label)| (label.clone(), side.iter().map(|s| s[c]).collect()))
            .collect(),
        comparison_chart,
        labels,
        study_name: loaded.study.name_th.clone(),
        page: page.titled(title),
    })
}

// ---- words ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "synthesis_words.html")]
pub struct WordsPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub tabs: Vec<Tab>,
    pub filters: Filters,
    pub chart: String,
    pub words: Vec<words::WordCount>,
    pub texts: usize,
}

/// Words shown per page.
const TOP_WORDS: usize = 40;

pub async fn words_page(
    App(app): App,
    Path(study_id): Path<i64>,
    RawQuery(raw): RawQuery,
    page: Page,
) -> Result<Html<String>, WebError> {
    let params = Params::read(raw);
    let loaded = Loaded::read(&app, study_id).await?;
    let scope = scope_of(&params);
    let sites: HashMap<i64, &Site> = loaded.sites.iter().map(|s| (s.id, s)).collect();
    let texts = app.store.study_texts(study_id).await?;
    let chosen: Vec<&str> = texts
        .iter()
        .filter(|(_, site, _)| sites.get(site).is_some_and(|s| scope.has_site(s)))
        .map(|(_, _, text)| text.as_str())
        .collect();
    let counts = words::word_frequencies(chosen.iter().copied(), TOP_WORDS);
    let chart = chart::bar_chart(
        page.tr("คำที่พบบ่อย", "Most frequent words"),
        page.tr("ครั้ง", "times"),
        &counts
            .iter()
            .take(25)
            .map(|w| chart::Bar {
                label: w.word.clone(),
                value: w.count as f64,
                href: Some(format!("/search?q={}", super::search::encode(&w.word))),
                color: None,
            })
            .collect::<Vec<_>>(),
    );
    let title = format!(
        "{} · {}",
        page.tr("ความถี่ของคำ", "Word frequencies"),
        loaded.study.name_th
    );
    render(&WordsPage {
        study_id,
        tabs: tabs(study_id, "words", page.lang),
        filters: filters(&loaded, &params, page.lang),
        chart,
        words: counts,
        texts: chosen.len(),
        study_name: loaded.study.name_th.clone(),
        page: page.titled(title),
    })
}

// ---- network ---------------------------------------------------------------------------

pub struct ReachView {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub sites: usize,
    pub ties: usize,
}

#[derive(Template)]
#[template(path = "synthesis_graph.html")]
pub struct GraphPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub tabs: Vec<Tab>,
    pub svg: String,
    pub reach: Vec<ReachView>,
    /// Each actor's ties with their evidence, for the panel the script fills on a click.
    pub ties_json: String,
}

pub async fn graph_page(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let study = app.store.study(study_id).await?;
    let overviews = app.store.site_overviews(study_id).await?;
    let lang = page.lang;
    let actors = app.store.actors(study_id).await?;
    let ties = app.store.study_ties(study_id).await?;
    let reach = network::actor_reach(&actors, &ties);
    let svg = network::network_chart(
        page.tr("เครือข่ายภาคีกับพื้นที่", "Actors and sites"),
        &overviews,
        &actors,
        &ties,
        lang,
    );
    let site_name: HashMap<i64, String> = overviews
        .iter()
        .map(|o| (o.site.id, o.site.display_name()))
        .collect();
    let mut by_actor: HashMap<String, Vec<serde_json::Value>> = HashMap::new();
    for t in &ties {
        by_actor
            .entry(format!("actor-{}", t.actor_id))
            .or_default()
            .push(serde_json::json!({
                "site": site_name.get(&t.site_id),
                "site_link": format!("/sites/{}", t.site_id),
                "kind": t.kind.label(lang),
                "note": t.note,
                "evidence": match (t.document_id, t.span) {
                    (Some(d), Some(s)) => Some(format!("/documents/{d}?span={}-{}#focus", s.start, s.end)),
                    (Some(d), None) => Some(format!("/documents/{d}")),
                    _ => None,
                },
            }));
    }
    let title = format!(
        "{} · {}",
        page.tr("แผนภาพเครือข่าย", "Network graph"),
        study.name_th
    );
    render(&GraphPage {
        study_id,
        tabs: tabs(study_id, "graph", lang),
        svg,
        reach: reach
            .iter()
            .map(|r| ReachView {
                id: r.actor.id,
                name: r.actor.name.clone(),
                kind: r.actor.kind.label(lang),
                sites: r.sites,
                ties: r.ties,
            })
            .collect(),
        // Inside a <script type="application/json">: "</" must not close the element.
        ties_json: serde_json::to_string(&by_actor)
            .unwrap_or_default()
            .replace("</", "<\\/"),
        study_name: study.name_th.clone(),
        page: page.titled(title),
    })
}

/// A study's sites, actors and ties, as the network exports read them.
async fn network_of(
    app: &AppState,
    study_id: i64,
) -> Result<(Study, Vec<Site>, Vec<Actor>, Vec<Tie>), WebError> {
    let study = app.store.study(study_id).await?;
    Ok((
        study,
        app.store.study_sites(study_id).await?,
        app.store.actors(study_id).await?,
        app.store.study_ties(study_id).await?,
    ))
}

pub async fn graph_graphml(App(app): App, Path(study_id): Path<i64>) -> Result<Response, WebError> {
    let (study, sites, actors, ties) = network_of(&app, study_id).await?;
    Ok(download(
        "application/graphml+xml; charset=utf-8",
        format!("rian-network-{}.graphml", study.slug),
        network::graphml(&actors, &sites, &ties),
    ))
}

pub async fn graph_csv(App(app): App, Path(study_id): Path<i64>) -> Result<Response, WebError> {
    let (study, sites, actors, ties) = network_of(&app, study_id).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        format!("rian-network-{}.csv", study.slug),
        rian_core::export::csv(&network::ties_table(&actors, &sites, &ties)),
    ))
}

// ---- map -------------------------------------------------------------------------------

pub struct MapSiteView {
    pub id: i64,
    pub name: String,
    pub province: String,
    pub status: &'static str,
    pub status_key: &'static str,
    pub placed: &'static str,
}

#[derive(Template)]
#[template(path = "synthesis_map.html")]
pub struct MapPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub tabs: Vec<Tab>,
    pub svg: String,
    pub sites: Vec<MapSiteView>,
}

pub async fn map_page(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let study = app.store.study(study_id).await?;
    let overviews = app.store.site_overviews(study_id).await?;
    let lang = page.lang;
    let placed = map::place_sites(&overviews);
    let svg = map::map_chart(
        &format!(
            "{} · {}",
            page.tr("แผนที่พื้นที่ศึกษา", "Study sites"),
            study.name_th
        ),
        &overviews,
        lang,
    );
    let title = format!("{} · {}", page.tr("แผนที่", "Map"), study.name_th);
    render(&MapPage {
        study_id,
        tabs: tabs(study_id, "map", lang),
        svg,
        sites: placed
            .iter()
            .map(|m| MapSiteView {
                id: m.site.id,
                name: m.site.display_name(),
                province: m.site.province_th.clone(),
                status: m.status.label(lang),
                status_key: m.status.as_str(),
                placed: match m.placing {
                    map::Placing::Coordinates => page.tr("พิกัดของพื้นที่", "site coordinates"),
                    map::Placing::Province => page.tr(
                        "กลางจังหวัด (ยังไม่มีพิกัด)",
                        "province centre (no coordinates yet)",
                    ),
                    map::Placing::Unknown => page.tr("ไม่ทราบตำแหน่ง", "unknown"),
                },
            })
            .collect(),
        study_name: study.name_th,
        page: page.titled(title),
    })
}

pub async fn map_geojson(App(app): App, Path(study_id): Path<i64>) -> Result<Response, WebError> {
    let study = app.store.study(study_id).await?;
    let overviews = app.store.site_overviews(study_id).await?;
    Ok(download(
        "application/geo+json",
        format!("rian-sites-{}.geojson", study.slug),
        map::geojson(&map::place_sites(&overviews)),
    ))
}

// ---- timeline --------------------------------------------------------------------------

pub struct LaneView {
    pub site: String,
    pub href: String,
    pub returned: bool,
    pub forums: Vec<(String, String, String, bool)>,
}

#[derive(Template)]
#[template(path = "synthesis_timeline.html")]
pub struct TimelinePage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub tabs: Vec<Tab>,
    pub filters: Filters,
    pub svg: String,
    pub lanes: Vec<LaneView>,
}

pub async fn timeline_page(
    App(app): App,
    Path(study_id): Path<i64>,
    RawQuery(raw): RawQuery,
    page: Page,
) -> Result<Html<String>, WebError> {
    let params = Params::read(raw);
    let loaded = Loaded::read(&app, study_id).await?;
    let lang = page.lang;
    let lanes = timeline::timeline(&loaded.sites, &loaded.forums, &scope_of(&params));
    let chart_lanes: Vec<chart::Lane> = lanes
        .iter()
        .map(|l| chart::Lane {
            label: l.site.display_name(),
            href: Some(format!("/sites/{}", l.site.id)),
            events: l
                .forums
                .iter()
                .filter_map(|f| {
                    Some(chart::TimelineEvent {
                        date: f.date?,
                        label: f.title.clone().unwrap_or_else(|| f.kind.label(lang).into()),
                        kind: f.kind.as_str().into(),
                        planned: f.status == ForumStatus::Planned,
                        href: Some(format!("/forums/{}", f.id)),
                    })
                })
                .collect(),
        })
        .collect();
    let svg = chart::timeline_svg(
        page.tr("เวทีของแต่ละพื้นที่", "Forums of each site"),
        &chart_lanes,
    );
    let title = format!(
        "{} · {}",
        page.tr("ลำดับเวลาเวที", "Timeline"),
        loaded.study.name_th
    );
    render(&TimelinePage {
        study_id,
        tabs: tabs(study_id, "timeline", lang),
        filters: filters(&loaded, &params, lang),
        svg,
        lanes: lanes
            .iter()
            .map(|l| LaneView {
                site: l.site.display_name(),
                href: format!("/sites/{}", l.site.id),
                returned: l.returned(),
                forums: l
                    .forums
                    .iter()
                    .map(|f| {
                        (
                            format!("/forums/{}", f.id),
                            f.kind.label(lang).to_string(),
                            f.date
                                .map(|d| d.display(lang))
                                .unwrap_or_else(|| "—".into()),
                            f.status == ForumStatus::Planned,
                        )
                    })
                    .collect(),
            })
            .collect(),
        study_name: loaded.study.name_th.clone(),
        page: page.titled(title),
    })
}
