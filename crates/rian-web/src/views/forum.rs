//! `/forums/{id}`: a forum's record and its documents, beside the study's codebook.

use super::{CodeRow, ForumRow, codebook_rows, render};
use crate::page::Page;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rian_core::model::PartyRole;

pub struct PartyGroup {
    pub role: &'static str,
    pub names: Vec<String>,
}

pub struct DocumentView {
    pub id: i64,
    pub title: String,
    pub source_name: String,
    pub characters: usize,
    pub text: String,
}

#[derive(Template)]
#[template(path = "forum.html")]
pub struct ForumPage {
    pub page: Page,
    pub forum: ForumRow,
    pub site_id: i64,
    pub site_name: String,
    pub parties: Vec<PartyGroup>,
    pub documents: Vec<DocumentView>,
    pub codebook: Vec<CodeRow>,
}

pub async fn show(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let forum = store.forum(id).await?;
    let site = store.site(forum.site_id).await?;
    let all_parties = store.forum_parties(id).await?;
    let parties = PartyRole::ALL
        .iter()
        .map(|&role| PartyGroup {
            role: match role {
                PartyRole::Organizer => page.t.organizers,
                PartyRole::Academic => page.t.academic_partner,
                PartyRole::Partner => page.t.partners,
                PartyRole::Host => page.t.host,
                PartyRole::Facilitator => page.t.facilitators,
            },
            names: all_parties
                .iter()
                .filter(|p| p.role == role)
                .map(|p| p.name.clone())
                .collect(),
        })
        .filter(|g| !g.names.is_empty())
        .collect();
    let documents = store
        .documents(id)
        .await?
        .into_iter()
        .map(|d| DocumentView {
            id: d.id,
            characters: d.text.chars().count(),
            title: d.title,
            source_name: d.source_name.unwrap_or_default(),
            text: d.text,
        })
        .collect();
    let codebook = codebook_rows(&store.codes(site.study_id).await?, page.lang);
    let row = ForumRow::new(&forum, &page);
    let title = format!("{} · {}", row.title, row.date);
    render(&ForumPage {
        forum: row,
        site_id: site.id,
        site_name: format!("{} {}", site.display_name(), site.province_display()),
        parties,
        documents,
        codebook,
        page: page.titled(title),
    })
}
