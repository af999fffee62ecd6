//! The frame of every page: skip link, header with navigation and language switch, footer.

use crate::{
    address::use_address,
    i18n::Locale,
    paths::{switch_path, Page},
};
use leptos::prelude::*;

/// Header, main landmark and footer around a page. (Typed children: `Children` makes the page
/// an `AnyView`, whose `into_any` rebuilds the whole page as an owned copy before it renders.)
#[component]
pub fn Layout<C: IntoView + 'static>(locale: Locale, children: TypedChildren<C>) -> impl IntoView {
    let children = children.into_inner();
    let t = locale.messages();
    view! {
        <a class="skip-link" href="#main">{t.skip_link}</a>
        <header class="site-header">
            <div class="wrap header-inner">
                <a class="brand" href=Page::Home.path(locale)>
                    <img src="/logo.svg" alt="" width="40" height="40" />
                    <span class="brand-name">{t.site_name}</span>
                </a>
                <Nav locale />
                <LanguageSwitch locale />
            </div>
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <p class="footer-name">{t.site_name}</p>
                <nav aria-label=t.footer_links_label>
                    <ul class="footer-links">
                        <li><a href=Page::Stories.path(locale)>{t.nav_stories}</a></li>
                        <li><a href=Page::Resources.path(locale)>{t.nav_resources}</a></li>
                        <li><a href=Page::Donate.path(locale)>{t.nav_donate}</a></li>
                        <li><a href=format!("/{}/feed.xml", locale.code()) rel="alternate" type="application/atom+xml">{t.footer_feed}</a></li>
                    </ul>
                </nav>
            </div>
        </footer>
    }
}

/// The main navigation; the current section is marked with `aria-current`.
#[component]
fn Nav(locale: Locale) -> impl IntoView {
    let t = locale.messages();
    let address = use_address();
    let here = address.path();
    let items = [
        (Page::Home, t.nav_home),
        (Page::Stories, t.nav_stories),
        (Page::Resources, t.nav_resources),
        (Page::Donate, t.nav_donate),
    ];
    view! {
        <nav class="main-nav" aria-label=t.nav_label>
            <ul>
                {items
                    .into_iter()
                    .map(|(page, label)| {
                        let href = page.path(locale);
                        let is_home = page == Page::Home;
                        let class = if page == Page::Donate { "nav-donate" } else { "" };
                        let current = if is_home {
                            here.trim_end_matches('/') == href.trim_end_matches('/')
                        } else {
                            here == href || here.strip_prefix(href.as_str()).is_some_and(|rest| rest.starts_with('/'))
                        }
                        .then_some("page");
                        view! {
                            <li>
                                <a href=href class=class aria-current=current>{label}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// A link to the same page in the other language, query kept.
#[component]
fn LanguageSwitch(locale: Locale) -> impl IntoView {
    let t = locale.messages();
    let other = locale.other();
    let address = use_address();
    let href = switch_path(address.path(), address.query().unwrap_or(""), other);
    view! {
        <a class="lang-switch" href=href hreflang=other.code() lang=other.code() aria-label=t.lang_switch_label rel="alternate">
            {t.lang_switch_text}
        </a>
    }
}
