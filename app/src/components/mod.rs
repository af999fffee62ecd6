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
/// script. In the browser, once every island of the page has hydrated (lazy ones included),
/// the body is marked `data-hydrated`, so that tests and styles can tell the page is
/// interactive.
pub fn island_here() {
    if let Some(page) = leptos::prelude::use_context::<IslandsOnPage>() {
        page.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    #[cfg(feature = "hydrate")]
    count_hydrated();
}

/// Counts an island whose hydration is under way; it is done once the task that hydrates it
/// is, so the count is taken in the next microtask.
#[cfg(feature = "hydrate")]
fn count_hydrated() {
    use std::cell::Cell;
    thread_local! {
        static HYDRATED: Cell<u32> = const { Cell::new(0) };
    }
    leptos::prelude::queue_microtask(|| {
        let done = HYDRATED.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        let document = leptos::prelude::document();
        let islands = document
            .query_selector_all("leptos-island")
            .map_or(0, |all| all.length());
        if done >= islands {
            if let Some(body) = document.body() {
                let _ = body.set_attribute("data-hydrated", "");
            }
        }
    });
}
