//! The site's localized URLs: one table of path segments per language, and the conversions
//! between a page and its path, used by links, the language switch, sitemaps and feeds.

use crate::i18n::Locale;

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
struct Segments {
    stories: &'static str,
    resources: &'static str,
    donate: &'static str,
    thanks: &'static str,
}

const fn segments(locale: Locale) -> Segments {
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
    if query.is_empty() {
        target
    } else {
        format!("{target}?{}", query.trim_start_matches('?'))
    }
}

fn encode_segment(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

fn decode_segment(segment: &str) -> String {
    form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_in_both_languages() {
        let pages = [
            Page::Home,
            Page::Stories,
            Page::Story("aipr-day".into()),
            Page::Resources,
            Page::Shelf("sncf-papers".into()),
            Page::Donate,
            Page::Thanks,
        ];
        for locale in Locale::ALL {
            for page in &pages {
                let path = page.path(locale);
                assert_eq!(Page::parse(&path), Some((locale, page.clone())), "{path}");
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
}
