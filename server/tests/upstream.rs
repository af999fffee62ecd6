//! What `app/src/upstream.rs` relies on in the output of leptos_axum and the renderer, checked on a render through leptos_axum itself. When a release changes one of
//! these, this fails, and the workaround it names is looked at again (and maybe dropped).

use axum::{body::Body, http::Request};
use leptos::{nonce::use_nonce, prelude::*};
use std::sync::{Arc, Mutex};

/// A document with an absent piece of a view and a paragraph.
fn document() -> impl IntoView {
    let absent: Option<&str> = None;
    view! {
        <!DOCTYPE html>
        <html lang="es">
            <head><meta charset="utf-8" /></head>
            <body>
                <main>{absent}<p>"text"</p></main>
            </body>
        </html>
    }
}

/// The document as leptos_axum writes it, and the nonce of its render.
async fn raw() -> (String, String) {
    raw_of(document).await
}

/// What leptos_axum writes for the document `app`, and the nonce of its render.
async fn raw_of<V: IntoView + 'static>(app: fn() -> V) -> (String, String) {
    // Listing the routes starts Leptos's executor, as the server does at start.
    let _ = leptos_axum::generate_route_list(app);
    let nonce = Arc::new(Mutex::new(String::new()));
    let seen = Arc::clone(&nonce);
    let handler = leptos_axum::render_app_async_with_context(
        move || *seen.lock().unwrap() = use_nonce().map(|n| n.to_string()).unwrap_or_default(),
        app,
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
    assert!(after.ends_with("</script>"), "{html}");
}

/// What `upstream::Branch` and `navigation.js` rely on in the islands router's script.
#[test]
fn the_islands_router_replaces_branches_and_listens_on_the_window() {
    let options = leptos::config::LeptosOptions::builder().output_name("aipr").build();
    let script = app::upstream::islands_file(&options).text;
    for shape in [
        // A branch is a comment starting `bo` whose text differs, replaced up to its `bc`.
        r#"else if(oldText.startsWith("bo") && newText !== oldText) {"#,
        r#"replaceBranch(oldDocWalker, newDocWalker, oldNode, newNode);"#,
        r#"} else if(node.textContent.startsWith("bc")) {"#,
        // The router hears clicks, submits and history moves on `window`, after `document`.
        r#"window.addEventListener("click", async (ev) => {"#,
        r#"window.addEventListener("submit", async (ev) => {"#,
        r#"window.addEventListener("popstate", async (ev) => {"#,
        // It tells the server a request is its own.
        r#"req.headers.append("Islands-Router", "true");"#,
    ] {
        assert!(script.contains(shape), "the islands router no longer has {shape:?}");
    }
}

/// The body is rendered with `to_html` (`upstream::Branch::body`), which writes an absent piece
/// as `<!>` and no branch markers; leptos_axum's own render (with the islands router's
/// feature) marks the branches around it.
#[tokio::test]
async fn absent_pieces_are_written_as_placeholders() {
    let absent: Option<&str> = None;
    let html = view! { <main>{absent}<p>"text"</p></main> }.to_html();
    assert_eq!(html, "<main><!><p>text</p></main>");
    let (html, _) = raw().await;
    assert!(html.contains("<main><!--bo-1--><!><!--bc-1--><p>text</p>"), "{html}");
}

/// A document of the shell's shape (`app::shell`): the head and the body inert elements.
fn shaped() -> impl IntoView {
    use leptos::tachys::html::InertElement;
    let body = view! { <main><p>"text"</p></main> }.to_html();
    view! {
        <!DOCTYPE html>
        <html lang="es" dir="ltr">
            <head>{InertElement::new("<meta charset=\"utf-8\"><title>t</title>")}</head>
            <body>{InertElement::new(body)}</body>
        </html>
    }
}

/// What leptos_axum writes for `shaped` with the site's stream builder (`ours`) or its own
/// in-order one, the page holding an island or not, with the render's nonce written `N`.
async fn shaped_with(ours: bool, islands: bool) -> String {
    let _ = leptos_axum::generate_route_list(shaped);
    let nonce = Arc::new(Mutex::new(String::new()));
    let seen = Arc::clone(&nonce);
    let context = move || {
        provide_context(app::components::IslandsOnPage::default());
        if islands {
            app::components::island_here();
        }
        *seen.lock().unwrap() = use_nonce().map(|n| n.to_string()).unwrap_or_default();
    };
    let request = Request::get("/es/").body(Body::empty()).unwrap();
    let response = if ours {
        leptos_axum::handle_response_inner(context, shaped, request, app::upstream::document).await
    } else {
        leptos_axum::render_app_async_with_context(context, shaped)(request).await
    };
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let nonce = nonce.lock().unwrap().clone();
    String::from_utf8(bytes.to_vec()).unwrap().replace(&nonce, "N")
}

/// `app::upstream::document` writes the shell's document as leptos_axum's own builder does,
/// rendered synchronously, with the hydration data scripts it writes after `</html>` at the end
/// of the body without their nonce on a page with an island, and without them elsewhere.
#[tokio::test]
async fn the_documents_builder_writes_what_the_in_order_stream_writes() {
    let theirs = shaped_with(false, true).await;
    let document = "<!DOCTYPE html><html lang=\"es\" dir=\"ltr\"><head><meta charset=\"utf-8\">\
                    <title>t</title></head><body><main><p>text</p></main>";
    let data = theirs
        .strip_prefix(document)
        .and_then(|rest| rest.strip_prefix("</body></html>"))
        .unwrap_or_else(|| panic!("{theirs}"));
    assert!(data.starts_with("<script nonce=\"N\">"), "{theirs}");
    assert_eq!(
        shaped_with(true, true).await,
        format!("{document}{}</body></html>", data.replace(" nonce=\"N\"", ""))
    );
    assert_eq!(shaped_with(true, false).await, format!("{document}</body></html>"));
}
