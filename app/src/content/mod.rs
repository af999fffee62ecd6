//! The content engine (server only): reads `content/`, checks every file, renders Markdown
//! once, and keeps an immutable, indexed snapshot that all requests share.

mod files;
mod fold;
mod index;
mod links;
mod loader;
mod markdown;
pub mod photos;
mod plain;
mod related;
mod site;
mod store;

pub use fold::fold;
pub use index::Snapshot;
pub use links::check_links;
pub use loader::{load, load_with, ContentError, LoadErrors};
pub use markdown::render_markdown;
pub use plain::{Field, Plain, Problem};
pub use site::{DonationProvider, Program, Site, PLACEHOLDERS};
pub use store::ContentStore;

/// The content snapshot of the request being served.
pub(crate) fn snapshot() -> Result<std::sync::Arc<Snapshot>, crate::error::AppError> {
    leptos::prelude::use_context::<ContentStore>()
        .map(|store| store.snapshot())
        .ok_or(crate::error::AppError::Internal)
}

/// The public base URL (without a trailing slash), for absolute links in head tags.
pub(crate) fn base_url() -> String {
    snapshot().map(|s| s.site.base_url.clone()).unwrap_or_default()
}
