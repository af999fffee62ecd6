//! The browser entry point: hydrates the server-rendered page.

/// Called by the generated loader once the WASM is in: attaches the app to the server's HTML.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
