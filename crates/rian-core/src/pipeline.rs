//! The flow of DESIGN.md, one function per thing a user does, reading top to bottom:
//! import → normalize → segment → extract → suggest codes → store.

use crate::Result;
use crate::extract::{Extraction, extract};
use crate::import::{Source, read_source};
use crate::model::*;
use crate::store::{Store, Tx};
use std::path::Path;

/// Creates a study with the default codebook. Part of the caller's transaction.
pub async fn create_study(tx: &mut Tx, study: &Study) -> Result<i64> {
    Ok(create_study_with_codes(tx, study).await?.0)
}

/// [`create_study`], also giving the new codes' ids by their key in the codebook.
pub async fn create_study_with_codes(
    tx: &mut Tx,
    study: &Study,
) -> Result<(i64, std::collections::HashMap<&'static str, i64>)> {
    let study_id = tx.insert_study(study).await?;
    let mut ids = std::collections::HashMap::new();
    for (position, template) in default_codebook().iter().enumerate() {
        let id = tx
            .insert_code(&Code {
                id: 0,
                study_id,
                parent_id: template.parent.map(|p| ids[p]),
                key: template.key.into(),
                name_th: template.name_th.into(),
                name_en: template.name_en.into(),
                color: template.color.into(),
                position: position as i64,
                description: None,
            })
            .await?;
        ids.insert(template.key, id);
    }
    Ok((study_id, ids))
}

/// What to import and where it belongs.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    pub path: &'a Path,
    pub site: SiteRef<'a>,
    /// Attach to this forum; otherwise a new forum of `kind` is created for the document.
    pub forum_id: Option<i64>,
    pub kind: ForumKind,
    /// The forum's date as the user gives it; otherwise the date read from the text.
    pub date: Option<IsoDate>,
}

/// A site as the caller names it.
#[derive(Debug, Clone, Copy)]
pub enum SiteRef<'a> {
    /// By Thai name (ธนบุรี, ต.พระแท่น) or admin code (1015).
    Named(&'a str),
    Id(i64),
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub site_id: i64,
    pub forum_id: i64,
    pub document_id: i64,
    pub forum_created: bool,
    /// False if these exact bytes were imported before: nothing was written.
    pub new_document: bool,
    pub facts: usize,
    pub suggestions: usize,
}

/// Imports one source file as a document of a forum at a site: decode → normalize →
/// segment → extract → suggest codes → store. Everything is read and checked before the
/// first write, and the writes are one transaction: an import is whole or absent. A file
/// imported before (same bytes) is recognized and changes nothing.
pub async fn import_document(store: &Store, req: &ImportRequest<'_>) -> Result<Imported> {
    let source = read_source(req.path)?;
    import_source(store, source, req).await
}

