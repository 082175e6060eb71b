//! Signing in to a shared deployment, and the guard in front of every route.
//!
//! ```text
//! request ─► public? ─► session (cookie or Bearer token) ─► CSRF token (cookie only)
//!                                 └► 303 /login, 401 JSON     └► where it lives (Place)
//!                                                                ─► may this role? ─► handler
//! ```
//!
//! The handler's changes go through `rian_core::edit::Changes`, which asks the same rule
//! again for each record it writes: the guard decides on the route, `Changes` on the
//! record (an API create, a memo), so neither alone holds the line.
//!
//! A laptop without accounts has no guard: [`AppState::accounts`] is `None` there.

use crate::page::{Page, cookie, same_origin};
use crate::views::render;
use crate::{AppState, WebError};
use askama::Template;
use axum::Json;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use rian_core::access::Target;
use rian_core::model::{Entity, Role};
use rian_core::store::Session;
use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The cookie that carries a browser's session token.
pub const SESSION_COOKIE: &str = "rian_session";
/// Failed sign-ins allowed per account name, and per client address, in [`LOGIN_WINDOW`].
const FAILURES_PER_NAME: usize = 5;
const FAILURES_PER_ADDRESS: usize = 20;
const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// The largest form body the guard reads to find its CSRF token (as form.rs takes).
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// How a shared deployment signs people in.
#[derive(Debug, Clone)]
pub struct SignInOptions {
    /// How long a sign-in lasts.
    pub session_lifetime: Duration,
    /// Served over plain HTTP on a network (no TLS in front): cookies without `Secure`.
    /// On loopback they never have it; behind TLS they always do.
    pub plain_http: bool,
}

impl Default for SignInOptions {
    fn default() -> Self {
        SignInOptions {
            session_lifetime: rian_core::access::SESSION_LIFETIME,
            plain_http: false,
        }
    }
}

/// The accounts side of the workbench's state.
pub struct Accounts {
    pub options: SignInOptions,
    limiter: LoginLimiter,
    sessions: SessionCache,
}

impl Accounts {
    pub fn new(options: SignInOptions) -> Accounts {
        Accounts {
            options,
            limiter: LoginLimiter::default(),
            sessions: SessionCache::default(),
        }
    }
}

/// How long a session read from the store is trusted before it is read again. A sign-out
/// here takes effect at once; a password reset or a disabled account (`rian user`, another
/// process) within this time.
const SESSION_CACHE_TTL: Duration = Duration::from_secs(10);
/// Sessions remembered at most; past this the cache starts again.
const SESSION_CACHE_MAX: usize = 10_000;

/// Sessions recently read from the store, by token: every request of a signed-in person
/// would otherwise cost two queries more (measured under load: see BENCHMARKS.md).
#[derive(Default)]
struct SessionCache {
    entries: Mutex<HashMap<String, (Instant, Arc<Session>)>>,
}

impl SessionCache {
    fn get(&self, token: &str) -> Option<Arc<Session>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (read, session) = entries.get(token)?;
        (read.elapsed() < SESSION_CACHE_TTL && !session.expired()).then(|| session.clone())
    }

    fn put(&self, token: &str, session: Arc<Session>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= SESSION_CACHE_MAX {
            entries.clear();
        }
        entries.insert(token.to_string(), (Instant::now(), session));
    }

    fn forget(&self, token: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(token);
    }
}

/// The signed-in session of a request, put there by [`guard`].
#[derive(Clone)]
pub struct Signed {
    pub session: Arc<Session>,
}

/// Recent failed sign-ins, by account name and by client address; in memory, as one
/// server process sees them.
#[derive(Default)]
struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    /// How long until `keys` may try again, if any has used up its failures.
    fn wait(&self, keys: &[(String, usize)]) -> Option<Duration> {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        keys.iter()
            .filter_map(|(key, limit)| {
                let times = failures.get_mut(key)?;
                while times.front().is_some_and(|t| now - *t > LOGIN_WINDOW) {
                    times.pop_front();
                }
                let oldest = *times.front()?;
                (times.len() >= *limit).then(|| LOGIN_WINDOW.saturating_sub(now - oldest))
            })
            .max()
    }

    fn failed(&self, keys: &[(String, usize)]) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in keys {
            failures
                .entry(key.clone())
                .or_default()
                .push_back(Instant::now());
        }
    }

    fn succeeded(&self, name_key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(name_key);
    }
}

