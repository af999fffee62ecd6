//! The files of `content/` as editors write them. Unknown fields are rejected so that a typo
//! is reported instead of silently ignored.

use crate::model::{DocumentKind, StoryKind};
use serde::Deserialize;
use toml::value::Datetime;

/// A date as written in a file: a TOML date (`2023-01-18`) or the same date in quotes
/// (`"2023-01-18"`), which is how the browser editor's TOML writer saves it and so the form
/// the repository uses. The loader checks that either is a calendar date.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    /// A TOML date.
    Toml(Datetime),
    /// A quoted date.
    Text(String),
}

/// A text per language; both are required.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BothLocales {
    /// Spanish.
    pub es: String,
    /// English.
    pub en: String,
}

/// A text per language where either may be missing.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SomeLocales {
    /// Spanish, if written.
    pub es: Option<String>,
    /// English, if written.
    pub en: Option<String>,
}

/// `content/site.toml`: the site's configuration, which the browser editor never writes (so
/// that its comments stay).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// Public base URL of the site (`https://example.org`), for feeds and sitemaps; the
    /// `SITE_BASE_URL` setting overrides it.
    pub base_url: String,
    /// The institute's name in each language.
    pub name: BothLocales,
    /// How many stories a feed page shows (default 10).
    #[serde(default = "default_page_size")]
    pub feed_page_size: usize,
    /// Donation settings.
    pub donation: DonationFile,
    /// The introduction of earlier versions, now in `texts.toml`: refused with where it goes.
    pub intro: Option<toml::Value>,
    /// The programs of earlier versions, now in `texts.toml`: refused with where they go.
    pub programs: Option<toml::Value>,
}

/// `content/texts.toml`: the texts the browser editor writes besides stories, documents and
/// shelves.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextsFile {
    /// The home page's introduction in each language.
    pub intro: BothLocales,
    /// The institute's programs, in display order.
    #[serde(default)]
    pub programs: Vec<ProgramFile>,
}

fn default_page_size() -> usize {
    10
}

/// One `[[programs]]` entry of `texts.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramFile {
    /// Stable id (`africa`), used in front matter and filters.
    pub id: String,
    /// The program's name in each language.
    pub title: BothLocales,
}

/// The `[donation]` table of `site.toml`: what the form offers, and (`[donation.provider]`)
/// where the gift is completed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DonationFile {
    /// The payment provider and its pages. Required; optional here so that its absence (or a
    /// file still in the earlier shape) is reported with what to write.
    pub provider: Option<ProviderFile>,
    /// The single template of earlier versions, which sent monthly gifts to a one-off page.
    /// Refused, with what to write instead.
    pub provider_url: Option<String>,
    /// The allowed host of earlier versions, now in `[donation.provider]`. Refused with
    /// `provider_url`.
    pub allowed_host: Option<String>,
    /// Currency codes offered, the first being the default.
    pub currencies: Vec<String>,
    /// Preset amounts in whole units.
    pub presets: Vec<u32>,
    /// Smallest amount accepted, in whole units.
    pub minimum: u32,
    /// Largest amount accepted, in whole units.
    pub maximum: u32,
}

/// `[donation.provider]` of `site.toml`: the payment provider, one page per frequency.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderFile {
    /// The provider's name as donors know it (`PayPal`), in the line that tells them where they
    /// complete the gift.
    pub name: String,
    /// The provider's page for a one-off gift: a URL template, `https` only, with `{amount}`,
    /// `{currency}`, `{frequency}`, `{locale}` and `{return_url}` placeholders in its query.
    pub once_url: String,
    /// The provider's page for a monthly gift (a subscription link), checked as `once_url`.
    /// Without it the form offers one-off gifts only.
    pub monthly_url: Option<String>,
    /// The only host the hand-off may redirect to; must be the templates' host.
    pub allowed_host: String,
}

/// `content/shelves.toml`: the shelves of the library in display order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShelvesFile {
    /// The `[[shelf]]` entries.
    #[serde(default)]
    pub shelf: Vec<ShelfFile>,
}

/// One `[[shelf]]` of `shelves.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShelfFile {
    /// Stable id, used in URLs and in documents' `shelf`.
    pub id: String,
    /// Title in each language.
    pub title: BothLocales,
    /// Optional description in each language.
    #[serde(default)]
    pub description: SomeLocales,
}

/// The TOML front matter of `stories/{id}.{es|en}.md`, between `+++` lines.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryFront {
    /// Title in the file's language.
    pub title: String,
    /// Publication date, `2023-01-18`.
    pub date: DateValue,
    /// One or two sentences for cards and descriptions.
    pub summary: String,
    /// `news` or `impact`.
    pub kind: StoryKind,
    /// Program ids from `texts.toml`.
    #[serde(default)]
    pub programs: Vec<String>,
    /// Free tags, used to find related stories.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Optional illustration.
    pub image: Option<ImageFront>,
    /// Optional author's name.
    pub author: Option<String>,
}

/// A story's `[image]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageFront {
    /// Path under `public/`, starting with `/`.
    pub src: String,
    /// Text alternative in the story's language (required).
    pub alt: String,
}

/// `resources/{id}.toml`: one document of the library.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentFile {
    /// Title per language; the one of the document's first language is required.
    pub title: SomeLocales,
    /// Short summary per language (optional).
    #[serde(default)]
    pub summary: SomeLocales,
    /// Shelf id from `shelves.toml`.
    pub shelf: String,
    /// Year of publication (or give `date`).
    pub year: Option<u16>,
    /// Date of publication, `2021-05-01` (or give `year`).
    pub date: Option<DateValue>,
    /// Languages the document is written in, original first (`es`, `en`, `fr`, `pt`).
    pub languages: Vec<String>,
    /// `guide`, `report`, `paper`, `book`, `brochure` or `other`.
    pub kind: DocumentKind,
    /// A file under `public/` (`/documents/x.pdf`); give this or `url`.
    pub file: Option<String>,
    /// An `https` URL where the document is; give this or `file`.
    pub url: Option<String>,
    /// Size in bytes; read from the file when omitted.
    pub size: Option<u64>,
    /// Number of pages.
    pub pages: Option<u32>,
    /// Program ids from `texts.toml`.
    #[serde(default)]
    pub programs: Vec<String>,
}
