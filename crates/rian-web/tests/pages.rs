//! The workbench's pages, asked for through the router as a browser would, on a store
//! holding the demo study.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rian_core::demo::load_demo;
use rian_core::store::Store;
use tower::ServiceExt;

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
}

async fn demo() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &rian_core::store::scratch_location(dir.path())
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    load_demo(&store).await.unwrap();
    Fixture { _dir: dir, store }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
    bytes: Vec<u8>,
}

async fn get(store: &Store, uri: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::get(uri);
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    send(store, request.body(Body::empty()).unwrap()).await
}

/// Sends a request through the workbench's router, as a browser would.
async fn send(store: &Store, request: Request<Body>) -> Reply {
    let response = rian_web::router(store.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let is_text = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| {
            t.starts_with("text/")
                || t.contains("json")
                || t.starts_with("application/xml")
                || t.contains("+xml")
        });
    Reply {
        status,
        headers,
        // Pages are UTF-8, always; a PDF or a workbook is read as bytes.
        body: if is_text {
            String::from_utf8(bytes.to_vec()).unwrap()
        } else {
            String::new()
        },
        bytes: bytes.to_vec(),
    }
}

async fn thonburi_ids(store: &Store) -> (i64, i64) {
    let site = store.find_site("1015").await.unwrap();
    let forum = store.forums(Some(site.id)).await.unwrap()[0].id;
    (site.id, forum)
}

#[tokio::test]
async fn dashboard_shows_the_study_and_its_ten_sites_in_thai() {
    let f = demo().await;
    let r = get(&f.store, "/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let b = &r.body;
    assert!(b.contains("<html lang=\"th\">"));
    assert!(b.contains("โครงการศึกษาเพื่อถอดองค์ความรู้การพัฒนาตำบลเข้มแข็ง ประจำปี 2566"));
    for site in [
        "เขตธนบุรี",
        "ต.พระแท่น",
        "ต.หนองบัว",
        "ต.ท้อแท้",
        "ต.ท่าหมื่นราม",
        "ต.ดงใหญ่",
        "ต.เขื่อน",
        "ต.คลองหินปูน",
        "ต.นาทอน",
        "ต.ตะลุบัน",
    ] {
        assert!(b.contains(site), "missing {site}");
    }
    for code in ["1015", "710512", "650807", "440904", "940701"] {
        assert!(b.contains(code), "missing admin code {code}");
    }
    // Thonburi's notes are coded in the demo; the other nine are planned.
    for text in ["กรุงเทพมหานคร", "ท่ามะกา", "สายบุรี", "ลงรหัสแล้ว", "วางแผน"]
    {
        assert!(b.contains(text), "missing {text}");
    }
    assert_eq!(b.matches("href=\"/sites/").count(), 10);
    // The default codebook: the five parts of the framework.
    for part in [
        "ข้อมูลทั่วไปของชุมชน",
        "โครงการและกิจกรรม",
        "กลไกและการขับเคลื่อน",
        "เครือข่ายการทำงาน",
        "ศักยภาพและภาพฝันในอนาคต",
    ] {
        assert!(b.contains(part), "missing framework part {part}");
    }
}

#[tokio::test]
async fn language_switch_gives_english_and_remembers_it() {
    let f = demo().await;
    let r = get(&f.store, "/?lang=en", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<html lang=\"en\">"));
    assert!(r.body.contains("Study sites"));
    assert!(r.body.contains("Coded"));
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("rian_lang=en"), "{cookie}");
    let (site, _) = thonburi_ids(&f.store).await;
    let r = get(&f.store, &format!("/sites/{site}"), Some("rian_lang=en")).await;
    assert!(r.body.contains("31 March 2566 BE"));
    assert!(r.body.contains(&format!("href=\"/sites/{site}?lang=th\"")));
}