fn limiter_keys(name: &str, headers_addr: Option<SocketAddr>) -> Vec<(String, usize)> {
    let mut keys = vec![(
        format!("name:{}", name.trim().to_lowercase()),
        FAILURES_PER_NAME,
    )];
    if let Some(addr) = headers_addr {
        keys.push((format!("addr:{}", addr.ip()), FAILURES_PER_ADDRESS));
    }
    keys
}

/// Paths anyone may ask for: the sign-in page, the assets it needs, the API's description
/// and its sign-in.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path.starts_with("/static/")
        || path == "/api/v1/openapi.json"
        || path == "/api/v1/session"
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The token a request is signed in with, and whether it came in a cookie (then its
/// writes need the CSRF token too; a program's Bearer token cannot be sent by another
/// site's page).
fn token_of(headers: &HeaderMap) -> Option<(&str, bool)> {
    bearer(headers)
        .map(|t| (t, false))
        .or_else(|| cookie(headers, SESSION_COOKIE).map(|t| (t, true)))
}

/// The guard in front of every route of a shared deployment.
pub async fn guard(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let Some(accounts) = app.accounts.clone() else {
        return next.run(req).await;
    };
    if is_public(req.uri().path()) {
        return next.run(req).await;
    }
    let api = req.uri().path().starts_with("/api/");
    let session = match token_of(req.headers()) {
        Some((token, by_cookie)) => match accounts.sessions.get(token) {
            Some(session) => Some((session, by_cookie)),
            None => match app.store.session(token).await {
                Ok(Some(session)) => {
                    let session = Arc::new(session);
                    accounts.sessions.put(token, session.clone());
                    Some((session, by_cookie))
                }
                Ok(None) => None,
                Err(e) => return WebError::from(e).into_response(),
            },
        },
        None => None,
    };
    let Some((session, by_cookie)) = session else {
        return sign_in_first(api, &req);
    };
    let write = !matches!(*req.method(), Method::GET | Method::HEAD);
    let mut req = req;
    if write && by_cookie {
        req = match csrf_checked(req, &session.csrf, api).await {
            Ok(req) => req,
            Err(refusal) => return refusal,
        };
    }
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str());
    match authorize(&app, &session.account, write, route, req.uri().path()).await {
        Ok(Verdict::Allow) => {}
        Ok(Verdict::Home(to)) => return Redirect::to(&to).into_response(),
        Ok(Verdict::Deny) => return forbidden(api),
        Err(e) => return WebError::from(e).into_response(),
    }
    req.extensions_mut().insert(Signed { session });
    next.run(req).await
}

fn sign_in_first(api: bool, req: &Request) -> Response {
    if api {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"code": "unauthorized",
                "th": "ต้องเข้าสู่ระบบก่อน (POST /api/v1/session แล้วส่ง Authorization: Bearer …)",
                "en": "sign in first (POST /api/v1/session, then send Authorization: Bearer …)"}})),
        )
            .into_response();
    }
    let here = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        // A redirect would drop what the form carried; the page's script keeps it on
        // screen beside this answer instead.
        return WebError::SignedOut.into_response();
    }
    let next = here;
    let to = format!(
        "/login?next={}",
        serde_urlencoded::to_string([("", &next)])
            .unwrap_or_default()
            .trim_start_matches('=')
    );
    Redirect::to(&to).into_response()
}

fn forbidden(api: bool) -> Response {
    if api {
        (
            StatusCode::FORBIDDEN,
            Json(json!({"error": {"code": "forbidden",
                "th": "บัญชีของคุณไม่มีสิทธิ์ทำรายการนี้",
                "en": "your account is not allowed to do this"}})),
        )
            .into_response()
    } else {
        WebError::Forbidden.into_response()
    }
}

/// A write signed in by cookie carries the session's CSRF token: in the `X-CSRF-Token`
/// header (scripts, the API), the `csrf` query parameter (file uploads, whose body the
/// guard does not read) or the `csrf` field of a form.
async fn csrf_checked(req: Request, expected: &str, api: bool) -> Result<Request, Response> {
    use rian_core::access::same_secret;
    let refused = || {
        if api {
            (
                StatusCode::FORBIDDEN,
                Json(json!({"error": {"code": "csrf",
                    "th": "ไม่มีโทเค็น CSRF ที่ถูกต้อง (ส่งใน X-CSRF-Token)",
                    "en": "missing or wrong CSRF token (send it in X-CSRF-Token)"}})),
            )
                .into_response()
        } else {
            WebError::StaleForm.into_response()
        }
    };
    let given = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            req.uri().query().and_then(|q| {
                serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                    .ok()?
                    .into_iter()
                    .find_map(|(k, v)| (k == "csrf").then_some(v))
            })
        });
    if let Some(given) = given {
        return if same_secret(&given, expected) {
            Ok(req)
        } else {
            Err(refused())
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(refused());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                "ข้อมูลในแบบฟอร์มยาวเกินไป / the form is too large",
            )
                .into_response()
        })?;
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .unwrap_or_default()
        .into_iter()
        .find_map(|(k, v)| (k == "csrf").then_some(v));
    match token {
        Some(t) if same_secret(&t, expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(refused()),
    }
}

