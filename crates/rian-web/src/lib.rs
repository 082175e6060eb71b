//! # rian-web
//!
//! The workbench: an axum [`router`] over a [`rian_core::store::Store`]. Each page is one
//! module under `views/` with its template struct beside its handler; templates are
//! compiled in (askama) and static files are embedded, so the binary works offline.
//!
//! Binding is separate from serving ([`serve`] takes a listener), so tests start the
//! workbench on port 0 and get a URL back.

mod api;
mod auth;
mod error;
mod form;
mod i18n;
mod page;
mod views;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use rian_core::access::Actor;
use rian_core::store::Store;
use std::future::Future;
use std::sync::Arc;

pub use auth::SignInOptions;
pub use error::WebError;
pub use views::report::{site_html, study_html};
/// The largest write-up the site page's import form takes.
pub use views::site::MAX_UPLOAD_BYTES as MAX_WRITE_UP_BYTES;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Who uses this workbench: on a laptop the name its changes are logged under
    /// (`rian serve --user`); in a shared deployment, the signed-in account ([`App`] puts
    /// it here for each request).
    pub user: Actor,
    /// Accounts and sign-in, in a shared deployment; `None` on a single-user laptop.
    pub accounts: Option<Arc<auth::Accounts>>,
}

/// The state as a handler sees it: the workbench's, with the signed-in person as `user`.
pub struct App(pub AppState);

impl FromRequestParts<AppState> for App {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<App, Self::Rejection> {
        let mut app = state.clone();
        if let Some(signed) = parts.extensions.get::<auth::Signed>() {
            app.user = Actor::signed_in(signed.session.account.clone());
        }
        Ok(App(app))
    }
}

/// Every route of the workbench, its changes logged as the local user.
pub fn router(store: Store) -> Router {
    router_for(store, rian_core::review::LOCAL_USER)
}

/// Every route of the workbench, its changes logged under `user`, no sign-in.
pub fn router_for(store: Store, user: &str) -> Router {
    routes(AppState {
        store,
        user: Actor::local(user),
        accounts: None,
    })
}

/// Every route of the workbench behind sign-in: each person has an account and a role.
pub fn router_with_accounts(store: Store, options: SignInOptions) -> Router {
    routes(AppState {
        store,
        user: Actor::local(rian_core::review::LOCAL_USER),
        accounts: Some(Arc::new(auth::Accounts::new(options))),
    })
}

