//! The GitHub sign-in over HTTP, as the server runs it (`CMS_BACKEND=github` in its environment),
//! against a stand-in for GitHub's token endpoint on loopback: the redirect to the authorize
//! page with its state cookie, the exchange with the client secret, and each failure answered in
//! the editor's words. One test in this file: the editor's settings are read from the
//! environment, which is the whole process's.

use app::{content::ContentStore, i18n::Locale};
use axum::{body::Body, extract::State, http::Request, response::IntoResponse, routing::post, Router};
use http_body_util::BodyExt;
use server::{front::Drain, page_cache::PageCache};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;
use url::Url;

mod common;
use common::root;

const SECRET: &str = "the-client-secret";
const CLIENT_ID: &str = "Iv1.test-client";
const SITE: &str = "https://aipr.example";

/// What the stand-in was asked: each exchange's form.
type Asked = Arc<Mutex<Vec<Vec<(String, String)>>>>;

/// GitHub's token endpoint, as far as the server uses it: `good` is exchanged for a token, any
/// other code is too old.
async fn access_token(State(asked): State<Asked>, body: String) -> axum::response::Response {
    let form: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    let code = form.iter().find(|(k, _)| k == "code").map(|(_, v)| v.clone());
    asked.lock().unwrap().push(form);
    let answer = match code.as_deref() {
        Some("good") => r#"{"access_token":"gho_stand_in_token","token_type":"bearer","scope":"repo"}"#,
        _ => r#"{"error":"bad_verification_code","error_description":"The code is incorrect or expired."}"#,
    };
    ([(http::header::CONTENT_TYPE, "application/json")], answer).into_response()
}

/// Starts the stand-in on a free loopback port; its address.
async fn stand_in(asked: Asked) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/login/oauth/access_token", post(access_token))
        .with_state(asked);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

/// The site with the editor on GitHub, signing in at `sign_in`.
fn site_signing_in_at(sign_in: &str, secret_file: &std::path::Path) -> server::front::Front<Router> {
    for (name, value) in [
        ("CMS_BACKEND", "github"),
        ("CMS_REPO", "aipr/website"),
        ("CMS_APP_ID", CLIENT_ID),
        ("CMS_GITHUB_SECRET_FILE", secret_file.to_str().unwrap()),
        ("CMS_BASE_URL", sign_in),
        ("CMS_LOCAL_BACKEND", "off"),
        ("CMS_DIR", root().join("admin").to_str().unwrap()),
    ] {
        std::env::set_var(name, value);
    }
    let store = ContentStore::open(
        root().join("app/tests/fixtures/seed"),
        root().join("public"),
        Some(SITE.into()),
    )
    .expect("the seed fixture loads");
    let photos = server::photos::Photos::new(std::env::temp_dir().join("aipr-no-photos"), root().join("public"));
    common::site_of(store, PageCache::new(1 << 20), Drain::default(), photos)
}

