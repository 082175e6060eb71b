//! `/forums/{id}`: a forum's record, each field beside the words it was read from, for a
//! person to correct and mark reviewed; its organizers and partners; every fact rian read;
//! and its documents, each opening the coding workbench.

use super::{ForumRow, render, timestamp};
use crate::form::{Submission, date, number, text};
use crate::page::Page;
use crate::{App, WebError};
use askama::Template;
use axum::extract::Path;
use axum::response::{Html, Response};
use rian_core::edit::{self, Changes};
use rian_core::model::{
    CodingStatus, Fact, FactKind, Forum, ForumKind, ForumParty, ForumStatus, Lang, PartyRole,
    Record,
};
use serde::Deserialize;

/// A fact beside the words it was read from.
pub struct FactRow {
    pub id: i64,
    pub kind: &'static str,
    pub kind_key: &'static str,
    pub value: String,
    pub shown: String,
    pub quote: String,
    pub link: Option<String>,
}

pub struct PartyRow {
    pub id: i64,
    pub role_key: &'static str,
    pub name: String,
}

pub struct DocumentRow {
    pub id: i64,
    pub title: String,
    pub source_name: String,
    pub characters: usize,
    pub suggested: usize,
    pub codings: usize,
}

/// What the record form shows: the stored values, and the evidence for each.
pub struct RecordForm {
    /// The forum's version when the form was made ([`rian_core::edit::version_of`]).
    pub version: String,
    pub title: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub date: String,
    pub date_end: String,
    pub venue: String,
    pub participants: String,
    pub site_id: i64,
    pub date_evidence: Vec<FactRow>,
    pub place_evidence: Vec<FactRow>,
    pub count_evidence: Vec<FactRow>,
}

#[derive(Template)]
#[template(path = "forum.html")]
pub struct ForumPage {
    pub page: Page,
    pub forum: ForumRow,
    pub record: RecordForm,
    pub reviewed: Option<String>,
    pub study_id: i64,
    pub site_id: i64,
    pub site_name: String,
    pub sites: Vec<(i64, String)>,
    pub parties: Vec<PartyRow>,
    pub roles: Vec<(&'static str, &'static str)>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub statuses: Vec<(&'static str, &'static str)>,
    pub facts: Vec<FactRow>,
    pub documents: Vec<DocumentRow>,
    pub back: String,
    /// The correction round: where the record stands, its history, the steps it may take.
    pub record_state: &'static str,
    pub record_state_key: &'static str,
    pub steps: Vec<StepRow>,
    pub next_states: Vec<(&'static str, &'static str)>,
}

pub struct StepRow {
    pub state: &'static str,
    pub actor: String,
    pub note: String,
    pub at: String,
}

/// A fact's value as a person reads it: dates in the Buddhist Era, list items on one line.
fn display_value(f: &Fact, lang: Lang) -> String {
    if f.kind == FactKind::Date {
        let days: Vec<String> = f
            .value
            .split('/')
            .map(|d| rian_core::model::IsoDate::parse(d).map_or(d.to_string(), |d| d.display(lang)))
            .collect();
        return days.join(" – ");
    }
    f.value.replace('\n', " · ")
}

