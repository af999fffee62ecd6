//! `/es/historias/{id}`, `/en/stories/{id}`: one story, with its notice when it is shown in
//! the other language, related stories, structured data and the donation call to action.

use super::from_content;
use crate::{
    components::{
        cards::StoryCardView,
        donate::DonateCta,
        head::{in_head, property, PageHead},
        picture::Picture,
    },
    content::base_url,
    i18n::{use_locale, Locale},
    model::{script_json, StoryPage as Story, LEAD_SIZES},
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
        .map(|image| view! { <Picture image sizes=LEAD_SIZES lead=true class="story-image" lang=lang /> });
    let og_image = story.image.as_ref().map(|image| {
        let (url, width, height) = image.og();
        view! {
            {property("og:image", format!("{}{url}", base_url()))}
            {property("og:image:width", width.to_string())}
            {property("og:image:height", height.to_string())}
            {property("og:image:alt", image.alt.clone())}
        }
    });
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
        {in_head(view! { {property("article:published_time", card.date.rfc3339())} {og_image} })}
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
    // The Open Graph crop and the largest derivative, as search engines ask for.
    let image: Vec<String> = story
        .image
        .iter()
        .flat_map(|image| {
            let (fallback, _) = image.fallback();
            let largest = image.widths().last().unwrap_or(image.width);
            [image.og().0, image.url(largest, fallback)]
        })
        .map(|url| format!("{base}{url}"))
        .collect();
    let mut data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": card.title,
        "description": card.summary,
        "datePublished": card.date.to_string(),
        "inLanguage": card.lang.code(),
        "url": format!("{base}{}", Page::Story(card.id.clone()).path(card.lang)),
        "publisher": { "@type": "Organization", "name": t.site_name },
    });
    if !image.is_empty() {
        data["image"] = image.into();
    }
    let data = script_json(&data);
    view! { <script type="application/ld+json" inner_html=data></script> }
}
