//! The JSON API under `/api/v1`: every entity read, and written where the workbench
//! writes (through `rian_core::edit`, so each change is checked, logged with its author
//! and undoable like one made on a page). Errors are JSON with a code and a message in
//! Thai and English. `/api/v1/openapi.json` describes it all; the schemas come from the
//! model's own serde derives (schemars), so the document follows the code.

use crate::{App, AppState};
use axum::extract::Path;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rian_core::edit;
use rian_core::model::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// An error as the API sends it: `{"error": {"code", "th", "en"}}`.
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    th: String,
    en: String,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong: a stable code for programs, a sentence in Thai and one in English.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ErrorDetail {
    /// `not_found`, `bad_request`, `invalid`, `forbidden`, `internal`.
    pub code: String,
    pub th: String,
    pub en: String,
}

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        th: impl Into<String>,
        en: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            th: th.into(),
            en: en.into(),
        }
    }

    fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "ไม่พบสิ่งที่ขอ", "not found")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                th: self.th,
                en: self.en,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<rian_core::Error> for ApiError {
    fn from(e: rian_core::Error) -> ApiError {
        use rian_core::Error as E;
        match e {
            E::Forbidden => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "บัญชีของคุณไม่มีสิทธิ์ทำรายการนี้",
                "your account is not allowed to do this",
            ),
            E::NotFound {
                what_th,
                what_en,
                id,
            } => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("ไม่พบ{what_th} รหัส {id}"),
                format!("no {what_en} with id {id}"),
            ),
            E::Invalid { th, en, .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", th, en)
            }
            E::Conflict { .. } => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "conflict",
                "มีผู้อื่นแก้ไขรายการนี้หลังจากที่คุณอ่าน (If-Match ไม่ตรงกับ ETag ปัจจุบัน) อ่านใหม่แล้วค่อยแก้",
                "someone else changed this after you read it (If-Match is not the current ETag): read it again, then change it",
            ),
            // A reference to a record that is not there, or a duplicate, reaches the
            // database's constraints: the caller's mistake, not rian's.
            E::Database(sqlx::Error::Database(d))
                if d.is_foreign_key_violation()
                    || d.is_unique_violation()
                    || d.is_check_violation() =>
            {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    "ข้อมูลอ้างถึงสิ่งที่ไม่มี หรือซ้ำกับที่มีอยู่",
                    "the record refers to something that does not exist, or repeats one that does",
                )
            }
            e if e.is_refusal() => {
                let text = e.to_string();
                let (th, en) = text.split_once(" / ").unwrap_or((&text, &text));
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", th, en)
            }
            e => {
                // The cause goes to the log (never personal data: the error only).
                eprintln!("rian-web: api: {e}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "เกิดข้อผิดพลาดภายใน rian",
                    "rian failed inside",
                )
            }
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("ที่อยู่ไม่ถูกต้อง: {}", e.body_text()),
            format!("bad path: {}", e.body_text()),
        )
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> ApiError {
        let (status, code) = match &e {
            JsonRejection::JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "bad_request")
            }
            _ => (StatusCode::BAD_REQUEST, "bad_request"),
        };
        ApiError::new(
            status,
            code,
            format!("เนื้อหา JSON ใช้ไม่ได้: {}", e.body_text()),
            format!("unusable JSON body: {}", e.body_text()),
        )
    }
}

type Answer<T> = Result<Json<T>, ApiError>;

fn id_of(path: Result<Path<i64>, PathRejection>) -> Result<i64, ApiError> {
    Ok(path?.0)
}

/// Who a change is logged under: the signed-in account in a shared deployment; on a
/// laptop the `X-Rian-User` header, else the workbench's user.
fn actor(app: &AppState, headers: &HeaderMap) -> rian_core::access::Actor {
    if app.user.account.is_some() {
        return app.user.clone();
    }
    let name = headers
        .get("x-rian-user")
        // A Thai name arrives as UTF-8 bytes, which to_str() (visible ASCII) refuses.
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
        .map(|v| v.trim().chars().take(100).collect::<String>())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| app.user.to_string());
    rian_core::access::Actor::local(&name)
}

/// A write from a browser page of another site is refused (a program without an
/// Origin header is not a browser).
fn origin_ok(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return Ok(());
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let from = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    if host.is_some() && from == host {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "ไม่รับการแก้ไขจากเว็บไซต์อื่น",
            "changes from another site are refused",
        ))
    }
}

