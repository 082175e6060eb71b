//! Review actions from the forum page: accept or reject a suggestion, all suggestions of a
//! code in a document at once, and undo. Each is a plain form post that returns to the
//! forum page, so it works without JavaScript.

use crate::page::{Page, same_origin};
use crate::{AppState, WebError};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rian_core::edit::undo_last;
use rian_core::model::CodingStatus;
use rian_core::review::{LOCAL_USER, set_status};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct StatusForm {
    /// `accepted` or `rejected`.
    status: String,
    /// Where to go back to: a forum id.
    forum: i64,
    /// All suggestions of this code in this document, instead of one coding.
    code: Option<i64>,
}

/// `POST /documents/{doc}/codings/{id}` (one coding) — with `code`, every suggestion of
/// that code in the document.
pub async fn status(
    State(app): State<AppState>,
    Path((document_id, coding_id)): Path<(i64, i64)>,
    headers: HeaderMap,
    page: Page,
    Form(form): Form<StatusForm>,
) -> Result<Response, WebError> {
    if !same_origin(&headers) {
        return Ok((StatusCode::FORBIDDEN, page.t.import_forbidden).into_response());
    }
    let Ok(status) = form.status.parse::<CodingStatus>() else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            "สถานะไม่ถูกต้อง / invalid status",
        )
            .into_response());
    };
    let codings = app.store.codings(document_id).await?;
    let ids: Vec<i64> = match form.code {
        Some(code) => codings
            .iter()
            .filter(|c| c.code_id == code && c.status == CodingStatus::Suggested)
            .map(|c| c.id)
            .collect(),
        None => codings
            .iter()
            .filter(|c| c.id == coding_id)
            .map(|c| c.id)
            .collect(),
    };
    if ids.is_empty() {
        return Err(WebError::NotFound);
    }
    set_status(&app.store, &ids, status, LOCAL_USER).await?;
    Ok(Redirect::to(&format!("/forums/{}#document-{document_id}", form.forum)).into_response())
}

#[derive(Deserialize)]
pub struct UndoForm {
    forum: i64,
}

/// `POST /studies/{id}/undo`: takes back the last change (or batch of changes).
pub async fn undo(
    State(app): State<AppState>,
    Path(study_id): Path<i64>,
    headers: HeaderMap,
    page: Page,
    Form(form): Form<UndoForm>,
) -> Result<Response, WebError> {
    if !same_origin(&headers) {
        return Ok((StatusCode::FORBIDDEN, page.t.import_forbidden).into_response());
    }
    undo_last(&app.store, study_id).await?;
    Ok(Redirect::to(&format!("/forums/{}", form.forum)).into_response())
}

#[derive(Deserialize)]
pub struct AddForm {
    forum: i64,
    code: i64,
    start: i64,
    end: i64,
}

/// `POST /documents/{doc}/codings`: codes the selected passage (widened to whole words).
/// A passage outside the text is refused with a message; nothing is saved.
pub async fn add(
    State(app): State<AppState>,
    Path(document_id): Path<i64>,
    headers: HeaderMap,
    page: Page,
    Form(form): Form<AddForm>,
) -> Result<Response, WebError> {
    if !same_origin(&headers) {
        return Ok((StatusCode::FORBIDDEN, page.t.import_forbidden).into_response());
    }
    let span = rian_core::model::Span {
        start: form.start,
        end: form.end,
    };
    match rian_core::review::add_coding(&app.store, document_id, form.code, span, LOCAL_USER).await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/forums/{}#document-{document_id}", form.forum)).into_response(),
        ),
        Err(e @ rian_core::Error::InvalidSpan { .. }) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
