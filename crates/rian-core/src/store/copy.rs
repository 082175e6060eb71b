//! Copying a study from one store to another (a laptop's SQLite file to the team's
//! PostgreSQL server, and back): every record of the study, renumbered for the target
//! and written in one transaction there, whole or not at all. The activity log stays
//! behind: its undo entries name records by the ids of the store they were made in.

use super::{Store, Tx};
use crate::model::*;
use crate::{Error, Result};
use std::collections::HashMap;

/// What a copy wrote, by kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Copied {
    pub study_id: i64,
    pub sites: usize,
    pub forums: usize,
    pub documents: usize,
    pub codes: usize,
    pub codings: usize,
    pub memos: usize,
    pub other: usize,
}

/// Old id → new id, for one kind of record.
#[derive(Default)]
struct Ids(HashMap<i64, i64>);

impl Ids {
    fn get(&self, old: i64) -> Result<i64> {
        self.0
            .get(&old)
            .copied()
            .ok_or_else(|| Error::Corrupt(format!("copy: record {old} refers to one not copied")))
    }

    fn opt(&self, old: Option<i64>) -> Option<i64> {
        old.and_then(|o| self.0.get(&o).copied())
    }
}

/// Copies the study `slug` of `from` into `to`, where no study may have that short name.
pub async fn copy_study(from: &Store, to: &Store, slug: &str) -> Result<Copied> {
    let study = from
        .study_by_slug(slug)
        .await?
        .ok_or_else(|| Error::Invalid {
            field: "study",
            th: format!("ไม่พบการศึกษา \"{slug}\" ในฐานข้อมูลต้นทาง"),
            en: format!("no study \"{slug}\" in the source store"),
        })?;
    if to.study_by_slug(slug).await?.is_some() {
        return Err(Error::Invalid {
            field: "study",
            th: format!("ฐานข้อมูลปลายทางมีการศึกษา \"{slug}\" อยู่แล้ว"),
            en: format!("the target store already has a study \"{slug}\""),
        });
    }
    let mut tx = to.begin().await?;
    let mut done = Copied {
        study_id: tx
            .insert_study(&Study {
                id: 0,
                ..study.clone()
            })
            .await?,
        ..Copied::default()
    };
    let copied = copy_into(from, &mut tx, &study, &mut done).await?;
    tx.commit().await?;
    Ok(copied)
}

