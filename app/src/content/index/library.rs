//! The resource library as one query over the snapshot: which documents pass the filters, how
//! many each filter value would give, and the page of results. Filters and counts work on bit
//! masks and indexes, so that no string is compared per document.

use super::{words_of, DocumentEntry, DocumentKey, Snapshot, SHELF_PAGE_SIZE, SHELF_PREVIEW};
use crate::{
    content::fold,
    i18n::Locale,
    model::{language_name, Facet, Facets, Library, LibraryData, ResourceQuery, ShelfResults, KNOWN_LANGUAGES},
};
use std::{collections::BTreeMap, sync::PoisonError};

/// The filters of one query, as indexes and bits.
struct Filters {
    /// On a shelf page, the shelf's index: only its documents count.
    scope: Option<usize>,
    shelf: Option<usize>,
    language: Option<u8>,
    year: Option<u16>,
    program: Option<u64>,
    /// Per document, whether it holds every term of the text query; `None` without one.
    text: Option<Vec<bool>>,
}

/// Which filters one document passes.
struct Passes {
    shelf: bool,
    language: bool,
    year: bool,
    program: bool,
}

/// The documents that pass, by shelf, and what each other filter value would give.
struct Tally<'a> {
    /// Per shelf, the documents that pass and that the page shows (those in `window`).
    matched: Vec<Vec<&'a DocumentEntry>>,
    /// Per shelf, how many documents pass.
    passing: Vec<usize>,
    /// Which of a shelf's passing documents, in order, the page shows.
    window: std::ops::Range<usize>,
    shelves: Vec<usize>,
    languages: [usize; KNOWN_LANGUAGES.len()],
    programs: Vec<usize>,
    years: BTreeMap<u16, usize>,
}

impl Snapshot {
    /// The library filtered by `query`: every shelf (or only `only_shelf`, on a shelf page),
    /// documents grouped by shelf in the configured order, with counts per shelf and per filter
    /// value. `None` when `only_shelf` names no shelf, or the page is past the last.
    pub fn library(&self, locale: Locale, query: &ResourceQuery, only_shelf: Option<&str>) -> Option<Library> {
        self.library_data(locale, query, only_shelf)
            .map(|data| std::sync::Arc::unwrap_or_clone(data.library))
    }