pub async fn show(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let forum = store.forum(id).await?;
    let site = store.site(forum.site_id).await?;
    let mut facts = Vec::new();
    let mut documents = Vec::new();
    for d in store.documents(id).await? {
        let chars: Vec<char> = d.text.chars().collect();
        for f in store.facts(d.id).await? {
            let quote = f
                .span
                .and_then(|s| chars.get(s.start.max(0) as usize..s.end.max(0) as usize))
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            facts.push(FactRow {
                id: f.id,
                kind: f.kind.label(page.lang),
                kind_key: f.kind.as_str(),
                shown: display_value(&f, page.lang),
                link: f
                    .span
                    .map(|s| format!("/documents/{}?span={}-{}#focus", d.id, s.start, s.end)),
                value: f.value,
                quote,
            });
        }
        let codings = store.codings(d.id).await?;
        documents.push(DocumentRow {
            id: d.id,
            characters: chars.len(),
            suggested: codings
                .iter()
                .filter(|c| c.status == CodingStatus::Suggested)
                .count(),
            codings: codings.len(),
            title: d.title,
            source_name: d.source_name.unwrap_or_default(),
        });
    }
    let evidence = |keep: &dyn Fn(&FactRow) -> bool| -> Vec<FactRow> {
        facts
            .iter()
            .filter(|f| keep(f))
            .map(|f| FactRow {
                kind: f.kind,
                kind_key: f.kind_key,
                id: f.id,
                value: f.value.clone(),
                shown: f.shown.clone(),
                quote: f.quote.clone(),
                link: f.link.clone(),
            })
            .collect()
    };
    let record = RecordForm {
        version: rian_core::edit::version_of(&Record::Forum(forum.clone())),
        title: forum.title.clone().unwrap_or_default(),
        kind: forum.kind.as_str(),
        status: forum.status.as_str(),
        date: forum.date.map(|d| d.to_string()).unwrap_or_default(),
        date_end: forum.date_end.map(|d| d.to_string()).unwrap_or_default(),
        venue: forum.venue.clone().unwrap_or_default(),
        participants: forum
            .participants
            .map(|n| n.to_string())
            .unwrap_or_default(),
        site_id: site.id,
        date_evidence: evidence(&|f| f.kind_key == "date"),
        place_evidence: evidence(&|f| f.kind_key == "place"),
        count_evidence: evidence(&|f| {
            f.kind_key == "figure" && ["คน", "ราย", "people"].iter().any(|u| f.value.contains(u))
        }),
    };
    let sites = store
        .site_overviews(site.study_id)
        .await?
        .into_iter()
        .map(|o| (o.site.id, o.site.display_name()))
        .collect();
    let parties = store
        .forum_parties(id)
        .await?
        .into_iter()
        .map(|p| PartyRow {
            id: p.id,
            role_key: p.role.as_str(),
            name: p.name,
        })
        .collect();
    let reviewed = forum.reviewed_at.as_deref().map(|at| {
        format!(
            "{} · {}",
            forum.reviewed_by.clone().unwrap_or_default(),
            timestamp(at, page.lang)
        )
    });
    let row = ForumRow::new(&forum, &page);
    let title = format!("{} · {}", row.title, row.date);
    let steps = app.store.record_steps(id).await?;
    let state = steps
        .last()
        .map_or(rian_core::model::RecordState::Draft, |s| s.state);
    render(&ForumPage {
        forum: row,
        record,
        reviewed,
        study_id: site.study_id,
        site_id: site.id,
        site_name: format!("{} {}", site.display_name(), site.province_display()),
        sites,
        parties,
        roles: PartyRole::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(page.lang)))
            .collect(),
        kinds: ForumKind::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(page.lang)))
            .collect(),
        statuses: ForumStatus::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(page.lang)))
            .collect(),
        facts,
        documents,
        back: format!("/forums/{id}"),
        record_state: state.label(page.lang),
        record_state_key: state.as_str(),
        next_states: state
            .next()
            .iter()
            .map(|s| (s.as_str(), s.label(page.lang)))
            .collect(),
        steps: steps
            .into_iter()
            .map(|s| StepRow {
                state: s.state.label(page.lang),
                actor: s.actor,
                note: s.note.unwrap_or_default(),
                at: s.at,
            })
            .collect(),
        page: page.titled(title),
    })
}

#[derive(Deserialize)]
struct RecordFields {
    #[serde(default)]
    title: String,
    kind: String,
    status: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    date_end: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    participants: String,
    site: i64,
}

