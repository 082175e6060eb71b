//! The study store, walked through on a real SQLite file: every entity written and read
//! back, migrations on an empty file, the demo loaded twice, an import whole or absent.

use rian_core::Error;
use rian_core::demo::{DEMO_STUDY_SLUG, load_demo};
use rian_core::model::*;
use rian_core::pipeline::{ImportRequest, SiteRef, import_document};
use rian_core::store::{Location, Store};

async fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &rian_core::store::scratch_location(dir.path())
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    (dir, store)
}

#[tokio::test]
async fn migrations_create_an_empty_store_and_reopen_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/rian.sqlite");
    let store = Store::open(&Location::Sqlite(path.clone())).await.unwrap();
    assert!(store.studies().await.unwrap().is_empty());
    assert!(store.integrity_ok().await.unwrap());
    store.close().await;
    // A second open runs no migration twice and finds the same (empty) record.
    let store = Store::open(&Location::Sqlite(path)).await.unwrap();
    assert!(store.studies().await.unwrap().is_empty());
}

#[tokio::test]
async fn locations_read_as_written_and_never_show_a_password() {
    // The password never shows when a location is printed.
    let shown = Location::parse("postgres://u:secret@db/rian")
        .unwrap()
        .to_string();
    assert!(!shown.contains("secret"), "{shown}");
    assert_eq!(shown, "postgres://…@db/rian");
    // A server store keeps its search index in the data directory, named for the database.
    let resolved = Location::resolve(
        Some("postgres://u@db:5432/rian_2567?sslmode=disable"),
        std::path::Path::new("/srv/rian"),
    )
    .unwrap();
    assert_eq!(
        resolved,
        Location::Postgres {
            url: "postgres://u@db:5432/rian_2567?sslmode=disable".into(),
            index: "/srv/rian/rian_2567.index".into(),
        }
    );
    assert!(Location::parse("mysql://x").is_err());
    assert_eq!(
        Location::parse("sqlite:///tmp/a.sqlite").unwrap(),
        Location::Sqlite("/tmp/a.sqlite".into())
    );
}

#[tokio::test]
async fn a_server_that_cannot_be_reached_is_said_in_one_line() {
    // Nothing listens on port 1.
    let err = Store::open(&Location::parse("postgres://u:secret@127.0.0.1:1/rian").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err}");
    let said = err.to_string();
    assert!(
        said.contains("PostgreSQL") && !said.contains('\n'),
        "{said}"
    );
    assert!(!said.contains("secret"), "{said}");
}

#[tokio::test]
async fn a_scratch_store_opens_twice_and_migrates_once() {
    // On SQLite or, with RIAN_TEST_POSTGRES, on a new server database.
    let dir = tempfile::tempdir().unwrap();
    let location = rian_core::store::scratch_location(dir.path())
        .await
        .unwrap();
    let store = Store::open(&location).await.unwrap();
    assert!(store.studies().await.unwrap().is_empty());
    assert!(store.integrity_ok().await.unwrap());
    load_demo(&store).await.unwrap();
    store.close().await;
    let store = Store::open(&location).await.unwrap();
    assert_eq!(store.studies().await.unwrap().len(), 1);
    // The store's clock reads as every stored time does.
    let now = store.now().await.unwrap();
    assert_eq!(now.len(), 19, "{now}");
    assert_eq!(&now[10..11], " ", "{now}");
}

