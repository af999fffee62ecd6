//! The browser editor at `/admin`: Decap CMS, served from the site's own files, over the same
//! content files the site reads. The server gives it its configuration (generated from the
//! current content), the current content errors, and the labels its previews use.
//!
//! Only pages under `/admin` carry the relaxations the CMS needs (see [`editor_policy`]);
//! nothing here is linked from, or loaded by, the public pages.

pub mod config;
pub mod github;
pub mod settings;

use crate::AppState;
use app::{
    content::{LoadErrors, Snapshot},
    i18n::Locale,
    model::{language_name, DocumentKind, StoryKind, KNOWN_LANGUAGES},
};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware,
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
    Extension, Json, Router,
};
use leptos::config::Env;
use serde_json::json;
use settings::AdminSettings;
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};

/// The editor's routes, with its settings read from the environment. A bad setting is logged
/// and leaves the editor off; the site itself is unaffected.
pub fn routes(state: &AppState) -> Router<AppState> {
    match AdminSettings::from_env(state.options.env == Env::DEV) {
        Ok(settings) => routes_with(settings),
        Err(e) => {
            tracing::error!("the editor at /admin is off: bad setting: {e}");
            Router::new()
        }
    }
}

/// The editor's routes. With no backend to save through (production without `CMS_BACKEND`),
/// there is no editor: `/admin` is the site's 404 page. With GitHub, the sign-in's routes
/// (`github`) are there too; when they cannot be made, the editor is off.
pub fn routes_with(settings: AdminSettings) -> Router<AppState> {
    if !settings.enabled() {
        return Router::new();
    }
    let sign_in = match settings.git.as_ref().filter(|git| git.name == "github") {
        Some(git) => match github::GitHubSignIn::new(git) {
            Ok(sign_in) => github::routes(sign_in),
            Err(e) => {
                tracing::error!("the editor at /admin is off: {e}");
                return Router::new();
            }
        },
        None => Router::new(),
    };
    let bundle = ServeDir::new(settings.files_dir.join("vendor"))
        .precompressed_br()
        .precompressed_gzip();
    let script = ServeFile::new(settings.files_dir.join("editor.js"));
    Router::new()
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/", get(editor))
        .route("/admin/config.yml", get(cms_config))
        .route("/admin/errors", get(errors_page))
        .route("/admin/errors.json", get(errors_json))
        .route("/admin/entries.json", get(entries_json))
        .route_service("/admin/editor.js", script)
        .nest_service("/admin/vendor", bundle)
        .merge(sign_in)
        .layer(Extension(Arc::new(settings)))
        .layer(middleware::map_response(editor_headers))
}

/// Headers of every `/admin` response: never indexed, and never kept by a cache unchecked
/// (`no-cache`, unless the answer asks for `no-store`), so that the configuration and the errors
/// are always those of the current content. The opener policy lets the editor page hear from
/// the sign-in popup it opens (GitHub's); the public pages keep `same-origin` (`headers`).
async fn editor_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    headers
        .entry(header::HeaderName::from_static("cross-origin-opener-policy"))
        .or_insert(HeaderValue::from_static("same-origin-allow-popups"));
    response
}

/// The editor page's Content-Security-Policy: the public pages' policy (`csp`), with what Decap
/// CMS needs and nothing more:
/// - `'unsafe-eval'` in `script-src`: its configuration check compiles its schema validators
///   with `new Function` when it starts;
/// - `'unsafe-inline'` in `style-src`: its interface writes its styles into `<style>` elements
///   at run time (without it the interface is unstyled and the media dialog breaks);
/// - `blob:` in `connect-src` and `img-src`: uploads are read, and shown, as `blob:` URLs;
/// - the local backend's origin (loopback) and the Git host in `connect-src`: where it saves
///   (for GitHub, its API only: the sign-in goes through the server), and the host's avatars in
///   `img-src`.
///
/// No inline script runs: the page loads only the bundle and `editor.js`, from the site.
pub fn editor_policy(settings: &AdminSettings) -> String {
    let mut connect = vec!["'self'".to_owned(), "blob:".to_owned()];
    let mut images = vec!["'self'".to_owned(), "data:".to_owned(), "blob:".to_owned()];
    if let Some(local) = &settings.local_backend {
        connect.push(origin(local));
    }
    if let Some(git) = &settings.git {
        if git.name == "github" {
            // GitHub's sign-in goes through the server; the page calls only the API.
            connect.push(origin(git.api_host()));
            images.push(origin(git.api_host()));
            images.push(if git.base_url.is_none() {
                GITHUB_AVATARS.to_owned()
            } else {
                origin(git.sign_in_host())
            });
        } else {
            // GitLab and Gitea sign in from the page (PKCE), then call the API.
            for url in [git.sign_in_host(), git.api_host()] {
                connect.push(origin(url));
                images.push(origin(url));
            }
            // Avatars of the signed-in editor.
            images.push("https://secure.gravatar.com".to_owned());
        }
    }
    connect.dedup();
    images.dedup();
    format!(
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src {}; font-src 'self' data:; connect-src {}; frame-src 'self' blob:; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
        images.join(" "),
        connect.join(" ")
    )
}