/// A kind of record the API reads and writes.
trait ApiRecord: Kind + Serialize + DeserializeOwned + Clone + Send + 'static {
    fn record(self) -> Record;
    /// Fills in what the caller may leave out (the author of a memo, the coder).
    fn complete(&mut self, _actor: &str) {}
}

macro_rules! api_records {
    ($($kind:ident),+) => {$(
        impl ApiRecord for $kind {
            fn record(self) -> Record {
                Record::$kind(self)
            }
            fn complete(&mut self, actor: &str) {
                complete_by(self, actor);
            }
        }
    )+};
}

/// Authors and coders left empty are the caller.
fn complete_by(record: &mut dyn std::any::Any, actor: &str) {
    if let Some(m) = record.downcast_mut::<Memo>()
        && m.author.trim().is_empty()
    {
        m.author = actor.to_string();
    }
    if let Some(c) = record.downcast_mut::<Coding>()
        && c.coder.trim().is_empty()
    {
        c.coder = actor.to_string();
    }
    if let Some(c) = record.downcast_mut::<Correction>()
        && c.author.trim().is_empty()
    {
        c.author = actor.to_string();
    }
    if let Some(c) = record.downcast_mut::<CellSummary>()
        && c.author.trim().is_empty()
    {
        c.author = actor.to_string();
    }
}

api_records!(
    Code,
    Coding,
    Memo,
    Forum,
    ForumParty,
    Fact,
    Community,
    SwotItem,
    Actor,
    Tie,
    PlanItem,
    Correction,
    CellSummary
);

async fn read<T: ApiRecord>(
    App(app): App,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = id_of(path)?;
    let record: T = app.store.get::<T>(id).await?;
    let etag = format!("\"{}\"", edit::version_of(&record.clone().record()));
    Ok(([(header::ETAG, etag)], Json(record)).into_response())
}

/// The version a request says it saw: its If-Match header, without quotes.
fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .to_string()
        })
        .filter(|v| !v.is_empty() && v != "*")
}

async fn create<T: ApiRecord>(
    App(app): App,
    headers: HeaderMap,
    body: Result<Json<T>, JsonRejection>,
) -> Result<(StatusCode, Json<T>), ApiError> {
    origin_ok(&headers)?;
    let who = actor(&app, &headers);
    let mut record = body?.0;
    record.complete(&who);
    let stored = edit::add(&app.store, &who, record.record()).await?;
    let stored = T::from_record(stored).ok_or_else(ApiError::not_found)?;
    Ok((StatusCode::CREATED, Json(stored)))
}

async fn update<T: ApiRecord>(
    App(app): App,
    headers: HeaderMap,
    path: Result<Path<i64>, PathRejection>,
    body: Result<Json<T>, JsonRejection>,
) -> Answer<T> {
    origin_ok(&headers)?;
    let id = id_of(path)?;
    let who = actor(&app, &headers);
    let mut record = body?.0;
    record.complete(&who);
    app.store.get::<T>(id).await?;
    let base = if_match(&headers);
    edit::update_from(
        &app.store,
        &who,
        record.record().with_id(id),
        base.as_deref(),
    )
    .await?;
    Ok(Json(app.store.get::<T>(id).await?))
}

async fn remove<T: ApiRecord>(
    App(app): App,
    headers: HeaderMap,
    path: Result<Path<i64>, PathRejection>,
) -> Answer<T> {
    origin_ok(&headers)?;
    let id = id_of(path)?;
    let base = if_match(&headers);
    let who = actor(&app, &headers);
    let before = edit::delete_from(&app.store, &who, T::ENTITY, id, base.as_deref()).await?;
    T::from_record(before)
        .map(Json)
        .ok_or_else(ApiError::not_found)
}

/// Lists under a parent: the parent is checked first, so a missing one is a 404.
macro_rules! list {
    ($name:ident, $parent:ident, $ty:ty, |$store:ident, $id:ident| $body:expr) => {
        async fn $name(App(app): App, path: Result<Path<i64>, PathRejection>) -> Answer<Vec<$ty>> {
            let $id = id_of(path)?;
            let $store = &app.store;
            $parent($store, $id).await?;
            Ok(Json($body.await?))
        }
    };
}

