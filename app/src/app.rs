//! The application root: the document shell, the router and the table of localized routes.

use crate::{
    components::layout::Layout,
    functions::site::{get_site_meta, SiteBase},
    i18n::Locale,
    pages::{
        donate::DonatePage, home::HomePage, not_found::NotFoundPage, resources::ResourcesPage, shelf::ShelfPage,
        stories::StoriesPage, story::StoryPage, thanks::ThanksPage,
    },
    paths::locale_of_path,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, Link, Meta, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::{use_location, use_query_map},
    path,
};

/// The HTML document around the app, rendered by the server only. It also sets the
/// Content-Security-Policy of the page, with the nonce that the scripts of this response carry.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::functions::security::set_page_csp(&options);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app: head tags shared by every page, and the routes in both languages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let base = RwSignal::new(String::new());
    provide_context(SiteBase(base));
    let site = Resource::new(|| (), |_| get_site_meta());
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="theme-color" content="#1f3a5f" />
        <Suspense>
            {move || Suspend::new(async move {
                if let Ok(meta) = site.await {
                    base.set(meta.base_url);
                }
                view! { <SiteRoutes /> }
            })}
        </Suspense>
    }
}

/// The routes of both languages.
#[component]
fn SiteRoutes() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/es") view=|| view! { <Es page=|| view! { <HomePage /> }.into_any() /> } />
                <Route path=path!("/en") view=|| view! { <En page=|| view! { <HomePage /> }.into_any() /> } />
                <Route path=path!("/es/historias") view=|| view! { <Es page=|| view! { <StoriesPage /> }.into_any() /> } />
                <Route path=path!("/en/stories") view=|| view! { <En page=|| view! { <StoriesPage /> }.into_any() /> } />
                <Route path=path!("/es/historias/:id") view=|| view! { <Es page=|| view! { <StoryPage /> }.into_any() /> } />
                <Route path=path!("/en/stories/:id") view=|| view! { <En page=|| view! { <StoryPage /> }.into_any() /> } />
                <Route path=path!("/es/recursos") view=|| view! { <Es page=|| view! { <ResourcesPage /> }.into_any() /> } />
                <Route path=path!("/en/resources") view=|| view! { <En page=|| view! { <ResourcesPage /> }.into_any() /> } />
                <Route path=path!("/es/recursos/:shelf") view=|| view! { <Es page=|| view! { <ShelfPage /> }.into_any() /> } />
                <Route path=path!("/en/resources/:shelf") view=|| view! { <En page=|| view! { <ShelfPage /> }.into_any() /> } />
                <Route path=path!("/es/donar") view=|| view! { <Es page=|| view! { <DonatePage /> }.into_any() /> } />
                <Route path=path!("/en/donate") view=|| view! { <En page=|| view! { <DonatePage /> }.into_any() /> } />
                <Route path=path!("/donate/checkout") view=Checkout />
                <Route path=path!("/es/donar/gracias") view=|| view! { <Es page=|| view! { <ThanksPage /> }.into_any() /> } />
                <Route path=path!("/en/donate/thank-you") view=|| view! { <En page=|| view! { <ThanksPage /> }.into_any() /> } />
            </Routes>
        </Router>
    }
}

/// A page in Spanish.
#[component]
fn Es(page: fn() -> AnyView) -> impl IntoView {
    view! { <InLocale locale=Locale::Es page /> }
}

/// A page in English.
#[component]
fn En(page: fn() -> AnyView) -> impl IntoView {
    view! { <InLocale locale=Locale::En page /> }
}

/// Any path the site does not have: the 404 page, in the language of the path's first segment.
#[component]
fn Fallback() -> impl IntoView {
    let locale = locale_of_path(&use_location().pathname.get_untracked());
    view! { <InLocale locale page=|| view! { <NotFoundPage /> }.into_any() /> }
}

/// `/donate/checkout` when the server refuses a donation: the donate form again, with its
/// messages, in the language the form was sent in.
#[component]
fn Checkout() -> impl IntoView {
    let locale = use_query_map()
        .with_untracked(|q| q.get_str("locale").and_then(Locale::from_code))
        .unwrap_or_default();
    view! { <InLocale locale page=|| view! { <DonatePage /> }.into_any() /> }
}

/// Provides the page's language to everything below it, sets `<html lang>`, and wraps the page
/// in the layout.
#[component]
fn InLocale(locale: Locale, page: fn() -> AnyView) -> impl IntoView {
    provide_context(locale);
    view! {
        <Html attr:lang=locale.code() attr:dir="ltr" />
        <Layout locale>{page()}</Layout>
    }
}

/// The language of the page being rendered.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}
