//! `/es/recursos`, `/en/resources`: every shelf of the library, with filters.

use crate::{app::use_locale, components::library::LibraryView};
use leptos::prelude::*;

/// The resource library, all shelves.
#[component]
pub fn ResourcesPage() -> impl IntoView {
    let locale = use_locale();
    view! { <LibraryView locale shelf=None /> }
}
