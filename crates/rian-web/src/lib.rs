//! # rian-web
//!
//! The workbench: an axum [`router`] over a [`rian_core::store::Store`]. Each page is one
//! module under `views/` with its template struct beside its handler; templates are
//! compiled in (askama) and static files are embedded, so the binary works offline.
//!
//! Binding is separate from serving ([`serve`] takes a listener), so tests start the
//! workbench on port 0 and get a URL back.

mod error;
mod i18n;
mod page;
mod views;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::get;
use rian_core::store::Store;
use std::future::Future;

pub use error::WebError;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// Every route of the workbench.
pub fn router(store: Store) -> Router {
    Router::new()
        .route("/", get(views::dashboard::show))
        .route("/sites/{id}", get(views::site::show))
        .route(
            "/sites/{id}/import",
            axum::routing::post(views::site::import).layer(axum::extract::DefaultBodyLimit::max(
                views::site::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/forums/{id}", get(views::forum::show))
        .route(
            "/documents/{doc}/codings/{id}",
            axum::routing::post(views::review::status),
        )
        .route(
            "/studies/{id}/undo",
            axum::routing::post(views::review::undo),
        )
        .route(page::CSS_PATH, get(views::assets::css))
        .route(page::JS_PATH, get(views::assets::js))
        .route(
            "/documents/{doc}/codings",
            axum::routing::post(views::review::add),
        )
        .fallback(views::not_found)
        .layer(axum::middleware::from_fn(page::remember_lang))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(AppState { store })
}

/// Serves the workbench on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(store))
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
