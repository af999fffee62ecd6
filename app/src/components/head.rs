//! The head tags of a page: title, description, canonical link, language alternates, feeds
//! and Open Graph. A page's components render them with leptos_meta while the body renders;
//! leptos_meta puts them in the head.

use crate::{components::robots, content::base_url, i18n::Locale, paths::Page, upstream::escape_title};
use leptos::prelude::*;
use leptos_meta::{Link, Meta};

/// The page's `<title>` (the last one given wins), through leptos_meta, escaped first (see
/// `upstream::escape_title`).
#[component]
pub fn Title(#[prop(into)] text: String) -> impl IntoView {
    view! { <leptos_meta::Title text=escape_title(&text) /> }
}

/// A `<meta property="…" content="…">` tag (Open Graph, article dates).
pub fn property(property: &'static str, content: impl Into<String>) -> impl IntoView {
    let content: String = content.into();
    view! { <Meta property=property content=content /> }
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
            <Link rel="canonical" href=canonical.clone() />
            {alternates
                .iter()
                .map(|l| view! { <Link rel="alternate" hreflang=l.code() href=format!("{base}{}", page.path(*l)) /> })
                .collect_view()}
            <Link rel="alternate" hreflang="x-default" href=format!("{base}{}", page.path(default)) />
            {property("og:url", canonical)}
        }
    });
    view! {
        <Title text=full_title />
        <Meta name="description" content=summary />
        <Meta name="robots" content=robots(noindex) />
        {property("og:type", og_type)}
        {property("og:site_name", t.site_name)}
        {property("og:locale", locale.og_locale())}
        <Meta name="twitter:card" content="summary" />
        <Link rel="alternate" type_="application/atom+xml" title=t.footer_feed href=format!("/{}/feed.xml", locale.code()) />
        {property("og:title", title)}
        {property("og:description", description)}
        {links}
    }
}
