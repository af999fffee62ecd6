//! The loaded content as an immutable snapshot, indexed for the queries the pages make.

use super::{fold::fold, photos::PhotoUse, related::RelatedIndex, site::PerLocale, Site};
use crate::{
    i18n::Locale,
    model::{
        Date, DocumentCard, DocumentKind, FeedPage, HomeData, Image, ResourceQuery, Shelf, StoryCard, StoryKind,
        StoryPage, KNOWN_LANGUAGES,
    },
};
use std::{
    collections::{BTreeMap, HashMap},
    sync::Mutex,
};

mod library;

/// How many documents a shelf shows on the library page; the shelf page shows them all.
pub const SHELF_PREVIEW: usize = 6;
/// How many documents a shelf page shows at a time.
pub const SHELF_PAGE_SIZE: usize = 24;
/// How many related stories a story page shows.
pub const RELATED: usize = 3;
/// How many programs `texts.toml` may name: the library filters documents by program with one
/// bit per program in a 64-bit mask. The loader refuses more.
pub const MAX_PROGRAMS: usize = u64::BITS as usize;

/// The words of folded text: runs of letters and digits.
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// A shelf as configured.
#[derive(Clone, Debug)]
pub struct ShelfEntry {
    /// Stable id.
    pub id: String,
    /// Title per language.
    pub title: PerLocale,
    /// Description per language.
    pub description: PerLocale,
}

/// One language version of a story.
#[derive(Clone, Debug)]
pub struct StoryVersion {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Sanitized HTML of the body.
    pub body_html: String,
    /// Author, if named.
    pub author: Option<String>,
    /// Illustration, if any.
    pub image: Option<Image>,
}

/// A story with all its translations.
#[derive(Clone, Debug)]
pub struct StoryEntry {
    /// Id shared by the translations.
    pub id: String,
    /// Publication date (the same in every translation).
    pub date: Date,
    /// News or impact story.
    pub kind: StoryKind,
    /// Program ids.
    pub programs: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The versions by language; never empty.
    pub versions: BTreeMap<Locale, StoryVersion>,
}

impl StoryEntry {
    /// The version to show on a page in `locale`: its own, or the other language's.
    pub fn version(&self, locale: Locale) -> (Locale, &StoryVersion) {
        self.versions
            .get_key_value(&locale)
            .or_else(|| self.versions.iter().next())
            .map(|(l, v)| (*l, v))
            .expect("a story has at least one version")
    }

    fn card(&self, locale: Locale) -> StoryCard {
        let (lang, version) = self.version(locale);
        StoryCard {
            id: self.id.clone(),
            title: version.title.clone(),
            summary: version.summary.clone(),
            date: self.date,
            kind: self.kind,
            lang,
            image: version.image.clone(),
        }
    }
}

/// A document of the library.
#[derive(Clone, Debug)]
pub struct DocumentEntry {
    id: String,
    shelf: usize,
    titles: [Option<String>; 2],
    summaries: [Option<String>; 2],
    year: u16,
    languages: Vec<String>,
    kind: DocumentKind,
    href: String,
    is_file: bool,
    size: Option<u64>,
    pages: Option<u32>,
    programs: Vec<String>,
    /// Titles and summaries in both languages, folded for matching.
    search: String,
    /// Bit `i` set when the document is in `KNOWN_LANGUAGES[i]`.
    language_mask: u8,
    /// Bit `i` set when the document belongs to the `i`-th program of `texts.toml` (set at build).
    program_mask: u64,
}

impl DocumentEntry {
    /// A checked document; `titles` and `summaries` are indexed by `Locale as usize`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: String,
        shelf: usize,
        titles: [Option<String>; 2],
        summaries: [Option<String>; 2],
        year: u16,
        languages: Vec<String>,
        kind: DocumentKind,
        href: String,
        is_file: bool,
        size: Option<u64>,
        pages: Option<u32>,
        programs: Vec<String>,
    ) -> Self {
        let search = fold(
            &titles
                .iter()
                .chain(&summaries)
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" \u{1f} "),
        );
        let language_mask = languages
            .iter()
            .filter_map(|l| KNOWN_LANGUAGES.iter().position(|k| k == l))
            .fold(0, |mask, i| mask | 1 << i);
        DocumentEntry {
            id,
            shelf,
            titles,
            summaries,
            year,
            languages,
            kind,
            href,
            is_file,
            size,
            pages,
            language_mask,
            program_mask: 0,
            programs,
            search,
        }
    }

    fn pick(texts: &[Option<String>; 2], locale: Locale) -> (String, Locale) {
        let other = locale.other();
        match (&texts[locale as usize], &texts[other as usize]) {
            (Some(t), _) => (t.clone(), locale),
            (None, Some(t)) => (t.clone(), other),
            (None, None) => (String::new(), locale),
        }
    }

    fn card(&self, locale: Locale) -> DocumentCard {
        let (title, title_lang) = Self::pick(&self.titles, locale);
        let (summary, summary_lang) = Self::pick(&self.summaries, locale);
        DocumentCard {
            id: self.id.clone(),
            title,
            title_lang,
            summary,
            summary_lang,
            year: self.year,
            languages: self.languages.clone(),
            kind: self.kind,
            size_bytes: self.size,
            pages: self.pages,
            href: self.href.clone(),
            is_file: self.is_file,
        }
    }
}

