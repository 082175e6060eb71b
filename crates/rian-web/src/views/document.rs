//! `/documents/{id}`: the coding workbench for one write-up. The text with every coding
//! highlighted in its code's colour, the codebook beside it with counts and a shortcut per
//! top-level code, suggestions to accept or reject, and memos. Selecting text fills the
//! coding form (rian.js); without JavaScript the same form takes character offsets.

use super::{CodeRow, MemoView, codebook_rows, memo_views, render};
use crate::page::Page;
use crate::{App, WebError};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use rian_core::model::{Coding, CodingStatus, Lang, MemoTarget, Quadrant, Span};
use serde::Deserialize;
use std::collections::HashMap;

/// A run of the text covered by the same codings.
pub struct Piece {
    pub text: String,
    /// CSS classes: the colour of the innermost coding, whether it is only suggested,
    /// whether several codings overlap here.
    pub class: String,
    pub title: String,
    /// The passage a link pointed at (`?span=`), to scroll to.
    pub focus: bool,
    /// The first piece of the focused passage: where `#focus` points.
    pub anchor: bool,
    pub coded: bool,
}

/// A coding as its row in the list shows it.
pub struct CodingRow {
    pub id: i64,
    pub code_id: i64,
    pub code: String,
    pub status_key: &'static str,
    pub status: &'static str,
    pub suggested: bool,
    pub cue: String,
    pub quote: String,
    pub start: i64,
    pub end: i64,
    /// For a SWOT code, its quadrant: the coding can become an item on the board.
    pub quadrant: Option<&'static str>,
    pub memos: Vec<MemoView>,
}

pub struct CommunityOption {
    pub id: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub page: Page,
    pub id: i64,
    /// The study is coded blind: only this person's codings show.
    pub blind: bool,
    pub title: String,
    pub source_name: String,
    pub forum_id: i64,
    pub forum_title: String,
    pub site_id: i64,
    pub site_name: String,
    pub study_id: i64,
    pub characters: usize,
    pub pieces: Vec<Piece>,
    pub codebook: Vec<CodeRow>,
    pub codings: Vec<CodingRow>,
    pub suggested: usize,
    pub communities: Vec<CommunityOption>,
    pub quadrants: Vec<(&'static str, &'static str)>,
    pub memos: Vec<MemoView>,
    pub back: String,
    /// The text as it is now, for the revision form, and its version.
    pub text: String,
    pub text_version: String,
    pub detached: Vec<DetachedRow>,
    /// What the revision just saved did: (spans moved, codings detached).
    pub revised: Option<(usize, usize)>,
}

/// A coding whose words a revision removed, waiting for a person.
pub struct DetachedRow {
    pub id: i64,
    pub code: String,
    pub removed_text: String,
    pub previous_status: &'static str,
}

#[derive(Deserialize)]
pub struct DocumentQuery {
    /// `START-END`: a passage to show, from a link elsewhere (a SWOT item, a tie, a memo).
    span: Option<String>,
    /// `MOVED-DETACHED`, after a revision was saved.
    revised: Option<String>,
}

fn parse_span(s: &str) -> Option<Span> {
    let (a, b) = s.split_once('-')?;
    let span = Span {
        start: a.parse().ok()?,
        end: b.parse().ok()?,
    };
    (span.start >= 0 && span.end > span.start).then_some(span)
}

