//! Edits in the workbench, on a real SQLite file with the demo study: every kind of record
//! created, changed and deleted, each change logged and undone back to exactly what was
//! there; the codebook's tree edits; refusals that leave nothing behind.

use rian_core::Error;
use rian_core::demo::load_demo;
use rian_core::edit::{self, Direction, undo_last};
use rian_core::model::*;
use rian_core::review::{LOCAL_USER, add_coding};
use rian_core::store::Store;

struct Demo {
    _dir: tempfile::TempDir,
    store: Store,
    study: i64,
    site: Site,
    forum: Forum,
    document: Document,
    community: Community,
}

async fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &rian_core::store::scratch_location(dir.path())
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let study = load_demo(&store).await.unwrap().study_id;
    let site = store.find_site("1015").await.unwrap();
    let forum = store.forums(Some(site.id)).await.unwrap().remove(0);
    let document = store.documents(forum.id).await.unwrap().remove(0);
    let community = store.communities(site.id).await.unwrap().remove(0);
    Demo {
        _dir: dir,
        store,
        study,
        site,
        forum,
        document,
        community,
    }
}

fn code_by_key<'a>(codes: &'a [Code], key: &str) -> &'a Code {
    codes.iter().find(|c| c.key == key).unwrap()
}

/// One record of every kind, as a person would add it in the demo study.
async fn one_of_each(d: &Demo) -> Vec<Record> {
    let codes = d.store.codes(d.study).await.unwrap();
    let actor = d.store.actors(d.study).await.unwrap().remove(0);
    vec![
        Record::Code(Code {
            id: 0,
            study_id: d.study,
            parent_id: Some(code_by_key(&codes, "2").id),
            key: "2.x".into(),
            name_th: "ธนาคารขยะ".into(),
            name_en: "Waste bank".into(),
            color: "#aa5500".into(),
            position: 9,
            description: Some("<b>ไม่ใช่ HTML</b>".into()),
        }),
        Record::Coding(Coding {
            id: 0,
            document_id: d.document.id,
            code_id: code_by_key(&codes, "traits").id,
            span: Span { start: 0, end: 5 },
            coder: LOCAL_USER.into(),
            status: CodingStatus::Accepted,
            memo: None,
            cue: None,
        }),
        Record::Memo(Memo {
            id: 0,
            study_id: d.study,
            target: MemoTarget::Site,
            target_id: d.site.id,
            text: "ผู้นำเล่าเรื่องกองทุนสวัสดิการได้ชัดเจน".into(),
            author: LOCAL_USER.into(),
            written_at: String::new(),
        }),
        Record::ForumParty(ForumParty {
            id: 0,
            forum_id: d.forum.id,
            role: PartyRole::Partner,
            name: "สำนักงานเขตธนบุรี".into(),
        }),
        Record::Fact(Fact {
            id: 0,
            document_id: d.document.id,
            kind: FactKind::Figure,
            value: "25 คน".into(),
            number: Some(25.0),
            unit: Some("คน".into()),
            span: None,
        }),
        Record::Community(Community {
            id: 0,
            site_id: d.site.id,
            name_th: "ชุมชนทดลอง".into(),
            note: None,
        }),
        Record::SwotItem(SwotItem {
            id: 0,
            community_id: d.community.id,
            quadrant: Quadrant::Strength,
            text: "ผู้นำเสียสละ".into(),
            position: 0,
            document_id: Some(d.document.id),
            span: Some(Span { start: 3, end: 9 }),
        }),
        Record::Actor(Actor {
            id: 0,
            study_id: d.study,
            name: "มหาวิทยาลัยราชภัฏธนบุรี".into(),
            kind: ActorKind::Academic,
        }),
        Record::Tie(Tie {
            id: 0,
            actor_id: actor.id,
            site_id: d.site.id,
            kind: TieKind::Funding,
            note: Some("งบประมาณปี 2566".into()),
            document_id: None,
            span: None,
        }),
        Record::PlanItem(PlanItem {
            id: 0,
            site_id: d.site.id,
            what: "ขยายกองทุนสวัสดิการ".into(),
            who: Some("สภาองค์กรชุมชน".into()),
            due: IsoDate::from_be(2567, 9, 30),
            status: PlanStatus::InProgress,
            progress: 30,
        }),
        Record::CellSummary(CellSummary {
            id: 0,
            study_id: d.study,
            row_kind: MatrixRows::Site,
            row_id: d.site.id,
            code_id: code_by_key(&codes, "1").id,
            text: "มีกองทุนสวัสดิการและผู้นำเข้มแข็ง".into(),
            author: LOCAL_USER.into(),
            written_at: String::new(),
        }),
        Record::Correction(Correction {
            id: 0,
            site_id: d.site.id,
            item_entity: "forum".into(),
            item_id: d.forum.id,
            statement: "ผู้เข้าร่วม 25 คน".into(),
            text: "ผู้เข้าร่วม 27 คน".into(),
            state: CorrectionState::Open,
            note: None,
            author: LOCAL_USER.into(),
            written_at: String::new(),
        }),
    ]
}

