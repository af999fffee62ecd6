//! The site's routes: kept pages answered at the front, then the feeds, the API, the editor,
//! the hashed assets, files, and every other path rendered as a page (or the 404 page).

use crate::{
    admin, api,
    front::{Front, Keep},
    handlers, headers, photos,
    render::render_page,
    state::AppState,
};
use app::{i18n::Locale, paths::Page};
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware,
    response::IntoResponse,
    routing::get,
    Router,
};
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

/// The whole site: kept pages answered at the front, everything else through [`router`].
pub fn site(state: AppState, hsts: Option<HeaderValue>) -> Front<Router> {
    let (pages, store, drain) = (state.pages.clone(), state.store.clone(), state.drain.clone());
    Front::new(router(state, hsts), pages, store, drain)
}

/// The site's routes. `hsts` is the `Strict-Transport-Security` value, if any.
pub fn router(state: AppState, hsts: Option<HeaderValue>) -> Router {
    crate::render::start_executor(&state);
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
    // The file services are cloned only for a request that goes to them.
    let static_or_page = move |request: Request| {
        let path = request.uri().path();
        let files = (Page::parse(path).is_none() && could_name_a_file(path)).then(|| assets.clone());
        let state = pages.clone();
        async move {
            if let Some(photo) = photos::original(&state, request.uri().path()).await {
                return photo;
            }
            match files {
                Some(files) => match files.oneshot(request).await {
                    Ok(response) => response.into_response(),
                    Err(never) => match never {},
                },
                None => render_page(State(state), request).await,
            }
        }
    };
    Router::new()
        .route("/", get(handlers::choose_language))
        .route("/healthz", get(handlers::health))
        .route("/js/{file}", get(handlers::islands_file))
        .route("/sitemap.xml", get(handlers::sitemap))
        .route("/robots.txt", get(handlers::robots))
        .route("/es/feed.xml", get(|s| handlers::feed(s, Locale::Es)))
        .route("/en/feed.xml", get(|s| handlers::feed(s, Locale::En)))
        .route("/donate/checkout", get(crate::donate::checkout))
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
        // A page the front keeps is compressed there, once, at a high level, in brotli and
        // gzip. Everything else (pages asked for the first time, 404 pages, the API) is
        // compressed as it goes out, in gzip at its fastest level, as nginx's
        // `gzip_comp_level 1`: anyone can make the server render such answers (a made-up
        // search each time), so their compression must cost little beside the render. Gzip 1
        // (zlib-rs) takes half the time of brotli's fastest level (the brotli crate's quality
        // 0): 77 against 125 µs for the home page, 161 against 278 µs for the library
        // (release build, one core), for answers 10-20 % larger.
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
