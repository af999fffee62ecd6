//! Signing in with GitHub (`CMS_BACKEND=github`). Decap's GitHub backend signs in through an
//! OAuth "auth endpoint" at its `base_url`, here the site itself (`admin/auth`):
//!
//! 1. Decap opens a popup at `GET /admin/auth?provider=github&scope=repo`, which answers a
//!    random state in a short-lived cookie and a redirect to GitHub's authorize page.
//! 2. GitHub sends the editor back to `GET /admin/auth/callback?code=…&state=…`. The state must
//!    be the cookie's; the code is exchanged for a token, server to server, with the OAuth App's
//!    secret, which never leaves the server.
//! 3. The callback's page (its script is [`HANDSHAKE_PATH`]) tells the editor page that opened
//!    it `authorizing:github`, waits for the same words back from the site's own origin, and
//!    answers `authorization:github:success:{"token":…}` to that origin only, or
//!    `authorization:github:error:{"message":…}` in the editor's words.
//!
//! The token is in no URL: it is in the body of one `no-store` answer, and in one message.

use super::{escape, locale_of, settings::ClientSecret, settings::GitBackend};
use crate::AppState;
use app::i18n::{Locale, Messages};
use axum::{
    extract::{rejection::QueryRejection, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Extension, Router,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::Deserialize;
use serde_json::json;
use std::{sync::Arc, time::Duration};
use url::Url;

/// Where Decap opens its sign-in popup, relative to the site (the configuration's
/// `auth_endpoint`).
pub const AUTH_ENDPOINT: &str = "admin/auth";

/// Where GitHub sends the editor back: the OAuth App's "Authorization callback URL".
pub const CALLBACK_PATH: &str = "/admin/auth/callback";

/// The callback page's script (`handshake.js` beside this file).
pub const HANDSHAKE_PATH: &str = "/admin/auth/handshake.js";

/// What the editor is asked to allow: reading and writing the content's repository, private
/// ones included (Decap's default for GitHub).
const SCOPE: &str = "repo";

/// The cookie that carries the state from the popup's start to GitHub's answer.
const STATE_COOKIE: &str = "aipr_github_state";

/// How long a sign-in may take, from the popup opening to GitHub sending the editor back.
const STATE_MAX_AGE_SECONDS: u32 = 600;

/// How long the server waits for GitHub to exchange a code for a token.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

/// The callback page's script.
const HANDSHAKE_JS: &str = include_str!("handshake.js");

/// The callback page's policy: its script, from the site, and nothing else.
pub const CALLBACK_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The GitHub OAuth App the editor signs in with, and the HTTP client that reaches GitHub.
pub struct GitHubSignIn {
    client_id: String,
    secret: ClientSecret,
    /// `{CMS_BASE_URL}/login/oauth/authorize`.
    authorize: Url,
    /// `{CMS_BASE_URL}/login/oauth/access_token`.
    access_token: Url,
    http: reqwest::Client,
}

impl GitHubSignIn {
    /// The sign-in of the `github` backend; an error when its settings cannot make one.
    pub fn new(git: &GitBackend) -> Result<Self, String> {
        let secret = git
            .client_secret
            .clone()
            .ok_or("CMS_BACKEND=github needs CMS_GITHUB_SECRET_FILE")?;
        let base = Url::parse(&format!("{}/", git.sign_in_host()))
            .map_err(|e| format!("CMS_BASE_URL={}: {e}", git.sign_in_host()))?;
        let endpoint = |path: &str| base.join(path).map_err(|e| format!("CMS_BASE_URL: {e}"));
        // The one TLS provider of the process (rustls's `ring`); an error only when one is
        // installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(EXCHANGE_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("aipr-website/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("the HTTP client for GitHub: {e}"))?;
        Ok(GitHubSignIn {
            client_id: git.app_id.clone(),
            secret,
            authorize: endpoint("login/oauth/authorize")?,
            access_token: endpoint("login/oauth/access_token")?,
            http,
        })
    }

    /// GitHub's authorize page for this sign-in: back to `callback` with `state`.
    fn authorize_url(&self, callback: &Url, state: &str) -> Url {
        let mut url = self.authorize.clone();
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", callback.as_str())
            .append_pair("scope", SCOPE)
            .append_pair("state", state);
        url
    }

    /// The token GitHub gives for `code`, asked with the client secret.
    async fn exchange(&self, code: &str, callback: &Url) -> Result<String, Failure> {
        let form = [
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.secret.expose()),
            ("code", code),
            ("redirect_uri", callback.as_str()),
        ];
        let response = self
            .http
            .post(self.access_token.clone())
            .header(header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| Failure::Unreachable(format!("{}: {e}", self.access_token)))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| Failure::Unreachable(format!("{}: {e}", self.access_token)))?;
        token_of(status, &body)
    }
}

