//! `/studies/{id}/codebook`: the codebook tree with counts; add, rename, recolour, move,
//! merge and delete codes (deleting asks first and says how many codings go with it).
//! Also `/studies/{id}/codes.css`: each code's colour, for highlights everywhere.

use super::{CodeRow, MemoView, codebook_rows, memo_views, render};
use crate::form::{Submission, text};
use crate::page::Page;
use crate::{App, WebError};
use askama::Template;
use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use rian_core::edit::{self, Direction};
use rian_core::model::{Code, MemoTarget, Record};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "codebook_page.html")]
pub struct CodebookPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub codes: Vec<CodeRow>,
    pub memos: HashMap<i64, Vec<MemoView>>,
    pub back: String,
}

impl CodebookPage {
    fn memos_of(&self, id: &i64) -> &[MemoView] {
        self.memos.get(id).map_or(&[], Vec::as_slice)
    }
}

pub async fn show(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let study = store.study(study_id).await?;
    let counts = store.coding_counts(study_id).await?;
    let mut codes = codebook_rows(&store.codes(study_id).await?, page.lang);
    for c in &mut codes {
        c.count = counts.get(&c.id).copied().unwrap_or(0);
    }
    let mut memos: HashMap<i64, Vec<MemoView>> = HashMap::new();
    let all = store.memos(study_id, None, None).await?;
    for c in &codes {
        let on = memo_views(
            all.iter()
                .filter(|m| m.target == MemoTarget::Code && m.target_id == c.id),
            page.lang,
        );
        if !on.is_empty() {
            memos.insert(c.id, on);
        }
    }
    let title = format!("{} · {}", page.t.codebook, study.name_th);
    render(&CodebookPage {
        study_id,
        study_name: study.name_th,
        codes,
        memos,
        back: format!("/studies/{study_id}/codebook"),
        page: page.titled(title),
    })
}

/// `GET /studies/{id}/codes.css`: a custom property per code, so that highlights, dots and
/// swatches take the code's colour without inline styles (the CSP forbids them).
pub async fn colours(App(app): App, Path(study_id): Path<i64>) -> Result<Response, WebError> {
    let mut css = String::new();
    for c in app.store.codes(study_id).await? {
        // Colours are checked on every write; one that is not #rrggbb is skipped here.
        if c.color.len() == 7 && c.color[1..].bytes().all(|b| b.is_ascii_hexdigit()) {
            css.push_str(&format!(".c{}{{--c:{}}}\n", c.id, c.color));
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            // Colours change when a person edits the codebook: always revalidate.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        css,
    )
        .into_response())
}

#[derive(Deserialize)]
struct CodeFields {
    name_th: String,
    #[serde(default)]
    name_en: String,
    color: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    parent: String,
}

fn parent_of(value: &str) -> Result<Option<i64>, rian_core::Error> {
    crate::form::number("parent", "รหัสแม่", "parent code", value)
}

/// `POST /studies/{id}/codes`: a new code, last under its parent.
pub async fn add(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: CodeFields = form.read()?;
        app.store.study(study_id).await?;
        let id = edit::add_code(
            &app.store,
            &app.user,
            Code {
                id: 0,
                study_id,
                parent_id: parent_of(&f.parent)?,
                key: String::new(),
                name_th: f.name_th.trim().to_string(),
                name_en: f.name_en.trim().to_string(),
                color: f.color.trim().to_lowercase(),
                position: 0,
                description: text(&f.description),
            },
        )
        .await?;
        Ok(form.back_or(format!("/studies/{study_id}/codebook")) + &format!("#code-{id}"))
    }
    .await;
    form.finish(page, outcome)
}

fn codebook_of(c: &Code) -> String {
    format!("/studies/{}/codebook#code-{}", c.study_id, c.id)
}

