//! `/`: every study in the store with its sites and where each stands.

use super::{CodeRow, SiteRow, codebook_rows, render};
use crate::page::Page;
use crate::{App, WebError};
use askama::Template;
use axum::response::Html;

pub struct StudyView {
    pub id: i64,
    pub name: String,
    pub fiscal_year_be: i64,
    pub sites: Vec<SiteRow>,
    pub codebook: Vec<CodeRow>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct Dashboard {
    pub page: Page,
    pub studies: Vec<StudyView>,
}

pub async fn show(App(app): App, page: Page) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let mut studies = Vec::new();
    for study in store.studies().await? {
        let sites = store
            .site_overviews(study.id)
            .await?
            .into_iter()
            .map(|o| SiteRow::new(&o, page.lang))
            .collect();
        let codebook = codebook_rows(&store.codes(study.id).await?, page.lang);
        studies.push(StudyView {
            id: study.id,
            name: match page.lang {
                rian_core::model::Lang::En => study.name_en.unwrap_or(study.name_th),
                rian_core::model::Lang::Th => study.name_th,
            },
            fiscal_year_be: study.fiscal_year_be,
            sites,
            codebook,
        });
    }
    let title = page.t.dashboard;
    render(&Dashboard {
        page: page.titled(title),
        studies,
    })
}
