//! Plain data shared by the server and the browser: what the pages render. Anything holding
//! HTML holds it already sanitized by the content loader.

mod date;
mod donation;
mod resource;
mod story;

pub use date::Date;
pub use donation::{Donation, DonationError, DonationForm, DonationSettings, Frequency};
#[cfg(feature = "ssr")]
pub use resource::LibraryData;
pub use resource::{
    language_name, DocumentCard, DocumentKind, Facet, Facets, Library, ResourceQuery, Shelf, ShelfResults,
    KNOWN_LANGUAGES, MAX_ID_CHARS, MAX_QUERY_CHARS, MAX_QUERY_TERMS,
};
pub use story::{FeedPage, HomeData, Image, StoryCard, StoryKind, StoryPage};

/// A query string of the pairs whose value is set, in the order given; empty when none is.
fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        if !value.is_empty() {
            out.append_pair(key, value);
        }
    }
    out.finish()
}