enum Verdict {
    Allow,
    Deny,
    /// A community reviewer's home is their site's page.
    Home(String),
}

/// Routes a community reviewer may write to: their site's corrections.
const REVIEWER_WRITES: [&str; 3] = [
    "/sites/{id}/corrections",
    "/corrections/{id}",
    "/corrections",
];

/// Searches a community reviewer may run, held to their own site.
const REVIEWER_SEARCHES: [&str; 4] = [
    "/search",
    "/search/concordance",
    "/search/concordance.csv",
    "/api/search",
];

/// May `account` make this request? `route` is the route's pattern (`/forums/{id}`),
/// `path` the path asked for.
async fn authorize(
    app: &AppState,
    account: &rian_core::model::Account,
    write: bool,
    route: Option<&str>,
    path: &str,
) -> rian_core::Result<Verdict> {
    if account.role == Role::Admin || route == Some("/logout") {
        return Ok(Verdict::Allow);
    }
    let Some(route) = route else {
        // No route matched: the handler answers 404 to anyone signed in.
        return Ok(Verdict::Allow);
    };
    let place = match target_of(route, path) {
        Ok(Some(target)) => match app.store.place_of(target).await {
            Ok(place) => Some(place),
            // A record that does not exist: the handler answers 404.
            Err(rian_core::Error::NotFound { .. }) => return Ok(Verdict::Allow),
            Err(e) => return Err(e),
        },
        Ok(None) => None,
        Err(()) => return Ok(Verdict::Deny),
    };
    let allowed = match account.role {
        Role::Admin => true,
        Role::Viewer => !write,
        Role::Facilitator => match (write, place) {
            (false, _) => true,
            (true, Some(place)) => account.studies.contains(&place.study),
            // Where the change lands is in its body: `Changes` checks each record.
            (true, None) => true,
        },
        Role::Reviewer => {
            if route == "/" && !write {
                return Ok(match account.site_id {
                    Some(site) => Verdict::Home(format!("/sites/{site}")),
                    None => Verdict::Deny,
                });
            }
            if !write && REVIEWER_SEARCHES.contains(&route) {
                // Search is held to their site by the search itself (views::search).
                return Ok(Verdict::Allow);
            }
            let api_route = route.strip_prefix("/api/v1").unwrap_or(route);
            if write && !REVIEWER_WRITES.contains(&api_route) {
                false
            } else {
                match place {
                    Some(place) => account.may_read(place),
                    None => write,
                }
            }
        }
    };
    Ok(if allowed {
        Verdict::Allow
    } else {
        Verdict::Deny
    })
}

