//! Server functions, one module per domain: what an island asks the server for after the
//! page has loaded. Their bodies run on the server, reading the content snapshot; in the
//! browser they are calls to the server. Pages read the snapshot directly.

pub mod resources;

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