/// `POST /forums/{id}`: the corrected record.
pub async fn update(App(app): App, Path(id): Path<i64>, page: Page, form: Submission) -> Response {
    let outcome = async {
        let f: RecordFields = form.read()?;
        let before = app.store.forum(id).await?;
        let study = app.store.site(before.site_id).await?.study_id;
        if app.store.site(f.site).await?.study_id != study {
            return Err(rian_core::Error::Invalid {
                field: "site",
                th: "พื้นที่นี้อยู่คนละการศึกษา".into(),
                en: "that site belongs to another study".into(),
            });
        }
        let participants = number(
            "participants",
            "จำนวนผู้เข้าร่วม",
            "participants",
            &f.participants,
        )?;
        edit::update_from(
            &app.store,
            &app.user,
            Record::Forum(Forum {
                site_id: f.site,
                kind: crate::form::choice("kind", &f.kind)?,
                status: crate::form::choice("status", &f.status)?,
                title: text(&f.title),
                date: date("date", &f.date)?,
                date_end: date("date_end", &f.date_end)?,
                venue: text(&f.venue),
                participants,
                ..before
            }),
            Some(form.get("version")),
        )
        .await?;
        Ok(form.back_or(format!("/forums/{id}")))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct ReviewedForm {
    /// "1" marks the record reviewed; "0" takes the mark back.
    reviewed: String,
}

/// `POST /forums/{id}/reviewed`: a person has checked the record against its evidence.
pub async fn mark_reviewed(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: ReviewedForm = form.read()?;
        let before = app.store.forum(id).await?;
        let reviewed = f.reviewed == "1";
        let now = app.store.now().await?;
        edit::update(
            &app.store,
            &app.user,
            Record::Forum(Forum {
                reviewed_at: reviewed.then_some(now),
                reviewed_by: reviewed.then(|| app.user.to_string()),
                ..before
            }),
        )
        .await?;
        Ok(form.back_or(format!("/forums/{id}")))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct StepForm {
    state: String,
    #[serde(default)]
    note: String,
}

/// `POST /forums/{id}/record`: the record moves a step (checked by the community, final,
/// or reopened), kept in its history.
pub async fn step_record(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: StepForm = form.read()?;
        let state: rian_core::model::RecordState = f.state.parse()?;
        app.store
            .step_record(id, state, &app.user, Some(&f.note))
            .await?;
        Ok(form.back_or(format!("/forums/{id}#record-state")))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct PartyFields {
    role: String,
    name: String,
}

/// `POST /forums/{id}/parties`: an organizer, partner, host… named by hand.
pub async fn add_party(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: PartyFields = form.read()?;
        app.store.forum(id).await?;
        edit::create(
            &app.store,
            &app.user,
            Record::ForumParty(ForumParty {
                id: 0,
                forum_id: id,
                role: crate::form::choice("role", &f.role)?,
                name: f.name.trim().to_string(),
            }),
        )
        .await?;
        Ok(form.back_or(format!("/forums/{id}#parties")))
    }
    .await;
    form.finish(page, outcome)
}

/// `POST /parties/{id}`: a corrected name or role.
pub async fn update_party(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: PartyFields = form.read()?;
        let before: ForumParty = app.store.get(id).await?;
        let forum_id = before.forum_id;
        edit::update(
            &app.store,
            &app.user,
            Record::ForumParty(ForumParty {
                role: crate::form::choice("role", &f.role)?,
                name: f.name.trim().to_string(),
                ..before
            }),
        )
        .await?;
        Ok(form.back_or(format!("/forums/{forum_id}#parties")))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct FactFields {
    value: String,
}

/// `POST /facts/{id}`: a corrected value (a figure's number is read again from it).
pub async fn update_fact(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: FactFields = form.read()?;
        let before: Fact = app.store.get(id).await?;
        let value = f.value.trim().to_string();
        let number = match before.kind {
            FactKind::Figure => rian_core::thai::figures::find_figures(&value)
                .first()
                .map(|x| x.value)
                .or(before.number),
            _ => before.number,
        };
        if before.kind == FactKind::Date
            && value
                .split('/')
                .any(|d| rian_core::model::IsoDate::parse(d).is_none())
        {
            return Err(rian_core::Error::Invalid {
                field: "value",
                th: format!("วันที่ไม่ถูกต้อง \"{value}\" (ใช้ ปปปป-ดด-วว)"),
                en: format!("invalid date \"{value}\" (use YYYY-MM-DD)"),
            });
        }
        let document_id = before.document_id;
        let mut changes = Changes::begin(&app.store, &app.user).await?;
        changes
            .update(Record::Fact(Fact {
                value,
                number,
                ..before
            }))
            .await?;
        changes.commit().await?;
        let forum = app.store.document(document_id).await?.forum_id;
        Ok(form.back_or(format!("/forums/{forum}#facts")))
    }
    .await;
    form.finish(page, outcome)
}
