//! `/es/recursos/{shelf}`, `/en/resources/{shelf}`: one shelf with the same filters; an unknown
//! shelf is the 404 page.

use super::resources::LibraryPage;
use crate::i18n::use_locale;
use leptos::prelude::*;

/// One shelf of the library.
#[component]
pub fn ShelfPage(shelf: String) -> impl IntoView {
    let locale = use_locale();
    view! { <LibraryPage locale shelf=Some(shelf) /> }
}
