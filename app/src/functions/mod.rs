//! What an island asks the server for after the page has loaded: the JSON API (`/api/v1`,
//! `server/src/api.rs`), the same answers for the browser as for anyone else. Pages read the
//! content snapshot directly, through the server helpers below.

pub mod api;

/// The content snapshot of the request being served.
#[cfg(feature = "ssr")]
pub(crate) fn snapshot() -> Result<std::sync::Arc<crate::content::Snapshot>, crate::error::AppError> {
    leptos::prelude::use_context::<crate::content::ContentStore>()
        .map(|store| store.snapshot())
        .ok_or(crate::error::AppError::Internal)
}

/// The public base URL (without a trailing slash), for absolute links in head tags.
#[cfg(feature = "ssr")]
pub(crate) fn base_url() -> String {
    snapshot().map(|s| s.site.base_url.clone()).unwrap_or_default()
}
