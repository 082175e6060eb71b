//! Every form of the workbench, posted as a browser would: a refusal answers 422 with the
//! reason in Thai, the form again with what was typed, and nothing saved; a good post saves
//! and sends the browser back; Thai and markup typed into any field come back escaped; a
//! post from another site is refused.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rian_core::demo::load_demo;
use rian_core::edit;
use rian_core::model::*;
use rian_core::review::LOCAL_USER;
use rian_core::store::Store;
use tower::ServiceExt;

/// A form's fields, in order.
type Fields<'a> = Vec<(&'a str, &'a str)>;

const ORIGIN: &str = "http://127.0.0.1:7878";

struct Ids {
    study: i64,
    site: i64,
    forum: i64,
    document: i64,
    community: i64,
    code: i64,
    fact: i64,
    party: i64,
    swot: i64,
    actor: i64,
    plan: i64,
}

async fn demo() -> (tempfile::TempDir, Store, Ids) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &rian_core::store::scratch_location(dir.path())
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let study = load_demo(&store).await.unwrap().study_id;
    let site = store.find_site("1015").await.unwrap().id;
    let forum = store.forums(Some(site)).await.unwrap()[0].id;
    let document = store.documents(forum).await.unwrap()[0].id;
    let community = store.communities(site).await.unwrap()[0].id;
    let code = store.codes(study).await.unwrap()[0].id;
    let party = store.forum_parties(forum).await.unwrap()[0].id;
    let fact = edit::create(
        &store,
        LOCAL_USER,
        Record::Fact(Fact {
            id: 0,
            document_id: document,
            kind: FactKind::Date,
            value: "2023-03-31".into(),
            number: None,
            unit: None,
            span: None,
        }),
    )
    .await
    .unwrap();
    let swot = edit::create(
        &store,
        LOCAL_USER,
        Record::SwotItem(SwotItem {
            id: 0,
            community_id: community,
            quadrant: Quadrant::Weakness,
            text: "ขาดคนรุ่นใหม่".into(),
            position: 0,
            document_id: None,
            span: None,
        }),
    )
    .await
    .unwrap();
    let actor = store.actors(study).await.unwrap()[0].id;
    let plan = edit::create(
        &store,
        LOCAL_USER,
        Record::PlanItem(PlanItem {
            id: 0,
            site_id: site,
            what: "อบรมผู้นำรุ่นใหม่".into(),
            who: None,
            due: None,
            status: PlanStatus::Proposed,
            progress: 0,
        }),
    )
    .await
    .unwrap();
    let ids = Ids {
        study,
        site,
        forum,
        document,
        community,
        code,
        fact,
        party,
        swot,
        actor,
        plan,
    };
    (dir, store, ids)
}

struct Reply {
    status: StatusCode,
    location: String,
    body: String,
}

