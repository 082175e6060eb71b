//! What every page shares: its language, its labels, its place for the language switch.

use crate::i18n::{Labels, labels};
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use rian_core::model::{Lang, Role};
use std::convert::Infallible;
use std::sync::LazyLock;

pub const CSS_PATH: &str = "/static/rian.css";
pub const CSS: &str = concat!(
    include_str!("../static/fonts.css"),
    include_str!("../static/rian.css")
);
pub const JS_PATH: &str = "/static/rian.js";
pub const JS: &str = include_str!("../static/rian.js");
const LANG_COOKIE: &str = "rian_lang";

/// The frame of a page: language, labels, title and the path it was asked for.
pub struct Page {
    pub lang: Lang,
    pub t: &'static Labels,
    pub title: String,
    pub path: String,
    /// The session's token against cross-site forms: every form that posts carries it
    /// (empty on a laptop without accounts, where the Origin check alone holds).
    pub csrf: String,
    /// Who is signed in, and as what (a shared deployment only).
    pub who: Option<(String, Role)>,
}

impl Page {
    pub fn titled(self, title: impl Into<String>) -> Page {
        Page {
            title: title.into(),
            ..self
        }
    }

    /// The Thai or the English text, in the page's language.
    pub fn tr<'a>(&self, th: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Th => th,
            Lang::En => en,
        }
    }

    /// A class for the page body that hides the forms this person may not send.
    pub fn write_mode(&self) -> Option<&'static str> {
        match self.who.as_ref()?.1 {
            Role::Viewer => Some("read-only"),
            Role::Reviewer => Some("reviewer"),
            Role::Admin | Role::Facilitator => None,
        }
    }

    /// The signed-in person's role, in the page's language.
    pub fn role_label(&self) -> &'static str {
        self.who
            .as_ref()
            .map_or("", |(_, role)| role.label(self.lang))
    }

    /// The stylesheet's URL, with a content hash so that a new build is never served a
    /// stale copy from the browser's cache.
    pub fn css_url(&self) -> &'static str {
        // Hashed once: every page names both assets, and hashing them per page was a
        // few percent of a busy server's time.
        static URL: LazyLock<String> =
            LazyLock::new(|| format!("{CSS_PATH}?v={}", fingerprint(CSS)));
        &URL
    }

    /// The script's URL, with a content hash like the stylesheet's.
    pub fn js_url(&self) -> &'static str {
        static URL: LazyLock<String> = LazyLock::new(|| format!("{JS_PATH}?v={}", fingerprint(JS)));
        &URL
    }
}

/// A short, stable fingerprint of an asset (FNV-1a; not a security measure).
pub(crate) fn fingerprint(asset: &str) -> String {
    let hash = asset.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{:08x}", hash as u32)
}

/// The language a request asks for: `?lang=` first, then the cookie, then Thai.
pub fn requested_lang(parts: &Parts) -> Lang {
    if let Some(tag) = query_lang(parts.uri.query()) {
        return Lang::from_tag(tag);
    }
    cookie(&parts.headers, LANG_COOKIE)
        .map(Lang::from_tag)
        .unwrap_or_default()
}

/// The value of the cookie `name`, if the request carries a non-empty one.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
        .filter(|v| !v.is_empty())
}

fn query_lang(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|kv| kv.strip_prefix("lang="))
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = requested_lang(parts);
        let signed = parts.extensions.get::<crate::auth::Signed>();
        Ok(Page {
            lang,
            t: labels(lang),
            title: String::new(),
            path: parts.uri.path().to_string(),
            csrf: signed.map(|s| s.session.csrf.clone()).unwrap_or_default(),
            who: signed.map(|s| (s.session.account.name.clone(), s.session.account.role)),
        })
    }
}

/// Keeps a language chosen with `?lang=` for the pages that follow.
pub async fn remember_lang(request: Request, next: Next) -> Response {
    let chosen = query_lang(request.uri().query()).map(Lang::from_tag);
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.as_str()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// A form post must come from this server's own pages: its Origin (or Referer) names the
/// host it was sent to. Browsers always send one of them on a cross-site post.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match from {
        Some(url) => {
            let rest = url
                .strip_prefix("http://")
                .or_else(|| url.strip_prefix("https://"))
                .unwrap_or("");
            rest.split('/').next() == Some(host)
        }
        None => false,
    }
}
