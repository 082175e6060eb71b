//! One module per page: its template struct beside its handler.

pub mod activity;
pub mod agreement;
pub mod assets;
pub mod codebook;
pub mod corrections;
pub mod dashboard;
pub mod document;
pub mod exchange;
pub mod forum;
pub mod memos;
pub mod network;
pub mod report;
pub mod search;
pub mod site;
pub mod swot;
pub mod synthesis;

use crate::WebError;
use askama::Template;
use axum::response::Html;
use rian_core::model::{Code, Lang};

/// Renders a page, or the generic error page if the template fails.
pub fn render(page: &impl Template) -> Result<Html<String>, WebError> {
    page.render()
        .map(Html)
        .map_err(|e| WebError::Internal(rian_core::Error::Corrupt(format!("template: {e}"))))
}

/// An upload route sent something other than a file form.
pub fn not_an_upload() -> &'static str {
    "ส่งไฟล์ด้วยแบบฟอร์มนำเข้าไฟล์ (multipart/form-data) / send the file with the upload form (multipart/form-data)"
}

/// Why an upload could not be read, in Thai and English, and the status to answer: a
/// body past the route's limit is 413 and says the limit.
pub fn upload_refusal(
    e: &axum::extract::multipart::MultipartError,
    limit: usize,
) -> (axum::http::StatusCode, String) {
    let status = e.status();
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        let mb = limit / (1024 * 1024);
        (
            status,
            format!(
                "ไฟล์ใหญ่เกิน {mb} MB จึงไม่ได้นำเข้า / the file is over {mb} MB and was not imported"
            ),
        )
    } else {
        (
            axum::http::StatusCode::BAD_REQUEST,
            format!(
                "อ่านไฟล์ที่ส่งมาไม่ได้ ({}) / the upload could not be read",
                e.body_text()
            ),
        )
    }
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

/// A site as lists and its own page show it.
pub struct SiteRow {
    pub id: i64,
    pub name: String,
    pub district: String,
    pub province: String,
    /// The province as agencies write it (จ.กาญจนบุรี).
    pub province_display: String,
    pub admin_code: String,
    pub status: &'static str,
    pub status_key: &'static str,
    pub forums: i64,
    pub fictional: bool,
}

impl SiteRow {
    pub fn new(o: &rian_core::model::SiteOverview, lang: Lang) -> SiteRow {
        SiteRow {
            id: o.site.id,
            name: o.site.display_name(),
            district: o.site.district_th.clone().unwrap_or_default(),
            province: o.site.province_th.clone(),
            province_display: o.site.province_display(),
            admin_code: o.site.admin_code.clone().unwrap_or_default(),
            status: o.status.label(lang),
            status_key: o.status.as_str(),
            forums: o.forums,
            fictional: o.site.fictional,
        }
    }
}

/// A code as the codebook tree shows it.
pub struct CodeRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub key: String,
    pub name: String,
    /// The name in the other language, for the tooltip and type-ahead.
    pub other_name: String,
    pub color: String,
    pub description: String,
    pub depth: usize,
    /// Codings of this code on the page's scope (a document, the study).
    pub count: i64,
    /// The key that picks this code while coding ("1"…"9"), for top-level codes.
    pub shortcut: String,
}

impl CodeRow {
    pub fn has_parent(&self, id: &i64) -> bool {
        self.parent_id == Some(*id)
    }
}

/// The codebook as a tree: each code after its parent, siblings in their order, indented
/// by depth, in the page's language.
pub fn codebook_rows(codes: &[Code], lang: Lang) -> Vec<CodeRow> {
    let mut rows = Vec::with_capacity(codes.len());
    let mut top = 0;
    // Depth-first from the top level; a code whose parent is missing shows at the top.
    let known: std::collections::HashSet<i64> = codes.iter().map(|c| c.id).collect();
    let mut stack: Vec<(&Code, usize)> = children(codes, None, &known)
        .into_iter()
        .rev()
        .map(|c| (c, 0))
        .collect();
    while let Some((c, depth)) = stack.pop() {
        if rows.len() > codes.len() {
            break; // a cycle in a corrupt store; edits refuse them
        }
        let (name, other) = match lang {
            Lang::Th => (&c.name_th, &c.name_en),
            Lang::En => (&c.name_en, &c.name_th),
        };
        let shortcut = if depth == 0 && top < 9 {
            top += 1;
            top.to_string()
        } else {
            String::new()
        };
        rows.push(CodeRow {
            id: c.id,
            parent_id: c.parent_id,
            key: c.key.clone(),
            name: if name.is_empty() {
                other.clone()
            } else {
                name.clone()
            },
            other_name: other.clone(),
            color: c.color.clone(),
            description: c.description.clone().unwrap_or_default(),
            depth,
            count: 0,
            shortcut,
        });
        for child in children(codes, Some(c.id), &known).into_iter().rev() {
            stack.push((child, depth + 1));
        }
    }
    rows
}

