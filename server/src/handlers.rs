//! The answers that are not pages: the language choice at `/`, the health check, the feeds,
//! the sitemap and robots.txt.

use crate::{
    feeds,
    page_cache::{compress, Accepted, Encoding},
    state::AppState,
};
use app::{i18n::Locale, paths::Page};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    Json,
};

/// `/`: the home page in the visitor's language, from `Accept-Language` (Spanish by default).
pub async fn choose_language(headers: HeaderMap) -> Response {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let target = Page::Home.path(Locale::negotiate(accept));
    (
        StatusCode::FOUND,
        [(header::LOCATION, target.as_str()), (header::VARY, "Accept-Language")],
    )
        .into_response()
}

/// `/healthz`: 200 with the content's size, or 503 once the server drains, so that a proxy
/// sends it no new requests.
pub async fn health(State(state): State<AppState>) -> Response {
    if state.drain.is_on() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "draining" })),
        )
            .into_response();
    }
    let snapshot = state.store.snapshot();
    Json(serde_json::json!({
        "status": "ok",
        "stories": snapshot.stories().len(),
        "documents": snapshot.document_count(),
    }))
    .into_response()
}

fn xml(body: String, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

pub async fn feed(State(state): State<AppState>, locale: Locale) -> Response {
    xml(
        feeds::atom(&state.store.snapshot(), locale),
        "application/atom+xml; charset=utf-8",
    )
}

pub async fn sitemap(State(state): State<AppState>) -> Response {
    xml(
        feeds::sitemap(&state.store.snapshot()),
        "application/xml; charset=utf-8",
    )
}

pub async fn robots(State(state): State<AppState>) -> Response {
    xml(feeds::robots(&state.store.snapshot()), "text/plain; charset=utf-8")
}

/// The islands script's file (`app::upstream::islands_file`), at the one address its text
/// names; kept for a year (a new text is a new address). In brotli, compressed once, to a
/// browser that takes it; otherwise as it is, for the router's compression.
pub async fn islands_file(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    static BROTLI: std::sync::OnceLock<Bytes> = std::sync::OnceLock::new();
    let file = app::upstream::islands_file(&state.options);
    if uri.path() != file.path {
        return StatusCode::NOT_FOUND.into_response();
    }
    let headers_of = |encoding: Option<&'static str>| {
        let mut out = HeaderMap::new();
        out.insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("text/javascript; charset=utf-8"),
        );
        out.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        out.insert(header::VARY, header::HeaderValue::from_static("Accept-Encoding"));
        if let Some(encoding) = encoding {
            out.insert(header::CONTENT_ENCODING, header::HeaderValue::from_static(encoding));
        }
        out
    };
    if Accepted::of(&headers).brotli {
        let body = BROTLI.get_or_init(|| compress(file.text.as_bytes(), Encoding::Brotli));
        return (headers_of(Some("br")), body.clone()).into_response();
    }
    (headers_of(None), file.text).into_response()
}