/// Cuts the text at every coding's ends (and the focused passage's), so each piece is
/// covered by one set of codings.
pub fn pieces(
    chars: &[char],
    codings: &[Coding],
    names: &HashMap<i64, String>,
    focus: Option<Span>,
) -> Vec<Piece> {
    let len = chars.len() as i64;
    let shown: Vec<&Coding> = codings
        .iter()
        .filter(|c| {
            !matches!(c.status, CodingStatus::Rejected | CodingStatus::Detached)
                && c.span.end <= len
        })
        .collect();
    let mut cuts: Vec<i64> = vec![0, len];
    for c in &shown {
        cuts.extend([c.span.start, c.span.end]);
    }
    if let Some(f) = focus.filter(|f| f.end <= len) {
        cuts.extend([f.start, f.end]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut anchored = false;
    cuts.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let over: Vec<&&Coding> = shown
                .iter()
                .filter(|c| c.span.start <= a && b <= c.span.end)
                .collect();
            let inner = over
                .iter()
                .min_by_key(|c| (c.span.end - c.span.start, c.id));
            let mut class = String::new();
            if let Some(c) = inner {
                class = format!("c{}", c.code_id);
                if c.status == CodingStatus::Suggested {
                    class.push_str(" suggested");
                }
                if over.len() > 1 {
                    class.push_str(" multi");
                }
            }
            let mut title: Vec<&str> = over
                .iter()
                .filter_map(|c| names.get(&c.code_id).map(String::as_str))
                .collect();
            title.dedup();
            let focused = focus.is_some_and(|f| f.start <= a && b <= f.end);
            let anchor = focused && !anchored;
            anchored |= focused;
            Piece {
                text: chars[a as usize..b as usize].iter().collect(),
                coded: inner.is_some(),
                class,
                title: title.join(" · "),
                focus: focused,
                anchor,
            }
        })
        .collect()
}

