//! The server's HTTP answers, without a socket: the JSON API's status codes, the language
//! redirect, the donation hand-off, feeds and headers.

use app::content::ContentStore;
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use server::front::{Drain, Front};
use server::page_cache::PageCache;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

mod common;
use common::root;

/// The frozen copy of the seed content the tests read (never the editors' `content/`).
fn seed() -> PathBuf {
    root().join("app/tests/fixtures/seed")
}

/// The site as the server runs it: kept pages at the front, then the router.
type Site = Front<Router>;

fn app() -> Site {
    let store = ContentStore::open(seed(), root().join("public"), Some("https://aipr.example".into()))
        .expect("the seed fixture loads");
    app_with(store, PageCache::new(8 << 20))
}

fn app_with(store: ContentStore, pages: PageCache) -> Site {
    app_draining(store, pages, Drain::default())
}

fn app_draining(store: ContentStore, pages: PageCache, drain: Drain) -> Site {
    let photos = server::photos::Photos::new(std::env::temp_dir().join("aipr-no-photos"), root().join("public"));
    common::site_of(store, pages, drain, photos)
}

async fn send(app: &Site, uri: &str, headers: &[(&str, &str)]) -> (u16, http::HeaderMap, String) {
    call(app, "GET", uri, headers, "").await
}

async fn call(
    app: &Site,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, http::HeaderMap, String) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::from(body.to_owned())).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
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

/// The `Location` of a hand-off, read as a URL.
fn location(headers: &http::HeaderMap) -> url::Url {
    let location = headers["location"].to_str().expect("a text location");
    url::Url::parse(location).expect("an absolute location")
}

