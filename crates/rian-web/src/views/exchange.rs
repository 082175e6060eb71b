//! `/studies/{id}/exchange`: the study for other tools and back. Downloads of the study
//! as a REFI-QDA project (.qdpx) and its codebook (.qdc), with what they leave out said
//! before the download; uploads of a project (a new study) or a codebook (codes added to
//! this study), with what the file held that rian could not take.

use super::not_an_upload;
use super::render;
use super::synthesis::download;
use crate::page::Page;
use crate::{App, AppState, WebError};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rian_core::exchange::schedule::{self, SitesFor};
use rian_core::exchange::{
    self, ExportOptions, ImportedProject, Notice, field_form, qdpx, refi, sheets, tables,
};
use serde::Deserialize;

/// The largest project or codebook the upload form takes.
pub const MAX_UPLOAD_BYTES: usize = 200 * 1024 * 1024;

/// The tables a study exports (without attendees), by file name and Thai title.
const TABLE_TITLES: [(&str, &str); 7] = [
    ("forums", "เวที"),
    ("facts", "ข้อเท็จจริง"),
    ("codings", "การลงรหัส"),
    ("swot", "SWOT"),
    ("network", "เครือข่ายภาคี"),
    ("plan", "แผนพัฒนาร่วม"),
    ("matrix", "ตารางกรอบแนวคิด"),
];

/// What an upload did, for the page shown after it.
pub enum Outcome {
    Project(ImportedProject),
    Codebook {
        added: usize,
        notices: Vec<Notice>,
    },
    /// Rows of a spreadsheet taken: what was added (a Thai and an English line).
    Table {
        th: String,
        en: String,
        notices: Vec<Notice>,
    },
    Refused(String),
}

#[derive(Template)]
#[template(path = "exchange.html")]
pub struct ExchangePage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub cases: usize,
    pub sources: usize,
    pub codings: usize,
    pub memos: usize,
    pub left_out: Vec<String>,
    pub outcome: Option<Outcome>,
    /// What the user typed in the project form, shown back after a refusal.
    pub new_slug: String,
    /// Each table: its file name and its Thai title.
    pub table_links: Vec<(&'static str, &'static str)>,
    /// The spreadsheet uploads: where they go, and their labels.
    pub table_imports: Vec<(&'static str, &'static str, &'static str)>,
}

impl ExchangePage {
    fn line(&self, n: &Notice) -> String {
        self.page.tr(&n.th, &n.en).to_string()
    }

    pub fn notices(&self) -> Vec<String> {
        match &self.outcome {
            Some(Outcome::Project(p)) => p.notices.iter().map(|n| self.line(n)).collect(),
            Some(Outcome::Codebook { notices, .. }) | Some(Outcome::Table { notices, .. }) => {
                notices.iter().map(|n| self.line(n)).collect()
            }
            _ => Vec::new(),
        }
    }
}

async fn exchange_page(
    app: &AppState,
    study_id: i64,
    page: Page,
    outcome: Option<Outcome>,
    new_slug: String,
) -> Result<ExchangePage, WebError> {
    let study = app.store.study(study_id).await?;
    let exported = exchange::export_study(&app.store, study_id, ExportOptions::default()).await?;
    let left_out = exported
        .notices
        .iter()
        .map(|n| page.tr(&n.th, &n.en).to_string())
        .collect();
    let title = format!(
        "{} · {}",
        page.tr("แลกเปลี่ยนกับโปรแกรมอื่น", "Exchange with other tools"),
        study.name_th
    );
    Ok(ExchangePage {
        study_id,
        study_name: study.name_th,
        cases: exported.project.cases.len(),
        sources: exported.project.sources.len(),
        codings: exported.codings,
        memos: exported.memos,
        left_out,
        outcome,
        new_slug,
        table_links: TABLE_TITLES.to_vec(),
        table_imports: vec![
            (
                "sites",
                "รายชื่อพื้นที่ (.xlsx/.csv: พื้นที่ อำเภอ จังหวัด รหัสพื้นที่)",
                "Sites (.xlsx/.csv: site, district, province, code)",
            ),
            (
                "forums",
                "กำหนดการเวที (.xlsx/.csv: พื้นที่ ประเภทเวที วันที่ สถานที่ ผู้เข้าร่วม)",
                "Forum schedule (.xlsx/.csv: site, kind, date, venue, participants)",
            ),
            (
                "submissions",
                "ข้อมูลจากแบบฟอร์มภาคสนาม (ไฟล์ที่ส่งออกจาก Kobo/ODK)",
                "Field form submissions (the Kobo/ODK export)",
            ),
        ],
        page: page.titled(title),
    })
}

pub async fn show(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
) -> Result<Response, WebError> {
    Ok(render(&exchange_page(&app, study_id, page, None, String::new()).await?)?.into_response())
}

#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    suggestions: Option<String>,
}

