//! Server functions, one module per domain. Their bodies run on the server, reading the content
//! snapshot; in the browser they are calls to the server.

pub mod donation;
pub mod resources;
#[cfg(feature = "ssr")]
pub mod security;
pub mod site;
pub mod stories;

/// The content snapshot of the request being served.
#[cfg(feature = "ssr")]
pub(crate) fn snapshot() -> Result<std::sync::Arc<crate::content::Snapshot>, crate::error::AppError> {
    leptos::prelude::use_context::<crate::content::ContentStore>()
        .map(|store| store.snapshot())
        .ok_or(crate::error::AppError::Internal)
}
