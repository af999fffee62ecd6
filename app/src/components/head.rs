//! The head tags of a page: title, description, canonical link, language alternates, feeds
//! and Open Graph.

use crate::{components::robots, functions::base_url, i18n::Locale, paths::Page};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

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
            <Meta property="og:url" content=canonical />
        }
    });
    view! {
        <Title text=full_title />
        <Meta name="description" content=summary />
        <Meta name="robots" content=robots(noindex) />
        <Meta property="og:type" content=og_type />
        <Meta property="og:site_name" content=t.site_name />
        <Meta property="og:locale" content=locale.og_locale() />
        <Meta name="twitter:card" content="summary" />
        <Link rel="alternate" type_="application/atom+xml" title=t.footer_feed href=format!("/{}/feed.xml", locale.code()) />
        <Meta property="og:title" content=title />
        <Meta property="og:description" content=description />
        {links}
    }
}
