//! Hostile input at the workbench: the corpus of `crates/rian/tests/hostile/` uploaded
//! through the pages is refused with a 4xx and the reason in Thai, nothing saved; uploads
//! past the size limit and posts of the wrong content type are refused in Thai; markup
//! typed with Thai comes back escaped; a page or offset far past the last hit is an
//! empty page; every answer carries the security headers; a failure inside rian shows
//! no detail to the visitor.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rian_core::demo::load_demo;
use rian_core::store::Store;
use std::path::Path;
use tower::ServiceExt;

const HOST: &str = "127.0.0.1:7878";
const ORIGIN: &str = "http://127.0.0.1:7878";

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

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
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn demo() -> (tempfile::TempDir, Store, i64) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &rian_core::store::scratch_location(dir.path())
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let study = load_demo(&store).await.unwrap().study_id;
    (dir, store, study)
}

fn upload(uri: &str, file_name: &str, bytes: &[u8]) -> Request<Body> {
    let boundary = "rianboundary7MA4YWxk";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(uri)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rian/tests/hostile")
            .join(name),
    )
    .unwrap()
}

fn thai(s: &str) -> bool {
    s.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c))
}

async fn documents(store: &Store, study: i64) -> usize {
    let mut n = 0;
    for site in store.site_overviews(study).await.unwrap() {
        for forum in store.forums(Some(site.site.id)).await.unwrap() {
            n += store.documents(forum.id).await.unwrap().len();
        }
    }
    n
}

#[tokio::test]
async fn the_corpus_uploaded_as_a_write_up_is_refused_in_thai() {
    let (_dir, store, study) = demo().await;
    let site = store.find_site("1015").await.unwrap().id;
    let before = documents(&store, study).await;
    for name in [
        "empty.txt",
        "binary.txt",
        "truncated-utf8.txt",
        "unknown-encoding.txt",
    ] {
        let r = send(
            &store,
            upload(&format!("/sites/{site}/import"), name, &corpus(name)),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            r.body.contains("role=\"alert\""),
            "{name}: the reason is shown"
        );
        assert!(thai(&r.body), "{name}");
    }
    assert_eq!(documents(&store, study).await, before, "nothing saved");
}

#[tokio::test]
async fn bad_tables_and_projects_uploaded_to_the_exchange_page_are_refused_in_thai() {
    let (_dir, store, study) = demo().await;
    let studies_before = store.studies().await.unwrap().len();
    let forums_before = store.forums(None).await.unwrap().len();
    for (what, name) in [
        ("forums", "invalid-date.csv"),
        ("sites", "over-long-fields.csv"),
        ("submissions", "negative-counts.csv"),
        ("project", "binary.txt"),
    ] {
        let r = send(
            &store,
            upload(
                &format!("/studies/{study}/exchange/{what}"),
                name,
                &corpus(name),
            ),
        )
        .await;
        assert!(r.status.is_client_error(), "{what} {name}: {}", r.status);
        assert!(thai(&r.body), "{what} {name}");
    }
    assert_eq!(store.studies().await.unwrap().len(), studies_before);
    assert_eq!(store.forums(None).await.unwrap().len(), forums_before);
}

#[tokio::test]
async fn an_upload_past_the_limit_is_refused_in_thai() {
    let (_dir, store, _) = demo().await;
    let site = store.find_site("1015").await.unwrap().id;
    let big = vec![b'a'; rian_web::MAX_WRITE_UP_BYTES + 1024];
    let r = send(
        &store,
        upload(&format!("/sites/{site}/import"), "big.txt", &big),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("ไฟล์ใหญ่เกิน"), "{}", r.body);
}

