//! The AIPR website's server: pages rendered by Leptos, the JSON API, feeds, the donation
//! hand-off, static assets, and the security headers around all of them.

pub mod admin;
pub mod api;
pub mod canonical;
pub mod check;
pub mod config;
pub mod csp;
pub mod feeds;
pub mod front;
pub mod headers;
pub mod listen;
pub mod page_cache;
pub mod photos;

use app::{
    content::ContentStore,
    i18n::Locale,
    model::{Donation, DonationForm},
    paths::{with_query, Page},
    Target,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use front::{Drain, Front, Keep};
use leptos::config::LeptosOptions;
use page_cache::PageCache;
use std::path::PathBuf;
use tower::ServiceExt;
use tower_http::{
    compression::{
        predicate::{DefaultPredicate, Predicate},
        CompressionLayer, CompressionLevel,
    },
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

/// Hands the memory freed while loading the content back to the system. Loading allocates and
/// frees far more than the snapshot keeps (sources, intermediate HTML), and allocators keep
/// freed pages unless asked: mimalloc (the server's allocator) and glibc's (C libraries').
pub fn release_freed_memory() {
    // SAFETY: mi_collect only frees mimalloc's unused pages; it touches no live allocation.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel; it touches no live data.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// mimalloc's `mi_option_purge_delay`: option 15 of its header (`mimalloc.h`, v3, the version
/// `libmimalloc-sys` builds), which the Rust bindings name no constant for. A test checks it
/// still is (its default is 1000 ms).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has the allocator give freed memory back to the system at once rather than a second later.
/// Under a flood of pages rendered, kept and pushed out of the cache, the delay let freed pages
/// pile up: peak resident memory over `.ci/flood`'s patterns at 10,000 stories went from
/// 301 MB to 242 MB (start 145 MB), with the same requests per second.
pub fn tune_allocator() {
    // SAFETY: sets one of mimalloc's options; it only changes when freed pages are returned.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
}

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Leptos's options (site root, output name, environment).
    pub options: LeptosOptions,
    /// The content.
    pub store: ContentStore,
    /// Pages already rendered from the current content.
    pub pages: PageCache,
    /// Set when the server has been told to stop.
    pub drain: Drain,
    /// The photos' derivatives.
    pub photos: photos::Photos,
}

/// The whole site: kept pages answered at the front, everything else through [`router`].
pub fn site(state: AppState, hsts: Option<HeaderValue>) -> Front<Router> {
    let (pages, store, drain) = (state.pages.clone(), state.store.clone(), state.drain.clone());
    Front::new(router(state, hsts), pages, store, drain)
}

/// The site's routes. `hsts` is the `Strict-Transport-Security` value, if any.
pub fn router(state: AppState, hsts: Option<HeaderValue>) -> Router {
    // Leptos spawns its rendering tasks on Tokio; a second call (tests) finds it set already.
    let _ = any_spawner::Executor::init_tokio();
    let site_root = PathBuf::from(state.options.site_root.as_ref());
    let pkg = ServeDir::new(site_root.join(state.options.site_pkg_dir.as_ref()))
        .precompressed_br()
        .precompressed_gzip();
    let immutable = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    // The site directory (built with the binary), then the public folder as it is now: a
    // document added with new content is served before the site directory is built again.
    let public = ServeDir::new(state.store.public_dir())
        .append_index_html_on_directories(false)
        .fallback(get(render_page).with_state(state.clone()));
    let assets = ServeDir::new(&site_root)
        .append_index_html_on_directories(false)
        .fallback(public);
    let pages = state.clone();
    // A page's path is rendered without a look at the file system, and so is a path that
    // cannot name a file (a 404 page); any other path is a file of the site, or a 404 page.
    let static_or_page = move |request: Request| {
        let (assets, state) = (assets.clone(), pages.clone());
        async move {
            let path = request.uri().path();
            if let Some(photo) = photos::original(&state, path).await {
                return photo;
            }
            if Page::parse(path).is_none() && could_name_a_file(path) {
                match assets.oneshot(request).await {
                    Ok(response) => response.into_response(),
                    Err(never) => match never {},
                }
            } else {
                render_page(State(state), request).await
            }
        }
    };
    Router::new()
        .route("/", get(choose_language))
        .route("/healthz", get(health))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
        .route("/es/feed.xml", get(|s| feed(s, Locale::Es)))
        .route("/en/feed.xml", get(|s| feed(s, Locale::En)))
        .route("/donate/checkout", get(checkout))
        .route("/img/{key}/{file}", get(photos::derivative))
        .nest("/api/v1", api::routes())
        .merge(admin::routes(&state))
        .nest_service(
            &format!("/{}", state.options.site_pkg_dir),
            tower::ServiceBuilder::new()
                .layer(immutable)
                .service(tower::service_fn(move |request: Request| {
                    let pkg = pkg.clone();
                    async move {
                        if !could_name_a_file(request.uri().path()) {
                            return Ok(StatusCode::NOT_FOUND.into_response());
                        }
                        pkg.oneshot(request).await.map(IntoResponse::into_response)
                    }
                })),
        )
        .fallback(static_or_page)
        .with_state(state)
        .layer(middleware::from_fn(move |req, next| {
            headers::security_headers(hsts.clone(), req, next)
        }))
        // A page the front keeps is compressed there, once, at a high level. Everything else
        // (pages asked for the first time, 404 pages, the API) is compressed as it goes out at
        // the fastest level, as nginx's `gzip_comp_level 1`: anyone can make the server
        // render such answers, and a higher level would cost each several times the render.
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Fastest)
                .compress_when(DefaultPredicate::new().and(
                    |_: StatusCode, _: http::Version, _: &HeaderMap, extensions: &http::Extensions| {
                        extensions.get::<Keep>().is_none()
                    },
                )),
        )
        .layer(TraceLayer::new_for_http())
}

