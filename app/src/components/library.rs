//! The resource library: the filter form and the shelves, shared by the library page and the
//! shelf pages. The form is a plain GET form; with JavaScript it updates the results in place.

use crate::{
    components::{cards::DocumentCardView, empty_state::EmptyState, error_view::ErrorView, head::PageHead},
    error::AppError,
    functions::resources::get_library,
    i18n::Locale,
    model::{Facet, Facets, Library, ResourceQuery, ShelfResults},
    paths::Page,
};
use leptos::{html, prelude::*};
use leptos_router::{hooks::use_location, hooks::use_navigate, NavigateOptions};
use std::{
    future::{Future, IntoFuture},
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

/// How long typing pauses before the results follow.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// The library, all shelves (`shelf` is `None`) or one shelf.
#[component]
pub fn LibraryView(locale: Locale, shelf: Option<String>) -> impl IntoView {
    let location = use_location();
    let query = Memo::new(move |_| ResourceQuery::from_query_string(&location.search.get()));
    let scope = shelf.clone();
    let results = Resource::new(move || query.get(), move |q| get_library(locale, scope.clone(), q));
    let page = match &shelf {
        Some(id) => Page::Shelf(id.clone()),
        None => Page::Resources,
    };
    // The frame (form, head tags) renders once from the first results and is never rebuilt, so
    // the controls keep focus while the results below change: it waits for the results without
    // subscribing to them. One resource, so the page carries its data once.
    view! {
        <Transition>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    match Untracked(results.into_future()).await {
                        Ok(first) => view! { <LibraryFrame locale page first results query /> }.into_any(),
                        Err(error) => view! { <ErrorView locale error /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// A future polled outside reactive tracking: awaiting it does not subscribe the caller to the
/// signals it reads.
struct Untracked<F>(F);

impl<F: Future + Unpin> Future for Untracked<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        untrack(|| Pin::new(&mut self.0).poll(cx))
    }
}

/// The frame around the results: heading, head tags, filter form and live count.
#[component]
fn LibraryFrame(
    locale: Locale,
    page: Page,
    first: Library,
    results: Resource<Result<Library, AppError>>,
    query: Memo<ResourceQuery>,
) -> AnyView {
    let t = locale.messages();
    let is_shelf_page = matches!(page, Page::Shelf(_));
    let (title, description) = match (&page, first.shelves.first()) {
        (Page::Shelf(_), Some(s)) => (s.shelf.title.clone(), s.shelf.description.clone()),
        _ => (t.resources_title.to_owned(), t.resources_description.to_owned()),
    };
    let description = if description.is_empty() {
        t.resources_description.to_owned()
    } else {
        description
    };
    // The options and the count follow the latest results; they are set where the results
    // resolve, so that nothing but the results waits on them.
    let facets = RwSignal::new(first.facets);
    let total = RwSignal::new(first.total);
    let base_path = page.path(locale);
    view! {
        <PageHead locale title=title.clone() description page=Some(page.clone()) noindex=Signal::derive(move || query.get().is_filtered()) />
        <div class="wrap library">
            <h1>{title}</h1>
            {is_shelf_page.then(|| view! { <p><a href=Page::Resources.path(locale)>{t.resources_all_shelves}</a></p> })}
            <FilterForm locale action=base_path.clone() query facets=facets.read_only() show_shelf=!is_shelf_page />
            <p class="result-count" role="status" aria-live="polite" aria-atomic="true">
                {move || t.document_count(total.get())}
            </p>
            <Transition>
                {move || {
                    let base_path = base_path.clone();
                    Suspend::new(async move {
                        match results.await {
                            Ok(library) => {
                                if facets.with_untracked(|f| *f != library.facets) {
                                    facets.set(library.facets.clone());
                                }
                                if total.get_untracked() != library.total {
                                    total.set(library.total);
                                }
                                view! { <Shelves locale library base_path is_shelf_page /> }.into_any()
                            }
                            Err(error) => view! { <ErrorView locale error /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </div>
    }
    .into_any()
}

/// The filter form: a plain GET form whose controls always show the URL's filters.
#[component]
fn FilterForm(
    locale: Locale,
    action: String,
    query: Memo<ResourceQuery>,
    facets: ReadSignal<Facets>,
    show_shelf: bool,
) -> AnyView {
    let t = locale.messages();
    let form_ref = NodeRef::<html::Form>::new();
    let text_ref = NodeRef::<html::Input>::new();
    let navigate = use_navigate();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // The query the last keystroke led to: further typing replaces that history entry, so
    // that Back returns to the filters from before the typing, not to each letter.
    let typed = StoredValue::new(None::<ResourceQuery>);
    let go = {
        let action = action.clone();
        move |typing: bool| {
            let Some(form) = form_ref.get_untracked() else { return };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            let pairs: Vec<(String, String)> = ["q", "shelf", "language", "year", "program"]
                .iter()
                .filter_map(|k| data.get(k).as_string().map(|v| ((*k).to_owned(), v)))
                .collect();
            let next = ResourceQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let current = query.get_untracked();
            if next == current {
                return;
            }
            let replace = typing && typed.get_value().as_ref() == Some(&current);
            typed.set_value(typing.then(|| next.clone()));
            let qs = next.to_query_string();
            let url = if qs.is_empty() {
                action.clone()
            } else {
                format!("{action}?{qs}")
            };
            navigate(
                &url,
                NavigateOptions {
                    scroll: false,
                    replace,
                    ..Default::default()
                },
            );
        }
    };
    let go_later = {
        let go = go.clone();
        move || {
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let go = go.clone();
            pending.set_value(set_timeout_with_handle(move || go(true), DEBOUNCE).ok());
        }
    };
    let go_now = go.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go(false);
    };
    let select = move |name: &'static str,
                       label: &'static str,
                       options: fn(&Facets) -> Vec<Facet>,
                       current: fn(&ResourceQuery) -> String| {
        let go_now = go_now.clone();
        let id = format!("filter-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id name=name prop:value=move || current(&query.get()) on:change=move |_| go_now(false)>
                    <option value="" selected=move || current(&query.get()).is_empty()>{t.resources_any}</option>
                    <For each=move || options(&facets.get()) key=|f| (f.value.clone(), f.count) let:facet>
                        {
                            let value = facet.value.clone();
                            let label = if facet.count == 0 {
                                format!("{} ({})", facet.label, t.resources_option_none)
                            } else {
                                format!("{} ({})", facet.label, facet.count)
                            };
                            view! {
                                <option value=facet.value.clone() selected=move || current(&query.get()) == value>{label}</option>
                            }
                        }
                    </For>
                </select>
            </div>
        }
    };
    view! {
        <form class="filters" method="get" action=action role="search" aria-label=t.resources_filters node_ref=form_ref on:submit=on_submit>
            <div class="field field-q">
                <label for="filter-q">{t.resources_q_label}</label>
                <input
                    id="filter-q"
                    name="q"
                    type="search"
                    maxlength="200"
                    aria-describedby="filter-q-hint"
                    node_ref=text_ref
                    value=move || query.get().q
                    prop:value=move || {
                        // The URL holds the text trimmed: while the box's own text means the
                        // same, it stays as typed, so a space typed before a pause is kept.
                        let q = query.get().q;
                        match text_ref.get_untracked().map(|input| input.value()) {
                            Some(typed) if ResourceQuery::text_of(&typed) == q => typed,
                            _ => q,
                        }
                    }
                    on:input=move |_| go_later()
                />
                <p class="hint" id="filter-q-hint">{t.resources_q_hint}</p>
            </div>
            {show_shelf.then(|| select("shelf", t.resources_shelf_label, |f| f.shelf.clone(), |q| q.shelf.clone()))}
            {select("language", t.resources_language_label, |f| f.language.clone(), |q| q.language.clone())}
            {select("year", t.resources_year_label, |f| f.year.clone(), |q| q.year.clone())}
            {select("program", t.resources_program_label, |f| f.program.clone(), |q| q.program.clone())}
            <button type="submit" class="button secondary">{t.resources_apply}</button>
        </form>
    }
    .into_any()
}

/// The shelves with their documents or their empty state.
#[component]
fn Shelves(locale: Locale, library: Library, base_path: String, is_shelf_page: bool) -> impl IntoView {
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
        .into_iter()
        .map(|s| view! { <ShelfSection locale shelf=s clear=base_path.clone() filtered query=library.query.clone() is_shelf_page /> })
        .collect_view();
    view! {
        {nothing}
        <div class="shelves">{shelves}</div>
        {pager}
    }
}

/// One shelf: title, description, documents or the empty state.
#[component]
fn ShelfSection(
    locale: Locale,
    shelf: ShelfResults,
    clear: String,
    filtered: bool,
    query: ResourceQuery,
    is_shelf_page: bool,
) -> impl IntoView {
    let t = locale.messages();
    let heading_id = format!("shelf-{}", shelf.shelf.id);
    let more = (!is_shelf_page && shelf.total > shelf.documents.len()).then(|| {
        let qs = query.to_query_string();
        let path = Page::Shelf(shelf.shelf.id.clone()).path(locale);
        let href = if qs.is_empty() { path } else { format!("{path}?{qs}") };
        view! { <p class="shelf-more"><a href=href>{format!("{} ({})", t.resources_shelf_page_link, t.document_count(shelf.total))}</a></p> }
    });
    let body = if shelf.documents.is_empty() {
        view! {
            <EmptyState message=t.resources_empty>
                {filtered.then(|| view! { <a class="empty-action" href=clear.clone()>{t.resources_clear}</a> })}
            </EmptyState>
        }
        .into_any()
    } else {
        let cards = shelf
            .documents
            .into_iter()
            .map(|d| view! { <DocumentCardView locale document=d /> })
            .collect_view();
        view! { <ul class="documents">{cards}</ul> }.into_any()
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
        let qs = q.to_query_string();
        if qs.is_empty() {
            base_path.to_owned()
        } else {
            format!("{base_path}?{qs}")
        }
    };
    let prev =
        (library.page > 1).then(|| view! { <a rel="prev" href=link(library.page - 1)>{"← "}{t.pager_previous}</a> });
    let next = (library.page < library.total_pages)
        .then(|| view! { <a rel="next" href=link(library.page + 1)>{t.pager_next}{" →"}</a> });
    (library.total_pages > 1).then(|| view! { <nav class="pager" aria-label=t.pager_label>{prev}{next}</nav> })
}