fn query_value(url: &url::Url, key: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn a_one_off_gift_goes_to_the_one_off_page() {
    let (status, headers, _) = get(
        "/donate/checkout?amount=25,5&currency=EUR&frequency=once&locale=en",
        &[],
    )
    .await;
    assert_eq!(status, 303);
    let url = location(&headers);
    assert_eq!(url.host_str(), Some("www.paypal.com"));
    assert_eq!(url.path(), "/donate/", "PayPal's donate page: {url}");
    assert_eq!(query_value(&url, "cmd"), None, "{url}");
    assert_eq!(query_value(&url, "business").as_deref(), Some("donations@aipr.example"));
    assert_eq!(query_value(&url, "amount").as_deref(), Some("25.50"));
    assert_eq!(query_value(&url, "currency_code").as_deref(), Some("EUR"));
    assert_eq!(
        query_value(&url, "return").as_deref(),
        Some("https://aipr.example/en/donate/thank-you?frequency=once")
    );
}

#[tokio::test]
async fn a_monthly_gift_goes_to_the_monthly_page() {
    let (status, headers, _) = get(
        "/donate/checkout?amount=25&currency=USD&frequency=monthly&locale=es",
        &[],
    )
    .await;
    assert_eq!(status, 303);
    let url = location(&headers);
    assert_eq!(url.host_str(), Some("www.paypal.com"));
    assert_eq!(url.path(), "/cgi-bin/webscr", "PayPal's subscription page: {url}");
    for (key, value) in [
        ("cmd", "_xclick-subscriptions"),
        ("business", "donations@aipr.example"),
        ("a3", "25"),
        ("p3", "1"),
        ("t3", "M"),
        ("src", "1"),
        ("currency_code", "USD"),
        ("return", "https://aipr.example/es/donar/gracias?frequency=monthly"),
    ] {
        assert_eq!(query_value(&url, key).as_deref(), Some(value), "{key} in {url}");
    }
    assert_eq!(query_value(&url, "amount"), None, "no one-off amount: {url}");
}

#[tokio::test]
async fn monthly_without_its_page_is_refused_with_its_message() {
    let store = ContentStore::open(
        root().join("app/tests/fixtures/valid"),
        root().join("public"),
        Some("https://aipr.example".into()),
    )
    .expect("the valid fixture loads");
    let app = app_with(store, PageCache::new(0));
    for (locale, message) in [
        ("es", "Las donaciones mensuales no están disponibles"),
        ("en", "Monthly donations are not available"),
    ] {
        let uri = format!("/donate/checkout?amount=50&currency=USD&frequency=monthly&locale={locale}");
        let (status, headers, body) = send(&app, &uri, &[]).await;
        assert_eq!(status, 400, "{uri}");
        assert!(headers.get("location").is_none(), "{uri}");
        assert!(body.contains(message), "{uri}: {body}");
        assert!(body.contains(&format!("<html lang=\"{locale}\"")), "{body}");
        // The form shows no monthly choice, and sends a one-off gift.
        assert!(!body.contains("value=\"monthly\""), "{body}");
        assert!(body.contains("name=\"frequency\" value=\"once\""), "{body}");
    }
    let (status, headers, _) = send(
        &app,
        "/donate/checkout?amount=50&currency=USD&frequency=once&locale=en",
        &[],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(location(&headers).host_str(), Some("pay.example"));
}

#[tokio::test]
async fn a_wrong_value_shows_the_form_again_with_its_message() {
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
async fn the_form_says_where_the_gift_is_completed_and_the_thanks_name_the_frequency() {
    let (status, _, body) = get("/es/donar", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("value=\"monthly\""), "the seed offers monthly gifts");
    assert!(
        body.contains("Continuarás en PayPal para completar tu donación."),
        "{body}"
    );
    // Where the site offers one-off gifts only, the line says so.
    let one_off_only = app_with(
        ContentStore::open(root().join("app/tests/fixtures/valid"), root().join("public"), None)
            .expect("the valid fixture loads"),
        PageCache::new(0),
    );
    let (status, _, body) = send(&one_off_only, "/en/donate", &[]).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("You will continue on Pay Example to complete your one-off donation."),
        "{body}"
    );
    for (path, title) in [
        ("/es/donar/gracias?frequency=monthly", "Gracias por su donación mensual"),
        (
            "/en/donate/thank-you?frequency=once&tx=1",
            "Thank you for your one-off donation",
        ),
        ("/en/donate/thank-you?frequency=weekly", "Thank you for your donation"),
    ] {
        let (status, _, body) = get(path, &[]).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains(&format!("<h1>{title}</h1>")), "{path}: {body}");
    }
}

#[tokio::test]
async fn pages_and_machine_readable_views() {
    let (status, headers, body) = get("/es/", &[]).await;
    assert_eq!(status, 200);
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("'sha256-") && !csp.contains("unsafe-inline") && !csp.contains("nonce"),
        "{csp}"
    );
    assert!(!body.contains(" nonce="), "no nonce in a page");
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
async fn kept_pages_are_served_from_the_cache_as_they_were_rendered_and_follow_the_content() {
    let dir = seed_copy("aipr-page-cache");
    let store = ContentStore::open(&dir, root().join("public"), None).expect("the seed fixture loads");
    let pages = PageCache::new(8 << 20);
    let app = app_with(store.clone(), pages.clone());
    let key = "/es/recursos?q=silencio";

    let (status, _, once) = send(&app, key, &[]).await;
    assert_eq!(status, 200);
    assert!(!pages.holds(key), "an address asked for once is not kept");
    let (status, first_headers, first) = send(&app, key, &[]).await;
    assert_eq!(status, 200);
    assert!(pages.holds(key), "the page asked for again is kept");
    assert_eq!(pages.hits(), 0);
    assert_eq!(once, first, "rendering is a function of the address and the content");
    let (status, second_headers, second) = send(&app, key, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(pages.hits(), 1, "the third answer comes from the kept page");
    assert_eq!(first, second, "a page is the same bytes for every visitor");
    // The same page by another spelling of its address: its query normalized, unknown keys out.
    let (status, _, same) = send(&app, "/es/recursos?zz=1&q=+silencio&q=silencio&shelf=nope", &[]).await;
    assert_eq!((status, pages.hits()), (200, 2), "one page, one key");
    assert_eq!(same, second);
    let etag = second_headers["etag"].to_str().unwrap().to_owned();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "a strong ETag: {etag}"
    );
    assert_eq!(second_headers["vary"], "Accept-Encoding");
    assert!(second_headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("s-maxage=10"));
    let (status, unchanged_headers, unchanged) = send(&app, key, &[("if-none-match", &etag)]).await;
    assert_eq!(
        (status, unchanged.as_str()),
        (304, ""),
        "the visitor's copy is still good"
    );
    assert_eq!(unchanged_headers["etag"], etag.as_str());
    assert_eq!(
        unchanged_headers["content-security-policy"], second_headers["content-security-policy"],
        "the browser's copy keeps the page's own policy"
    );
    assert_eq!(
        first_headers["content-security-policy"],
        second_headers["content-security-policy"]
    );

    // An edited shelf title shows once the content is reloaded.
    let shelves = dir.join("shelves.toml");
    let text = std::fs::read_to_string(&shelves).unwrap();
    std::fs::write(
        &shelves,
        text.replacen("es = \"Sheri P. Rosenberg\"", "es = \"Biblioteca Rosenberg\"", 1),
    )
    .unwrap();
    store.reload().expect("the edited content loads");
    let (_, _, third) = send(&app, key, &[]).await;
    assert!(
        third.contains("Biblioteca Rosenberg"),
        "the page follows the new content"
    );
    assert_eq!(
        pages.hits(),
        3,
        "a reload empties the cache: the page was rendered again"
    );
    let (_, third_headers, kept_again) = send(&app, key, &[]).await;
    assert_eq!((kept_again, pages.hits()), (third, 3), "and kept again");
    assert_ne!(
        third_headers["etag"],
        etag.as_str(),
        "a content reload changes the ETag"
    );
    let (status, _, _) = send(&app, key, &[("if-none-match", &etag)]).await;
    assert_eq!(status, 200, "the old ETag no longer matches");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn paths_that_cannot_be_files_are_404_pages_in_their_language() {
    let long = "a".repeat(5_000);
    for (path, lang) in [
        (format!("/es/{long}"), "es"),
        (format!("/en/{long}"), "en"),
        (format!("/sitemap.xml/{long}"), "es"),
        (format!("/favicon.svg/{long}"), "es"),
        (format!("/es/{}", "%61".repeat(300)), "es"),
        (format!("/en/{}", "x/".repeat(2_000)), "en"),
        ("/favicon.svg/x".to_owned(), "es"),
        ("/es/%00".to_owned(), "es"),
        ("/en/stories/a%00b".to_owned(), "en"),
    ] {
        let (status, headers, body) = get(&path, &[]).await;
        let shown = &path[..path.len().min(40)];
        assert_eq!(status, 404, "{shown}");
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(body.contains(&format!("<html lang=\"{lang}\"")), "{shown}");
        let (status, _, _) = call(&app(), "HEAD", &path, &[], "").await;
        assert_eq!(status, 404, "HEAD {shown}");
    }
    for path in [format!("/pkg/{}", "a".repeat(300)), "/pkg/a%00.js".to_owned()] {
        let (status, _, _) = get(&path, &[]).await;
        assert_eq!(status, 404, "{}", &path[..20]);
    }
    let (status, _, _) = get("/favicon.svg", &[]).await;
    assert_eq!(status, 200, "real files are still served");
    // What a browser asks for beside a document that names no icon (a feed, a PDF).
    let (status, headers, _) = get("/favicon.ico", &[]).await;
    assert_eq!(status, 200, "/favicon.ico");
    assert_eq!(
        headers.get("content-type").map(|v| v.to_str().unwrap_or("")),
        Some("image/x-icon")
    );
}

#[tokio::test]
async fn the_library_api_answers_what_its_pages_show() {
    let app = app();
    let cases: &[(&str, u16, &str)] = &[
        ("/api/v1/library?locale=es&q=silencio", 200, "\"total\":1"),
        // What the page would drop is dropped here too, not named as the strict door does.
        (
            "/api/v1/library?q=silencio&language=xx&shelf=nope&year=abc",
            200,
            "\"total\":1",
        ),
        ("/api/v1/library?q=silencio&language=xx", 200, "\"language\":\"\""),
        ("/api/v1/library?locale=fr", 400, "\"parameter\":\"locale\""),
        ("/api/v1/library/sncf-papers?locale=en&page=1", 200, "\"total_pages\":1"),
        ("/api/v1/library/sncf-papers?page=2", 404, "\"error\":\"not_found\""),
        ("/api/v1/library/no-such-shelf", 404, "\"error\":\"not_found\""),
        ("/api/v1/library/%ff%fe", 400, ""),
    ];
    for (uri, status, fragment) in cases {
        let (got, _, body) = send(&app, uri, &[]).await;
        assert_eq!(got, *status, "{uri}: {body}");
        assert!(body.contains(fragment), "{uri}: {body}");
    }
    // A shelf's page lists that shelf only.
    let (_, _, body) = send(&app, "/api/v1/library/sncf-papers?locale=en", &[]).await;
    let library: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let shelves = library["shelves"].as_array().expect("shelves");
    assert_eq!(shelves.len(), 1, "{body}");
    assert_eq!(shelves[0]["shelf"]["id"], "sncf-papers");
    // The library page lists every shelf.
    let (_, _, body) = send(&app, "/api/v1/library?locale=en", &[]).await;
    let library: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let (_, _, every) = send(&app, "/api/v1/shelves?locale=en", &[]).await;
    let every: serde_json::Value = serde_json::from_str(&every).expect("JSON");
    assert!(every.as_array().is_some_and(|all| all.len() > 1), "{every}");
    assert_eq!(
        library["shelves"].as_array().map(Vec::len),
        every.as_array().map(Vec::len),
        "{body}"
    );
}

#[tokio::test]
async fn a_library_page_sends_its_documents_once_as_html() {
    let app = app();
    let cases = [
        ("/es/recursos", "/api/v1/library?locale=es"),
        ("/es/recursos?q=silencio", "/api/v1/library?locale=es&q=silencio"),
        ("/en/resources/sncf-papers", "/api/v1/library/sncf-papers?locale=en"),
    ];
    for (page, api) in cases {
        let (status, _, html) = send(&app, page, &[]).await;
        assert_eq!(status, 200, "{page}");
        let (_, _, answer) = send(&app, api, &[]).await;
        let library: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
        let open = r#"<script type="application/json" id="library-data">"#;
        let data = html
            .split_once(open)
            .and_then(|(_, rest)| rest.split_once("</script>"))
            .map(|(data, _)| data)
            .unwrap_or_else(|| panic!("{page}: no data block"));
        let start: serde_json::Value = serde_json::from_str(data).expect("the data block is JSON");
        assert_eq!(start["total"], library["total"], "{page}: {data}");
        assert_eq!(start["facets"], library["facets"], "{page}: {data}");
        assert_eq!(start["query"], library["query"], "{page}: {data}");
        assert!(start.get("shelves").is_none(), "{page}: {data}");
        let hrefs: Vec<&str> = library["shelves"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|shelf| shelf["documents"].as_array().into_iter().flatten())
            .filter_map(|document| document["href"].as_str())
            .collect();
        assert!(!hrefs.is_empty(), "{page}: {answer}");
        // The server's shelves follow the island, outside it (the island hides them by their id).
        let (island, first) = html
            .split_once(r#"<div id="first-results">"#)
            .unwrap_or_else(|| panic!("{page}: no first results"));
        assert!(island.ends_with("</leptos-island>"), "{page}: {island}");
        for href in hrefs {
            assert!(!data.contains(href), "{page}: {href} in the data block");
            assert!(first.contains(&format!("href=\"{href}\"")), "{page}: no link to {href}");
        }
    }
}

#[tokio::test]
async fn every_door_of_the_library_query_has_the_same_limits() {
    let app = app();
    let many: String = (0..1_000).map(|i| format!("w{i}+")).collect();
    let (status, _, by_island) = send(&app, &format!("/api/v1/library?locale=es&q={many}"), &[]).await;
    assert_eq!(status, 200);
    let kept = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11";
    assert!(
        by_island.contains(&format!("\"q\":\"{kept}\"")),
        "{}",
        &by_island[..300]
    );
    // The API names what the other doors cut: more words than a query keeps is a bad `q`.
    let (status, _, by_api) = send(&app, &format!("/api/v1/resources?q={}", kept.replace(' ', "+")), &[]).await;
    assert_eq!(status, 200);
    assert!(by_api.contains(&format!("\"q\":\"{kept}\"")), "{}", &by_api[..300]);
    let (status, _, by_api) = send(&app, &format!("/api/v1/resources?q={kept}+w12").replace(' ', "+"), &[]).await;
    assert_eq!(status, 400, "{by_api}");
    let (status, _, page) = send(&app, &format!("/es/recursos?q={many}"), &[]).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("value=\"{kept}\"")),
        "the page's search box holds the kept words"
    );
}

#[tokio::test]
async fn a_donation_host_in_capitals_still_hands_off() {
    let dir = seed_copy("aipr-donation-host");
    let site = dir.join("site.toml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(
        &site,
        text.replace("https://www.paypal.com/", "https://WWW.PayPal.com/"),
    )
    .unwrap();
    let store = ContentStore::open(&dir, root().join("public"), None).expect("an upper-case host loads");
    let app = app_with(store, PageCache::new(0));
    let (status, headers, _) = send(
        &app,
        "/donate/checkout?amount=50&currency=USD&frequency=once&locale=es",
        &[],
    )
    .await;
    assert_eq!(status, 303);
    assert!(headers["location"]
        .to_str()
        .unwrap()
        .starts_with("https://www.paypal.com/donate/?"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh copy of the seed fixture in a temporary folder named after `name`, for a test that
/// edits its content.
fn seed_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&seed(), &dir);
    dir
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

#[tokio::test]
async fn only_pages_with_an_island_load_the_islands_script() {
    for (path, status, islands) in [
        ("/es/", 200, true),
        ("/en/stories", 200, true),
        (
            "/es/historias/aipr-celebrates-un-day-for-south-south-cooperation",
            200,
            true,
        ),
        ("/es/recursos", 200, true),
        ("/en/resources/sncf-papers", 200, true),
        ("/es/donar", 200, true),
        ("/en/donate/thank-you", 200, false),
        ("/es/no-existe", 404, false),
    ] {
        let (got, _, body) = get(path, &[]).await;
        assert_eq!(got, status, "{path}");
        assert_eq!(body.contains("<leptos-island"), islands, "{path}");
        assert_eq!(body.contains("rel=\"modulepreload\""), islands, "{path}");
        assert_eq!(body.contains("src=\"/js/islands."), islands, "{path}");
        // Outside the islands, the server's HTML carries no hydration markers.
        let outside: String = body
            .split("<leptos-island")
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once("</leptos-island>").map_or("", |(_, after)| after)
                }
            })
            .collect();
        let marker = outside.find("<!>").map(|i| &outside[i.saturating_sub(120)..i + 3]);
        assert_eq!(marker, None, "{path}: a marker outside the islands");
    }
}