#[tokio::test]
async fn every_entity_round_trips() {
    let (_dir, store) = fresh().await;
    let mut tx = store.begin().await.unwrap();
    let mut study = Study {
        id: 0,
        slug: "s".into(),
        name_th: "การศึกษาทดสอบ".into(),
        name_en: None,
        fiscal_year_be: 2567,
        framework: "five_part".into(),
    };
    study.id = tx.insert_study(&study).await.unwrap();
    let mut site = Site {
        id: 0,
        study_id: study.id,
        position: 1,
        name_th: "ตัวอย่าง".into(),
        level: AdminLevel::Tambon,
        district_th: Some("อำเภอสมมุติ".into()),
        province_th: "สตูล".into(),
        admin_code: None,
        lat: Some(6.9),
        lon: Some(99.7),
        fictional: true,
    };
    site.id = tx.insert_site(&site).await.unwrap();
    let mut community = Community {
        id: 0,
        site_id: site.id,
        name_th: "ชุมชนทดสอบ".into(),
        note: Some("หมายเหตุ".into()),
    };
    community.id = tx.insert_community(&community).await.unwrap();
    let mut forum = Forum {
        id: 0,
        site_id: site.id,
        kind: ForumKind::FocusGroup,
        status: ForumStatus::Held,
        title: Some("เวที".into()),
        date: IsoDate::from_be(2567, 2, 29),
        date_end: IsoDate::from_be(2567, 3, 1),
        venue: Some("ศาลาประชาคม".into()),
        participants: Some(40),
        reviewed_at: None,
        reviewed_by: None,
    };
    forum.id = tx.insert_forum(&forum).await.unwrap();
    let mut party = ForumParty {
        id: 0,
        forum_id: forum.id,
        role: PartyRole::Academic,
        name: "มหาวิทยาลัยตัวอย่าง".into(),
    };
    party.id = tx.insert_forum_party(&party).await.unwrap();
    let mut attendee = Attendee {
        id: 0,
        forum_id: forum.id,
        name: "นายทดสอบ ใจดี".into(),
        phone: Some("0810000000".into()),
        role: Some("ประธาน".into()),
    };
    attendee.id = tx.insert_attendee(&attendee).await.unwrap();
    let original = "\u{FEFF}ข้อความ\r\n".as_bytes().to_vec();
    let mut document = Document {
        id: 0,
        forum_id: forum.id,
        title: "บันทึก".into(),
        source_name: Some("notes.txt".into()),
        media_type: "text/plain".into(),
        original: original.clone(),
        text: "ข้อความ\n".into(),
        content_hash: content_hash(&original),
    };
    document.id = tx.insert_document(&document).await.unwrap();
    let mut code = Code {
        id: 0,
        study_id: study.id,
        parent_id: None,
        key: "x".into(),
        name_th: "รหัส".into(),
        name_en: "Code".into(),
        color: "#123456".into(),
        position: 0,
        description: Some("คำอธิบาย".into()),
    };
    code.id = tx.insert_code(&code).await.unwrap();
    let mut child = Code {
        id: 0,
        parent_id: Some(code.id),
        key: "x.1".into(),
        position: 1,
        description: None,
        ..code.clone()
    };
    child.id = tx.insert_code(&child).await.unwrap();
    let mut coding = Coding {
        id: 0,
        document_id: document.id,
        code_id: child.id,
        span: Span { start: 0, end: 7 },
        coder: "rian".into(),
        status: CodingStatus::Suggested,
        memo: Some("ตรวจอีกครั้ง".into()),
        cue: Some("ประวัติ".into()),
    };
    coding.id = tx.insert_coding(&coding).await.unwrap();
    let mut fact = Fact {
        id: 0,
        document_id: document.id,
        kind: FactKind::Figure,
        value: "40 คน".into(),
        number: Some(40.0),
        unit: Some("คน".into()),
        span: Some(Span { start: 1, end: 3 }),
    };
    fact.id = tx.insert_fact(&fact).await.unwrap();
    let mut swot = SwotItem {
        id: 0,
        community_id: community.id,
        quadrant: Quadrant::Opportunity,
        text: "มีเครือข่าย".into(),
        position: 0,
        document_id: Some(document.id),
        span: Some(Span { start: 0, end: 2 }),
    };
    swot.id = tx.insert_swot_item(&swot).await.unwrap();
    let mut actor = Actor {
        id: 0,
        study_id: study.id,
        name: "WHO".into(),
        kind: ActorKind::International,
    };
    actor.id = tx.insert_actor(&actor).await.unwrap();
    let mut tie = Tie {
        id: 0,
        actor_id: actor.id,
        site_id: site.id,
        kind: TieKind::StudyVisit,
        note: None,
        document_id: None,
        span: None,
    };
    tie.id = tx.insert_tie(&tie).await.unwrap();
    let mut plan = PlanItem {
        id: 0,
        site_id: site.id,
        what: "จัดตั้งกองทุน".into(),
        who: Some("สภาองค์กรชุมชน".into()),
        due: IsoDate::from_be(2568, 9, 30),
        status: PlanStatus::InProgress,
        progress: 40,
    };
    plan.id = tx.insert_plan_item(&plan).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(store.study(study.id).await.unwrap(), study);
    assert_eq!(store.site(site.id).await.unwrap(), site);
    assert_eq!(store.communities(site.id).await.unwrap(), [community]);
    assert_eq!(store.forum(forum.id).await.unwrap(), forum);
    assert_eq!(store.forums(Some(site.id)).await.unwrap(), [forum.clone()]);
    assert_eq!(store.forum_parties(forum.id).await.unwrap(), [party]);
    assert_eq!(store.attendees(forum.id).await.unwrap(), [attendee]);
    let back = store.document(document.id).await.unwrap();
    assert_eq!(back.original, original, "bytes kept as imported");
    assert_eq!(back, document);
    assert_eq!(store.codes(study.id).await.unwrap(), [code, child]);
    assert_eq!(store.codings(document.id).await.unwrap(), [coding]);
    assert_eq!(store.facts(document.id).await.unwrap(), [fact]);
    assert_eq!(store.swot_items(swot.community_id).await.unwrap(), [swot]);
    assert_eq!(store.actors(study.id).await.unwrap(), [actor]);
    assert_eq!(store.ties(site.id).await.unwrap(), [tie]);
    assert_eq!(store.plan_items(site.id).await.unwrap(), [plan]);

    // A site's status is derived: a suggested coding does not make it "coded".
    let overview = store.site_overview(site.id).await.unwrap();
    assert_eq!(overview.status, SiteStatus::ForumHeld);
    assert_eq!((overview.forums, overview.communities), (1, 1));
    assert!(store.integrity_ok().await.unwrap());
}