/// Where GitHub keeps its users' pictures (GitHub Enterprise keeps them on its own host).
const GITHUB_AVATARS: &str = "https://avatars.githubusercontent.com";

/// The policy of the errors page: our stylesheet, nothing else, no script.
const ERRORS_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}")
}

/// The language of the editor's labels, from `Accept-Language` (Spanish by default).
fn locale_of(headers: &HeaderMap) -> Locale {
    Locale::negotiate(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )
}

/// Text that is safe inside HTML text and double-quoted attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /admin/`: the editor page. It loads the CMS bundle and `editor.js` (previews, error
/// banner), and carries the previews' labels as a JSON data block, which never runs.
async fn editor(
    State(state): State<AppState>,
    Extension(settings): Extension<Arc<AdminSettings>>,
    headers: HeaderMap,
) -> Response {
    let locale = locale_of(&headers);
    let t = locale.messages();
    let labels = app::model::script_json(&preview_labels(&state.store.snapshot(), locale));
    let cms_strings = app::model::script_json(&cms_strings(&settings, locale).await);
    let stylesheet = escape(&app::stylesheet_href(&state.options));
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{title} · {site}</title>
<link href="/admin/config.yml" type="text/yaml" rel="cms-config-url">
<script type="application/json" id="aipr-editor">{labels}</script>
<script type="application/json" id="aipr-cms-strings">{cms_strings}</script>
</head>
<body data-preview-style="{stylesheet}">
<noscript><p>{noscript}</p></noscript>
<script src="/admin/vendor/decap-cms.js"></script>
<script src="/admin/editor.js"></script>
</body>
</html>
"#,
        lang = locale.code(),
        title = escape(t.admin_title),
        site = escape(t.site_short_name),
        noscript = escape(t.admin_noscript),
    );
    let mut response = Html(html).into_response();
    if let Ok(policy) = HeaderValue::from_str(&editor_policy(&settings)) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}

/// The CMS's own strings that its bundle lacks in the editor's language
/// (`admin/locales/decap-{locale}.json`, merged over the bundle's by `editor.js`); `{}` when
/// there is no such file.
async fn cms_strings(settings: &AdminSettings, locale: Locale) -> serde_json::Value {
    let file = settings.files_dir.join(format!("locales/decap-{}.json", locale.code()));
    match tokio::fs::read_to_string(&file).await {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!("{}: not JSON: {e}", file.display());
            json!({})
        }),
        Err(_) => json!({}),
    }
}

/// The labels the previews need, in the editor's language, from the locale files and the
/// current content: the same words the site's cards and story page use.
fn preview_labels(snapshot: &Snapshot, locale: Locale) -> serde_json::Value {
    let t = locale.messages();
    let months: Vec<&str> = (1..=12).map(|m| t.month(m)).collect();
    let story_kinds: serde_json::Map<String, serde_json::Value> = [StoryKind::News, StoryKind::Impact]
        .into_iter()
        .map(|k| (name_in_files(k), json!(k.label(locale))))
        .collect();
    let document_kinds: serde_json::Map<String, serde_json::Value> = config::DOCUMENT_KINDS
        .into_iter()
        .map(|k: DocumentKind| (name_in_files(k), json!(k.label(locale))))
        .collect();
    let languages: serde_json::Map<String, serde_json::Value> = KNOWN_LANGUAGES
        .iter()
        .map(|l| (l.to_string(), json!(language_name(l, locale))))
        .collect();
    let programs: serde_json::Map<String, serde_json::Value> = snapshot
        .site
        .programs
        .iter()
        .map(|p| (p.id.clone(), json!(p.title.get(locale))))
        .collect();
    let shelves: serde_json::Map<String, serde_json::Value> = snapshot
        .shelf_entries()
        .iter()
        .map(|s| (s.id.clone(), json!(s.title.get(locale))))
        .collect();
    json!({
        "locale": locale.code(),
        "date_format": t.date_format,
        "months": months,
        "story_kinds": story_kinds,
        "document_kinds": document_kinds,
        "languages": languages,
        "programs": programs,
        "shelves": shelves,
        "story_programs": t.story_programs,
        "story_by": t.story_by,
        "download": t.resources_download,
        "open": t.resources_open,
        "pages": t.resources_pages,
        "errors_link": t.admin_errors_link,
        "errors_title": t.admin_errors_title,
        "unsaved_leave": t.admin_unsaved_leave,
        "date_pattern": t.admin_date_pattern,
        "date_invalid": t.admin_date_invalid,
        "duplicate": t.admin_duplicate,
        "default_locale": Locale::default().code(),
        "locales": Locale::ALL.map(Locale::code),
        "field_title": t.admin_field_title,
        "field_summary": t.admin_field_summary,
        "story_no_language": t.admin_story_no_language,
        "story_incomplete": t.admin_story_incomplete,
        "story_removed": t.admin_story_removed,
    })
}

