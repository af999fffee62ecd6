//! The resource library's island: the filter form, the live count and the shelves, shared by
//! the library page and the shelf pages. The form is a plain GET form; with JavaScript the
//! results follow the controls in place, the address follows the results, and the page's
//! robots tag and language switch follow the address. Back and Forward bring the page of the
//! address, its controls and results, through the islands router (`navigation.js`).

use crate::{
    api,
    components::{cards::document_card, empty_state::EmptyState, island_here, on_page, robots},
    i18n::Locale,
    model::{Facet, Facets, Library, LibraryStart, ResourceQuery, ShelfResults},
    paths::{switch_path, with_query, Page},
};
use leptos::{
    either::{Either, EitherOf3},
    html,
    prelude::*,
};
use std::{sync::Arc, time::Duration};

/// How long typing pauses before the results follow.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// The `id` of the page's data block holding what the island starts from (see
/// [`LibraryFilters`]).
pub const LIBRARY_DATA_ID: &str = "library-data";

/// The `id` of the element after the island holding the server's shelves (see
/// [`LibraryFilters`]).
pub const FIRST_RESULTS_ID: &str = "first-results";

/// The filters and the shelves of the library (`shelf` is `None`) or of one shelf. The shelves
/// of the page's own filters are the server's, in the element [`FIRST_RESULTS_ID`] the page
/// puts after the island ([`Shelves`]): they reach the browser once, as HTML, and the island
/// hides them while it shows other results. The island starts from the page's JSON data block
/// `#library-data` next to it (a [`LibraryStart`]: filters, options, count), not from props
/// HTML-escaped into the island, and renders shelves only for the filters it changes to.
///
/// The server's shelves are not the island's children: hiding children takes a wrapper in the
/// island's view, whose making and hydration cost the library's first load 2.9 KB brotli more
/// (`.ci/audit`), and which the island would hold for as long as the tab lives (see
/// [`on_page`]).
#[island(lazy)]
pub fn LibraryFilters(locale: Locale, shelf: Option<String>) -> impl IntoView {
    island_here();
    let (start, readable) = match library_start() {
        Some(start) => (start, true),
        None => (LibraryStart::default(), false),
    };
    let t = locale.messages();
    let is_shelf_page = shelf.is_some();
    let path = match &shelf {
        Some(id) => Page::Shelf(id.clone()),
        None => Page::Resources,
    }
    .path(locale);
    let form_ref = NodeRef::<html::Form>::new();
    let results = Results {
        locale,
        shelf: StoredValue::new(shelf),
        path: StoredValue::new(path.clone()),
        start: StoredValue::new(start.clone()),
        query: RwSignal::new(start.query.into_owned()),
        facets: RwSignal::new(start.facets.into_owned()),
        total: RwSignal::new(start.total),
        shown: RwSignal::new(None),
        failed: RwSignal::new(!readable),
        latest: StoredValue::new(0),
        typed: StoredValue::new(None),
    };
    let Results {
        query,
        facets,
        total,
        shown,
        failed,
        ..
    } = results;
    let go = Callback::new(move |typing: bool| results.follow_form(form_ref, typing));
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get() {
            crate::components::hydrated(&form);
        }
    });
    // The server's shelves show while the island shows no results of its own. The element is
    // looked up each time, and only while the island is on the page: the island keeps no hold
    // on it, and an answer that comes after a move leaves the next page alone.
    Effect::new(move |_| {
        let other = failed.get() || shown.with(Option::is_some);
        let on_the_page = form_ref.get_untracked().is_some_and(|form| form.is_connected());
        if let Some(first) = document().get_element_by_id(FIRST_RESULTS_ID).filter(|_| on_the_page) {
            let _ = first.toggle_attribute_with_force("hidden", other);
        }
    });
    let here = on_page(form_ref);
    view! {
        <FilterForm locale action=path.clone() query facets=facets.into() form_ref show_shelf=!is_shelf_page go />
        <p class="result-count" role="status" aria-live="polite" aria-atomic="true">
            {move || t.document_count(total.get())}
        </p>
        {move || {
            if !here.get() {
                // The page is left: the shelves go (see `on_page`).
                EitherOf3::C(())
            } else if failed.get() {
                EitherOf3::A(view! { <p class="load-error" role="alert">{t.error_text}</p> })
            } else if let Some(library) = shown.get() {
                EitherOf3::B(view! { <Shelves locale library base_path=path.clone() is_shelf_page /> })
            } else {
                EitherOf3::C(())
            }
        }}
    }
}

