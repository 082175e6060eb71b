//! `/sites/{id}`: a site, its communities, forums and supporters; and the form that imports
//! a write-up into it (`POST /sites/{id}/import`: a file or pasted text).

use super::{ForumRow, SiteRow, render};
use crate::form::{Submission, date, number, text};
use crate::page::Page;
use crate::{App, AppState, WebError};
use askama::Template;
use axum::extract::{Multipart, Path};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use rian_core::edit;
use rian_core::model::{Community, ForumKind, MemoTarget, PlanItem, PlanStatus, Record};
use rian_core::pipeline::{ImportRequest, SiteRef, import_source};
use serde::Deserialize;

pub struct TieRow {
    pub actor: String,
    pub actor_kind: &'static str,
    pub tie: &'static str,
}

pub struct CommunityRow {
    pub id: i64,
    pub name: String,
    pub swot_items: usize,
}

pub struct PlanRow {
    pub id: i64,
    pub what: String,
    pub who: String,
    pub due: String,
    pub due_shown: String,
    pub status_key: &'static str,
    pub status: &'static str,
    pub progress: i64,
}

/// What the import form shows again after a refusal: nothing a person typed is lost.
#[derive(Default)]
pub struct ImportForm {
    pub error: Option<String>,
    pub title: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "site.html")]
pub struct SitePage {
    pub page: Page,
    pub site: SiteRow,
    pub study_name: String,
    pub study_id: i64,
    pub communities: Vec<CommunityRow>,
    pub forums: Vec<ForumRow>,
    pub ties: Vec<TieRow>,
    pub plan: Vec<PlanRow>,
    pub plan_statuses: Vec<(&'static str, &'static str)>,
    pub memos: Vec<super::MemoView>,
    pub back: String,
    pub form: ImportForm,
}

pub async fn show(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    render(&site_page(&app, id, page, ImportForm::default()).await?)
}

async fn site_page(
    app: &AppState,
    id: i64,
    page: Page,
    form: ImportForm,
) -> Result<SitePage, WebError> {
    let store = &app.store;
    let overview = store.site_overview(id).await?;
    let site = &overview.site;
    let study = store.study(site.study_id).await?;
    let swot_items = store.swot_item_counts(id).await?;
    let communities = store
        .communities(id)
        .await?
        .into_iter()
        .map(|c| CommunityRow {
            swot_items: swot_items.get(&c.id).copied().unwrap_or(0) as usize,
            id: c.id,
            name: c.name_th,
        })
        .collect();
    let plan = store
        .plan_items(id)
        .await?
        .into_iter()
        .map(|p| PlanRow {
            id: p.id,
            what: p.what,
            who: p.who.unwrap_or_default(),
            due: p.due.map(|d| d.to_string()).unwrap_or_default(),
            due_shown: p.due.map(|d| d.display(page.lang)).unwrap_or_default(),
            status_key: p.status.as_str(),
            status: p.status.label(page.lang),
            progress: p.progress,
        })
        .collect();
    let memos = super::memo_views(
        store
            .memos(study.id, Some((MemoTarget::Site, id)), None)
            .await?
            .iter(),
        page.lang,
    );
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
    Ok(SitePage {
        site: SiteRow::new(&overview, page.lang),
        study_name: study.name_th,
        study_id: study.id,
        communities,
        forums,
        ties,
        plan,
        plan_statuses: PlanStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label(page.lang)))
            .collect(),
        memos,
        back: format!("/sites/{id}"),
        form,
        page: page.titled(title),
    })
}

/// The largest upload the import form takes.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

