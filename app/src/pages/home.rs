//! `/es/`, `/en/`: the institute's introduction, the donation call to action, the latest
//! impact stories and news, and the way to the library.

use super::from_content;
use crate::{
    components::{cards::StoryCardView, donate::DonateCta, empty_state::EmptyState, head::PageHead},
    i18n::{use_locale, Locale},
    model::{HomeData, StoryCard},
    paths::Page,
};
use leptos::{either::Either, prelude::*};

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.messages();
    view! {
        <PageHead locale title=t.home_title description=t.site_description page=Some(Page::Home) />
        {from_content(locale, |s| Some(s.home(locale)), |data| view! { <HomeView locale data /> })}
    }
}

#[component]
fn HomeView(locale: Locale, data: HomeData) -> impl IntoView {
    let t = locale.messages();
    view! {
        <section class="hero">
            <div class="wrap">
                <h1>{t.site_name}</h1>
                <p class="lead">{data.intro}</p>
            </div>
        </section>
        <div class="wrap home-grid">
            <StoryList locale id="latest-impact" heading=t.home_latest_impact stories=data.impact />
            <StoryList locale id="latest-news" heading=t.home_latest_news stories=data.news />
            <p class="more-link"><a href=Page::Stories.path(locale)>{t.home_all_stories}</a></p>
            <section class="library-teaser" aria-labelledby="library-teaser-heading">
                <h2 id="library-teaser-heading">{t.home_library_heading}</h2>
                <p>{t.home_library_text}</p>
                <a href=Page::Resources.path(locale)>{t.home_library_link}</a>
            </section>
            <DonateCta locale settings=data.donation />
        </div>
    }
}

/// A titled list of story cards, or its empty state.
#[component]
fn StoryList(locale: Locale, id: &'static str, heading: &'static str, stories: Vec<StoryCard>) -> impl IntoView {
    let t = locale.messages();
    let body = if stories.is_empty() {
        Either::Left(view! { <EmptyState message=t.stories_empty /> })
    } else {
        Either::Right(
            stories
                .into_iter()
                .map(|story| view! { <StoryCardView locale story level=3 /> })
                .collect_view(),
        )
    };
    view! {
        <section class="story-list" aria-labelledby=id>
            <h2 id=id>{heading}</h2>
            {body}
        </section>
    }
}
