//! `/es/recursos`, `/en/resources`: every shelf of the library, with filters. The frame of a
//! shelf page is the same, so it lives here too.

use super::from_content;
use crate::{
    app::use_here,
    components::{head::PageHead, library::LibraryFilters},
    i18n::{use_locale, Locale},
    model::{Library, ResourceQuery},
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
    let query = ResourceQuery::from_query_string(&use_here().query);
    let scope = shelf.clone();
    from_content(
        locale,
        |s| s.library(locale, &query, scope.as_deref()),
        move |first| view! { <LibraryFrame locale shelf first /> },
    )
}

/// The heading, head tags and way back around the island.
#[component]
fn LibraryFrame(locale: Locale, shelf: Option<String>, first: Library) -> impl IntoView {
    let t = locale.messages();
    let page = match &shelf {
        Some(id) => Page::Shelf(id.clone()),
        None => Page::Resources,
    };
    let (title, description) = match (&shelf, first.shelves.first()) {
        (Some(_), Some(s)) => (s.shelf.title.clone(), s.shelf.description.clone()),
        _ => (t.resources_title.to_owned(), String::new()),
    };
    let description = if description.is_empty() {
        t.resources_description.to_owned()
    } else {
        description
    };
    let back = shelf
        .is_some()
        .then(|| view! { <p><a href=Page::Resources.path(locale)>{t.resources_all_shelves}</a></p> });
    view! {
        <PageHead locale title=title.clone() description page=Some(page) noindex=first.query.is_filtered() />
        <div class="wrap library">
            <h1>{title}</h1>
            {back}
            <LibraryFilters locale shelf first />
        </div>
    }
}