/// Imports a source already read (an upload, pasted text); `req.path` is not read.
pub async fn import_source(
    store: &Store,
    source: Source,
    req: &ImportRequest<'_>,
) -> Result<Imported> {
    let site = match req.site {
        SiteRef::Named(name) => store.find_site(name).await?,
        SiteRef::Id(id) => store.site(id).await?,
    };
    if let Some(forum_id) = req.forum_id {
        let forum = store.forum(forum_id).await?;
        if forum.site_id != site.id {
            return Err(crate::Error::NotFound {
                what_th: "เวทีในพื้นที่นี้",
                what_en: "forum at this site",
                id: forum_id,
            });
        }
    }
    let hash = content_hash(&source.original);
    if let Some(existing) = store.document_by_hash(&hash).await? {
        return Ok(Imported {
            site_id: store.forum(existing.forum_id).await?.site_id,
            forum_id: existing.forum_id,
            document_id: existing.id,
            forum_created: false,
            new_document: false,
            facts: 0,
            suggestions: 0,
        });
    }
    let extraction = extract(&source.text);
    let codes = store.codes(site.study_id).await?;

    let mut tx = store.begin().await?;
    let record = Forum {
        id: 0,
        site_id: site.id,
        kind: req.kind,
        status: if req.date.or(extraction.event_date).is_some() {
            ForumStatus::Held
        } else {
            ForumStatus::Planned
        },
        title: Some(
            extraction
                .title
                .clone()
                .unwrap_or_else(|| source.title.clone()),
        ),
        date: req.date.or(extraction.event_date),
        date_end: if req.date.is_some() {
            None
        } else {
            extraction.event_date_end
        },
        venue: extraction.venue.clone(),
        participants: extraction.participants,
        reviewed_at: None,
        reviewed_by: None,
    };
    let (forum_id, forum_created) = match req.forum_id {
        Some(id) => {
            tx.complete_forum(&Forum { id, ..record }).await?;
            (id, false)
        }
        None => (tx.insert_forum(&record).await?, true),
    };
    let document_id = tx
        .insert_document(&Document {
            id: 0,
            forum_id,
            title: source.title,
            source_name: Some(source.file_name),
            media_type: source.media_type.into(),
            original: source.original,
            text: source.text,
            content_hash: hash,
        })
        .await?;
    let facts = facts_of(document_id, &extraction);
    for fact in &facts {
        tx.insert_fact(fact).await?;
    }
    let suggestions = suggestions_of(document_id, &extraction, &codes);
    for coding in &suggestions {
        tx.insert_coding(coding).await?;
    }
    tx.commit().await?;
    Ok(Imported {
        site_id: site.id,
        forum_id,
        document_id,
        forum_created,
        new_document: true,
        facts: facts.len(),
        suggestions: suggestions.len(),
    })
}

/// The facts of an extraction, each with the span it came from.
pub fn facts_of(document_id: i64, x: &Extraction) -> Vec<Fact> {
    let fact = |kind, value: String, span: Option<Span>| Fact {
        id: 0,
        document_id,
        kind,
        value,
        number: None,
        unit: None,
        span,
    };
    let mut out = Vec::new();
    if let Some(date) = x.event_date {
        let value = match x.event_date_end {
            Some(end) => format!("{date}/{end}"),
            None => date.to_string(),
        };
        out.push(fact(
            FactKind::Date,
            value,
            x.evidence.event_date.first().copied(),
        ));
    }
    for (names, evidence) in [
        (&x.provinces, &x.evidence.provinces),
        (&x.tambons, &x.evidence.tambons),
    ] {
        for name in names {
            let span = evidence.get(name).and_then(|v| v.first()).copied();
            out.push(fact(FactKind::Place, name.clone(), span));
        }
    }
    for name in &x.organizations {
        let span = x
            .evidence
            .organizations
            .get(name)
            .and_then(|v| v.first())
            .copied();
        out.push(fact(FactKind::Organization, name.clone(), span));
    }
    for (items, spans) in x.numbered_lists.iter().zip(&x.evidence.numbered_lists) {
        let span = spans.first().zip(spans.last()).map(|(a, b)| Span {
            start: a.start,
            end: b.end,
        });
        out.push(fact(FactKind::List, items.join("\n"), span));
    }
    for f in &x.figures {
        let number = match f.value {
            crate::extract::Number::Whole(n) => n as f64,
            crate::extract::Number::Fraction(v) => v,
        };
        out.push(Fact {
            number: Some(number),
            unit: Some(f.unit.clone()),
            ..fact(FactKind::Figure, f.text.clone(), Some(f.span))
        });
    }
    out
}

/// Suggested codings: each framework section on the code of its part, with its cue.
pub fn suggestions_of(document_id: i64, x: &Extraction, codes: &[Code]) -> Vec<Coding> {
    x.sections
        .iter()
        .filter_map(|s| {
            let code = codes.iter().find(|c| c.key == s.part.code_key())?;
            Some(Coding {
                id: 0,
                document_id,
                code_id: code.id,
                span: s.span,
                coder: SUGGESTER.into(),
                status: CodingStatus::Suggested,
                memo: None,
                cue: Some(s.cue.clone()),
            })
        })
        .collect()
}

/// The coder name of rian's own suggestions.
pub const SUGGESTER: &str = "rian";
