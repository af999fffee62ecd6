//! The read-only JSON API, version 1. A bad parameter is a 400 naming it, an unknown id a 404;
//! nothing here answers 500.

use crate::AppState;
use app::{
    i18n::Locale,
    model::{ResourceQuery, KNOWN_LANGUAGES},
};
use axum::{
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::Serialize;

/// The API's routes, to be nested under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/stories", get(stories))
        .route("/stories/{id}", get(story))
        .route("/shelves", get(shelves))
        .route("/resources", get(resources))
}

/// The body of an error answer.
#[derive(Debug, Serialize)]
struct ApiError {
    /// `bad_parameter` or `not_found`.
    error: &'static str,
    /// The parameter that is wrong, for `bad_parameter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'static str>,
}

fn bad(parameter: &'static str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(ApiError {
            error: "bad_parameter",
            parameter: Some(parameter),
        }),
    )
        .into_response()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(ApiError {
            error: "not_found",
            parameter: None,
        }),
    )
        .into_response()
}

/// Query pairs, tolerant of broken escapes (they decode lossily and then fail validation).
fn pairs(query: &Option<String>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn locale(pairs: &[(String, String)]) -> Result<Locale, Response> {
    match value(pairs, "locale") {
        None | Some("") => Ok(Locale::default()),
        Some(code) => Locale::from_code(code).ok_or_else(|| bad("locale")),
    }
}

async fn stories(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let pairs = pairs(&query);
    let locale = match locale(&pairs) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let page = match value(&pairs, "page") {
        None | Some("") => 1,
        Some(p) => match p.parse::<u32>() {
            Ok(p) if p > 0 => p,
            _ => return bad("page"),
        },
    };
    match state.store.snapshot().feed(locale, page) {
        Some(feed) => Json(feed).into_response(),
        None => not_found(),
    }
}

async fn story(State(state): State<AppState>, Path(id): Path<String>, RawQuery(query): RawQuery) -> Response {
    let locale = match locale(&pairs(&query)) {
        Ok(l) => l,
        Err(r) => return r,
    };
    match state.store.snapshot().story(locale, &id) {
        Some(story) => Json(story).into_response(),
        None => not_found(),
    }
}

async fn shelves(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    match locale(&pairs(&query)) {
        Ok(locale) => Json(state.store.snapshot().shelves(locale)).into_response(),
        Err(r) => r,
    }
}

async fn resources(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let pairs = pairs(&query);
    let locale = match locale(&pairs) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let snapshot = state.store.snapshot();
    let filters = ResourceQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let given = |key| value(&pairs, key).filter(|v| !v.is_empty());
    if given("q").is_some_and(|q| q.chars().count() > app::model::MAX_QUERY_CHARS || q.chars().any(char::is_control)) {
        return bad("q");
    }
    if given("year").is_some() && filters.year.is_empty() {
        return bad("year");
    }
    if given("shelf").is_some() && !snapshot.shelf_entries().iter().any(|s| s.id == filters.shelf) {
        return bad("shelf");
    }
    if given("language").is_some() && !KNOWN_LANGUAGES.contains(&filters.language.as_str()) {
        return bad("language");
    }
    if given("program").is_some() && !snapshot.site.programs.iter().any(|p| p.id == filters.program) {
        return bad("program");
    }
    match snapshot.library(locale, &filters, None) {
        Some(library) => Json(library).into_response(),
        None => not_found(),
    }
}