/// `GET /studies/{id}/export.qdpx[?suggestions=1]`
pub async fn project(
    App(app): App,
    Path(study_id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, WebError> {
    let study = app.store.study(study_id).await?;
    let options = ExportOptions {
        suggestions: q.suggestions.is_some_and(|v| !v.is_empty() && v != "0"),
    };
    let exported = exchange::export_study(&app.store, study_id, options).await?;
    let body = qdpx::pack(&exported.project)?;
    Ok(download(
        "application/zip",
        format!("{}.qdpx", study.slug),
        body,
    ))
}

/// `GET /studies/{id}/codebook.qdc`
pub async fn codebook(App(app): App, Path(study_id): Path<i64>) -> Result<Response, WebError> {
    let study = app.store.study(study_id).await?;
    let codes = exchange::export_codebook(&app.store, study_id).await?;
    let body = refi::write_codebook(&codes, exchange::ORIGIN).into_bytes();
    Ok(download(
        "application/xml; charset=utf-8",
        format!("{}-codebook.qdc", study.slug),
        body,
    ))
}

/// The fields of an upload form: the file and the text fields.
async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(Option<(String, Vec<u8>)>, Vec<(String, String)>), String> {
    let mut multipart = multipart.map_err(|_| not_an_upload().to_string())?;
    let mut file = None;
    let mut fields = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(super::upload_refusal(&e, MAX_UPLOAD_BYTES).1),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| super::upload_refusal(&e, MAX_UPLOAD_BYTES).1)?;
        if let Some(file_name) = file_name.filter(|_| name == "file") {
            if !bytes.is_empty() {
                file = Some((file_name, bytes.to_vec()));
            }
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).trim().to_string()));
        }
    }
    Ok((file, fields))
}

/// The exchange page after an upload: 422 when it was refused, so that the page's
/// script shows the reason beside the form.
async fn answer(
    app: &AppState,
    study_id: i64,
    page: Page,
    outcome: Outcome,
    slug: String,
) -> Result<Response, WebError> {
    let refused = matches!(outcome, Outcome::Refused(_));
    let html = render(&exchange_page(app, study_id, page, Some(outcome), slug).await?)?;
    Ok(if refused {
        (StatusCode::UNPROCESSABLE_ENTITY, html).into_response()
    } else {
        html.into_response()
    })
}

