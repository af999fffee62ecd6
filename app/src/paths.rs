//! The site's localized URLs: one table of path segments per language, and the conversions
//! between a page and its path, used by links, the language switch, sitemaps and feeds.

use crate::i18n::Locale;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// A page of the site, independent of its language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// The home page.
    Home,
    /// The stories feed.
    Stories,
    /// One story, by id.
    Story(String),
    /// The resource library, every shelf.
    Resources,
    /// One shelf of the library, by id.
    Shelf(String),
    /// The donate page with its form.
    Donate,
    /// The page the payment provider returns to.
    Thanks,
}

/// Localized path segments of one language.
pub struct Segments {
    /// The stories' section.
    pub stories: &'static str,
    /// The library's section.
    pub resources: &'static str,
    /// The donate page.
    pub donate: &'static str,
    /// The thank-you page, under the donate page.
    pub thanks: &'static str,
}

/// The path segments of `locale`.
pub const fn segments(locale: Locale) -> Segments {
    match locale {
        Locale::Es => Segments {
            stories: "historias",
            resources: "recursos",
            donate: "donar",
            thanks: "gracias",
        },
        Locale::En => Segments {
            stories: "stories",
            resources: "resources",
            donate: "donate",
            thanks: "thank-you",
        },
    }
}

impl Page {
    /// The path of this page in a language, e.g. `/es/historias/abc`.
    pub fn path(&self, locale: Locale) -> String {
        let s = segments(locale);
        let l = locale.code();
        match self {
            Page::Home => format!("/{l}/"),
            Page::Stories => format!("/{l}/{}", s.stories),
            Page::Story(id) => format!("/{l}/{}/{}", s.stories, encode_segment(id)),
            Page::Resources => format!("/{l}/{}", s.resources),
            Page::Shelf(id) => format!("/{l}/{}/{}", s.resources, encode_segment(id)),
            Page::Donate => format!("/{l}/{}", s.donate),
            Page::Thanks => format!("/{l}/{}/{}", s.donate, s.thanks),
        }
    }

    /// Reads a path back into its language and page; `None` for a path the site does not have.
    pub fn parse(path: &str) -> Option<(Locale, Page)> {
        let mut parts = path.trim_start_matches('/').split('/').filter(|p| !p.is_empty());
        let locale = Locale::from_code(parts.next()?)?;
        let s = segments(locale);
        let rest: Vec<&str> = parts.collect();
        let page = match rest.as_slice() {
            [] => Page::Home,
            [x] if *x == s.stories => Page::Stories,
            [x, id] if *x == s.stories => Page::Story(decode_segment(id)),
            [x] if *x == s.resources => Page::Resources,
            [x, id] if *x == s.resources => Page::Shelf(decode_segment(id)),
            [x] if *x == s.donate => Page::Donate,
            [x, y] if *x == s.donate && *y == s.thanks => Page::Thanks,
            _ => return None,
        };
        Some((locale, page))
    }
}

/// The addresses the browser opens itself, as patterns of paths (`*` stands for any text): the
/// donation hand-off (a redirect to the provider), the API, documents, photos, the editor, and
/// every file (feeds, the sitemap, uploads; a page's path has no dot). The islands router never
/// takes them (`navigation.js`), and pages without the router never prerender them.
pub const LEFT_TO_BROWSER: &[&str] = &[
    "/donate/checkout*",
    "/api/*",
    "/documents/*",
    "/img/*",
    "/admin*",
    "/*.*",
];

/// The language of a path from its first segment, Spanish when it has none.
pub fn locale_of_path(path: &str) -> Locale {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .and_then(Locale::from_code)
        .unwrap_or_default()
}

/// The same page in another language, query kept: the language switch's target. An unknown
/// path leads to the other language's home page.
pub fn switch_path(path: &str, query: &str, to: Locale) -> String {
    let target = match Page::parse(path) {
        Some((_, page)) => page.path(to),
        None => Page::Home.path(to),
    };
    with_query(&target, query)
}

/// A path with a query string (given with or without its `?`), or the bare path when the
/// query is empty.
pub fn with_query(path: &str, query: &str) -> String {
    match query.trim_start_matches('?') {
        "" => path.to_owned(),
        query => format!("{path}?{query}"),
    }
}

/// What a path segment escapes: everything but the unreserved characters of RFC 3986.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A path segment escaped: a story or shelf id in a path.
pub(crate) fn encode_segment(id: &str) -> String {
    utf8_percent_encode(id, SEGMENT).to_string()
}

