//! The one error type at the HTTP edge. A missing record is a 404 page; anything else is
//! logged (without personal data: only the error) and shown as a generic page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub enum WebError {
    /// 404: the record or page does not exist.
    NotFound,
    /// 500: rian failed; the cause goes to the log, not to the visitor.
    Internal(rian_core::Error),
}

impl From<rian_core::Error> for WebError {
    fn from(e: rian_core::Error) -> Self {
        match e {
            rian_core::Error::NotFound { .. } => WebError::NotFound,
            other => WebError::Internal(other),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    th: &'static str,
    th_detail: &'static str,
    en: &'static str,
    en_detail: &'static str,
    th_back: &'static str,
    en_back: &'static str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        use rian_core::model::Lang;
        // The error page speaks both languages: it may come before a language is known.
        let (th, en) = (crate::i18n::labels(Lang::Th), crate::i18n::labels(Lang::En));
        let (status, page) = match self {
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                ErrorPage {
                    status: 404,
                    th: th.not_found,
                    th_detail: th.not_found_detail,
                    en: en.not_found,
                    en_detail: en.not_found_detail,
                    th_back: th.back_home,
                    en_back: en.back_home,
                },
            ),
            WebError::Internal(e) => {
                eprintln!("rian-web: internal error: {e}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorPage {
                        status: 500,
                        th: th.server_error,
                        th_detail: th.server_error_detail,
                        en: en.server_error,
                        en_detail: en.server_error_detail,
                        th_back: th.back_home,
                        en_back: en.back_home,
                    },
                )
            }
        };
        let body = page
            .render()
            .unwrap_or_else(|_| format!("{status} {en}", en = en.server_error));
        (status, Html(body)).into_response()
    }
}
