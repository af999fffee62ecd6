//! The server's HTTP answers, without a socket: the JSON API's status codes, the language
//! redirect, the donation hand-off, feeds and headers.

use app::content::ContentStore;
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use server::{router, AppState};
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
    let options = LeptosOptions::builder().output_name("aipr").build();
    router(AppState { options, store }, None)
}

async fn get(uri: &str, headers: &[(&str, &str)]) -> (u16, http::HeaderMap, String) {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
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
