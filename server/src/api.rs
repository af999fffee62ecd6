//! The read-only JSON API, version 1. A bad parameter is a 400 naming it, an unknown id a 404;
//! nothing here answers 500.

use crate::AppState;
use app::{i18n::Locale, model::ResourceQuery};
use axum::{
    extract::{Path, RawQuery, State},
    http::{header, HeaderValue, StatusCode},
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
        .route("/library", get(library))
        .route("/library/{shelf}", get(shelf))
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

/// Why a request is refused.
#[derive(Debug)]
enum Rejection {
    /// A parameter is wrong: 400 naming it.
    Bad(&'static str),
    /// No such thing: 404.
    NotFound,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::Bad(parameter) => (
                StatusCode::BAD_REQUEST,
                Json(ApiError {
                    error: "bad_parameter",
                    parameter: Some(parameter),
                }),
            )
                .into_response(),
            Rejection::NotFound => (
                StatusCode::NOT_FOUND,
                Json(ApiError {
                    error: "not_found",
                    parameter: None,
                }),
            )
                .into_response(),
        }
    }
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

fn locale(pairs: &[(String, String)]) -> Result<Locale, Rejection> {
    match value(pairs, "locale") {
        None | Some("") => Ok(Locale::default()),
        Some(code) => Locale::from_code(code).ok_or(Rejection::Bad("locale")),
    }
}

async fn stories(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, Rejection> {
    let pairs = pairs(&query);
    let locale = locale(&pairs)?;
    let page = match value(&pairs, "page") {
        None | Some("") => 1,
        Some(p) => p.parse::<u32>().ok().filter(|p| *p > 0).ok_or(Rejection::Bad("page"))?,
    };
    let feed = state.store.snapshot().feed(locale, page).ok_or(Rejection::NotFound)?;
    Ok(Json(feed).into_response())
}

async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Rejection> {
    let locale = locale(&pairs(&query))?;
    let story = state.store.snapshot().story(locale, &id).ok_or(Rejection::NotFound)?;
    Ok(Json(story).into_response())
}

async fn shelves(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, Rejection> {
    let locale = locale(&pairs(&query))?;
    Ok(Json(state.store.snapshot().shelves(locale)).into_response())
}

async fn resources(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, Rejection> {
    let pairs = pairs(&query);
    let locale = locale(&pairs)?;
    let snapshot = state.store.snapshot();
    let filters = ResourceQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let given = |key| value(&pairs, key).filter(|v| !v.is_empty());
    let too_long = |q: &str| {
        q.chars().count() > app::model::MAX_QUERY_CHARS || q.split_whitespace().count() > app::model::MAX_QUERY_TERMS
    };
    if given("q").is_some_and(|q| too_long(q) || q.chars().any(char::is_control)) {
        return Err(Rejection::Bad("q"));
    }
    // A value the page would silently drop (unknown shelf, language or program, a year that is
    // not a number) is an error here, named.
    let known = snapshot.normalize(&filters);
    for (key, kept) in [
        ("year", &known.year),
        ("shelf", &known.shelf),
        ("language", &known.language),
        ("program", &known.program),
    ] {
        if given(key).is_some() && kept.is_empty() {
            return Err(Rejection::Bad(key));
        }
    }
    let library = snapshot
        .library_data(locale, &filters, None)
        .ok_or(Rejection::NotFound)?;
    Ok(json_text(&library.json()))
}

/// What the library page shows for the filters of its address: values the content does not
/// know are dropped, as the page drops them. The library's island asks this after a change.
async fn library(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, Rejection> {
    as_the_page_shows(&state, &query, None)
}

/// What a shelf's page shows for the filters and the `page` of its address; an unknown shelf,
/// or a page past the last, is a 404.
async fn shelf(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Rejection> {
    as_the_page_shows(&state, &query, Some(&id))
}

fn as_the_page_shows(state: &AppState, query: &Option<String>, shelf: Option<&str>) -> Result<Response, Rejection> {
    let pairs = pairs(query);
    let locale = locale(&pairs)?;
    let filters = ResourceQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let library = state
        .store
        .snapshot()
        .library_data(locale, &filters, shelf)
        .ok_or(Rejection::NotFound)?;
    Ok(json_text(&library.json()))
}

/// A JSON answer already written.
fn json_text(json: &str) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        json.to_owned(),
    )
        .into_response()
}
