use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The longest text query kept; longer input is cut, never rejected.
pub const MAX_QUERY_CHARS: usize = 200;

/// The most words a text query keeps; later words are dropped, never rejected.
pub const MAX_QUERY_TERMS: usize = 12;

/// The longest shelf, language or program id kept; a longer value is no id and is dropped.
pub const MAX_ID_CHARS: usize = 64;

/// The most digits of a shelf page number; a longer value is dropped.
const MAX_PAGE_DIGITS: usize = 6;

/// A shelf of the resource library, titled in the page's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shelf {
    /// Stable id, used in URLs and in documents' `shelf` field.
    pub id: String,
    /// Title in the page's language.
    pub title: String,
    /// Description in the page's language (may be empty).
    pub description: String,
}

/// What kind of document a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// Guidance document or policy brief.
    Guide,
    /// Research report or white paper.
    Report,
    /// Study or paper.
    Paper,
    /// Book.
    Book,
    /// Brochure or booklet.
    Brochure,
    /// Anything else.
    Other,
}

impl DocumentKind {
    /// The kind's label in a language.
    pub fn label(self, locale: Locale) -> &'static str {
        let t = locale.messages();
        match self {
            DocumentKind::Guide => t.doc_type_guide,
            DocumentKind::Report => t.doc_type_report,
            DocumentKind::Paper => t.doc_type_paper,
            DocumentKind::Book => t.doc_type_book,
            DocumentKind::Brochure => t.doc_type_brochure,
            DocumentKind::Other => t.doc_type_other,
        }
    }
}

/// Document languages the library knows, by code.
pub const KNOWN_LANGUAGES: [&str; 4] = ["es", "en", "fr", "pt"];

/// The name of a document language in the page's language; the code itself when unknown.
pub fn language_name(code: &str, locale: Locale) -> &str {
    let t = locale.messages();
    match code {
        "es" => t.language_es,
        "en" => t.language_en,
        "fr" => t.language_fr,
        "pt" => t.language_pt,
        other => other,
    }
}

/// A document as a card on a shelf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentCard {
    /// Stable id.
    pub id: String,
    /// Title in the page's language where it exists, otherwise the original.
    pub title: String,
    /// Language of `title`.
    pub title_lang: Locale,
    /// Short summary (may be empty), in `summary_lang`.
    pub summary: String,
    /// Language of `summary`.
    pub summary_lang: Locale,
    /// Year of publication.
    pub year: u16,
    /// Languages the document is written in (codes: `es`, `en`, ...).
    pub languages: Vec<String>,
    /// Document type.
    pub kind: DocumentKind,
    /// Size of the file in bytes, when known.
    pub size_bytes: Option<u64>,
    /// Number of pages, when known.
    pub pages: Option<u32>,
    /// Where it is downloaded from: a path under the site or an `https` URL.
    pub href: String,
    /// Whether `href` is a file served by this site (a download) rather than an external page.
    pub is_file: bool,
}

/// The filters of the library, as they stand in the URL query. Every field is optional; an
/// empty string means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceQuery {
    /// Free text, matched without regard to accents or case.
    pub q: String,
    /// Shelf id.
    pub shelf: String,
    /// Document language code.
    pub language: String,
    /// Year, as typed (kept only when it is a number).
    pub year: String,
    /// Program id.
    pub program: String,
    /// Page of a shelf's documents, from 1 (shelf pages only); empty means the first.
    pub page: String,
}

impl ResourceQuery {
    /// The search text a typed value stands for: words separated by single spaces, without
    /// control characters, at most [`MAX_QUERY_TERMS`] words and [`MAX_QUERY_CHARS`] characters.
    /// Two values with the same text give the same results.
    pub fn text_of(raw: &str) -> String {
        let words: Vec<&str> = raw
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .take(MAX_QUERY_TERMS)
            .collect();
        words
            .join(" ")
            .chars()
            .take(MAX_QUERY_CHARS)
            .collect::<String>()
            .trim_end()
            .to_owned()
    }

