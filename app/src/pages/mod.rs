//! One module per page of the site. Pages are server components: they read the content
//! snapshot of the request and render once; only the islands inside them move in the browser.

pub mod donate;
pub mod home;
pub mod not_found;
pub mod resources;
pub mod shelf;
pub mod stories;
pub mod story;
pub mod thanks;

use crate::{components::error_view::ErrorView, content::Snapshot, error::AppError, functions::snapshot, i18n::Locale};
use leptos::prelude::*;

/// What a page shows: `view` of what `read` takes from the current content, or the error page
/// with its status (404 when `read` finds nothing).
fn from_content<T, V>(locale: Locale, read: impl FnOnce(&Snapshot) -> Option<T>, view: impl FnOnce(T) -> V) -> AnyView
where
    V: IntoView + 'static,
{
    match snapshot().and_then(|s| read(&s).ok_or(AppError::NotFound)) {
        Ok(data) => view(data).into_any(),
        Err(error) => view! { <ErrorView locale error /> }.into_any(),
    }
}
