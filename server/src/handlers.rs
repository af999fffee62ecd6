//! The answers that are not pages: the language choice at `/`, the health check, the feeds,
//! the sitemap and robots.txt.

use crate::{feeds, state::AppState};
use app::{i18n::Locale, paths::Page};
use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
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
