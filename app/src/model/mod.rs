//! Plain data shared by the server and the browser: what the pages render. Anything holding
//! HTML holds it already sanitized by the content loader.

mod date;
mod donation;
mod photo;
mod resource;
mod story;

pub use date::Date;
pub use donation::{Donation, DonationError, DonationForm, DonationSettings, Frequency};
pub use photo::{
    derived_height, og_size, Image, CARD_SIZES, LEAD_SIZES, OG_SIZE, PHOTO_PATH, PHOTO_WIDTHS, PROSE_SIZES,
};
#[cfg(feature = "ssr")]
pub use resource::LibraryData;
pub use resource::{
    language_name, DocumentCard, DocumentKind, Facet, Facets, Library, LibraryStart, ResourceQuery, Shelf,
    ShelfResults, KNOWN_LANGUAGES, MAX_ID_CHARS, MAX_QUERY_CHARS, MAX_QUERY_TERMS,
};
pub use story::{FeedPage, HomeData, StoryCard, StoryKind, StoryPage};

/// `value` as JSON text that is safe inside a `<script>` data block: `<`, `>` and `&` only ever
/// stand inside JSON strings, where their `\u` escapes mean the same, so the text can neither
/// close its script nor open a comment.
#[cfg(feature = "ssr")]
pub fn script_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Maps of strings and numbers, as the site writes, always serialize.
    let json = serde_json::to_string(value).unwrap_or_default();
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    let mut last = 0;
    for (at, c) in json.match_indices(['<', '>', '&']) {
        out.push_str(&json[last..at]);
        out.push_str(match c {
            "<" => "\\u003c",
            ">" => "\\u003e",
            _ => "\\u0026",
        });
        last = at + 1;
    }
    out.push_str(&json[last..]);
    out
}

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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::script_json;

    #[test]
    fn script_json_cannot_close_its_script() {
        let value = serde_json::json!({ "headline": "</script><script>alert(1)</script> \"q\" & more" });
        let json = script_json(&value);
        assert!(
            !json.contains('<') && !json.contains('>') && !json.contains('&'),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), value);
    }
}
