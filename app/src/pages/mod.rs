//! One module per page of the site. Pages are server components: they read the content
//! snapshot of the request and render once; only the islands inside them move in the browser.

pub mod donate;
pub mod home;
pub mod not_found;
pub mod resources;
pub mod shelf;
pub mod stories;
pub mod story;
pub mod thanks;

use crate::{
    components::error_view::ErrorView,
    content::snapshot,
    content::Snapshot,
    error::AppError,
    i18n::Locale,
    model::{DonationForm, ResourceQuery},
    paths::{with_query, Page},
};
use leptos::{either::Either, prelude::*};

/// What a page shows: `view` of what `read` takes from the current content, or the error page
/// with its status (404 when `read` finds nothing).
/// (The page's view itself, not an `AnyView`: `into_any` rebuilds a whole view as an owned
/// copy first. The error page is rare.)
fn from_content<T, V>(
    locale: Locale,
    read: impl FnOnce(&Snapshot) -> Option<T>,
    view: impl FnOnce(T) -> V,
) -> Either<V, AnyView>
where
    V: IntoView + 'static,
{
    match snapshot().and_then(|s| read(&s).ok_or(AppError::NotFound)) {
        Ok(data) => Either::Left(view(data)),
        Err(error) => Either::Right(view! { <ErrorView locale error /> }.into_any()),
    }
}

/// The address a page is rendered from, for a request's path and query: the path as it came,
/// with only the query values its page reads, normalized (values the content does not know
/// dropped) and in a fixed order. `?q=a&zz=1&q=` and `?q=a` of the library are one address.
/// The server renders a page from this address and keeps it under it, so the bytes of a page
/// are a function of its address and the content. `None` for a path that is no page of the site.
pub fn page_address(snapshot: &Snapshot, path: &str, query: &str) -> Option<String> {
    let (_, page) = Page::parse(path)?;
    let query = match page {
        Page::Stories => stories::page_query(query),
        Page::Resources | Page::Shelf(_) => snapshot
            .normalize(&ResourceQuery::from_query_string(query))
            .to_query_string(),
        Page::Donate => DonationForm::from_query_string(query).to_query_string(),
        Page::Thanks => thanks::page_query(query),
        Page::Home | Page::Story(_) => String::new(),
    };
    Some(with_query(path, &query))
}

#[cfg(test)]
mod tests {
    use super::page_address;
    use crate::content::ContentStore;
    use std::path::Path;

    #[test]
    fn an_address_keeps_only_what_its_page_reads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let store = ContentStore::open(root.join("tests/fixtures/seed"), root.join("../public"), None)
            .expect("the seed fixture loads");
        let s = store.snapshot();
        let address = |path: &str, query: &str| page_address(&s, path, query);
        assert_eq!(address("/es/recursos", "q=a&zz=1&q="), address("/es/recursos", "q=a"));
        assert_eq!(
            address("/es/recursos", "zz=1&q=+a+&year=20x").as_deref(),
            Some("/es/recursos?q=a")
        );
        assert_eq!(
            address("/en/resources", "language=en&shelf=no-such-shelf&q=memoria").as_deref(),
            Some("/en/resources?q=memoria&language=en")
        );
        assert_eq!(address("/es/", "utm_source=x&fbclid=y").as_deref(), Some("/es/"));
        assert_eq!(address("/es/historias", "page=1&x=2").as_deref(), Some("/es/historias"));
        assert_eq!(
            address("/es/historias", "page=3&page=2").as_deref(),
            Some("/es/historias?page=2")
        );
        assert_eq!(
            address("/es/historias", "page=abc").as_deref(),
            Some("/es/historias?page=0")
        );
        assert_eq!(address("/es/donar", "ref=mail").as_deref(), Some("/es/donar"));
        assert_eq!(
            address("/es/donar", "other_amount=25&amount=10&frequency=once&currency=USD&x=1").as_deref(),
            Some("/es/donar?amount=25&currency=USD&frequency=once")
        );
        assert_eq!(
            address("/es/donar/gracias", "tx=1&frequency=monthly&st=Completed").as_deref(),
            Some("/es/donar/gracias?frequency=monthly")
        );
        assert_eq!(
            address("/en/donate/thank-you", "frequency=weekly&amt=5").as_deref(),
            Some("/en/donate/thank-you")
        );
        assert_eq!(address("/fr/", ""), None);
        assert_eq!(address("/pkg/aipr.js", ""), None);
    }
}
