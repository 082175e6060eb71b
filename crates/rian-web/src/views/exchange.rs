//! `/studies/{id}/exchange`: the study for other tools and back. Downloads of the study
//! as a REFI-QDA project (.qdpx) and its codebook (.qdc), with what they leave out said
//! before the download; uploads of a project (a new study) or a codebook (codes added to
//! this study), with what the file held that rian could not take.

use super::render;
use crate::page::Page;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rian_core::exchange::{self, ExportOptions, ImportedProject, Notice, qdpx, refi};
use serde::Deserialize;

/// The largest project or codebook the upload form takes.
pub const MAX_UPLOAD_BYTES: usize = 200 * 1024 * 1024;

/// What an upload did, for the page shown after it.
pub enum Outcome {
    Project(ImportedProject),
    Codebook { added: usize, notices: Vec<Notice> },
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
}

impl ExchangePage {
    fn line(&self, n: &Notice) -> String {
        self.page.tr(&n.th, &n.en).to_string()
    }

    pub fn notices(&self) -> Vec<String> {
        match &self.outcome {
            Some(Outcome::Project(p)) => p.notices.iter().map(|n| self.line(n)).collect(),
            Some(Outcome::Codebook { notices, .. }) => {
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
        page: page.titled(title),
    })
}

pub async fn show(
    State(app): State<AppState>,
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

fn download(content_type: &'static str, name: String, body: Vec<u8>) -> Response {
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

/// `GET /studies/{id}/export.qdpx[?suggestions=1]`
pub async fn project(
    State(app): State<AppState>,
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
pub async fn codebook(
    State(app): State<AppState>,
    Path(study_id): Path<i64>,
) -> Result<Response, WebError> {
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
    mut multipart: Multipart,
) -> Result<(Option<Vec<u8>>, Vec<(String, String)>), String> {
    let mut file = None;
    let mut fields = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(e.body_text()),
        };
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let bytes = field.bytes().await.map_err(|e| e.body_text())?;
        if is_file && name == "file" {
            if !bytes.is_empty() {
                file = Some(bytes.to_vec());
            }
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).trim().to_string()));
        }
    }
    Ok((file, fields))
}

fn refused_page(html: axum::response::Html<String>) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, html).into_response()
}

/// `POST /studies/{id}/exchange/project`: a .qdpx becomes a new study.
pub async fn import_project(
    State(app): State<AppState>,
    Path(study_id): Path<i64>,
    headers: HeaderMap,
    page: Page,
    multipart: Multipart,
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
                (Some(bytes), year) => {
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
    let refused = matches!(outcome, Outcome::Refused(_));
    let html = render(&exchange_page(&app, study_id, page, Some(outcome), slug).await?)?;
    Ok(if refused {
        refused_page(html)
    } else {
        html.into_response()
    })
}

/// `POST /studies/{id}/exchange/codebook`: the codes of a .qdc this study lacks are added
/// (one batch of the activity log: one undo takes them away).
pub async fn import_codebook(
    State(app): State<AppState>,
    Path(study_id): Path<i64>,
    headers: HeaderMap,
    page: Page,
    multipart: Multipart,
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
        Ok((Some(bytes), _)) => {
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
    let refused = matches!(outcome, Outcome::Refused(_));
    let html = render(&exchange_page(&app, study_id, page, Some(outcome), String::new()).await?)?;
    Ok(if refused {
        refused_page(html)
    } else {
        html.into_response()
    })
}
