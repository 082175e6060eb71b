//! Every form of the workbench is saved the same way: the post must come from rian's own
//! pages; it is read into a typed form; the change is made; the browser is sent back to
//! where it came from. A refusal (a missing name, a number out of range…) answers 422 with
//! a page that says what is wrong, in Thai and English, and shows the form again with
//! everything the person typed, so nothing is lost.

use crate::page::{Page, same_origin};
use crate::views::render;
use crate::{AppState, WebError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use rian_core::Error;
use rian_core::model::IsoDate;
use serde::de::DeserializeOwned;

/// The largest form a workbench page posts (a memo, a pasted passage).
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// A posted form: its fields in order, and where it was posted to.
pub struct Submission {
    pub fields: Vec<(String, String)>,
    pub action: String,
    bytes: Bytes,
    from_rian: bool,
}

impl FromRequest<AppState> for Submission {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "แบบฟอร์มต้องส่งเป็น application/x-www-form-urlencoded จากหน้าของ rian / a form is sent as application/x-www-form-urlencoded from a rian page",
            )
                .into_response());
        }
        let from_rian = same_origin(req.headers());
        let action = req.uri().path().to_string();
        let bytes = axum::body::to_bytes(req.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|_| {
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "ข้อมูลในแบบฟอร์มยาวเกินไป / the form is too large",
                )
                    .into_response()
            })?;
        let _ = state;
        let fields = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        Ok(Submission {
            fields,
            action,
            bytes,
            from_rian,
        })
    }
}

impl Submission {
    /// The form as typed data; a field that cannot be read is a refusal naming it.
    pub fn read<F: DeserializeOwned>(&self) -> Result<F, Error> {
        if !self.from_rian {
            return Err(Error::Invalid {
                field: "origin",
                th: "คำขอนี้ไม่ได้มาจากหน้าของ rian จึงไม่ได้บันทึก".into(),
                en: "this request did not come from a rian page, so nothing was saved".into(),
            });
        }
        serde_urlencoded::from_bytes(&self.bytes).map_err(|e| Error::Invalid {
            field: "form",
            th: format!("อ่านแบบฟอร์มไม่ได้ ({e})"),
            en: format!("unreadable form ({e})"),
        })
    }

    /// A field as posted, or "".
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Where to return after saving: the form's `back` path if it is one of rian's own
    /// pages, else `fallback`.
    pub fn back_or(&self, fallback: String) -> String {
        local_path(self.get("back")).unwrap_or(fallback)
    }

    /// Answers the post: back to the page on success; the form again with the reason on a
    /// refusal; the error page if rian itself failed.
    pub fn finish(&self, page: Page, outcome: Result<String, Error>) -> Response {
        match outcome {
            Ok(to) => Redirect::to(&to).into_response(),
            Err(e) if !self.from_rian => (StatusCode::FORBIDDEN, e.to_string()).into_response(),
            Err(Error::NotFound { .. }) => WebError::NotFound.into_response(),
            Err(e) if e.is_refusal() => self.refused(page, &e),
            Err(e) => WebError::from(e).into_response(),
        }
    }

    fn refused(&self, page: Page, e: &Error) -> Response {
        let field = match e {
            Error::Invalid { field, .. } => *field,
            _ => "",
        };
        let (message, other) = split_message(&e.to_string(), page.lang);
        let back = local_path(self.get("back")).unwrap_or_else(|| "/".into());
        let retry = RetryPage {
            message,
            other,
            field: field.to_string(),
            action: self.action.clone(),
            fields: self
                .fields
                .iter()
                // The page carries the session's own CSRF token already.
                .filter(|(name, _)| name != "csrf")
                .map(|(name, value)| {
                    // After a conflict, saving again is a choice made knowing of the other
                    // change: the form now carries the version that change made.
                    let value = match e {
                        Error::Conflict { current } if name == "version" => current.clone(),
                        _ => value.clone(),
                    };
                    RetryField {
                        label: field_label(name, &page),
                        long: value.chars().count() > 60 || value.contains('\n'),
                        hidden: is_hidden(name),
                        name: name.clone(),
                        value,
                    }
                })
                .collect(),
            back,
            page: page.titled(""),
        };
        // Refused for who is asking, not for what they wrote: 403, still with their words.
        let status = match e {
            Error::Forbidden => StatusCode::FORBIDDEN,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let mut response = match render(&retry) {
            Ok(html) => (status, html).into_response(),
            Err(e) => e.into_response(),
        };
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        response
    }
}

/// A path on this server ("/sites/3#plan"), never another host ("//evil", "https://…").
pub(crate) fn local_path(s: &str) -> Option<String> {
    let ok = s.starts_with('/')
        && !s.starts_with("//")
        && !s.contains('\\')
        && !s.chars().any(char::is_control);
    ok.then(|| s.to_string())
}

/// Thai or English half of a "ไทย / English" message, then the other half.
fn split_message(message: &str, lang: rian_core::model::Lang) -> (String, String) {
    match message.split_once(" / ") {
        Some((th, en)) => match lang {
            rian_core::model::Lang::Th => (th.to_string(), en.to_string()),
            rian_core::model::Lang::En => (en.to_string(), th.to_string()),
        },
        None => (message.to_string(), String::new()),
    }
}

fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "back"
            | "forum"
            | "document"
            | "start"
            | "end"
            | "target"
            | "target_id"
            | "dir"
            | "version"
    ) || name.ends_with("_id")
}

