//! One module per page: its template struct beside its handler.

pub mod assets;
pub mod dashboard;
pub mod forum;
pub mod review;
pub mod site;

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
    pub key: String,
    pub name: String,
    /// The name in the other language, for the tooltip.
    pub other_name: String,
    pub color: String,
    pub depth: usize,
}

/// The codebook, indented by depth, in the page's language.
pub fn codebook_rows(codes: &[Code], lang: Lang) -> Vec<CodeRow> {
    let depth_of = |code: &Code| {
        let mut depth = 0;
        let mut parent = code.parent_id;
        while let Some(p) = parent {
            depth += 1;
            parent = codes.iter().find(|c| c.id == p).and_then(|c| c.parent_id);
        }
        depth
    };
    codes
        .iter()
        .map(|c| {
            let (name, other) = match lang {
                Lang::Th => (&c.name_th, &c.name_en),
                Lang::En => (&c.name_en, &c.name_th),
            };
            CodeRow {
                id: c.id,
                key: c.key.clone(),
                name: name.clone(),
                other_name: other.clone(),
                color: c.color.clone(),
                depth: depth_of(c),
            }
        })
        .collect()
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
