//! What `app/src/upstream.rs` relies on in the output of leptos_axum, leptos_meta and the
//! renderer, checked on a render through leptos_axum itself. When a release changes one of
//! these, this fails, and the workaround it names is looked at again (and maybe dropped).

use axum::{body::Body, http::Request};
use leptos::{nonce::use_nonce, prelude::*};
use std::sync::{Arc, Mutex};

/// A document with a title that needs escaping, an absent piece of a view and a paragraph.
fn document() -> impl IntoView {
    leptos_meta::provide_meta_context();
    let absent: Option<&str> = None;
    view! {
        <!DOCTYPE html>
        <html lang="es">
            <head><meta charset="utf-8" /></head>
            <body>
                <leptos_meta::Title text="a < b" />
                <main>{absent}<p>"text"</p></main>
            </body>
        </html>
    }
}

/// The document as leptos_axum writes it, and the nonce of its render.
async fn raw() -> (String, String) {
    // Listing the routes starts Leptos's executor, as the server does at start.
    let _ = leptos_axum::generate_route_list(document);
    let nonce = Arc::new(Mutex::new(String::new()));
    let seen = Arc::clone(&nonce);
    let handler = leptos_axum::render_app_async_with_context(
        move || *seen.lock().unwrap() = use_nonce().map(|n| n.to_string()).unwrap_or_default(),
        document,
    );
    let response = handler(Request::get("/es/").body(Body::empty()).unwrap()).await;
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let nonce = nonce.lock().unwrap().clone();
    (String::from_utf8(bytes.to_vec()).unwrap(), nonce)
}

#[tokio::test]
async fn the_hydration_data_follows_the_document_with_the_renders_nonce() {
    let (html, nonce) = raw().await;
    assert!(
        nonce.len() >= 16,
        "leptos_axum gives each render a random nonce: {nonce:?}"
    );
    let (document, after) = html
        .split_once("</body></html>")
        .expect("the document ends the body and html");
    assert!(!document.contains(&nonce), "{html}");
    let open = format!("<script nonce=\"{nonce}\">");
    assert!(after.starts_with(&open), "data scripts follow </html>: {html}");
    assert_eq!(after.matches(&open).count(), 2, "{html}");
    assert!(
        after.contains("__RESOLVED_RESOURCES=[];") && after.contains("__INCOMPLETE_CHUNKS=[];"),
        "{html}"
    );
    let finished = app::upstream::finish(&html, &nonce, false);
    assert!(
        finished.html.ends_with("<p>text</p></main></body></html>"),
        "{}",
        finished.html
    );
    assert!(!finished.html.contains("<script"), "{}", finished.html);
}

#[tokio::test]
async fn absent_pieces_are_written_as_placeholders() {
    let (html, _) = raw().await;
    assert!(html.contains("<main><!><p>text</p>"), "{html}");
}

#[tokio::test]
async fn leptos_meta_writes_the_title_as_given() {
    let (html, _) = raw().await;
    assert!(html.contains("<title>a < b</title></head>"), "{html}");
}