/// `POST /studies/{id}/exchange/project`: a .qdpx becomes a new study.
pub async fn import_project(
    App(app): App,
    Path(study_id): Path<i64>,
    headers: HeaderMap,
    page: Page,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    if !crate::page::same_origin(&headers) {
        return Ok((StatusCode::FORBIDDEN, page.t.import_forbidden).into_response());
    }
    let nothing = page
        .tr("เลือกไฟล์ .qdpx ก่อน", "Choose a .qdpx file first")
        .to_string();
    let (slug, outcome) = match read_upload(multipart).await {
        Err(e) => (String::new(), Outcome::Refused(e)),
        Ok((file, fields)) => {
            let get = |k: &str| {
                fields
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let slug = get("slug");
            let year = get("year");
            let outcome = match (file, year.parse::<i64>()) {
                (None, _) => Outcome::Refused(nothing),
                (Some(_), Err(_)) if !year.is_empty() => Outcome::Refused(
                    page.tr(
                        "ปีงบประมาณต้องเป็นตัวเลข เช่น 2567",
                        "The fiscal year must be a number, such as 2567",
                    )
                    .to_string(),
                ),
                (Some((_, bytes)), year) => {
                    let done = match qdpx::unpack(&bytes) {
                        Ok((project, notices)) => {
                            exchange::import_project(
                                &app.store,
                                &project,
                                &slug,
                                year.ok(),
                                notices,
                            )
                            .await
                        }
                        Err(e) => Err(e),
                    };
                    match done {
                        Ok(done) => Outcome::Project(done),
                        Err(e) if e.is_refusal() => Outcome::Refused(e.to_string()),
                        Err(e) => return Err(e.into()),
                    }
                }
            };
            (slug, outcome)
        }
    };
    answer(&app, study_id, page, outcome, slug).await
}

/// `POST /studies/{id}/exchange/codebook`: the codes of a .qdc this study lacks are added
/// (one batch of the activity log: one undo takes them away).
pub async fn import_codebook(
    App(app): App,
    Path(study_id): Path<i64>,
    headers: HeaderMap,
    page: Page,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    if !crate::page::same_origin(&headers) {
        return Ok((StatusCode::FORBIDDEN, page.t.import_forbidden).into_response());
    }
    app.store.study(study_id).await?;
    let outcome = match read_upload(multipart).await {
        Err(e) => Outcome::Refused(e),
        Ok((None, _)) => Outcome::Refused(
            page.tr("เลือกไฟล์ .qdc ก่อน", "Choose a .qdc file first")
                .to_string(),
        ),
        Ok((Some((_, bytes)), _)) => {
            let added = match refi::read_codebook(&bytes) {
                Ok((book, mut notices)) => {
                    match exchange::import_codebook(
                        &app.store,
                        "workbench",
                        study_id,
                        &book,
                        &mut notices,
                    )
                    .await
                    {
                        Ok(added) => Ok((added, notices)),
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            match added {
                Ok((added, notices)) => Outcome::Codebook { added, notices },
                Err(e) if e.is_refusal() => Outcome::Refused(e.to_string()),
                Err(e) => return Err(e.into()),
            }
        }
    };
    answer(&app, study_id, page, outcome, String::new()).await
}

/// `GET /studies/{id}/tables.xlsx`: every table of the study, a sheet each.
pub async fn tables_xlsx(App(app): App, Path(study_id): Path<i64>) -> Result<Response, WebError> {
    let study = app.store.study(study_id).await?;
    let all = tables::study_tables(&app.store, study_id, false).await?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("{}.xlsx", study.slug),
        tables::workbook(&all)?,
    ))
}

/// `GET /studies/{id}/tables/{name}.csv`: one table (forums, codings…) as CSV with a BOM.
pub async fn table_csv(
    App(app): App,
    Path((study_id, file)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    let name = file.strip_suffix(".csv").ok_or(WebError::NotFound)?;
    let study = app.store.study(study_id).await?;
    let all = tables::study_tables(&app.store, study_id, false).await?;
    let table = all
        .iter()
        .find(|t| t.name == name)
        .ok_or(WebError::NotFound)?;
    Ok(download(
        "text/csv; charset=utf-8",
        format!("{}-{name}.csv", study.slug),
        rian_core::export::csv(&table.rows).into_bytes(),
    ))
}

/// `GET /studies/{id}/form.xlsx`: the field form (XLSForm) for KoboToolbox and ODK.
pub async fn form(App(app): App, Path(study_id): Path<i64>) -> Result<Response, WebError> {
    let study = app.store.study(study_id).await?;
    let sites = app.store.study_sites(study_id).await?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("{}-form.xlsx", study.slug),
        field_form::form_xlsx(&study, &sites)?,
    ))
}

/// `POST /studies/{id}/exchange/{sites|forums|submissions}`: rows of a spreadsheet into
/// the study, all of them or none.
pub async fn import_table(
    App(app): App,
    Path((study_id, what)): Path<(i64, String)>,
    headers: HeaderMap,
    page: Page,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    if !crate::page::same_origin(&headers) {
        return Ok((StatusCode::FORBIDDEN, page.t.import_forbidden).into_response());
    }
    if !matches!(what.as_str(), "sites" | "forums" | "submissions") {
        return Err(WebError::NotFound);
    }
    app.store.study(study_id).await?;
    let file = match read_upload(multipart).await {
        Ok((file, _)) => file,
        Err(message) => {
            return answer(
                &app,
                study_id,
                page,
                Outcome::Refused(message),
                String::new(),
            )
            .await;
        }
    };
    let done: rian_core::Result<Outcome> = async {
        let Some((name, bytes)) = file else {
            return Ok(Outcome::Refused(
                page.tr(
                    "เลือกไฟล์ .xlsx หรือ .csv ก่อน",
                    "Choose a .xlsx or .csv file first",
                )
                .to_string(),
            ));
        };
        let sheet = sheets::read_sheet(&name, &bytes)?;
        Ok(match what.as_str() {
            "sites" => {
                let (_, d) =
                    schedule::import_sites(&app.store, SitesFor::Study(study_id), &sheet).await?;
                Outcome::Table {
                    th: format!("เพิ่มพื้นที่ {} แห่ง", d.added),
                    en: format!("{} sites added", d.added),
                    notices: d.notices,
                }
            }
            "forums" => {
                let d = schedule::import_forums(&app.store, study_id, &sheet).await?;
                Outcome::Table {
                    th: format!("เพิ่มเวที {} รายการ", d.added),
                    en: format!("{} forums added", d.added),
                    notices: d.notices,
                }
            }
            _ => {
                let d = field_form::import_submissions(&app.store, study_id, &sheet).await?;
                Outcome::Table {
                    th: format!(
                        "เวทีใหม่ {} เวทีที่เติมข้อมูล {} บันทึกที่นำเข้า {}",
                        d.forums_added, d.forums_completed, d.documents
                    ),
                    en: format!(
                        "{} forums added, {} completed, {} notes imported",
                        d.forums_added, d.forums_completed, d.documents
                    ),
                    notices: d.notices,
                }
            }
        })
    }
    .await;
    let outcome = match done {
        Ok(o) => o,
        Err(e) if e.is_refusal() => Outcome::Refused(e.to_string()),
        Err(e) => return Err(e.into()),
    };
    answer(&app, study_id, page, outcome, String::new()).await
}