async fn study(store: &rian_core::store::Store, id: i64) -> rian_core::Result<Study> {
    store.study(id).await
}
async fn site(store: &rian_core::store::Store, id: i64) -> rian_core::Result<Site> {
    store.site(id).await
}
async fn forum(store: &rian_core::store::Store, id: i64) -> rian_core::Result<Forum> {
    store.forum(id).await
}
async fn document(store: &rian_core::store::Store, id: i64) -> rian_core::Result<Document> {
    store.document(id).await
}
async fn community(store: &rian_core::store::Store, id: i64) -> rian_core::Result<Community> {
    store.get::<Community>(id).await
}

list!(study_sites, study, Site, |s, id| s.study_sites(id));
list!(study_forums, study, Forum, |s, id| s.study_forums(id));
list!(study_codes, study, Code, |s, id| s.codes(id));
list!(study_memos, study, Memo, |s, id| s.memos(id, None, None));
list!(study_actors, study, Actor, |s, id| s.actors(id));
list!(site_forums, site, Forum, |s, id| s.forums(Some(id)));
list!(site_communities, site, Community, |s, id| s.communities(id));
list!(site_ties, site, Tie, |s, id| s.ties(id));
list!(site_plan_items, site, PlanItem, |s, id| s.plan_items(id));
list!(site_corrections, site, Correction, |s, id| s
    .corrections(id));
list!(forum_documents, forum, Document, |s, id| s.documents(id));
list!(forum_parties, forum, ForumParty, |s, id| s
    .forum_parties(id));
/// A document's codings; while its study is coded blind, only the caller's own.
async fn document_codings(
    App(app): App,
    headers: HeaderMap,
    path: Result<Path<i64>, PathRejection>,
) -> Answer<Vec<Coding>> {
    let id = id_of(path)?;
    document(&app.store, id).await?;
    let who = actor(&app, &headers);
    Ok(Json(app.store.codings_seen_by(id, &who).await?))
}
list!(document_facts, document, Fact, |s, id| s.facts(id));
list!(community_swot, community, SwotItem, |s, id| s
    .swot_items(id));

async fn studies(App(app): App) -> Answer<Vec<Study>> {
    Ok(Json(app.store.studies().await?))
}

async fn one_study(App(app): App, path: Result<Path<i64>, PathRejection>) -> Answer<Study> {
    Ok(Json(app.store.study(id_of(path)?).await?))
}

async fn one_site(App(app): App, path: Result<Path<i64>, PathRejection>) -> Answer<Site> {
    Ok(Json(app.store.site(id_of(path)?).await?))
}

async fn one_document(App(app): App, path: Result<Path<i64>, PathRejection>) -> Answer<Document> {
    Ok(Json(app.store.document(id_of(path)?).await?))
}

/// A document for a site, as its text: imported like an upload (facts read, codes
/// suggested), into a new forum of `kind` or into `forum_id`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct NewDocument {
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub forum_id: Option<i64>,
    #[serde(default)]
    pub kind: Option<ForumKind>,
    #[serde(default)]
    pub date: Option<IsoDate>,
}

/// What an import wrote.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ImportedDocument {
    pub document: Document,
    pub forum_id: i64,
    /// False when these exact words were imported before: nothing was written.
    pub new_document: bool,
    pub facts: usize,
    pub suggestions: usize,
}

/// A document's revised text.
#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct NewText {
    pub text: String,
}

/// A step of a forum's record: to `checked`, `final`, or back to `draft` (with a reason).
#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct NewStep {
    pub state: RecordState,
    #[serde(default)]
    pub note: Option<String>,
}

async fn import_document(
    App(app): App,
    headers: HeaderMap,
    path: Result<Path<i64>, PathRejection>,
    body: Result<Json<NewDocument>, JsonRejection>,
) -> Result<(StatusCode, Json<ImportedDocument>), ApiError> {
    origin_ok(&headers)?;
    let site_id = id_of(path)?;
    let d = body?.0;
    app.store.site(site_id).await?;
    let name = format!("{}.txt", d.title.trim().replace(['/', '\\'], " "));
    let mut source = rian_core::import::read_bytes(&name, d.text.into_bytes())?;
    if !d.title.trim().is_empty() {
        source.title = d.title.trim().to_string();
    }
    let request = rian_core::pipeline::ImportRequest {
        path: std::path::Path::new(""),
        site: rian_core::pipeline::SiteRef::Id(site_id),
        forum_id: d.forum_id,
        kind: d.kind.unwrap_or(ForumKind::LessonsLearned),
        date: d.date,
    };
    let done = rian_core::pipeline::import_source(&app.store, source, &request).await?;
    let status = if done.new_document {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(ImportedDocument {
            document: app.store.document(done.document_id).await?,
            forum_id: done.forum_id,
            new_document: done.new_document,
            facts: done.facts,
            suggestions: done.suggestions,
        }),
    ))
}

