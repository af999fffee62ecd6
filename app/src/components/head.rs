//! The head tags of a page: title, description, canonical link, language alternates, feeds
//! and Open Graph. A page's components render them while the body renders; the document puts
//! them in its head.

use crate::{components::robots, functions::base_url, i18n::Locale, paths::Page};
use leptos::{prelude::*, tachys::view::RenderHtml};
use std::sync::{Arc, Mutex, PoisonError};

/// The head tags of the page being rendered, as HTML, and its title.
#[derive(Clone, Debug, Default)]
pub struct HeadTags(Arc<Mutex<(String, Option<String>)>>);

impl HeadTags {
    /// The tags, in the order they were given, and the last `<title>` given.
    pub fn take(&self) -> (String, Option<String>) {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A `<meta property="…" content="…">` tag (Open Graph, article dates).
pub fn property(property: &'static str, content: impl Into<String>) -> impl RenderHtml {
    leptos::html::meta().attr("property", property).content(content.into())
}

/// Puts `tags` (`<meta>`, `<link>`) in the head of the page being rendered, and, with a
/// `title`, makes it the page's title (the last one given wins).
pub fn in_head(title: Option<String>, tags: impl RenderHtml) {
    if let Some(head) = use_context::<HeadTags>() {
        let html = tags.to_html();
        let title = title.map(|text| view! { <title>{text}</title> }.to_html());
        let mut head = head.0.lock().unwrap_or_else(PoisonError::into_inner);
        head.0.push_str(&html);
        if title.is_some() {
            head.1 = title;
        }
    }
}

/// Head tags for a page in `locale`. `page` gives the canonical path; `alternates` the
/// languages the page exists in (every language when empty).
#[component]
pub fn PageHead(
    locale: Locale,
    /// The page's own title; the site name is appended.
    #[prop(into)]
    title: String,
    /// One or two sentences for search results and previews.
    #[prop(into)]
    description: String,
    /// The page, for canonical and alternate links; `None` for pages without one (404).
    page: Option<Page>,
    /// Languages the page exists in; empty means all.
    #[prop(optional)]
    alternates: Vec<Locale>,
    /// Keeps search engines from indexing this view (filtered lists). The library's island
    /// keeps it in step when its filters change in place.
    #[prop(optional)]
    noindex: bool,
    /// The Open Graph type: `website` or `article`.
    #[prop(default = "website")]
    og_type: &'static str,
) -> impl IntoView {
    let t = locale.messages();
    let full_title = format!("{title} · {}", t.site_short_name);
    let base = base_url();
    let summary = description.clone();
    let alternates = if alternates.is_empty() {
        Locale::ALL.to_vec()
    } else {
        alternates
    };
    let links = page.map(|page| {
        // A story shown from its other language is canonical in the language it is written in.
        let own = if alternates.contains(&locale) {
            locale
        } else {
            alternates[0]
        };
        let canonical = format!("{base}{}", page.path(own));
        let default = if alternates.contains(&Locale::Es) {
            Locale::Es
        } else {
            alternates[0]
        };
        view! {
            <link rel="canonical" href=canonical.clone() />
            {alternates
                .iter()
                .map(|l| view! { <link rel="alternate" hreflang=l.code() href=format!("{base}{}", page.path(*l)) /> })
                .collect_view()}
            <link rel="alternate" hreflang="x-default" href=format!("{base}{}", page.path(default)) />
            {property("og:url", canonical)}
        }
    });
    let tags = view! {
        <meta name="description" content=summary />
        <meta name="robots" content=robots(noindex) />
        {property("og:type", og_type)}
        {property("og:site_name", t.site_name)}
        {property("og:locale", locale.og_locale())}
        <meta name="twitter:card" content="summary" />
        <link rel="alternate" type="application/atom+xml" title=t.footer_feed href=format!("/{}/feed.xml", locale.code()) />
        {property("og:title", title)}
        {property("og:description", description)}
        {links}
    };
    in_head(Some(full_title), tags);
}
