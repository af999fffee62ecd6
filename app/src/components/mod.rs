//! Pieces shared by several pages. The islands (`donate`, `feed`, `library`) and what they
//! render (`cards`, `empty_state`) are compiled for the browser too; the rest is server only.

pub mod cards;
pub mod donate;
pub mod empty_state;
#[cfg(feature = "ssr")]
pub mod error_view;
pub mod feed;
#[cfg(feature = "ssr")]
pub mod head;
#[cfg(feature = "ssr")]
pub mod layout;
pub mod library;
pub mod picture;

/// The robots tag's value of a page that search engines may index or not.
pub fn robots(noindex: bool) -> &'static str {
    if noindex {
        "noindex, follow"
    } else {
        "index, follow"
    }
}

/// Whether the page being rendered on the server holds an island, and so loads the islands
/// script. Each island says so as it renders.
#[derive(Clone, Debug, Default)]
pub struct IslandsOnPage(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl IslandsOnPage {
    /// Whether an island has rendered on this page.
    pub fn any(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Called by every island as it renders. On the server, the page then loads the islands
/// script.
pub fn island_here() {
    if let Some(page) = leptos::prelude::use_context::<IslandsOnPage>() {
        page.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Marks the island holding `element` `data-hydrated`, so that tests and styles can tell it is
/// interactive. Each island calls it from an effect on one of its elements: effects run once the
/// island has hydrated, on the first page and on each page the site moves to in place.
#[cfg(feature = "hydrate")]
pub fn hydrated(element: &web_sys::Element) {
    if let Ok(Some(island)) = element.closest("leptos-island") {
        let _ = island.set_attribute("data-hydrated", "");
    }
}

/// The name of the event `navigation.js` sends on `window` once a move between pages is over.
pub const MOVED_EVENT: &str = "aipr:moved";

/// Whether the island holding `anchor` (one of its elements the island keeps) is still on the
/// page: true until a move between pages is over ([`MOVED_EVENT`]) with the anchor out of the
/// document, then false for good. The island is then taken out of the page it left (whose
/// nodes it would otherwise keep, through its own), and drops the part of its view that holds
/// most of its nodes (the library's shelves), which the browser can then collect.
///
/// leptos 0.8 never disposes of a hydrated island: its `#[island]` hydration function forgets
/// the island's view (`std::mem::forget(state)`, "TODO better cleanup", in leptos_macro's
/// `component.rs`), and the islands router replaces the islands of the page it leaves without
/// a word to them. Each page visited would keep its islands' nodes and listeners in memory for
/// as long as the tab lives. Only a part the browser makes anyway (the shelves follow the
/// filters) is dropped: dropping one it never makes would add its making to the WASM (7 KB
/// brotli for the feed's cards).
pub fn on_page<E>(anchor: leptos::prelude::NodeRef<E>) -> leptos::prelude::Signal<bool>
where
    E: leptos::tachys::html::element::ElementType + 'static,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    use leptos::prelude::*;
    let here = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = StoredValue::new_local(None::<WindowListenerHandle>);
        let listener = window_event_listener_untyped(MOVED_EVENT, move |_| {
            let gone = anchor
                .get_untracked()
                .is_some_and(|el| !el.unchecked_ref::<web_sys::Node>().is_connected());
            if gone {
                // The island's nodes hold the page it was on: out of that page, the island
                // keeps only its own (the rest goes, the server's library shelves among them).
                if let Some(Ok(Some(island))) = anchor
                    .get_untracked()
                    .map(|el| el.unchecked_ref::<web_sys::Element>().closest("leptos-island"))
                {
                    island.remove();
                }
                if let Some(listener) = handle.try_update_value(Option::take).flatten() {
                    listener.remove();
                }
                here.set(false);
            }
        });
        handle.set_value(Some(listener));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = anchor;
    here.into()
}
