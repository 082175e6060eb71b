//! The JSON API (/api/v1) through the router: reading, writing through the edit log (who,
//! undo), JSON errors in Thai and English, and the OpenAPI document describing every
//! route. schemathesis exercises the same document against a live server in
//! tests/interop/run.sh.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rian_core::demo::load_demo;
use rian_core::store::Store;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &rian_core::store::scratch_location(dir.path())
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    load_demo(&store).await.unwrap();
    (dir, store)
}

async fn call(
    store: &Store,
    method: &str,
    uri: &str,
    body: Option<Value>,
    origin: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "127.0.0.1:7878")
        .header("x-rian-user", "อาจารย์สมหญิง");
    if let Some(o) = origin {
        request = request.header(header::ORIGIN, o);
    }
    let request = match body {
        Some(b) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => request.body(Body::empty()).unwrap(),
    };
    let response = rian_web::router(store.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(
        response.headers()[header::CONTENT_TYPE].to_str().unwrap(),
        "application/json",
        "{method} {uri}"
    );
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn entities_are_read_written_logged_and_undone() {
    let (_dir, store) = demo().await;
    let (status, studies) = call(&store, "GET", "/api/v1/studies", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let study = studies[0]["id"].as_i64().unwrap();
    let (_, sites) = call(
        &store,
        "GET",
        &format!("/api/v1/studies/{study}/sites"),
        None,
        None,
    )
    .await;
    assert_eq!(sites.as_array().unwrap().len(), 10);
    assert_eq!(sites[0]["name_th"], "ธนบุรี");
    let site = sites[0]["id"].as_i64().unwrap();
    let (_, forums) = call(
        &store,
        "GET",
        &format!("/api/v1/sites/{site}/forums"),
        None,
        None,
    )
    .await;
    let forum = forums[0]["id"].as_i64().unwrap();
    assert_eq!(forums[0]["date"], "2023-03-31");
    let (_, docs) = call(
        &store,
        "GET",
        &format!("/api/v1/forums/{forum}/documents"),
        None,
        None,
    )
    .await;
    assert!(docs[0]["text"].as_str().unwrap().contains("ธนบุรี"));
    assert!(
        docs[0].get("original").is_none(),
        "the raw bytes stay out of JSON"
    );
    let doc = docs[0]["id"].as_i64().unwrap();
    let (_, codings) = call(
        &store,
        "GET",
        &format!("/api/v1/documents/{doc}/codings"),
        None,
        None,
    )
    .await;
    assert_eq!(codings.as_array().unwrap().len(), 10);

    // A memo written through the API: its author is the caller, it is in the activity
    // log under that name, and one undo takes it away.
    let (status, memo) = call(
        &store,
        "POST",
        "/api/v1/memos",
        Some(json!({"study_id": study, "target": "site", "target_id": site, "text": "ข้อสังเกตจาก API"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{memo}");
    assert_eq!(memo["author"], "อาจารย์สมหญิง");
    let id = memo["id"].as_i64().unwrap();
    let activity = store.activity(study, 5).await.unwrap();
    assert_eq!(activity[0].actor, "อาจารย์สมหญิง");
    assert_eq!(activity[0].entity_id, id);

    let (status, changed) = call(
        &store,
        "PUT",
        &format!("/api/v1/memos/{id}"),
        Some(json!({"study_id": study, "target": "site", "target_id": site, "text": "แก้ข้อความแล้ว", "author": "อาจารย์สมหญิง"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["text"], "แก้ข้อความแล้ว");
    let (status, gone) = call(&store, "DELETE", &format!("/api/v1/memos/{id}"), None, None).await;
    assert_eq!(
        (status, gone["text"].as_str()),
        (StatusCode::OK, Some("แก้ข้อความแล้ว"))
    );
    assert_eq!(
        call(&store, "GET", &format!("/api/v1/memos/{id}"), None, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    rian_core::edit::undo_last(&store, study).await.unwrap();
    let (status, back) = call(&store, "GET", &format!("/api/v1/memos/{id}"), None, None).await;
    assert_eq!(
        (status, back["text"].as_str()),
        (StatusCode::OK, Some("แก้ข้อความแล้ว"))
    );
}

#[tokio::test]
async fn documents_come_in_are_revised_and_records_step_forward() {
    let (_dir, store) = demo().await;
    let site = store.find_site("นาทอน").await.unwrap().id;
    let notes = "เมื่อวันที่ 2 ธันวาคม 2566 ณ ศาลาประชาคม มีผู้เข้าร่วม 40 คน แกนนำเล่าประวัติชุมชน";
    let (status, done) = call(
        &store,
        "POST",
        &format!("/api/v1/sites/{site}/documents"),
        Some(json!({"title": "บันทึกเวทีนาทอน", "text": notes})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    assert_eq!(done["document"]["title"], "บันทึกเวทีนาทอน");
    assert!(done["facts"].as_u64().unwrap() > 0, "{done}");
    let doc = done["document"]["id"].as_i64().unwrap();
    let forum = done["forum_id"].as_i64().unwrap();
    // The same words again: recognized, nothing written.
    let (status, again) = call(
        &store,
        "POST",
        &format!("/api/v1/sites/{site}/documents"),
        Some(json!({"title": "บันทึกเวทีนาทอน", "text": notes})),
        None,
    )
    .await;
    assert_eq!(
        (status, again["new_document"].as_bool()),
        (StatusCode::OK, Some(false))
    );

    let revised = notes.replace("40 คน", "42 คน");
    let (status, revision) = call(
        &store,
        "PUT",
        &format!("/api/v1/documents/{doc}/text"),
        Some(json!({"text": revised})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{revision}");
    assert!(store.document(doc).await.unwrap().text.contains("42 คน"));

    let (status, steps) = call(
        &store,
        "POST",
        &format!("/api/v1/forums/{forum}/record"),
        Some(json!({"state": "checked"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{steps}");
    assert_eq!(steps[0]["state"], "checked");
    assert_eq!(steps[0]["actor"], "อาจารย์สมหญิง");
    // Then final; from final, only a reopening (to draft, with a reason) is a step.
    let (_, steps) = call(
        &store,
        "POST",
        &format!("/api/v1/forums/{forum}/record"),
        Some(json!({"state": "final"})),
        None,
    )
    .await;
    assert_eq!(steps.as_array().unwrap().len(), 2);
    let (status, body) = call(
        &store,
        "POST",
        &format!("/api/v1/forums/{forum}/record"),
        Some(json!({"state": "checked"})),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid"))
    );
    // A final record's text is not revised.
    let (status, body) = call(
        &store,
        "PUT",
        &format!("/api/v1/documents/{doc}/text"),
        Some(json!({"text": "อื่น"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn errors_are_json_with_a_code_in_thai_and_english() {
    let (_dir, store) = demo().await;
    for (method, uri, body, status, code) in [
        (
            "GET",
            "/api/v1/studies/999",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "GET",
            "/api/v1/studies/abc",
            None,
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "GET",
            "/api/v1/no-such-thing",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "POST",
            "/api/v1/codes",
            Some(json!({"name_th": 1})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "POST",
            "/api/v1/codes",
            Some(
                json!({"study_id": 1, "parent_id": null, "key": "9", "name_th": "", "name_en": "", "color": "#123456", "position": 0, "description": null}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "POST",
            "/api/v1/codes",
            Some(
                json!({"study_id": 1, "parent_id": null, "key": "9", "name_th": "ทุนทางสังคม", "name_en": "", "color": "red", "position": 0, "description": null}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
    ] {
        let (got, body) = call(&store, method, uri, body, None).await;
        assert_eq!(got, status, "{method} {uri}: {body}");
        assert_eq!(body["error"]["code"], code, "{body}");
        assert!(!body["error"]["th"].as_str().unwrap().is_empty());
        assert!(!body["error"]["en"].as_str().unwrap().is_empty());
    }
    let (status, body) = call(
        &store,
        "POST",
        "/api/v1/memos",
        Some(json!({"study_id": 1, "target": "site", "target_id": 1, "text": "x"})),
        Some("http://evil.example"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    assert!(
        store.memos(1, None, None).await.unwrap().is_empty(),
        "nothing written"
    );
}

#[tokio::test]
async fn the_openapi_document_names_every_route_and_its_schemas() {
    let (_dir, store) = demo().await;
    let (status, doc) = call(&store, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/studies",
        "/studies/{id}/sites",
        "/codings",
        "/codings/{id}",
        "/documents/{id}/facts",
        "/session",
    ] {
        assert!(paths.contains_key(path), "missing {path}");
    }
    // Signing in needs no token; everything else may carry one.
    assert_eq!(doc["paths"]["/session"]["post"]["security"], json!([]));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["paths"]["/codings/{id}"]["delete"].is_object());
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "Study",
        "Site",
        "Coding",
        "Span",
        "ErrorBody",
        "IsoDate",
        "Quadrant",
    ] {
        assert!(schemas.contains_key(name), "missing schema {name}");
    }
    // The attendee list is personal data: it has no route and no schema.
    assert!(!schemas.contains_key("Attendee"));
    assert!(!paths.keys().any(|p| p.contains("attendee")));
}

#[tokio::test]
async fn a_write_based_on_an_old_read_is_refused_with_412() {
    let (_dir, store) = demo().await;
    let site = store.find_site("1015").await.unwrap().id;
    let forum = store.forums(Some(site)).await.unwrap()[0].id;
    let request = |method: &str, etag: Option<&str>, body: Option<Value>| {
        let mut r = Request::builder()
            .method(method)
            .uri(format!("/api/v1/forums/{forum}"))
            .header(header::HOST, "127.0.0.1:7878")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(e) = etag {
            r = r.header(header::IF_MATCH, e);
        }
        r.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap()
    };
    let response = rian_web::router(store.clone())
        .oneshot(request("GET", None, None))
        .await
        .unwrap();
    let etag = response.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_string();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let mut record: Value = serde_json::from_slice(&bytes).unwrap();
    record["venue"] = json!("ศาลาวัด");
    let first = rian_web::router(store.clone())
        .oneshot(request("PUT", Some(&etag), Some(record.clone())))
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    record["venue"] = json!("ห้องประชุม");
    let second = rian_web::router(store.clone())
        .oneshot(request("PUT", Some(&etag), Some(record)))
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::PRECONDITION_FAILED);
    let bytes = axum::body::to_bytes(second.into_body(), usize::MAX)
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(
        store.forum(forum).await.unwrap().venue.as_deref(),
        Some("ศาลาวัด")
    );
    let stale_delete = rian_web::router(store.clone())
        .oneshot(request("DELETE", Some(&etag), None))
        .await
        .unwrap();
    assert_eq!(stale_delete.status(), StatusCode::PRECONDITION_FAILED);
    assert!(store.forum(forum).await.is_ok(), "the forum is still there");
}
