//! The feed's "read more": without JavaScript a link to `?page=N+1` (the server shows the first
//! N+1 pages); with it, an island that loads the next page as JSON from the API and adds its
//! cards in place, keeping the address in step and moving focus to the first new story.

use crate::{
    api,
    components::{cards::StoryCardView, island_here},
    i18n::Locale,
    model::StoryCard,
    paths::Page,
};
use leptos::{html, prelude::*};

/// The cards of the feed (the server's, given as children, then those loaded here), its
/// status line and the "read more" link. `page` is the last page shown, of `total_pages`.
#[island(lazy)]
pub fn MoreStories(locale: Locale, page: u32, total_pages: u32, children: Children) -> impl IntoView {
    island_here();
    let t = locale.messages();
    let added = RwSignal::new(Vec::<StoryCard>::new());
    let page = RwSignal::new(page);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let list = NodeRef::<html::Div>::new();
    let more = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        failed.set(false);
        let next = page.get_untracked() + 1;
        leptos::task::spawn_local(async move {
            match api::feed_page(locale, next).await {
                Some(feed) => {
                    let first_new = feed.stories.first().map(|s| s.id.clone());
                    added.update(|all| all.extend(feed.stories));
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
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(list) = list.get() {
            crate::components::hydrated(&list);
        }
    });
    view! {
        <div class="story-grid" node_ref=list>
            {children()}
            <For each=move || added.get() key=|s: &StoryCard| s.id.clone() let:story>
                <StoryCardView locale story />
            </For>
        </div>
        <p class="feed-status" role="status" aria-live="polite">
            {move || if loading.get() { t.stories_loading } else if failed.get() { t.stories_load_error } else { "" }}
        </p>
        {move || (page.get() < total_pages).then(|| view! {
            <a class="button read-more" href=move || format!("{}?page={}", Page::Stories.path(locale), page.get() + 1) on:click=more aria-busy=move || loading.get().then_some("true")>
                {t.stories_read_more}
            </a>
        })}
    }
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
fn focus_story(list: NodeRef<html::Div>, id: &str) {
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