async fn revise(
    App(app): App,
    headers: HeaderMap,
    path: Result<Path<i64>, PathRejection>,
    body: Result<Json<NewText>, JsonRejection>,
) -> Answer<rian_core::edit::Revision> {
    origin_ok(&headers)?;
    let id = id_of(path)?;
    let text = body?.0.text;
    app.store.document(id).await?;
    Ok(Json(
        rian_core::edit::revise_text(&app.store, &actor(&app, &headers), id, &text).await?,
    ))
}

async fn record_steps(
    App(app): App,
    path: Result<Path<i64>, PathRejection>,
) -> Answer<Vec<RecordStep>> {
    let id = id_of(path)?;
    app.store.forum(id).await?;
    Ok(Json(app.store.record_steps(id).await?))
}

async fn step(
    App(app): App,
    headers: HeaderMap,
    path: Result<Path<i64>, PathRejection>,
    body: Result<Json<NewStep>, JsonRejection>,
) -> Answer<Vec<RecordStep>> {
    origin_ok(&headers)?;
    let id = id_of(path)?;
    let s = body?.0;
    app.store.forum(id).await?;
    app.store
        .step_record(id, s.state, &actor(&app, &headers), s.note.as_deref())
        .await?;
    Ok(Json(app.store.record_steps(id).await?))
}

#[derive(serde::Deserialize)]
struct Coders {
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
}

async fn agreement(
    App(app): App,
    path: Result<Path<i64>, PathRejection>,
    query: Result<axum::extract::Query<Coders>, axum::extract::rejection::QueryRejection>,
) -> Answer<rian_core::analyze::agreement::Agreement> {
    let id = id_of(path)?;
    let Ok(axum::extract::Query(q)) = query else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "พารามิเตอร์ไม่ถูกต้อง",
            "bad query",
        ));
    };
    app.store.study(id).await?;
    match crate::views::agreement::compare(&app, id, &q.a, &q.b).await? {
        Some(found) => Ok(Json(found)),
        None => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "ระบุผู้ลงรหัสสองคนที่ต่างกัน (a และ b)",
            "give two different coders (a and b)",
        )),
    }
}

async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        OPENAPI.clone(),
    )
        .into_response()
}

async fn fallback() -> ApiError {
    ApiError::not_found()
}

/// The writable kinds: URL segment, Rust type name in the schemas, Thai name.
const WRITABLE: [(&str, &str, &str); 13] = [
    ("codes", "Code", "รหัส"),
    ("codings", "Coding", "การลงรหัส"),
    ("memos", "Memo", "บันทึก"),
    ("forums", "Forum", "เวที"),
    ("forum-parties", "ForumParty", "หน่วยงานในเวที"),
    ("facts", "Fact", "ข้อเท็จจริง"),
    ("communities", "Community", "ชุมชน"),
    ("swot-items", "SwotItem", "รายการ SWOT"),
    ("actors", "Actor", "ภาคี"),
    ("ties", "Tie", "ความเชื่อมโยง"),
    ("plan-items", "PlanItem", "รายการแผน"),
    ("corrections", "Correction", "ข้อแก้ไขจากชุมชน"),
    ("cell-summaries", "CellSummary", "บทสรุปในตารางกรอบแนวคิด"),
];