    /// The one normalizer of the library's filters, whatever door they come in by (the page's
    /// URL, a server function call, the JSON API): the text as [`Self::text_of`] reads it, ids
    /// without control characters and at most [`MAX_ID_CHARS`] long, a year of four digits, a
    /// page of at most six digits; anything else becomes "any". Values unknown to the content
    /// are dropped later, by the content snapshot. Normalizing twice changes nothing.
    pub fn normalized(&self) -> ResourceQuery {
        ResourceQuery {
            q: Self::text_of(&self.q),
            shelf: id_of(&self.shelf),
            language: id_of(&self.language),
            program: id_of(&self.program),
            year: digits_of(&self.year, 4..=4),
            page: digits_of(&self.page, 1..=MAX_PAGE_DIGITS),
        }
    }

    /// Reads the filters from query pairs, normalized; unknown keys are ignored, and of a key
    /// given twice the last value that is not empty counts (`?q=a&q=` searches for `a`).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = ResourceQuery::default();
        for (key, value) in pairs {
            let field = match key {
                "q" => &mut query.q,
                "shelf" => &mut query.shelf,
                "language" => &mut query.language,
                "program" => &mut query.program,
                "year" => &mut query.year,
                "page" => &mut query.page,
                _ => continue,
            };
            if !value.trim().is_empty() {
                value.clone_into(field);
            }
        }
        query.normalized()
    }

    /// Reads the filters from a raw query string (`q=...&shelf=...`).
    pub fn from_query_string(query: &str) -> Self {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The year as a number, when set.
    pub fn year_number(&self) -> Option<u16> {
        self.year.parse().ok()
    }

    /// The page number, 1 when unset or not a positive number.
    pub fn page_number(&self) -> u32 {
        self.page.parse().ok().filter(|p| *p > 0).unwrap_or(1)
    }

    /// Whether any filter is set.
    pub fn is_filtered(&self) -> bool {
        !(self.q.is_empty()
            && self.shelf.is_empty()
            && self.language.is_empty()
            && self.year.is_empty()
            && self.program.is_empty())
    }

    /// The query string of the set filters, in a fixed order (`q=..&shelf=..`); empty when none.
    pub fn to_query_string(&self) -> String {
        super::query_string([
            ("q", self.q.as_str()),
            ("shelf", &self.shelf),
            ("language", &self.language),
            ("year", &self.year),
            ("program", &self.program),
            ("page", &self.page),
        ])
    }
}

/// An id as a filter value: control characters dropped, trimmed; empty when too long.
fn id_of(value: &str) -> String {
    let clean: String = value.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim();
    if clean.chars().count() <= MAX_ID_CHARS {
        clean.to_owned()
    } else {
        String::new()
    }
}

/// A number as a filter value: ASCII digits only, of an allowed length; empty otherwise.
fn digits_of(value: &str, lengths: std::ops::RangeInclusive<usize>) -> String {
    let clean = value.trim();
    if lengths.contains(&clean.len()) && clean.bytes().all(|b| b.is_ascii_digit()) {
        clean.to_owned()
    } else {
        String::new()
    }
}

/// One value of a filter with the number of documents it would give with the other filters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    /// The value as it goes in the URL.
    pub value: String,
    /// Its label in the page's language.
    pub label: String,
    /// Documents it would give, the other filters kept.
    pub count: usize,
}

/// The options of every filter, with their counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Shelves, in the configured order.
    pub shelf: Vec<Facet>,
    /// Document languages.
    pub language: Vec<Facet>,
    /// Years, newest first.
    pub year: Vec<Facet>,
    /// Programs, in the configured order.
    pub program: Vec<Facet>,
}

/// A shelf with the documents that pass the filters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelfResults {
    /// The shelf.
    pub shelf: Shelf,
    /// Its documents that pass the filters, newest first: on the library page only the first
    /// few, on a shelf page one page of them.
    pub documents: Vec<DocumentCard>,
    /// How many of its documents pass the filters.
    pub total: usize,
}

/// The resource library as one response: shelves with their documents, counts and options.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    /// The filters as applied: unknown values removed.
    pub query: ResourceQuery,
    /// Shelves in the configured order (only the one shelf on a shelf page).
    pub shelves: Vec<ShelfResults>,
    /// Documents that pass the filters, over all listed shelves.
    pub total: usize,
    /// Filter options with their counts.
    pub facets: Facets,
    /// On a shelf page, the page of documents shown, from 1.
    pub page: u32,
    /// On a shelf page, how many pages of documents there are.
    pub total_pages: u32,
}