/// Changes a field of each kind that a person would change.
fn changed(r: &Record) -> Record {
    match r.clone() {
        Record::Code(c) => Record::Code(Code {
            name_th: "ธนาคารขยะชุมชน".into(),
            ..c
        }),
        Record::Coding(c) => Record::Coding(Coding {
            status: CodingStatus::Rejected,
            ..c
        }),
        Record::Memo(m) => Record::Memo(Memo {
            text: "แก้แล้ว".into(),
            ..m
        }),
        Record::Forum(f) => Record::Forum(Forum {
            venue: Some("วัด".into()),
            ..f
        }),
        Record::ForumParty(p) => Record::ForumParty(ForumParty {
            name: "เขตธนบุรี".into(),
            ..p
        }),
        Record::Fact(f) => Record::Fact(Fact {
            value: "26 คน".into(),
            number: Some(26.0),
            ..f
        }),
        Record::Community(c) => Record::Community(Community {
            note: Some("ริมคลอง".into()),
            ..c
        }),
        Record::SwotItem(s) => Record::SwotItem(SwotItem {
            quadrant: Quadrant::Opportunity,
            ..s
        }),
        Record::Actor(a) => Record::Actor(Actor {
            kind: ActorKind::Ngo,
            ..a
        }),
        Record::Tie(t) => Record::Tie(Tie { note: None, ..t }),
        Record::PlanItem(p) => Record::PlanItem(PlanItem {
            progress: 100,
            status: PlanStatus::Done,
            ..p
        }),
        Record::CellSummary(c) => Record::CellSummary(CellSummary {
            text: "แก้สรุปแล้ว".into(),
            ..c
        }),
        Record::Correction(c) => Record::Correction(Correction {
            state: CorrectionState::Applied,
            note: Some("แก้จำนวนผู้เข้าร่วมแล้ว".into()),
            ..c
        }),
        Record::DocumentText(t) => Record::DocumentText(DocumentText {
            text: format!("{} แก้แล้ว", t.text),
            ..t
        }),
    }
}

async fn fetch(store: &Store, entity: Entity, id: i64) -> Option<Record> {
    let mut tx = store.begin().await.unwrap();
    tx.fetch(entity, id).await.ok()
}