/// How a kind is written in content files (`news`, `report`).
fn name_in_files(kind: impl serde::Serialize) -> String {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// `GET /admin/config.yml`: the CMS configuration for the content as it is now.
async fn cms_config(
    State(state): State<AppState>,
    Extension(settings): Extension<Arc<AdminSettings>>,
    headers: HeaderMap,
) -> Response {
    let config = config::cms_config(&state.store.snapshot(), &settings, locale_of(&headers));
    (
        [
            (header::CONTENT_TYPE, "text/yaml; charset=utf-8"),
            (header::VARY, "Accept-Language"),
        ],
        config.to_string(),
    )
        .into_response()
}

/// The errors of the content as saved: what the last reload refused, and the photos whose
/// derivatives could not be made (the site keeps serving either way).
fn content_errors(state: &AppState) -> Option<LoadErrors> {
    let mut errors = state
        .store
        .errors()
        .map(|LoadErrors(errors)| errors)
        .unwrap_or_default();
    errors.extend(state.photos.errors());
    (!errors.is_empty()).then_some(LoadErrors(errors))
}

/// The content errors as lines `file:line: what`, in the editor's words and language, read by
/// the editor's banner.
async fn errors_json(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let locale = locale_of(&headers);
    let errors: Vec<String> = content_errors(&state)
        .map(|LoadErrors(errors)| errors.iter().map(|e| e.text(locale)).collect())
        .unwrap_or_default();
    Json(json!({ "errors": errors })).into_response()
}

/// The ids of the stories and documents in the content folder as it is now (files, whether
/// or not they load): the editor refuses a new entry whose id is taken, where the CMS would
/// save it as `id-1` without a word.
async fn entries_json(State(state): State<AppState>) -> Response {
    let root = state.store.content_dir().to_path_buf();
    let body = tokio::task::spawn_blocking(move || {
        json!({
            "stories": entry_ids(&root.join("stories"), ".md"),
            "documents": entry_ids(&root.join("resources"), ".toml"),
        })
    })
    .await
    .unwrap_or_else(|_| json!({ "stories": [], "documents": [] }));
    Json(body).into_response()
}

/// The ids of the files in `folder` whose names end in `suffix` (`x.es.md` and `x.en.md`: `x`).
fn entry_ids(folder: &std::path::Path, suffix: &str) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|name| {
            let id = name.strip_suffix(suffix)?;
            Some(id.split('.').next().unwrap_or(id).to_owned())
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// `GET /admin/errors`: what the loader rejects in the content as saved, while the site keeps
/// serving the last good content. It refreshes itself every few seconds.
async fn errors_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let locale = locale_of(&headers);
    let t = locale.messages();
    let body = errors_body(content_errors(&state).as_ref(), locale);
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta http-equiv="refresh" content="3">
<title>{title} · {site}</title>
<link rel="stylesheet" href="{stylesheet}">
</head>
<body>
<main id="main" class="wrap">
<h1>{title}</h1>
{body}
<p class="back"><a href="/admin/">{back}</a></p>
</main>
</body>
</html>
"#,
        lang = locale.code(),
        title = escape(t.admin_errors_title),
        site = escape(t.site_short_name),
        stylesheet = escape(&app::stylesheet_href(&state.options)),
        back = escape(t.admin_back_to_editor),
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_SECURITY_POLICY, ERRORS_POLICY),
            (header::VARY, "Accept-Language"),
        ],
        Html(html),
    )
        .into_response()
}

/// The errors page's message and list: each error in the editor's words, and the developer's
/// message beside it when they differ.
fn errors_body(errors: Option<&LoadErrors>, locale: Locale) -> String {
    let t = locale.messages();
    match errors {
        None => format!(r#"<p role="status">{}</p>"#, escape(t.admin_errors_none)),
        Some(LoadErrors(errors)) => {
            let items: String = errors
                .iter()
                .map(|e| match &e.plain {
                    Some(_) => format!(
                        "<li>{}<br><small>{}: <code>{}</code></small></li>\n",
                        escape(&e.text(locale)),
                        escape(t.admin_errors_details),
                        escape(&e.message)
                    ),
                    None => format!("<li><code>{}</code></li>\n", escape(&e.to_string())),
                })
                .collect();
            format!(
                r#"<p role="alert">{}</p>
<ul class="content-errors">
{items}</ul>"#,
                escape(t.admin_errors_intro)
            )
        }
    }
}

#[cfg(test)]
mod tests;