    /// [`Self::library`] as the page's island and the API send it: an unfiltered page is
    /// worked out, and its JSON written, once per snapshot.
    pub fn library_data(&self, locale: Locale, query: &ResourceQuery, only_shelf: Option<&str>) -> Option<LibraryData> {
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
        let page = query.page_number();
        if query.is_filtered() {
            return self.tallied(locale, query, scope, page).map(LibraryData::new);
        }
        let key = (locale, scope, page);
        if let Some(library) = self.unfiltered.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Some(library.clone());
        }
        let library = LibraryData::written(self.tallied(locale, query, scope, page)?);
        self.unfiltered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, library.clone());
        Some(library)
    }

    /// [`Self::library`] for a normalized query, worked out.
    fn tallied(&self, locale: Locale, query: ResourceQuery, scope: Option<usize>, page: u32) -> Option<Library> {
        let filters = self.filters(&query, scope);
        // The library shows the first documents of each shelf; a shelf page, one page of its own.
        let window = match scope {
            Some(_) => {
                let start = (page as usize).saturating_sub(1).saturating_mul(SHELF_PAGE_SIZE);
                start..start.saturating_add(SHELF_PAGE_SIZE)
            }
            None => 0..SHELF_PREVIEW,
        };
        let tally = self.tally(&filters, window);
        let (shelves, total_pages) = self.shelf_results(locale, &tally, scope);
        if page > total_pages {
            return None;
        }
        Some(Library {
            total: shelves.iter().map(|s| s.total).sum(),
            facets: self.facets(locale, &tally, scope),
            query,
            shelves,
            page,
            total_pages,
        })
    }

    fn filters(&self, query: &ResourceQuery, scope: Option<usize>) -> Filters {
        Filters {
            scope,
            shelf: self.shelves.iter().position(|s| s.id == query.shelf),
            language: KNOWN_LANGUAGES
                .iter()
                .position(|l| *l == query.language)
                .map(|i| 1u8 << i),
            year: query.year_number(),
            program: self
                .site
                .programs
                .iter()
                .position(|p| p.id == query.program)
                .map(|i| 1u64 << i),
            text: self.text_matches(&fold(&query.q)),
        }
    }

    /// Per document, whether it holds every term of `folded`, each term found anywhere inside
    /// a word; `None` when there is no term.
    fn text_matches(&self, folded: &str) -> Option<Vec<bool>> {
        let mut terms = words_of(folded).peekable();
        terms.peek()?;
        let mut all = vec![true; self.documents.len()];
        for term in terms {
            let mut hits = vec![false; self.documents.len()];
            // One searcher per term, not one per word of the vocabulary.
            let finder = memchr::memmem::Finder::new(term.as_bytes());
            let holds = |word: &str| finder.find(word.as_bytes()).is_some();
            for (_, postings) in self.vocabulary.iter().filter(|(word, _)| holds(word)) {
                for &doc in postings {
                    hits[doc as usize] = true;
                }
            }
            all.iter_mut().zip(hits).for_each(|(a, h)| *a &= h);
        }
        Some(all)
    }

    /// One pass over the documents: those that pass every filter, and for each filter what its
    /// values would give with the other filters kept.
    fn tally(&self, filters: &Filters, window: std::ops::Range<usize>) -> Tally<'_> {
        let mut tally = Tally {
            matched: vec![Vec::new(); self.shelves.len()],
            passing: vec![0; self.shelves.len()],
            window,
            shelves: vec![0; self.shelves.len()],
            languages: [0; KNOWN_LANGUAGES.len()],
            programs: vec![0; self.site.programs.len().min(64)],
            years: BTreeMap::new(),
        };
        // Counts by year, from the snapshot's first year: `None` for a year no document of the
        // scope has.
        let mut years = vec![None::<usize>; self.year_span];
        for (index, doc) in self.keys.iter().enumerate() {
            let shelf = doc.shelf as usize;
            if filters.scope.is_some_and(|s| s != shelf) {
                continue;
            }
            // Every year of the scope is an option, even when the text leaves none of it.
            let Some(year_count) = years.get_mut(usize::from(doc.year - self.first_year)) else {
                continue;
            };
            let year_count = year_count.get_or_insert(0);
            if !filters.text.as_ref().is_none_or(|m| m[index]) {
                continue;
            }
            let passes = Passes {
                shelf: filters.shelf.is_none_or(|s| s == shelf),
                language: filters.language.is_none_or(|b| doc.language_mask & b != 0),
                year: filters.year.is_none_or(|y| y == doc.year),
                program: filters.program.is_none_or(|b| doc.program_mask & b != 0),
            };
            if passes.shelf && passes.language && passes.program {
                *year_count += 1;
            }
            tally.count(&self.documents, index, doc, &passes);
        }
        tally.years = (self.first_year..)
            .zip(years)
            .filter_map(|(year, count)| Some((year, count?)))
            .collect();
        // A chosen year stays among the options, with its count, even when no document has it.
        if let Some(year) = filters.year {
            tally.years.entry(year).or_default();
        }
        tally
    }

    /// The shelves in order with their documents (a preview of each, or one page of the one
    /// shelf of a shelf page), and the number of pages.
    fn shelf_results(&self, locale: Locale, tally: &Tally, scope: Option<usize>) -> (Vec<ShelfResults>, u32) {
        let mut total_pages = 1;
        let mut shelves = Vec::new();
        for (index, (docs, &passing)) in tally.matched.iter().zip(&tally.passing).enumerate() {
            if scope.is_some_and(|s| s != index) {
                continue;
            }
            if scope.is_some() {
                total_pages = passing.div_ceil(SHELF_PAGE_SIZE).max(1) as u32;
            }
            shelves.push(ShelfResults {
                shelf: self.shelf_view(index, locale),
                documents: docs.iter().map(|d| d.card(locale)).collect(),
                total: passing,
            });
        }
        (shelves, total_pages)
    }

    /// The options of every filter with their counts, labelled in `locale`.
    fn facets(&self, locale: Locale, tally: &Tally, scope: Option<usize>) -> Facets {
        let facet = |value: &str, label: &str, count: usize| Facet {
            value: value.to_owned(),
            label: label.to_owned(),
            count,
        };
        Facets {
            shelf: if scope.is_some() {
                Vec::new()
            } else {
                self.shelves
                    .iter()
                    .zip(&tally.shelves)
                    .map(|(s, c)| facet(&s.id, s.title.get(locale), *c))
                    .collect()
            },
            language: KNOWN_LANGUAGES
                .iter()
                .zip(tally.languages)
                .map(|(code, count)| facet(code, language_name(code, locale), count))
                .collect(),
            year: tally
                .years
                .iter()
                .rev()
                .map(|(y, c)| facet(&y.to_string(), &y.to_string(), *c))
                .collect(),
            program: self
                .site
                .programs
                .iter()
                .enumerate()
                .map(|(i, p)| facet(&p.id, p.title.get(locale), tally.programs.get(i).copied().unwrap_or(0)))
                .collect(),
        }
    }
}

impl<'a> Tally<'a> {
    /// Counts one document that holds the text query, by the filters it passes.
    fn count(&mut self, documents: &'a [DocumentEntry], index: usize, doc: &DocumentKey, passes: &Passes) {
        let shelf = doc.shelf as usize;
        if passes.language && passes.year && passes.program {
            self.shelves[shelf] += 1;
        }
        if passes.shelf && passes.year && passes.program {
            let mut mask = doc.language_mask;
            while mask != 0 {
                if let Some(count) = self.languages.get_mut(mask.trailing_zeros() as usize) {
                    *count += 1;
                }
                mask &= mask - 1;
            }
        }
        if passes.shelf && passes.language && passes.year {
            let mut mask = doc.program_mask;
            while mask != 0 {
                self.programs[mask.trailing_zeros() as usize] += 1;
                mask &= mask - 1;
            }
        }
        if passes.shelf && passes.language && passes.year && passes.program {
            let passing = &mut self.passing[shelf];
            if self.window.contains(passing) {
                self.matched[shelf].push(&documents[index]);
            }
            *passing += 1;
        }
    }
}
