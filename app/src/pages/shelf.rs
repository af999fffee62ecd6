//! `/es/recursos/{shelf}`, `/en/resources/{shelf}`: one shelf with the same filters; an unknown
//! shelf is the 404 page.

use super::resources::LibraryPage;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// One shelf of the library.
#[component]
pub fn ShelfPage() -> impl IntoView {
    let locale = use_locale();
    let shelf = use_params_map().with_untracked(|p| p.get("shelf").unwrap_or_default());
    view! { <LibraryPage locale shelf=Some(shelf) /> }
}