async fn get(site: &server::front::Front<Router>, uri: &str, cookie: Option<&str>) -> (u16, http::HeaderMap, String) {
    let mut request = Request::builder().uri(uri).header("accept-language", "es");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = site
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// The message the callback page hands to the editor page.
fn message_of(page: &str) -> String {
    let start = page.find(r#"id="aipr-sign-in">"#).expect("the data block") + r#"id="aipr-sign-in">"#.len();
    let end = start + page[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(data["origin"], SITE, "the token goes to the site's origin only");
    data["message"].as_str().unwrap().to_owned()
}

fn error_message(words: &str) -> String {
    format!("authorization:github:error:{}", serde_json::json!({ "message": words }))
}

#[tokio::test]
async fn github_sign_in_from_the_popup_to_the_token() {
    let t = Locale::Es.messages();
    let secret = std::env::temp_dir().join(format!("aipr-github-http-{}", std::process::id()));
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let asked = Asked::default();
    let github = stand_in(asked.clone()).await;
    let site = site_signing_in_at(&github, &secret);

    // The popup's start: a state in a cookie kept to the sign-in, and on to the authorize page.
    let (status, headers, _) = get(
        &site,
        "/admin/auth?provider=github&site_id=aipr.example&scope=repo",
        None,
    )
    .await;
    assert_eq!(status, 302);
    assert_eq!(headers["cache-control"], "no-store");
    let location = Url::parse(headers["location"].to_str().unwrap()).unwrap();
    assert_eq!(
        &location[..url::Position::AfterPath],
        format!("{github}/login/oauth/authorize")
    );
    let query: std::collections::HashMap<String, String> = location.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], CLIENT_ID);
    assert_eq!(query["redirect_uri"], format!("{SITE}/admin/auth/callback"));
    assert_eq!(query["scope"], "repo");
    let state = &query["state"];
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with(&format!("aipr_github_state={state};")), "{cookie}");
    assert!(
        cookie.contains("HttpOnly; Secure; SameSite=Lax; Path=/admin/auth; Max-Age="),
        "{cookie}"
    );
    let cookie = format!("aipr_github_state={state}");

    // GitHub sends the editor back with a code: exchanged with the secret, the token handed over.
    let callback = format!("/admin/auth/callback?code=good&state={state}");
    let (status, headers, page) = get(&site, &callback, Some(&cookie)).await;
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["cross-origin-opener-policy"], "unsafe-none");
    assert!(
        headers["set-cookie"].to_str().unwrap().contains("Max-Age=0"),
        "the state is used once"
    );
    let message = message_of(&page);
    let success = message.strip_prefix("authorization:github:success:").expect(&message);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(success).unwrap(),
        serde_json::json!({ "token": "gho_stand_in_token", "provider": "github" })
    );
    {
        let asked = asked.lock().unwrap();
        let form = &asked[0];
        let value = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        assert_eq!(value("client_id"), Some(CLIENT_ID));
        assert_eq!(value("client_secret"), Some(SECRET));
        assert_eq!(value("code"), Some("good"));
        assert_eq!(value("redirect_uri"), Some(&*format!("{SITE}/admin/auth/callback")));
    }

    // Another state, or none: refused before anything is asked of GitHub.
    for (uri, cookie) in [
        (
            format!("/admin/auth/callback?code=good&state={state}x"),
            Some(cookie.as_str()),
        ),
        (format!("/admin/auth/callback?code=good&state={state}"), None),
        ("/admin/auth/callback?code=good".to_owned(), Some(cookie.as_str())),
        (
            format!("/admin/auth/callback?code=good&state={state}&state={state}"),
            Some(cookie.as_str()),
        ),
    ] {
        let (status, _, page) = get(&site, &uri, cookie).await;
        assert_eq!(status, 200, "{uri}");
        assert_eq!(message_of(&page), error_message(t.admin_github_state), "{uri}");
        assert!(!page.contains("gho_"), "{uri}");
    }
    assert_eq!(asked.lock().unwrap().len(), 1, "no exchange without the state");

    // GitHub's refusals: the editor declined, or the code is too old.
    let (_, _, page) = get(
        &site,
        &format!("/admin/auth/callback?error=access_denied&state={state}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(message_of(&page), error_message(t.admin_github_denied));
    let (_, _, page) = get(
        &site,
        &format!("/admin/auth/callback?code=old&state={state}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(message_of(&page), error_message(t.admin_github_denied));

    // The editor page may hear from its popup; the public pages keep their strict policy.
    let (_, headers, _) = get(&site, "/admin/", None).await;
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin-allow-popups");
    let (_, headers, _) = get(&site, "/es/", None).await;
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin");

    // GitHub out of reach (nothing listens there): the editor is told so, in words.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let nowhere = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let offline = site_signing_in_at(&nowhere, &secret);
    let (_, _, page) = get(
        &offline,
        &format!("/admin/auth/callback?code=good&state={state}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(message_of(&page), error_message(t.admin_github_unreachable));
    std::fs::remove_file(&secret).unwrap();
}
