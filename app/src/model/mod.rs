//! Plain data shared by the server and the browser: what the pages render. Anything holding
//! HTML holds it already sanitized by the content loader.

mod date;
mod donation;
mod resource;
mod story;

pub use date::Date;
pub use donation::{Donation, DonationError, DonationForm, DonationSettings, Frequency};
pub use resource::{
    language_name, DocumentCard, DocumentKind, Facet, Facets, Library, ResourceQuery, Shelf, ShelfResults,
    KNOWN_LANGUAGES, MAX_ID_CHARS, MAX_QUERY_CHARS, MAX_QUERY_TERMS,
};
pub use story::{FeedPage, HomeData, Image, StoryCard, StoryKind, StoryPage};