/// What a route is about: the kind named before its first `{…}` and the id in that place
/// of the path. `Ok(None)`: the route names no record (`/`, `/search`, `POST /memos`);
/// `Err`: it names one this guard does not know, refused rather than guessed.
fn target_of(route: &str, path: &str) -> Result<Option<Target>, ()> {
    let route = route.strip_prefix("/api/v1").unwrap_or(route);
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let pattern: Vec<&str> = route.split('/').collect();
    let Some(at) = pattern.iter().position(|s| s.starts_with('{')) else {
        return Ok(None);
    };
    let id: i64 = path
        .split('/')
        .nth(at)
        .and_then(|s| s.parse().ok())
        .ok_or(())?;
    let record = |entity| Ok(Some(Target::Record(entity, id)));
    match pattern.get(at.wrapping_sub(1)).copied().unwrap_or("") {
        "studies" => Ok(Some(Target::Study(id))),
        "sites" => Ok(Some(Target::Site(id))),
        "forums" => record(Entity::Forum),
        "documents" => record(Entity::DocumentText),
        "codings" => record(Entity::Coding),
        "codes" => record(Entity::Code),
        "communities" => record(Entity::Community),
        "swot-items" => record(Entity::SwotItem),
        "actors" => record(Entity::Actor),
        "ties" => record(Entity::Tie),
        "plan-items" => record(Entity::PlanItem),
        "parties" | "forum-parties" => record(Entity::ForumParty),
        "facts" => record(Entity::Fact),
        "memos" => record(Entity::Memo),
        "corrections" => record(Entity::Correction),
        "cell-summaries" => record(Entity::CellSummary),
        _ => Err(()),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    name: String,
    next: String,
    message: String,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

/// The sign-in page.
pub async fn login_page(
    page: Page,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Result<Response, WebError> {
    Ok(login_form(
        page,
        String::new(),
        q.next,
        String::new(),
        StatusCode::OK,
    ))
}

fn login_form(
    page: Page,
    name: String,
    next: String,
    message: String,
    status: StatusCode,
) -> Response {
    let title = page.tr("เข้าสู่ระบบ", "Sign in").to_string();
    let form = LoginPage {
        page: page.titled(title),
        name,
        next: crate::form::local_path(&next).unwrap_or_else(|| "/".into()),
        message,
    };
    match render(&form) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// What one sign-in attempt came to, for the page and the API to answer in their ways.
enum Attempt {
    /// Too many failures lately: try again after this long.
    Wait(Duration),
    SignedIn(String, Session),
    Refused,
    Failed(rian_core::Error),
}

/// A sign-in attempt, counted against the name and the client's address.
async fn attempt(
    app: &AppState,
    accounts: &Accounts,
    name: &str,
    password: &str,
    address: Option<SocketAddr>,
) -> Attempt {
    let keys = limiter_keys(name, address);
    if let Some(wait) = accounts.limiter.wait(&keys) {
        return Attempt::Wait(wait);
    }
    match app
        .store
        .sign_in(name, password, accounts.options.session_lifetime)
        .await
    {
        Ok((token, session)) => {
            accounts.limiter.succeeded(&keys[0].0);
            Attempt::SignedIn(token, session)
        }
        Err(rian_core::Error::BadLogin) => {
            accounts.limiter.failed(&keys);
            Attempt::Refused
        }
        Err(e) => Attempt::Failed(e),
    }
}

/// `Retry-After` on an answer, in whole seconds.
fn retry_after(mut response: Response, wait: Duration) -> Response {
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(wait.as_secs().max(1)),
    );
    response
}

/// Checks a sign-in: rate-limited per name and per address; a session cookie on success.
pub async fn login(
    State(app): State<AppState>,
    page: Page,
    connect: Option<axum::Extension<axum::extract::ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    let Some(accounts) = app.accounts.clone() else {
        return Redirect::to("/").into_response();
    };
    if !same_origin(&headers) {
        return WebError::StaleForm.into_response();
    }
    let address = connect.map(|c| c.0.0);
    match attempt(&app, &accounts, &form.name, &form.password, address).await {
        Attempt::Wait(wait) => {
            let minutes = wait.as_secs().div_ceil(60).max(1);
            let message = format!(
                "ลองผิดหลายครั้งเกินไป รออีก {minutes} นาทีแล้วลองใหม่ / too many failed attempts: try again in {minutes} min"
            );
            let form = login_form(
                page,
                form.name,
                form.next,
                message,
                StatusCode::TOO_MANY_REQUESTS,
            );
            retry_after(form, wait)
        }
        Attempt::SignedIn(token, _) => {
            let to = crate::form::local_path(&form.next)
                .filter(|p| !p.starts_with("/login"))
                .unwrap_or_else(|| "/".into());
            let mut response = Redirect::to(&to).into_response();
            let cookie = session_cookie(&token, &accounts.options, &headers);
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Attempt::Refused => {
            let message = rian_core::Error::BadLogin.to_string();
            login_form(
                page,
                form.name,
                form.next,
                message,
                StatusCode::UNAUTHORIZED,
            )
        }
        Attempt::Failed(e) => WebError::from(e).into_response(),
    }
}

/// The session cookie: never read by scripts, never sent by another site's page, and
/// `Secure` unless served on loopback or declared plain HTTP.
fn session_cookie(token: &str, options: &SignInOptions, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let loopback =
        host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]");
    let secure = if loopback || options.plain_http {
        ""
    } else {
        "; Secure"
    };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        options.session_lifetime.as_secs()
    )
}

/// Signs out: the session ends on the server, the cookie is cleared.
pub async fn logout(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if let Some((token, _)) = token_of(&headers) {
        if let Some(accounts) = &app.accounts {
            accounts.sessions.forget(token);
        }
        if let Err(e) = app.store.sign_out(token).await {
            return WebError::from(e).into_response();
        }
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("rian_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    response
}

#[derive(Deserialize)]
pub struct ApiLogin {
    name: String,
    password: String,
}

/// `POST /api/v1/session`: a program signs in and gets a Bearer token.
pub async fn api_login(
    State(app): State<AppState>,
    connect: Option<axum::Extension<axum::extract::ConnectInfo<SocketAddr>>>,
    body: Result<Json<ApiLogin>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Some(accounts) = app.accounts.clone() else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": {"code": "no_accounts",
                "th": "เซิร์ฟเวอร์นี้ไม่ใช้บัญชีผู้ใช้ ไม่ต้องเข้าสู่ระบบ",
                "en": "this server has no accounts: no sign-in needed"}})),
        )
            .into_response();
    };
    let Ok(Json(body)) = body else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": {"code": "bad_request",
                "th": "ส่ง JSON {\"name\", \"password\"}",
                "en": "send JSON {\"name\", \"password\"}"}})),
        )
            .into_response();
    };
    let address = connect.map(|c| c.0.0);
    match attempt(&app, &accounts, &body.name, &body.password, address).await {
        Attempt::Wait(wait) => {
            let refusal = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"error": {"code": "too_many_attempts",
                    "th": "ลองผิดหลายครั้งเกินไป รอแล้วลองใหม่",
                    "en": "too many failed attempts: wait and try again"}})),
            );
            retry_after(refusal.into_response(), wait)
        }
        Attempt::SignedIn(token, session) => (
            StatusCode::CREATED,
            Json(json!({
                "token": token,
                "csrf": session.csrf,
                "expires_in": accounts.options.session_lifetime.as_secs(),
                "account": {"name": session.account.name, "role": session.account.role.as_str()},
            })),
        )
            .into_response(),
        Attempt::Refused => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"code": "bad_login",
                "th": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "en": "wrong name or password"}})),
        )
            .into_response(),
        Attempt::Failed(e) => WebError::from(e).into_response(),
    }
}