/// The token in GitHub's answer to the exchange, or why there is none. GitHub answers 200
/// with an `error` for a bad code (expired, used already) as for a bad client secret.
fn token_of(status: reqwest::StatusCode, body: &[u8]) -> Result<String, Failure> {
    #[derive(Deserialize)]
    struct Answer {
        access_token: Option<String>,
        error: Option<String>,
    }
    let answer: Answer = serde_json::from_slice(body)
        .map_err(|_| Failure::Unreachable(format!("the token exchange answered {status}, not JSON")))?;
    match (answer.access_token, answer.error) {
        (Some(token), None) if status.is_success() && !token.is_empty() => Ok(token),
        // The visitor's doing: a code that is too old or was used already.
        (_, Some(error)) if error == "bad_verification_code" => Err(Failure::Denied(error)),
        // The operator's: a wrong client id or secret, a callback URL the app does not have.
        (_, Some(error)) => Err(Failure::Misconfigured(error)),
        _ => Err(Failure::Unreachable(format!(
            "the token exchange answered {status} without a token"
        ))),
    }
}

/// Why a sign-in did not end with a token; each is told to the editor in the editor's words and
/// logged with what happened.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    /// No state, no cookie, or not the same: an old or forged callback, or cookies refused.
    State,
    /// GitHub said no: the editor declined, or the code was too old.
    Denied(String),
    /// GitHub refused the server's own request: the OAuth App's settings are wrong.
    Misconfigured(String),
    /// GitHub did not answer, or not as GitHub does.
    Unreachable(String),
}

impl Failure {
    /// The editor's words for it.
    fn message(&self, t: &'static Messages) -> &'static str {
        match self {
            Failure::State => t.admin_github_state,
            Failure::Denied(_) => t.admin_github_denied,
            Failure::Misconfigured(_) | Failure::Unreachable(_) => t.admin_github_unreachable,
        }
    }

    /// Logs it: at `info` what the visitor did, at `warn` a network failure, at `error` only
    /// what the operator must fix.
    fn log(&self) {
        match self {
            Failure::State => tracing::info!("GitHub sign-in refused: the state is missing or not this browser's"),
            Failure::Denied(why) => tracing::info!("GitHub sign-in refused by GitHub: {why}"),
            Failure::Misconfigured(why) => {
                tracing::error!("GitHub sign-in: GitHub refused the OAuth App's request ({why}): check CMS_APP_ID, CMS_GITHUB_SECRET_FILE and the app's callback URL")
            }
            Failure::Unreachable(why) => tracing::warn!("GitHub sign-in: GitHub could not be reached: {why}"),
        }
    }
}

/// The sign-in's routes, under `/admin/auth`.
pub fn routes(sign_in: GitHubSignIn) -> Router<AppState> {
    Router::new()
        .route("/admin/auth", get(start))
        .route(CALLBACK_PATH, get(callback))
        .route(
            HANDSHAKE_PATH,
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], HANDSHAKE_JS) }),
        )
        .layer(Extension(Arc::new(sign_in)))
}

/// The site's origin (`https://example.org`), from its public base URL: where the popup is and
/// the only window the token is sent to.
fn site_origin(state: &AppState) -> Option<Url> {
    origin_of(&state.store.snapshot().site.base_url)
}

/// `scheme://host[:port]` of `url`, as a URL; `None` for what has no such origin.
pub(super) fn origin_of(url: &str) -> Option<Url> {
    let origin = Url::parse(url).ok()?.origin();
    if !origin.is_tuple() {
        return None;
    }
    Url::parse(&origin.ascii_serialization()).ok()
}

/// `{origin}/admin/auth/callback`.
fn callback_url(origin: &Url) -> Option<Url> {
    origin.join(CALLBACK_PATH).ok()
}

/// A new random state: 32 bytes from the system's generator, base64url.
fn new_state() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(URL_SAFE_NO_PAD.encode(bytes))
}