/// The lists: path, parent's name, item type.
const LISTS: [(&str, &str, &str); 15] = [
    ("/studies/{id}/sites", "study", "Site"),
    ("/studies/{id}/forums", "study", "Forum"),
    ("/studies/{id}/codes", "study", "Code"),
    ("/studies/{id}/memos", "study", "Memo"),
    ("/studies/{id}/actors", "study", "Actor"),
    ("/sites/{id}/forums", "site", "Forum"),
    ("/sites/{id}/communities", "site", "Community"),
    ("/sites/{id}/ties", "site", "Tie"),
    ("/sites/{id}/plan-items", "site", "PlanItem"),
    ("/sites/{id}/corrections", "site", "Correction"),
    ("/forums/{id}/documents", "forum", "Document"),
    ("/forums/{id}/parties", "forum", "ForumParty"),
    ("/documents/{id}/codings", "document", "Coding"),
    ("/documents/{id}/facts", "document", "Fact"),
    ("/communities/{id}/swot-items", "community", "SwotItem"),
];

macro_rules! writable {
    ($router:expr, $(($path:literal, $ty:ty)),+) => {
        $router
        $(
            .route(concat!("/", $path), axum::routing::post(create::<$ty>))
            .route(
                concat!("/", $path, "/{id}"),
                get(read::<$ty>).put(update::<$ty>).delete(remove::<$ty>),
            )
        )+
    };
}

/// The API's routes, to be nested under `/api/v1`.
pub fn router() -> Router<AppState> {
    let r = Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/studies", get(studies))
        .route("/studies/{id}", get(one_study))
        .route("/sites/{id}", get(one_site))
        .route("/documents/{id}", get(one_document))
        .route("/studies/{id}/sites", get(study_sites))
        .route("/studies/{id}/forums", get(study_forums))
        .route("/studies/{id}/codes", get(study_codes))
        .route("/studies/{id}/memos", get(study_memos))
        .route("/studies/{id}/actors", get(study_actors))
        .route("/sites/{id}/forums", get(site_forums))
        .route("/sites/{id}/communities", get(site_communities))
        .route("/sites/{id}/ties", get(site_ties))
        .route("/sites/{id}/plan-items", get(site_plan_items))
        .route("/sites/{id}/corrections", get(site_corrections))
        .route("/forums/{id}/documents", get(forum_documents))
        .route("/forums/{id}/parties", get(forum_parties))
        .route("/documents/{id}/codings", get(document_codings))
        .route("/documents/{id}/facts", get(document_facts))
        .route("/communities/{id}/swot-items", get(community_swot))
        .route(
            "/sites/{id}/documents",
            axum::routing::post(import_document),
        )
        .route("/documents/{id}/text", axum::routing::put(revise))
        .route("/forums/{id}/record", get(record_steps).post(step))
        .route("/studies/{id}/agreement", get(agreement));
    writable!(
        r,
        ("codes", Code),
        ("codings", Coding),
        ("memos", Memo),
        ("forums", Forum),
        ("forum-parties", ForumParty),
        ("facts", Fact),
        ("communities", Community),
        ("swot-items", SwotItem),
        ("actors", Actor),
        ("ties", Tie),
        ("plan-items", PlanItem),
        ("corrections", Correction),
        ("cell-summaries", CellSummary)
    )
    .fallback(fallback)
}

/// The OpenAPI document, made once.
static OPENAPI: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| openapi().to_string());

fn error_responses(extra: &[u16]) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    for code in [400u16, 404, 500].iter().chain(extra) {
        let description = match code {
            400 => "คำขอไม่ถูกต้อง / bad request",
            401 => "ต้องเข้าสู่ระบบ / sign in first",
            403 => "ไม่มีสิทธิ์ หรือมาจากเว็บไซต์อื่น / not allowed, or from another site",
            404 => "ไม่พบ / not found",
            412 => "มีผู้อื่นแก้ไขไปก่อน (If-Match) / changed since read (If-Match)",
            415 => "ต้องเป็น JSON / not JSON",
            422 => "ข้อมูลใช้ไม่ได้ / invalid data",
            429 => "ลองผิดหลายครั้งเกินไป รอตาม Retry-After / too many attempts: wait Retry-After",
            _ => "ผิดพลาดภายใน / internal error",
        };
        out.insert(
            code.to_string(),
            json!({
                "description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
            }),
        );
    }
    out
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn id_parameter() -> Value {
    json!({
        "name": "id", "in": "path", "required": true,
        "schema": {"type": "integer", "format": "int64"}
    })
}

fn operation(
    summary: &str,
    tag: &str,
    with_id: bool,
    responses: serde_json::Map<String, Value>,
) -> Value {
    let mut op = json!({"summary": summary, "tags": [tag], "responses": responses});
    if with_id {
        op["parameters"] = json!([id_parameter()]);
    }
    op
}

