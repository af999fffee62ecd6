//! The loaded content as an immutable snapshot, indexed for the queries the pages make.

use super::{fold::fold, related::RelatedIndex, site::PerLocale, Site};
use crate::{
    i18n::Locale,
    model::{
        language_name, Date, DocumentCard, DocumentKind, Facet, Facets, FeedPage, HomeData, Image, Library,
        ResourceQuery, Shelf, ShelfResults, StoryCard, StoryKind, StoryPage, KNOWN_LANGUAGES,
    },
};
use std::collections::{BTreeMap, HashMap};

/// How many documents a shelf shows on the library page; the shelf page shows them all.
pub const SHELF_PREVIEW: usize = 6;
/// How many documents a shelf page shows at a time.
pub const SHELF_PAGE_SIZE: usize = 24;
/// How many related stories a story page shows.
pub const RELATED: usize = 3;

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
    /// Bit `i` set when the document belongs to the `i`-th program of `site.toml` (set at build).
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
    /// Every folded word of the documents' titles and summaries, with the documents holding it:
    /// a text query scans the words, not the documents.
    vocabulary: Vec<(String, Vec<u32>)>,
    related: RelatedIndex,
}

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
                .filter(|i| *i < 64)
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
        Snapshot {
            site,
            shelves,
            stories,
            story_index,
            feeds,
            documents,
            vocabulary,
            related,
        }
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
            related: (self.related.related(&self.stories, position, RELATED).into_iter())
                .map(|i| self.stories[i].card(locale))
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

    /// The library filtered by `query`: every shelf (or only `only_shelf`, on a shelf page),
    /// documents grouped by shelf in the configured order, with counts per shelf and per filter
    /// value. `None` when `only_shelf` names no shelf.
    pub fn library(&self, locale: Locale, query: &ResourceQuery, only_shelf: Option<&str>) -> Option<Library> {
        let scope = match only_shelf {
            Some(id) => Some(self.shelves.iter().position(|s| s.id == id)?),
            None => None,
        };
        let mut query = self.normalize(query);
        if scope.is_some() {
            query.shelf.clear();
        } else {
            query.page.clear();
        }
        let shelf_filter = self.shelves.iter().position(|s| s.id == query.shelf);
        let year = query.year_number();
        let folded = fold(&query.q);
        // Documents holding every term, each term found anywhere inside a word.
        let text_matches: Option<Vec<bool>> = (!folded.trim().is_empty()).then(|| {
            let mut all = vec![true; self.documents.len()];
            for term in words_of(&folded) {
                let mut hits = vec![false; self.documents.len()];
                for (_, postings) in self.vocabulary.iter().filter(|(word, _)| word.contains(term)) {
                    for &doc in postings {
                        hits[doc as usize] = true;
                    }
                }
                all.iter_mut().zip(hits).for_each(|(a, h)| *a &= h);
            }
            all
        });

        // Filters and counts work on bit masks and indexes: no string is compared per document.
        let language_bit = KNOWN_LANGUAGES
            .iter()
            .position(|l| *l == query.language)
            .map(|i| 1u8 << i);
        let program_bit = self
            .site
            .programs
            .iter()
            .position(|p| p.id == query.program)
            .map(|i| 1u64 << i.min(63));
        let mut matched: Vec<Vec<&DocumentEntry>> = vec![Vec::new(); self.shelves.len()];
        let mut shelf_counts = vec![0usize; self.shelves.len()];
        let mut language_counts = [0usize; KNOWN_LANGUAGES.len()];
        let mut program_counts = vec![0usize; self.site.programs.len().min(64)];
        let mut year_counts: BTreeMap<u16, usize> = BTreeMap::new();
        for (index, doc) in self.documents.iter().enumerate() {
            if scope.is_some_and(|s| s != doc.shelf) {
                continue;
            }
            let text = text_matches.as_ref().is_none_or(|m| m[index]);
            let shelf = shelf_filter.is_none_or(|s| s == doc.shelf);
            let language = language_bit.is_none_or(|b| doc.language_mask & b != 0);
            let in_year = year.is_none_or(|y| y == doc.year);
            let program = program_bit.is_none_or(|b| doc.program_mask & b != 0);
            let year_count = year_counts.entry(doc.year).or_default();
            if !text {
                continue;
            }
            if shelf && language && program {
                *year_count += 1;
            }
            if language && in_year && program {
                shelf_counts[doc.shelf] += 1;
            }
            if shelf && in_year && program {
                for (i, count) in language_counts.iter_mut().enumerate() {
                    *count += usize::from(doc.language_mask >> i & 1);
                }
            }
            if shelf && language && in_year {
                let mut mask = doc.program_mask;
                while mask != 0 {
                    program_counts[mask.trailing_zeros() as usize] += 1;
                    mask &= mask - 1;
                }
            }
            if shelf && language && in_year && program {
                matched[doc.shelf].push(doc);
            }
        }

        // A chosen year stays among the options, with its count, even when no document has it.
        if let Some(y) = year {
            year_counts.entry(y).or_default();
        }
        let page = query.page_number();
        let mut total_pages = 1;
        let mut shelves = Vec::new();
        for (index, docs) in matched.iter().enumerate() {
            if scope.is_some_and(|s| s != index) {
                continue;
            }
            let window = if scope.is_some() {
                total_pages = docs.len().div_ceil(SHELF_PAGE_SIZE).max(1) as u32;
                let start = (page as usize - 1) * SHELF_PAGE_SIZE;
                start.min(docs.len())..(start + SHELF_PAGE_SIZE).min(docs.len())
            } else {
                0..docs.len().min(SHELF_PREVIEW)
            };
            shelves.push(ShelfResults {
                shelf: self.shelf_view(index, locale),
                documents: docs[window].iter().map(|d| d.card(locale)).collect(),
                total: docs.len(),
            });
        }
        if page > total_pages {
            return None;
        }
        let total = shelves.iter().map(|s| s.total).sum();
        let facet = |value: &str, label: &str, count: usize| Facet {
            value: value.to_owned(),
            label: label.to_owned(),
            count,
        };
        let facets = Facets {
            shelf: if scope.is_some() {
                Vec::new()
            } else {
                self.shelves
                    .iter()
                    .zip(&shelf_counts)
                    .map(|(s, c)| facet(&s.id, s.title.get(locale), *c))
                    .collect()
            },
            language: KNOWN_LANGUAGES
                .iter()
                .zip(language_counts)
                .map(|(code, count)| facet(code, language_name(code, locale), count))
                .collect(),
            year: year_counts
                .iter()
                .rev()
                .map(|(y, c)| facet(&y.to_string(), &y.to_string(), *c))
                .collect(),
            program: self
                .site
                .programs
                .iter()
                .enumerate()
                .map(|(i, p)| facet(&p.id, p.title.get(locale), program_counts.get(i).copied().unwrap_or(0)))
                .collect(),
        };
        Some(Library {
            query,
            shelves,
            total,
            facets,
            page,
            total_pages,
        })
    }
}
