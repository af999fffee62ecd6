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