async fn send(store: &Store, request: Request<Body>) -> Reply {
    let response = rian_web::router(store.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        location,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn post(store: &Store, uri: &str, origin: &str, fields: &[(&str, &str)]) -> Reply {
    let body = serde_urlencoded::to_string(fields).unwrap();
    let request = Request::post(uri)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(store, request).await
}

/// Text as the templates escape it for HTML.
fn escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

async fn get(store: &Store, uri: &str) -> String {
    let r = send(store, Request::get(uri).body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "GET {uri}");
    r.body
}

/// Everything a store holds that a form could change, to see that a refusal changed none.
async fn snapshot(store: &Store, ids: &Ids) -> String {
    let mut out = format!("{:?}", store.codes(ids.study).await.unwrap());
    out += &format!("{:?}", store.forum(ids.forum).await.unwrap());
    out += &format!("{:?}", store.forum_parties(ids.forum).await.unwrap());
    out += &format!("{:?}", store.facts(ids.document).await.unwrap());
    out += &format!("{:?}", store.codings(ids.document).await.unwrap());
    out += &format!("{:?}", store.communities(ids.site).await.unwrap());
    out += &format!("{:?}", store.swot_items(ids.community).await.unwrap());
    out += &format!("{:?}", store.actors(ids.study).await.unwrap());
    out += &format!("{:?}", store.study_ties(ids.study).await.unwrap());
    out += &format!("{:?}", store.plan_items(ids.site).await.unwrap());
    out += &format!("{:?}", store.memos(ids.study, None, None).await.unwrap());
    out += &format!("{:?}", store.activity(ids.study, 10_000).await.unwrap());
    out
}

#[tokio::test]
async fn refused_forms_say_why_in_thai_keep_the_input_and_save_nothing() {
    let (_dir, store, ids) = demo().await;
    let i = &ids;
    let cases: Vec<(String, Fields, &str)> = vec![
        (
            format!("/studies/{}/codes", i.study),
            vec![("name_th", "  "), ("color", "#aa5500"), ("parent", "")],
            "กรุณากรอกชื่อรหัส",
        ),
        (
            format!("/codes/{}", i.code),
            vec![("name_th", "ข้อมูล<ชุมชน>"), ("color", "red"), ("parent", "")],
            "ไม่ถูกต้อง ใช้รูปแบบ #rrggbb",
        ),
        (
            format!("/codes/{}/merge", i.code),
            vec![("into", &*i.code.to_string().leak())],
            "เลือกรหัสอื่น",
        ),
        (
            format!("/codes/{}/move", i.code),
            vec![("dir", "sideways")],
            "ทิศทางไม่ถูกต้อง",
        ),
        (
            format!("/communities/{}/swot", i.community),
            vec![("text", ""), ("quadrant", "s")],
            "กรุณากรอกข้อความ",
        ),
        (
            format!("/swot-items/{}", i.swot),
            vec![("text", "ขาดคน"), ("quadrant", "x")],
            "ตัวเลือกไม่ถูกต้อง",
        ),
        (
            format!("/studies/{}/actors", i.study),
            vec![("name", ""), ("kind", "ngo")],
            "กรุณากรอกชื่อภาคี",
        ),
        (
            format!("/actors/{}/ties", i.actor),
            vec![
                ("site", &*i.site.to_string().leak()),
                ("kind", "friendship"),
            ],
            "ตัวเลือกไม่ถูกต้อง",
        ),
        (
            format!("/sites/{}/plan", i.site),
            vec![
                ("what", "ตลาดนัดชุมชน"),
                ("status", "proposed"),
                ("progress", "150"),
            ],
            "ความคืบหน้าต้องอยู่ระหว่าง 0 ถึง 100",
        ),
        (
            format!("/plan-items/{}", i.plan),
            vec![("what", "อบรม"), ("status", "done"), ("due", "2566-13-40")],
            "วันที่ไม่ถูกต้อง",
        ),
        (
            format!("/sites/{}/communities", i.site),
            vec![("name", "   ")],
            "กรุณากรอกชื่อชุมชน",
        ),
        (
            format!("/forums/{}", i.forum),
            vec![
                ("kind", "lessons_learned"),
                ("status", "held"),
                ("site", &*i.site.to_string().leak()),
                ("participants", "ยี่สิบห้า<คน>"),
            ],
            "จำนวนผู้เข้าร่วมต้องเป็นตัวเลข",
        ),
        (
            format!("/forums/{}", i.forum),
            vec![
                ("kind", "lessons_learned"),
                ("status", "held"),
                ("site", &*i.site.to_string().leak()),
                ("date", "2023-03-31"),
                ("date_end", "2023-03-01"),
            ],
            "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม",
        ),
        (
            format!("/forums/{}/parties", i.forum),
            vec![("role", "organizer"), ("name", "")],
            "กรุณากรอกชื่อ",
        ),
        (
            format!("/parties/{}", i.party),
            vec![("role", "boss"), ("name", "สำนักงาน")],
            "ตัวเลือกไม่ถูกต้อง",
        ),
        (
            format!("/facts/{}", i.fact),
            vec![("value", "31 มีนา")],
            "วันที่ไม่ถูกต้อง",
        ),
        (
            "/memos".to_string(),
            vec![
                ("target", "site"),
                ("target_id", &*i.site.to_string().leak()),
                ("text", " \n "),
            ],
            "กรุณากรอกบันทึก",
        ),
        (
            format!("/documents/{}/codings", i.document),
            vec![
                ("start", ""),
                ("end", ""),
                ("code", &*i.code.to_string().leak()),
            ],
            "เลือกข้อความในเอกสารก่อน",
        ),
        (
            format!("/documents/{}/codings", i.document),
            vec![
                ("start", "5"),
                ("end", "999999"),
                ("code", &*i.code.to_string().leak()),
            ],
            "ไม่อยู่ในเอกสาร",
        ),
        (
            format!("/documents/{}/swot", i.document),
            vec![
                ("start", "0"),
                ("end", "5"),
                ("community", "999999"),
                ("quadrant", "s"),
            ],
            "ชุมชนนี้ไม่อยู่ในพื้นที่",
        ),
    ];
    let before = snapshot(&store, &ids).await;
    for (uri, fields, reason) in &cases {
        let r = post(&store, uri, ORIGIN, fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            r.body
        );
        assert!(
            r.body.contains(reason),
            "{uri}: no \"{reason}\" in {}",
            r.body
        );
        assert!(r.body.contains("ยังไม่ได้บันทึก"), "{uri}");
        // The form comes back, posting to the same place, with what was typed, escaped.
        assert!(r.body.contains(&format!("action=\"{uri}\"")), "{uri}");
        for (_, value) in fields.iter().filter(|(_, v)| !v.trim().is_empty()) {
            assert!(r.body.contains(&escape(value)), "{uri}: lost {value}");
        }
        assert!(!r.body.contains("<คน>"), "{uri}: unescaped input");
        assert_eq!(
            snapshot(&store, &ids).await,
            before,
            "{uri} saved something"
        );
    }
}

#[tokio::test]
async fn good_forms_save_return_and_escape_what_was_typed() {
    let (_dir, store, ids) = demo().await;
    let i = &ids;
    let marked = "ภาคี <b>\"ทดสอบ\"</b> & ชุมชน";
    let escaped = &escape(marked);
    let site = i.site.to_string();
    let cases: Vec<(String, Fields, String)> = vec![
        (
            format!("/studies/{}/codes", i.study),
            vec![
                ("name_th", marked),
                ("name_en", "x"),
                ("color", "#AA5500"),
                ("parent", ""),
            ],
            format!("/studies/{}/codebook", i.study),
        ),
        (
            format!("/communities/{}/swot", i.community),
            vec![("text", marked), ("quadrant", "o")],
            format!("/communities/{}/swot", i.community),
        ),
        (
            format!("/studies/{}/actors", i.study),
            vec![
                ("name", marked),
                ("kind", "ngo"),
                ("site", &site),
                ("tie", "funding"),
                ("note", marked),
            ],
            format!("/studies/{}/network", i.study),
        ),
        (
            format!("/sites/{}/plan", i.site),
            vec![
                ("what", marked),
                ("who", marked),
                ("due", "2567-09-30"),
                ("status", "in_progress"),
                ("progress", "๔๐"),
            ],
            format!("/sites/{}", i.site),
        ),
        (
            format!("/forums/{}", i.forum),
            vec![
                ("kind", "lessons_learned"),
                ("status", "held"),
                ("site", &site),
                ("date", "2023-03-31"),
                ("venue", marked),
                ("participants", "1,250"),
            ],
            format!("/forums/{}", i.forum),
        ),
        (
            format!("/forums/{}/parties", i.forum),
            vec![("role", "partner"), ("name", marked)],
            format!("/forums/{}", i.forum),
        ),
        (
            "/memos".to_string(),
            vec![
                ("target", "document"),
                ("target_id", &*i.document.to_string().leak()),
                ("text", marked),
            ],
            format!("/documents/{}", i.document),
        ),
        (
            format!("/sites/{}/communities", i.site),
            vec![("name", marked)],
            format!("/sites/{}", i.site),
        ),
    ];
    for (uri, fields, page) in &cases {
        let back = format!("{page}#saved");
        let mut fields = fields.clone();
        fields.push(("back", &back));
        let r = post(&store, uri, ORIGIN, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}: {}", r.body);
        assert!(
            r.location.starts_with(page.as_str()),
            "{uri} → {}",
            r.location
        );
        let html = get(&store, page).await;
        assert!(
            html.contains(escaped.as_str()),
            "{uri}: {page} does not show the text escaped"
        );
        assert!(
            !html.contains("<b>\"ทดสอบ\"</b>"),
            "{uri}: {page} shows raw markup"
        );
    }
    // Numbers typed with Thai digits or separators, dates in the Buddhist Era, are read.
    let plan = store.plan_items(i.site).await.unwrap();
    let added = plan.iter().find(|p| p.what == marked).unwrap();
    assert_eq!(added.progress, 40);
    assert_eq!(added.due, IsoDate::new(2024, 9, 30));
    assert_eq!(store.forum(i.forum).await.unwrap().participants, Some(1250));
    // The actor came with its tie, as one change.
    let actor = store
        .actors(i.study)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == marked)
        .unwrap();
    assert!(
        store
            .study_ties(i.study)
            .await
            .unwrap()
            .iter()
            .any(|t| t.actor_id == actor.id && t.kind == TieKind::Funding)
    );
    // A `back` that leaves rian is not followed.
    let r = post(
        &store,
        &format!("/sites/{}/communities", i.site),
        ORIGIN,
        &[("name", "ชุมชนใหม่"), ("back", "//evil.example/x")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location.starts_with('/') && !r.location.starts_with("//"),
        "{}",
        r.location
    );
}

#[tokio::test]
async fn posts_from_other_sites_are_refused() {
    let (_dir, store, ids) = demo().await;
    let before = snapshot(&store, &ids).await;
    for (uri, fields) in [
        (
            format!("/sites/{}/plan", ids.site),
            vec![("what", "x"), ("status", "proposed")],
        ),
        (format!("/codes/{}/delete", ids.code), vec![]),
        (format!("/studies/{}/undo", ids.study), vec![]),
        (
            "/memos".to_string(),
            vec![("target", "site"), ("target_id", "1"), ("text", "x")],
        ),
    ] {
        let r = post(&store, &uri, "http://evil.example", &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
    }
    assert_eq!(snapshot(&store, &ids).await, before);
}

#[tokio::test]
async fn deleting_a_code_asks_first_and_says_how_many_codings_go() {
    let (_dir, store, ids) = demo().await;
    let codes = store.codes(ids.study).await.unwrap();
    let part3 = codes.iter().find(|c| c.key == "3").unwrap();
    let child = codes.iter().find(|c| c.key == "3.2").unwrap();
    for code in [part3.id, child.id] {
        rian_core::review::add_coding(
            &store,
            ids.document,
            code,
            Span { start: 0, end: 4 },
            LOCAL_USER,
        )
        .await
        .unwrap();
    }
    // The demo codes three passages under part 3 (3.1 once, 3.2 twice); two more above.
    let all = store.codings(ids.document).await.unwrap().len();
    let page = get(&store, &format!("/codes/{}/delete", part3.id)).await;
    assert!(page.contains("การลงรหัสที่จะถูกลบไปด้วย: 5"), "{page}");
    assert!(page.contains("รหัสย่อยที่จะถูกลบไปด้วย: 4"), "{page}");
    // Asking deletes nothing.
    assert_eq!(store.codings(ids.document).await.unwrap().len(), all);
    let r = post(&store, &format!("/codes/{}/delete", part3.id), ORIGIN, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(store.codings(ids.document).await.unwrap().len(), all - 5);
    // One undo brings the code, its sub-codes and every coding back.
    let r = post(&store, &format!("/studies/{}/undo", ids.study), ORIGIN, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(store.codes(ids.study).await.unwrap(), codes);
    assert_eq!(store.codings(ids.document).await.unwrap().len(), all);
    // The activity log shows who did what, before and after.
    let log = get(&store, &format!("/studies/{}/activity", ids.study)).await;
    assert!(
        log.contains("ลบ รหัส") && log.contains("ย้อนกลับแล้ว") && log.contains("local"),
        "{log}"
    );
}

#[tokio::test]
async fn one_click_forms_mark_reviewed_move_and_delete() {
    let (_dir, store, ids) = demo().await;
    let i = &ids;
    let r = post(
        &store,
        &format!("/forums/{}/reviewed", i.forum),
        ORIGIN,
        &[("reviewed", "1")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let forum = store.forum(i.forum).await.unwrap();
    assert_eq!(forum.reviewed_by.as_deref(), Some(LOCAL_USER));
    assert!(
        get(&store, &format!("/forums/{}", i.forum))
            .await
            .contains("ตรวจทานแล้ว")
    );

    let second = edit::create(
        &store,
        LOCAL_USER,
        Record::SwotItem(SwotItem {
            id: 0,
            community_id: i.community,
            quadrant: Quadrant::Weakness,
            text: "ขาดงบประมาณ".into(),
            position: 1,
            document_id: None,
            span: None,
        }),
    )
    .await
    .unwrap();
    let r = post(
        &store,
        &format!("/swot-items/{second}/move"),
        ORIGIN,
        &[("dir", "up")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let order: Vec<i64> = store
        .swot_items(i.community)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(order, [second, i.swot]);

    for uri in [
        format!("/swot-items/{}/delete", i.swot),
        format!("/plan-items/{}/delete", i.plan),
        format!("/facts/{}/delete", i.fact),
        format!("/parties/{}/delete", i.party),
        format!("/actors/{}/delete", i.actor),
    ] {
        let r = post(&store, &uri, ORIGIN, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}");
        // The same again: the record is gone, which is a 404, not a crash.
        let r = post(&store, &uri, ORIGIN, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
    }
    assert_eq!(store.swot_items(i.community).await.unwrap().len(), 1);
    assert!(store.plan_items(i.site).await.unwrap().is_empty());
    assert!(
        store
            .actors(i.study)
            .await
            .unwrap()
            .iter()
            .all(|a| a.id != i.actor)
    );
}

/// Form fields as `post` takes them.
fn as_pairs<'a>(f: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The value of a hidden field named `name` in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in the page"))
        + marker.len();
    page[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn two_people_saving_the_same_record_never_overwrite_each_other() {
    let (_dir, store, ids) = demo().await;
    let origin = "http://127.0.0.1:7878";
    let forum_uri = format!("/forums/{}", ids.forum);
    // Two people open the forum page; both forms carry the same version.
    let page = get(&store, &forum_uri).await;
    let version = hidden(&page, "version");
    let site = store.forum(ids.forum).await.unwrap().site_id.to_string();
    let fields = |venue: &'static str| {
        vec![
            ("version", version.clone()),
            ("title", "เวทีสรุปบทเรียน".to_string()),
            ("kind", "lessons_learned".to_string()),
            ("status", "held".to_string()),
            ("date", "2023-03-31".to_string()),
            ("date_end", String::new()),
            ("venue", venue.to_string()),
            ("participants", "25".to_string()),
            ("site", site.clone()),
        ]
    };
    let first = fields("ห้องประชุมสำนักงานเขต");
    let r = post(&store, &forum_uri, origin, &as_pairs(&first)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The second, made from the same version, is shown the conflict, not saved.
    let second = fields("ศาลาวัด");
    let r = post(&store, &forum_uri, origin, &as_pairs(&second)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("มีผู้อื่นแก้ไขรายการนี้หลังจากที่คุณเปิดไว้"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("ศาลาวัด"),
        "what the second person typed is kept"
    );
    assert_eq!(
        store.forum(ids.forum).await.unwrap().venue.as_deref(),
        Some("ห้องประชุมสำนักงานเขต"),
        "the first change stands"
    );
    // Saving again from that page is a choice made knowing of the other change.
    let newer = hidden(&r.body, "version");
    assert_ne!(newer, version);
    let mut again = second.clone();
    again[0].1 = newer;
    let r = post(&store, &forum_uri, origin, &as_pairs(&again)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        store.forum(ids.forum).await.unwrap().venue.as_deref(),
        Some("ศาลาวัด")
    );

    // The same for a document's text: a revision made from an older text is refused.
    let doc_uri = format!("/documents/{}", ids.document);
    let page = get(&store, &doc_uri).await;
    let text_version = hidden(&page, "version");
    let text = store.document(ids.document).await.unwrap().text;
    let first = text.replacen("ธนบุรี", "ธนบุรี (แก้ครั้งที่ 1)", 1);
    let r = post(
        &store,
        &format!("{doc_uri}/text"),
        origin,
        &[("version", &text_version), ("text", &first)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let second = text.replacen("ธนบุรี", "ธนบุรี (แก้ครั้งที่ 2)", 1);
    let r = post(
        &store,
        &format!("{doc_uri}/text"),
        origin,
        &[("version", &text_version), ("text", &second)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        store
            .document(ids.document)
            .await
            .unwrap()
            .text
            .contains("แก้ครั้งที่ 1")
    );
}