#[tokio::test]
async fn every_kind_is_created_changed_deleted_and_undone() {
    let d = demo().await;
    for record in one_of_each(&d).await {
        let entity = record.entity();
        let id = edit::create(&d.store, LOCAL_USER, record.clone())
            .await
            .unwrap_or_else(|e| panic!("{entity:?}: {e}"));
        let created = fetch(&d.store, entity, id).await.unwrap();
        assert_eq!(created.entity(), entity);

        let new = changed(&created);
        assert_ne!(new, created, "{entity:?}");
        let before = edit::update(&d.store, LOCAL_USER, new.clone())
            .await
            .unwrap();
        assert_eq!(before, created);
        assert_eq!(fetch(&d.store, entity, id).await.unwrap(), new);

        edit::delete(&d.store, LOCAL_USER, entity, id)
            .await
            .unwrap();
        assert_eq!(fetch(&d.store, entity, id).await, None, "{entity:?}");

        // The log says who did what, with the record before and after.
        let log = d.store.activity(d.study, 3).await.unwrap();
        assert_eq!(
            log.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
            ["delete", "update", "add"],
            "{entity:?}"
        );
        assert!(
            log.iter()
                .all(|a| a.actor == LOCAL_USER && a.entity == entity.as_str())
        );
        assert_eq!(
            Record::from_json(entity, log[1].before.as_deref().unwrap()).unwrap(),
            created
        );
        assert_eq!(
            Record::from_json(entity, log[1].after.as_deref().unwrap()).unwrap(),
            new
        );

        // Undo, step by step: back under the same id, then the old values, then gone.
        assert_eq!(undo_last(&d.store, d.study).await.unwrap(), 1);
        assert_eq!(fetch(&d.store, entity, id).await.unwrap(), new);
        assert_eq!(undo_last(&d.store, d.study).await.unwrap(), 1);
        assert_eq!(fetch(&d.store, entity, id).await.unwrap(), created);
        assert_eq!(undo_last(&d.store, d.study).await.unwrap(), 1);
        assert_eq!(fetch(&d.store, entity, id).await, None, "{entity:?}");
    }
    assert!(d.store.integrity_ok().await.unwrap());
}