/// Everything the site shows, checked and indexed. Immutable: a reload builds a new one.
#[derive(Debug)]
pub struct Snapshot {
    /// Site settings.
    pub site: Site,
    shelves: Vec<ShelfEntry>,
    stories: Vec<StoryEntry>,
    story_index: HashMap<String, usize>,
    feeds: [Vec<StoryCard>; 2],
    documents: Vec<DocumentEntry>,
    /// What the library's filters read of each document, in the documents' order, packed: a
    /// tally reads 16 bytes per document, not each whole entry.
    keys: Vec<DocumentKey>,
    /// Every folded word of the documents' titles and summaries, with the documents holding it:
    /// a text query scans the words, not the documents.
    vocabulary: Vec<(String, Vec<u32>)>,
    /// The documents' years run from `first_year` over `year_span` years: the library counts
    /// documents by year in an array, not a map.
    first_year: u16,
    year_span: usize,
    related: RelatedIndex,
    /// The library without filters, by language, shelf and page, worked out the first time
    /// it is asked for: the most visited library pages, and the costliest to tally.
    unfiltered: Mutex<HashMap<LibraryPage, crate::model::LibraryData>>,
    /// Every photo the stories show, with where each is named: what the server derives.
    photos: Vec<PhotoUse>,
}

/// What the library's filters read of a document.
#[derive(Clone, Copy, Debug)]
struct DocumentKey {
    program_mask: u64,
    shelf: u32,
    year: u16,
    language_mask: u8,
}

/// A page of the library: its language, its shelf (`None`: every shelf) and page number.
type LibraryPage = (Locale, Option<usize>, u32);

impl Snapshot {
    /// Indexes checked content.
    pub fn build(
        site: Site,
        shelves: Vec<ShelfEntry>,
        mut stories: Vec<StoryEntry>,
        mut documents: Vec<DocumentEntry>,
    ) -> Self {
        stories.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        let story_index = stories.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        let related = RelatedIndex::build(&stories);
        let feeds = Locale::ALL.map(|l| stories.iter().map(|s| s.card(l)).collect());
        documents.sort_by(|a, b| {
            a.shelf
                .cmp(&b.shelf)
                .then(b.year.cmp(&a.year))
                .then_with(|| a.id.cmp(&b.id))
        });
        for doc in &mut documents {
            doc.program_mask = doc
                .programs
                .iter()
                .filter_map(|p| site.programs.iter().position(|known| &known.id == p))
                .fold(0, |mask, i| mask | 1 << i);
        }
        let mut words: HashMap<&str, Vec<u32>> = HashMap::new();
        for (index, doc) in documents.iter().enumerate() {
            for word in words_of(&doc.search) {
                let postings = words.entry(word).or_default();
                if postings.last() != Some(&(index as u32)) {
                    postings.push(index as u32);
                }
            }
        }
        let vocabulary = words.into_iter().map(|(w, p)| (w.to_owned(), p)).collect();
        let keys = documents
            .iter()
            .map(|d| DocumentKey {
                program_mask: d.program_mask,
                shelf: d.shelf as u32,
                year: d.year,
                language_mask: d.language_mask,
            })
            .collect();
        let first_year = documents.iter().map(|d| d.year).min().unwrap_or_default();
        let year_span = documents
            .iter()
            .map(|d| usize::from(d.year - first_year) + 1)
            .max()
            .unwrap_or_default();
        Snapshot {
            site,
            shelves,
            stories,
            story_index,
            feeds,
            documents,
            keys,
            vocabulary,
            first_year,
            year_span,
            related,
            unfiltered: Mutex::default(),
            photos: Vec::new(),
        }
    }