/// The library a page renders, handed to its island on the server and taken once.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, Default)]
pub struct FirstLibrary(Arc<std::sync::Mutex<Option<Arc<Library>>>>);

#[cfg(feature = "ssr")]
impl FirstLibrary {
    /// Hands `library` to the island below.
    pub fn new(library: Arc<Library>) -> Self {
        FirstLibrary(Arc::new(std::sync::Mutex::new(Some(library))))
    }
}

/// What the island starts from: on the server, the page's library; in the browser, the page's
/// data block.
fn library_start() -> Option<LibraryStart<'static>> {
    #[cfg(feature = "ssr")]
    {
        let first = use_context::<FirstLibrary>()?;
        let mut first = first.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let library = first.take()?;
        let start = library.start();
        Some(LibraryStart {
            query: std::borrow::Cow::Owned(start.query.into_owned()),
            facets: std::borrow::Cow::Owned(start.facets.into_owned()),
            total: start.total,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let text = document().get_element_by_id(LIBRARY_DATA_ID)?.text_content()?;
        serde_json::from_str(&text).ok()
    }
}

/// The state of the island and how it follows the form and the address.
#[derive(Clone, Copy)]
struct Results {
    locale: Locale,
    shelf: StoredValue<Option<String>>,
    /// The page's path without its query.
    path: StoredValue<String>,
    /// What the page started from: its filters bring back the server's shelves.
    start: StoredValue<LibraryStart<'static>>,
    /// The filters the address says.
    query: RwSignal<ResourceQuery>,
    /// The options of the filters shown.
    facets: RwSignal<Facets>,
    /// The count shown.
    total: RwSignal<usize>,
    /// The results the island renders, shared: the shelves read them without a copy. `None`
    /// while the server's shelves show.
    shown: RwSignal<Option<Arc<Library>>>,
    failed: RwSignal<bool>,
    /// The number of the latest request: an answer to an older one is dropped.
    latest: StoredValue<u64>,
    /// The query the last keystroke led to: further typing replaces that history entry, so
    /// that Back returns to the filters from before the typing, not to each letter.
    typed: StoredValue<Option<ResourceQuery>>,
}

impl Results {
    /// Takes the form's values: a new query goes into the address and the results follow.
    fn follow_form(self, form: NodeRef<html::Form>, typing: bool) {
        let Some(form) = form.get_untracked() else { return };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let pairs: Vec<(String, String)> = ["q", "shelf", "language", "year", "program"]
            .iter()
            .filter_map(|k| data.get(k).as_string().map(|v| ((*k).to_owned(), v)))
            .collect();
        let next = ResourceQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let current = self.query.get_untracked();
        if next == current {
            return;
        }
        let replace = typing && self.typed.get_value().as_ref() == Some(&current);
        self.typed.set_value(typing.then(|| next.clone()));
        let url = with_query(&self.path.get_value(), &next.to_query_string());
        if let Ok(history) = window().history() {
            let state = wasm_bindgen::JsValue::NULL;
            let _ = if replace {
                history.replace_state_with_url(&state, "", Some(&url))
            } else {
                history.push_state_with_url(&state, "", Some(&url))
            };
        }
        self.load(next);
    }

    /// Shows `query` in the controls and the page's head, and its results once they come: at
    /// once for the page's own filters, whose shelves the server rendered.
    fn load(self, query: ResourceQuery) {
        self.follow_document(&query);
        self.query.set(query.clone());
        let ticket = self.latest.get_value() + 1;
        self.latest.set_value(ticket);
        let start = self
            .start
            .with_value(|start| (*start.query == query).then(|| start.clone()));
        if let Some(start) = start {
            self.show(start.facets.into_owned(), start.total, None);
            return;
        }
        let (locale, shelf) = (self.locale, self.shelf.get_value());
        leptos::task::spawn_local(async move {
            let answer = api::library(locale, shelf.as_deref(), &query).await;
            if self.latest.get_value() != ticket {
                return;
            }
            match answer {
                Some(mut library) => {
                    let facets = std::mem::take(&mut library.facets);
                    self.show(facets, library.total, Some(Arc::new(library)));
                }
                None => self.failed.set(true),
            }
        });
    }

    /// Shows results: the island's (`Some`) or the server's shelves (`None`).
    fn show(self, facets: Facets, total: usize, library: Option<Arc<Library>>) {
        if self.facets.with_untracked(|shown| *shown != facets) {
            self.facets.set(facets);
        }
        self.total.set(total);
        self.failed.set(false);
        self.shown.set(library);
    }

    /// The robots tag and the language switch outside the island follow the address.
    fn follow_document(self, query: &ResourceQuery) {
        let document = document();
        if let Ok(Some(tag)) = document.query_selector("meta[name=robots]") {
            let _ = tag.set_attribute("content", robots(query.is_filtered()));
        }
        if let Ok(Some(link)) = document.query_selector("a.lang-switch") {
            let target = switch_path(&self.path.get_value(), &query.to_query_string(), self.locale.other());
            let _ = link.set_attribute("href", &target);
        }
    }
}

/// The filter form: a plain GET form whose controls show the filters of the address.
#[component]
fn FilterForm(
    locale: Locale,
    action: String,
    query: RwSignal<ResourceQuery>,
    facets: Signal<Facets>,
    form_ref: NodeRef<html::Form>,
    show_shelf: bool,
    /// Follows the form now (`false`) or after a pause in typing (`true`).
    go: Callback<bool>,
) -> impl IntoView {
    let t = locale.messages();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go.run(false);
    };
    let select = move |name: &'static str,
                       label: &'static str,
                       pick: fn(&Facets) -> Vec<Facet>,
                       value: fn(&ResourceQuery) -> String| {
        let options = Signal::derive(move || facets.with(pick));
        let current = Signal::derive(move || query.with(value));
        view! { <FilterSelect locale name label options current go /> }
    };
    view! {
        <form class="filters" method="get" action=action role="search" aria-label=t.resources_filters node_ref=form_ref on:submit=on_submit>
            <SearchBox locale query go />
            {show_shelf.then(|| select("shelf", t.resources_shelf_label, |f| f.shelf.clone(), |q| q.shelf.clone()))}
            {select("language", t.resources_language_label, |f| f.language.clone(), |q| q.language.clone())}
            {select("year", t.resources_year_label, |f| f.year.clone(), |q| q.year.clone())}
            {select("program", t.resources_program_label, |f| f.program.clone(), |q| q.program.clone())}
            <button type="submit" class="button secondary">{t.resources_apply}</button>
        </form>
    }
}

