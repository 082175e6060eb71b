//! `/sites/{id}/corrections`: after the data-return forum, the facilitator records what the
//! community corrected, item by item of the report it was given (ข้อ 1, ข้อ 2 …), then marks
//! each correction applied to the record or not applied, with a note.

use super::render;
use crate::form::Submission;
use crate::page::Page;
use crate::{App, WebError};
use askama::Template;
use axum::extract::Path;
use axum::response::{Html, Response};
use rian_core::edit::{self, Changes};
use rian_core::model::*;
use rian_core::report::{ReportOptions, site_report};
use rian_core::store::Store;
use serde::Deserialize;

pub struct ItemRow {
    pub number: usize,
    pub section: String,
    pub text: String,
    /// `entity:id` of the record it came from.
    pub source: String,
}

pub struct CorrectionRow {
    pub id: i64,
    pub statement: String,
    pub text: String,
    pub state: &'static str,
    pub state_key: &'static str,
    pub note: String,
    pub written_at: String,
    /// Where the record is corrected.
    pub link: Option<String>,
}

#[derive(Template)]
#[template(path = "corrections.html")]
pub struct CorrectionsPage {
    pub page: Page,
    pub site_id: i64,
    pub site_name: String,
    pub study_id: i64,
    pub items: Vec<ItemRow>,
    pub corrections: Vec<CorrectionRow>,
    pub states: Vec<(&'static str, &'static str)>,
    pub back: String,
}

/// Where a person corrects the record an item came from.
async fn link(store: &Store, entity: &str, id: i64) -> Option<String> {
    Some(match entity {
        "forum" => format!("/forums/{id}"),
        "fact" => {
            let f: Fact = store.get(id).await.ok()?;
            format!("/documents/{}", f.document_id)
        }
        "coding" => {
            let c: Coding = store.get(id).await.ok()?;
            format!(
                "/documents/{}?span={}-{}#focus",
                c.document_id, c.span.start, c.span.end
            )
        }
        "swot_item" => {
            let s: SwotItem = store.get(id).await.ok()?;
            format!("/communities/{}/swot", s.community_id)
        }
        "tie" => {
            let t: Tie = store.get(id).await.ok()?;
            format!("/sites/{}", t.site_id)
        }
        "plan_item" => {
            let p: PlanItem = store.get(id).await.ok()?;
            format!("/sites/{}#plan", p.site_id)
        }
        _ => return None,
    })
}

pub async fn show(
    App(app): App,
    Path(site_id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let site = store.site(site_id).await?;
    let report = site_report(
        store,
        site_id,
        &ReportOptions {
            lang: page.lang,
            ..ReportOptions::default()
        },
    )
    .await?;
    let mut corrections = Vec::new();
    for c in store.corrections(site_id).await? {
        corrections.push(CorrectionRow {
            link: link(store, &c.item_entity, c.item_id).await,
            id: c.id,
            statement: c.statement,
            text: c.text,
            state: c.state.label(page.lang),
            state_key: c.state.as_str(),
            note: c.note.unwrap_or_default(),
            written_at: c.written_at,
        });
    }
    let title = format!(
        "{} · {}",
        page.tr("การแก้ไขจากชุมชน", "Community corrections"),
        site.display_name()
    );
    render(&CorrectionsPage {
        site_id,
        site_name: format!("{} {}", site.display_name(), site.province_display()),
        study_id: site.study_id,
        items: report
            .verify
            .into_iter()
            .map(|v| ItemRow {
                number: v.number,
                section: v.section,
                text: v.text,
                source: format!("{}:{}", v.source.entity, v.source.id),
            })
            .collect(),
        corrections,
        states: CorrectionState::ALL
            .iter()
            .map(|s| (s.as_str(), s.label(page.lang)))
            .collect(),
        back: format!("/sites/{site_id}/corrections"),
        page: page.titled(title),
    })
}

/// `POST /sites/{id}/corrections`: every item with something written under it becomes a
/// correction, all in one batch (one undo).
pub async fn record(
    App(app): App,
    Path(site_id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let fields: Vec<(String, String)> = form.read()?;
        let take = |name: &str| -> Vec<&str> {
            fields
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let (items, statements, texts) = (take("item"), take("statement"), take("text"));
        if items.len() != statements.len() || items.len() != texts.len() {
            return Err(rian_core::Error::Invalid {
                field: "form",
                th: "แบบฟอร์มไม่ครบ โปรดโหลดหน้าใหม่".into(),
                en: "the form is incomplete: reload the page".into(),
            });
        }
        let mut changes = Changes::begin(&app.store, &app.user).await?;
        let mut saved = 0;
        for ((item, statement), text) in items.iter().zip(&statements).zip(&texts) {
            if text.trim().is_empty() {
                continue;
            }
            let (entity, id) = item
                .split_once(':')
                .and_then(|(e, i)| Some((e, i.parse::<i64>().ok()?)))
                .ok_or_else(|| rian_core::Error::Invalid {
                    field: "item",
                    th: format!("รายการ \"{item}\" ไม่ถูกต้อง"),
                    en: format!("invalid item \"{item}\""),
                })?;
            changes
                .create(Record::Correction(Correction {
                    id: 0,
                    site_id,
                    item_entity: entity.into(),
                    item_id: id,
                    statement: statement.to_string(),
                    text: text.trim().to_string(),
                    state: CorrectionState::Open,
                    note: None,
                    author: app.user.to_string(),
                    written_at: String::new(),
                }))
                .await?;
            saved += 1;
        }
        if saved == 0 {
            return Err(rian_core::Error::Invalid {
                field: "text",
                th: "ยังไม่ได้เขียนการแก้ไขในข้อใดเลย".into(),
                en: "no correction was written under any item".into(),
            });
        }
        changes.commit().await?;
        Ok(format!("/sites/{site_id}/corrections#recorded"))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct StateForm {
    state: String,
    #[serde(default)]
    note: String,
}

/// `POST /corrections/{id}`: applied to the record, or not applied, with a note.
pub async fn update(App(app): App, Path(id): Path<i64>, page: Page, form: Submission) -> Response {
    let outcome = async {
        let f: StateForm = form.read()?;
        let before: Correction = app.store.get(id).await?;
        let note = f.note.trim();
        let after = Correction {
            state: f.state.parse()?,
            note: (!note.is_empty())
                .then(|| note.to_string())
                .or(before.note.clone()),
            ..before
        };
        let site = after.site_id;
        edit::update(&app.store, &app.user, Record::Correction(after)).await?;
        Ok(form.back_or(format!("/sites/{site}/corrections#correction-{id}")))
    }
    .await;
    form.finish(page, outcome)
}