/// A path segment's text: escapes decoded, a byte sequence that is no UTF-8 replaced.
fn decode_segment(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One page of each kind.
    fn every_page() -> [Page; 7] {
        [
            Page::Home,
            Page::Stories,
            Page::Story("taller-en-bogota-2024".into()),
            Page::Resources,
            Page::Shelf("sncf-papers".into()),
            Page::Donate,
            Page::Thanks,
        ]
    }

    /// Whether `path` matches `pattern`, `*` standing for any text (as `navigation.js` and the
    /// speculation rules read them).
    fn matches(pattern: &str, path: &str) -> bool {
        match pattern.split_once('*') {
            None => pattern == path,
            Some((head, tail)) => path
                .strip_prefix(head)
                .is_some_and(|rest| (0..=rest.len()).any(|i| rest.is_char_boundary(i) && matches(tail, &rest[i..]))),
        }
    }

    #[test]
    fn no_page_is_left_to_the_browser_and_every_file_is() {
        let left = |path: &str| LEFT_TO_BROWSER.iter().any(|p| matches(p, path));
        for locale in Locale::ALL {
            for page in every_page() {
                let path = page.path(locale);
                assert!(!left(&path), "{path} is a page");
            }
        }
        for path in [
            "/donate/checkout",
            "/es/feed.xml",
            "/sitemap.xml",
            "/api/v1/stories",
            "/documents/a.pdf",
            "/img/k/400.webp",
            "/admin/",
            "/uploads/photo.jpg",
        ] {
            assert!(left(path), "{path} is left to the browser");
        }
    }

    #[test]
    fn paths_round_trip_in_both_languages() {
        for locale in Locale::ALL {
            for page in every_page() {
                let path = page.path(locale);
                assert_eq!(Page::parse(&path), Some((locale, page)), "{path}");
            }
        }
        assert_eq!(Page::Thanks.path(Locale::En), "/en/donate/thank-you");
        assert_eq!(Page::Story("a".into()).path(Locale::Es), "/es/historias/a");
    }

    #[test]
    fn rejects_unknown_paths() {
        assert_eq!(Page::parse("/fr/"), None);
        assert_eq!(Page::parse("/es/stories"), None);
        assert_eq!(Page::parse("/es/historias/a/b"), None);
        assert_eq!(Page::parse("/"), None);
    }

    #[test]
    fn switches_to_the_same_page_with_its_query() {
        assert_eq!(
            switch_path("/es/recursos", "q=silencio&year=2021", Locale::En),
            "/en/resources?q=silencio&year=2021"
        );
        assert_eq!(switch_path("/en/donate/thank-you", "", Locale::Es), "/es/donar/gracias");
        assert_eq!(switch_path("/es/nada", "", Locale::En), "/en/");
        assert_eq!(locale_of_path("/en/whatever"), Locale::En);
        assert_eq!(locale_of_path("/xx"), Locale::Es);
    }

    #[test]
    fn segments_keep_every_character() {
        assert_eq!(decode_segment("a&b"), "a&b");
        assert_eq!(decode_segment("a+b%20c"), "a+b c");
        assert_eq!(decode_segment("%E0%A4%A"), "\u{FFFD}%A");
        assert_eq!(encode_segment("a b/c?d#e&f+g"), "a%20b%2Fc%3Fd%23e%26f%2Bg");
        assert_eq!(
            Page::parse("/es/historias/a%26b"),
            Some((Locale::Es, Page::Story("a&b".into())))
        );
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_id_makes_a_path_that_reads_back(id in "\\PC{1,40}") {
                for locale in Locale::ALL {
                    let page = Page::Story(id.clone());
                    prop_assert_eq!(Page::parse(&page.path(locale)), Some((locale, page)));
                }
            }

            #[test]
            fn any_path_reads_without_panic_and_its_page_reads_back(path in "(/[a-z%0-9A-F.+&-]{0,12}){0,4}/?|\\PC{0,300}") {
                let _ = locale_of_path(&path);
                if let Some((locale, page)) = Page::parse(&path) {
                    let canonical = page.path(locale);
                    prop_assert_eq!(Page::parse(&canonical), Some((locale, page)));
                    prop_assert_eq!(&page_path_again(&canonical), &canonical);
                }
            }
        }

        /// A canonical path parsed and written again is itself.
        fn page_path_again(path: &str) -> String {
            Page::parse(path).map(|(l, p)| p.path(l)).unwrap_or_default()
        }
    }
}
