//! The server's HTTP answers, without a socket: the JSON API's status codes, the language
//! redirect, the donation hand-off, feeds and headers.

use app::content::ContentStore;
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use server::{page_cache::PageCache, router, AppState};
use std::path::Path;
use tower::ServiceExt;

fn app() -> Router {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let store = ContentStore::open(
        root.join("content"),
        root.join("public"),
        Some("https://aipr.example".into()),
    )
    .expect("the bundled content loads");
    app_with(store)
}

fn app_with(store: ContentStore) -> Router {
    let options = LeptosOptions::builder().output_name("aipr").build();
    let pages = PageCache::new(8 << 20);
    router(AppState { options, store, pages }, None)
}

async fn send(app: &Router, uri: &str, headers: &[(&str, &str)]) -> (u16, http::HeaderMap, String) {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// The nonce of a page's policy, and every `nonce="…"` value of its body.
fn nonces(headers: &http::HeaderMap, body: &str) -> (String, Vec<String>) {
    let csp = headers["content-security-policy"].to_str().unwrap();
    let start = csp.find("'nonce-").unwrap() + "'nonce-".len();
    let end = start + csp[start..].find('\'').unwrap();
    let in_body = body
        .split("nonce=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect();
    (csp[start..end].to_owned(), in_body)
}

async fn get(uri: &str, headers: &[(&str, &str)]) -> (u16, http::HeaderMap, String) {
    send(&app(), uri, headers).await
}

#[tokio::test]
async fn api_answers_with_the_right_status() {
    let cases: &[(&str, u16, &str)] = &[
        ("/api/v1/stories?locale=es&page=1", 200, "\"total\":1"),
        ("/api/v1/stories", 200, "AIPR Celebrates"),
        ("/api/v1/stories?locale=es&page=2", 404, "\"error\":\"not_found\""),
        ("/api/v1/stories?page=0", 400, "\"parameter\":\"page\""),
        ("/api/v1/stories?page=abc", 400, "\"parameter\":\"page\""),
        ("/api/v1/stories?page=-1", 400, "\"parameter\":\"page\""),
        ("/api/v1/stories?locale=fr", 400, "\"parameter\":\"locale\""),
        (
            "/api/v1/stories/aipr-celebrates-un-day-for-south-south-cooperation?locale=es",
            200,
            "\"lang\":\"en\"",
        ),
        ("/api/v1/stories/nope", 404, "not_found"),
        ("/api/v1/shelves?locale=en", 200, "Training resources"),
        ("/api/v1/resources?locale=es&q=silencio", 200, "\"total\":1"),
        (
            "/api/v1/resources?q=SILENCIO&language=en&year=2021&shelf=sncf-papers",
            200,
            "\"total\":1",
        ),
        ("/api/v1/resources?q=%E0%A4%A", 200, "\"total\":0"),
        ("/api/v1/resources?year=abc", 400, "\"parameter\":\"year\""),
        ("/api/v1/resources?shelf=nope", 400, "\"parameter\":\"shelf\""),
        ("/api/v1/resources?language=xx", 400, "\"parameter\":\"language\""),
        ("/api/v1/resources?program=zz", 400, "\"parameter\":\"program\""),
        ("/api/v1/resources?q=a%00b", 400, "\"parameter\":\"q\""),
        ("/api/v1/nothing", 404, ""),
    ];
    for (uri, status, fragment) in cases {
        let (got, headers, body) = get(uri, &[]).await;
        assert_eq!(got, *status, "{uri}: {body}");
        assert!(body.contains(fragment), "{uri}: {body}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn root_redirects_by_language() {
    for (accept, target) in [
        ("", "/es/"),
        ("en-GB,en;q=0.8", "/en/"),
        ("pt-BR", "/es/"),
        ("es;q=0.1,en;q=0.2", "/en/"),
    ] {
        let (status, headers, _) = get("/", &[("accept-language", accept)]).await;
        assert_eq!(status, 302);
        assert_eq!(headers["location"], target, "{accept}");
        assert_eq!(headers["vary"], "Accept-Language");
    }
}

#[tokio::test]
async fn donation_hand_off() {
    let (status, headers, _) = get(
        "/donate/checkout?amount=25,5&currency=EUR&frequency=monthly&locale=en",
        &[],
    )
    .await;
    assert_eq!(status, 303);
    let location = headers["location"].to_str().unwrap();
    assert!(
        location.starts_with("https://www.paypal.com/donate/?business="),
        "{location}"
    );
    assert!(location.contains("&amount=25.50&currency_code=EUR&"), "{location}");
    assert!(
        location.ends_with("&return=https%3A%2F%2Faipr.example%2Fen%2Fdonate%2Fthank-you"),
        "{location}"
    );
    let (status, headers, body) = get("/donate/checkout?amount=abc&currency=EUR&frequency=once&locale=es", &[]).await;
    assert_eq!(status, 400);
    assert!(headers.get("location").is_none());
    assert!(body.contains("El importe debe ser un número"), "{body}");
    assert!(body.contains("<html lang=\"es\""), "{body}");
    let (status, _, body) = get("/donate/checkout?amount=50&currency=USD&frequency=once&locale=xx", &[]).await;
    assert_eq!(status, 400);
    assert!(body.contains("El idioma indicado no es válido."), "{body}");
}

#[tokio::test]
async fn pages_and_machine_readable_views() {
    let (status, headers, body) = get("/es/", &[]).await;
    assert_eq!(status, 200);
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("'nonce-") && !csp.contains("unsafe-inline"), "{csp}");
    assert!(body.contains("<html lang=\"es\""));
    let (status, _, body) = get("/en/no-such-page", &[]).await;
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
    let (status, _, _) = get("/es/historias?page=9", &[]).await;
    assert_eq!(status, 404);
    let (status, headers, body) = get("/sitemap.xml", &[]).await;
    assert_eq!(status, 200);
    assert!(headers["content-type"].to_str().unwrap().starts_with("application/xml"));
    assert!(body.contains("https://aipr.example/en/resources/sncf-papers"));
    let (status, _, body) = get("/es/feed.xml", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"es\">"));
    let (status, _, body) = get("/robots.txt", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("Sitemap: https://aipr.example/sitemap.xml"));
    let (status, _, body) = get("/healthz", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"status\":\"ok\""));
}

#[tokio::test]
async fn kept_pages_get_a_fresh_nonce_and_follow_the_content() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::temp_dir().join(format!("aipr-page-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root.join("content"), &dir);
    let store = ContentStore::open(&dir, root.join("public"), None).expect("the bundled content loads");
    let app = app_with(store.clone());

    let (status, first_headers, first) = send(&app, "/es/recursos?q=silencio", &[]).await;
    assert_eq!(status, 200);
    let (status, second_headers, second) = send(&app, "/es/recursos?q=silencio", &[]).await;
    assert_eq!(status, 200);
    let (first_nonce, first_scripts) = nonces(&first_headers, &first);
    let (second_nonce, second_scripts) = nonces(&second_headers, &second);
    assert_ne!(first_nonce, second_nonce, "every response has its own nonce");
    assert!(!first_scripts.is_empty());
    assert!(first_scripts.iter().all(|n| *n == first_nonce));
    assert!(second_scripts.iter().all(|n| *n == second_nonce));
    assert_eq!(first.replace(&first_nonce, "N"), second.replace(&second_nonce, "N"));
    assert!(
        !second.contains(&first_nonce),
        "no trace of the earlier response's nonce"
    );

    // An edited shelf title shows once the content is reloaded.
    let shelves = dir.join("shelves.toml");
    let text = std::fs::read_to_string(&shelves).unwrap();
    std::fs::write(
        &shelves,
        text.replace("Sheri P. Rosenberg\", en", "Biblioteca Rosenberg\", en"),
    )
    .unwrap();
    store.reload().expect("the edited content loads");
    let (_, _, third) = send(&app, "/es/recursos?q=silencio", &[]).await;
    assert!(
        third.contains("Biblioteca Rosenberg"),
        "the page follows the new content"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
