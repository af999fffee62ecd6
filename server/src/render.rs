//! Pages rendered by leptos_axum: the document of `app::shell` for the request, written by the
//! site's stream builder (`app::upstream::document`, which works around what leptos_axum writes
//! after a document), with a Content-Security-Policy that allows exactly the inline scripts the
//! render wrote.

use crate::{csp, front::Keep, state::AppState};
use app::{
    components::IslandsOnPage,
    content::ContentStore,
    upstream::{self, DataScripts},
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use leptos::prelude::provide_context;
use std::sync::Arc;

/// The longest page the server writes; a longer one is a broken render.
const MAX_PAGE: usize = 64 * 1024 * 1024;

/// What every render is given: the content. (Leptos's options are the shell's argument: no
/// part of a render reads them from the context.)
fn context(store: ContentStore) -> impl Fn() + Clone + Send + Sync + 'static {
    move || provide_context(store.clone())
}

/// Starts Leptos's executor on Tokio, which rendering needs (leptos_axum's head injection
/// waits a tick on it). leptos_axum starts it when it lists an application's routes, its one
/// public door to the executor; the list itself is the fallback's `/`, as the pages are chosen
/// by `Page::parse` (see `app::shell`).
pub fn start_executor(state: &AppState) {
    let options = Arc::clone(&state.options);
    let _ = leptos_axum::generate_route_list_with_exclusions_and_ssg_and_context(
        move || app::shell(&options),
        None,
        context(state.store.clone()),
    );
}

/// Renders the page of the request's path (or the 404 page).
pub async fn render_page(State(state): State<AppState>, request: Request) -> Response {
    render(&state, request).await
}

/// Renders the page the request's address names, through leptos_axum with the site's stream
/// builder (`app::upstream::document`), from the current content.
pub async fn render(state: &AppState, request: Request) -> Response {
    let keep = request.extensions().get::<Keep>().copied();
    let islands = IslandsOnPage::default();
    let data = DataScripts::default();
    let base = context(state.store.clone());
    let additional = {
        let (islands, data) = (islands.clone(), data.clone());
        move || {
            base();
            provide_context(islands.clone());
            provide_context(data.clone());
        }
    };
    let options = Arc::clone(&state.options);
    let rendered =
        leptos_axum::handle_response_inner(additional, move || app::shell(&options), request, upstream::document);
    let (mut parts, body) = rendered.await.into_parts();
    let Ok(page) = axum::body::to_bytes(body, MAX_PAGE).await else {
        tracing::error!("a page could not be rendered");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let data = data.take();
    let mut scripts: Vec<&str> = upstream::head_top(&state.options).scripts.clone();
    scripts.extend(
        upstream::end_of_body(&state.options, islands.any())
            .scripts
            .iter()
            .copied(),
    );
    scripts.extend(data.iter().map(String::as_str));
    let host = &state.store.snapshot().site.donation.allowed_host;
    let live_reload = state.options.env == leptos::config::Env::DEV;
    let policy = csp::page_policy(&scripts, host, live_reload);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    if let Some(keep) = keep {
        parts.extensions.insert(keep);
    }
    Response::from_parts(parts, Body::from(page))
}
