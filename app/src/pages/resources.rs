//! `/es/recursos`, `/en/resources`: every shelf of the library, with filters. The frame of a
//! shelf page is the same, so it lives here too.

use super::from_content;
use crate::{
    address::use_query,
    components::{
        head::PageHead,
        library::{FirstLibrary, LibraryFilters, Shelves, FIRST_RESULTS_ID, LIBRARY_DATA_ID},
    },
    i18n::{use_locale, Locale},
    model::{LibraryData, ResourceQuery},
    paths::Page,
};
use leptos::prelude::*;

/// The resource library, all shelves.
#[component]
pub fn ResourcesPage() -> impl IntoView {
    let locale = use_locale();
    view! { <LibraryPage locale shelf=None /> }
}

/// The library (`shelf` is `None`) or one shelf, filtered by the address's query: heading and
/// head tags from the server, filters and results in the library's island. An unknown shelf,
/// or a page past the last, is the 404 page.
#[component]
pub(super) fn LibraryPage(locale: Locale, shelf: Option<String>) -> impl IntoView {
    let query = ResourceQuery::from_query_string(&use_query());
    let scope = shelf.clone();
    from_content(
        locale,
        |s| s.library_data(locale, &query, scope.as_deref()),
        move |first| view! { <LibraryFrame locale shelf first /> },
    )
}

/// The heading, head tags and way back around the island.
#[component]
fn LibraryFrame(locale: Locale, shelf: Option<String>, first: LibraryData) -> impl IntoView {
    let t = locale.messages();
    let page = match &shelf {
        Some(id) => Page::Shelf(id.clone()),
        None => Page::Resources,
    };
    let (title, description) = match (&shelf, first.library.shelves.first()) {
        (Some(_), Some(s)) => (s.shelf.title.clone(), s.shelf.description.clone()),
        _ => (t.resources_title.to_owned(), String::new()),
    };
    let description = if description.is_empty() {
        t.resources_description.to_owned()
    } else {
        description
    };
    let json = first.start_json();
    let noindex = first.library.query.is_filtered();
    let library = first.library;
    provide_context(FirstLibrary::new(library.clone()));
    let base_path = page.path(locale);
    let is_shelf_page = shelf.is_some();
    let back =
        is_shelf_page.then(|| view! { <p><a href=Page::Resources.path(locale)>{t.resources_all_shelves}</a></p> });
    view! {
        <PageHead locale title=title.clone() description page=Some(page) noindex />
        <div class="wrap library">
            <h1>{title}</h1>
            {back}
            <script type="application/json" id=LIBRARY_DATA_ID>{json}</script>
            <LibraryFilters locale shelf />
            <div id=FIRST_RESULTS_ID>
                <Shelves locale library base_path is_shelf_page />
            </div>
        </div>
    }
}
