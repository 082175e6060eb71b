//! `/studies/{id}/network`: the organizations and people who support the study's sites,
//! and their ties to each site. Actors are added by hand or from the organizations rian
//! read in the write-ups (then the tie links back to the passage).

use super::codebook::ConfirmDelete;
use super::render;
use crate::form::{Submission, text};
use crate::page::Page;
use crate::{App, WebError};
use askama::Template;
use axum::extract::Path;
use axum::response::{Html, Response};
use rian_core::edit::{self, Changes};
use rian_core::model::{Actor, ActorKind, Record, Tie, TieKind};
use serde::Deserialize;

pub struct TieView {
    pub id: i64,
    pub site: String,
    pub site_id: i64,
    pub kind: &'static str,
    pub note: String,
    pub source: Option<String>,
}

pub struct ActorView {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub kind_key: &'static str,
    pub ties: Vec<TieView>,
}

/// An organization read in a write-up that is not an actor yet.
pub struct FoundOrganization {
    pub name: String,
    pub guess: &'static str,
    pub site_id: i64,
    pub site: String,
    pub document_id: i64,
    pub start: i64,
    pub end: i64,
}

#[derive(Template)]
#[template(path = "network.html")]
pub struct NetworkPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub actors: Vec<ActorView>,
    pub found: Vec<FoundOrganization>,
    pub sites: Vec<(i64, String)>,
    pub actor_kinds: Vec<(&'static str, &'static str)>,
    pub tie_kinds: Vec<(&'static str, &'static str)>,
    pub back: String,
}

pub async fn show(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let study = store.study(study_id).await?;
    let sites: Vec<(i64, String)> = store
        .site_overviews(study_id)
        .await?
        .into_iter()
        .map(|o| (o.site.id, o.site.display_name()))
        .collect();
    let site_name = |id: i64| {
        sites
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let actors = store.actors(study_id).await?;
    let ties = store.study_ties(study_id).await?;
    let views = actors
        .iter()
        .map(|a| ActorView {
            id: a.id,
            name: a.name.clone(),
            kind: a.kind.label(page.lang),
            kind_key: a.kind.as_str(),
            ties: ties
                .iter()
                .filter(|t| t.actor_id == a.id)
                .map(|t| TieView {
                    id: t.id,
                    site: site_name(t.site_id),
                    site_id: t.site_id,
                    kind: t.kind.label(page.lang),
                    note: t.note.clone().unwrap_or_default(),
                    source: t
                        .document_id
                        .zip(t.span)
                        .map(|(d, s)| format!("/documents/{d}?span={}-{}#focus", s.start, s.end)),
                })
                .collect(),
        })
        .collect();
    let mut found: Vec<FoundOrganization> = Vec::new();
    for (fact, site_id) in store.organization_facts(study_id).await? {
        let name = fact.value.trim().to_string();
        let known = actors.iter().any(|a| a.name == name) || found.iter().any(|f| f.name == name);
        if known || name.is_empty() {
            continue;
        }
        let span = fact
            .span
            .unwrap_or(rian_core::model::Span { start: 0, end: 0 });
        found.push(FoundOrganization {
            guess: ActorKind::guess(&name).as_str(),
            site: site_name(site_id),
            site_id,
            document_id: fact.document_id,
            start: span.start,
            end: span.end,
            name,
        });
    }
    let title = format!("{} · {}", page.t.network, study.name_th);
    render(&NetworkPage {
        study_id,
        study_name: study.name_th,
        actors: views,
        found,
        sites,
        actor_kinds: ActorKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label(page.lang)))
            .collect(),
        tie_kinds: TieKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label(page.lang)))
            .collect(),
        back: format!("/studies/{study_id}/network"),
        page: page.titled(title),
    })
}

#[derive(Deserialize)]
struct ActorForm {
    name: String,
    kind: String,
    /// With a site: the actor is tied to it at once.
    #[serde(default)]
    site: String,
    #[serde(default)]
    tie: String,
    #[serde(default)]
    note: String,
    /// The passage the organization was read from.
    #[serde(default)]
    document: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
}

