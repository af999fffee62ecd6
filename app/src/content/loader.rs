//! Reads a content tree, checks every file, and reports every error with its file and line.

use super::{
    files::{DateValue, DocumentFile, DonationFile, ShelvesFile, SiteFile, StoryFront, TextsFile},
    index::{DocumentEntry, ShelfEntry, Snapshot, StoryEntry, StoryVersion, MAX_PROGRAMS},
    markdown::render_markdown,
    photos::{body_photos, Original, PhotoSite, PhotoUse, Probes},
    plain::{Field, Plain, Problem},
    site::{DonationProvider, PerLocale, Program, Site},
};
use crate::{
    i18n::Locale,
    model::{Date, DonationSettings, Frequency, KNOWN_LANGUAGES, MAX_ID_CHARS},
};
use serde::de::DeserializeOwned;
use std::{
    collections::{BTreeMap, HashMap, HashSet},
    fmt, fs,
    path::{Path, PathBuf},
    sync::Arc,
};

/// One thing wrong in one content file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    /// The file, relative to the content folder.
    pub file: PathBuf,
    /// The line, from 1, when it can be told.
    pub line: Option<usize>,
    /// What is wrong, for developers (English, as the server logs it).
    pub message: String,
    /// What is wrong in an editor's words, naming the field as the editor labels it, when the
    /// error is one an editor makes.
    pub plain: Option<Plain>,
}

impl ContentError {
    /// `file:line: what is wrong`, in an editor's words in `locale` where there are such
    /// words (the developer's message otherwise).
    pub fn text(&self, locale: Locale) -> String {
        let what = self
            .plain
            .as_ref()
            .map_or_else(|| self.message.clone(), |p| p.text(locale));
        match self.line {
            Some(line) => format!("{}:{}: {what}", self.file.display(), line),
            None => format!("{}: {what}", self.file.display()),
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Every error found in a content tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<ContentError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} error(s) in the content:", self.0.len())?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

/// Loads and checks a whole content tree. `public` is the folder document files live in.
pub fn load(content: &Path, public: &Path) -> Result<Snapshot, LoadErrors> {
    load_with(content, public, &Probes::default())
}

/// [`load`], with the photos checked by earlier loads in `probes`: only the files that changed
/// are read again.
pub fn load_with(content: &Path, public: &Path, probes: &Probes) -> Result<Snapshot, LoadErrors> {
    let mut loader = Loader {
        root: content,
        public,
        probes,
        errors: Vec::new(),
        photos: BTreeMap::new(),
    };
    let site = loader.site();
    let shelves = loader.shelves();
    let programs: HashSet<String> = site
        .as_ref()
        .map(|s| s.programs.iter().map(|p| p.id.clone()).collect())
        .unwrap_or_default();
    let shelf_ids: HashMap<String, usize> = shelves.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
    let stories = loader.stories(&programs);
    let documents = loader.documents(&shelf_ids, &programs);
    match site {
        Some(site) if loader.errors.is_empty() => {
            let photos = loader.photos.into_values().collect();
            Ok(Snapshot::build(site, shelves, stories, documents).with_photos(photos))
        }
        _ => {
            let mut errors = loader.errors;
            errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(LoadErrors(errors))
        }
    }
}

/// The table of `site.toml` that names the payment provider.
const PROVIDER_TABLE: &str = "donation.provider";

/// `[donation.provider]` as the site uses it (empty when the file has errors).
#[derive(Default)]
struct CheckedProvider {
    name: String,
    once_template: String,
    monthly_template: Option<String>,
    allowed_host: String,
}

struct Loader<'a> {
    root: &'a Path,
    public: &'a Path,
    probes: &'a Probes,
    errors: Vec<ContentError>,
    /// The photos the stories show, by file.
    photos: BTreeMap<PathBuf, PhotoUse>,
}

/// A file's text with where its TOML starts, to turn spans and keys into line numbers.
struct Source {
    file: PathBuf,
    text: String,
    /// Line of the file on which the TOML part starts, from 1.
    first_line: usize,
}

impl Source {
    fn line_at(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.first_line + self.text.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count()
    }

    /// The line where `key = ` is first written, if it is.
    fn line_of(&self, key: &str) -> Option<usize> {
        self.text
            .lines()
            .position(|line| {
                let line = line.trim_start();
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
                    || line.trim_end() == format!("[{key}]")
            })
            .map(|i| self.first_line + i)
    }