/// The text box: the results follow a pause in typing.
#[component]
fn SearchBox(locale: Locale, query: RwSignal<ResourceQuery>, go: Callback<bool>) -> impl IntoView {
    let t = locale.messages();
    let input = NodeRef::<html::Input>::new();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |_| {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        pending.set_value(set_timeout_with_handle(move || go.run(true), DEBOUNCE).ok());
    };
    // The address holds the text trimmed: while the box's own text means the same, it stays as
    // typed, so a space typed before a pause is kept.
    let shown = move || {
        let q = query.with(|q| q.q.clone());
        match input.get_untracked().map(|el| el.value()) {
            Some(typed) if ResourceQuery::text_of(&typed) == q => typed,
            _ => q,
        }
    };
    view! {
        <div class="field field-q">
            <label for="filter-q">{t.resources_q_label}</label>
            <input
                id="filter-q"
                name="q"
                type="search"
                maxlength="200"
                aria-describedby="filter-q-hint"
                node_ref=input
                value=move || query.with(|q| q.q.clone())
                prop:value=shown
                on:input=on_input
            />
            <p class="hint" id="filter-q-hint">{t.resources_q_hint}</p>
        </div>
    }
}

/// One filter as a select: "any", then each value with the number of documents it gives.
#[component]
fn FilterSelect(
    locale: Locale,
    name: &'static str,
    label: &'static str,
    options: Signal<Vec<Facet>>,
    current: Signal<String>,
    go: Callback<bool>,
) -> impl IntoView {
    let t = locale.messages();
    let id = format!("filter-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name prop:value=move || current.get() on:change=move |_| go.run(false)>
                <option value="" selected=move || current.get().is_empty()>{t.resources_any}</option>
                <For each=move || options.get() key=|f| (f.value.clone(), f.count) let:facet>
                    {
                        let value = facet.value.clone();
                        let label = if facet.count == 0 {
                            format!("{} ({})", facet.label, t.resources_option_none)
                        } else {
                            format!("{} ({})", facet.label, facet.count)
                        };
                        view! { <option value=facet.value.clone() selected=move || current.get() == value>{label}</option> }
                    }
                </For>
            </select>
        </div>
    }
}