    /// The snapshot with the photos its stories show.
    pub(super) fn with_photos(mut self, photos: Vec<PhotoUse>) -> Self {
        self.photos = photos;
        self
    }

    /// Every photo the stories show, each once, with the files and lines that name it.
    pub fn photos(&self) -> &[PhotoUse] {
        &self.photos
    }

    /// The photo whose original is `src` (`/images/x.jpg` under the public folder), if a story
    /// shows it.
    pub fn photo_of(&self, public: &std::path::Path, src: &str) -> Option<&PhotoUse> {
        let path = public.join(src.trim_start_matches('/'));
        self.photos.iter().find(|p| p.original.path == path)
    }

    /// All stories, newest first.
    pub fn stories(&self) -> &[StoryEntry] {
        &self.stories
    }

    /// Whether a story with this id exists, in any language.
    pub fn has_story(&self, id: &str) -> bool {
        self.story_index.contains_key(id)
    }

    /// Whether a shelf with this id exists.
    pub fn has_shelf(&self, id: &str) -> bool {
        self.shelves.iter().any(|s| s.id == id)
    }

    /// All shelves in the configured order.
    pub fn shelf_entries(&self) -> &[ShelfEntry] {
        &self.shelves
    }

    /// How many documents the library holds.
    pub fn document_count(&self) -> usize {
        self.documents.len()
    }

    /// One page of the feed in a language, from 1; `None` past the last page. An empty feed
    /// has one empty page.
    pub fn feed(&self, locale: Locale, page: u32) -> Option<FeedPage> {
        let cards = &self.feeds[locale as usize];
        let size = self.site.feed_page_size;
        let total_pages = cards.len().div_ceil(size) as u32;
        if page == 0 || page > total_pages.max(1) {
            return None;
        }
        let start = (page as usize - 1) * size;
        let stories = cards[start.min(cards.len())..(start + size).min(cards.len())].to_vec();
        Some(FeedPage {
            stories,
            page,
            total_pages,
            total: cards.len(),
        })
    }

    /// What the home page shows.
    pub fn home(&self, locale: Locale) -> HomeData {
        let latest = |kind: StoryKind| {
            self.feeds[locale as usize]
                .iter()
                .filter(|c| c.kind == kind)
                .take(3)
                .cloned()
                .collect()
        };
        HomeData {
            intro: self.site.intro.get(locale).to_owned(),
            impact: latest(StoryKind::Impact),
            news: latest(StoryKind::News),
            donation: self.site.donation.settings.clone(),
        }
    }

    /// A story page by id, with related stories; `None` when no such story exists.
    pub fn story(&self, locale: Locale, id: &str) -> Option<StoryPage> {
        let position = *self.story_index.get(id)?;
        let entry = &self.stories[position];
        let (_, version) = entry.version(locale);
        let programs = entry
            .programs
            .iter()
            .filter_map(|p| self.site.programs.iter().find(|known| &known.id == p))
            .map(|p| p.title.get(locale).to_owned())
            .collect();
        Some(StoryPage {
            card: entry.card(locale),
            body_html: version.body_html.clone(),
            programs,
            author: version.author.clone(),
            image: version.image.clone(),
            translations: entry.versions.keys().copied().collect(),
            related: (self.related.of_page(&self.stories, position, RELATED).iter())
                .map(|&i| self.stories[i].card(locale))
                .collect(),
            donation: self.site.donation.settings.clone(),
        })
    }

    /// A shelf's id, title and description in a language.
    fn shelf_view(&self, index: usize, locale: Locale) -> Shelf {
        let entry = &self.shelves[index];
        Shelf {
            id: entry.id.clone(),
            title: entry.title.get(locale).to_owned(),
            description: entry.description.get(locale).to_owned(),
        }
    }

    /// The shelves in a language.
    pub fn shelves(&self, locale: Locale) -> Vec<Shelf> {
        (0..self.shelves.len()).map(|i| self.shelf_view(i, locale)).collect()
    }

    /// The filters as the library applies them: [`ResourceQuery::normalized`], then values the
    /// content does not know dropped, so that the page shows them unset.
    pub fn normalize(&self, query: &ResourceQuery) -> ResourceQuery {
        let mut q = query.normalized();
        if !self.has_shelf(&q.shelf) {
            q.shelf.clear();
        }
        if !KNOWN_LANGUAGES.contains(&q.language.as_str()) {
            q.language.clear();
        }
        if !self.site.programs.iter().any(|p| p.id == q.program) {
            q.program.clear();
        }
        q
    }
}
