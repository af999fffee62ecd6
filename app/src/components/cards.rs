//! Cards of lists: a story in a feed, a document on a shelf.

use super::picture::Picture;
use crate::{
    i18n::{fill, Locale},
    model::{language_name, DocumentCard, StoryCard, CARD_SIZES},
    paths::Page,
};
use leptos::{either::Either, prelude::*};

/// A story in a list: its lead image when it has one, title (linked), date, kind, summary, and
/// a badge when it is shown in the other language.
#[component]
pub fn StoryCardView(
    locale: Locale,
    story: StoryCard,
    /// Heading level of the title inside its list (2 or 3).
    #[prop(default = 2)]
    level: u8,
) -> impl IntoView {
    let t = locale.messages();
    let href = Page::Story(story.id.clone()).path(locale);
    let foreign = story.lang != locale;
    let lang = story.lang.code();
    let title = view! { <a href=href class="card-link">{story.title}</a> };
    let heading = if level == 3 {
        Either::Left(view! { <h3 class="card-title" lang=lang>{title}</h3> })
    } else {
        Either::Right(view! { <h2 class="card-title" lang=lang>{title}</h2> })
    };
    let image = story
        .image
        .map(|image| view! { <Picture image sizes=CARD_SIZES class="card-image" lang=lang /> });
    view! {
        <article class="story-card" data-story-id=story.id.clone()>
            {image}
            <p class="card-meta">
                <span class="kind">{story.kind.label(locale)}</span>
                " · "
                <time datetime=story.date.to_string()>{story.date.localized(locale)}</time>
                {foreign.then(|| view! { <span class="badge">{t.story_other_language_badge}</span> })}
            </p>
            {heading}
            <p class="card-summary" lang=lang>{story.summary}</p>
        </article>
    }
}

/// A human size: "1.2 MB", "340 KB".
pub fn human_size(bytes: u64) -> String {
    // Whole numbers only: formatting floats would add their code to the browser's WASM.
    const KB: u64 = 1024;
    const MB: u64 = KB * KB;
    if bytes >= MB {
        let tenths = (bytes.saturating_mul(10) + MB / 2) / MB;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", bytes.div_ceil(KB).max(1))
    }
}

/// A document on a shelf: title, year, languages, type, size, pages, and a link that names
/// what it downloads. `level` is the heading level of the title: 3 under a shelf's heading, 2
/// on a shelf's own page. (A function of the document as the library holds it: the view
/// copies only what it shows.)
pub fn document_card(locale: Locale, document: &DocumentCard, level: u8) -> impl IntoView + use<> {
    let t = locale.messages();
    let languages = document
        .languages
        .iter()
        .map(|l| language_name(l, locale))
        .collect::<Vec<_>>()
        .join(", ");
    let link_label = fill(
        if document.is_file {
            t.resources_download
        } else {
            t.resources_open
        },
        &[("title", &document.title)],
    );
    let mut details = format!("{} · {languages} · {}", document.year, document.kind.label(locale));
    for detail in [
        document.size_bytes.map(human_size),
        document
            .pages
            .map(|p| fill(t.resources_pages, &[("count", &p.to_string())])),
    ]
    .into_iter()
    .flatten()
    {
        details.push_str(" · ");
        details.push_str(&detail);
    }
    let summary = (!document.summary.is_empty())
        .then(|| view! { <p class="doc-summary" lang=document.summary_lang.code()>{document.summary.clone()}</p> });
    let lang = document.title_lang.code();
    let title = if level == 2 {
        Either::Left(view! { <h2 class="doc-title" lang=lang>{document.title.clone()}</h2> })
    } else {
        Either::Right(view! { <h3 class="doc-title" lang=lang>{document.title.clone()}</h3> })
    };
    view! {
        <li class="document-card">
            {title}
            <p class="doc-meta">{details}</p>
            {summary}
            <a class="doc-link" href=document.href.clone() download=document.is_file.then_some("") rel=(!document.is_file).then_some("noopener noreferrer")>
                {link_label}
            </a>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(1), "1 KB");
        assert_eq!(human_size(340 * 1024), "340 KB");
        assert_eq!(human_size(1_300_000), "1.2 MB");
        assert_eq!(human_size(1024 * 1024), "1.0 MB");
        assert_eq!(human_size(0), "1 KB");
    }
}
