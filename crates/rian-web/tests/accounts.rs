//! A shared deployment: signing in, each role's permissions on pages and the API (allowed
//! and refused), CSRF, session expiry and sign-out, the sign-in rate limit, the activity
//! log naming the person, and blind coding. Runs on SQLite, and on PostgreSQL with
//! RIAN_TEST_POSTGRES.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use rian_core::demo::load_demo;
use rian_core::model::*;
use rian_core::store::{NewAccount, Store};
use rian_web::{SignInOptions, router_with_accounts};
use std::time::Duration;
use tower::ServiceExt;

const HOST: &str = "127.0.0.1:7878";
const ORIGIN: &str = "http://127.0.0.1:7878";
const PASSWORD: &str = "รหัสผ่านยาวพอสมควร";

struct World {
    _dir: tempfile::TempDir,
    store: Store,
    study: i64,
    site: i64,
    other_site: i64,
    forum: i64,
    document: i64,
}

async fn world() -> World {
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
    let other_site = store
        .site_overviews(study)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.site.id)
        .find(|&id| id != site)
        .unwrap();
    let forum = store.forums(Some(site)).await.unwrap()[0].id;
    let document = store.documents(forum).await.unwrap()[0].id;
    for (name, role, site_id, studies) in [
        ("ผู้ดูแล", Role::Admin, None, vec![]),
        ("สมศรี", Role::Facilitator, None, vec![study]),
        ("outsider", Role::Facilitator, None, vec![]),
        ("ผู้ตรวจธนบุรี", Role::Reviewer, Some(site), vec![]),
        ("viewer", Role::Viewer, None, vec![]),
    ] {
        store
            .add_account(&NewAccount {
                name,
                role,
                site_id,
                studies: &studies,
                password: PASSWORD,
            })
            .await
            .unwrap();
    }
    World {
        _dir: dir,
        store,
        study,
        site,
        other_site,
        forum,
        document,
    }
}

