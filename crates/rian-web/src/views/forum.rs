//! `/forums/{id}`: a forum's record and its documents, beside the study's codebook.

use super::{CodeRow, ForumRow, codebook_rows, render};
use crate::page::Page;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rian_core::model::PartyRole;

pub struct PartyGroup {
    pub role: &'static str,
    pub names: Vec<String>,
}

pub struct DocumentView {
    pub id: i64,
    pub title: String,
    pub source_name: String,
    pub characters: usize,
    pub text: String,
    pub facts: Vec<FactRow>,
    pub suggestions: Vec<SuggestionRow>,
}

/// A fact beside the words it was read from.
pub struct FactRow {
    pub kind: &'static str,
    pub value: String,
    pub quote: String,
}

/// A coding beside its code, cue and passage.
pub struct SuggestionRow {
    pub id: i64,
    pub code_id: i64,
    pub suggested: bool,
    pub code: String,
    pub color: String,
    pub status: &'static str,
    pub cue: String,
    pub quote: String,
}

/// A fact's value as a person reads it: dates in the Buddhist Era, list items on one line.
fn display_value(f: &rian_core::model::Fact, lang: rian_core::model::Lang) -> String {
    if f.kind == rian_core::model::FactKind::Date {
        let days: Vec<String> = f
            .value
            .split('/')
            .map(|d| rian_core::model::IsoDate::parse(d).map_or(d.to_string(), |d| d.display(lang)))
            .collect();
        return days.join(" – ");
    }
    f.value.replace('\n', " · ")
}

/// The text of a span (character offsets), or nothing if it falls outside.
fn quote(chars: &[char], span: Option<rian_core::model::Span>) -> String {
    span.and_then(|s| chars.get(s.start.max(0) as usize..s.end.max(0) as usize))
        .map(|c| c.iter().collect())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "forum.html")]
pub struct ForumPage {
    pub page: Page,
    pub forum: ForumRow,
    pub study_id: i64,
    pub site_id: i64,
    pub site_name: String,
    pub parties: Vec<PartyGroup>,
    pub documents: Vec<DocumentView>,
    pub codebook: Vec<CodeRow>,
}

pub async fn show(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let forum = store.forum(id).await?;
    let site = store.site(forum.site_id).await?;
    let all_parties = store.forum_parties(id).await?;
    let parties = PartyRole::ALL
        .iter()
        .map(|&role| PartyGroup {
            role: match role {
                PartyRole::Organizer => page.t.organizers,
                PartyRole::Academic => page.t.academic_partner,
                PartyRole::Partner => page.t.partners,
                PartyRole::Host => page.t.host,
                PartyRole::Facilitator => page.t.facilitators,
            },
            names: all_parties
                .iter()
                .filter(|p| p.role == role)
                .map(|p| p.name.clone())
                .collect(),
        })
        .filter(|g| !g.names.is_empty())
        .collect();
    let codes = store.codes(site.study_id).await?;
    let mut documents = Vec::new();
    for d in store.documents(id).await? {
        let chars: Vec<char> = d.text.chars().collect();
        let facts = store
            .facts(d.id)
            .await?
            .into_iter()
            .map(|f| FactRow {
                kind: f.kind.label(page.lang),
                quote: quote(&chars, f.span),
                value: display_value(&f, page.lang),
            })
            .collect();
        let suggestions = store
            .codings(d.id)
            .await?
            .into_iter()
            .filter_map(|c| {
                let code = codes.iter().find(|k| k.id == c.code_id)?;
                Some(SuggestionRow {
                    id: c.id,
                    code_id: c.code_id,
                    suggested: c.status == rian_core::model::CodingStatus::Suggested,
                    code: match page.lang {
                        rian_core::model::Lang::Th => code.name_th.clone(),
                        rian_core::model::Lang::En => code.name_en.clone(),
                    },
                    color: code.color.clone(),
                    status: c.status.label(page.lang),
                    cue: c.cue.clone().unwrap_or_default(),
                    quote: quote(&chars, Some(c.span)),
                })
            })
            .collect();
        documents.push(DocumentView {
            id: d.id,
            characters: chars.len(),
            title: d.title,
            source_name: d.source_name.unwrap_or_default(),
            text: d.text,
            facts,
            suggestions,
        });
    }
    let codebook = codebook_rows(&codes, page.lang);
    let row = ForumRow::new(&forum, &page);
    let title = format!("{} · {}", row.title, row.date);
    render(&ForumPage {
        forum: row,
        study_id: site.study_id,
        site_id: site.id,
        site_name: format!("{} {}", site.display_name(), site.province_display()),
        parties,
        documents,
        codebook,
        page: page.titled(title),
    })
}
