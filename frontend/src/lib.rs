//! The browser entry point: hydrates the server-rendered page.
#![recursion_limit = "256"]

/// Called by the generated loader once the WASM is in: attaches the app to the server's HTML,
/// then marks the body so that tests and styles can tell the page is interactive.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "");
    }
}