#[tokio::test]
async fn kept_pages_are_sent_compressed_as_the_visitor_accepts() {
    let app = app();
    let (_, _, plain) = send(&app, "/es/", &[]).await;
    let (_, _, kept) = send(&app, "/es/", &[]).await;
    assert_eq!(kept, plain);
    for (accept, coding) in [("br, gzip", Some("br")), ("gzip", Some("gzip")), ("identity", None)] {
        // A kept page's variant is made in the background when first asked for; until then
        // the page goes out as it is.
        let mut tries = 0;
        let (headers, bytes) = loop {
            let request = Request::builder()
                .uri("/es/")
                .header("accept-encoding", accept)
                .body(Body::empty())
                .unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), 200);
            let headers = response.headers().clone();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            let sent = headers.get("content-encoding").map(|v| v.to_str().unwrap().to_owned());
            tries += 1;
            if sent.as_deref() == coding || tries == 200 {
                break (headers, bytes);
            }
            assert_eq!(
                (sent, &bytes[..]),
                (None, plain.as_bytes()),
                "{accept}: as it is, until compressed"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        };
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            coding,
            "{accept}"
        );
        assert_eq!(headers["vary"], "Accept-Encoding");
        let decoded = match coding {
            Some("br") => {
                let mut out = Vec::new();
                brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
                out
            }
            Some(_) => {
                let mut out = Vec::new();
                std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out).unwrap();
                out
            }
            None => bytes.to_vec(),
        };
        assert_eq!(String::from_utf8(decoded).unwrap(), plain, "{accept}");
    }
}

