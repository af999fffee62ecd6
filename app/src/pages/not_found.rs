//! Any unknown path: the 404 page in the language of the path.

use crate::{app::use_locale, components::error_view::ErrorView, error::AppError};
use leptos::prelude::*;

/// The 404 page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let locale = use_locale();
    view! { <ErrorView locale error=AppError::NotFound /> }
}