/// Statements are prepared once per connection and reused; a number left empty, then
/// given, then empty again must read back each time (on PostgreSQL a cached statement
/// first seen with a NULL of another type refused the next value).
#[tokio::test]
async fn numbers_given_and_left_empty_read_back_through_reused_statements() {
    let (_dir, store) = fresh().await;
    let mut tx = store.begin().await.unwrap();
    let study = tx
        .insert_study(&Study {
            id: 0,
            slug: "n".into(),
            name_th: "ตัวเลข".into(),
            name_en: None,
            fiscal_year_be: 2567,
            framework: "five_part".into(),
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let given = [
        None,
        Some(6.9),
        None,
        Some(-0.000_123_456_789_012_3),
        Some(99.75),
        None,
    ];
    for round in 0..3 {
        for (i, lat) in given.iter().enumerate() {
            let site = Site {
                id: 0,
                study_id: study,
                position: (round * 10 + i) as i64,
                name_th: format!("พื้นที่ {round} {i}"),
                level: AdminLevel::Tambon,
                district_th: None,
                province_th: "สตูล".into(),
                admin_code: None,
                lat: *lat,
                lon: lat.map(|v| v + 90.0),
                fictional: true,
            };
            let mut tx = store.begin().await.unwrap();
            let id = tx.insert_site(&site).await.unwrap();
            tx.commit().await.unwrap();
            let back = store.site(id).await.unwrap();
            assert_eq!(
                (back.lat, back.lon),
                (site.lat, site.lon),
                "round {round}, {i}"
            );
        }
    }
}

#[tokio::test]
async fn a_failed_write_leaves_nothing() {
    let (_dir, store) = fresh().await;
    let mut tx = store.begin().await.unwrap();
    let study_id = tx
        .insert_study(&Study {
            id: 0,
            slug: "a".into(),
            name_th: "ก".into(),
            name_en: None,
            fiscal_year_be: 2566,
            framework: "x".into(),
        })
        .await
        .unwrap();
    // A forum at a site that does not exist breaks a foreign key.
    let err = tx
        .insert_forum(&Forum {
            id: 0,
            site_id: 999,
            kind: ForumKind::Other,
            status: ForumStatus::Planned,
            title: None,
            date: None,
            date_end: None,
            venue: None,
            participants: None,
            reviewed_at: None,
            reviewed_by: None,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Database(_)), "{err}");
    drop(tx);
    assert!(store.studies().await.unwrap().is_empty());
    assert!(matches!(
        store.study(study_id).await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn demo_loads_once_with_the_study_frame() {
    let (_dir, store) = fresh().await;
    let first = load_demo(&store).await.unwrap();
    assert!(first.created);
    let second = load_demo(&store).await.unwrap();
    assert!(!second.created);
    assert_eq!(first.study_id, second.study_id);
    assert_eq!(store.studies().await.unwrap().len(), 1);

    let study = store.study(first.study_id).await.unwrap();
    assert_eq!(study.slug, DEMO_STUDY_SLUG);
    assert_eq!(
        study.name_th,
        "โครงการศึกษาเพื่อถอดองค์ความรู้การพัฒนาตำบลเข้มแข็ง ประจำปี 2566"
    );
    let sites = store.site_overviews(study.id).await.unwrap();
    let names: Vec<_> = sites.iter().map(|s| s.site.name_th.as_str()).collect();
    assert_eq!(
        names,
        [
            "ธนบุรี",
            "พระแท่น",
            "หนองบัว",
            "ท้อแท้",
            "ท่าหมื่นราม",
            "ดงใหญ่",
            "เขื่อน",
            "คลองหินปูน",
            "นาทอน",
            "ตะลุบัน"
        ]
    );
    assert!(sites.iter().all(|s| s.site.admin_code.is_some()));
    assert_eq!(sites[0].status, SiteStatus::Coded);
    assert!(sites[1..].iter().all(|s| s.status == SiteStatus::Planned));

    let thonburi = store.find_site("1015").await.unwrap();
    assert_eq!(store.find_site("เขตธนบุรี").await.unwrap(), thonburi);
    assert_eq!(store.find_site("ธนบุรี").await.unwrap(), thonburi);
    assert_eq!(
        store
            .find_site("ต.พระแท่น")
            .await
            .unwrap()
            .admin_code
            .as_deref(),
        Some("710512")
    );
    let forums = store.forums(Some(thonburi.id)).await.unwrap();
    assert_eq!(forums[0].date.unwrap().display(Lang::Th), "31 มีนาคม 2566");
    assert_eq!(forums[0].participants, Some(25));
    assert_eq!(store.documents(forums[0].id).await.unwrap().len(), 1);
    let communities = store.communities(thonburi.id).await.unwrap();
    assert_eq!(communities.len(), 3);
    let codes = store.codes(study.id).await.unwrap();
    assert_eq!(codes.len(), default_codebook().len());
}

#[tokio::test]
async fn import_extracts_facts_and_suggests_codes_once() {
    let (dir, store) = fresh().await;
    load_demo(&store).await.unwrap();
    // A made-up forum, written for this test.
    let path = dir.path().join("forum.txt");
    std::fs::write(
        &path,
        "เมื่อวันศุกร์ที่ 9 มิถุนายน 2566 ณ ศาลาวัด ต.พระแท่น อ.ท่ามะกา จ.กาญจนบุรี \
         สภาองค์กรชุมชนตำบลพระแท่น จัดเวทีสรุปบทเรียน มีผู้เข้าร่วม 32 คน \
         ผู้เข้าร่วมเล่าประวัติชุมชนและประเพณีท้องถิ่น แกนนำมีความเสียสละ",
    )
    .unwrap();
    let request = ImportRequest {
        path: &path,
        site: SiteRef::Named("พระแท่น"),
        forum_id: None,
        kind: ForumKind::LessonsLearned,
        date: None,
    };
    let first = import_document(&store, &request).await.unwrap();
    assert!(first.new_document && first.forum_created);
    let forum = store.forum(first.forum_id).await.unwrap();
    assert_eq!(forum.date, IsoDate::parse("2023-06-09"));
    assert_eq!(forum.participants, Some(32));
    assert_eq!(forum.status, ForumStatus::Held);
    assert!(forum.venue.unwrap().starts_with("ศาลาวัด"));

    let facts = store.facts(first.document_id).await.unwrap();
    assert_eq!(facts.len(), first.facts);
    let doc = store.document(first.document_id).await.unwrap();
    let chars: Vec<char> = doc.text.chars().collect();
    let quoted = |s: &Span| {
        chars[s.start as usize..s.end as usize]
            .iter()
            .collect::<String>()
    };
    let place = facts.iter().find(|f| f.value == "กาญจนบุรี").unwrap();
    assert_eq!(quoted(&place.span.unwrap()), "จ.กาญจนบุรี");
    let figure = facts.iter().find(|f| f.kind == FactKind::Figure).unwrap();
    assert_eq!(
        (figure.number, figure.unit.as_deref()),
        (Some(32.0), Some("คน"))
    );

    let codings = store.codings(first.document_id).await.unwrap();
    assert_eq!(codings.len(), first.suggestions);
    assert!(
        codings
            .iter()
            .all(|c| c.status == CodingStatus::Suggested && c.cue.is_some())
    );
    let codes = store
        .codes(forum_site_study(&store, forum.site_id).await)
        .await
        .unwrap();
    let profile = codes.iter().find(|c| c.key == "1").unwrap();
    let history = codings.iter().find(|c| c.code_id == profile.id).unwrap();
    assert!(quoted(&history.span).contains("ประวัติ"));
    assert_eq!(history.cue.as_deref(), Some("ประวัติ"));

    // The same bytes again: recognized, nothing written.
    let again = import_document(&store, &request).await.unwrap();
    assert!(!again.new_document);
    assert_eq!(again.document_id, first.document_id);
    assert_eq!(store.forums(Some(forum.site_id)).await.unwrap().len(), 1);
}

async fn forum_site_study(store: &Store, site_id: i64) -> i64 {
    store.site(site_id).await.unwrap().study_id
}

#[tokio::test]
async fn import_is_whole_or_absent() {
    let (dir, store) = fresh().await;
    load_demo(&store).await.unwrap();
    let good = dir.path().join("บันทึก.txt");
    std::fs::write(&good, "เวทีสรุปบทเรียน\r\nตำบลพระแท่น").unwrap();
    let request = ImportRequest {
        path: &good,
        site: SiteRef::Named("710512"),
        forum_id: None,
        kind: ForumKind::LessonsLearned,
        date: None,
    };
    let imported = import_document(&store, &request).await.unwrap();
    assert!(imported.forum_created);
    let doc = store.document(imported.document_id).await.unwrap();
    assert_eq!(doc.text, "เวทีสรุปบทเรียน\nตำบลพระแท่น");
    assert_eq!(doc.title, "บันทึก");

    let forums_before = store.forums(None).await.unwrap().len();
    let bad = dir.path().join("binary.txt");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let err = import_document(
        &store,
        &ImportRequest {
            path: &bad,
            ..request.clone()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Undecodable { .. }), "{err}");
    let err = import_document(
        &store,
        &ImportRequest {
            site: SiteRef::Named("ไม่มีจริง"),
            ..request.clone()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::UnknownSite(_)), "{err}");
    assert_eq!(store.forums(None).await.unwrap().len(), forums_before);

    // A legacy TIS-620 file is read as Thai; its bytes are kept as they were.
    let tis = dir.path().join("tis620.txt");
    let tis_bytes = [0xE0, 0xC7, 0xB7, 0xD5, 0xCA, 0xC3, 0xD8, 0xBB];
    std::fs::write(&tis, tis_bytes).unwrap();
    let imported = import_document(
        &store,
        &ImportRequest {
            path: &tis,
            ..request
        },
    )
    .await
    .unwrap();
    let doc = store.document(imported.document_id).await.unwrap();
    assert_eq!(doc.text, "เวทีสรุป");
    assert_eq!(doc.original, tis_bytes);
}

#[tokio::test]
async fn accepting_suggestions_is_logged_and_undone_together() {
    use rian_core::edit::undo_last;
    use rian_core::review::{LOCAL_USER, set_status};
    let (dir, store) = fresh().await;
    load_demo(&store).await.unwrap();
    // A made-up forum, written for this test.
    let path = dir.path().join("notes.txt");
    std::fs::write(
        &path,
        "เมื่อวันที่ 9 มิถุนายน 2566 ผู้เข้าร่วมเล่าประวัติชุมชนและประเพณี แกนนำมีความเสียสละ",
    )
    .unwrap();
    let imported = import_document(
        &store,
        &ImportRequest {
            path: &path,
            site: SiteRef::Named("นาทอน"),
            forum_id: None,
            kind: ForumKind::LessonsLearned,
            date: None,
        },
    )
    .await
    .unwrap();
    let codings = store.codings(imported.document_id).await.unwrap();
    assert!(codings.len() >= 2);
    let site = store.find_site("นาทอน").await.unwrap();
    assert_eq!(
        store.site_overview(site.id).await.unwrap().status,
        SiteStatus::ForumHeld
    );

    // Accept one: the site is now coded.
    assert_eq!(
        set_status(&store, &[codings[0].id], CodingStatus::Accepted, LOCAL_USER)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store.site_overview(site.id).await.unwrap().status,
        SiteStatus::Coded
    );
    // Reject all the others at once, then undo that: one step brings all of them back.
    let others: Vec<i64> = codings[1..].iter().map(|c| c.id).collect();
    assert_eq!(
        set_status(&store, &others, CodingStatus::Rejected, LOCAL_USER)
            .await
            .unwrap(),
        others.len()
    );
    assert_eq!(
        undo_last(&store, site.study_id).await.unwrap(),
        others.len()
    );
    let now = store.codings(imported.document_id).await.unwrap();
    assert_eq!(now[0].status, CodingStatus::Accepted);
    assert!(now[1..].iter().all(|c| c.status == CodingStatus::Suggested));
    // The next undo takes back the acceptance; then there is nothing left to undo.
    assert_eq!(undo_last(&store, site.study_id).await.unwrap(), 1);
    assert!(
        store
            .codings(imported.document_id)
            .await
            .unwrap()
            .iter()
            .all(|c| c.status == CodingStatus::Suggested)
    );
    assert_eq!(undo_last(&store, site.study_id).await.unwrap(), 0);
    let log = store.activity(site.study_id, 10).await.unwrap();
    assert_eq!(log.len(), 1 + others.len());
    assert!(log.iter().all(|a| a.undone && a.actor == LOCAL_USER));
    // Accepting what is already accepted changes (and logs) nothing.
    set_status(&store, &[codings[0].id], CodingStatus::Accepted, LOCAL_USER)
        .await
        .unwrap();
    assert_eq!(
        set_status(&store, &[codings[0].id], CodingStatus::Accepted, LOCAL_USER)
            .await
            .unwrap(),
        0
    );
    assert!(matches!(
        set_status(&store, &[999_999], CodingStatus::Accepted, LOCAL_USER).await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn coding_by_hand_snaps_to_words_and_undoes() {
    use rian_core::edit::undo_last;
    use rian_core::review::{LOCAL_USER, add_coding};
    let (_dir, store) = fresh().await;
    let demo = load_demo(&store).await.unwrap();
    let thonburi = store.find_site("1015").await.unwrap();
    let forum = store.forums(Some(thonburi.id)).await.unwrap().remove(0);
    let doc = store.documents(forum.id).await.unwrap().remove(0);
    let codes = store.codes(demo.study_id).await.unwrap();
    let traits = codes.iter().find(|c| c.key == "traits").unwrap();
    let chars: Vec<char> = doc.text.chars().collect();
    let at = doc.text.find("เสียสละ").unwrap();
    let start = doc.text[..at].chars().count() as i64;
    // Select from the middle of the word: the coding covers the whole word.
    let id = add_coding(
        &store,
        doc.id,
        traits.id,
        Span {
            start: start + 2,
            end: start + 4,
        },
        LOCAL_USER,
    )
    .await
    .unwrap();
    let coding = store
        .codings(doc.id)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap();
    let quoted: String = chars[coding.span.start as usize..coding.span.end as usize]
        .iter()
        .collect();
    assert_eq!(quoted, "เสียสละ");
    assert_eq!(coding.status, CodingStatus::Accepted);
    assert_eq!(
        store.site_overview(thonburi.id).await.unwrap().status,
        SiteStatus::Coded
    );

    assert!(matches!(
        add_coding(
            &store,
            doc.id,
            traits.id,
            Span {
                start: 0,
                end: 100_000
            },
            LOCAL_USER
        )
        .await,
        Err(Error::InvalidSpan { .. })
    ));
    assert!(matches!(
        add_coding(
            &store,
            doc.id,
            999_999,
            Span { start: 0, end: 3 },
            LOCAL_USER
        )
        .await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(undo_last(&store, demo.study_id).await.unwrap(), 1);
    // Back to the demo's own codings.
    assert!(
        store
            .codings(doc.id)
            .await
            .unwrap()
            .iter()
            .all(|c| c.coder == rian_core::demo::DEMO_CODER)
    );
}

#[tokio::test]
async fn a_study_is_copied_to_another_store_whole_and_renumbered() {
    let (_a, from) = fresh().await;
    let (_b, to) = fresh().await;
    let demo = load_demo(&from).await.unwrap();
    // The target already holds another study, so the copy's ids cannot be the source's.
    let mut tx = to.begin().await.unwrap();
    rian_core::pipeline::create_study(
        &mut tx,
        &Study {
            id: 0,
            slug: "other".into(),
            name_th: "การศึกษาอื่น".into(),
            name_en: None,
            fiscal_year_be: 2567,
            framework: "five_part".into(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // Something of each kind beyond the demo: a memo on a coding, a step of the record.
    let site = from.find_site("1015").await.unwrap();
    let forum = from.forums(Some(site.id)).await.unwrap()[0].clone();
    let doc = from.documents(forum.id).await.unwrap()[0].clone();
    let coding = from.codings(doc.id).await.unwrap()[0].clone();
    rian_core::edit::create(
        &from,
        "test",
        Record::Memo(Memo {
            id: 0,
            study_id: demo.study_id,
            target: MemoTarget::Coding,
            target_id: coding.id,
            text: "ข้อความนี้สำคัญ".into(),
            author: "อาจารย์".into(),
            written_at: String::new(),
        }),
    )
    .await
    .unwrap();
    from.step_record(forum.id, RecordState::Checked, "ผู้ประสานงาน", None)
        .await
        .unwrap();

    let done = rian_core::store::copy_study(&from, &to, DEMO_STUDY_SLUG)
        .await
        .unwrap();
    assert_eq!((done.sites, done.codings, done.memos), (10, 10, 1));
    let copy = to.study_by_slug(DEMO_STUDY_SLUG).await.unwrap().unwrap();
    assert_ne!(copy.id, demo.study_id, "renumbered");
    let site2 = to
        .study_sites(copy.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.admin_code.as_deref() == Some("1015"))
        .unwrap();
    let forum2 = to.forums(Some(site2.id)).await.unwrap()[0].clone();
    assert_eq!(
        (forum2.date, forum2.participants),
        (forum.date, forum.participants)
    );
    let doc2 = to.documents(forum2.id).await.unwrap()[0].clone();
    assert_eq!(
        (doc2.text.as_str(), doc2.original.len()),
        (doc.text.as_str(), doc.original.len())
    );
    let codings2 = to.codings(doc2.id).await.unwrap();
    let codes2 = to.codes(copy.id).await.unwrap();
    let codes = from.codes(demo.study_id).await.unwrap();
    let key = |codes: &[Code], id: i64| codes.iter().find(|c| c.id == id).unwrap().key.clone();
    let spans = |cs: &[Coding], codes: &[Code]| -> Vec<(String, Span)> {
        cs.iter().map(|c| (key(codes, c.code_id), c.span)).collect()
    };
    assert_eq!(
        spans(&codings2, &codes2),
        spans(&from.codings(doc.id).await.unwrap(), &codes)
    );
    // The memo still points at its coding, the step keeps who took it.
    let memo = &to.memos(copy.id, None, None).await.unwrap()[0];
    assert_eq!(memo.target, MemoTarget::Coding);
    let on = codings2.iter().find(|c| c.id == memo.target_id).unwrap();
    assert_eq!(on.span, coding.span);
    let steps = to.record_steps(forum2.id).await.unwrap();
    assert_eq!((steps.len(), steps[0].actor.as_str()), (1, "ผู้ประสานงาน"));
    // Copying again is refused, and writes nothing.
    let studies = to.studies().await.unwrap().len();
    assert!(
        rian_core::store::copy_study(&from, &to, DEMO_STUDY_SLUG)
            .await
            .is_err()
    );
    assert_eq!(to.studies().await.unwrap().len(), studies);
    assert!(
        rian_core::store::copy_study(&from, &to, "nothing")
            .await
            .is_err()
    );
}