fn routes(state: AppState) -> Router {
    use rian_core::model::Entity;
    use views::*;
    // A workbench runs on: its search index writer stays open between writes (closed by
    // `Store::close`).
    if let Ok(index) = state.store.search_index() {
        index.keep_writer();
    }
    Router::new()
        .route("/", get(dashboard::show))
        .route("/sites/{id}", get(site::show))
        .route(
            "/sites/{id}/import",
            post(site::import).layer(axum::extract::DefaultBodyLimit::max(site::MAX_UPLOAD_BYTES)),
        )
        .route("/sites/{id}/communities", post(site::add_community))
        .route("/sites/{id}/plan", post(site::add_plan_item))
        .route("/plan-items/{id}", post(site::update_plan_item))
        .route(
            "/plan-items/{id}/delete",
            post(|s, p, g, f| delete(Entity::PlanItem, s, p, g, f)),
        )
        .route("/forums/{id}", get(forum::show).post(forum::update))
        .route("/forums/{id}/reviewed", post(forum::mark_reviewed))
        .route("/forums/{id}/record", post(forum::step_record))
        .route("/forums/{id}/parties", post(forum::add_party))
        .route("/parties/{id}", post(forum::update_party))
        .route(
            "/parties/{id}/delete",
            post(|s, p, g, f| delete(Entity::ForumParty, s, p, g, f)),
        )
        .route("/facts/{id}", post(forum::update_fact))
        .route(
            "/facts/{id}/delete",
            post(|s, p, g, f| delete(Entity::Fact, s, p, g, f)),
        )
        .route("/documents/{id}", get(document::show))
        .route("/documents/{id}/codings", post(document::add))
        .route(
            "/documents/{doc}/codings/{id}",
            post(document::set_coding_status),
        )
        .route("/documents/{id}/swot", post(document::add_to_swot))
        .route("/documents/{id}/text", post(document::revise))
        .route(
            "/codings/{id}/delete",
            post(|s, p, g, f| delete(Entity::Coding, s, p, g, f)),
        )
        .route("/studies/{id}/codebook", get(codebook::show))
        .route("/studies/{id}/codes.css", get(codebook::colours))
        .route("/studies/{id}/codes", post(codebook::add))
        .route("/codes/{id}", post(codebook::update))
        .route("/codes/{id}/move", post(codebook::move_code))
        .route("/codes/{id}/merge", post(codebook::merge))
        .route(
            "/codes/{id}/delete",
            get(codebook::confirm_delete).post(|s, p, g, f| delete(Entity::Code, s, p, g, f)),
        )
        .route("/communities/{id}/swot", get(swot::show).post(swot::add))
        .route("/swot-items/{id}", post(swot::update))
        .route("/swot-items/{id}/move", post(swot::move_item))
        .route(
            "/swot-items/{id}/delete",
            post(|s, p, g, f| delete(Entity::SwotItem, s, p, g, f)),
        )
        .route("/studies/{id}/network", get(network::show))
        .route("/studies/{id}/actors", post(network::add_actor))
        .route("/actors/{id}", post(network::update_actor))
        .route(
            "/actors/{id}/delete",
            get(network::confirm_delete_actor).post(|s, p, g, f| delete(Entity::Actor, s, p, g, f)),
        )
        .route("/actors/{id}/ties", post(network::add_tie))
        .route(
            "/ties/{id}/delete",
            post(|s, p, g, f| delete(Entity::Tie, s, p, g, f)),
        )
        .route("/studies/{id}/matrix", get(synthesis::matrix_page))
        .route("/studies/{id}/matrix.csv", get(synthesis::matrix_csv))
        .route("/studies/{id}/matrix.xlsx", get(synthesis::matrix_xlsx))
        .route(
            "/studies/{id}/matrix/cell",
            get(synthesis::cell_page).post(synthesis::save_summary),
        )
        .route("/studies/{id}/codes", get(synthesis::codes_page))
        .route("/studies/{id}/words", get(synthesis::words_page))
        .route("/studies/{id}/network/graph", get(synthesis::graph_page))
        .route(
            "/studies/{id}/network.graphml",
            get(synthesis::graph_graphml),
        )
        .route("/studies/{id}/network.csv", get(synthesis::graph_csv))
        .route("/studies/{id}/map", get(synthesis::map_page))
        .route("/studies/{id}/map.geojson", get(synthesis::map_geojson))
        .route("/studies/{id}/timeline", get(synthesis::timeline_page))
        .route("/studies/{id}/agreement", get(agreement::show))
        .route("/studies/{id}/exchange", get(exchange::show))
        .route("/studies/{id}/export.qdpx", get(exchange::project))
        .route("/studies/{id}/codebook.qdc", get(exchange::codebook))
        .route(
            "/studies/{id}/exchange/project",
            post(exchange::import_project).layer(axum::extract::DefaultBodyLimit::max(
                exchange::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/studies/{id}/tables.xlsx", get(exchange::tables_xlsx))
        .route("/studies/{id}/tables/{file}", get(exchange::table_csv))
        .route("/studies/{id}/form.xlsx", get(exchange::form))
        .route(
            "/studies/{id}/exchange/{what}",
            post(exchange::import_table).layer(axum::extract::DefaultBodyLimit::max(
                exchange::MAX_UPLOAD_BYTES,
            )),
        )
        .route(
            "/studies/{id}/exchange/codebook",
            post(exchange::import_codebook).layer(axum::extract::DefaultBodyLimit::max(
                exchange::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/studies/{id}/memos", get(memos::show))
        .route("/memos", post(memos::add))
        .route(
            "/memos/{id}/delete",
            post(|s, p, g, f| delete(Entity::Memo, s, p, g, f)),
        )
        .route("/studies/{id}/activity", get(activity::show))
        .route("/studies/{id}/undo", post(activity::undo))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/api/v1/session",
            post(auth::api_login).delete(auth::api_logout),
        )
        .route("/studies/{id}/blind", post(agreement::set_blind))
        .route("/search", get(search::show))
        .route("/search/concordance", get(search::concordance))
        .route("/search/concordance.csv", get(search::concordance_csv))
        .route("/api/search", get(search::api))
        .route("/sites/{id}/report", get(report::site))
        .route(
            "/sites/{id}/corrections",
            get(corrections::show).post(corrections::record),
        )
        .route("/corrections/{id}", post(corrections::update))
        .route("/studies/{id}/report", get(report::study))
        .route(report::REPORT_CSS_PATH, get(report::css))
        .route(page::CSS_PATH, get(assets::css))
        .route(page::JS_PATH, get(assets::js))
        .route("/static/fonts/{name}", get(assets::font))
        .nest("/api/v1", api::router())
        .fallback(not_found)
        // Layers run outside in: headers on every answer, then the language, then the
        // guard (which needs the matched route, so it sits on the routes themselves).
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::guard,
        ))
        .layer(axum::middleware::from_fn(page::remember_lang))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Serves the workbench on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The client's address reaches the sign-in rate limit.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    // No inline scripts or styles anywhere: every asset is a file served from here.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}