pub async fn show(
    App(app): App,
    Path(id): Path<i64>,
    Query(q): Query<DocumentQuery>,
    page: Page,
) -> Result<Html<String>, WebError> {
    let store = &app.store;
    let doc = store.document(id).await?;
    let forum = store.forum(doc.forum_id).await?;
    let site = store.site(forum.site_id).await?;
    let codes = store.codes(site.study_id).await?;
    // Coded blind: each coder sees only their own codings until the team compares.
    let blind = store.is_blind(site.study_id).await?;
    let codings = rian_core::store::seen_by(store.codings(id).await?, &app.user, blind);
    let chars: Vec<char> = doc.text.chars().collect();
    let name = |c: &rian_core::model::Code| match page.lang {
        Lang::Th => c.name_th.clone(),
        Lang::En => c.name_en.clone(),
    };
    let names: HashMap<i64, String> = codes
        .iter()
        .map(|c| (c.id, format!("{} {}", c.key, name(c))))
        .collect();
    let focus = q.span.as_deref().and_then(parse_span);
    let pieces = pieces(&chars, &codings, &names, focus);

    let mut counts: HashMap<i64, i64> = HashMap::new();
    for c in codings
        .iter()
        .filter(|c| !matches!(c.status, CodingStatus::Rejected | CodingStatus::Detached))
    {
        *counts.entry(c.code_id).or_default() += 1;
    }
    let mut codebook = codebook_rows(&codes, page.lang);
    for row in &mut codebook {
        row.count = counts.get(&row.id).copied().unwrap_or(0);
    }

    let memos = store.memos(site.study_id, None, None).await?;
    let mut rows = Vec::new();
    for c in codings
        .iter()
        .filter(|c| c.status != CodingStatus::Detached)
    {
        let Some(code) = codes.iter().find(|k| k.id == c.code_id) else {
            continue;
        };
        rows.push(CodingRow {
            id: c.id,
            code_id: c.code_id,
            code: names.get(&c.code_id).cloned().unwrap_or_default(),
            status_key: c.status.as_str(),
            status: c.status.label(page.lang),
            suggested: c.status == CodingStatus::Suggested,
            cue: c.cue.clone().unwrap_or_default(),
            quote: chars
                .get(c.span.start as usize..c.span.end as usize)
                .map(|s| s.iter().collect())
                .unwrap_or_default(),
            start: c.span.start,
            end: c.span.end,
            quadrant: code
                .key
                .strip_prefix("swot.")
                .and_then(|q| q.parse::<Quadrant>().ok())
                .map(Quadrant::as_str),
            memos: memo_views(
                memos
                    .iter()
                    .filter(|m| m.target == MemoTarget::Coding && m.target_id == c.id),
                page.lang,
            ),
        });
    }
    let communities = store
        .communities(site.id)
        .await?
        .into_iter()
        .map(|c| CommunityOption {
            id: c.id,
            name: c.name_th,
        })
        .collect();
    let title = doc.title.clone();
    render(&DocumentPage {
        blind,
        id,
        source_name: doc.source_name.clone().unwrap_or_default(),
        forum_id: forum.id,
        forum_title: forum
            .title
            .clone()
            .unwrap_or_else(|| forum.kind.label(page.lang).to_string()),
        site_id: site.id,
        site_name: format!("{} {}", site.display_name(), site.province_display()),
        study_id: site.study_id,
        characters: chars.len(),
        suggested: rows.iter().filter(|r| r.suggested).count(),
        pieces,
        codebook,
        codings: rows,
        communities,
        quadrants: Quadrant::ALL
            .iter()
            .map(|q| (q.as_str(), q.label(page.lang)))
            .collect(),
        memos: memo_views(
            memos
                .iter()
                .filter(|m| m.target == MemoTarget::Document && m.target_id == id),
            page.lang,
        ),
        back: format!("/documents/{id}"),
        detached: store
            .detached_codings(id)
            .await?
            .into_iter()
            .map(|d| DetachedRow {
                id: d.coding.id,
                code: names.get(&d.coding.code_id).cloned().unwrap_or_default(),
                removed_text: d.removed_text,
                previous_status: d.previous_status.label(page.lang),
            })
            .collect(),
        revised: q.revised.as_deref().and_then(|r| {
            let (a, b) = r.split_once('-')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        }),
        text_version: rian_core::edit::version_of(&rian_core::model::Record::DocumentText(
            rian_core::model::DocumentText {
                id: doc.id,
                text: doc.text.clone(),
            },
        )),
        text: doc.text,
        title: doc.title,
        page: page.titled(title),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(id: i64, code_id: i64, start: i64, end: i64, status: CodingStatus) -> Coding {
        Coding {
            id,
            document_id: 1,
            code_id,
            span: Span { start, end },
            coder: "t".into(),
            status,
            memo: None,
            cue: None,
        }
    }

    #[test]
    fn pieces_cover_the_text_once_and_colour_the_innermost_coding() {
        let chars: Vec<char> = "ผู้นำชุมชนเสียสละ".chars().collect();
        let codings = [
            coding(1, 10, 0, 10, CodingStatus::Accepted),
            coding(2, 20, 5, 10, CodingStatus::Suggested),
            coding(3, 30, 10, 17, CodingStatus::Rejected),
        ];
        let names = HashMap::from([(10, "A".to_string()), (20, "B".to_string())]);
        let p = pieces(&chars, &codings, &names, Some(Span { start: 10, end: 17 }));
        let joined: String = p.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "ผู้นำชุมชนเสียสละ");
        let summary: Vec<(&str, &str, bool)> = p
            .iter()
            .map(|p| (p.text.as_str(), p.class.as_str(), p.focus))
            .collect();
        assert_eq!(
            summary,
            [
                ("ผู้นำ", "c10", false),
                ("ชุมชน", "c20 suggested multi", false),
                // A rejected coding is not shown; the focused passage is.
                ("เสียสละ", "", true),
            ]
        );
        assert_eq!(p[1].title, "A · B");
    }
}

// ---- saving --------------------------------------------------------------------------

use crate::form::Submission;
use axum::response::Response;
use rian_core::edit;
use rian_core::model::{Record, SwotItem};
use rian_core::review::{add_coding, set_status, snap_to_words};

#[derive(Deserialize)]
struct StatusForm {
    /// `accepted` or `rejected`.
    status: String,
    /// All suggestions of this code in this document, instead of one coding.
    code: Option<i64>,
}

/// `POST /documents/{doc}/codings/{id}`: accepts or rejects a suggestion; with `code`,
/// every suggestion of that code in the document, as one change.
pub async fn set_coding_status(
    App(app): App,
    Path((document_id, coding_id)): Path<(i64, i64)>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: StatusForm = form.read()?;
        let status: CodingStatus = crate::form::choice("status", &f.status)?;
        let codings = app.store.codings(document_id).await?;
        let ids: Vec<i64> = codings
            .iter()
            .filter(|c| match f.code {
                Some(code) => c.code_id == code && c.status == CodingStatus::Suggested,
                None => c.id == coding_id,
            })
            .map(|c| c.id)
            .collect();
        if ids.is_empty() {
            return Err(rian_core::Error::NotFound {
                what_th: "การลงรหัส",
                what_en: "coding",
                id: coding_id,
            });
        }
        set_status(&app.store, &ids, status, &app.user).await?;
        Ok(form.back_or(format!("/documents/{document_id}#codings")))
    }
    .await;
    form.finish(page, outcome)
}