/// What the library's island starts from on a page, beside the shelves the server rendered
/// into it: the filters, their options and the count. The shelves themselves reach the browser
/// once, as the page's HTML; the island renders shelves only for the filters it changes to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryStart<'a> {
    /// The filters as applied.
    pub query: std::borrow::Cow<'a, ResourceQuery>,
    /// Filter options with their counts.
    pub facets: std::borrow::Cow<'a, Facets>,
    /// Documents that pass the filters.
    pub total: usize,
}

impl Library {
    /// What the island starts from when the page shows this library (see [`LibraryStart`]).
    pub fn start(&self) -> LibraryStart<'_> {
        LibraryStart {
            query: std::borrow::Cow::Borrowed(&self.query),
            facets: std::borrow::Cow::Borrowed(&self.facets),
            total: self.total,
        }
    }
}

/// A library with its JSON, as the library page hands it to its island and the API sends it.
/// The JSON of a library the content snapshot keeps (every unfiltered page of the library and
/// of each shelf) is written once, when the snapshot first works it out, not again for each
/// page or answer that carries it.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct LibraryData {
    /// The library, shared: a kept one is handed to every page that shows it without a copy.
    pub library: std::sync::Arc<Library>,
    /// Its JSON, when written ahead.
    json: Option<std::sync::Arc<str>>,
    /// The JSON of its [`LibraryStart`], when written ahead.
    start_json: Option<std::sync::Arc<str>>,
}

#[cfg(feature = "ssr")]
impl LibraryData {
    /// A library whose JSON is written when it is asked for.
    pub fn new(library: Library) -> Self {
        LibraryData {
            library: library.into(),
            json: None,
            start_json: None,
        }
    }

    /// A library with its JSON written now, for one that is sent many times.
    pub fn written(library: Library) -> Self {
        LibraryData {
            json: Some(super::script_json(&library).into()),
            start_json: Some(super::script_json(&library.start()).into()),
            library: library.into(),
        }
    }

    /// The library's JSON, as it can stand in a `<script>` data block of a page (see
    /// [`super::script_json`]).
    pub fn json(&self) -> std::sync::Arc<str> {
        match &self.json {
            Some(json) => json.clone(),
            None => super::script_json(&*self.library).into(),
        }
    }