fn children<'a>(
    codes: &'a [Code],
    parent: Option<i64>,
    known: &std::collections::HashSet<i64>,
) -> Vec<&'a Code> {
    let mut kids: Vec<&Code> = codes
        .iter()
        .filter(|c| match parent {
            None => c.parent_id.is_none_or(|p| !known.contains(&p)),
            Some(p) => c.parent_id == Some(p),
        })
        .collect();
    kids.sort_by_key(|c| (c.position, c.id));
    kids
}

/// A memo as lists show it.
pub struct MemoView {
    pub id: i64,
    pub text: String,
    pub author: String,
    pub written: String,
    pub target: &'static str,
    pub target_id: i64,
}

pub fn memo_views<'a>(
    memos: impl Iterator<Item = &'a rian_core::model::Memo>,
    lang: Lang,
) -> Vec<MemoView> {
    memos
        .map(|m| MemoView {
            id: m.id,
            text: m.text.clone(),
            author: m.author.clone(),
            written: timestamp(&m.written_at, lang),
            target: m.target.label(lang),
            target_id: m.target_id,
        })
        .collect()
}

/// A stored UTC time (`YYYY-MM-DD HH:MM:SS`) as a person reads it: the date in the
/// Buddhist Era for Thai, and the time to the minute.
pub fn timestamp(at: &str, lang: Lang) -> String {
    let (day, time) = at.split_once(' ').unwrap_or((at, ""));
    let day = rian_core::model::IsoDate::parse(day).map_or(day.to_string(), |d| d.display(lang));
    let time: String = time.chars().take(5).collect();
    if time.is_empty() {
        day
    } else {
        format!("{day} {time} UTC")
    }
}

/// A forum as lists show it.
pub struct ForumRow {
    pub id: i64,
    pub title: String,
    pub date: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub status_key: &'static str,
    pub venue: String,
    pub participants: String,
}

impl ForumRow {
    pub fn new(f: &rian_core::model::Forum, page: &crate::page::Page) -> ForumRow {
        ForumRow {
            id: f.id,
            title: f
                .title
                .clone()
                .unwrap_or_else(|| f.kind.label(page.lang).to_string()),
            date: f
                .date
                .map(|d| d.display(page.lang))
                .unwrap_or_else(|| page.t.date_unknown.to_string()),
            kind: f.kind.label(page.lang),
            status: f.status.label(page.lang),
            status_key: f.status.as_str(),
            venue: f.venue.clone().unwrap_or_default(),
            participants: f
                .participants
                .map(|n| format!("{n} {}", page.t.persons))
                .unwrap_or_default(),
        }
    }
}

/// `POST /{records}/{id}/delete`, for every kind of record: it goes with what cannot exist
/// without it (logged, so one undo brings all back), then the browser returns to the form's
/// page, or to where the record was shown.
pub async fn delete(
    entity: rian_core::model::Entity,
    crate::App(app): crate::App,
    axum::extract::Path(id): axum::extract::Path<i64>,
    page: crate::page::Page,
    form: crate::form::Submission,
) -> axum::response::Response {
    let outcome = async {
        form.read::<crate::form::Empty>()?;
        let gone = rian_core::edit::delete(&app.store, &app.user, entity, id).await?;
        Ok(form.back_or(shown_at(&gone)))
    }
    .await;
    form.finish(page, outcome)
}

/// The page that shows a record (or showed it, once deleted).
fn shown_at(record: &rian_core::model::Record) -> String {
    use rian_core::model::Record;
    match record {
        Record::Code(c) => format!("/studies/{}/codebook", c.study_id),
        Record::Coding(c) => format!("/documents/{}#codings", c.document_id),
        Record::Memo(m) => format!("/studies/{}/memos", m.study_id),
        Record::Forum(f) => format!("/sites/{}", f.site_id),
        Record::ForumParty(p) => format!("/forums/{}#parties", p.forum_id),
        Record::Fact(f) => format!("/documents/{}", f.document_id),
        Record::Community(c) => format!("/sites/{}#communities", c.site_id),
        Record::SwotItem(s) => format!("/communities/{}/swot", s.community_id),
        Record::Actor(a) => format!("/studies/{}/network", a.study_id),
        Record::Tie(t) => format!("/sites/{}", t.site_id),
        Record::PlanItem(p) => format!("/sites/{}#plan", p.site_id),
        Record::CellSummary(c) => format!(
            "/studies/{}/matrix?rows={}#cell-{}-{}",
            c.study_id,
            c.row_kind.as_str(),
            c.row_id,
            c.code_id
        ),
        Record::DocumentText(d) => format!("/documents/{}", d.id),
        Record::Correction(c) => format!("/sites/{}/corrections#correction-{}", c.site_id, c.id),
    }
}