/// `POST /studies/{id}/actors`: a new actor, and its first tie if a site is chosen; one
/// change, undone together.
pub async fn add_actor(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: ActorForm = form.read()?;
        let kind: ActorKind = crate::form::choice("kind", &f.kind)?;
        app.store.study(study_id).await?;
        let mut changes = Changes::begin(&app.store, &app.user).await?;
        let actor_id = changes
            .create(Record::Actor(Actor {
                id: 0,
                study_id,
                name: f.name.trim().to_string(),
                kind,
            }))
            .await?;
        if let Some(site_id) = crate::form::number("site", "พื้นที่", "site", &f.site)?
        {
            let tie_kind: TieKind = crate::form::choice("tie", &f.tie)?;
            let document = crate::form::number("document", "เอกสาร", "document", &f.document)?;
            let start = crate::form::number("start", "ตำแหน่ง", "offset", &f.start)?;
            let end = crate::form::number("end", "ตำแหน่ง", "offset", &f.end)?;
            let span = start
                .zip(end)
                .filter(|(s, e)| e > s)
                .map(|(start, end)| rian_core::model::Span { start, end });
            changes
                .create(Record::Tie(Tie {
                    id: 0,
                    actor_id,
                    site_id,
                    kind: tie_kind,
                    note: text(&f.note),
                    document_id: document.filter(|_| span.is_some()),
                    span: span.filter(|_| document.is_some()),
                }))
                .await?;
        }
        changes.commit().await?;
        Ok(form.back_or(format!("/studies/{study_id}/network")) + &format!("#actor-{actor_id}"))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct ActorEdit {
    name: String,
    kind: String,
}

/// `POST /actors/{id}`: renames an actor or changes its kind.
pub async fn update_actor(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: ActorEdit = form.read()?;
        let before = app.store.get::<Actor>(id).await?;
        edit::update(
            &app.store,
            &app.user,
            Record::Actor(Actor {
                name: f.name.trim().to_string(),
                kind: crate::form::choice("kind", &f.kind)?,
                ..before.clone()
            }),
        )
        .await?;
        Ok(form.back_or(format!("/studies/{}/network#actor-{id}", before.study_id)))
    }
    .await;
    form.finish(page, outcome)
}

/// `GET /actors/{id}/delete`: asks first, saying how many ties go with the actor.
pub async fn confirm_delete_actor(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let a = app.store.get::<Actor>(id).await?;
    let ties = app
        .store
        .study_ties(a.study_id)
        .await?
        .iter()
        .filter(|t| t.actor_id == id)
        .count();
    render(&ConfirmDelete {
        what: format!("{} “{}”", page.tr("ลบภาคี", "Delete the actor"), a.name),
        consequences: vec![format!(
            "{} {ties}",
            page.tr(
                "ความสัมพันธ์กับพื้นที่ที่จะถูกลบไปด้วย:",
                "Ties to sites deleted with it:"
            )
        )],
        action: format!("/actors/{id}/delete"),
        back: format!("/studies/{}/network#actor-{id}", a.study_id),
        page: page.titled(a.name),
    })
}

#[derive(Deserialize)]
struct TieForm {
    site: i64,
    kind: String,
    #[serde(default)]
    note: String,
}

/// `POST /actors/{id}/ties`: ties an actor to a site.
pub async fn add_tie(App(app): App, Path(id): Path<i64>, page: Page, form: Submission) -> Response {
    let outcome = async {
        let f: TieForm = form.read()?;
        let a = app.store.get::<Actor>(id).await?;
        edit::create(
            &app.store,
            &app.user,
            Record::Tie(Tie {
                id: 0,
                actor_id: id,
                site_id: f.site,
                kind: crate::form::choice("kind", &f.kind)?,
                note: text(&f.note),
                document_id: None,
                span: None,
            }),
        )
        .await?;
        Ok(form.back_or(format!("/studies/{}/network#actor-{id}", a.study_id)))
    }
    .await;
    form.finish(page, outcome)
}