/// A passage of a document, as character offsets posted by the coding form.
fn passage(start: &str, end: &str) -> Result<Span, rian_core::Error> {
    let n = |field, v: &str| {
        crate::form::number(field, "ตำแหน่งตัวอักษร", "character offset", v)?.ok_or(
            rian_core::Error::Invalid {
                field,
                th: "เลือกข้อความในเอกสารก่อน".into(),
                en: "select a passage of the document first".into(),
            },
        )
    };
    Ok(Span {
        start: n("start", start)?,
        end: n("end", end)?,
    })
}

#[derive(Deserialize)]
struct CodeForm {
    start: String,
    end: String,
    code: Option<String>,
    /// A quick-code button: the top-level code it stands for.
    quick: Option<String>,
}

/// `POST /documents/{doc}/codings`: codes the selected passage (widened to whole words).
pub async fn add(
    App(app): App,
    Path(document_id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: CodeForm = form.read()?;
        let code = f.quick.as_deref().or(f.code.as_deref()).unwrap_or("");
        let code =
            crate::form::number("code", "รหัส", "code", code)?.ok_or(rian_core::Error::Invalid {
                field: "code",
                th: "เลือกรหัสก่อน".into(),
                en: "choose a code first".into(),
            })?;
        let id = add_coding(
            &app.store,
            document_id,
            code,
            passage(&f.start, &f.end)?,
            &app.user,
        )
        .await?;
        Ok(form.back_or(format!("/documents/{document_id}")) + &format!("#coding-{id}"))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct RevisionForm {
    text: String,
}

/// `POST /documents/{doc}/text`: the corrected text; every coding moves with its words,
/// and those whose words are gone are kept for review (edit::revise).
pub async fn revise(
    App(app): App,
    Path(document_id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: RevisionForm = form.read()?;
        let r = edit::revise_text_from(
            &app.store,
            &app.user,
            document_id,
            &f.text,
            Some(form.get("version")),
        )
        .await?;
        Ok(format!(
            "/documents/{document_id}?revised={}-{}#revised",
            r.moved + r.evidence_cleared,
            r.detached.len()
        ))
    }
    .await;
    form.finish(page, outcome)
}

#[derive(Deserialize)]
struct SwotFromPassage {
    start: String,
    end: String,
    community: i64,
    quadrant: String,
}

/// `POST /documents/{doc}/swot`: the passage becomes an item on a community's SWOT board,
/// linked back to where it was said.
pub async fn add_to_swot(
    App(app): App,
    Path(document_id): Path<i64>,
    page: Page,
    form: Submission,
) -> Response {
    let outcome = async {
        let f: SwotFromPassage = form.read()?;
        let quadrant: Quadrant = crate::form::choice("quadrant", &f.quadrant)?;
        let doc = app.store.document(document_id).await?;
        let asked = passage(&f.start, &f.end)?;
        let span = snap_to_words(&doc.text, asked).ok_or(rian_core::Error::InvalidSpan {
            start: asked.start,
            end: asked.end,
        })?;
        let forum = app.store.forum(doc.forum_id).await?;
        let community = app
            .store
            .communities(forum.site_id)
            .await?
            .into_iter()
            .find(|c| c.id == f.community)
            .ok_or_else(|| rian_core::Error::Invalid {
                field: "community",
                th: "ชุมชนนี้ไม่อยู่ในพื้นที่ของเอกสาร".into(),
                en: "that community is not in this document's site".into(),
            })?;
        let text: String = doc
            .text
            .chars()
            .skip(span.start as usize)
            .take((span.end - span.start) as usize)
            .collect();
        let position = edit::next_swot_position(&app.store, community.id, quadrant).await?;
        edit::create(
            &app.store,
            &app.user,
            Record::SwotItem(SwotItem {
                id: 0,
                community_id: community.id,
                quadrant,
                text,
                position,
                document_id: Some(document_id),
                span: Some(span),
            }),
        )
        .await?;
        Ok(form.back_or(format!("/communities/{}/swot", community.id)))
    }
    .await;
    form.finish(page, outcome)
}
