//! Languages of the site and their translations (`app/locales/*.json`, checked at build time).

use serde::{Deserialize, Serialize};
use std::fmt;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// A language the site is published in. Spanish is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Spanish, the default language.
    #[default]
    Es,
    /// English.
    En,
}

impl Locale {
    /// Every language, the default first: drives the language switch, sitemaps and feeds.
    pub const ALL: [Locale; 2] = [Locale::Es, Locale::En];

    /// The BCP 47 code used in URLs, `lang` attributes and file names.
    pub const fn code(self) -> &'static str {
        match self {
            Locale::Es => "es",
            Locale::En => "en",
        }
    }

    /// The language from its code (`es`, `en`), if the site has it.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The other language of the site: the target of the language switch.
    pub const fn other(self) -> Self {
        match self {
            Locale::Es => Locale::En,
            Locale::En => Locale::Es,
        }
    }

    /// The translated strings of this language.
    pub fn messages(self) -> &'static Messages {
        match self {
            Locale::Es => &ES,
            Locale::En => &EN,
        }
    }

    /// The Open Graph locale (`es_ES`, `en_US`).
    pub const fn og_locale(self) -> &'static str {
        match self {
            Locale::Es => "es_ES",
            Locale::En => "en_US",
        }
    }

    /// Picks the language from an `Accept-Language` header, honouring q-values; `es` when
    /// nothing matches. Only the first [`MAX_LANGUAGE_RANGES`] entries are read.
    pub fn negotiate(accept_language: &str) -> Self {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (position, part) in accept_language.split(',').take(MAX_LANGUAGE_RANGES).enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let Some(locale) = Locale::from_code(primary) else {
                continue;
            };
            if q.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                continue;
            }
            // Highest q wins; between equals, the one the visitor listed first.
            if best.is_none_or(|(bq, bp, _)| q > bq || (q == bq && position < bp)) {
                best = Some((q, position, locale));
            }
        }
        best.map(|(_, _, l)| l).unwrap_or_default()
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The language of the page being rendered, provided by the route around the page.
pub fn use_locale() -> Locale {
    leptos::prelude::use_context::<Locale>().unwrap_or_default()
}

/// How many entries of an `Accept-Language` header are read; browsers send a handful.
pub const MAX_LANGUAGE_RANGES: usize = 32;

/// Fills `{name}` placeholders of a translated string.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            values
                .iter()
                .find(|(name, _)| *name == &after[..close])
                .map(|(_, v)| (close, v))
        });
        match value {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Messages {
    /// The month's name, 1 to 12.
    pub fn month(&self, month: u8) -> &'static str {
        [
            self.month_1,
            self.month_2,
            self.month_3,
            self.month_4,
            self.month_5,
            self.month_6,
            self.month_7,
            self.month_8,
            self.month_9,
            self.month_10,
            self.month_11,
            self.month_12,
        ]
        .get(usize::from(month.max(1)) - 1)
        .copied()
        .unwrap_or("")
    }

    /// "3 documentos" / "1 document": the result count announced by the library.
    pub fn document_count(&self, count: usize) -> String {
        if count == 1 {
            self.resources_count_one.to_owned()
        } else {
            fill(self.resources_count_other, &[("count", &count.to_string())])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_with_q_values() {
        assert_eq!(Locale::negotiate(""), Locale::Es);
        assert_eq!(Locale::negotiate("fr-FR,fr;q=0.9"), Locale::Es);
        assert_eq!(Locale::negotiate("en-US,en;q=0.9,es;q=0.8"), Locale::En);
        assert_eq!(Locale::negotiate("es;q=0.5, en;q=0.7"), Locale::En);
        assert_eq!(Locale::negotiate("en;q=0, es"), Locale::Es);
        assert_eq!(Locale::negotiate("de, EN-gb;q=0.3"), Locale::En);
        assert_eq!(Locale::negotiate("en;q=abc"), Locale::En);
        assert_eq!(Locale::negotiate("en;q=0.8, es;q=0.8"), Locale::En);
        assert_eq!(Locale::negotiate("en;q=NaN, es;q=0.1"), Locale::Es);
        let late = format!("{}en", "fr,".repeat(MAX_LANGUAGE_RANGES));
        assert_eq!(Locale::negotiate(&late), Locale::Es);
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_header_picks_a_language_that_picks_itself(header in "(( ?[a-zA-Z*_-]{0,10}(;q=[0-9.a-z]{0,5})?),?){0,40}|\\PC{0,400}") {
                let locale = Locale::negotiate(&header);
                prop_assert_eq!(Locale::negotiate(locale.code()), locale);
                prop_assert!(Locale::ALL.contains(&locale));
            }
        }
    }

    #[test]
    fn fills_placeholders_and_counts() {
        assert_eq!(fill("{a} y {b}", &[("a", "1"), ("b", "2")]), "1 y 2");
        // Unknown or unclosed placeholders stay as written; a value is not filled again.
        assert_eq!(fill("{a} {x} {", &[("a", "{b}"), ("b", "2")]), "{b} {x} {");
        assert_eq!(fill("{a}{a}", &[("a", "é")]), "éé");
        assert_eq!(ES.document_count(3), "3 documentos");
        assert_eq!(EN.document_count(1), "1 document");
        assert_eq!(EN.month(1), "January");
        assert_eq!(ES.month(12), "diciembre");
    }
}