/// The state cookie: sent back only to `/admin/auth`, never to scripts, over https (browsers
/// count `http://127.0.0.1` as secure too), and on GitHub's redirect back (`Lax`).
fn state_cookie(value: &str, max_age: u32) -> String {
    format!("{STATE_COOKIE}={value}; HttpOnly; Secure; SameSite=Lax; Path=/admin/auth; Max-Age={max_age}")
}

/// `GET /admin/auth`: a new state in the cookie, and on to GitHub's authorize page.
async fn start(
    State(state): State<AppState>,
    Extension(github): Extension<Arc<GitHubSignIn>>,
    headers: HeaderMap,
) -> Response {
    let (Some(origin), Some(value)) = (site_origin(&state), new_state()) else {
        let failure = Failure::Unreachable("no site origin or no random state".into());
        failure.log();
        return page(locale_of(&headers), None, Err(&failure));
    };
    let Some(callback) = callback_url(&origin) else {
        return page(locale_of(&headers), None, Err(&Failure::Unreachable(String::new())));
    };
    let location = github.authorize_url(&callback, &value);
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::LOCATION, location.as_str().to_owned()),
        (header::SET_COOKIE, state_cookie(&value, STATE_MAX_AGE_SECONDS)),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// What GitHub sends back to the callback.
#[derive(Deserialize, Default)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    /// GitHub's reason when there is no code (`access_denied`: the editor declined).
    error: Option<String>,
}

/// Whether `given` is the state of the cookie in `headers`, compared in constant time.
fn state_matches(headers: &HeaderMap, given: Option<&str>) -> bool {
    let Some(given) = given.filter(|g| !g.is_empty()) else {
        return false;
    };
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == STATE_COOKIE)
        .map(|(_, value)| value);
    match cookie {
        Some(expected) if expected.len() == given.len() => {
            expected
                .bytes()
                .zip(given.bytes())
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
        }
        _ => false,
    }
}

/// The checks before the exchange: the state first (a forged callback learns nothing more),
/// then GitHub's own answer. The code to exchange, or why there is none.
fn code_of<'q>(headers: &HeaderMap, query: &'q CallbackQuery) -> Result<&'q str, Failure> {
    if !state_matches(headers, query.state.as_deref()) {
        return Err(Failure::State);
    }
    if let Some(error) = &query.error {
        return Err(Failure::Denied(error.chars().take(100).collect()));
    }
    query
        .code
        .as_deref()
        .filter(|code| !code.is_empty())
        .ok_or_else(|| Failure::Denied("no code".into()))
}

/// `GET /admin/auth/callback`: the state checked, the code exchanged, and the page that hands
/// the outcome to the editor. The state cookie is cleared whatever happens.
async fn callback(
    State(state): State<AppState>,
    Extension(github): Extension<Arc<GitHubSignIn>>,
    headers: HeaderMap,
    query: Result<Query<CallbackQuery>, QueryRejection>,
) -> Response {
    let locale = locale_of(&headers);
    // A query that is not GitHub's (a field twice, say) is a callback without a state.
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let origin = site_origin(&state);
    let outcome = match (code_of(&headers, &query), origin.as_ref().and_then(callback_url)) {
        (Err(failure), _) => Err(failure),
        (Ok(_), None) => Err(Failure::Unreachable("no site origin".into())),
        (Ok(code), Some(callback)) => github.exchange(code, &callback).await,
    };
    if let Err(failure) = &outcome {
        failure.log();
    }
    let mut response = page(locale, origin.as_ref(), outcome.as_deref());
    if let Ok(clear) = HeaderValue::from_str(&state_cookie("", 0)) {
        response.headers_mut().insert(header::SET_COOKIE, clear);
    }
    response
}

/// The message the editor page waits for: the token, or the error in the editor's words.
fn message(locale: Locale, outcome: Result<&str, &Failure>) -> String {
    match outcome {
        Ok(token) => format!(
            "authorization:github:success:{}",
            json!({ "token": token, "provider": "github" })
        ),
        Err(failure) => format!(
            "authorization:github:error:{}",
            json!({ "message": failure.message(locale.messages()) })
        ),
    }
}