/// `DELETE /api/v1/session`: the token given ends.
pub async fn api_logout(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if let (Some(token), Some(accounts)) = (bearer(&headers), &app.accounts) {
        accounts.sessions.forget(token);
    }
    match bearer(&headers) {
        Some(token) => match app.store.sign_out(token).await {
            Ok(()) => StatusCode::NO_CONTENT.into_response(),
            Err(e) => WebError::from(e).into_response(),
        },
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_name_what_they_are_about() {
        assert_eq!(
            target_of("/forums/{id}", "/forums/12"),
            Ok(Some(Target::Record(Entity::Forum, 12)))
        );
        assert_eq!(
            target_of("/api/v1/swot-items/{id}", "/api/v1/swot-items/3"),
            Ok(Some(Target::Record(Entity::SwotItem, 3)))
        );
        assert_eq!(
            target_of("/documents/{doc}/codings/{id}", "/documents/5/codings/9"),
            Ok(Some(Target::Record(Entity::DocumentText, 5)))
        );
        assert_eq!(
            target_of("/studies/{id}/matrix", "/studies/2/matrix"),
            Ok(Some(Target::Study(2)))
        );
        assert_eq!(target_of("/memos", "/memos"), Ok(None));
        assert_eq!(target_of("/search", "/search"), Ok(None));
        assert_eq!(target_of("/unknown/{id}", "/unknown/1"), Err(()));
        assert_eq!(target_of("/forums/{id}", "/forums/x"), Err(()));
    }

    #[test]
    fn failed_sign_ins_are_limited_per_name() {
        let limiter = LoginLimiter::default();
        let keys = limiter_keys("Somchai ", None);
        for _ in 0..FAILURES_PER_NAME - 1 {
            limiter.failed(&keys);
            assert!(limiter.wait(&keys).is_none());
        }
        limiter.failed(&keys);
        let wait = limiter
            .wait(&limiter_keys("somchai", None))
            .expect("limited");
        assert!(wait <= LOGIN_WINDOW && wait > Duration::from_secs(60));
        assert!(limiter.wait(&limiter_keys("another", None)).is_none());
        limiter.succeeded(&keys[0].0);
        assert!(limiter.wait(&keys).is_none());
    }
}
