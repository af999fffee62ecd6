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

/// An island's content, made by `content` with the node reference of one of its elements (the
/// anchor), while the island is on the page; then nothing, for good.
///
/// leptos 0.8 never disposes of a hydrated island: its `#[island]` hydration function forgets
/// the island's view (`std::mem::forget(state)`, "TODO better cleanup", in leptos_macro's
/// `component.rs`), and the islands router replaces the islands of the page it leaves without
/// a word to them. Each page visited would keep its islands' nodes, listeners, signals and
/// effects (node references among them, which hold their elements) for as long as the tab
/// lives. Here `content` runs under an owner of its own; once a move is over
/// ([`MOVED_EVENT`]), an island whose anchor has left the document drops its view and that
/// owner. The server renders `content` as it is, with nothing around it.
pub fn while_on_page<E, V>(
    content: impl FnOnce(leptos::prelude::NodeRef<E>) -> V + Send + 'static,
) -> impl leptos::prelude::IntoView
where
    E: leptos::tachys::html::element::ElementType + 'static,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
    V: leptos::prelude::IntoView + 'static,
{
    use leptos::prelude::*;
    let owner = Owner::new();
    let anchor = owner.with(NodeRef::<E>::new);
    let here = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = StoredValue::new_local(None::<WindowListenerHandle>);
        let owner = owner.clone();
        let listener = window_event_listener_untyped(MOVED_EVENT, move |_| {
            let gone = anchor
                .get_untracked()
                .is_some_and(|el| !el.unchecked_ref::<web_sys::Node>().is_connected());
            if !gone {
                return;
            }
            if let Some(listener) = handle.try_update_value(Option::take).flatten() {
                listener.remove();
            }
            here.set(false);
            // After the view has gone, which reads the owner's signals until then.
            let owner = owner.clone();
            set_timeout(move || owner.cleanup(), std::time::Duration::ZERO);
        });
        handle.set_value(Some(listener));
    }
    let mut content = Some(content);
    // Only `here` is tracked: what `content` reads as it is made does not make it again.
    move || {
        if here.get() {
            content.take().map(|make| owner.with(|| untrack(|| make(anchor))))
        } else {
            None
        }
    }
}