fn with(
    mut responses: serde_json::Map<String, Value>,
    status: &str,
    response: Value,
) -> serde_json::Map<String, Value> {
    responses.insert(status.to_string(), response);
    responses
}

/// The document: OpenAPI 3.0 with the model's schemas.
pub fn openapi() -> Value {
    let mut generator = schemars::generate::SchemaSettings::openapi3().into_generator();
    macro_rules! schema {
        ($($ty:ty),+) => {$(
            generator.subschema_for::<$ty>();
        )+};
    }
    schema!(
        Study, Site, Forum, Document, Code, Coding, Memo, ForumParty, Fact, Community, SwotItem,
        Actor, Tie, PlanItem, Correction, ErrorBody
    );
    let schemas: serde_json::Map<String, Value> =
        generator.take_definitions(true).into_iter().collect();

    let mut paths = serde_json::Map::new();
    let list_of = |ty: &str| json!({"type": "array", "items": reference(ty)});
    paths.insert(
        "/studies".into(),
        json!({"get": operation("การศึกษาทั้งหมด / every study", "studies", false,
            with(error_responses(&[]), "200", ok("การศึกษา / studies", list_of("Study"))))}),
    );
    for (path, ty, what) in [
        ("/studies/{id}", "Study", "การศึกษา / a study"),
        ("/sites/{id}", "Site", "พื้นที่ / a site"),
        ("/documents/{id}", "Document", "เอกสาร / a document"),
    ] {
        paths.insert(
            path.into(),
            json!({"get": operation(what, "read", true, with(error_responses(&[]), "200", ok(what, reference(ty))))}),
        );
    }
    for (path, parent, ty) in LISTS {
        let summary = format!("{ty} ของ{parent} / the {ty} items of a {parent}");
        paths.insert(
            path.into(),
            json!({"get": operation(&summary, parent, true, with(error_responses(&[]), "200", ok(&summary, list_of(ty))))}),
        );
    }
    for (segment, ty, th) in WRITABLE {
        let body =
            json!({"required": true, "content": {"application/json": {"schema": reference(ty)}}});
        let mut post = operation(
            &format!("เพิ่ม{th} / add a {ty}"),
            segment,
            false,
            with(
                error_responses(&[403, 415, 422]),
                "201",
                ok("สร้างแล้ว / created", reference(ty)),
            ),
        );
        post["requestBody"] = body.clone();
        let mut put = operation(
            &format!("แก้ไข{th} / change a {ty}"),
            segment,
            true,
            with(
                error_responses(&[403, 412, 415, 422]),
                "200",
                ok("แก้ไขแล้ว / changed", reference(ty)),
            ),
        );
        put["requestBody"] = body;
        let if_match = json!({
            "name": "If-Match", "in": "header", "required": false,
            "description": "ETag ที่อ่านได้ แก้ได้เฉพาะเมื่อยังเป็นฉบับนั้น / the ETag read: the change is made only if it is still that version",
            "schema": {"type": "string"}
        });
        put["parameters"] = json!([id_parameter(), if_match.clone()]);
        let mut delete = operation(
            &format!("ลบ{th} (ย้อนกลับได้) / delete a {ty} (undoable)"),
            segment,
            true,
            with(
                error_responses(&[403, 412, 422]),
                "200",
                ok("สิ่งที่ลบ / what was deleted", reference(ty)),
            ),
        );
        delete["parameters"] = json!([id_parameter(), if_match]);
        paths.insert(format!("/{segment}"), json!({"post": post}));
        paths.insert(
            format!("/{segment}/{{id}}"),
            json!({
                "get": operation(&format!("{th} / a {ty}"), segment, true,
                    with(error_responses(&[]), "200", ok(ty, reference(ty)))),
                "put": put,
                "delete": delete,
            }),
        );
    }
    let mut import = operation(
        "นำเข้าเอกสารของพื้นที่ (อ่านข้อเท็จจริง เสนอรหัส) / import a site's document (facts read, codes suggested)",
        "documents",
        true,
        with(
            with(
                error_responses(&[403, 415, 422]),
                "201",
                ok("นำเข้าแล้ว / imported", reference("ImportedDocument")),
            ),
            "200",
            ok(
                "มีอยู่แล้ว ไม่ได้เขียนซ้ำ / imported before, nothing written",
                reference("ImportedDocument"),
            ),
        ),
    );
    import["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": reference("NewDocument")}}});
    paths.insert("/sites/{id}/documents".into(), json!({"post": import}));
    let mut put_text = operation(
        "แก้ไขข้อความของเอกสาร การลงรหัสตามคำไปด้วย / revise a document's text; codings follow their words",
        "documents",
        true,
        with(
            error_responses(&[403, 415, 422]),
            "200",
            ok("ผลการแก้ไข / the revision", reference("Revision")),
        ),
    );
    put_text["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": reference("NewText")}}});
    paths.insert("/documents/{id}/text".into(), json!({"put": put_text}));
    let steps = json!({"type": "array", "items": reference("RecordStep")});
    let mut post_step = operation(
        "ขยับสถานะบันทึกเวที (ร่าง → ตรวจแล้ว → ฉบับสมบูรณ์) / step a forum's record",
        "forums",
        true,
        with(
            error_responses(&[403, 415, 422]),
            "200",
            ok("ประวัติสถานะ / the record's steps", steps.clone()),
        ),
    );
    post_step["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": reference("NewStep")}}});
    paths.insert(
        "/forums/{id}/record".into(),
        json!({
            "get": operation("ประวัติสถานะบันทึกเวที / a forum record's steps", "forums", true,
                with(error_responses(&[]), "200", ok("ประวัติ / steps", steps))),
            "post": post_step,
        }),
    );
    let mut agree = operation(
        "ความสอดคล้องของผู้ลงรหัสสองคน / agreement of two coders",
        "studies",
        true,
        with(
            error_responses(&[422]),
            "200",
            ok("ความสอดคล้อง / agreement", reference("Agreement")),
        ),
    );
    agree["parameters"] = json!([
        id_parameter(),
        {"name": "a", "in": "query", "required": true, "schema": {"type": "string"}},
        {"name": "b", "in": "query", "required": true, "schema": {"type": "string"}},
    ]);
    paths.insert("/studies/{id}/agreement".into(), json!({"get": agree}));
    paths.insert("/session".into(), session_paths());
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "rian API",
            "version": "1",
            "description": "ข้อมูลการศึกษาถอดบทเรียนของ rian: อ่านได้ทุกอย่าง แก้ไขได้เท่าที่เวิร์กเบนช์แก้ไข ทุกการแก้ไขบันทึกในประวัติและย้อนกลับได้ / rian's study record: every entity read, written where the workbench writes; every change is logged and undoable. Send X-Rian-User to name who makes a change."
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        // A shared deployment signs every request in; a laptop's server asks no one.
        "security": [{"bearer": []}, {}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                "description": "โทเค็นจาก POST /session / the token POST /session gives"}}
        }
    })
}