    /// The line where `key = ` is written in the table `[table]`, else the table's own line.
    fn line_in(&self, table: &str, key: &str) -> Option<usize> {
        let header = format!("[{table}]");
        let start = self.text.lines().position(|line| line.trim() == header)?;
        let in_table = self
            .text
            .lines()
            .enumerate()
            .skip(start + 1)
            .take_while(|(_, line)| !line.trim_start().starts_with('['))
            .find(|(_, line)| {
                line.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            });
        Some(self.first_line + in_table.map_or(start, |(i, _)| i))
    }

    /// The line of the `nth` (from 0) `id = "…"` giving `id`, else the first `id = ` line.
    fn line_of_id(&self, id: &str, nth: usize) -> Option<usize> {
        self.text
            .lines()
            .enumerate()
            .filter(|(_, line)| {
                line.trim_start()
                    .strip_prefix("id")
                    .and_then(|rest| rest.trim_start().strip_prefix('='))
                    .map(|value| value.trim().trim_matches(['"', '\'']))
                    == Some(id)
            })
            .nth(nth)
            .map(|(i, _)| self.first_line + i)
            .or_else(|| self.line_of("id"))
    }
}

impl Loader<'_> {
    fn error(&mut self, file: &Path, line: Option<usize>, message: impl Into<String>) {
        self.errors.push(ContentError {
            file: file.to_path_buf(),
            line,
            message: message.into(),
            plain: None,
        });
    }

    /// An error at `key`, with its words for the editor.
    fn plain(&mut self, source: &Source, key: &str, message: impl Into<String>, field: Field, problem: Problem) {
        self.at(source, key, message);
        if let Some(error) = self.errors.last_mut() {
            error.plain = Some(Plain { field, problem });
        }
    }

    fn at(&mut self, source: &Source, key: &str, message: impl Into<String>) {
        let line = source.line_of(key);
        self.error(&source.file.clone(), line, message);
    }

    /// An error at `key` of `[donation.provider]`.
    fn at_provider(&mut self, source: &Source, key: &str, message: impl Into<String>) {
        let line = source.line_in(PROVIDER_TABLE, key);
        self.error(&source.file.clone(), line, message);
    }

