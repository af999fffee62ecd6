//! The application root: the document every page is rendered in, and the page of an address. leptos_axum
//! renders it on the server for each request (`server/src/render.rs`); the islands inside the
//! pages hydrate in the browser.

use crate::{
    address::use_address,
    components::{head::HeadTags, layout::Layout, IslandsOnPage},
    pages::{
        donate::DonatePage, home::HomePage, not_found::NotFoundPage, resources::ResourcesPage, shelf::ShelfPage,
        stories::StoriesPage, story::StoryPage, thanks::ThanksPage,
    },
    paths::{locale_of_path, Page},
    upstream,
};
use leptos::{either::EitherOf8, prelude::*};

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

/// The document of the page the request names: `<html lang>` of the path's language, the head
/// tags every page starts with, the layout around the page of the address, and what ends the
/// body: the islands script and the router when the page holds an island, the speculation rules
/// when it holds none. The body is rendered first: the pages' own head tags (title,
/// description, links), which their components give as they are put together
/// (`components::head`), follow the tags every page starts with. The head's tags and the body
/// are each one branch of the islands router (see `upstream::Branch`).
pub fn shell(options: &LeptosOptions) -> impl IntoView {
    let address = use_address();
    let locale = locale_of_path(address.path());
    provide_context(locale);
    let tags = HeadTags::default();
    provide_context(tags.clone());
    let islands = use_context::<IslandsOnPage>().unwrap_or_default();
    let branch = upstream::Branch::of(address.path_and_query().map_or("/", |a| a.as_str()));
    // The page the address names. Not through leptos_router's `<Router>` and `<FlatRoutes>`:
    // with them, a page took 116 µs of server CPU against 79 µs without (`/es/`, seed content,
    // release build), for a match `Page::parse` already makes, and the routes would be a second
    // table of the site's paths beside `paths.rs`.
    // Outside the islands nothing hydrates: the page is rendered without hydration data.
    // Every island on the page says so as it renders: what ends the body is chosen after.
    let ends = [false, true].map(|islands| upstream::end_of_body(options, islands).html);
    let body = Owner::with_no_hydration({
        let branch = branch.clone();
        move || {
            branch.body(view! { <Layout locale><PageOfAddress /></Layout> }, || {
                ends[usize::from(islands.any())]
            })
        }
    });
    let head = branch.head(upstream::head_top(options).html, &tags.take());
    view! {
        <!DOCTYPE html>
        <html lang=locale.code() dir="ltr">
            <head>{head}</head>
            <body>{body}</body>
        </html>
    }
}

/// The page the address names, or the 404 page in the language of the path.
#[component]
fn PageOfAddress() -> impl IntoView {
    // An `EitherOf8`, not an `AnyView`: `into_any` rebuilds the whole page as an owned copy
    // before it renders (4 of 112 µs of server CPU for `/es/`).
    match Page::parse(use_address().path()) {
        Some((_, Page::Home)) => EitherOf8::A(view! { <HomePage /> }),
        Some((_, Page::Stories)) => EitherOf8::B(view! { <StoriesPage /> }),
        Some((_, Page::Story(id))) => EitherOf8::C(view! { <StoryPage id /> }),
        Some((_, Page::Resources)) => EitherOf8::D(view! { <ResourcesPage /> }),
        Some((_, Page::Shelf(shelf))) => EitherOf8::E(view! { <ShelfPage shelf /> }),
        Some((_, Page::Donate)) => EitherOf8::F(view! { <DonatePage /> }),
        Some((_, Page::Thanks)) => EitherOf8::G(view! { <ThanksPage /> }),
        None => EitherOf8::H(view! { <NotFoundPage /> }),
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
        assert_eq!(asset_hash("jsx: no", "js"), None);
        assert_eq!(asset_hash(hashes, "manifest"), None);
    }
}
