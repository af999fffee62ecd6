//! The application root: the page an address shows, the document around it, and the
//! rendering of a page on the server. Everything here renders on the server only; the islands
//! inside the pages hydrate.

use crate::{
    components::{error_view::ResponseStatus, head::HeadTags, layout::Layout, IslandsOnPage},
    content::ContentStore,
    finish,
    i18n::Locale,
    pages::{
        donate::DonatePage, home::HomePage, not_found::NotFoundPage, resources::ResourcesPage, shelf::ShelfPage,
        stories::StoriesPage, story::StoryPage, thanks::ThanksPage,
    },
    paths::{locale_of_path, Page},
};
use futures::StreamExt;
use hydration_context::{SharedContext, SsrSharedContext};
use leptos::tachys::view::Position;
use leptos::{hydration::HydrationScripts, nonce::Nonce, prelude::*};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, OnceLock,
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

/// What an address shows: a page of the site in a language, or (`page` is `None`) the 404
/// page in the language of the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The page's language.
    pub locale: Locale,
    /// The page, if the path names one.
    pub page: Option<Page>,
}

impl Target {
    /// The page a path names, or the 404 page in the language of its first segment.
    pub fn of_path(path: &str) -> Self {
        match Page::parse(path) {
            Some((locale, page)) => Target {
                locale,
                page: Some(page),
            },
            None => Target {
                locale: locale_of_path(path),
                page: None,
            },
        }
    }
}

/// The address being rendered, as the server took it: its path, and its query without `?`.
/// The layout and the pages that read their query take it from here.
#[derive(Clone, Debug, Default)]
pub struct Here {
    /// The path.
    pub path: String,
    /// The query string, without its `?`.
    pub query: String,
}

/// The address being rendered.
pub fn use_here() -> Here {
    use_context::<Here>().unwrap_or_default()
}

/// A page rendered on the server: its HTTP status and its whole HTML.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// 200, or the status the page set (404, 400, 500).
    pub status: u16,
    /// The document.
    pub html: String,
}

/// The room a page's body starts with: the longest body rendered so far, up to
/// [`MAX_BODY_ROOM`].
static BODY_ROOM: AtomicUsize = AtomicUsize::new(16 * 1024);

/// The most room a body starts with; a longer one grows as it renders.
const MAX_BODY_ROOM: usize = 256 * 1024;

/// Renders the page `target` for the address `path`?`query`, from the current content: the
/// body in one synchronous pass (the pages read the content snapshot, nothing waits), then the
/// document around it with the head tags the page gave, and, when the page holds an island,
/// the islands script and the hydration data at the end of the body.
pub async fn render(
    options: &LeptosOptions,
    store: &ContentStore,
    target: Target,
    path: &str,
    query: &str,
) -> Rendered {
    let shared: Arc<dyn SharedContext + Send + Sync> = Arc::new(SsrSharedContext::new());
    let owner = Owner::new_root(Some(Arc::clone(&shared)));
    let (head, status, islands) = (HeadTags::default(), ResponseStatus::default(), IslandsOnPage::default());
    let locale = target.locale;
    let body = owner.with(|| {
        // Outside the islands nothing hydrates: no hydration markers.
        shared.set_is_hydrating(false);
        provide_context(store.clone());
        provide_context(options.clone());
        provide_context(Here {
            path: path.to_owned(),
            query: query.to_owned(),
        });
        provide_context(head.clone());
        provide_context(status.clone());
        provide_context(islands.clone());
        provide_context(locale);
        let view = view! { <Layout locale>{page_view(target.page)}</Layout> };
        // Room for a page as long as the longest rendered lately: the body is not copied over
        // and over as it grows.
        let mut body = String::with_capacity(BODY_ROOM.load(Ordering::Relaxed).max(view.html_len()));
        view.to_html_with_buf(&mut body, &mut Position::FirstChild, true, false, Vec::new());
        BODY_ROOM.fetch_max(body.len().min(MAX_BODY_ROOM), Ordering::Relaxed);
        body
    });
    let mut data = String::new();
    if islands.any() {
        if let Some(chunks) = shared.pending_data() {
            let mut chunks = std::pin::pin!(chunks);
            while let Some(chunk) = chunks.next().await {
                data.push_str("<script>");
                data.push_str(&chunk);
                data.push_str("</script>");
            }
        }
    }
    owner.unset_with_forced_cleanup();
    let (tags, title) = head.take();
    let title = title.unwrap_or_default();
    let (top, scripts) = (
        head_top(options),
        if islands.any() { islands_scripts(options) } else { "" },
    );
    let mut html = String::with_capacity(
        160 + top.len() + tags.len() + title.len() + body.len() + body.len() / 64 + scripts.len() + data.len(),
    );
    html.push_str("<!DOCTYPE html><html lang=\"");
    html.push_str(locale.code());
    html.push_str("\" dir=\"ltr\"><head>");
    html.push_str(top);
    finish::markers(&mut html, &tags);
    html.push_str(&title);
    html.push_str("</head><body>");
    finish::markers(&mut html, &body);
    html.push_str(scripts);
    html.push_str(&data);
    html.push_str("</body></html>");
    Rendered {
        status: status.get(),
        html,
    }
}

/// The view of a page, or of the 404 page.
fn page_view(page: Option<Page>) -> AnyView {
    match page {
        Some(Page::Home) => view! { <HomePage /> }.into_any(),
        Some(Page::Stories) => view! { <StoriesPage /> }.into_any(),
        Some(Page::Story(id)) => view! { <StoryPage id /> }.into_any(),
        Some(Page::Resources) => view! { <ResourcesPage /> }.into_any(),
        Some(Page::Shelf(shelf)) => view! { <ShelfPage shelf /> }.into_any(),
        Some(Page::Donate) => view! { <DonatePage /> }.into_any(),
        Some(Page::Thanks) => view! { <ThanksPage /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

/// The head tags every page starts with: character set, viewport, the development reload
/// script, the stylesheet, the speculation rules, the icon and the theme colour. They are the
/// same for every page of a build, so they are rendered once.
fn head_top(options: &LeptosOptions) -> &'static str {
    static TOP: OnceLock<String> = OnceLock::new();
    TOP.get_or_init(|| {
        let owner = Owner::new_root(None);
        let html = owner.with(|| {
            view! {
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <link rel="stylesheet" id="leptos" href=stylesheet_href(options) />
                <script type="speculationrules">{SPECULATION_RULES}</script>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <meta name="theme-color" content="#1f3a5f" />
            }
            .to_html()
        });
        owner.unset_with_forced_cleanup();
        let mut top = String::with_capacity(html.len());
        finish::markers(&mut top, &html);
        top
    })
}

/// The islands script: the preload links of the JS and the WASM and the loader that hydrates
/// the islands, as leptos writes it. It is the same for every page of a build, so it is
/// rendered once (leptos's component reads the hash file each time it renders). Without a
/// nonce: the page's policy allows the loader by its hash.
fn islands_scripts(options: &LeptosOptions) -> &'static str {
    static SCRIPTS: OnceLock<String> = OnceLock::new();
    SCRIPTS.get_or_init(|| {
        let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new())));
        let html = owner.with(|| {
            // An empty nonce makes the preload links `crossorigin=""`, as the loader fetches.
            provide_context(Nonce::from_value(""));
            view! { <HydrationScripts options=options.clone() islands=true /> }.to_html()
        });
        owner.unset_with_forced_cleanup();
        html.replace(" nonce=\"\"", "")
    })
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
