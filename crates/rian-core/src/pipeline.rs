//! The flow of DESIGN.md, one function per thing a user does, reading top to bottom:
//! import → normalize → (segment → extract → suggest codes, as they arrive) → store.

use crate::Result;
use crate::import::read_source;
use crate::model::*;
use crate::store::{Store, Tx};
use std::path::Path;

/// Creates a study with the default codebook. Part of the caller's transaction.
pub async fn create_study(tx: &mut Tx, study: &Study) -> Result<i64> {
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
    Ok(study_id)
}

/// What to import and where it belongs.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    pub path: &'a Path,
    /// The site by Thai name or admin code.
    pub site: &'a str,
    /// Attach to this forum; otherwise a new forum of `kind` is created for the document.
    pub forum_id: Option<i64>,
    pub kind: ForumKind,
    pub date: Option<IsoDate>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub site_id: i64,
    pub forum_id: i64,
    pub document_id: i64,
    pub forum_created: bool,
}

/// Imports one source file as a document of a forum at a site. Everything is checked
/// before the first write, and the writes are one transaction: an import is whole or
/// absent.
pub async fn import_document(store: &Store, req: &ImportRequest<'_>) -> Result<Imported> {
    let source = read_source(req.path)?;
    let site = store.find_site(req.site).await?;
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

    let mut tx = store.begin().await?;
    let (forum_id, forum_created) = match req.forum_id {
        Some(id) => (id, false),
        None => {
            let id = tx
                .insert_forum(&Forum {
                    id: 0,
                    site_id: site.id,
                    kind: req.kind,
                    status: if req.date.is_some() {
                        ForumStatus::Held
                    } else {
                        ForumStatus::Planned
                    },
                    title: Some(source.title.clone()),
                    date: req.date,
                    date_end: None,
                    venue: None,
                    participants: None,
                })
                .await?;
            (id, true)
        }
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
        })
        .await?;
    tx.commit().await?;
    Ok(Imported {
        site_id: site.id,
        forum_id,
        document_id,
        forum_created,
    })
}
