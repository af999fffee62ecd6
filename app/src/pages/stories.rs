//! `/es/historias`, `/en/stories`: the feed, newest first. `?page=N` shows the first N pages;
//! "Leer más historias" is a link to the next N without JavaScript, and loads the next page
//! in place (JSON from the API) with it.

use crate::{
    app::use_locale,
    components::{cards::StoryCardView, empty_state::EmptyState, error_view::ErrorView, head::PageHead},
    error::AppError,
    functions::stories::get_feed_through,
    i18n::Locale,
    model::{FeedPage, StoryCard},
    paths::Page,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The stories feed.
#[component]
pub fn StoriesPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.messages();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| parse_page(q.get_str("page"))));
    let feed = Resource::new(
        move || page.get(),
        move |page| async move {
            match page {
                Some(page) => get_feed_through(locale, page).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match feed.await {
                    Ok(feed) => view! {
                        <PageHead locale title=t.stories_title description=t.stories_description page=Some(Page::Stories) noindex={feed.page > 1} />
                        <FeedView locale feed />
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorView locale error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A page number from the query: absent means 1; anything but a positive integer is `None`.
fn parse_page(value: Option<&str>) -> Option<u32> {
    match value {
        None => Some(1),
        Some(v) => v.parse::<u32>().ok().filter(|p| *p > 0),
    }
}

#[component]
fn FeedView(locale: Locale, feed: FeedPage) -> impl IntoView {
    let t = locale.messages();
    let stories = RwSignal::new(feed.stories);
    let page = RwSignal::new(feed.page);
    let total_pages = feed.total_pages;
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let list = NodeRef::<leptos::html::Div>::new();
    let more = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        failed.set(false);
        let next = page.get_untracked() + 1;
        leptos::task::spawn_local(async move {
            match fetch_page(locale, next).await {
                Some(feed) => {
                    let first_new = feed.stories.first().map(|s| s.id.clone());
                    stories.update(|all| all.extend(feed.stories));
                    page.set(feed.page);
                    follow_url(feed.page);
                    if let Some(id) = first_new {
                        focus_story(list, &id);
                    }
                }
                None => failed.set(true),
            }
            loading.set(false);
        });
    };
    let empty = feed.total == 0;
    view! {
        <div class="wrap feed">
            <h1>{t.stories_title}</h1>
            {empty.then(|| view! {
                <EmptyState message=t.stories_empty>
                    <a class="empty-action" href=Page::Home.path(locale)>{t.stories_empty_action}</a>
                </EmptyState>
            })}
            <div class="story-grid" node_ref=list>
                <For each=move || stories.get() key=|s: &StoryCard| s.id.clone() let:story>
                    <StoryCardView locale story />
                </For>
            </div>
            <p class="feed-status" role="status" aria-live="polite">
                {move || if loading.get() { t.stories_loading } else if failed.get() { t.stories_load_error } else { "" }}
            </p>
            <Show when=move || page.get() < total_pages>
                <a class="button read-more" href=move || format!("{}?page={}", Page::Stories.path(locale), page.get() + 1) on:click=more aria-busy=move || loading.get().then_some("true")>
                    {t.stories_read_more}
                </a>
            </Show>
        </div>
    }
}

/// Fetches one page of the feed as JSON from the read-only API.
#[cfg(feature = "hydrate")]
async fn fetch_page(locale: Locale, page: u32) -> Option<FeedPage> {
    let url = format!("/api/v1/stories?locale={}&page={page}", locale.code());
    let response = gloo_net::http::Request::get(&url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    response.json::<FeedPage>().await.ok()
}

#[cfg(not(feature = "hydrate"))]
async fn fetch_page(_locale: Locale, _page: u32) -> Option<FeedPage> {
    None
}

/// Puts `?page=N` in the address without a navigation, so a reload shows the same stories.
fn follow_url(page: u32) {
    if let Some(window) = web_sys::window() {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("?page={page}")));
        }
    }
}

/// Moves focus to the link of a story card, once it is in the page.
fn focus_story(list: NodeRef<leptos::html::Div>, id: &str) {
    let selector = format!("[data-story-id=\"{id}\"] a");
    request_animation_frame(move || {
        let Some(list) = list.get_untracked() else { return };
        if let Ok(Some(el)) = list.query_selector(&selector) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::parse_page;

    #[test]
    fn page_numbers_are_positive_integers() {
        assert_eq!(parse_page(None), Some(1));
        assert_eq!(parse_page(Some("3")), Some(3));
        assert_eq!(parse_page(Some("0")), None);
        assert_eq!(parse_page(Some("-1")), None);
        assert_eq!(parse_page(Some("abc")), None);
        assert_eq!(parse_page(Some("1.5")), None);
        assert_eq!(parse_page(Some("99999999999")), None);
    }
}
