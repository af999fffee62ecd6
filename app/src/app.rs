//! The application root: the document shell, the router and the table of localized routes.
//! Everything here renders on the server only; the islands inside the pages hydrate.

use crate::{
    components::{layout::Layout, IslandsOnPage},
    i18n::Locale,
    pages::{
        donate::DonatePage, home::HomePage, not_found::NotFoundPage, resources::ResourcesPage, shelf::ShelfPage,
        stories::StoriesPage, story::StoryPage, thanks::ThanksPage,
    },
    paths::locale_of_path,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, Link, Meta, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::{use_location, use_query_map},
    path,
};

/// Links on the page are prerendered while the visitor rests the pointer on them or presses
/// them, so the next page is usually ready before the click ends. Never the donation hand-off,
/// a feed, the API or a file to download.
pub const SPECULATION_RULES: &str = r#"{"prerender":[{"where":{"and":[{"href_matches":"/*"},{"not":{"href_matches":"/donate/checkout*"}},{"not":{"href_matches":"/*/feed.xml"}},{"not":{"href_matches":"/api/*"}},{"not":{"href_matches":"/documents/*"}},{"not":{"selector_matches":"[download]"}}]},"eagerness":"moderate"}]}"#;

/// The hash file cargo-leptos writes next to the server binary, naming its hashed assets.
pub fn hash_file(options: &LeptosOptions) -> std::path::PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
        .unwrap_or_else(|| options.hash_file.as_ref().into())
}

/// The hash of the asset of `kind` (`js`, `wasm`, `css`) in a hash file's text.
pub fn asset_hash<'a>(hashes: &'a str, kind: &str) -> Option<&'a str> {
    hashes
        .lines()
        .find_map(|line| line.trim().strip_prefix(kind)?.strip_prefix(':').map(str::trim))
}

/// The stylesheet's address, worked out once: in a release build its name carries the hash
/// cargo-leptos gave it, read from its hash file. The pages and the editor's previews link it.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hashes = options
            .hash_files
            .then(|| std::fs::read_to_string(hash_file(options)).ok())
            .flatten()
            .unwrap_or_default();
        let hash = asset_hash(&hashes, "css").map(|h| format!(".{h}")).unwrap_or_default();
        format!("/{}/{}{hash}.css", options.site_pkg_dir, options.output_name)
    })
    .clone()
}

/// The HTML document around the app. Only a page that holds an island loads the islands
/// script (and with it the WASM); the rest of the page carries no hydration markers.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let islands = IslandsOnPage::default();
    provide_context(islands.clone());
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <link rel="stylesheet" id="leptos" href=stylesheet_href(&options) />
                <script type="speculationrules">{SPECULATION_RULES}</script>
                <MetaTags />
            </head>
            <body>
                <App />
                {move || islands.any().then(|| view! { <HydrationScripts options=options.clone() islands=true /> })}
            </body>
        </html>
    }
}

/// The app: head tags shared by every page, and the routes in both languages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="theme-color" content="#1f3a5f" />
        <SiteRoutes />
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

#[cfg(test)]
mod tests {
    use super::asset_hash;

    #[test]
    fn asset_hashes_are_read_by_kind() {
        let hashes = "js: abc\nwasm: def\ncss:ghi\nsplit: jkl\n";
        assert_eq!(asset_hash(hashes, "js"), Some("abc"));
        assert_eq!(asset_hash(hashes, "css"), Some("ghi"));
        assert_eq!(asset_hash(hashes, "manifest"), None);
        assert_eq!(asset_hash("jsx: no", "js"), None);
    }
}
