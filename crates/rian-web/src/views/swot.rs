//! `/communities/{id}/swot`: a community's SWOT board, four quadrants. Items are added by
//! hand here or from a passage on the document page (then they link back to it), and
//! edited, reordered and deleted here.

use super::codebook::direction;
use super::render;
use crate::form::Submission;
use crate::page::Page;
use crate::{App, AppState, WebError};
use askama::Template;
use axum::extract::Path;
use axum::response::{Html, Response};
use rian_core::edit;
use rian_core::model::{Quadrant, Record, SwotItem};
use serde::Deserialize;

pub struct ItemView {
    pub id: i64,
    pub text: String,
    /// Where the item was said, if it came from a passage.
    pub source: Option<String>,
    pub first: bool,
    pub last: bool,
}

pub struct QuadrantView {
    pub key: &'static str,
    pub label: &'static str,
    pub items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "swot.html")]
pub struct SwotPage {
    pub page: Page,
    pub community_id: i64,
    pub community: String,
    pub site_id: i64,
    pub site_name: String,
    pub study_id: i64,
    pub quadrants: Vec<QuadrantView>,
    pub back: String,
}

pub async fn show(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let (community, site) = community_and_site(&app, id).await?;
    let items = store.swot_items(id).await?;
    let quadrants = Quadrant::ALL
        .iter()
        .map(|&q| {
            let mine: Vec<&SwotItem> = items.iter().filter(|s| s.quadrant == q).collect();
            let n = mine.len();
            QuadrantView {
                key: q.as_str(),
                label: q.label(page.lang),
                items: mine
                    .into_iter()
                    .enumerate()
                    .map(|(i, s)| ItemView {
                        id: s.id,
                        text: s.text.clone(),
                        source: s.document_id.zip(s.span).map(|(d, span)| {
                            format!("/documents/{d}?span={}-{}#focus", span.start, span.end)
                        }),
                        first: i == 0,
                        last: i + 1 == n,
                    })
                    .collect(),
            }
        })
        .collect();
    let title = format!("SWOT · {}", community.name_th);
    render(&SwotPage {
        community_id: id,
        community: community.name_th,
        site_id: site.id,
        site_name: format!("{} {}", site.display_name(), site.province_display()),
        study_id: site.study_id,
        quadrants,
        back: format!("/communities/{id}/swot"),
        page: page.titled(title),
    })
}

async fn community_and_site(
    app: &AppState,
    id: i64,
) -> Result<(rian_core::model::Community, rian_core::model::Site), rian_core::Error> {
    let community: rian_core::model::Community = app.store.get(id).await?;
    let site = app.store.site(community.site_id).await?;
    Ok((community, site))
}

#[derive(Deserialize)]
struct ItemForm {
    text: String,
    quadrant: String,
}

/// `POST /communities/{id}/swot`: an item added by hand, last in its quadrant.
pub async fn add(App(app): App, Path(id): Path<i64>, page: Page, form: Submission) -> Response {
    let outcome = async {
        let f: ItemForm = form.read()?;
        let quadrant: Quadrant = crate::form::choice("quadrant", &f.quadrant)?;
        let position = edit::next_swot_position(&app.store, id, quadrant).await?;
        let item = edit::create(
            &app.store,
            &app.user,
            Record::SwotItem(SwotItem {
                id: 0,
                community_id: id,
                quadrant,
                text: f.text.trim().to_string(),
                position,
                document_id: None,
                span: None,
            }),
        )
        .await?;
        Ok(form.back_or(format!("/communities/{id}/swot")) + &format!("#swot-{item}"))
    }
    .await;
    form.finish(page, outcome)
}

/// `POST /swot-items/{id}`: new text, or another quadrant (then last in it).
pub async fn update(App(app): App, Path(id): Path<i64>, page: Page, form: Submission) -> Response {
    let outcome = async {
        let f: ItemForm = form.read()?;
        let quadrant: Quadrant = crate::form::choice("quadrant", &f.quadrant)?;
        let before = app.store.get::<SwotItem>(id).await?;
        let position = if quadrant == before.quadrant {
            before.position
        } else {
            edit::next_swot_position(&app.store, before.community_id, quadrant).await?
        };
        edit::update(
            &app.store,
            &app.user,
            Record::SwotItem(SwotItem {
                text: f.text.trim().to_string(),
                quadrant,
                position,
                ..before.clone()
            }),
        )
        .await?;
        Ok(form.back_or(format!("/communities/{}/swot", before.community_id)))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct MoveForm {
    dir: String,
}

/// `POST /swot-items/{id}/move`: one place up or down in its quadrant.
pub async fn move_item(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: MoveForm = form.read()?;
        let before = app.store.get::<SwotItem>(id).await?;
        edit::move_swot_item(&app.store, &app.user, id, direction(&f.dir)?).await?;
        Ok(form.back_or(format!("/communities/{}/swot", before.community_id)))
    }
    .await;
    form.finish(page, outcome)
}
