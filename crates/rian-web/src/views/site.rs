//! `/sites/{id}`: a site, its communities, forums and supporters.

use super::{ForumRow, render};
use crate::page::Page;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;

pub struct TieRow {
    pub actor: String,
    pub actor_kind: &'static str,
    pub tie: &'static str,
}

#[derive(Template)]
#[template(path = "site.html")]
pub struct SitePage {
    pub page: Page,
    pub name: String,
    pub district: String,
    pub province: String,
    pub admin_code: String,
    pub status: &'static str,
    pub status_key: &'static str,
    pub fictional: bool,
    pub study_name: String,
    pub communities: Vec<String>,
    pub forums: Vec<ForumRow>,
    pub ties: Vec<TieRow>,
}

pub async fn show(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let overview = store.site_overview(id).await?;
    let site = &overview.site;
    let study = store.study(site.study_id).await?;
    let communities = store
        .communities(id)
        .await?
        .into_iter()
        .map(|c| c.name_th)
        .collect();
    let forums = store
        .forums(Some(id))
        .await?
        .iter()
        .map(|f| ForumRow::new(f, &page))
        .collect();
    let actors = store.actors(study.id).await?;
    let ties = store
        .ties(id)
        .await?
        .into_iter()
        .filter_map(|t| {
            let actor = actors.iter().find(|a| a.id == t.actor_id)?;
            Some(TieRow {
                actor: actor.name.clone(),
                actor_kind: actor.kind.label(page.lang),
                tie: t.kind.label(page.lang),
            })
        })
        .collect();
    let title = format!("{} {}", site.display_name(), site.province_display());
    render(&SitePage {
        name: site.display_name(),
        district: site.district_th.clone().unwrap_or_default(),
        province: site.province_display(),
        admin_code: site.admin_code.clone().unwrap_or_default(),
        status: overview.status.label(page.lang),
        status_key: overview.status.as_str(),
        fictional: site.fictional,
        study_name: study.name_th,
        communities,
        forums,
        ties,
        page: page.titled(title),
    })
}
