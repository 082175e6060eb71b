//! `/studies/{id}/agreement`: how far two coders agree on the documents both coded, per
//! code and over all (percent agreement, Cohen's kappa, Krippendorff's alpha), and the
//! clauses where they differ, each a link to the passage, for the two to reconcile.

use super::render;
use super::synthesis::{Tab, tabs};
use crate::form::Submission;
use crate::page::Page;
use crate::{App, AppState, WebError};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, Response};
use rian_core::analyze::agreement::{Agreement, agreement};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct Pair {
    #[serde(default)]
    pub a: String,
    #[serde(default)]
    pub b: String,
}

pub struct CodeRow {
    pub label: String,
    pub color: String,
    pub both: u64,
    pub only_a: u64,
    pub only_b: u64,
    pub neither: u64,
    pub percent: String,
    pub kappa: String,
    pub alpha: String,
}

pub struct DifferenceRow {
    pub href: String,
    pub text: String,
    pub only_a: String,
    pub only_b: String,
}

#[derive(Template)]
#[template(path = "agreement.html")]
pub struct AgreementPage {
    pub page: Page,
    pub study_id: i64,
    pub study_name: String,
    pub tabs: Vec<Tab>,
    /// Coders and their accepted codings, for the choice.
    pub coders: Vec<(String, i64)>,
    pub a: String,
    pub b: String,
    pub compared: bool,
    pub documents: usize,
    pub units: usize,
    pub rows: Vec<CodeRow>,
    pub overall: CodeRow,
    pub differences: Vec<DifferenceRow>,
    /// Coded blind: each coder sees only their own codings.
    pub blind: bool,
}

fn figure(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:.digits$}"))
}

/// The agreement of two coders in a study; None when a name is missing or the same twice.
pub async fn compare(
    app: &AppState,
    study_id: i64,
    a: &str,
    b: &str,
) -> rian_core::Result<Option<Agreement>> {
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() || b.is_empty() || a == b {
        return Ok(None);
    }
    let codes = app.store.codes(study_id).await?;
    let (documents, codings) = app.store.codings_by(study_id, [a, b]).await?;
    Ok(Some(agreement(a, b, &documents, &codings, &codes)))
}

pub async fn show(
    App(app): App,
    Path(study_id): Path<i64>,
    Query(pair): Query<Pair>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let study = app.store.study(study_id).await?;
    let coders = app.store.coders(study_id).await?;
    let codes = app.store.codes(study_id).await?;
    let label = |id: i64| {
        codes
            .iter()
            .find(|c| c.id == id)
            .map_or_else(String::new, |c| {
                format!(
                    "{} {}",
                    c.key,
                    page.tr(
                        &c.name_th,
                        if c.name_en.is_empty() {
                            &c.name_th
                        } else {
                            &c.name_en
                        }
                    )
                )
            })
    };
    let row = |label: String, color: String, t: &rian_core::analyze::agreement::Table| CodeRow {
        label,
        color,
        both: t.both,
        only_a: t.only_a,
        only_b: t.only_b,
        neither: t.neither,
        percent: figure(t.percent(), 1),
        kappa: figure(t.kappa(), 3),
        alpha: figure(t.alpha(), 3),
    };
    let found = compare(&app, study_id, &pair.a, &pair.b).await?;
    let (mut rows, mut differences) = (Vec::new(), Vec::new());
    let mut overall = row(String::new(), String::new(), &Default::default());
    let (mut documents, mut units) = (0, 0);
    if let Some(g) = &found {
        documents = g.documents.len();
        units = g.units.len();
        for c in &g.codes {
            let color = codes
                .iter()
                .find(|k| k.id == c.code_id)
                .map(|k| k.color.clone())
                .unwrap_or_default();
            rows.push(row(label(c.code_id), color, &c.table));
        }
        overall = row(
            page.tr("ทุกรหัส", "All codes").to_string(),
            String::new(),
            &g.overall,
        );
        let names = |ids: &[i64]| {
            ids.iter()
                .map(|&id| label(id))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for d in &g.differences {
            differences.push(DifferenceRow {
                href: format!(
                    "/documents/{}?span={}-{}#focus",
                    d.document_id, d.span.start, d.span.end
                ),
                text: d.text.clone(),
                only_a: names(&d.only_a),
                only_b: names(&d.only_b),
            });
        }
    }
    let title = format!(
        "{} · {}",
        page.tr("ความสอดคล้องของผู้ลงรหัส", "Coder agreement"),
        study.name_th
    );
    render(&AgreementPage {
        tabs: tabs(study_id, "agreement", page.lang),
        study_id,
        study_name: study.name_th,
        coders,
        a: pair.a.trim().to_string(),
        b: pair.b.trim().to_string(),
        compared: found.is_some(),
        documents,
        units,
        rows,
        overall,
        differences,
        blind: app.store.is_blind(study_id).await?,
        page: page.titled(title),
    })
}

#[derive(Deserialize)]
pub struct BlindForm {
    #[serde(default)]
    blind: String,
}

/// Starts or ends blind coding of a study.
pub async fn set_blind(
    App(app): App,
    Path(study_id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: BlindForm = form.read()?;
        app.store.set_blind(study_id, f.blind == "on").await?;
        Ok(form.back_or(format!("/studies/{study_id}/agreement")))
    }
    .await;
    form.finish(page, outcome)
}
