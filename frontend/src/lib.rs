//! The browser entry point: hydrates the islands of the server-rendered page, the only parts
//! of the site that move in the browser.
#![recursion_limit = "256"]

/// Links `app`, whose islands are the WASM exports the islands script calls by name.
pub use app;

/// Called by the islands script once the WASM is in, before it hydrates each island.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
