//! The one error type at the HTTP edge. A missing record is a 404 page; anything else is
//! logged (without personal data: only the error) and shown as a generic page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub enum WebError {
    /// 404: the record or page does not exist.
    NotFound,
    /// 403: the signed-in account may not do this.
    Forbidden,
    /// 401: a form sent after the session ended.
    SignedOut,
    /// 403: a form without this session's CSRF token (an old page, another site's).
    StaleForm,
    /// 500: rian failed; the cause goes to the log, not to the visitor.
    Internal(rian_core::Error),
}

impl From<rian_core::Error> for WebError {
    fn from(e: rian_core::Error) -> Self {
        match e {
            rian_core::Error::NotFound { .. } => WebError::NotFound,
            rian_core::Error::Forbidden => WebError::Forbidden,
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
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                ErrorPage {
                    status: 403,
                    th: "ไม่มีสิทธิ์",
                    th_detail: "บัญชีของคุณไม่มีสิทธิ์เปิดหรือแก้ไขส่วนนี้ ติดต่อผู้ดูแลระบบหากต้องการสิทธิ์เพิ่ม",
                    en: "Not allowed",
                    en_detail: "your account may not open or change this; ask an administrator for access",
                    th_back: th.back_home,
                    en_back: en.back_home,
                },
            ),
            WebError::SignedOut => (
                StatusCode::UNAUTHORIZED,
                ErrorPage {
                    status: 401,
                    th: "หมดเวลาเข้าสู่ระบบ",
                    th_detail: "ยังไม่ได้บันทึก เข้าสู่ระบบอีกครั้งในแท็บใหม่ (/login) แล้วกลับมาส่งแบบฟอร์มนี้อีกครั้ง ข้อความที่กรอกยังอยู่ในหน้านี้",
                    en: "Signed out",
                    en_detail: "nothing was saved; sign in again in a new tab (/login), then send this form again: what you typed is still on this page",
                    th_back: th.back_home,
                    en_back: en.back_home,
                },
            ),
            WebError::StaleForm => (
                StatusCode::FORBIDDEN,
                ErrorPage {
                    status: 403,
                    th: "แบบฟอร์มหมดอายุ",
                    th_detail: "แบบฟอร์มนี้มาจากหน้าเก่าหรือจากเว็บไซต์อื่น จึงยังไม่ได้บันทึก กลับไปที่หน้าเดิม โหลดหน้าใหม่ แล้วส่งอีกครั้ง",
                    en: "Form expired",
                    en_detail: "this form came from an old page or another site, so nothing was saved; go back, reload the page and send it again",
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