async fn copy_into(from: &Store, tx: &mut Tx, study: &Study, done: &mut Copied) -> Result<Copied> {
    let study_id = done.study_id;
    let (mut codes, mut sites, mut communities, mut forums) = (
        Ids::default(),
        Ids::default(),
        Ids::default(),
        Ids::default(),
    );
    let (mut documents, mut codings, mut facts, mut swot) = (
        Ids::default(),
        Ids::default(),
        Ids::default(),
        Ids::default(),
    );
    let (mut actors, mut ties, mut plan) = (Ids::default(), Ids::default(), Ids::default());

    // Codes, parents before children.
    let mut pending = from.codes(study.id).await?;
    while !pending.is_empty() {
        let before = pending.len();
        let mut later = Vec::new();
        for c in pending {
            match c.parent_id {
                Some(p) if !codes.0.contains_key(&p) => later.push(c),
                parent => {
                    let id = tx
                        .insert_code(&Code {
                            id: 0,
                            study_id,
                            parent_id: parent.map(|p| codes.get(p)).transpose()?,
                            ..c.clone()
                        })
                        .await?;
                    codes.0.insert(c.id, id);
                    done.codes += 1;
                }
            }
        }
        if later.len() == before {
            return Err(Error::Corrupt(
                "copy: the codebook's tree has a loop".into(),
            ));
        }
        pending = later;
    }

    for a in from.actors(study.id).await? {
        actors.0.insert(
            a.id,
            tx.insert_actor(&Actor {
                id: 0,
                study_id,
                ..a.clone()
            })
            .await?,
        );
        done.other += 1;
    }

    for s in from.study_sites(study.id).await? {
        let site_id = tx
            .insert_site(&Site {
                id: 0,
                study_id,
                ..s.clone()
            })
            .await?;
        sites.0.insert(s.id, site_id);
        done.sites += 1;
        for f in from.forums(Some(s.id)).await? {
            let forum_id = tx
                .insert_forum(&Forum {
                    id: 0,
                    site_id,
                    ..f.clone()
                })
                .await?;
            forums.0.insert(f.id, forum_id);
            done.forums += 1;
            if f.reviewed_at.is_some() {
                // The review mark is not part of a new forum; it is set as it was.
                tx.update(&Record::Forum(Forum {
                    id: forum_id,
                    site_id,
                    ..f.clone()
                }))
                .await?;
            }
            for p in from.forum_parties(f.id).await? {
                tx.insert_forum_party(&ForumParty {
                    id: 0,
                    forum_id,
                    ..p
                })
                .await?;
                done.other += 1;
            }
            for a in from.attendees(f.id).await? {
                tx.insert_attendee(&Attendee {
                    id: 0,
                    forum_id,
                    ..a
                })
                .await?;
                done.other += 1;
            }
            for step in from.record_steps(f.id).await? {
                tx.insert_record_step(&RecordStep {
                    id: 0,
                    forum_id,
                    ..step
                })
                .await?;
                done.other += 1;
            }
            for d in from.documents(f.id).await? {
                let document_id = tx
                    .insert_document(&Document {
                        id: 0,
                        forum_id,
                        ..d.clone()
                    })
                    .await?;
                documents.0.insert(d.id, document_id);
                done.documents += 1;
                for c in from.codings(d.id).await? {
                    let id = tx
                        .insert_coding(&Coding {
                            id: 0,
                            document_id,
                            code_id: codes.get(c.code_id)?,
                            ..c.clone()
                        })
                        .await?;
                    codings.0.insert(c.id, id);
                    done.codings += 1;
                }
                for detached in from.detached_codings(d.id).await? {
                    tx.record_detached(
                        codings.get(detached.coding.id)?,
                        &detached.removed_text,
                        detached.previous_status.as_str(),
                    )
                    .await?;
                }
                for fact in from.facts(d.id).await? {
                    let id = tx
                        .insert_fact(&Fact {
                            id: 0,
                            document_id,
                            ..fact.clone()
                        })
                        .await?;
                    facts.0.insert(fact.id, id);
                    done.other += 1;
                }
            }
        }
        for c in from.communities(s.id).await? {
            let community_id = tx
                .insert_community(&Community {
                    id: 0,
                    site_id,
                    ..c.clone()
                })
                .await?;
            communities.0.insert(c.id, community_id);
            done.other += 1;
            for item in from.swot_items(c.id).await? {
                let id = tx
                    .insert_swot_item(&SwotItem {
                        id: 0,
                        community_id,
                        document_id: documents.opt(item.document_id),
                        ..item.clone()
                    })
                    .await?;
                swot.0.insert(item.id, id);
                done.other += 1;
            }
        }
        for t in from.ties(s.id).await? {
            let id = tx
                .insert_tie(&Tie {
                    id: 0,
                    actor_id: actors.get(t.actor_id)?,
                    site_id,
                    document_id: documents.opt(t.document_id),
                    ..t.clone()
                })
                .await?;
            ties.0.insert(t.id, id);
            done.other += 1;
        }
        for p in from.plan_items(s.id).await? {
            let id = tx
                .insert_plan_item(&PlanItem {
                    id: 0,
                    site_id,
                    ..p.clone()
                })
                .await?;
            plan.0.insert(p.id, id);
            done.other += 1;
        }
        for c in from.corrections(s.id).await? {
            let item_id = match c.item_entity.as_str() {
                "forum" => forums.opt(Some(c.item_id)),
                "fact" => facts.opt(Some(c.item_id)),
                "coding" => codings.opt(Some(c.item_id)),
                "swot_item" => swot.opt(Some(c.item_id)),
                "tie" => ties.opt(Some(c.item_id)),
                "plan_item" => plan.opt(Some(c.item_id)),
                _ => None,
            };
            // A correction about a record since deleted keeps its words; it points nowhere.
            tx.insert_correction(&Correction {
                id: 0,
                site_id,
                item_id: item_id.unwrap_or(0),
                ..c
            })
            .await?;
            done.other += 1;
        }
    }

    for m in from.memos(study.id, None, None).await? {
        let target_id = match m.target {
            MemoTarget::Document => documents.opt(Some(m.target_id)),
            MemoTarget::Coding => codings.opt(Some(m.target_id)),
            MemoTarget::Code => codes.opt(Some(m.target_id)),
            MemoTarget::Site => sites.opt(Some(m.target_id)),
        };
        // A memo outlives what it was written on (nothing typed is lost); such a memo
        // keeps pointing at nothing in the copy too.
        tx.insert_memo(&Memo {
            id: 0,
            study_id,
            target_id: target_id.unwrap_or(0),
            ..m
        })
        .await?;
        done.memos += 1;
    }
    for rows_of in MatrixRows::ALL {
        for c in from.cell_summaries(study.id, *rows_of).await? {
            let row_id = match rows_of {
                MatrixRows::Site => sites.get(c.row_id),
                MatrixRows::Community => communities.get(c.row_id),
                MatrixRows::Forum => forums.get(c.row_id),
            };
            let (Ok(row_id), Ok(code_id)) = (row_id, codes.get(c.code_id)) else {
                continue;
            };
            tx.insert_cell_summary(&CellSummary {
                id: 0,
                study_id,
                row_id,
                code_id,
                ..c
            })
            .await?;
            done.other += 1;
        }
    }
    Ok(done.clone())
}