    /// Checks configured ids, named `what` in the messages: their letters, their length (they
    /// are the values of the library's filters, which read ids of at most [`MAX_ID_CHARS`]),
    /// and none twice.
    fn check_ids<'a>(&mut self, source: &Source, what: &str, ids: impl IntoIterator<Item = &'a str>) {
        let mut seen = HashMap::new();
        for id in ids {
            let count = seen.entry(id).or_insert(0usize);
            let line = source.line_of_id(id, *count);
            if id.len() > MAX_ID_CHARS {
                self.error(
                    &source.file,
                    line,
                    format!("{what} id `{id}` is longer than {MAX_ID_CHARS} characters"),
                );
            } else if !is_id(id) {
                self.error(&source.file, line, format!("{what} id `{id}` must use a-z, 0-9 and -"));
            }
            if *count > 0 {
                self.error(&source.file, line, format!("duplicate {what} id `{id}`"));
            }
            *count += 1;
        }
    }

    fn read(&mut self, relative: &Path) -> Option<String> {
        match fs::read_to_string(self.root.join(relative)) {
            Ok(text) => Some(text),
            Err(e) => {
                self.error(relative, None, format!("cannot read the file: {e}"));
                None
            }
        }
    }

    fn parse<T: DeserializeOwned>(&mut self, source: &Source) -> Option<T> {
        match toml::from_str::<T>(&source.text) {
            Ok(value) => Some(value),
            Err(e) => {
                let line = e.span().map(|s| source.line_at(s.start));
                self.error(&source.file.clone(), line, e.message().trim().to_owned());
                None
            }
        }
    }

    fn site(&mut self) -> Option<Site> {
        let file = PathBuf::from("site.toml");
        let source = Source {
            text: self.read(&file)?,
            file,
            first_line: 1,
        };
        let raw: SiteFile = self.parse(&source)?;
        for key in [
            raw.intro.as_ref().map(|_| "intro"),
            raw.programs.as_ref().map(|_| "programs"),
        ]
        .into_iter()
        .flatten()
        {
            self.at(
                &source,
                key,
                format!("`{key}` is now in texts.toml (the file the browser editor writes): move it there"),
            );
        }
        let texts_file = PathBuf::from("texts.toml");
        let texts_source = Source {
            text: self.read(&texts_file)?,
            file: texts_file,
            first_line: 1,
        };
        let texts: TextsFile = self.parse(&texts_source)?;
        self.check_ids(&texts_source, "program", texts.programs.iter().map(|p| p.id.as_str()));
        if let Some(program) = texts.programs.get(MAX_PROGRAMS) {
            let line = texts_source.line_of_id(&program.id, 0);
            self.error(
                &texts_source.file,
                line,
                format!(
                    "at most {MAX_PROGRAMS} programs: `{}` is number {} (join or retire programs first)",
                    program.id,
                    MAX_PROGRAMS + 1
                ),
            );
        }
        let d = &raw.donation;
        let (provider, warnings) = self.donation_provider(&source, d);
        if d.currencies.is_empty()
            || d.currencies
                .iter()
                .any(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()))
        {
            self.at(
                &source,
                "currencies",
                "currencies must be a non-empty list of codes such as \"USD\"",
            );
        }
        if d.minimum == 0 || d.minimum > d.maximum {
            self.at(&source, "minimum", "minimum must be at least 1 and not above maximum");
        }
        if let Some(p) = d.presets.iter().find(|p| **p < d.minimum || **p > d.maximum) {
            self.at(&source, "presets", format!("preset {p} is outside minimum and maximum"));
        }
        if !(raw.base_url.starts_with("https://") || raw.base_url.starts_with("http://")) {
            self.at(&source, "base_url", "base_url must be an absolute http(s) URL");
        }
        if raw.feed_page_size == 0 || raw.feed_page_size > 100 {
            self.at(&source, "feed_page_size", "feed_page_size must be between 1 and 100");
        }
        Some(Site {
            base_url: raw.base_url.trim_end_matches('/').to_owned(),
            name: PerLocale {
                es: raw.name.es,
                en: raw.name.en,
            },
            intro: PerLocale {
                es: texts.intro.es,
                en: texts.intro.en,
            },
            feed_page_size: raw.feed_page_size,
            programs: texts
                .programs
                .into_iter()
                .map(|p| Program {
                    id: p.id,
                    title: PerLocale {
                        es: p.title.es,
                        en: p.title.en,
                    },
                })
                .collect(),
            donation: DonationProvider {
                settings: DonationSettings {
                    provider: provider.name,
                    frequencies: [
                        Some(Frequency::Once),
                        provider.monthly_template.as_ref().map(|_| Frequency::Monthly),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                    currencies: d.currencies.clone(),
                    presets: d.presets.clone(),
                    minimum: d.minimum,
                    maximum: d.maximum,
                },
                once_template: provider.once_template,
                monthly_template: provider.monthly_template,
                allowed_host: provider.allowed_host,
            },
            warnings,
        })
    }

    /// `[donation.provider]`, checked: its name, its one-off page (required) and monthly page
    /// (optional, and not the one-off page again), each `https` on the allowed host; the single
    /// `provider_url` of earlier versions refused with what to write instead. Also what a
    /// production server refuses: a page that still holds a placeholder account.
    fn donation_provider(&mut self, source: &Source, d: &DonationFile) -> (CheckedProvider, Vec<ContentError>) {
        if d.provider_url.is_some() || d.allowed_host.is_some() {
            let key = if d.provider_url.is_some() {
                "provider_url"
            } else {
                "allowed_host"
            };
            self.at(
                source,
                key,
                "the payment provider now has a table of its own, with one page per frequency: \
                 move `allowed_host` into [donation.provider], rename `provider_url` `once_url` \
                 there (the provider's page for a one-off gift), add `name` (\"PayPal\") and \
                 `monthly_url` (the provider's page for a monthly gift, for PayPal its \
                 subscription link), or leave `monthly_url` out to offer one-off gifts only; see \
                 \"Donations\" in the README",
            );
        } else if d.provider.is_none() {
            self.at(
                source,
                "donation",
                "[donation.provider] is missing: the payment provider's `name`, `once_url`, \
                 `monthly_url` (optional) and `allowed_host`; see \"Donations\" in the README",
            );
        }
        let Some(p) = &d.provider else {
            return (CheckedProvider::default(), Vec::new());
        };
        if p.name.trim().is_empty() {
            self.at_provider(
                source,
                "name",
                "the provider's `name` is empty: the name donors know it by, shown next to the \
                 donate button (for example name = \"PayPal\")",
            );
        }
        let mut warnings = Vec::new();
        for (key, template) in [("once_url", Some(&p.once_url)), ("monthly_url", p.monthly_url.as_ref())] {
            let Some(template) = template else { continue };
            if let Err(message) = DonationProvider::check_template(template, &p.allowed_host) {
                self.at_provider(source, key, format!("`{key}`: {message}"));
            }
            if let Some(account) = DonationProvider::placeholder_account(template) {
                warnings.push(ContentError {
                    file: source.file.clone(),
                    line: source.line_in(PROVIDER_TABLE, key),
                    message: format!(
                        "`{key}` still holds the placeholder account `{account}`: write the \
                         institute's account there; a production server does not start with it"
                    ),
                    plain: None,
                });
            }
        }
        if p.monthly_url.as_ref() == Some(&p.once_url) {
            self.at_provider(
                source,
                "monthly_url",
                "`monthly_url` is the same page as `once_url`: a monthly gift needs the provider's \
                 page for a recurring gift (for PayPal, its subscription link), or leave \
                 `monthly_url` out to offer one-off gifts only",
            );
        }
        let provider = CheckedProvider {
            name: p.name.trim().to_owned(),
            once_template: p.once_url.clone(),
            monthly_template: p.monthly_url.clone(),
            allowed_host: p.allowed_host.clone(),
        };
        (provider, warnings)
    }

    fn shelves(&mut self) -> Vec<ShelfEntry> {
        let file = PathBuf::from("shelves.toml");
        let Some(text) = self.read(&file) else {
            return Vec::new();
        };
        let source = Source {
            text,
            file,
            first_line: 1,
        };
        let Some(raw) = self.parse::<ShelvesFile>(&source) else {
            return Vec::new();
        };
        self.check_ids(&source, "shelf", raw.shelf.iter().map(|s| s.id.as_str()));
        let mut shelves = Vec::new();
        for shelf in raw.shelf {
            if shelf.title.es.trim().is_empty() || shelf.title.en.trim().is_empty() {
                self.at(
                    &source,
                    "title",
                    format!("shelf `{}` needs a title in es and en", shelf.id),
                );
            }
            shelves.push(ShelfEntry {
                id: shelf.id,
                title: PerLocale {
                    es: shelf.title.es,
                    en: shelf.title.en,
                },
                description: PerLocale {
                    es: shelf.description.es.unwrap_or_default(),
                    en: shelf.description.en.unwrap_or_default(),
                },
            });
        }
        shelves
    }

    fn stories(&mut self, programs: &HashSet<String>) -> Vec<StoryEntry> {
        let files = self.files_in("stories", "md");
        let (root, public, probes) = (self.root, self.public, self.probes);
        // Reading, checking and rendering the files is independent work: spread it over the
        // cores, then merge the translations in file order.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let chunk = files.len().div_ceil(threads).max(1);
        let parsed: Vec<(Vec<ContentError>, Option<ParsedStory>)> = std::thread::scope(|scope| {
            let workers: Vec<_> = files
                .chunks(chunk)
                .map(|paths| {
                    scope.spawn(move || {
                        paths
                            .iter()
                            .map(|relative| {
                                let mut local = Loader {
                                    root,
                                    public,
                                    probes,
                                    errors: Vec::new(),
                                    photos: BTreeMap::new(),
                                };
                                let story = local.story_file(relative, programs);
                                (local.errors, story)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        });
        let mut by_id: BTreeMap<String, StoryEntry> = BTreeMap::new();
        for (errors, story) in parsed {
            self.errors.extend(errors);
            let Some(ParsedStory {
                id,
                locale,
                date,
                raw,
                version,
                source,
                photos,
            }) = story
            else {
                continue;
            };
            for (original, site) in photos {
                self.photos
                    .entry(original.path.clone())
                    .or_insert_with(|| PhotoUse {
                        original,
                        sites: Vec::new(),
                    })
                    .sites
                    .push(site);
            }
            match by_id.get_mut(&id) {
                Some(entry) => {
                    if entry.date != date {
                        self.plain(
                            &source,
                            "date",
                            format!("date {date} differs from the other translation's {}", entry.date),
                            Field::Date,
                            Problem::DiffersFromTranslation,
                        );
                    }
                    if entry.kind != raw.kind {
                        self.plain(
                            &source,
                            "kind",
                            "kind differs from the other translation's",
                            Field::Kind,
                            Problem::DiffersFromTranslation,
                        );
                    }
                    merge(&mut entry.programs, raw.programs);
                    merge(&mut entry.tags, raw.tags);
                    entry.versions.insert(locale, version);
                }
                None => {
                    by_id.insert(
                        id.clone(),
                        StoryEntry {
                            id,
                            date,
                            kind: raw.kind,
                            programs: raw.programs,
                            tags: raw.tags,
                            versions: BTreeMap::from([(locale, version)]),
                        },
                    );
                }
            }
        }
        by_id.into_values().collect()
    }

    /// Reads, checks and renders one story file; its errors go to `self`.
    fn story_file(&mut self, relative: &Path, programs: &HashSet<String>) -> Option<ParsedStory> {
        let relative = relative.to_path_buf();
        let name = relative.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let Some((id, locale)) = name
            .strip_suffix(".md")
            .and_then(|stem| stem.rsplit_once('.'))
            .and_then(|(id, code)| Some((id.to_owned(), Locale::from_code(code)?)))
            .filter(|(id, _)| is_id(id))
        else {
            self.error(
                &relative,
                None,
                "a story file must be named {id}.es.md or {id}.en.md, the id in a-z, 0-9 and -",
            );
            return None;
        };
        let text = self.read(&relative)?;
        let Some((front, body)) = split_front_matter(&text) else {
            self.error(
                &relative,
                Some(1),
                "a story must start with TOML front matter between `+++` lines",
            );
            return None;
        };
        let source = Source {
            file: relative.clone(),
            text: front.to_owned(),
            first_line: 2,
        };
        let mut raw = self.parse::<StoryFront>(&source)?;
        let errors_before = self.errors.len();
        let date = self.date(&source, "date", &raw.date);
        if raw.title.trim().is_empty() {
            self.plain(
                &source,
                "title",
                format!("missing title in the file's language ({locale})"),
                Field::Title,
                Problem::MissingIn(locale.code().to_owned()),
            );
        }
        if raw.summary.trim().is_empty() {
            self.plain(&source, "summary", "missing summary", Field::Summary, Problem::Missing);
        }
        for program in raw.programs.iter().filter(|p| !programs.contains(*p)) {
            self.plain(
                &source,
                "programs",
                format!("unknown program `{program}` (see texts.toml)"),
                Field::Programs,
                Problem::Unknown(program.clone()),
            );
        }
        let mut photos = Vec::new();
        let mut lead = None;
        if let Some(image) = &raw.image {
            if image.alt.trim().is_empty() {
                self.plain(
                    &source,
                    "alt",
                    "an image needs its alt text",
                    Field::Alt,
                    Problem::Missing,
                );
            }
            match self.probes.probe(self.public, &image.src) {
                Ok(original) => {
                    lead = Some(original.image(&image.alt));
                    let line = source.line_in("image", "src").or_else(|| source.line_of("src"));
                    photos.push((
                        original,
                        PhotoSite {
                            file: relative.clone(),
                            line,
                        },
                    ));
                }
                Err(message) => self.at(&source, "src", message),
            }
        }
        let body_html = self.body_photos(&relative, &text, &render_markdown(body), &mut photos);
        let date = date?;
        if self.errors.len() > errors_before {
            return None;
        }
        let version = StoryVersion {
            title: raw.title.trim().to_owned(),
            summary: raw.summary.trim().to_owned(),
            body_html,
            author: raw.author.take().filter(|a| !a.trim().is_empty()),
            image: lead,
        };
        Some(ParsedStory {
            id,
            locale,
            date,
            raw,
            version,
            source,
            photos,
        })
    }

    /// A story's rendered body with its photos as `<picture>`s; each photo it names is checked,
    /// and what is wrong is an error at the line of the file (`text`) that names it.
    fn body_photos(
        &mut self,
        relative: &Path,
        text: &str,
        html: &str,
        photos: &mut Vec<(Arc<Original>, PhotoSite)>,
    ) -> String {
        let line_of = |src: &str| text.lines().position(|l| l.contains(src)).map(|i| i + 1);
        let (probes, public) = (self.probes, self.public);
        let body = body_photos(html, |src| probes.probe(public, src));
        for (src, message) in body.problems {
            self.error(relative, line_of(&src), message);
        }
        for (src, original) in body.used {
            let site = PhotoSite {
                file: relative.to_path_buf(),
                line: line_of(&src),
            };
            photos.push((original, site));
        }
        body.html
    }

    fn documents(&mut self, shelves: &HashMap<String, usize>, programs: &HashSet<String>) -> Vec<DocumentEntry> {
        let mut documents = Vec::new();
        let mut seen: HashMap<String, PathBuf> = HashMap::new();
        for relative in self.files_in("resources", "toml") {
            let id = relative
                .file_stem()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if !is_id(&id) {
                self.error(
                    &relative,
                    None,
                    "a document file must be named {id}.toml, the id in a-z, 0-9 and -",
                );
                continue;
            }
            if let Some(first) = seen.get(&id) {
                let message = format!("duplicate document id `{id}` (also {})", first.display());
                self.error(&relative, None, message);
                continue;
            }
            seen.insert(id.clone(), relative.clone());
            if let Some(document) = self.document_file(&relative, id, shelves, programs) {
                documents.push(document);
            }
        }
        documents
    }

    /// One document file, checked: `None` when anything in it is wrong (each error noted).
    fn document_file(
        &mut self,
        relative: &Path,
        id: String,
        shelves: &HashMap<String, usize>,
        programs: &HashSet<String>,
    ) -> Option<DocumentEntry> {
        let source = Source {
            file: relative.to_owned(),
            text: self.read(relative)?,
            first_line: 1,
        };
        let raw = self.parse::<DocumentFile>(&source)?;
        let errors_before = self.errors.len();
        let shelf = shelves.get(&raw.shelf).copied();
        if shelf.is_none() {
            self.plain(
                &source,
                "shelf",
                format!("unknown shelf `{}` (see shelves.toml)", raw.shelf),
                Field::Shelf,
                Problem::Unknown(raw.shelf.clone()),
            );
        }
        for program in raw.programs.iter().filter(|p| !programs.contains(*p)) {
            self.plain(
                &source,
                "programs",
                format!("unknown program `{program}` (see texts.toml)"),
                Field::Programs,
                Problem::Unknown(program.clone()),
            );
        }
        self.document_languages(&source, &raw.languages);
        let titles = self.document_titles(&source, &raw);
        let year = self.document_year(&source, &raw);
        let (href, is_file, size) = self.document_link(&source, &raw);
        let (shelf, year) = (shelf?, year?);
        if self.errors.len() > errors_before {
            return None;
        }
        let summaries = [raw.summary.es, raw.summary.en].map(|s| s.filter(|s| !s.trim().is_empty()));
        Some(DocumentEntry::new(
            id,
            shelf,
            titles,
            summaries,
            year,
            raw.languages,
            raw.kind,
            href,
            is_file,
            size,
            raw.pages,
            raw.programs,
        ))
    }

    /// The document's languages: at least one, each known.
    fn document_languages(&mut self, source: &Source, languages: &[String]) {
        if languages.is_empty() {
            self.plain(
                source,
                "languages",
                "list at least one document language",
                Field::Languages,
                Problem::Missing,
            );
        }
        for language in languages.iter().filter(|l| !KNOWN_LANGUAGES.contains(&l.as_str())) {
            self.plain(
                source,
                "languages",
                format!("unknown language `{language}` (known: {})", KNOWN_LANGUAGES.join(", ")),
                Field::Languages,
                Problem::Unknown(language.clone()),
            );
        }
    }

    /// The titles by site language; the one in the document's original language is required.
    fn document_titles(&mut self, source: &Source, raw: &DocumentFile) -> [Option<String>; 2] {
        let titles = [raw.title.es.clone(), raw.title.en.clone()].map(|t| t.filter(|t| !t.trim().is_empty()));
        let original = raw.languages.first().and_then(|l| Locale::from_code(l));
        let missing_original = original.is_some_and(|l| titles[l as usize].is_none());
        if missing_original || titles.iter().all(Option::is_none) {
            let language = original.map_or("es or en", Locale::code);
            let problem = original.map_or(Problem::Missing, |l| Problem::MissingIn(l.code().to_owned()));
            self.plain(
                source,
                "title",
                format!("missing title in the document's language ({language})"),
                Field::Title,
                problem,
            );
        }
        titles
    }

    /// The year of publication, from `year` or `date` (exactly one).
    fn document_year(&mut self, source: &Source, raw: &DocumentFile) -> Option<u16> {
        match (&raw.year, &raw.date) {
            (Some(year), None) if (1000..=9999).contains(year) => Some(*year),
            (None, Some(date)) => self.date(source, "date", date).map(|d| d.year),
            (Some(_), Some(_)) => {
                self.plain(
                    source,
                    "year",
                    "give `year` or `date`, not both",
                    Field::Year,
                    Problem::YearAndDate,
                );
                None
            }
            _ => {
                self.plain(
                    source,
                    "year",
                    "a document needs a `year` (four digits) or a `date`",
                    Field::Year,
                    Problem::NoYearOrDate,
                );
                None
            }
        }
    }

    /// Where the document is read: a file under `public/` (its size read from it) or an
    /// `https` URL, exactly one. Returns the link, whether it is a file, and the size.
    fn document_link(&mut self, source: &Source, raw: &DocumentFile) -> (String, bool, Option<u64>) {
        match (&raw.file, &raw.url) {
            (Some(file), None) => {
                let path = self.public.join(file.trim_start_matches('/'));
                match fs::metadata(&path) {
                    Ok(meta) if file.starts_with('/') && !file.contains("..") && meta.is_file() => {
                        (file.clone(), true, raw.size.or(Some(meta.len())))
                    }
                    _ => {
                        self.plain(
                            source,
                            "file",
                            format!("file `{file}` does not exist under public/"),
                            Field::File,
                            Problem::NoFile(file.clone()),
                        );
                        (String::new(), true, None)
                    }
                }
            }
            (None, Some(url)) => {
                if !url.starts_with("https://") || url.len() <= "https://".len() || url.contains(char::is_whitespace) {
                    self.plain(
                        source,
                        "url",
                        format!("`{url}` is not an https URL"),
                        Field::Url,
                        Problem::NotHttps(url.clone()),
                    );
                }
                (url.clone(), false, raw.size)
            }
            _ => {
                self.at(
                    source,
                    "file",
                    "give `file` (under public/) or `url` (https), exactly one",
                );
                (String::new(), false, None)
            }
        }
    }

    fn date(&mut self, source: &Source, key: &str, value: &DateValue) -> Option<Date> {
        let parsed = match value {
            DateValue::Toml(datetime) => Some(*datetime),
            DateValue::Text(text) => text.trim().parse::<toml::value::Datetime>().ok(),
        };
        let date = parsed.and_then(|value| match (value.date, value.time, value.offset) {
            (Some(d), None, None) => Date::new(d.year, d.month, d.day),
            _ => None,
        });
        if date.is_none() {
            let written = match value {
                DateValue::Toml(datetime) => datetime.to_string(),
                DateValue::Text(text) => text.clone(),
            };
            let message = format!("bad date `{written}`: write a calendar date such as 2023-01-18");
            self.plain(source, key, message, Field::Date, Problem::BadDate(written));
        }
        date
    }

    /// Files with an extension under a folder of the content, recursively, sorted.
    fn files_in(&mut self, folder: &str, extension: &str) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut pending = vec![PathBuf::from(folder)];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = fs::read_dir(self.root.join(&dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let relative = dir.join(entry.file_name());
                let Ok(kind) = entry.file_type() else { continue };
                if kind.is_dir() {
                    pending.push(relative);
                } else if relative.extension().is_some_and(|e| e == extension) {
                    found.push(relative);
                } else if !entry.file_name().to_string_lossy().starts_with('.') {
                    self.error(
                        &relative,
                        None,
                        format!("unexpected file: only .{extension} files belong in {folder}/"),
                    );
                }
            }
        }
        found.sort();
        found
    }
}

/// One story file, checked and rendered, before the translations are merged.
struct ParsedStory {
    id: String,
    locale: Locale,
    date: Date,
    raw: StoryFront,
    version: StoryVersion,
    source: Source,
    /// The photos it shows, with where it names each.
    photos: Vec<(Arc<Original>, PhotoSite)>,
}

/// Splits `+++\n<toml>\n+++\n<markdown>`.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("+++\n").or_else(|| text.strip_prefix("+++\r\n"))?;
    let end = rest.find("\n+++")?;
    let body = rest[end + 4..]
        .trim_start_matches(['\r'])
        .strip_prefix('\n')
        .unwrap_or("");
    Some((&rest[..=end], body))
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn merge(into: &mut Vec<String>, more: Vec<String>) {
    for value in more {
        if !into.contains(&value) {
            into.push(value);
        }
    }
}
