//! Memos: written on a document, a coding, a code or a site (many on each), listed and
//! searched on `/studies/{id}/memos`.

use super::{MemoView, memo_views, render};
use crate::form::Submission;
use crate::page::Page;
use crate::{App, AppState, WebError};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, Response};
use rian_core::edit::Changes;
use rian_core::model::{Entity, Memo, MemoTarget, Record};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct MemoQuery {
    #[serde(default)]
    q: String,
}

/// A memo with a link to what it is written on.
pub struct MemoHit {
    pub memo: MemoView,
    pub link: String,
}

#[derive(Template)]
#[template(path = "memos_page.html")]
pub struct MemosPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub q: String,
    pub hits: Vec<MemoHit>,
}

pub async fn show(
    App(app): App,
    Path(study_id): Path<i64>,
    Query(query): Query<MemoQuery>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let study = app.store.study(study_id).await?;
    let q = query.q.trim().to_string();
    let memos = app
        .store
        .memos(study_id, None, (!q.is_empty()).then_some(q.as_str()))
        .await?;
    let mut hits = Vec::new();
    for m in &memos {
        let link = link_to(&app, m).await?;
        hits.push(MemoHit {
            memo: memo_views(std::iter::once(m), page.lang).remove(0),
            link,
        });
    }
    let title = format!("{} · {}", page.tr("บันทึก", "Memos"), study.name_th);
    render(&MemosPage {
        study_id,
        study_name: study.name_th,
        q,
        hits,
        page: page.titled(title),
    })
}

/// Where a memo's item is shown; a memo whose item was deleted links to the memo list.
async fn link_to(app: &AppState, m: &Memo) -> Result<String, rian_core::Error> {
    let fallback = format!("/studies/{}/memos", m.study_id);
    Ok(match m.target {
        MemoTarget::Document => format!("/documents/{}", m.target_id),
        MemoTarget::Site => format!("/sites/{}", m.target_id),
        MemoTarget::Code => format!("/studies/{}/codebook#code-{}", m.study_id, m.target_id),
        MemoTarget::Coding => {
            let mut tx = app.store.begin().await?;
            match tx.fetch(Entity::Coding, m.target_id).await {
                Ok(Record::Coding(c)) => format!("/documents/{}#coding-{}", c.document_id, c.id),
                _ => fallback,
            }
        }
    })
}

#[derive(Deserialize)]
struct MemoForm {
    target: String,
    target_id: i64,
    text: String,
}

/// `POST /memos`: a memo on a document, coding, code or site.
pub async fn add(App(app): App, page: Page, form: Submission) -> Response {
    let outcome = async {
        let f: MemoForm = form.read()?;
        let target: MemoTarget = crate::form::choice("target", &f.target)?;
        let study_id = {
            let mut tx = app.store.begin().await?;
            match target {
                MemoTarget::Document => tx.study_of_document(f.target_id).await?,
                MemoTarget::Site => tx.study_of_site(f.target_id).await?,
                MemoTarget::Code => tx.study_of(Entity::Code, f.target_id).await?,
                MemoTarget::Coding => tx.study_of(Entity::Coding, f.target_id).await?,
            }
        };
        let mut changes = Changes::begin(&app.store, &app.user).await?;
        let id = changes
            .create(Record::Memo(Memo {
                id: 0,
                study_id,
                target,
                target_id: f.target_id,
                text: f.text.trim().to_string(),
                author: app.user.to_string(),
                written_at: String::new(),
            }))
            .await?;
        changes.commit().await?;
        Ok(form.back_or(format!("/studies/{study_id}/memos#memo-{id}")))
    }
    .await;
    form.finish(page, outcome)
}
