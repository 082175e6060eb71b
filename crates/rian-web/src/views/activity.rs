//! `/studies/{id}/activity`: who changed what and when, with the record before and after;
//! and undo of the last change, from any page (`POST /studies/{id}/undo`).

use super::{render, timestamp};
use crate::form::Submission;
use crate::page::Page;
use crate::{App, WebError};
use askama::Template;
use axum::extract::Path;
use axum::response::{Html, Response};
use rian_core::edit::undo_last;
use rian_core::model::{Activity, Entity, Lang, Record};

pub struct EntryView {
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub entity: String,
    pub before: String,
    pub after: String,
    pub undone: bool,
    /// A change made together with the one above it.
    pub same_batch: bool,
}

#[derive(Template)]
#[template(path = "activity.html")]
pub struct ActivityPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub entries: Vec<EntryView>,
    pub back: String,
}

/// How many entries the page shows, newest first.
const SHOWN: i64 = 500;

fn describe(value: Option<&str>, entity: Option<Entity>, lang: Lang) -> String {
    let Some(value) = value else {
        return String::new();
    };
    match entity.and_then(|e| Record::from_json(e, value).ok()) {
        Some(record) => record.summary(lang),
        // Entries from before whole records were kept: a status, an id.
        None => value
            .parse::<rian_core::model::CodingStatus>()
            .map_or(value.to_string(), |s| s.label(lang).to_string()),
    }
}

fn entry(a: &Activity, previous: Option<&Activity>, lang: Lang) -> EntryView {
    let entity: Option<Entity> = a.entity.parse().ok();
    let action = match (a.action.as_str(), lang) {
        ("add", Lang::Th) => "เพิ่ม",
        ("add", Lang::En) => "added",
        ("update" | "set_status", Lang::Th) => "แก้ไข",
        ("update" | "set_status", Lang::En) => "changed",
        ("delete", Lang::Th) => "ลบ",
        ("delete", Lang::En) => "deleted",
        _ => "?",
    };
    EntryView {
        at: timestamp(&a.at, lang),
        actor: a.actor.clone(),
        action,
        entity: entity.map_or(a.entity.clone(), |e| e.label(lang).to_string()),
        before: describe(a.before.as_deref(), entity, lang),
        after: describe(a.after.as_deref(), entity, lang),
        undone: a.undone,
        same_batch: previous.is_some_and(|p| p.batch == a.batch && a.batch.is_some()),
    }
}

pub async fn show(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let study = app.store.study(study_id).await?;
    let log = app.store.activity(study_id, SHOWN).await?;
    let entries = log
        .iter()
        .enumerate()
        .map(|(i, a)| entry(a, i.checked_sub(1).map(|p| &log[p]), page.lang))
        .collect();
    let title = format!(
        "{} · {}",
        page.tr("ประวัติการแก้ไข", "Activity"),
        study.name_th
    );
    render(&ActivityPage {
        study_id,
        study_name: study.name_th,
        entries,
        back: format!("/studies/{study_id}/activity"),
        page: page.titled(title),
    })
}

/// `POST /studies/{id}/undo`: takes back the last change (or batch of changes).
pub async fn undo(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        form.read::<crate::form::Empty>()?;
        app.store.study(study_id).await?;
        undo_last(&app.store, study_id).await?;
        Ok(form.back_or(format!("/studies/{study_id}/activity")))
    }
    .await;
    form.finish(page, outcome)
}
