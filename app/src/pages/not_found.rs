//! Any unknown path: the 404 page in the language of the path.

use crate::{components::error_view::ErrorView, error::AppError, i18n::use_locale};
use leptos::prelude::*;

/// The 404 page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let locale = use_locale();
    view! { <ErrorView locale error=AppError::NotFound /> }
}