/// `POST /codes/{id}`: renames, recolours, describes, and moves under another parent.
pub async fn update(App(app): App, Path(id): Path<i64>, page: Page, form: Submission) -> Response {
    let outcome = async {
        let f: CodeFields = form.read()?;
        let before = app.store.get::<Code>(id).await?;
        edit::update_code(
            &app.store,
            &app.user,
            Code {
                name_th: f.name_th.trim().to_string(),
                name_en: f.name_en.trim().to_string(),
                color: f.color.trim().to_lowercase(),
                description: text(&f.description),
                parent_id: parent_of(&f.parent)?,
                ..before.clone()
            },
        )
        .await?;
        Ok(form.back_or(codebook_of(&before)))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct MoveForm {
    dir: String,
}

/// `POST /codes/{id}/move`: one place up or down among its siblings.
pub async fn move_code(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: MoveForm = form.read()?;
        let dir = direction(&f.dir)?;
        let c = app.store.get::<Code>(id).await?;
        edit::move_code(&app.store, &app.user, id, dir).await?;
        Ok(form.back_or(codebook_of(&c)))
    }
    .await;
    form.finish(page, outcome)
}

pub fn direction(dir: &str) -> Result<Direction, rian_core::Error> {
    match dir {
        "up" => Ok(Direction::Up),
        "down" => Ok(Direction::Down),
        other => Err(rian_core::Error::Invalid {
            field: "dir",
            th: format!("ทิศทางไม่ถูกต้อง \"{other}\""),
            en: format!("invalid direction \"{other}\""),
        }),
    }
}

#[derive(Deserialize)]
struct MergeForm {
    into: String,
}

/// `POST /codes/{id}/merge`: every coding and sub-code moves to `into`; this code goes.
pub async fn merge(App(app): App, Path(id): Path<i64>, page: Page, form: Submission) -> Response {
    let outcome = async {
        let f: MergeForm = form.read()?;
        let into = crate::form::number("into", "รหัสที่จะรวมเข้า", "code to merge into", &f.into)?
            .ok_or(rian_core::Error::Invalid {
                field: "into",
                th: "เลือกรหัสที่จะรวมเข้าไป".into(),
                en: "choose the code to merge into".into(),
            })?;
        let c = app.store.get::<Code>(id).await?;
        edit::merge_codes(&app.store, &app.user, id, into).await?;
        Ok(form.back_or(format!("/studies/{}/codebook#code-{into}", c.study_id)))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Template)]
#[template(path = "confirm_delete.html")]
pub struct ConfirmDelete {
    pub page: Page,
    pub what: String,
    pub consequences: Vec<String>,
    pub action: String,
    pub back: String,
}

/// `GET /codes/{id}/delete`: asks first, saying what goes with the code.
pub async fn confirm_delete(
    App(app): App,
    Path(id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let c = app.store.get::<Code>(id).await?;
    let codes = app.store.codes(c.study_id).await?;
    let under: Vec<&Code> = codes
        .iter()
        .filter(|k| k.id != id && edit::is_within(&codes, k.id, id))
        .collect();
    let counts = app.store.coding_counts(c.study_id).await?;
    let codings: i64 = std::iter::once(id)
        .chain(under.iter().map(|k| k.id))
        .map(|k| counts.get(&k).copied().unwrap_or(0))
        .sum();
    let name = Record::Code(c.clone()).summary(page.lang);
    let consequences = vec![
        format!(
            "{} {codings} {}",
            page.tr("การลงรหัสที่จะถูกลบไปด้วย:", "Codings deleted with it:"),
            page.tr("รายการ", "")
        ),
        format!(
            "{} {}",
            page.tr("รหัสย่อยที่จะถูกลบไปด้วย:", "Sub-codes deleted with it:"),
            under.len()
        ),
    ];
    render(&ConfirmDelete {
        what: format!("{} “{name}”", page.tr("ลบรหัส", "Delete the code")),
        consequences,
        action: format!("/codes/{id}/delete"),
        back: codebook_of(&c),
        page: page.titled(name),
    })
}
