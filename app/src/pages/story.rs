//! `/es/historias/{id}`, `/en/stories/{id}`: one story, with its notice when it is shown in
//! the other language, related stories, structured data and the donation call to action.

use super::from_content;
use crate::{
    components::{
        cards::StoryCardView,
        donate::DonateCta,
        head::{property, PageHead},
    },
    functions::base_url,
    i18n::{use_locale, Locale},
    model::{script_json, StoryPage as Story},
    paths::Page,
};
use leptos::prelude::*;

/// The story page.
#[component]
pub fn StoryPage(id: String) -> impl IntoView {
    let locale = use_locale();
    from_content(
        locale,
        |s| s.story(locale, &id),
        |story| view! { <StoryView locale story /> },
    )
}

#[component]
fn StoryView(locale: Locale, story: Story) -> impl IntoView {
    let t = locale.messages();
    let card = story.card.clone();
    let lang = card.lang.code();
    let foreign = card.lang != locale;
    let page = Page::Story(card.id.clone());
    let programs = (!story.programs.is_empty()).then(|| {
        view! {
            <p class="story-programs">
                <span>{t.story_programs}": "</span>
                {story.programs.join(", ")}
            </p>
        }
    });
    let related = (!story.related.is_empty()).then(|| {
        let cards = story
            .related
            .iter()
            .cloned()
            .map(|s| view! { <StoryCardView locale story=s level=3 /> })
            .collect_view();
        view! {
            <section class="related" aria-labelledby="related-heading">
                <h2 id="related-heading">{t.story_related}</h2>
                <div class="story-grid">{cards}</div>
            </section>
        }
    });
    let image = story
        .image
        .clone()
        .map(|i| view! { <img class="story-image" src=i.src alt=i.alt lang=lang /> });
    let author = story
        .author
        .clone()
        .map(|a| view! { <p class="story-author">{t.story_by}" "<span lang=lang>{a}</span></p> });
    view! {
        <PageHead
            locale
            title=card.title.clone()
            description=card.summary.clone()
            page=Some(page.clone())
            alternates=story.translations.clone()
            og_type="article"
        />
        {property("article:published_time", card.date.rfc3339())}
        <StructuredData locale story=story.clone() />
        <article class="wrap story">
            <header class="story-header">
                <p class="card-meta">
                    <span class="kind">{card.kind.label(locale)}</span>
                    " · "
                    <time datetime=card.date.to_string()>{card.date.localized(locale)}</time>
                </p>
                {foreign.then(|| view! { <p class="notice" role="note">{t.story_other_language_notice}</p> })}
                <h1 lang=lang>{card.title.clone()}</h1>
                {author}
                {programs}
            </header>
            {image}
            <div class="prose" lang=lang inner_html=story.body_html.clone()></div>
            <p class="back"><a href=Page::Stories.path(locale)>{"← "}{t.story_back}</a></p>
        </article>
        <div class="wrap">
            {related}
            <DonateCta locale settings=story.donation.clone() />
        </div>
    }
}

/// schema.org `NewsArticle` for search engines, as JSON-LD.
#[component]
fn StructuredData(locale: Locale, story: Story) -> impl IntoView {
    let base = base_url();
    let t = locale.messages();
    let card = &story.card;
    let data = script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": card.title,
        "description": card.summary,
        "datePublished": card.date.to_string(),
        "inLanguage": card.lang.code(),
        "url": format!("{base}{}", Page::Story(card.id.clone()).path(card.lang)),
        "publisher": { "@type": "Organization", "name": t.site_name },
    }));
    view! { <script type="application/ld+json" inner_html=data></script> }
}