/// The callback page: what happened, in words, and for the script the site's origin and the
/// message (a JSON data block, which never runs). Without an origin there is no message to
/// send, only the words.
fn page(locale: Locale, origin: Option<&Url>, outcome: Result<&str, &Failure>) -> Response {
    let t = locale.messages();
    let (role, text) = match outcome {
        Ok(_) => ("status", t.admin_github_signed_in),
        Err(failure) => ("alert", failure.message(t)),
    };
    let data = origin.map(|origin| {
        app::model::script_json(&json!({
            "origin": origin.origin().ascii_serialization(),
            "message": message(locale, outcome),
        }))
    });
    let script = match data {
        Some(data) => format!(
            "<script type=\"application/json\" id=\"aipr-sign-in\">{data}</script>\n<script src=\"{HANDSHAKE_PATH}\"></script>\n"
        ),
        None => String::new(),
    };
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{title}</title>
{script}</head>
<body>
<main>
<h1>{title}</h1>
<p role="{role}">{text}</p>
</main>
</body>
</html>
"#,
        lang = locale.code(),
        title = escape(t.admin_github_title),
        text = escape(text),
    );
    (
        [
            (header::CONTENT_SECURITY_POLICY, CALLBACK_POLICY),
            (header::CACHE_CONTROL, "no-store"),
            // The popup keeps its opener, the editor page, from GitHub's pages back to this one.
            (
                header::HeaderName::from_static("cross-origin-opener-policy"),
                "unsafe-none",
            ),
            (header::VARY, "Accept-Language"),
        ],
        Html(html),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::settings::AdminSettings;

    /// The `github` backend of the settings, its secret in a file of its own.
    fn github(extra: &[(&str, &str)]) -> GitHubSignIn {
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let secret = std::env::temp_dir().join(format!("aipr-github-unit-{}-{call}", std::process::id()));
        std::fs::write(&secret, "the-secret").unwrap();
        let secret_path = secret.to_string_lossy().into_owned();
        let mut vars = vec![
            ("CMS_BACKEND", "github"),
            ("CMS_REPO", "aipr/website"),
            ("CMS_APP_ID", "Iv1.client&id"),
            ("CMS_GITHUB_SECRET_FILE", secret_path.as_str()),
        ];
        vars.extend_from_slice(extra);
        let settings = AdminSettings::from_lookup(false, |name| {
            vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        })
        .expect("valid settings");
        std::fs::remove_file(&secret).unwrap();
        GitHubSignIn::new(settings.git.as_ref().expect("a backend")).expect("a sign-in")
    }

    fn with_cookie(cookie: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
        headers
    }

    fn query(code: Option<&str>, state: Option<&str>, error: Option<&str>) -> CallbackQuery {
        CallbackQuery {
            code: code.map(str::to_owned),
            state: state.map(str::to_owned),
            error: error.map(str::to_owned),
        }
    }

    #[test]
    fn the_authorize_address_is_encoded_and_names_the_site_callback() {
        let sign_in = github(&[("CMS_BASE_URL", "https://ghe.example/")]);
        let callback = callback_url(&origin_of("https://www.aipr.example/es/").unwrap()).unwrap();
        assert_eq!(callback.as_str(), "https://www.aipr.example/admin/auth/callback");
        let url = sign_in.authorize_url(&callback, "s&t=a te");
        assert_eq!(url.origin().ascii_serialization(), "https://ghe.example");
        assert_eq!(url.path(), "/login/oauth/authorize");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("client_id".into(), "Iv1.client&id".into()),
                ("redirect_uri".into(), callback.to_string()),
                ("scope".into(), "repo".into()),
                ("state".into(), "s&t=a te".into()),
            ]
        );
        assert_eq!(
            sign_in.access_token.as_str(),
            "https://ghe.example/login/oauth/access_token"
        );
        assert_eq!(
            github(&[]).authorize.as_str(),
            "https://github.com/login/oauth/authorize"
        );
    }

    #[test]
    fn states_are_random_and_the_cookie_is_kept_to_the_sign_in() {
        let (a, b) = (new_state().unwrap(), new_state().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "32 bytes, base64url");
        let cookie = state_cookie(&a, STATE_MAX_AGE_SECONDS);
        for part in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/admin/auth", "Max-Age=600"] {
            assert!(cookie.split("; ").any(|p| p == part), "{part} in {cookie}");
        }
    }

    #[test]
    fn the_state_must_be_the_cookies() {
        let cookies = with_cookie("other=1; aipr_github_state=abc123; x=y");
        assert!(state_matches(&cookies, Some("abc123")));
        assert!(!state_matches(&cookies, Some("abc124")));
        assert!(!state_matches(&cookies, Some("abc12")));
        assert!(!state_matches(&cookies, Some("")));
        assert!(!state_matches(&cookies, None));
        assert!(!state_matches(&HeaderMap::new(), Some("abc123")), "no cookie");
        assert!(!state_matches(&with_cookie("aipr_github_state="), Some("")));
    }

    #[test]
    fn the_callback_refuses_before_any_exchange() {
        let cookies = with_cookie("aipr_github_state=good");
        assert_eq!(code_of(&cookies, &query(Some("c"), Some("good"), None)), Ok("c"));
        // The state is checked first: a forged callback with GitHub's error is a state failure.
        assert_eq!(
            code_of(&cookies, &query(None, Some("bad"), Some("access_denied"))),
            Err(Failure::State)
        );
        assert_eq!(
            code_of(&HeaderMap::new(), &query(Some("c"), Some("good"), None)),
            Err(Failure::State)
        );
        assert_eq!(
            code_of(&cookies, &query(None, Some("good"), Some("access_denied"))),
            Err(Failure::Denied("access_denied".into()))
        );
        assert!(matches!(
            code_of(&cookies, &query(Some(""), Some("good"), None)),
            Err(Failure::Denied(_))
        ));
    }

    #[test]
    fn githubs_answers_to_the_exchange() {
        let ok = reqwest::StatusCode::OK;
        assert_eq!(
            token_of(ok, br#"{"access_token":"gho_x","token_type":"bearer","scope":"repo"}"#),
            Ok("gho_x".into())
        );
        assert_eq!(
            token_of(
                ok,
                br#"{"error":"bad_verification_code","error_description":"expired"}"#
            ),
            Err(Failure::Denied("bad_verification_code".into()))
        );
        assert_eq!(
            token_of(ok, br#"{"error":"incorrect_client_credentials"}"#),
            Err(Failure::Misconfigured("incorrect_client_credentials".into()))
        );
        assert!(matches!(token_of(ok, b"<html>"), Err(Failure::Unreachable(_))));
        assert!(matches!(
            token_of(reqwest::StatusCode::BAD_GATEWAY, br#"{"access_token":"gho_x"}"#),
            Err(Failure::Unreachable(_))
        ));
    }

    #[test]
    fn every_failure_reaches_the_editor_in_the_editors_words() {
        for locale in Locale::ALL {
            let t = locale.messages();
            for (failure, words) in [
                (Failure::State, t.admin_github_state),
                (Failure::Denied("access_denied".into()), t.admin_github_denied),
                (
                    Failure::Misconfigured("incorrect_client_credentials".into()),
                    t.admin_github_unreachable,
                ),
                (
                    Failure::Unreachable("connection refused".into()),
                    t.admin_github_unreachable,
                ),
            ] {
                let sent = message(locale, Err(&failure));
                let json = sent.strip_prefix("authorization:github:error:").expect(&sent);
                let value: serde_json::Value = serde_json::from_str(json).unwrap();
                assert_eq!(value, json!({ "message": words }), "{failure:?}");
                assert!(!sent.contains("access_denied") && !sent.contains("refused"), "{sent}");
            }
        }
        let sent = message(Locale::En, Ok("gho_t\"k"));
        let json = sent.strip_prefix("authorization:github:success:").unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(value, json!({ "token": "gho_t\"k", "provider": "github" }));
    }

    #[tokio::test]
    async fn the_callback_page_runs_only_its_own_script_and_is_never_kept() {
        let origin = origin_of("http://127.0.0.1:3018").unwrap();
        let response = page(Locale::Es, Some(&origin), Err(&Failure::State));
        let headers = response.headers().clone();
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], CALLBACK_POLICY);
        assert!(!CALLBACK_POLICY.contains("unsafe-inline"));
        assert_eq!(headers["cross-origin-opener-policy"], "unsafe-none");
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(
            html.contains(r#"<script src="/admin/auth/handshake.js"></script>"#),
            "{html}"
        );
        assert!(html.contains(r#""origin":"http://127.0.0.1:3018""#), "{html}");
        assert!(html.contains(Locale::Es.messages().admin_github_state), "{html}");
        assert_eq!(
            html.matches("<script").count(),
            2,
            "a data block and the script file: {html}"
        );
    }
}