#[tokio::test]
async fn the_forum_record_is_corrected_and_marked_reviewed() {
    let d = demo().await;
    let corrected = Forum {
        participants: Some(27),
        date_end: IsoDate::from_be(2566, 4, 1),
        reviewed_at: Some("2026-11-24 10:00:00".into()),
        reviewed_by: Some(LOCAL_USER.into()),
        ..d.forum.clone()
    };
    edit::update(&d.store, LOCAL_USER, Record::Forum(corrected.clone()))
        .await
        .unwrap();
    assert_eq!(d.store.forum(d.forum.id).await.unwrap(), corrected);
    // An end before the start is refused and nothing changes.
    let err = edit::update(
        &d.store,
        LOCAL_USER,
        Record::Forum(Forum {
            date_end: IsoDate::from_be(2566, 3, 1),
            ..corrected.clone()
        }),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Invalid {
                field: "date_end",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(d.store.forum(d.forum.id).await.unwrap(), corrected);
    undo_last(&d.store, d.study).await.unwrap();
    assert_eq!(d.store.forum(d.forum.id).await.unwrap(), d.forum);
}

#[tokio::test]
async fn refusals_write_nothing() {
    let d = demo().await;
    let logged = d.store.activity(d.study, 1000).await.unwrap().len();
    let bad = [
        Record::Memo(Memo {
            id: 0,
            study_id: d.study,
            target: MemoTarget::Site,
            target_id: d.site.id,
            text: "   ".into(),
            author: LOCAL_USER.into(),
            written_at: String::new(),
        }),
        Record::PlanItem(PlanItem {
            id: 0,
            site_id: d.site.id,
            what: "ทำ".into(),
            who: None,
            due: None,
            status: PlanStatus::Proposed,
            progress: 101,
        }),
        Record::Code(Code {
            id: 0,
            study_id: d.study,
            parent_id: None,
            key: "z".into(),
            name_th: "รหัส".into(),
            name_en: String::new(),
            color: "red".into(),
            position: 0,
            description: None,
        }),
        Record::Actor(Actor {
            id: 0,
            study_id: d.study,
            name: d.store.actors(d.study).await.unwrap()[0].name.clone(),
            kind: ActorKind::Fund,
        }),
        Record::SwotItem(SwotItem {
            id: 0,
            community_id: d.community.id,
            quadrant: Quadrant::Threat,
            text: "ก".repeat(edit::MAX_TEXT_CHARS + 1),
            position: 0,
            document_id: None,
            span: None,
        }),
    ];
    for record in bad {
        let err = edit::create(&d.store, LOCAL_USER, record.clone())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{record:?}: {err}");
        // The message is one line, Thai first, then English.
        let message = err.to_string();
        assert!(
            !message.contains('\n') && message.contains(" / "),
            "{message}"
        );
    }
    assert_eq!(d.store.activity(d.study, 1000).await.unwrap().len(), logged);
    assert!(d.store.swot_items(d.community.id).await.unwrap().is_empty());
    assert!(d.store.plan_items(d.site.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn deleting_a_code_takes_its_codings_and_undo_brings_all_back() {
    let d = demo().await;
    let codes = d.store.codes(d.study).await.unwrap();
    let part2 = code_by_key(&codes, "2");
    let child = code_by_key(&codes, "2.1");
    add_coding(
        &d.store,
        d.document.id,
        part2.id,
        Span { start: 0, end: 4 },
        LOCAL_USER,
    )
    .await
    .unwrap();
    add_coding(
        &d.store,
        d.document.id,
        child.id,
        Span { start: 10, end: 14 },
        LOCAL_USER,
    )
    .await
    .unwrap();
    let before_codes = d.store.codes(d.study).await.unwrap();
    let before_codings = d.store.codings(d.document.id).await.unwrap();
    // The demo's own codings under part 2, and the two above.
    let part2_codes: Vec<i64> = before_codes
        .iter()
        .filter(|c| c.key.starts_with('2'))
        .map(|c| c.id)
        .collect();
    let under_part2 = before_codings
        .iter()
        .filter(|c| part2_codes.contains(&c.code_id))
        .count();
    assert_eq!(under_part2, 4);

    edit::delete(&d.store, LOCAL_USER, Entity::Code, part2.id)
        .await
        .unwrap();
    let after = d.store.codes(d.study).await.unwrap();
    assert!(after.iter().all(|c| !c.key.starts_with('2')));
    let left = d.store.codings(d.document.id).await.unwrap();
    assert_eq!(left.len(), before_codings.len() - under_part2);
    assert!(left.iter().all(|c| !part2_codes.contains(&c.code_id)));

    // One step of undo restores the code, its sub-codes and every coding.
    let n = undo_last(&d.store, d.study).await.unwrap();
    assert_eq!(n, before_codes.len() - after.len() + under_part2);
    assert_eq!(d.store.codes(d.study).await.unwrap(), before_codes);
    assert_eq!(
        d.store.codings(d.document.id).await.unwrap(),
        before_codings
    );
}

#[tokio::test]
async fn codes_are_added_moved_merged_and_never_put_under_themselves() {
    let d = demo().await;
    let codes = d.store.codes(d.study).await.unwrap();
    let part2 = code_by_key(&codes, "2").clone();
    let template = Code {
        id: 0,
        study_id: d.study,
        parent_id: Some(part2.id),
        key: String::new(),
        name_th: "ธนาคารขยะ".into(),
        name_en: "Waste bank".into(),
        color: "#884400".into(),
        position: 0,
        description: None,
    };
    let waste = edit::add_code(&d.store, LOCAL_USER, template.clone())
        .await
        .unwrap();
    let recycle = edit::add_code(
        &d.store,
        LOCAL_USER,
        Code {
            name_th: "รีไซเคิล".into(),
            ..template.clone()
        },
    )
    .await
    .unwrap();
    let codes = d.store.codes(d.study).await.unwrap();
    let kids: Vec<&Code> = codes
        .iter()
        .filter(|c| c.parent_id == Some(part2.id))
        .collect();
    let w = codes.iter().find(|c| c.id == waste).unwrap();
    let r = codes.iter().find(|c| c.id == recycle).unwrap();
    assert!(w.key.starts_with("2.") && r.key.starts_with("2.") && w.key != r.key);
    assert!(kids.iter().all(|k| k.position <= r.position));

    // Up one place: the new code swaps with the one before it.
    edit::move_code(&d.store, LOCAL_USER, recycle, Direction::Up)
        .await
        .unwrap();
    let order = |codes: Vec<Code>| {
        let mut kids: Vec<Code> = codes
            .into_iter()
            .filter(|c| c.parent_id == Some(part2.id))
            .collect();
        kids.sort_by_key(|c| (c.position, c.id));
        kids.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };
    let now = order(d.store.codes(d.study).await.unwrap());
    assert_eq!(&now[now.len() - 2..], [recycle, waste]);

    // A code cannot go under its own sub-code.
    let err = edit::reparent_code(&d.store, LOCAL_USER, part2.id, Some(waste))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Invalid {
                field: "parent",
                ..
            }
        ),
        "{err}"
    );

    // Merging keeps every coding.
    add_coding(
        &d.store,
        d.document.id,
        recycle,
        Span { start: 0, end: 4 },
        LOCAL_USER,
    )
    .await
    .unwrap();
    let moved = edit::merge_codes(&d.store, LOCAL_USER, recycle, waste)
        .await
        .unwrap();
    assert_eq!(moved, 1);
    let codings = d.store.codings(d.document.id).await.unwrap();
    assert_eq!(codings.iter().filter(|c| c.code_id == waste).count(), 1);
    assert!(!codings.iter().any(|c| c.code_id == recycle));
    assert!(
        d.store
            .codes(d.study)
            .await
            .unwrap()
            .iter()
            .all(|c| c.id != recycle)
    );
    assert!(matches!(
        edit::merge_codes(&d.store, LOCAL_USER, part2.id, waste).await,
        Err(Error::Invalid { field: "into", .. })
    ));
    // And the merge is undone in one step.
    undo_last(&d.store, d.study).await.unwrap();
    let codings = d.store.codings(d.document.id).await.unwrap();
    assert_eq!(codings[0].code_id, recycle);

    // Moved to the top level, last.
    edit::reparent_code(&d.store, LOCAL_USER, waste, None)
        .await
        .unwrap();
    let codes = d.store.codes(d.study).await.unwrap();
    let top: Vec<&Code> = codes.iter().filter(|c| c.parent_id.is_none()).collect();
    let w = codes.iter().find(|c| c.id == waste).unwrap();
    assert!(top.iter().all(|c| c.position <= w.position));
}

#[tokio::test]
async fn swot_items_reorder_within_their_quadrant() {
    let d = demo().await;
    let mut ids = Vec::new();
    for text in ["หนึ่ง", "สอง", "สาม"] {
        let position = edit::next_swot_position(&d.store, d.community.id, Quadrant::Weakness)
            .await
            .unwrap();
        ids.push(
            edit::create(
                &d.store,
                LOCAL_USER,
                Record::SwotItem(SwotItem {
                    id: 0,
                    community_id: d.community.id,
                    quadrant: Quadrant::Weakness,
                    text: text.into(),
                    position,
                    document_id: None,
                    span: None,
                }),
            )
            .await
            .unwrap(),
        );
    }
    edit::move_swot_item(&d.store, LOCAL_USER, ids[2], Direction::Up)
        .await
        .unwrap();
    edit::move_swot_item(&d.store, LOCAL_USER, ids[0], Direction::Up)
        .await
        .unwrap(); // already first: nothing happens
    let texts: Vec<String> = d
        .store
        .swot_items(d.community.id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert_eq!(texts, ["หนึ่ง", "สาม", "สอง"]);
}

#[tokio::test]
async fn memos_are_many_per_item_and_found_by_thai_words() {
    let d = demo().await;
    let memo = |target, target_id, text: &str| {
        Record::Memo(Memo {
            id: 0,
            study_id: d.study,
            target,
            target_id,
            text: text.into(),
            author: LOCAL_USER.into(),
            written_at: String::new(),
        })
    };
    for r in [
        memo(MemoTarget::Document, d.document.id, "ตรวจวันที่กับผู้จัดแล้ว"),
        memo(
            MemoTarget::Document,
            d.document.id,
            "ย่อหน้าที่ 3 พูดถึงกองทุนสวัสดิการ",
        ),
        memo(MemoTarget::Site, d.site.id, "กองทุนสวัสดิการเข้มแข็ง 100%"),
    ] {
        edit::create(&d.store, LOCAL_USER, r).await.unwrap();
    }
    let on_doc = d
        .store
        .memos(d.study, Some((MemoTarget::Document, d.document.id)), None)
        .await
        .unwrap();
    assert_eq!(on_doc.len(), 2);
    assert!(on_doc.iter().all(|m| !m.written_at.is_empty()));
    let found = d
        .store
        .memos(d.study, None, Some("กองทุนสวัสดิการ"))
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    // LIKE's wildcards in a query are taken literally.
    let found = d.store.memos(d.study, None, Some("100%")).await.unwrap();
    assert_eq!(found.len(), 1);
    assert!(
        d.store
            .memos(d.study, None, Some("_"))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn revising_a_text_moves_codings_and_keeps_the_ones_whose_words_went() {
    let d = demo().await;
    let old = d.document.text.clone();
    let quotes_before = d
        .store
        .quotes(
            &d.store
                .codings(d.document.id)
                .await
                .unwrap()
                .iter()
                .map(|c| c.id)
                .collect::<Vec<_>>(),
        )
        .await
        .unwrap();
    // The community corrects a figure and asks for one sentence to be taken out.
    let removed = "Thai PBS มาถ่ายทำรายการในพื้นที่ และ WHO มาศึกษาดูงาน";
    assert!(old.contains(removed) && old.contains("43 ชุมชน"));
    let new = old
        .replace(removed, "")
        .replace("43 ชุมชน", "45 ชุมชน")
        .replace("# บันทึก", "# บันทึกฉบับแก้ไข บันทึก");
    let revision = edit::revise_text(&d.store, LOCAL_USER, d.document.id, &new)
        .await
        .unwrap();
    assert_eq!(revision.detached.len(), 1, "{revision:?}");
    assert!(revision.moved >= 9, "{revision:?}");

    let stored = d.store.document(d.document.id).await.unwrap();
    assert_eq!(stored.text, rian_core::thai::normalize(&new));
    // Every other passage still says what it said, except the corrected figure.
    let codings = d.store.codings(d.document.id).await.unwrap();
    let after = d
        .store
        .quotes(&codings.iter().map(|c| c.id).collect::<Vec<_>>())
        .await
        .unwrap();
    for q in &quotes_before {
        let now = after.iter().find(|a| a.coding_id == q.coding_id).unwrap();
        if q.text == removed {
            continue;
        }
        assert_eq!(now.text, q.text.replace("43 ชุมชน", "45 ชุมชน"));
    }
    // The removed passage's coding is kept, detached, with its words, for review; the
    // analyses no longer count it.
    let detached = d.store.detached_codings(d.document.id).await.unwrap();
    assert_eq!(detached.len(), 1);
    assert_eq!(detached[0].removed_text, removed);
    assert_eq!(detached[0].previous_status, CodingStatus::Accepted);
    assert_eq!(detached[0].coding.status, CodingStatus::Detached);
    let passages = d.store.coded_passages(d.study).await.unwrap();
    assert_eq!(passages.len(), 9);
    assert!(
        !passages
            .iter()
            .any(|p| p.coding_id == detached[0].coding.id)
    );

    // A second revision leaves the detached coding alone.
    let again = edit::revise_text(
        &d.store,
        LOCAL_USER,
        d.document.id,
        &format!("{new}\nเพิ่มเติม"),
    )
    .await
    .unwrap();
    assert!(again.detached.is_empty());
    undo_last(&d.store, d.study).await.unwrap();

    // One undo puts the text and every span back.
    undo_last(&d.store, d.study).await.unwrap();
    assert_eq!(d.store.document(d.document.id).await.unwrap().text, old);
    let restored = d
        .store
        .quotes(
            &quotes_before
                .iter()
                .map(|q| q.coding_id)
                .collect::<Vec<_>>(),
        )
        .await
        .unwrap();
    assert_eq!(restored, quotes_before);
    assert_eq!(d.store.coded_passages(d.study).await.unwrap().len(), 10);

    // An empty text is refused and changes nothing.
    let err = edit::revise_text(&d.store, LOCAL_USER, d.document.id, "  \n ")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid { field: "text", .. }), "{err}");
    assert_eq!(d.store.document(d.document.id).await.unwrap().text, old);
}

#[tokio::test]
async fn a_forum_record_goes_draft_checked_final_with_its_history() {
    let d = demo().await;
    let f = d.forum.id;
    assert_eq!(d.store.record_state(f).await.unwrap(), RecordState::Draft);
    // Not straight to final.
    let err = d
        .store
        .step_record(f, RecordState::Final, LOCAL_USER, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid { field: "state", .. }),
        "{err}"
    );
    d.store
        .step_record(
            f,
            RecordState::Checked,
            LOCAL_USER,
            Some("ประธานชุมชนตรวจแล้ว"),
        )
        .await
        .unwrap();
    d.store
        .step_record(f, RecordState::Final, LOCAL_USER, None)
        .await
        .unwrap();
    // A final record's text is not revised, and reopening it needs a reason.
    let err = edit::revise_text(&d.store, LOCAL_USER, d.document.id, "ข้อความใหม่")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid { field: "text", .. }), "{err}");
    let err = d
        .store
        .step_record(f, RecordState::Draft, LOCAL_USER, Some("  "))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid { field: "note", .. }), "{err}");
    d.store
        .step_record(f, RecordState::Draft, LOCAL_USER, Some("ชุมชนขอแก้ตัวเลข"))
        .await
        .unwrap();
    let steps = d.store.record_steps(f).await.unwrap();
    let states: Vec<RecordState> = steps.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [RecordState::Checked, RecordState::Final, RecordState::Draft]
    );
    assert_eq!(steps[0].note.as_deref(), Some("ประธานชุมชนตรวจแล้ว"));
    assert_eq!(steps[2].note.as_deref(), Some("ชุมชนขอแก้ตัวเลข"));
    edit::revise_text(&d.store, LOCAL_USER, d.document.id, "ข้อความใหม่")
        .await
        .unwrap();
    let err = d
        .store
        .step_record(999_999, RecordState::Checked, LOCAL_USER, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
}