/// What a form field is called on the retry page.
fn field_label(name: &str, page: &Page) -> String {
    let (th, en) = match name {
        "name" => ("ชื่อ", "Name"),
        "name_th" => ("ชื่อ (ไทย)", "Name (Thai)"),
        "name_en" => ("ชื่อ (อังกฤษ)", "Name (English)"),
        "color" => ("สี", "Colour"),
        "description" => ("คำอธิบาย", "Description"),
        "text" => ("ข้อความ", "Text"),
        "what" => ("สิ่งที่จะทำ", "What"),
        "who" => ("ผู้รับผิดชอบ", "Who"),
        "due" => ("กำหนดเสร็จ", "By when"),
        "status" => ("สถานะ", "Status"),
        "progress" => ("ความคืบหน้า (%)", "Progress (%)"),
        "kind" => ("ประเภท", "Kind"),
        "note" => ("หมายเหตุ", "Note"),
        "title" => ("ชื่อเวที", "Title"),
        "date" => ("วันที่", "Date"),
        "date_end" => ("ถึงวันที่", "End date"),
        "venue" => ("สถานที่", "Venue"),
        "participants" => ("จำนวนผู้เข้าร่วม", "Participants"),
        "quadrant" => ("ช่อง SWOT", "Quadrant"),
        "value" => ("ค่า", "Value"),
        "role" => ("บทบาท", "Role"),
        "parent" => ("อยู่ใต้รหัส", "Parent code"),
        "into" => ("รวมเข้ากับรหัส", "Merge into"),
        "code" => ("รหัส", "Code"),
        "community" => ("ชุมชน", "Community"),
        "site" => ("พื้นที่", "Site"),
        "actor" => ("ภาคี", "Actor"),
        other => (other, other),
    };
    page.tr(th, en).to_string()
}

pub struct RetryField {
    pub name: String,
    pub value: String,
    pub label: String,
    pub long: bool,
    pub hidden: bool,
}

#[derive(Template)]
#[template(path = "retry.html")]
pub struct RetryPage {
    pub page: Page,
    pub message: String,
    pub other: String,
    /// The field the message is about, marked on the form.
    pub field: String,
    pub action: String,
    pub fields: Vec<RetryField>,
    pub back: String,
}

// ---- reading fields ------------------------------------------------------------------

/// Optional text: blank is none.
pub fn text(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// A whole number from a form field; blank is none.
pub fn number(field: &'static str, th: &str, en: &str, value: &str) -> Result<Option<i64>, Error> {
    let v = value.trim().replace([',', ' '], "");
    if v.is_empty() {
        return Ok(None);
    }
    let digits: String = v
        .chars()
        .map(|c| rian_core::thai::digit_value(c).map_or(c, |d| char::from(b'0' + d as u8)))
        .collect();
    digits.parse().map(Some).map_err(|_| Error::Invalid {
        field,
        th: format!("{th}ต้องเป็นตัวเลข: \"{value}\""),
        en: format!("{en} must be a number: \"{value}\""),
    })
}

/// A date from a form field (`YYYY-MM-DD`, as date inputs send it; a Buddhist-Era year is
/// recognized and converted); blank is none.
pub fn date(field: &'static str, value: &str) -> Result<Option<IsoDate>, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    // A year past 2400 can only be a Buddhist-Era year typed by hand (2566-03-31).
    let parsed = IsoDate::parse(v).map(|d| match d.year() > 2400 {
        true => IsoDate::from_be(d.year(), d.month(), d.day()).unwrap_or(d),
        false => d,
    });
    parsed.map(Some).ok_or_else(|| Error::Invalid {
        field,
        th: format!("วันที่ไม่ถูกต้อง \"{v}\" (ใช้ ปปปป-ดด-วว)"),
        en: format!("invalid date \"{v}\" (use YYYY-MM-DD)"),
    })
}

/// A choice from a closed set (`ForumKind`, `Quadrant`…), refused with the field named.
pub fn choice<T: std::str::FromStr>(field: &'static str, value: &str) -> Result<T, Error> {
    value.parse().map_err(|_| Error::Invalid {
        field,
        th: format!("ตัวเลือกไม่ถูกต้อง \"{value}\""),
        en: format!("invalid choice \"{value}\""),
    })
}

/// A form with nothing to read but where to go back to.
#[derive(serde::Deserialize)]
pub struct Empty {}