/// The longest file name the file system takes, in bytes.
const MAX_FILE_NAME: usize = 255;

/// The longest path of a file the site serves, in bytes.
const MAX_FILE_PATH: usize = 1024;

/// Whether a request path could name a file under the site root: short enough, segment by
/// segment once decoded, for the file system to look it up, and without a NUL byte.
fn could_name_a_file(path: &str) -> bool {
    let name_length = |segment: &str| {
        let mut length = 0;
        for byte in percent_encoding::percent_decode_str(segment) {
            if byte == 0 {
                return None;
            }
            length += 1;
        }
        (length <= MAX_FILE_NAME).then_some(length)
    };
    path.len() <= MAX_FILE_PATH * 3
        && path
            .split('/')
            .try_fold(0usize, |total, segment| Some(total + name_length(segment)? + 1))
            .is_some_and(|total| total <= MAX_FILE_PATH)
}

/// `/`: the home page in the visitor's language, from `Accept-Language` (Spanish by default).
async fn choose_language(headers: HeaderMap) -> Response {
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
async fn health(State(state): State<AppState>) -> Response {
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

async fn feed(State(state): State<AppState>, locale: Locale) -> Response {
    xml(
        feeds::atom(&state.store.snapshot(), locale),
        "application/atom+xml; charset=utf-8",
    )
}

async fn sitemap(State(state): State<AppState>) -> Response {
    xml(
        feeds::sitemap(&state.store.snapshot()),
        "application/xml; charset=utf-8",
    )
}

async fn robots(State(state): State<AppState>) -> Response {
    xml(feeds::robots(&state.store.snapshot()), "text/plain; charset=utf-8")
}

/// `GET /donate/checkout`: a checked donation is handed to the payment provider's page for its
/// frequency with a 303, and the provider sends the donor back to the thank-you page for that
/// frequency; a wrong one (a monthly gift too, where the site offers one-off gifts only) shows
/// the donate form again with its messages and a 400.
async fn checkout(State(state): State<AppState>, request: Request) -> Response {
    let query = request.uri().query().unwrap_or("").to_owned();
    let form = DonationForm::from_query_string(&query);
    let snapshot = state.store.snapshot();
    let provider = &snapshot.site.donation;
    match Donation::validate(&form, &provider.settings) {
        Ok(donation) => {
            let thanks = with_query(
                &Page::Thanks.path(donation.locale),
                &donation.frequency.to_query_string(),
            );
            let return_url = format!("{}{thanks}", snapshot.site.base_url);
            match provider
                .hand_off(&donation, &return_url)
                .map(|url| HeaderValue::from_str(url.as_str()))
            {
                Some(Ok(location)) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
                _ => {
                    // The template passed the same check at load: only a broken build gets here.
                    tracing::error!("the donation URL left the allowed host; not redirecting");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
        Err(_) => {
            // The same URL renders the donate form with its messages, in the form's language.
            let locale = Locale::from_code(&form.locale).unwrap_or_default();
            let target = Target {
                locale,
                page: Some(Page::Donate),
            };
            let mut response = render(&state, target, request).await;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

/// Renders the page of the request's path (or the 404 page).
async fn render_page(State(state): State<AppState>, request: Request) -> Response {
    let target = Target::of_path(request.uri().path());
    render(&state, target, request).await
}

/// Renders `target` for the request's address from the current content, finishes the page
/// (see `finish`) and sets its Content-Security-Policy from its inline scripts.
async fn render(state: &AppState, target: Target, request: Request) -> Response {
    let keep = request.extensions().get::<Keep>().copied();
    let uri = request.uri().clone();
    drop(request);
    let (path, query) = (uri.path(), uri.query().unwrap_or(""));
    let rendered = app::render(&state.options, &state.store, target, path, query).await;
    let html = rendered.html;
    let host = state.store.snapshot().site.donation.allowed_host.clone();
    let live_reload = state.options.env == leptos::config::Env::DEV;
    let policy = csp::page_policy(&html, &host, live_reload);
    let status = StatusCode::from_u16(rendered.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Body::from(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    if let Some(keep) = keep {
        response.extensions_mut().insert(keep);
    }
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn option_15_is_the_allocators_purge_delay() {
        // SAFETY: reads one of mimalloc's options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000, "mimalloc's purge delay, 1000 ms by default, is option 15");
    }
}
