//! The data-return report of a site (`/sites/{id}/report`) and the study synthesis
//! (`/studies/{id}/report`), as a printable page or a PDF download, and as a standalone
//! HTML file for `rian report --format html`. Both formats read the same report data
//! from `rian_core::report`.

use crate::page::{JS, JS_PATH, Page, fingerprint};
use crate::{App, WebError};
use askama::Template;
use axum::extract::{Path, Query};
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

/// What surrounds a report page: its style, and on the served page the way back, the PDF
/// link and the print button's script.
struct Frame {
    inline_css: Option<String>,
    back: Option<String>,
    pdf: Option<String>,
    css_href: String,
    js_href: String,
}

impl Frame {
    /// For an HTML file opened away from the workbench (offline, or sent by e-mail): the
    /// stylesheet with the fonts inside it.
    fn standalone() -> Frame {
        use base64::Engine;
        let mut css = REPORT_CSS.to_string();
        for (name, bytes) in super::assets::FONTS {
            let data = format!(
                "url(data:font/woff2;base64,{})",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            );
            css = css.replace(&format!("url(/static/fonts/{name})"), &data);
        }
        Frame {
            inline_css: Some(css),
            back: None,
            pdf: None,
            css_href: String::new(),
            js_href: String::new(),
        }
    }

    /// For the page the workbench serves (under its CSP: no inline style).
    fn served(back: String, pdf: String) -> Frame {
        Frame {
            inline_css: None,
            back: Some(back),
            pdf: Some(pdf),
            css_href: format!("{REPORT_CSS_PATH}?v={}", fingerprint(REPORT_CSS)),
            js_href: format!("{JS_PATH}?v={}", fingerprint(JS)),
        }
    }
}

#[derive(Template)]
#[template(path = "report_site.html")]
struct SiteReportPage<'a> {
    r: &'a SiteReport,
    f: Frame,
}

#[derive(Template)]
#[template(path = "report_study.html")]
struct StudyReportPage<'a> {
    r: &'a StudyReport,
    f: Frame,
}

fn site_page(r: &SiteReport, f: Frame) -> rian_core::Result<String> {
    SiteReportPage { r, f }
        .render()
        .map_err(|e| rian_core::Error::Typeset(e.to_string()))
}

fn study_page(r: &StudyReport, f: Frame) -> rian_core::Result<String> {
    StudyReportPage { r, f }
        .render()
        .map_err(|e| rian_core::Error::Typeset(e.to_string()))
}

/// A site's report as one HTML file that carries its own style and fonts.
pub fn site_html(r: &SiteReport) -> rian_core::Result<String> {
    site_page(r, Frame::standalone())
}

/// The study synthesis as one HTML file that carries its own style and fonts.
pub fn study_html(r: &StudyReport) -> rian_core::Result<String> {
    study_page(r, Frame::standalone())
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
    App(app): App,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
    page: Page,
) -> Result<Response, WebError> {
    let report = site_report(&app.store, id, &q.options(page.lang)).await?;
    let served = Served {
        path: format!("/sites/{id}/report"),
        back: format!("/sites/{id}"),
        file: format!("rian-report-site-{id}.pdf"),
    };
    respond(report, &q, served, rian_report::site_pdf, site_page).await
}

pub async fn study(
    App(app): App,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
    page: Page,
) -> Result<Response, WebError> {
    let report = study_report(&app.store, id, &q.options(page.lang)).await?;
    let served = Served {
        path: format!("/studies/{id}/report"),
        back: format!("/studies/{id}/matrix"),
        file: format!("rian-report-study-{id}.pdf"),
    };
    respond(report, &q, served, rian_report::study_pdf, study_page).await
}

/// Where a report is served: its page, the page it came from, the PDF's file name.
struct Served {
    path: String,
    back: String,
    file: String,
}

/// The report as the PDF download or as the printable page, as the query asks.
async fn respond<R: Send + 'static>(
    report: R,
    q: &ReportQuery,
    at: Served,
    pdf: fn(&R) -> rian_core::Result<Vec<u8>>,
    html: fn(&R, Frame) -> rian_core::Result<String>,
) -> Result<Response, WebError> {
    if q.format == "pdf" {
        let bytes = typeset(move || pdf(&report)).await?;
        return Ok(pdf_response(bytes, &at.file));
    }
    let page =
        html(&report, Frame::served(at.back, q.pdf_link(&at.path))).map_err(WebError::Internal)?;
    Ok(private(Html(page)))
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
