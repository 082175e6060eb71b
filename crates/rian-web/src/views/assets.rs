use crate::page::{CSS, JS};
use axum::http::header;
use axum::response::IntoResponse;

pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            // The URL carries a content hash, so the file may be cached for long.
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
}

pub async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        JS,
    )
}

/// The fonts shipped in the binary (static/fonts/README.md says where they come from).
pub(crate) const FONTS: &[(&str, &[u8])] = &[
    (
        "sarabun-thai-400-normal.woff2",
        include_bytes!("../../static/fonts/sarabun-thai-400-normal.woff2"),
    ),
    (
        "sarabun-thai-600-normal.woff2",
        include_bytes!("../../static/fonts/sarabun-thai-600-normal.woff2"),
    ),
    (
        "sarabun-latin-400-normal.woff2",
        include_bytes!("../../static/fonts/sarabun-latin-400-normal.woff2"),
    ),
    (
        "sarabun-latin-600-normal.woff2",
        include_bytes!("../../static/fonts/sarabun-latin-600-normal.woff2"),
    ),
];

pub async fn font(
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<impl IntoResponse, crate::WebError> {
    let (_, bytes) = FONTS
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or(crate::WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "font/woff2"),
            // A font file never changes under the same name.
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        *bytes,
    ))
}