#[tokio::test]
async fn thonburi_site_page_lists_communities_and_the_forum() {
    let f = demo().await;
    let (site, forum) = thonburi_ids(&f.store).await;
    let r = get(&f.store, &format!("/sites/{site}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    for text in [
        "เขตธนบุรี",
        "ชุมชนบางไส้ไก่",
        "ชุมชนสะพานยาว",
        "ชุมชนเกื้อวิทยา",
        "31 มีนาคม 2566",
        "ที่ทำการสภาองค์กรชุมชนเขตธนบุรี กรุงเทพมหานคร",
        "25 คน",
        "เวทีคืนข้อมูล",
        "Thai PBS",
    ] {
        assert!(b.contains(text), "missing {text}");
    }
    assert!(b.contains(&format!("href=\"/forums/{forum}\"")));
    // Stored ISO, shown in the Buddhist Era only.
    assert!(!b.contains("2023-03-31"));
}

#[tokio::test]
async fn forum_page_shows_record_document_and_codebook() {
    let f = demo().await;
    let (_, forum) = thonburi_ids(&f.store).await;
    let r = get(&f.store, &format!("/forums/{forum}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    for text in [
        "31 มีนาคม 2566",
        "สำนักพัฒนานวัตกรรมชุมชนจัดการความรู้และสื่อสาร",
        "สำนักเลขานุการยุทธศาสตร์ชุมชนเข้มแข็ง",
        "สำนักงานภาคกรุงเทพปริมณฑลและตะวันออก",
        "ภาคีวิชาการ",
        "วิทยาลัยพัฒนศาสตร์ ป๋วยอึ๊งกาภรณ์",
        "value=\"25\"",
        "บันทึกเวทีสรุปบทเรียน สภาองค์กรชุมชนเขตธนบุรี",
        "ยังไม่ได้ตรวจทาน",
    ] {
        assert!(b.contains(text), "missing {text}");
    }
    // The document opens in the coding workbench: the text beside the codebook.
    let doc = f.store.documents(forum).await.unwrap().remove(0);
    assert!(b.contains(&format!("href=\"/documents/{}\"", doc.id)));
    let r = get(&f.store, &format!("/documents/{}", doc.id), None).await;
    assert_eq!(r.status, StatusCode::OK);
    for text in [
        "43 ชุมชน",
        "สมุดรหัส",
        "ปัจจัยความสำเร็จ",
        "จุดแข็ง (S)",
        "คุณลักษณะแกนนำ",
        "<kbd>1</kbd>",
    ] {
        assert!(r.body.contains(text), "missing {text}");
    }
}

#[tokio::test]
async fn missing_records_get_a_thai_404_and_every_page_its_security_headers() {
    let f = demo().await;
    for uri in ["/sites/9999", "/forums/9999", "/nothing-here"] {
        let r = get(&f.store, uri, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.body.contains("ไม่พบหน้านี้"), "{uri}");
        assert!(r.body.contains("Page not found"), "{uri}");
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
    let css = get(&f.store, "/static/rian.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn user_text_is_escaped() {
    let f = demo().await;
    let (site, _) = thonburi_ids(&f.store).await;
    let mut tx = f.store.begin().await.unwrap();
    tx.insert_community(&rian_core::model::Community {
        id: 0,
        site_id: site,
        name_th: "ชุมชน<script>alert(1)</script>".into(),
        note: None,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let r = get(&f.store, &format!("/sites/{site}"), None).await;
    assert!(!r.body.contains("<script>alert(1)</script>"));
    assert!(
        r.body
            .contains("ชุมชน&#60;script&#62;alert(1)&#60;/script&#62;")
    );
}

fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "rianboundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, file, value) in fields {
        body.extend(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend(*value);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post(
    store: &Store,
    uri: &str,
    origin: Option<&str>,
    fields: &[(&str, Option<&str>, &[u8])],
) -> Reply {
    let (content_type, body) = multipart(fields);
    let mut request = Request::post(uri)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::CONTENT_TYPE, content_type);
    if let Some(o) = origin {
        request = request.header(header::ORIGIN, o);
    }
    send(store, request.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn pasted_notes_become_a_forum_with_facts_and_suggestions() {
    let f = demo().await;
    let site = f.store.find_site("นาทอน").await.unwrap();
    let uri = format!("/sites/{}/import", site.id);
    let origin = Some("http://127.0.0.1:7878");
    // A made-up forum, written for this test.
    let notes =
        "เมื่อวันที่ 2 ธันวาคม 2566 ณ ศาลาประชาคม ต.นาทอน อ.ทุ่งหว้า จ.สตูล มีผู้เข้าร่วม 40 คน เล่าประวัติชุมชน";
    let r = post(
        &f.store,
        &uri,
        origin,
        &[
            ("text", None, notes.as_bytes()),
            ("title", None, "บันทึกเวทีนาทอน".as_bytes()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let page = get(&f.store, &location, None).await;
    assert_eq!(page.status, StatusCode::OK);
    // Dates a person reads are in the Buddhist Era; ISO dates only fill the date inputs.
    assert!(
        !page
            .body
            .replace("value=\"2023-12-02\"", "")
            .contains("2023-12-02"),
        "dates show in the Buddhist Era"
    );
    for text in [
        "2 ธันวาคม 2566",
        "value=\"40\"",
        "บันทึกเวทีนาทอน",
        "ข้อมูลที่ถอดได้",
        "“จ.สตูล”",
    ] {
        assert!(page.body.contains(text), "missing {text}");
    }
    let forum_id: i64 = location.trim_start_matches("/forums/").parse().unwrap();
    let doc = f.store.documents(forum_id).await.unwrap().remove(0);
    let page = get(&f.store, &format!("/documents/{}", doc.id), None).await;
    for text in ["การลงรหัส", "คำที่พบ: ประวัติ"] {
        assert!(page.body.contains(text), "missing {text}");
    }

    // An upload of a file in a legacy Thai encoding works the same way.
    let tis = [0xE0, 0xC7, 0xB7, 0xD5, 0xCA, 0xC3, 0xD8, 0xBB];
    let r = post(&f.store, &uri, origin, &[("file", Some("tis.txt"), &tis)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_refused_import_keeps_what_was_typed_and_a_foreign_post_is_forbidden() {
    let f = demo().await;
    let site = f.store.find_site("นาทอน").await.unwrap();
    let uri = format!("/sites/{}/import", site.id);
    let before = f.store.forums(Some(site.id)).await.unwrap().len();
    let r = post(
        &f.store,
        &uri,
        Some("http://127.0.0.1:7878"),
        &[
            ("text", None, b"   "),
            ("title", None, "<b>ชื่อ</b>".as_bytes()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("เลือกไฟล์หรือวางข้อความก่อน"));
    assert!(
        r.body.contains("value=\"&#60;b&#62;ชื่อ&#60;/b&#62;\""),
        "typed title kept, escaped"
    );
    let r = post(
        &f.store,
        &uri,
        Some("http://127.0.0.1:7878"),
        &[
            ("file", Some("photo.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            ("text", None, "ข้อความที่พิมพ์ไว้".as_bytes()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("not a text file"));
    assert!(r.body.contains("ข้อความที่พิมพ์ไว้"), "pasted text kept");
    let r = post(
        &f.store,
        &uri,
        Some("http://evil.example"),
        &[("text", None, "ข้อความ".as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(&f.store, &uri, None, &[("text", None, "ข้อความ".as_bytes())]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        f.store.forums(Some(site.id)).await.unwrap().len(),
        before,
        "nothing written"
    );
}

async fn post_form(store: &Store, uri: &str, origin: Option<&str>, body: &str) -> Reply {
    let mut request = Request::post(uri)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(o) = origin {
        request = request.header(header::ORIGIN, o);
    }
    send(store, request.body(Body::from(body.to_string())).unwrap()).await
}

#[tokio::test]
async fn suggestions_are_accepted_rejected_and_undone_from_the_document_page() {
    use rian_core::model::CodingStatus;
    let f = demo().await;
    let site = f.store.find_site("นาทอน").await.unwrap();
    let origin = Some("http://127.0.0.1:7878");
    // A made-up forum, written for this test.
    let notes = "เมื่อวันที่ 2 ธันวาคม 2566 ผู้เข้าร่วมเล่าประวัติชุมชน ประเพณีท้องถิ่น และปัญหาน้ำท่วม";
    let r = post(
        &f.store,
        &format!("/sites/{}/import", site.id),
        origin,
        &[("text", None, notes.as_bytes())],
    )
    .await;
    let forum_uri = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let forum_id: i64 = forum_uri.trim_start_matches("/forums/").parse().unwrap();
    let doc = f.store.documents(forum_id).await.unwrap().remove(0);
    let codings = f.store.codings(doc.id).await.unwrap();
    let page = get(&f.store, &format!("/documents/{}", doc.id), None).await;
    assert!(page.body.contains("ยอมรับทั้งรหัส") && page.body.contains("ย้อนกลับการแก้ไขล่าสุด"));

    let one = &codings[0];
    let uri = format!("/documents/{}/codings/{}", doc.id, one.id);
    let r = post_form(
        &f.store,
        &uri,
        origin,
        &format!("status=accepted&forum={forum_id}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        f.store.codings(doc.id).await.unwrap()[0].status,
        CodingStatus::Accepted
    );

    // All suggestions of one code at once, then one undo takes them all back.
    let code = codings
        .iter()
        .find(|c| c.code_id != one.code_id)
        .unwrap()
        .code_id;
    let of_code = codings.iter().filter(|c| c.code_id == code).count();
    let r = post_form(
        &f.store,
        &uri,
        origin,
        &format!("status=rejected&forum={forum_id}&code={code}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let rejected = f
        .store
        .codings(doc.id)
        .await
        .unwrap()
        .iter()
        .filter(|c| c.status == CodingStatus::Rejected)
        .count();
    assert_eq!(rejected, of_code);
    let r = post_form(
        &f.store,
        &format!("/studies/{}/undo", site.study_id),
        origin,
        &format!("forum={forum_id}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        f.store
            .codings(doc.id)
            .await
            .unwrap()
            .iter()
            .all(|c| c.status != CodingStatus::Rejected)
    );

    // Not from a rian page, a bad status, an unknown coding: nothing changes.
    let r = post_form(
        &f.store,
        &uri,
        Some("http://evil.example"),
        &format!("status=rejected&forum={forum_id}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_form(
        &f.store,
        &uri,
        origin,
        &format!("status=maybe&forum={forum_id}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post_form(
        &f.store,
        &format!("/documents/{}/codings/999999", doc.id),
        origin,
        &format!("status=accepted&forum={forum_id}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        f.store.codings(doc.id).await.unwrap()[0].status,
        CodingStatus::Accepted
    );
}

#[tokio::test]
async fn a_passage_is_coded_by_hand_from_the_document_page() {
    let f = demo().await;
    let (_, forum) = thonburi_ids(&f.store).await;
    let doc = f.store.documents(forum).await.unwrap().remove(0);
    let study = f.store.studies().await.unwrap().remove(0);
    let traits = f
        .store
        .codes(study.id)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.key == "traits")
        .unwrap();
    let page = get(&f.store, &format!("/documents/{}", doc.id), None).await;
    assert!(page.body.contains(&format!("id=\"code-form-{}\"", doc.id)));
    assert!(page.body.contains("<script src=\"/static/rian.js?v="));
    let js = get(&f.store, "/static/rian.js", None).await;
    assert!(
        js.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );

    let at = doc.text.find("เสียสละ").unwrap();
    let start = doc.text[..at].chars().count() + 1;
    let uri = format!("/documents/{}/codings", doc.id);
    let origin = Some("http://127.0.0.1:7878");
    let r = post_form(
        &f.store,
        &uri,
        origin,
        &format!(
            "forum={forum}&code={}&start={start}&end={}",
            traits.id,
            start + 2
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The demo's own codings are by the demo's coder; the new one is by this user.
    let mine = |codings: Vec<rian_core::model::Coding>| -> Vec<rian_core::model::Coding> {
        codings
            .into_iter()
            .filter(|c| c.coder != rian_core::demo::DEMO_CODER)
            .collect()
    };
    let codings = mine(f.store.codings(doc.id).await.unwrap());
    assert_eq!(codings.len(), 1);
    let quoted: String = doc
        .text
        .chars()
        .skip(codings[0].span.start as usize)
        .take((codings[0].span.end - codings[0].span.start) as usize)
        .collect();
    assert_eq!(quoted, "เสียสละ");

    let r = post_form(
        &f.store,
        &uri,
        origin,
        &format!("forum={forum}&code={}&start=5&end=999999", traits.id),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ไม่อยู่ในเอกสาร"));
    let r = post_form(
        &f.store,
        &uri,
        origin,
        &format!("forum={forum}&code=abc&start=1&end=2"),
    )
    .await;
    assert!(r.status.is_client_error());
    assert_eq!(
        mine(f.store.codings(doc.id).await.unwrap()).len(),
        1,
        "nothing more saved"
    );
}

fn q(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

#[tokio::test]
async fn search_finds_thai_words_with_facets_excerpts_and_a_concordance() {
    let f = demo().await;
    // The search box is in the header of every page.
    let home = get(&f.store, "/", None).await;
    assert!(home.body.contains(r#"action="/search""#), "{}", home.body);

    let r = get(&f.store, &format!("/search?{}", q(&[("q", "ชุมชน")])), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<mark>ชุมชน</mark>"), "{}", r.body);
    assert!(r.body.contains("เขตธนบุรี"), "the site of each hit");
    assert!(r.body.contains("2566"), "dates in the Buddhist Era");
    // A facet narrows: only documents, and the chip that undoes it.
    let only_docs = format!("/search?{}", q(&[("q", "ชุมชน"), ("unit", "document")]));
    assert!(r.body.contains("unit=document\""), "facet link");
    let r = get(&f.store, &only_docs, None).await;
    assert!(r.body.contains("class=\"chip\""));
    assert!(
        !r.body.contains(">ข้อความที่ลงรหัส</span>"),
        "only documents now"
    );
    // Each hit links to its passage, and the passage page opens.
    let link = r
        .body
        .split("href=\"/documents/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(link.contains("?span="), "{link}");
    let doc = get(&f.store, &format!("/documents/{link}"), None).await;
    assert_eq!(doc.status, StatusCode::OK);

    // A query rian cannot read: 400, the reason in Thai and English, the query kept.
    let r = get(
        &f.store,
        &format!("/search?{}", q(&[("q", "\"ป่า <b>")])),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("เครื่องหมายคำพูดไม่ครบคู่ / a quotation mark is not closed")
    );
    assert!(
        r.body.contains("value=\"&#34;ป่า &#60;b&#62;\"")
            || r.body.contains("value=\"&quot;ป่า &lt;b&gt;\""),
        "{}",
        r.body
    );
    assert!(!r.body.contains("<b>"));

    // The same search as JSON.
    let r = get(
        &f.store,
        &format!("/api/search?{}", q(&[("q", "ชุมชน"), ("limit", "1")])),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(json["total"].as_u64().unwrap() >= 1);
    assert_eq!(json["hits"].as_array().unwrap().len(), 1);
    assert!(
        json["facets"]["site"][0]["label"]
            .as_str()
            .unwrap()
            .contains("ธนบุรี")
    );
    let bad = get(&f.store, "/api/search?q=NOT%20x", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Keyword in context, on a page and as CSV.
    let r = get(
        &f.store,
        &format!("/search/concordance?{}", q(&[("q", "ชุมชน")])),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("class=\"kwic\""));
    let csv = get(
        &f.store,
        &format!("/search/concordance.csv?{}", q(&[("q", "ชุมชน")])),
        None,
    )
    .await;
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.body
            .starts_with("\u{FEFF}province,site,forum_kind,date,date_be,")
    );
    let rows = csv.body.lines().count() - 1;
    assert!(rows >= 1);
    assert_eq!(
        r.body.matches("<td class=\"kw\">").count(),
        rows,
        "page and CSV agree"
    );

    // English.
    let r = get(
        &f.store,
        &format!("/search?{}", q(&[("q", "ชุมชน"), ("lang", "en")])),
        None,
    )
    .await;
    assert!(r.body.contains("Keyword in context"));
}

#[tokio::test]
async fn the_site_report_comes_as_a_printable_page_and_a_pdf() {
    let f = demo().await;
    let (site, forum) = thonburi_ids(&f.store).await;
    let mut tx = f.store.begin().await.unwrap();
    tx.insert_attendee(&rian_core::model::Attendee {
        id: 0,
        forum_id: forum,
        name: "นายทดสอบ รักชุมชน".into(),
        phone: Some("089-000-1111".into()),
        role: None,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let page = get(&f.store, &format!("/sites/{site}"), None).await;
    assert!(
        page.body
            .contains(&format!("action=\"/sites/{site}/report\"")),
        "a report form"
    );

    let html = get(&f.store, &format!("/sites/{site}/report?format=html"), None).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("รายงานคืนข้อมูลแก่ชุมชน"));
    assert!(html.body.contains("ข้อมูลที่ขอให้ชุมชนตรวจสอบ"));
    assert!(html.body.contains("กองทุนสวัสดิการชุมชนเขตธนบุรีช่วยสมาชิกได้ทันที"));
    assert!(
        !html.body.contains("นายทดสอบ"),
        "personal data only when asked for"
    );
    assert!(
        !html.body.contains("<style"),
        "served pages keep to the CSP: no inline style"
    );
    assert_eq!(html.headers[header::CACHE_CONTROL], "private, no-store");
    let asked = get(
        &f.store,
        &format!("/sites/{site}/report?personal=1&digits=thai"),
        None,
    )
    .await;
    assert!(
        asked.body.contains("นายทดสอบ รักชุมชน · ๐๘๙-๐๐๐-๑๑๑๑"),
        "{}",
        asked.body
    );

    let pdf = get(&f.store, &format!("/sites/{site}/report?format=pdf"), None).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        pdf.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(pdf.bytes.starts_with(b"%PDF-"));

    let study = f.store.site(site).await.unwrap().study_id;
    let synthesis = get(&f.store, &format!("/studies/{study}/report"), None).await;
    assert!(synthesis.body.contains("รายงานสังเคราะห์ผลการศึกษา"));
    assert!(
        synthesis.body.contains("<svg"),
        "the map and the network are drawn"
    );
    let missing = get(&f.store, "/sites/999999/report?format=pdf", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_revised_text_keeps_its_codings_and_lists_the_removed_ones() {
    let f = demo().await;
    let (_, forum) = thonburi_ids(&f.store).await;
    let doc = f.store.documents(forum).await.unwrap().remove(0);
    let removed = "Thai PBS มาถ่ายทำรายการในพื้นที่ และ WHO มาศึกษาดูงาน";
    let text = doc.text.replace(removed, "").replace("25 คน", "27 คน");
    let body = serde_urlencoded::to_string([("text", text.as_str())]).unwrap();
    let reply = post_form(
        &f.store,
        &format!("/documents/{}/text", doc.id),
        Some("http://127.0.0.1:7878"),
        &body,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let to = reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(to.contains("revised="), "{to}");
    let page = get(&f.store, &to, None).await;
    assert!(page.body.contains("บันทึกข้อความที่แก้ไขแล้ว"));
    assert!(page.body.contains("การลงรหัสที่ข้อความถูกลบ"));
    assert!(page.body.contains(&format!("<del>{removed}</del>")));
    assert!(page.body.contains("27 คน"));

    // An empty text is refused with a message, and what was typed is not lost.
    let reply = post_form(
        &f.store,
        &format!("/documents/{}/text", doc.id),
        Some("http://127.0.0.1:7878"),
        "text=%20%20",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("ข้อความของเอกสารว่างไม่ได้"),
        "{}",
        reply.body
    );
    assert_eq!(
        f.store.document(doc.id).await.unwrap().text,
        rian_core::thai::normalize(&text)
    );
}

#[tokio::test]
async fn corrections_are_recorded_by_report_item_and_marked_applied() {
    let f = demo().await;
    let (site, forum) = thonburi_ids(&f.store).await;
    let page = get(&f.store, &format!("/sites/{site}/corrections"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!("value=\"forum:{forum}\"")),
        "the forum is item 1"
    );
    assert!(page.body.contains("กองทุนสวัสดิการชุมชนเขตธนบุรีช่วยสมาชิกได้ทันที"));

    // Nothing written: refused, nothing saved.
    let origin = Some("http://127.0.0.1:7878");
    let empty = serde_urlencoded::to_string([
        ("item", format!("forum:{forum}").as_str()),
        ("statement", "ข้อ 1"),
        ("text", "  "),
    ])
    .unwrap();
    let reply = post_form(
        &f.store,
        &format!("/sites/{site}/corrections"),
        origin,
        &empty,
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(f.store.corrections(site).await.unwrap().is_empty());

    let body = serde_urlencoded::to_string([
        ("item", format!("forum:{forum}").as_str()),
        ("statement", "ผู้เข้าร่วม 25 คน"),
        ("text", "ผู้เข้าร่วมจริง 27 คน"),
        ("item", "plan_item:1"),
        ("statement", "ไม่มีการแก้"),
        ("text", ""),
    ])
    .unwrap();
    let reply = post_form(
        &f.store,
        &format!("/sites/{site}/corrections"),
        origin,
        &body,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let saved = f.store.corrections(site).await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].text, "ผู้เข้าร่วมจริง 27 คน");
    assert_eq!(saved[0].state, rian_core::model::CorrectionState::Open);

    let reply = post_form(
        &f.store,
        &format!("/corrections/{}", saved[0].id),
        origin,
        "state=applied&note=%E0%B9%81%E0%B8%81%E0%B9%89%E0%B9%81%E0%B8%A5%E0%B9%89%E0%B8%A7",
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let page = get(&f.store, &format!("/sites/{site}/corrections"), None).await;
    assert!(page.body.contains("แก้ไขในบันทึกแล้ว") && page.body.contains("แก้แล้ว"));
    assert!(
        page.body.contains(&format!("href=\"/forums/{forum}\"")),
        "a link to the record"
    );

    // A correction about another study's record is refused.
    let other =
        serde_urlencoded::to_string([("item", "forum:999999"), ("statement", "x"), ("text", "y")])
            .unwrap();
    let reply = post_form(
        &f.store,
        &format!("/sites/{site}/corrections"),
        origin,
        &other,
    )
    .await;
    assert_ne!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(f.store.corrections(site).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_study_goes_out_as_qdpx_and_a_project_comes_in_from_the_exchange_page() {
    let f = demo().await;
    let study = f.store.studies().await.unwrap()[0].id;
    let page = get(&f.store, &format!("/studies/{study}/exchange"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "ส่งออกเป็น REFI-QDA",
        "10 กรณี",
        "10 การลงรหัส",
        // What REFI-QDA cannot carry is said before the download.
        "ความเชื่อมโยงในเครือข่ายสนับสนุน: 4 รายการ",
        "/studies/1/export.qdpx",
    ] {
        assert!(page.body.contains(text), "missing {text}");
    }
    let qdpx = get(&f.store, &format!("/studies/{study}/export.qdpx"), None).await;
    assert_eq!(qdpx.status, StatusCode::OK);
    assert!(
        qdpx.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with(".qdpx\"")
    );
    assert!(qdpx.bytes.starts_with(b"PK"), "a zip");
    let qdc = get(&f.store, &format!("/studies/{study}/codebook.qdc"), None).await;
    assert!(
        qdc.body
            .contains("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"")
    );

    // The project comes back as a new study.
    let uri = format!("/studies/{study}/exchange/project");
    let origin = Some("http://127.0.0.1:7878");
    let r = post(
        &f.store,
        &uri,
        origin,
        &[
            ("file", Some("demo.qdpx"), &qdpx.bytes),
            ("slug", None, b"copy"),
            ("year", None, b""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("นำเข้าแล้วเป็นการศึกษาใหม่"), "{}", r.body);
    assert!(r.body.contains("10 การลงรหัส"));
    assert_eq!(f.store.studies().await.unwrap().len(), 2);

    // Refusals keep what was typed, say why in Thai, and write nothing.
    let r = post(
        &f.store,
        &uri,
        origin,
        &[
            ("file", Some("demo.qdpx"), &qdpx.bytes),
            ("slug", None, b"copy"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("มีการศึกษาชื่อย่อ &#34;copy&#34; อยู่แล้ว"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"copy\""));
    let r = post(
        &f.store,
        &uri,
        origin,
        &[("file", Some("x.qdpx"), b"not a zip"), ("slug", None, b"x")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ไฟล์ REFI-QDA ใช้ไม่ได้"));
    let r = post(
        &f.store,
        &uri,
        Some("http://evil.example"),
        &[
            ("file", Some("demo.qdpx"), &qdpx.bytes),
            ("slug", None, b"evil"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(f.store.studies().await.unwrap().len(), 2);

    // A codebook of another tool adds the codes this study lacks.
    let other = r##"<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder"><Codes>
      <Code guid="{11111111-2222-4333-8444-555555555555}" name="ทุนทางสังคม" isCodable="true" color="#123456"/>
    </Codes></CodeBook>"##;
    let r = post(
        &f.store,
        &format!("/studies/{study}/exchange/codebook"),
        origin,
        &[("file", Some("other.qdc"), other.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("เพิ่มรหัสในสมุดรหัสแล้ว: 1."), "{}", r.body);
    let codes = f.store.codes(study).await.unwrap();
    assert!(
        codes
            .iter()
            .any(|c| c.name_th == "ทุนทางสังคม" && c.color == "#123456")
    );
}

#[tokio::test]
async fn spreadsheets_and_the_field_form_from_the_exchange_page() {
    let f = demo().await;
    let study = f.store.studies().await.unwrap()[0].id;
    let page = get(&f.store, &format!("/studies/{study}/exchange"), None).await;
    for text in [
        "ทุกตาราง (XLSX)",
        "/tables/codings.csv",
        "/form.xlsx",
        "กำหนดการเวที",
    ] {
        assert!(page.body.contains(text), "missing {text}");
    }
    let book = get(&f.store, &format!("/studies/{study}/tables.xlsx"), None).await;
    assert_eq!(book.status, StatusCode::OK);
    assert!(book.bytes.starts_with(b"PK"));
    let csv = get(
        &f.store,
        &format!("/studies/{study}/tables/codings.csv"),
        None,
    )
    .await;
    assert!(
        csv.body.starts_with("\u{feff}พื้นที่,จังหวัด,วันที่เวที"),
        "{}",
        csv.body
    );
    assert_eq!(
        get(
            &f.store,
            &format!("/studies/{study}/tables/attendees.csv"),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "no personal data over the web"
    );
    let form = get(&f.store, &format!("/studies/{study}/form.xlsx"), None).await;
    assert!(form.bytes.starts_with(b"PK"));

    let origin = Some("http://127.0.0.1:7878");
    let schedule = "พื้นที่,ประเภทเวที,วันที่\nนาทอน,เวทีคืนข้อมูล,2024-05-10\n";
    let before = f.store.study_forums(study).await.unwrap().len();
    let r = post(
        &f.store,
        &format!("/studies/{study}/exchange/forums"),
        origin,
        &[("file", Some("forums.csv"), schedule.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("เพิ่มเวที 1 รายการ"), "{}", r.body);
    assert_eq!(f.store.study_forums(study).await.unwrap().len(), before + 1);
    let r = post(
        &f.store,
        &format!("/studies/{study}/exchange/forums"),
        origin,
        &[(
            "file",
            Some("forums.csv"),
            "พื้นที่,วันที่\nนาทอน,31 กุมภาพันธ์ 2567\n".as_bytes(),
        )],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("แถวที่ 2"), "{}", r.body);
    let r = post(
        &f.store,
        &format!("/studies/{study}/exchange/nothing"),
        origin,
        &[("file", Some("x.csv"), b"a")],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_agreement_page_compares_two_coders_and_lists_their_differences() {
    let f = demo().await;
    let study = f.store.studies().await.unwrap()[0].id;
    let (_, forum) = thonburi_ids(&f.store).await;
    let doc = f.store.documents(forum).await.unwrap()[0].clone();
    let codes = f.store.codes(study).await.unwrap();
    let at = |part: &str| {
        let byte = doc.text.find(part).unwrap();
        let start = doc.text[..byte].chars().count() as i64;
        rian_core::model::Span {
            start,
            end: start + part.chars().count() as i64,
        }
    };
    // The two put different codes on the same words.
    let first = "ธนบุรี";
    for (coder, code) in [("นักวิจัย ก", codes[1].id), ("นักวิจัย ข", codes[2].id)]
    {
        rian_core::edit::create(
            &f.store,
            coder,
            rian_core::model::Record::Coding(rian_core::model::Coding {
                id: 0,
                document_id: doc.id,
                code_id: code,
                span: at(first),
                coder: coder.into(),
                status: rian_core::model::CodingStatus::Accepted,
                memo: None,
                cue: None,
            }),
        )
        .await
        .unwrap();
    }
    let page = get(&f.store, &format!("/studies/{study}/agreement"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("นักวิจัย ก") && page.body.contains("เลือกผู้ลงรหัสสองคนที่ต่างกัน"));
    let uri = format!(
        "/studies/{study}/agreement?{}",
        q(&[("a", "นักวิจัย ก"), ("b", "นักวิจัย ข")])
    );
    let page = get(&f.store, &uri, None).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Cohen's κ",
        "Krippendorff's α",
        "ทุกรหัส",
        "วลีที่ลงรหัสต่างกัน (1)",
        "/documents/",
    ] {
        assert!(page.body.contains(text), "missing {text}");
    }
}

#[tokio::test]
async fn changes_are_logged_under_the_name_the_workbench_was_started_with() {
    let f = demo().await;
    let study = f.store.studies().await.unwrap()[0].id;
    let site = f.store.find_site("1015").await.unwrap().id;
    let body = serde_urlencoded::to_string([
        ("target", "site"),
        ("target_id", &site.to_string()),
        ("text", "บันทึกของนักวิจัย"),
    ])
    .unwrap();
    let request = Request::post("/memos")
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::ORIGIN, "http://127.0.0.1:7878")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let response = rian_web::router_for(f.store.clone(), "อาจารย์สมศรี")
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let memo = &f.store.memos(study, None, None).await.unwrap()[0];
    assert_eq!(memo.author, "อาจารย์สมศรี");
    let activity = f.store.activity(study, 1).await.unwrap();
    assert_eq!(activity[0].actor, "อาจารย์สมศรี");
}