/// Many people coding at once: every change is saved, none refused with "database is
/// locked" (on SQLite a change that reads before it writes must hold the write lock from
/// its start, or a concurrent writer makes it fail at once instead of waiting).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_codings_and_memos_are_all_saved() {
    let d = demo().await;
    let code = d.store.codes(d.study).await.unwrap()[0].id;
    let mut tasks = Vec::new();
    for t in 0..8i64 {
        let (store, document, study, site) = (d.store.clone(), d.document.id, d.study, d.site.id);
        tasks.push(tokio::spawn(async move {
            for i in 0..15i64 {
                let start = (t * 97 + i * 13) % 400;
                add_coding(
                    &store,
                    document,
                    code,
                    Span {
                        start,
                        end: start + 6,
                    },
                    &format!("coder-{t}"),
                )
                .await?;
                edit::create(
                    &store,
                    LOCAL_USER,
                    Record::Memo(Memo {
                        id: 0,
                        study_id: study,
                        target: MemoTarget::Site,
                        target_id: site,
                        text: format!("บันทึก {t}-{i}"),
                        author: String::new(),
                        written_at: String::new(),
                    }),
                )
                .await?;
            }
            Ok::<_, Error>(())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let memos = d.store.memos(d.study, None, None).await.unwrap();
    assert_eq!(
        memos.iter().filter(|m| m.text.starts_with("บันทึก ")).count(),
        8 * 15
    );
}
