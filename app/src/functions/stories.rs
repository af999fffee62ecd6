//! Server functions of the stories: home page, feed, one story.

use crate::{
    error::AppError,
    i18n::Locale,
    model::{FeedPage, HomeData, StoryPage},
};
use leptos::prelude::*;

/// What the home page shows in a language.
#[server(prefix = "/_fn", endpoint = "home")]
pub async fn get_home(locale: Locale) -> Result<HomeData, AppError> {
    Ok(super::snapshot()?.home(locale))
}

/// The feed's stories from the first page through page `through`: what the feed shows when
/// its URL says `?page=N`. Past the last page, or below 1, is [`AppError::NotFound`].
#[server(prefix = "/_fn", endpoint = "feed")]
pub async fn get_feed_through(locale: Locale, through: u32) -> Result<FeedPage, AppError> {
    let snapshot = super::snapshot()?;
    let last = snapshot.feed(locale, through).ok_or(AppError::NotFound)?;
    let mut stories = Vec::new();
    for page in 1..through {
        stories.extend(snapshot.feed(locale, page).ok_or(AppError::Internal)?.stories);
    }
    stories.extend(last.stories);
    Ok(FeedPage { stories, ..last })
}

/// One story in a language (falling back to its other language), with related stories.
#[server(prefix = "/_fn", endpoint = "story")]
pub async fn get_story(locale: Locale, id: String) -> Result<StoryPage, AppError> {
    super::snapshot()?.story(locale, &id).ok_or(AppError::NotFound)
}