/// The shelves with their documents or their empty state: the server's, after the island, and
/// the island's for the filters it changes to.
#[component]
pub fn Shelves(locale: Locale, library: Arc<Library>, base_path: String, is_shelf_page: bool) -> impl IntoView {
    let t = locale.messages();
    let filtered = library.query.is_filtered();
    let clear = base_path.clone();
    let nothing = (library.total == 0 && filtered && !is_shelf_page).then(|| {
        view! {
            <EmptyState message=t.resources_empty>
                <a class="empty-action" href=clear.clone()>{t.resources_clear}</a>
            </EmptyState>
        }
    });
    let pager = is_shelf_page.then(|| pager(locale, &library, &base_path));
    let shelves = library
        .shelves
        .iter()
        .map(|s| shelf_section(locale, s, &base_path, filtered, &library.query, is_shelf_page))
        .collect_view();
    view! {
        {nothing}
        <div class="shelves">{shelves}</div>
        {pager}
    }
}

/// One shelf: title, description, documents or the empty state. (A function of the shelf as
/// the library holds it: a page's view copies only what it shows.)
fn shelf_section(
    locale: Locale,
    shelf: &ShelfResults,
    clear: &str,
    filtered: bool,
    query: &ResourceQuery,
    is_shelf_page: bool,
) -> impl IntoView + use<> {
    let t = locale.messages();
    let heading_id = format!("shelf-{}", shelf.shelf.id);
    let more = (!is_shelf_page && shelf.total > shelf.documents.len()).then(|| {
        let href = with_query(&Page::Shelf(shelf.shelf.id.clone()).path(locale), &query.to_query_string());
        view! { <p class="shelf-more"><a href=href>{format!("{} ({})", t.resources_shelf_page_link, t.document_count(shelf.total))}</a></p> }
    });
    let body = if shelf.documents.is_empty() {
        let clear = filtered.then(|| clear.to_owned());
        Either::Left(view! {
            <EmptyState message=t.resources_empty>
                {clear.map(|clear| view! { <a class="empty-action" href=clear>{t.resources_clear}</a> })}
            </EmptyState>
        })
    } else {
        let level = if is_shelf_page { 2 } else { 3 };
        let cards = shelf
            .documents
            .iter()
            .map(|d| document_card(locale, d, level))
            .collect_view();
        Either::Right(view! { <ul class="documents">{cards}</ul> })
    };
    let title = if is_shelf_page {
        None
    } else {
        Some(view! { <h2 id=heading_id.clone()>{shelf.shelf.title.clone()}</h2> })
    };
    let description = (!shelf.shelf.description.is_empty())
        .then(|| view! { <p class="shelf-description">{shelf.shelf.description.clone()}</p> });
    view! {
        <section class="shelf" aria-labelledby=(!is_shelf_page).then_some(heading_id) data-shelf=shelf.shelf.id.clone()>
            {title}
            {description}
            {body}
            {more}
        </section>
    }
}

/// Previous and next links of a shelf page, filters kept.
fn pager(locale: Locale, library: &Library, base_path: &str) -> impl IntoView {
    let t = locale.messages();
    let link = |page: u32| {
        let mut q = library.query.clone();
        q.page = if page > 1 { page.to_string() } else { String::new() };
        with_query(base_path, &q.to_query_string())
    };
    let prev =
        (library.page > 1).then(|| view! { <a rel="prev" href=link(library.page - 1)>{"← "}{t.pager_previous}</a> });
    let next = (library.page < library.total_pages)
        .then(|| view! { <a rel="next" href=link(library.page + 1)>{t.pager_next}{" →"}</a> });
    (library.total_pages > 1).then(|| view! { <nav class="pager" aria-label=t.pager_label>{prev}{next}</nav> })
}