/// A page rendered for one request (anyone can have a made-up search rendered) is compressed
/// as it goes out in the coding that costs least beside the render, gzip, even when the
/// visitor would rather have brotli.
#[tokio::test]
async fn a_page_rendered_for_one_request_goes_out_in_gzip() {
    let (_, _, plain) = send(&app(), "/es/recursos?q=wvkp", &[]).await;
    let app = app();
    let request = Request::builder()
        .uri("/es/recursos?q=wvkp")
        .header("accept-encoding", "br, gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut page = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut page).unwrap();
    assert_eq!(page, plain);
}

#[tokio::test]
async fn a_draining_server_says_so_to_proxies_and_closes_each_connection() {
    let store = ContentStore::open(seed(), root().join("public"), None).expect("the seed fixture loads");
    let drain = Drain::default();
    let app = app_draining(store, PageCache::new(8 << 20), drain.clone());
    for _ in 0..3 {
        send(&app, "/es/", &[]).await;
    }
    let (status, headers, _) = send(&app, "/healthz", &[]).await;
    assert_eq!(status, 200);
    assert!(!headers.contains_key("connection"));
    drain.start();
    let (status, headers, _) = send(&app, "/healthz", &[]).await;
    assert_eq!(status, 503, "a proxy stops sending new requests");
    assert_eq!(headers["connection"], "close");
    for path in ["/es/", "/es/historias", "/api/v1/shelves?locale=es"] {
        let (status, headers, _) = send(&app, path, &[]).await;
        assert_eq!(status, 200, "{path} is still answered while draining");
        assert_eq!(headers["connection"], "close", "{path}");
    }
}

#[tokio::test]
async fn files_added_to_the_public_folder_are_served_before_the_site_is_built_again() {
    let public = std::env::temp_dir().join(format!("aipr-public-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&public);
    std::fs::create_dir_all(public.join("documents")).unwrap();
    std::fs::write(public.join("documents/nuevo.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    let store = ContentStore::open(seed(), &public, None).expect("the seed fixture loads");
    let app = app_with(store, PageCache::new(8 << 20));
    let (status, _, body) = send(&app, "/documents/nuevo.pdf", &[]).await;
    assert_eq!((status, body.as_str()), (200, "%PDF-1.4\n%%EOF\n"));
    // The site directory still comes first, and a missing file is still the 404 page.
    let (status, _, _) = send(&app, "/favicon.svg", &[]).await;
    assert_eq!(status, 200);
    let (status, _, body) = send(&app, "/documents/missing.pdf", &[]).await;
    assert_eq!(status, 404);
    assert!(body.contains("<html lang=\"es\""));
    let _ = std::fs::remove_dir_all(&public);
}

/// The texts of the inline scripts a browser would run in `html` (not those with a `src`,
/// nor data blocks such as JSON-LD).
fn executable_inline_scripts(html: &str) -> Vec<&str> {
    html.match_indices("<script")
        .filter_map(|(at, _)| {
            let rest = &html[at..];
            let tag = &rest[..rest.find('>')?];
            let body = &rest[tag.len() + 1..];
            let text = &body[..body.find("</script>")?];
            (!tag.contains(" src=") && !tag.contains("application/ld+json")).then_some(text)
        })
        .collect()
}

#[tokio::test]
async fn the_policy_allows_exactly_the_inline_scripts_of_the_page() {
    use base64::Engine as _;
    use sha2::Digest as _;
    for (path, islands) in [("/es/", true), ("/es/historias", true), ("/en/donate/thank-you", false)] {
        let (status, headers, body) = get(path, &[]).await;
        assert_eq!(status, 200, "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        let mut allowed: Vec<&str> = csp
            .split(' ')
            .filter_map(|source| source.strip_prefix("'sha256-")?.strip_suffix('\''))
            .collect();
        let mut written: Vec<String> = executable_inline_scripts(&body)
            .into_iter()
            .map(|text| base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes())))
            .collect();
        allowed.sort_unstable();
        written.sort_unstable();
        written.dedup();
        assert_eq!(
            allowed, written,
            "{path}: the policy holds the hashes of the page's scripts\n{body}"
        );
        // With an island: the render's two data scripts (the loader, its router and the
        // site's navigation script are a file); without: the speculation rules alone.
        assert_eq!(written.len(), if islands { 2 } else { 1 }, "{path}\n{body}");
        assert!(
            !body.contains("nonce="),
            "{path}: the page is the same bytes for everyone"
        );
    }
}

/// A page with an island loads the islands script from the file its address names: served as
/// a module, kept for a year, in brotli when asked; another name under `/js/` is not found.
#[tokio::test]
async fn the_islands_script_is_one_file_named_by_its_text() {
    let (_, _, body) = get("/es/", &[]).await;
    let src = body
        .split("<script type=\"module\" src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page loads the islands script by address");
    assert!(src.starts_with("/js/islands.") && src.ends_with(".js"), "{src}");
    let (status, headers, text) = get(src, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    assert!(text.contains("hydrateIslands") && text.contains("aipr:moved"), "{text}");
    let app = app();
    let request = Request::builder()
        .uri(src)
        .header("accept-encoding", "br")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), text);
    let (status, _, _) = get("/js/islands.0000000000000000.js", &[]).await;
    assert_eq!(status, 404);
}

/// The islands router's requests carry `Islands-Router: true`. The server answers them with the
/// same page as a plain visit, so the front cache, the ETag and a proxy's cache need not tell
/// the two apart (no `Vary`): checked on a page rendered for each, and on the kept page.
#[tokio::test]
async fn the_islands_routers_requests_get_the_page_a_visit_gets() {
    const ROUTER: (&str, &str) = ("islands-router", "true");
    for path in ["/es/", "/es/recursos?q=memoria", "/en/donate"] {
        let (_, _, plain) = get(path, &[]).await;
        let (_, _, routed) = get(path, &[ROUTER]).await;
        assert_eq!(plain, routed, "{path}: a render for the router is the page");
        // A page first rendered for the router is kept, and is what a visit then gets.
        let app = app();
        let _ = send(&app, path, &[ROUTER]).await;
        let (_, visit_headers, visit) = send(&app, path, &[]).await;
        let (_, again_headers, again) = send(&app, path, &[ROUTER]).await;
        assert_eq!(visit, plain, "{path}: the kept page is the page");
        assert_eq!(again, plain, "{path}");
        assert_eq!(visit_headers["etag"], again_headers["etag"], "{path}");
        for headers in [&visit_headers, &again_headers] {
            let vary = headers.get("vary").map_or("", |v| v.to_str().unwrap_or(""));
            assert!(!vary.to_ascii_lowercase().contains("islands-router"), "{path}: {vary}");
        }
    }
}
