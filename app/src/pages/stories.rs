//! `/es/historias`, `/en/stories`: the feed, newest first. `?page=N` shows the first N pages;
//! "Leer más historias" is a link to the next N without JavaScript, and loads the next page
//! in place (the feed's island) with it.

use super::from_content;
use crate::{
    address::use_query,
    components::{cards::StoryCardView, empty_state::EmptyState, feed::MoreStories, head::PageHead},
    content::Snapshot,
    i18n::{use_locale, Locale},
    model::FeedPage,
    paths::Page,
};
use leptos::prelude::*;

/// The stories feed.
#[component]
pub fn StoriesPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.messages();
    let page = parse_page(last_page_value(&use_query()).as_deref());
    from_content(
        locale,
        |s| feed_through(s, locale, page?),
        |feed| {
            view! {
                <PageHead locale title=t.stories_title description=t.stories_description page=Some(Page::Stories) noindex={feed.page > 1} />
                <FeedView locale feed />
            }
        },
    )
}

/// The feed's query as its page reads it: the page number (the last one given), none for the
/// first page, `page=0` (no page, a 404) for anything but a positive integer.
pub(super) fn page_query(query: &str) -> String {
    match parse_page(last_page_value(query).as_deref()) {
        Some(1) => String::new(),
        Some(page) => format!("page={page}"),
        None => "page=0".to_owned(),
    }
}

/// The last `page` value of a query string, if it has one.
fn last_page_value(query: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == "page")
        .last()
        .map(|(_, value)| value.into_owned())
}

/// A page number from the query: absent means 1; anything but a positive integer is `None`.
fn parse_page(value: Option<&str>) -> Option<u32> {
    match value {
        None => Some(1),
        Some(v) => v.parse::<u32>().ok().filter(|p| *p > 0),
    }
}

/// The feed's stories from the first page through page `through`; `None` past the last page.
fn feed_through(snapshot: &Snapshot, locale: Locale, through: u32) -> Option<FeedPage> {
    let last = snapshot.feed(locale, through)?;
    let mut stories = Vec::new();
    for page in 1..through {
        stories.extend(snapshot.feed(locale, page)?.stories);
    }
    stories.extend(last.stories);
    Some(FeedPage { stories, ..last })
}

#[component]
fn FeedView(locale: Locale, feed: FeedPage) -> impl IntoView {
    let t = locale.messages();
    let empty = (feed.total == 0).then(|| {
        view! {
            <EmptyState message=t.stories_empty>
                <a class="empty-action" href=Page::Home.path(locale)>{t.stories_empty_action}</a>
            </EmptyState>
        }
    });
    let cards = feed
        .stories
        .into_iter()
        .map(|story| view! { <StoryCardView locale story /> })
        .collect_view();
    view! {
        <div class="wrap feed">
            <h1>{t.stories_title}</h1>
            {empty}
            <MoreStories locale page=feed.page total_pages=feed.total_pages>
                {cards}
            </MoreStories>
        </div>
    }
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
