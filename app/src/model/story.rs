use super::{Date, DonationSettings, Image};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// Whether a story is a news item or an impact story.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoryKind {
    /// A news item.
    News,
    /// An impact story.
    Impact,
}

impl StoryKind {
    /// The kind's label in a language.
    pub fn label(self, locale: Locale) -> &'static str {
        let t = locale.messages();
        match self {
            StoryKind::News => t.story_kind_news,
            StoryKind::Impact => t.story_kind_impact,
        }
    }
}

/// A story as a card in a list: the feed, the home page, related stories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryCard {
    /// Stable id shared by the translations, used in the URL.
    pub id: String,
    /// Title in `lang`.
    pub title: String,
    /// One or two sentences in `lang`.
    pub summary: String,
    /// Publication date.
    pub date: Date,
    /// News or impact story.
    pub kind: StoryKind,
    /// Language of the title and summary: the page's language, or the other one when the
    /// story has no translation (then `lang` differs from the page's language).
    pub lang: Locale,
    /// The story's lead image, shown small on the card.
    pub image: Option<Image>,
}

/// One page of the stories feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPage {
    /// The stories of this page, newest first.
    pub stories: Vec<StoryCard>,
    /// This page's number, from 1.
    pub page: u32,
    /// How many pages the feed has (0 when it has no story).
    pub total_pages: u32,
    /// How many stories the feed has.
    pub total: usize,
}

impl FeedPage {
    /// Whether a page follows this one.
    pub fn has_next(&self) -> bool {
        self.page < self.total_pages
    }
}

/// Everything a story page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryPage {
    /// The story's card data (title, date, kind, language).
    pub card: StoryCard,
    /// The body, rendered from Markdown and sanitized when the content was loaded.
    pub body_html: String,
    /// Names of the programs the story belongs to, in the page's language.
    pub programs: Vec<String>,
    /// Author, if the story names one.
    pub author: Option<String>,
    /// Illustration, if any.
    pub image: Option<Image>,
    /// The languages this story exists in.
    pub translations: Vec<Locale>,
    /// Up to three other stories sharing programs and tags, then nearest in date.
    pub related: Vec<StoryCard>,
    /// Settings of the donation call to action at the foot of the story.
    pub donation: DonationSettings,
}

/// What the home page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    /// The institute's introduction, from `texts.toml`.
    pub intro: String,
    /// The latest impact stories.
    pub impact: Vec<StoryCard>,
    /// The latest news.
    pub news: Vec<StoryCard>,
    /// Settings of the donation call to action.
    pub donation: DonationSettings,
}