    /// The JSON of what the island starts from, as it can stand in a `<script>` data block.
    pub fn start_json(&self) -> std::sync::Arc<str> {
        match &self.start_json {
            Some(json) => json.clone(),
            None => super::script_json(&self.library.start()).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn library_json_can_stand_in_a_script_block_and_reads_back_the_same() {
        let library = Library {
            shelves: vec![ShelfResults {
                shelf: Shelf {
                    id: "s".into(),
                    title: "</script><script>alert(1)</script>".into(),
                    description: "a < b & c > d".into(),
                },
                documents: Vec::new(),
                total: 0,
            }],
            ..Library::default()
        };
        for data in [LibraryData::new(library.clone()), LibraryData::written(library.clone())] {
            let json = data.json();
            assert!(!json.contains('<'), "{json}");
            assert_eq!(serde_json::from_str::<Library>(&json).ok(), Some(library.clone()));
            let start = data.start_json();
            assert!(!start.contains('<'), "{start}");
            assert_eq!(serde_json::from_str::<LibraryStart>(&start).ok(), Some(library.start()));
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_start_of_a_library_holds_no_document() {
        let document = DocumentCard {
            id: "d".into(),
            title: "Un documento entre muchos".into(),
            title_lang: Locale::Es,
            summary: String::new(),
            summary_lang: Locale::Es,
            year: 2021,
            languages: vec!["es".into()],
            kind: DocumentKind::Guide,
            size_bytes: None,
            pages: None,
            href: "/files/d.pdf".into(),
            is_file: true,
        };
        let library = Library {
            shelves: vec![ShelfResults {
                shelf: Shelf {
                    id: "s".into(),
                    title: "Estante".into(),
                    description: String::new(),
                },
                documents: vec![document],
                total: 1,
            }],
            total: 1,
            ..Library::default()
        };
        let start = LibraryData::written(library).start_json();
        assert!(!start.contains("Un documento"), "{start}");
        assert!(start.contains(r#""total":1"#), "{start}");
    }

    #[test]
    fn keeps_good_values_and_drops_bad_ones() {
        let q = ResourceQuery::from_query_string("q=%20Silencio%00%07&year=20x1&shelf=sncf-papers&zzz=1");
        assert_eq!(q.q, "Silencio");
        assert_eq!(q.year, "");
        assert_eq!(q.shelf, "sncf-papers");
        assert!(q.is_filtered());
        let long = "a".repeat(10_000);
        assert_eq!(
            ResourceQuery::from_pairs([("q", long.as_str())]).q.len(),
            MAX_QUERY_CHARS
        );
        assert_eq!(ResourceQuery::from_pairs([("shelf", long.as_str())]).shelf, "");
        assert_eq!(ResourceQuery::from_query_string("q=%E0%A4%A&year=2021").year, "2021");
    }

    #[test]
    fn text_that_differs_only_around_the_words_is_the_same_query() {
        assert_eq!(ResourceQuery::text_of("corporate "), "corporate");
        assert_eq!(ResourceQuery::text_of(" \tcorporate memory\u{7}"), "corporate memory");
        let cut = format!("{} b", "a".repeat(MAX_QUERY_CHARS - 1));
        assert_eq!(ResourceQuery::text_of(&cut), "a".repeat(MAX_QUERY_CHARS - 1));
        assert_ne!(ResourceQuery::text_of("corporate m"), "corporate");
        assert_eq!(
            ResourceQuery::text_of("memoria \u{0}\t corporativa"),
            "memoria corporativa"
        );
    }

    #[test]
    fn a_query_keeps_a_bounded_number_of_words() {
        let many: String = (0..150_000).map(|i| format!("w{i} ")).collect();
        let q = ResourceQuery::from_pairs([("q", many.as_str())]);
        assert_eq!(q.q.split(' ').count(), MAX_QUERY_TERMS);
        assert!(q.q.starts_with("w0 w1 w2"));
        // The same limits hold for a query that skipped the URL (a server function's body).
        let raw = ResourceQuery {
            q: many,
            shelf: "x".repeat(MAX_ID_CHARS + 1),
            year: "2021 ".into(),
            page: "1234567".into(),
            ..ResourceQuery::default()
        };
        let normalized = raw.normalized();
        assert_eq!(normalized.q, q.q);
        assert_eq!(normalized.shelf, "");
        assert_eq!(normalized.year, "2021");
        assert_eq!(normalized.page, "");
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn normalizing_twice_changes_nothing(q in ".*", shelf in ".*", language in "\\PC{0,80}", year in "[0-9 ]{0,6}", program in ".*", page in "[0-9a]{0,8}") {
                let once = ResourceQuery { q, shelf, language, year, program, page }.normalized();
                prop_assert_eq!(once.normalized(), once.clone());
                prop_assert!(once.q.chars().count() <= MAX_QUERY_CHARS);
                prop_assert!(once.q.split(' ').count() <= MAX_QUERY_TERMS);
            }

            #[test]
            fn any_query_string_reads_and_writes_back_the_same_filters(raw in "([a-z]{1,8}=[^&]{0,40}&?){0,8}|\\PC*") {
                let query = ResourceQuery::from_query_string(&raw);
                prop_assert_eq!(query.normalized(), query.clone());
                prop_assert_eq!(ResourceQuery::from_query_string(&query.to_query_string()), query);
            }
        }
    }

    #[test]
    fn writes_the_query_back_in_a_fixed_order() {
        let q = ResourceQuery::from_query_string("year=2021&q=memoria corporativa");
        assert_eq!(q.to_query_string(), "q=memoria+corporativa&year=2021");
        assert_eq!(ResourceQuery::default().to_query_string(), "");
        assert!(!ResourceQuery::default().is_filtered());
    }
}