pub async fn import(
    App(app): App,
    Path(id): Path<i64>,
    headers: HeaderMap,
    page: Page,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    let t = page.t;
    if !crate::page::same_origin(&headers) {
        return Ok((StatusCode::FORBIDDEN, t.import_forbidden).into_response());
    }
    let Ok(mut multipart) = multipart else {
        return Ok((StatusCode::UNSUPPORTED_MEDIA_TYPE, super::not_an_upload()).into_response());
    };
    let mut form = ImportForm::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut bad_form = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                bad_form = Some(super::upload_refusal(&e, MAX_UPLOAD_BYTES));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => {
                bad_form = Some(super::upload_refusal(&e, MAX_UPLOAD_BYTES));
                break;
            }
        };
        match name.as_str() {
            "file" => {
                if let Some(n) = file_name.filter(|_| !bytes.is_empty()) {
                    file = Some((n, bytes.to_vec()));
                }
            }
            "text" => form.text = String::from_utf8_lossy(&bytes).into_owned(),
            "title" => form.title = String::from_utf8_lossy(&bytes).trim().to_string(),
            _ => {}
        }
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let source = if let Some((code, message)) = bad_form {
        status = code;
        Err(message)
    } else if let Some((name, bytes)) = file {
        rian_core::import::read_bytes(&name, bytes).map_err(|e| e.to_string())
    } else if !form.text.trim().is_empty() {
        let name = if form.title.is_empty() {
            "ข้อความที่วาง.txt".to_string()
        } else {
            format!("{}.txt", form.title.replace(['/', '\\'], " "))
        };
        rian_core::import::read_bytes(&name, form.text.clone().into_bytes())
            .map_err(|e| e.to_string())
    } else {
        Err(t.import_nothing.to_string())
    };
    let outcome = match source {
        Ok(mut source) => {
            if !form.title.is_empty() {
                source.title = form.title.clone();
            }
            let request = ImportRequest {
                path: std::path::Path::new(""),
                site: SiteRef::Id(id),
                forum_id: None,
                kind: ForumKind::LessonsLearned,
                date: None,
            };
            match import_source(&app.store, source, &request).await {
                Ok(imported) => Ok(imported),
                Err(e) if e.is_refusal() => Err(e.to_string()),
                Err(e) => return Err(e.into()),
            }
        }
        Err(message) => Err(message),
    };
    match outcome {
        Ok(imported) => Ok(Redirect::to(&format!("/forums/{}", imported.forum_id)).into_response()),
        Err(message) => {
            form.error = Some(message);
            let html = render(&site_page(&app, id, page, form).await?)?;
            Ok((status, html).into_response())
        }
    }
}

#[derive(Deserialize)]
struct CommunityForm {
    name: String,
}

/// `POST /sites/{id}/communities`: a community of the site (each has its SWOT board).
pub async fn add_community(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: CommunityForm = form.read()?;
        app.store.site(id).await?;
        let name = f.name.trim().to_string();
        if app
            .store
            .communities(id)
            .await?
            .iter()
            .any(|c| c.name_th == name)
        {
            return Err(rian_core::Error::Invalid {
                field: "name",
                th: format!("มีชุมชน \"{name}\" ในพื้นที่นี้แล้ว"),
                en: format!("this site already has a community named \"{name}\""),
            });
        }
        edit::create(
            &app.store,
            &app.user,
            Record::Community(Community {
                id: 0,
                site_id: id,
                name_th: name,
                note: None,
            }),
        )
        .await?;
        Ok(form.back_or(format!("/sites/{id}#communities")))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct PlanForm {
    what: String,
    #[serde(default)]
    who: String,
    #[serde(default)]
    due: String,
    status: String,
    #[serde(default)]
    progress: String,
}

impl PlanForm {
    fn item(&self, id: i64, site_id: i64) -> Result<PlanItem, rian_core::Error> {
        Ok(PlanItem {
            id,
            site_id,
            what: self.what.trim().to_string(),
            who: text(&self.who),
            due: date("due", &self.due)?,
            status: crate::form::choice("status", &self.status)?,
            progress: number("progress", "ความคืบหน้า", "progress", &self.progress)?.unwrap_or(0),
        })
    }
}

/// `POST /sites/{id}/plan`: an item of the joint development plan.
pub async fn add_plan_item(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: PlanForm = form.read()?;
        app.store.site(id).await?;
        let item = edit::create(&app.store, &app.user, Record::PlanItem(f.item(0, id)?)).await?;
        Ok(form.back_or(format!("/sites/{id}")) + &format!("#plan-{item}"))
    }
    .await;
    form.finish(page, outcome)
}

/// `POST /plan-items/{id}`: progress, status, or any field of a plan item.
pub async fn update_plan_item(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: PlanForm = form.read()?;
        let before = app.store.get::<PlanItem>(id).await?;
        edit::update(
            &app.store,
            &app.user,
            Record::PlanItem(f.item(id, before.site_id)?),
        )
        .await?;
        Ok(form.back_or(format!("/sites/{}#plan-{id}", before.site_id)))
    }
    .await;
    form.finish(page, outcome)
}
