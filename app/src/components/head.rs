//! The head tags of a page: title, description, canonical link, language alternates, feeds
//! and Open Graph. A page's components give them as the page is put together ([`in_head`],
//! [`title`]); the shell writes them into the document's head after the body has rendered
//! (`app::shell`).

use crate::{components::robots, content::base_url, i18n::Locale, paths::Page};
use leptos::{prelude::*, tachys::view::RenderHtml};
use std::sync::{Arc, Mutex, PoisonError};

/// The head tags the components of the page being rendered have given: the title (the last
/// one given wins) and the other tags, in order. The shell provides it to the render.
#[derive(Clone, Debug, Default)]
pub struct HeadTags(Arc<Mutex<Tags>>);

#[derive(Debug, Default)]
struct Tags {
    title: String,
    tags: String,
}

impl HeadTags {
    /// The head's HTML: the title, then the tags.
    pub fn take(&self) -> String {
        let tags = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        tags.title + &tags.tags
    }

    fn with(&self, f: impl FnOnce(&mut Tags)) {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

/// Puts `tags` into the head of the page being rendered, after those given before. Rendered
/// now, by Leptos (attribute values escaped); the absent pieces of the view leave nothing.
/// Nothing on a render without [`HeadTags`] (a test's).
pub fn in_head(tags: impl RenderHtml) {
    if let Some(head) = use_context::<HeadTags>() {
        let html = tags.to_html();
        head.with(|t| crate::upstream::markers(&mut t.tags, &html));
    }
}

/// Gives the page's `<title>` (the last one given wins).
pub fn title(text: String) {
    if let Some(head) = use_context::<HeadTags>() {
        let html = view! { <title>{text}</title> }.to_html();
        head.with(|t| t.title = html);
    }
}

/// A `<meta property="…" content="…">` tag (Open Graph, article dates), for [`in_head`].
pub fn property(property: &'static str, content: impl Into<String>) -> impl IntoView {
    let content: String = content.into();
    leptos::html::meta().attr("property", property).attr("content", content)
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
) {
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
    self::title(full_title);
    in_head(view! {
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
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_holds_the_last_title_escaped_then_the_tags_in_order() {
        let owner = Owner::new_root(None);
        let html = owner.with(|| {
            let head = HeadTags::default();
            provide_context(head.clone());
            title("first".into());
            in_head(view! { <meta name="description" content="a \" b" /> });
            title("a & b </title><x>".into());
            in_head(view! { {None::<&str>}{property("og:title", "t")} });
            head.take()
        });
        assert_eq!(
            html,
            "<title>a &amp; b &lt;/title&gt;&lt;x&gt;</title><meta name=\"description\" content=\"a &quot; b\"><meta property=\"og:title\" content=\"t\">"
        );
    }
}