fn app(store: &Store, lifetime: Duration) -> Router {
    router_with_accounts(
        store.clone(),
        SignInOptions {
            session_lifetime: lifetime,
            plain_http: false,
        },
    )
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
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

/// A signed-in browser: its session cookie and the CSRF token its pages carry.
struct Browser {
    cookie: String,
    csrf: String,
    token: String,
}

async fn sign_in(app: &Router, store: &Store, name: &str) -> Browser {
    let reply = post_login(app, name, PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{name}: {}",
        reply.body
    );
    let set = reply.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    let token = set
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("rian_session=")
        .unwrap()
        .to_string();
    let csrf = store.session(&token).await.unwrap().unwrap().csrf;
    Browser {
        cookie: format!("rian_session={token}"),
        csrf,
        token,
    }
}

async fn post_login(app: &Router, name: &str, password: &str) -> Reply {
    let body = serde_urlencoded::to_string([("name", name), ("password", password), ("next", "/")])
        .unwrap();
    send(
        app,
        Request::post("/login")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn get(app: &Router, who: Option<&Browser>, uri: &str) -> Reply {
    let mut request = Request::get(uri).header(header::HOST, HOST);
    if let Some(b) = who {
        request = request.header(header::COOKIE, &b.cookie);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// A form post from the browser's own page: its CSRF token unless `csrf` says otherwise.
async fn post(
    app: &Router,
    who: Option<&Browser>,
    uri: &str,
    fields: &[(&str, &str)],
    csrf: Option<&str>,
) -> Reply {
    let mut fields: Vec<(&str, &str)> = fields.to_vec();
    let token = csrf.map(str::to_string).or(who.map(|b| b.csrf.clone()));
    if let Some(t) = &token {
        fields.push(("csrf", t));
    }
    let mut request = Request::post(uri)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(b) = who {
        request = request.header(header::COOKIE, &b.cookie);
    }
    send(
        app,
        request
            .body(Body::from(serde_urlencoded::to_string(&fields).unwrap()))
            .unwrap(),
    )
    .await
}

/// A program's JSON request with a Bearer token.
async fn api(
    app: &Router,
    token: Option<&str>,
    method: &str,
    uri: &str,
    json: Option<serde_json::Value>,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, HOST);
    if let Some(t) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match json {
        Some(v) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    send(app, request.body(body).unwrap()).await
}

async fn code_count(w: &World) -> usize {
    w.store.codes(w.study).await.unwrap().len()
}

fn new_code(name: &str) -> Vec<(&str, &str)> {
    vec![("name_th", name), ("color", "#aa5500"), ("parent", "")]
}

#[tokio::test]
async fn nobody_gets_in_without_signing_in() {
    let w = world().await;
    let app = app(&w.store, Duration::from_secs(3600));
    let page = get(&app, None, &format!("/sites/{}", w.site)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.headers[header::LOCATION],
        format!("/login?next=%2Fsites%2F{}", w.site).as_str()
    );
    let api_read = api(&app, None, "GET", "/api/v1/studies", None).await;
    assert_eq!(api_read.status, StatusCode::UNAUTHORIZED);
    assert!(
        api_read.body.contains("\"unauthorized\""),
        "{}",
        api_read.body
    );
    let before = code_count(&w).await;
    let form = post(
        &app,
        None,
        &format!("/studies/{}/codes", w.study),
        &new_code("ใหม่"),
        None,
    )
    .await;
    assert_eq!(form.status, StatusCode::UNAUTHORIZED);
    assert!(form.body.contains("หมดเวลาเข้าสู่ระบบ"));
    assert_eq!(code_count(&w).await, before);
    // The sign-in page and what it needs are open.
    let login = get(&app, None, "/login?next=/sites/1").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.contains("name=\"password\""));
    assert_eq!(
        get(&app, None, "/static/rian.css").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, None, "/api/v1/openapi.json").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn signing_in_gives_a_cookie_scripts_cannot_read_and_signing_out_ends_it() {
    let w = world().await;
    let app = app(&w.store, Duration::from_secs(3600));
    let wrong = post_login(&app, "สมศรี", "not the password at all").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"));
    assert!(wrong.headers.get(header::SET_COOKIE).is_none());
    // An unknown name is refused in the same words.
    let unknown = post_login(&app, "ไม่มีคนนี้", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.body.contains("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"));

    let right = post_login(&app, "สมศรี", PASSWORD).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    let cookie = right.headers[header::SET_COOKIE].to_str().unwrap();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=3600"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    // On loopback the cookie is not Secure (there is no TLS); on a named host it is.
    assert!(!cookie.contains("Secure"), "{cookie}");
    let body = serde_urlencoded::to_string([("name", "สมศรี"), ("password", PASSWORD)]).unwrap();
    let named = send(
        &app,
        Request::post("/login")
            .header(header::HOST, "rian.example.org")
            .header(header::ORIGIN, "https://rian.example.org")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert!(
        named.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );

    let b = sign_in(&app, &w.store, "สมศรี").await;
    let home = get(&app, Some(&b), "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("สมศรี"),
        "the header names who is signed in"
    );
    assert!(home.body.contains(&format!("value=\"{}\"", b.csrf)));
    let out = post(&app, Some(&b), "/logout", &[], None).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(get(&app, Some(&b), "/").await.status, StatusCode::SEE_OTHER);
    assert!(w.store.session(&b.token).await.unwrap().is_none());
}

#[tokio::test]
async fn sessions_expire_and_a_disabled_account_is_out_at_once() {
    let w = world().await;
    let short = app(&w.store, Duration::ZERO);
    let reply = post_login(&short, "viewer", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("rian_session=");
    let page = send(
        &short,
        Request::get("/")
            .header(header::HOST, HOST)
            .header(header::COOKIE, format!("rian_session={token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "an expired session is asked to sign in"
    );
    assert!(
        page.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );

    let server = app(&w.store, Duration::from_secs(3600));
    let b = sign_in(&server, &w.store, "viewer").await;
    assert_eq!(get(&server, Some(&b), "/").await.status, StatusCode::OK);
    // Disabled from the command line (another process): a server that has not seen the
    // session lately refuses it at once; one that has, within its 10-second cache.
    w.store.set_account_disabled("viewer", true).await.unwrap();
    let app = app(&w.store, Duration::from_secs(3600));
    assert_eq!(get(&app, Some(&b), "/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        post_login(&app, "viewer", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    w.store.set_account_disabled("viewer", false).await.unwrap();
    w.store
        .reset_password("viewer", "อีกรหัสหนึ่งที่ยาวพอ")
        .await
        .unwrap();
    assert_eq!(
        post_login(&app, "viewer", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post_login(&app, "viewer", "อีกรหัสหนึ่งที่ยาวพอ").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_are_slowed_down() {
    let w = world().await;
    let app = app(&w.store, Duration::from_secs(3600));
    for _ in 0..5 {
        assert_eq!(
            post_login(&app, "สมศรี", "a wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Now even the right password waits, and says for how long.
    let limited = post_login(&app, "สมศรี", PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 15 * 60);
    assert!(limited.body.contains("ลองผิดหลายครั้งเกินไป"));
    // Another account is not held up by it.
    assert_eq!(
        post_login(&app, "viewer", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // The API's sign-in counts the same failures.
    let json = serde_json::json!({"name": "สมศรี", "password": PASSWORD});
    let r = api(&app, None, "POST", "/api/v1/session", Some(json)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_is_refused() {
    let w = world().await;
    let app = app(&w.store, Duration::from_secs(3600));
    let b = sign_in(&app, &w.store, "สมศรี").await;
    let uri = format!("/studies/{}/codes", w.study);
    let before = code_count(&w).await;
    let missing = post(&app, Some(&b), &uri, &new_code("ไม่มีโทเค็น"), Some("")).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("แบบฟอร์มหมดอายุ"));
    let wrong = post(
        &app,
        Some(&b),
        &uri,
        &new_code("โทเค็นผิด"),
        Some(&"0".repeat(64)),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // Another session's token is as wrong as any other.
    let other = sign_in(&app, &w.store, "ผู้ดูแล").await;
    let stolen = post(
        &app,
        Some(&b),
        &uri,
        &new_code("โทเค็นคนอื่น"),
        Some(&other.csrf),
    )
    .await;
    assert_eq!(stolen.status, StatusCode::FORBIDDEN);
    assert_eq!(code_count(&w).await, before, "nothing saved");
    let right = post(&app, Some(&b), &uri, &new_code("โทเค็นถูก"), None).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(code_count(&w).await, before + 1);

    // The API with the browser's cookie needs the token in a header; with a Bearer token
    // (which no other site's page can send) it does not.
    let memo = serde_json::json!({"study_id": w.study, "target": "site", "target_id": w.site, "text": "บันทึก"});
    let cookie_only = send(
        &app,
        Request::post("/api/v1/memos")
            .header(header::HOST, HOST)
            .header(header::COOKIE, &b.cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(memo.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(cookie_only.status, StatusCode::FORBIDDEN);
    assert!(cookie_only.body.contains("\"csrf\""));
    let with_header = send(
        &app,
        Request::post("/api/v1/memos")
            .header(header::HOST, HOST)
            .header(header::COOKIE, &b.cookie)
            .header("x-csrf-token", &b.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(memo.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(
        with_header.status,
        StatusCode::CREATED,
        "{}",
        with_header.body
    );
    let bearer = api(&app, Some(&b.token), "POST", "/api/v1/memos", Some(memo)).await;
    assert_eq!(bearer.status, StatusCode::CREATED, "{}", bearer.body);
}

#[tokio::test]
async fn each_role_may_do_what_it_should_and_nothing_more() {
    let w = world().await;
    let app = app(&w.store, Duration::from_secs(3600));
    let codebook = format!("/studies/{}/codebook", w.study);
    let add_code = format!("/studies/{}/codes", w.study);
    let own_site = format!("/sites/{}", w.site);
    let other_site = format!("/sites/{}", w.other_site);
    let corrections = format!("/sites/{}/corrections", w.site);
    let other_corrections = format!("/sites/{}/corrections", w.other_site);
    let item = format!("forum:{}", w.forum);
    let correction: Vec<(&str, &str)> =
        vec![("item", &item), ("statement", "จัดเวที"), ("text", "วันที่ผิด")];
    let memo = serde_json::json!({"study_id": w.study, "target": "site", "target_id": w.site, "text": "บันทึก"});

    // Administrator: everything.
    let admin = sign_in(&app, &w.store, "ผู้ดูแล").await;
    assert_eq!(
        get(&app, Some(&admin), &codebook).await.status,
        StatusCode::OK
    );
    assert_eq!(
        post(&app, Some(&admin), &add_code, &new_code("จากผู้ดูแล"), None)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    // Facilitator of the study: reads and changes it; the log names her.
    let fac = sign_in(&app, &w.store, "สมศรี").await;
    assert_eq!(
        get(&app, Some(&fac), &codebook).await.status,
        StatusCode::OK
    );
    assert_eq!(
        post(&app, Some(&fac), &add_code, &new_code("จากสมศรี"), None)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let log = w.store.activity(w.study, 5).await.unwrap();
    assert_eq!(log[0].actor, "สมศรี");
    assert_eq!(
        api(
            &app,
            Some(&fac.token),
            "POST",
            "/api/v1/memos",
            Some(memo.clone())
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let memos = w.store.memos(w.study, None, None).await.unwrap();
    assert!(
        memos.iter().any(|m| m.author == "สมศรี"),
        "the API's change carries her name"
    );

    // A facilitator of another study: reads, changes nothing here (the route's study on
    // a page; the record's study through the API, where the study is in the body).
    let outsider = sign_in(&app, &w.store, "outsider").await;
    assert_eq!(
        get(&app, Some(&outsider), &codebook).await.status,
        StatusCode::OK
    );
    let before = code_count(&w).await;
    assert_eq!(
        post(
            &app,
            Some(&outsider),
            &add_code,
            &new_code("จากคนนอก"),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let refused = api(
        &app,
        Some(&outsider.token),
        "POST",
        "/api/v1/memos",
        Some(memo.clone()),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let mut code = serde_json::to_value(&w.store.codes(w.study).await.unwrap()[0]).unwrap();
    code["id"] = 0.into();
    code["key"] = "Z9".into();
    code["name_th"] = "แอบเพิ่ม".into();
    assert_eq!(
        api(
            &app,
            Some(&outsider.token),
            "POST",
            "/api/v1/codes",
            Some(code)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(code_count(&w).await, before, "nothing saved");

    // Viewer: reads, writes nothing.
    let viewer = sign_in(&app, &w.store, "viewer").await;
    assert_eq!(
        get(&app, Some(&viewer), &codebook).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(
            &app,
            Some(&viewer),
            "/search?q=%E0%B8%81%E0%B8%AD%E0%B8%87%E0%B8%97%E0%B8%B8%E0%B8%99"
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        post(&app, Some(&viewer), &add_code, &new_code("จากผู้อ่าน"), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api(
            &app,
            Some(&viewer.token),
            "POST",
            "/api/v1/memos",
            Some(memo.clone())
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api(&app, Some(&viewer.token), "GET", "/api/v1/studies", None)
            .await
            .status,
        StatusCode::OK
    );

    // Community reviewer: their own site only, and corrections to it.
    let rev = sign_in(&app, &w.store, "ผู้ตรวจธนบุรี").await;
    let home = get(&app, Some(&rev), "/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.headers[header::LOCATION], own_site.as_str());
    assert_eq!(
        get(&app, Some(&rev), &own_site).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, Some(&rev), &format!("/forums/{}", w.forum))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, Some(&rev), &format!("/documents/{}", w.document))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, Some(&rev), &corrections).await.status,
        StatusCode::OK
    );
    for refused in [
        &other_site,
        &codebook,
        &other_corrections,
        "/api/v1/studies",
    ] {
        assert_eq!(
            get(&app, Some(&rev), refused).await.status,
            StatusCode::FORBIDDEN,
            "{refused}"
        );
    }
    // Search is held to their own site, whatever the query asks for.
    let write_up =
        serde_json::json!({"title": "เวทีอีกพื้นที่", "text": "ผู้นำชุมชนเล่าเรื่องกองทุนของชุมชนบ้านเรา"});
    let imported = api(
        &app,
        Some(&admin.token),
        "POST",
        &format!("/api/v1/sites/{}/documents", w.other_site),
        Some(write_up),
    )
    .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    let other = format!(
        "/api/search?q=%E0%B8%8A%E0%B8%B8%E0%B8%A1%E0%B8%8A%E0%B8%99&limit=100&site={}",
        w.other_site
    );
    let all = api(
        &app,
        Some(&viewer.token),
        "GET",
        "/api/search?q=%E0%B8%8A%E0%B8%B8%E0%B8%A1%E0%B8%8A%E0%B8%99&limit=100",
        None,
    )
    .await;
    let sites_of = |body: &str| -> std::collections::BTreeSet<i64> {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h["site"]["id"].as_i64())
            .collect()
    };
    assert!(
        sites_of(&all.body).len() > 1,
        "the corpus spans sites: {}",
        all.body
    );
    let held = api(&app, Some(&rev.token), "GET", &other, None).await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.body);
    let held_sites = sites_of(&held.body);
    assert!(held_sites.iter().all(|&s| s == w.site), "{held_sites:?}");
    assert_eq!(
        get(&app, Some(&rev), "/search?q=x").await.status,
        StatusCode::OK
    );
    let api_read = api(
        &app,
        Some(&rev.token),
        "GET",
        &format!("/api/v1/sites/{}/forums", w.site),
        None,
    )
    .await;
    assert_eq!(api_read.status, StatusCode::OK);
    let api_other = api(
        &app,
        Some(&rev.token),
        "GET",
        &format!("/api/v1/sites/{}/forums", w.other_site),
        None,
    )
    .await;
    assert_eq!(api_other.status, StatusCode::FORBIDDEN);
    assert!(api_other.body.contains("\"forbidden\""));
    let saved = post(&app, Some(&rev), &corrections, &correction, None).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let mine = w.store.corrections(w.site).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].author, "ผู้ตรวจธนบุรี");
    // Deciding a correction is the facilitators' part: not by the form, not by the API.
    let decide = format!("/corrections/{}", mine[0].id);
    let decided = post(
        &app,
        Some(&rev),
        &decide,
        &[("state", "applied"), ("note", "แก้เอง")],
        None,
    )
    .await;
    assert_eq!(decided.status, StatusCode::FORBIDDEN, "{}", decided.body);
    let mut applied = serde_json::to_value(&mine[0]).unwrap();
    applied["state"] = "applied".into();
    let r = api(
        &app,
        Some(&rev.token),
        "PUT",
        &format!("/api/v1{decide}"),
        Some(applied),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        w.store.corrections(w.site).await.unwrap()[0].state,
        rian_core::model::CorrectionState::Open
    );
    // Their own open correction they may still reword.
    let mut reworded = serde_json::to_value(&mine[0]).unwrap();
    reworded["text"] = "วันที่ผิด ควรเป็นวันที่ 31".into();
    let r = api(
        &app,
        Some(&rev.token),
        "PUT",
        &format!("/api/v1{decide}"),
        Some(reworded),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let fac_decides = post(
        &app,
        Some(&fac),
        &decide,
        &[("state", "applied"), ("note", "แก้ในบันทึกเวทีแล้ว")],
        None,
    )
    .await;
    assert_eq!(
        fac_decides.status,
        StatusCode::SEE_OTHER,
        "{}",
        fac_decides.body
    );
    let decided = &w.store.corrections(w.site).await.unwrap()[0];
    assert_eq!(decided.state, rian_core::model::CorrectionState::Applied);
    assert_eq!(decided.text, "วันที่ผิด ควรเป็นวันที่ 31");
    assert_eq!(
        post(&app, Some(&rev), &other_corrections, &correction, None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&app, Some(&rev), &add_code, &new_code("จากชุมชน"), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(
            &app,
            Some(&rev),
            "/memos",
            &[("target", "site"), ("target_id", "1"), ("text", "x")],
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // Through the API a correction to another site is refused by the change itself.
    let elsewhere = serde_json::json!({"site_id": w.other_site, "item_entity": "forum", "item_id": w.forum,
        "statement": "x", "text": "y", "state": "open"});
    let r = api(
        &app,
        Some(&rev.token),
        "POST",
        "/api/v1/corrections",
        Some(elsewhere),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn a_program_signs_in_for_a_bearer_token_and_out_again() {
    let w = world().await;
    let app = app(&w.store, Duration::from_secs(3600));
    let r = api(
        &app,
        None,
        "POST",
        "/api/v1/session",
        Some(serde_json::json!({"name": "viewer", "password": PASSWORD})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["account"]["role"], "viewer");
    let token = v["token"].as_str().unwrap().to_string();
    assert_eq!(
        api(&app, Some(&token), "GET", "/api/v1/studies", None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        api(&app, Some(&token), "DELETE", "/api/v1/session", None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api(&app, Some(&token), "GET", "/api/v1/studies", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let bad = api(
        &app,
        None,
        "POST",
        "/api/v1/session",
        Some(serde_json::json!({"name": "viewer", "password": "wrong password"})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn coding_blind_shows_each_coder_only_their_own() {
    let w = world().await;
    let app = app(&w.store, Duration::from_secs(3600));
    let code = w.store.codes(w.study).await.unwrap()[0].id;
    let span = Span { start: 0, end: 12 };
    let mine = rian_core::review::add_coding(&w.store, w.document, code, span, "สมศรี")
        .await
        .unwrap();
    let theirs = rian_core::review::add_coding(&w.store, w.document, code, span, "ผู้ดูแล")
        .await
        .unwrap();
    let doc = format!("/documents/{}", w.document);
    let fac = sign_in(&app, &w.store, "สมศรี").await;
    let page = get(&app, Some(&fac), &doc).await.body;
    assert!(
        page.contains(&format!("coding-{mine}\"")) && page.contains(&format!("coding-{theirs}\""))
    );
    // The framework matrix's cell: the passages of both coders, then (blind) her own.
    let cell = format!(
        "/studies/{}/matrix/cell?rows=site&row={}&code={code}",
        w.study, w.site
    );
    let quotes = |body: &str| body.matches("class=\"to-span\"").count();
    let before = get(&app, Some(&fac), &cell).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert!(quotes(&before.body) >= 2, "{}", before.body);

    let start = post(
        &app,
        Some(&fac),
        &format!("/studies/{}/blind", w.study),
        &[("blind", "on")],
        None,
    )
    .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    assert!(w.store.is_blind(w.study).await.unwrap());
    let page = get(&app, Some(&fac), &doc).await.body;
    assert!(page.contains("blind-notice"));
    assert!(page.contains(&format!("coding-{mine}\"")));
    assert!(
        !page.contains(&format!("coding-{theirs}\"")),
        "another coder's coding is hidden"
    );
    assert_eq!(
        quotes(&get(&app, Some(&fac), &cell).await.body),
        1,
        "her own passage alone: the other coders' left the cell"
    );
    // The API lists the same, by the signed-in coder.
    let listed = api(
        &app,
        Some(&fac.token),
        "GET",
        &format!("/api/v1/documents/{}/codings", w.document),
        None,
    )
    .await;
    let ids: Vec<i64> = serde_json::from_str::<Vec<serde_json::Value>>(&listed.body)
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&mine) && !ids.contains(&theirs), "{ids:?}");
    // The agreement view still compares both.
    let query = serde_urlencoded::to_string([("a", "สมศรี"), ("b", "ผู้ดูแล")]).unwrap();
    let agreement = get(
        &app,
        Some(&fac),
        &format!("/studies/{}/agreement?{query}", w.study),
    )
    .await;
    assert_eq!(agreement.status, StatusCode::OK);
    // Search: her own passage is found, not the other coder's, and the code only the
    // other coder used is neither counted nor a way to find the document.
    let codes = w.store.codes(w.study).await.unwrap();
    let only_theirs = codes[1].id;
    let later = Span { start: 12, end: 30 };
    let theirs_too =
        rian_core::review::add_coding(&w.store, w.document, only_theirs, later, "ผู้ดูแล")
            .await
            .unwrap();
    let text = w.store.document(w.document).await.unwrap().text;
    let head: String = text.chars().take(30).collect();
    let words = rian_core::search::tokens::words(&head);
    let query = words
        .iter()
        .map(|(_, w)| w.as_str())
        .filter(|w| !w.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" OR ");
    let search = |extra: String| {
        let uri = format!(
            "/api/search?{}",
            serde_urlencoded::to_string([("q", query.as_str())]).unwrap()
        ) + &extra;
        let app = app.clone();
        let token = fac.token.clone();
        async move {
            let reply = api(&app, Some(&token), "GET", &uri, None).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            serde_json::from_str::<serde_json::Value>(&reply.body).unwrap()
        }
    };
    let found = search("&unit=coding&limit=100".into()).await;
    let hits: Vec<i64> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect();
    assert!(hits.contains(&mine), "{hits:?}");
    assert!(
        !hits.contains(&theirs) && !hits.contains(&theirs_too),
        "{hits:?}"
    );
    let counted = |v: &serde_json::Value| {
        v["facets"]["code"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["value"].as_str() == Some(only_theirs.to_string().as_str()))
    };
    assert!(!counted(&search(String::new()).await));
    let by_their_code = search(format!("&unit=document&code={only_theirs}")).await;
    assert_eq!(by_their_code["total"], 0, "{by_their_code}");
    // A viewer may not end it.
    let viewer = sign_in(&app, &w.store, "viewer").await;
    let refused = post(
        &app,
        Some(&viewer),
        &format!("/studies/{}/blind", w.study),
        &[("blind", "off")],
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(w.store.is_blind(w.study).await.unwrap());
}