/// `/session`: how a program signs in on a shared deployment (`auth::api_login`).
fn session_paths() -> Value {
    let login = json!({
        "type": "object", "required": ["name", "password"],
        "properties": {"name": {"type": "string"}, "password": {"type": "string", "format": "password"}}
    });
    let session = json!({
        "type": "object",
        "properties": {
            "token": {"type": "string", "description": "ส่งเป็น Authorization: Bearer … / send as Authorization: Bearer …"},
            "csrf": {"type": "string"},
            "expires_in": {"type": "integer", "description": "วินาที / seconds"},
            "account": {"type": "object", "properties": {
                "name": {"type": "string"},
                "role": {"type": "string", "enum": ["admin", "facilitator", "reviewer", "viewer"]}
            }}
        }
    });
    let mut sign_in = operation(
        "เข้าสู่ระบบ รับโทเค็น / sign in for a Bearer token",
        "session",
        false,
        with(
            error_responses(&[401, 429]),
            "201",
            ok("เข้าสู่ระบบแล้ว / signed in", session),
        ),
    );
    sign_in["requestBody"] =
        json!({"required": true, "content": {"application/json": {"schema": login}}});
    sign_in["security"] = json!([]);
    let mut sign_out = operation(
        "ออกจากระบบ โทเค็นใช้ไม่ได้อีก / sign out: the token ends",
        "session",
        false,
        serde_json::Map::new(),
    );
    sign_out["responses"] = json!({"204": {"description": "ออกแล้ว / signed out"}});
    json!({"post": sign_in, "delete": sign_out})
}
