//! The islands' calls of the JSON API (`/api/v1`, `server/src/api.rs`): the same answers for
//! the browser as for anyone else. Pages read the content snapshot directly (`content::snapshot`).
//! Each answers `None` when the call fails, whatever the reason: the island says so and keeps
//! what it shows.

use crate::{
    i18n::Locale,
    model::{FeedPage, Library, ResourceQuery},
    paths::{encode_segment, with_query},
};

/// One page of the feed, as `/api/v1/stories` gives it.
pub async fn feed_page(locale: Locale, page: u32) -> Option<FeedPage> {
    get_json(&format!("/api/v1/stories?locale={}&page={page}", locale.code())).await
}

/// What the library page (`shelf` is `None`) or a shelf's page shows for `query`, as
/// `/api/v1/library` and `/api/v1/library/{shelf}` give it.
pub async fn library(locale: Locale, shelf: Option<&str>, query: &ResourceQuery) -> Option<Library> {
    let path = match shelf {
        Some(id) => format!("/api/v1/library/{}", encode_segment(id)),
        None => "/api/v1/library".to_owned(),
    };
    let filters = query.to_query_string();
    let query = if filters.is_empty() {
        format!("locale={}", locale.code())
    } else {
        format!("locale={}&{filters}", locale.code())
    };
    get_json(&with_query(&path, &query)).await
}

/// A `GET` of `url` whose answer is read as JSON; `None` for a failed call or a status other
/// than 2xx.
#[cfg(feature = "hydrate")]
async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Option<T> {
    let response = gloo_net::http::Request::get(url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    response.json::<T>().await.ok()
}

/// On the server nothing is fetched: islands call the API only from the browser, after a
/// visitor's action.
#[cfg(not(feature = "hydrate"))]
async fn get_json<T>(_url: &str) -> Option<T> {
    None
}
