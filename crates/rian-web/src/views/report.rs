//! The data-return report of a site (`/sites/{id}/report`) and the study synthesis
//! (`/studies/{id}/report`), as a printable page or a PDF download, and as a standalone
//! HTML file for `rian report --format html`. Both formats read the same report data
//! from `rian_core::report`.

use crate::page::{JS, JS_PATH, Page, fingerprint};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use rian_core::model::Lang;
use rian_core::report::{ReportOptions, SiteReport, StudyReport, site_report, study_report};
use serde::Deserialize;

pub const REPORT_CSS_PATH: &str = "/static/report.css";
pub const REPORT_CSS: &str = concat!(
    include_str!("../../static/fonts.css"),
    include_str!("../../static/report.css")
);

#[derive(Template)]
#[template(path = "report_site.html")]
struct SiteReportPage<'a> {
    r: &'a SiteReport,
    inline_css: Option<String>,
    back: Option<String>,
    pdf: Option<String>,
    css_href: String,
    js_href: String,
}

#[derive(Template)]
#[template(path = "report_study.html")]
struct StudyReportPage<'a> {
    r: &'a StudyReport,
    inline_css: Option<String>,
    back: Option<String>,
    pdf: Option<String>,
    css_href: String,
    js_href: String,
}

/// The report's stylesheet with the fonts inside it, for an HTML file that is opened
/// away from the workbench (offline, or sent by e-mail).
fn standalone_css() -> String {
    use base64::Engine;
    let mut css = REPORT_CSS.to_string();
    for (name, bytes) in super::assets::FONTS {
        let data = format!(
            "url(data:font/woff2;base64,{})",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        );
        css = css.replace(&format!("url(/static/fonts/{name})"), &data);
    }
    css
}

/// A site's report as one HTML file that carries its own style and fonts.
pub fn site_html(r: &SiteReport) -> rian_core::Result<String> {
    SiteReportPage {
        r,
        inline_css: Some(standalone_css()),
        back: None,
        pdf: None,
        css_href: String::new(),
        js_href: String::new(),
    }
    .render()
    .map_err(|e| rian_core::Error::Typeset(e.to_string()))
}

/// The study synthesis as one HTML file that carries its own style and fonts.
pub fn study_html(r: &StudyReport) -> rian_core::Result<String> {
    StudyReportPage {
        r,
        inline_css: Some(standalone_css()),
        back: None,
        pdf: None,
        css_href: String::new(),
        js_href: String::new(),
    }
    .render()
    .map_err(|e| rian_core::Error::Typeset(e.to_string()))
}

/// What the report form on a site page asks.
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    /// "pdf" for the download; the printable page otherwise.
    #[serde(default)]
    format: String,
    /// "1" to include participants' names and phone numbers.
    #[serde(default)]
    personal: String,
    /// "thai" for Thai digits.
    #[serde(default)]
    digits: String,
}

impl ReportQuery {
    fn options(&self, lang: Lang) -> ReportOptions {
        ReportOptions {
            lang,
            personal: self.personal == "1",
            thai_digits: self.digits == "thai",
            date: None,
        }
    }

    /// The same report as PDF.
    fn pdf_link(&self, path: &str) -> String {
        let mut q = vec!["format=pdf".to_string()];
        if self.personal == "1" {
            q.push("personal=1".into());
        }
        if self.digits == "thai" {
            q.push("digits=thai".into());
        }
        format!("{path}?{}", q.join("&"))
    }
}

fn pdf_response(pdf: Vec<u8>, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            // Personal data may be inside: no shared cache keeps it.
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        pdf,
    )
        .into_response()
}

/// Typesetting takes a fraction of a second of one core: off the request threads.
async fn typeset<T: Send + 'static>(
    f: impl FnOnce() -> rian_core::Result<T> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::Internal(rian_core::Error::Typeset(e.to_string())))?
        .map_err(WebError::Internal)
}

pub async fn site(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
    page: Page,
) -> Result<Response, WebError> {
    let report = site_report(&app.store, id, &q.options(page.lang)).await?;
    if q.format == "pdf" {
        let pdf = typeset(move || rian_report::site_pdf(&report)).await?;
        return Ok(pdf_response(pdf, &format!("rian-report-site-{id}.pdf")));
    }
    let path = format!("/sites/{id}/report");
    let html = SiteReportPage {
        r: &report,
        inline_css: None,
        back: Some(format!("/sites/{id}")),
        pdf: Some(q.pdf_link(&path)),
        css_href: hrefs().0,
        js_href: hrefs().1,
    }
    .render()
    .map_err(|e| WebError::Internal(rian_core::Error::Typeset(e.to_string())))?;
    Ok(private(Html(html)))
}

pub async fn study(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
    page: Page,
) -> Result<Response, WebError> {
    let report = study_report(&app.store, id, &q.options(page.lang)).await?;
    if q.format == "pdf" {
        let pdf = typeset(move || rian_report::study_pdf(&report)).await?;
        return Ok(pdf_response(pdf, &format!("rian-report-study-{id}.pdf")));
    }
    let path = format!("/studies/{id}/report");
    let html = StudyReportPage {
        r: &report,
        inline_css: None,
        back: Some(format!("/studies/{id}/matrix")),
        pdf: Some(q.pdf_link(&path)),
        css_href: hrefs().0,
        js_href: hrefs().1,
    }
    .render()
    .map_err(|e| WebError::Internal(rian_core::Error::Typeset(e.to_string())))?;
    Ok(private(Html(html)))
}

fn private(html: Html<String>) -> Response {
    ([(header::CACHE_CONTROL, "private, no-store")], html).into_response()
}

pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        REPORT_CSS,
    )
}

/// Where the served page finds its style and its print button's script.
fn hrefs() -> (String, String) {
    (
        format!("{REPORT_CSS_PATH}?v={}", fingerprint(REPORT_CSS)),
        format!("{JS_PATH}?v={}", fingerprint(JS)),
    )
}