#[tokio::test]
async fn a_form_posted_as_another_content_type_is_refused() {
    let (_dir, store, study) = demo().await;
    let codes_before = store.codes(study).await.unwrap().len();
    let r = send(
        &store,
        Request::post(format!("/studies/{study}/codes"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("name_th=x&color=%23aa5500&parent="))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(thai(&r.body), "{}", r.body);
    // An upload route given a plain form instead of a file.
    let site = store.find_site("1015").await.unwrap().id;
    let r = send(
        &store,
        Request::post(format!("/sites/{site}/import"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("text=x"))
            .unwrap(),
    )
    .await;
    assert!(r.status.is_client_error());
    assert!(thai(&r.body), "{}", r.body);
    assert_eq!(store.codes(study).await.unwrap().len(), codes_before);
}

#[tokio::test]
async fn markup_typed_with_thai_comes_back_escaped_on_every_page_that_shows_it() {
    let (_dir, store, study) = demo().await;
    let site = store.find_site("1015").await.unwrap().id;
    let typed = "แผน<script>alert('ก')</script>\"><img src=x onerror=alert(1)>";
    let body = serde_urlencoded::to_string([("what", typed), ("status", "proposed")]).unwrap();
    let r = send(
        &store,
        Request::post(format!("/sites/{site}/plan"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for uri in [
        format!("/sites/{site}"),
        format!("/studies/{study}/activity"),
        format!("/sites/{site}/report?format=html"),
    ] {
        let r = send(
            &store,
            Request::get(&uri)
                .header(header::HOST, HOST)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(!r.body.contains("<script>alert"), "{uri}");
        assert!(!r.body.contains("<img src=x"), "{uri}");
        assert!(
            r.body.contains("แผน&#60;script&#62;") || r.body.contains("แผน&lt;script&gt;"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn a_page_or_offset_far_past_the_last_hit_is_an_empty_page() {
    let (_dir, store, _) = demo().await;
    let q = "q=%E0%B8%8A%E0%B8%B8%E0%B8%A1%E0%B8%8A%E0%B8%99"; // ชุมชน
    let get = |uri: String| {
        Request::get(uri)
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap()
    };
    let first = send(&store, get(format!("/api/search?{q}"))).await;
    assert_eq!(first.status, StatusCode::OK);
    let first: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    let total = first["total"].as_u64().unwrap();
    assert!(total > 0, "the demo mentions ชุมชน");
    for offset in [u64::MAX, u64::MAX / 4, total] {
        let r = send(&store, get(format!("/api/search?{q}&offset={offset}"))).await;
        assert_eq!(r.status, StatusCode::OK, "offset {offset}");
        let found: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(found["total"].as_u64(), Some(total), "offset {offset}");
        assert_eq!(
            found["hits"].as_array().map(Vec::len),
            Some(0),
            "offset {offset}"
        );
    }
    for page in ["4294967295", "99999999999999999999999", "-3"] {
        let r = send(&store, get(format!("/search?{q}&page={page}"))).await;
        assert_eq!(r.status, StatusCode::OK, "page {page}");
        assert!(thai(&r.body), "page {page}");
        let past = r.body.contains("เลยรายการสุดท้าย");
        assert_eq!(past, page == "4294967295", "page {page}: {}", r.body);
        assert_eq!(r.body.contains(r#"class="hit""#), !past, "page {page}");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_a_failure_shows_no_detail() {
    let (_dir, store, _) = demo().await;
    for uri in [
        "/",
        "/sites/1",
        "/static/rian.js",
        "/api/v1/studies",
        "/nothing",
        "/search?q=%22",
    ] {
        let r = send(
            &store,
            Request::get(uri)
                .header(header::HOST, HOST)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{uri}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{uri}"
        );
        assert_eq!(
            r.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{uri}"
        );
    }
    // The database gone from under the server: a generic page, nothing of the cause.
    store.close().await;
    let r = send(
        &store,
        Request::get("/sites/1")
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(thai(&r.body));
    for detail in ["sqlx", "pool", "Pool", "panicked", "src/", ".rs:"] {
        assert!(!r.body.contains(detail), "{detail} in {}", r.body);
    }
}
