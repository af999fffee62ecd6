//! The one place where the site works around what the framework writes or costs, each item
//! through public API and naming its upstream cause. The unit tests below and
//! `server/tests/upstream.rs` (which renders through leptos_axum itself) fail when a release
//! changes what a workaround relies on; the exact versions in the top `Cargo.toml` keep a
//! release from arriving unseen.
//!
//! - [`islands_scripts`]: leptos 0.8's `HydrationScripts` reads the hash file from disk each
//!   time it renders (leptos-rs/leptos#4763, fixed in 0.9 only), so it is rendered once. It
//!   writes its loader and router inline, 13 KB on every page with an island (no public setting
//!   gives them as a file): the one inline script it writes is taken out and served, after the
//!   site's own `navigation.js` (for what the islands router leaves out of a move between
//!   pages: focus, scroll, the addresses the browser must open itself), as one file named by
//!   its text ([`islands_file`]), which the page loads as a module. A unit test fails if
//!   `HydrationScripts` writes another number of inline scripts.
//! - [`Branch`]: the islands router patches a fetched page into the document node by node, and
//!   its walk loses its place at the first difference of structure outside its branch markers
//!   (its `diffRange`) or walks into an island that is its parent's last child; it also never
//!   removes an attribute. Each page's head tags and body are written as one such branch, which
//!   the router replaces whole (`navigation.js` marks the branches on the page stale as a move
//!   starts).
//! - [`Branch::body`]: leptos_axum renders a page through the renderer's in-order stream
//!   (`to_html_stream_in_order`, `…_branching` with the islands router, in every mode), which
//!   took 1.6 times as long as the synchronous `to_html` of the same view (53 against 34 µs for
//!   the home page, release build).
//!   The pages wait for nothing, so their body is rendered synchronously and handed to
//!   leptos_axum as an inert element. The placeholders `<!>` the renderer writes for absent
//!   pieces of a view (not valid HTML; no public setting turns them off) are handled there
//!   (see [`markers`]).
//! - [`document`]: leptos_axum's own stream builders render the document through the in-order
//!   stream (above), and `leptos_integration_utils` appends the hydration data scripts after
//!   `</html>` on every page, islands or not, with the render's random nonce (its
//!   `build_response`; no public switch), which would put JavaScript on every page and make
//!   each render of a page other bytes. The site's builder, given to leptos_axum's public
//!   `handle_response_inner`, renders the document with `to_html`, and on a page with an
//!   island only puts the data scripts at the end of the body without their nonce (the policy
//!   allows them by hash, see [`DataScripts`]); elsewhere nothing reads them and they are left
//!   out. `server/tests/upstream.rs` checks it against what leptos_axum's builder writes.
//!   Through leptos_axum's builder and a pass over the page after it, a page cost about 10 %
//!   more server CPU (8-14 % for home and a story, 5-10 % for the library and a search,
//!   release build, side by side).
//!
//! In the browser, one more: `components::on_page` (the library drops its shelves once its page
//! is left), because leptos 0.8 never disposes of a hydrated island (its `#[island]` forgets the
//! island's view) and the islands router replaces islands without a word;
//! `navigation.spec.ts` checks that the shelves of a library left behind are collected.

use crate::{
    app::stylesheet_href,
    components::{IslandsOnPage, MOVED_EVENT},
    paths::LEFT_TO_BROWSER,
};
use leptos::{
    hydration::HydrationScripts,
    nonce::Nonce,
    prelude::*,
    tachys::{html::InertElement, view::RenderHtml},
};
use memchr::memmem;
use std::sync::OnceLock;

/// HTML rendered once and written into every page as it is, with the texts of the inline
/// scripts it holds (their hashes go into the pages' policy).
#[derive(Debug)]
pub struct Prerendered {
    /// The HTML.
    pub html: &'static str,
    /// The text of each inline script in it.
    pub scripts: Vec<&'static str>,
}

impl Prerendered {
    fn new(html: String) -> Self {
        let html: &'static str = Box::leak(html.into_boxed_str());
        let scripts = inline_scripts(html).collect();
        Prerendered { html, scripts }
    }
}

/// A script element of a piece of HTML the site rendered itself.
struct ScriptElement<'a> {
    /// Where the element lies in the HTML, from `<script` to the end of `</script>`.
    span: std::ops::Range<usize>,
    /// Its opening tag, without the closing `>`.
    tag: &'a str,
    /// Its text.
    text: &'a str,
}

/// The script elements of `html`, in order.
fn script_elements(html: &str) -> impl Iterator<Item = ScriptElement<'_>> {
    memmem::find_iter(html.as_bytes(), b"<script").filter_map(move |start| {
        let rest = &html[start..];
        let tag = &rest[..rest.find('>')?];
        let body = &rest[tag.len() + 1..];
        let text = &body[..memmem::find(body.as_bytes(), b"</script>")?];
        let end = start + tag.len() + 1 + text.len() + "</script>".len();
        Some(ScriptElement {
            span: start..end,
            tag,
            text,
        })
    })
}

/// The texts of the inline scripts of `html`, a piece the site rendered itself.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    script_elements(html)
        .filter(|s| !s.tag.contains(" src="))
        .map(|s| s.text)
}

/// The head tags every page starts with: character set, viewport, the development reload
/// script, the stylesheet, the icon and the theme colour. They are the same for every page of
/// a build, so they are rendered once.
pub fn head_top(options: &LeptosOptions) -> &'static Prerendered {
    static TOP: OnceLock<Prerendered> = OnceLock::new();
    TOP.get_or_init(|| {
        let html = render_alone(|| {
            view! {
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <link rel="stylesheet" id="leptos" href=stylesheet_href(options) />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <meta name="theme-color" content="#1f3a5f" />
            }
            .to_html()
        });
        let mut top = String::with_capacity(html.len());
        markers(&mut top, &html);
        Prerendered::new(top)
    })
}

/// What ends the body of a page: with an island, the islands script and the router; without
/// one, the speculation rules.
pub fn end_of_body(options: &LeptosOptions, islands: bool) -> &'static Prerendered {
    if islands {
        islands_scripts(options)
    } else {
        speculation_rules()
    }
}

/// The islands script: the preload links of the JS and the WASM, and the loader that hydrates
/// the islands with Leptos's islands router, as `HydrationScripts` writes them, rendered once
/// (leptos-rs/leptos#4763: in 0.8 the component reads the hash file on every render); the
/// loader's text, after `navigation.js`, is served as one file, [`islands_file`], and the page
/// loads it by address. `HydrationScripts` writes the loader inline (no public setting gives it
/// as a file): 17 KB, the same bytes on every page with an island, which each page, each move
/// between pages and each kept page's answer would carry again; as a file it is fetched once
/// and kept for a year. The page holds no inline script of its own there (its policy allows
/// the file by `'self'`). Its nonce is empty, which makes the preload links `crossorigin=""`,
/// as the loader's module import fetches them.
pub fn islands_scripts(options: &LeptosOptions) -> &'static Prerendered {
    &islands(options).0
}

/// The file the islands script loads ([`islands_scripts`]): its address, named by its text,
/// and its text, a module: `navigation.js`, then the loader and router `HydrationScripts`
/// writes.
pub fn islands_file(options: &LeptosOptions) -> &'static ScriptFile {
    &islands(options).1
}

/// A script served as a file.
#[derive(Debug)]
pub struct ScriptFile {
    /// Its address on the site, which changes with its text.
    pub path: String,
    /// Its text.
    pub text: &'static str,
}

/// The address of the islands script's file: under `/js/`, named by the hash of its text.
pub const ISLANDS_FILE_PREFIX: &str = "/js/islands.";

fn islands(options: &LeptosOptions) -> &'static (Prerendered, ScriptFile) {
    static SCRIPTS: OnceLock<(Prerendered, ScriptFile)> = OnceLock::new();
    SCRIPTS.get_or_init(|| {
        let html = render_alone(|| {
            provide_context(Nonce::from_value(""));
            view! { <HydrationScripts options=options.clone() islands=true islands_router=true /> }.to_html()
        });
        // An empty nonce is still written as an attribute of the loader's script; the page
        // carries no nonce (it is the same for every visitor). A test checks it is written so.
        let html = html.replacen(EMPTY_NONCE, "", 1);
        let (before, loader, after) = split_loader(&html);
        let text: &'static str = Box::leak(format!("{}\n{loader}", navigation_script()).into_boxed_str());
        let path = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::hash::DefaultHasher::new();
            text.hash(&mut hasher);
            format!("{ISLANDS_FILE_PREFIX}{:016x}.js", hasher.finish())
        };
        let page = format!("{before}<script type=\"module\" src=\"{path}\"></script>{after}");
        (Prerendered::new(page), ScriptFile { path, text })
    })
}

/// What `HydrationScripts` wrote around its one inline script, the loader (a module), and the
/// loader's text; all of `html` and no text if it wrote no such script. A test checks it writes
/// exactly one, a module.
fn split_loader(html: &str) -> (&str, &str, &str) {
    let loader = script_elements(html).find(|s| s.tag == "<script type=\"module\"");
    match loader {
        Some(s) => (&html[..s.span.start], s.text, &html[s.span.end..]),
        None => (html, "", ""),
    }
}

/// `navigation.js` without its comments, called with the addresses left to the browser and the
/// name of the event that ends a move.
fn navigation_script() -> String {
    let code: Vec<&str> = include_str!("navigation.js")
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect();
    let left = serde_json::to_string(LEFT_TO_BROWSER).unwrap_or_else(|_| "[]".into());
    let moved = serde_json::to_string(MOVED_EVENT).unwrap_or_else(|_| "\"\"".into());
    format!("{}({left}, {moved});", code.join("\n").trim_end())
}

/// The speculation rules of a page without an island, where the islands router does not run:
/// the browser prerenders a link while the visitor rests the pointer on it or presses it,
/// never one of the addresses left to the browser. Where the router runs it fetches the next
/// page itself, and a prerender would be a second request for it.
fn speculation_rules() -> &'static Prerendered {
    static RULES: OnceLock<Prerendered> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut and = vec![serde_json::json!({ "href_matches": "/*" })];
        and.extend(
            LEFT_TO_BROWSER
                .iter()
                .map(|p| serde_json::json!({ "not": { "href_matches": p } })),
        );
        and.push(serde_json::json!({ "not": { "selector_matches": "[download]" } }));
        let rules = serde_json::json!({ "prerender": [{ "where": { "and": and }, "eagerness": "moderate" }] });
        Prerendered::new(format!("<script type=\"speculationrules\">{rules}</script>"))
    })
}

/// The branch of the islands router's patching (its `islands_routing.js`) that holds a part of
/// a page: the comments `<!--bo-PART-KEY-->` and `<!--bc-PART-KEY-->` around it, `KEY` standing
/// for the page's address. Where the old and the new page's opening comments differ, the
/// router replaces what lies between them whole (`replaceBranch`); elsewhere it pairs the nodes
/// of the two pages in order, swaps in the first that differs in kind or tag and loses its
/// place, and never removes an attribute. `navigation.js` marks the page's branches stale as a
/// move starts, so that they always differ (an island may have changed the address). Nothing
/// else on a page writes such a comment: the body is rendered without the renderer's own
/// branch markers (`to_html`), and the text of a page holds no comment.
/// `server/tests/upstream.rs` checks the router still reads these comments so.
#[derive(Clone, Debug)]
pub struct Branch(String);

impl Branch {
    /// The branch of the page at `address` (path and query).
    pub fn of(address: &str) -> Self {
        use std::hash::{Hash, Hasher};
        // The same for every render of one build, so a page is the same bytes each time.
        let mut hasher = std::hash::DefaultHasher::new();
        address.hash(&mut hasher);
        Branch(format!("{:016x}", hasher.finish()))
    }

    /// The head's content: `top` (the tags every page starts with), then the page's own
    /// `tags` as one branch. One element: a development build wraps each element of a view in
    /// branch markers of its own, which must not come between these.
    pub fn head(&self, top: &str, tags: &str) -> InertElement {
        InertElement::new(format!("{top}<!--bo-head-{k}-->{tags}<!--bc-head-{k}-->", k = self.0))
    }

    /// The body's content: `view` rendered synchronously now, with its placeholders handled
    /// (see [`markers`]), as one branch, then what `end` gives once it has rendered (it knows
    /// then whether an island did). One element, which leptos_axum writes as it is.
    pub fn body(&self, view: impl RenderHtml, end: impl FnOnce() -> &'static str) -> InertElement {
        let raw = view.to_html();
        let end = end();
        // Room for the placeholders an island's content writes as longer comments: the page
        // is not copied again as it grows.
        let mut html = String::with_capacity(raw.len() + raw.len() / 16 + end.len() + 64);
        html.push_str("<!--bo-body-");
        html.push_str(&self.0);
        html.push_str("-->");
        markers(&mut html, &raw);
        html.push_str("<!--bc-body-");
        html.push_str(&self.0);
        html.push_str("-->");
        html.push_str(end);
        InertElement::new(html)
    }
}

/// The attribute `HydrationScripts` writes on its script for an empty nonce.
const EMPTY_NONCE: &str = " nonce=\"\"";

/// The HTML `render` writes, rendered under an owner of its own. The owner of the render
/// under way, if any, is the current one again after (`Owner::new_root` makes the new owner
/// current, and its cleanup leaves none).
fn render_alone(render: impl FnOnce() -> String) -> String {
    let outer = Owner::current();
    let owner = Owner::new_root(None);
    let html = owner.with(render);
    owner.unset_with_forced_cleanup();
    if let Some(outer) = outer {
        outer.set();
    }
    html
}

/// A stream of HTML as leptos_axum's stream builders take and give it.
pub type HtmlStream = std::pin::Pin<Box<dyn futures::Stream<Item = String> + Send>>;

/// The texts of the hydration data scripts [`document`] put into a page, in order, for its
/// policy. Provided to the render by whoever reads them.
#[derive(Clone, Debug, Default)]
pub struct DataScripts(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl DataScripts {
    /// The texts put into the page, taken.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn set(&self, texts: Vec<String>) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = texts;
    }
}

/// The stream builder of the site's documents, for `leptos_axum::handle_response_inner`: the
/// document rendered synchronously (`to_html`; its head and body are inert elements, see
/// [`Branch`]) rather than through the renderer's in-order stream; on a page with an island,
/// the hydration `data` scripts at the end of its body (see [`with_data`]), their texts given
/// to the render's [`DataScripts`]; on a page without one, no data.
pub fn document<V: IntoView + 'static>(
    document: V,
    data: Box<dyn FnOnce() -> HtmlStream + Send>,
    _out_of_order: bool,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = HtmlStream> + Send>> {
    use futures::StreamExt;
    let html = document.to_html();
    if !use_context::<IslandsOnPage>().is_some_and(|page| page.any()) {
        return Box::pin(std::future::ready(
            Box::pin(futures::stream::once(std::future::ready(html))) as HtmlStream,
        ));
    }
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string()).unwrap_or_default();
    let scripts = use_context::<DataScripts>();
    let data = data();
    Box::pin(async move {
        let data: Vec<String> = data.collect().await;
        let (parts, texts) = with_data(html, &data, &nonce);
        if let Some(scripts) = scripts {
            scripts.set(texts);
        }
        // Two pieces, which leptos_axum joins into one as it takes them (its `from_app`):
        // the document is not copied here.
        Box::pin(futures::stream::iter(parts)) as HtmlStream
    })
}

/// `html`, a document, with the hydration `data` scripts leptos_axum wrote for it (each
/// `<script nonce="NONCE">…</script>`, the render's `nonce`) at the end of its body, without
/// their nonce: the document up to `</body>`, then the scripts and the rest; and the scripts'
/// texts. A piece of data in another form is not the render's and is left out. (A development
/// build, whose components are erased into views of any type, may write placeholders between
/// `</body>` and `</html>`: they stay after the scripts.)
fn with_data(mut html: String, data: &[String], nonce: &str) -> ([String; 2], Vec<String>) {
    let open = format!("<script nonce=\"{nonce}\">");
    let texts: Vec<&str> = data
        .iter()
        .filter_map(|chunk| chunk.strip_prefix(&open)?.strip_suffix("</script>"))
        .collect();
    let end = memmem::rfind(html.as_bytes(), b"</body>").unwrap_or(html.len());
    let tail = &html[end..];
    let mut rest = String::with_capacity(texts.iter().map(|t| t.len() + 17).sum::<usize>() + tail.len());
    for text in &texts {
        rest.push_str("<script>");
        rest.push_str(text);
        rest.push_str("</script>");
    }
    rest.push_str(tail);
    html.truncate(end);
    let texts = texts.into_iter().map(str::to_owned).collect();
    ([html, rest], texts)
}

/// `text` onto `out`, with every `from` written as `to`.
fn push_replacing(out: &mut String, text: &str, from: &str, to: &str) {
    let mut last = 0;
    for at in memmem::find_iter(text.as_bytes(), from.as_bytes()) {
        out.push_str(&text[last..at]);
        out.push_str(to);
        last = at + from.len();
    }
    out.push_str(&text[last..]);
}

/// `html` onto `out`, with the framework's empty placeholders (`<!>`, written for every absent
/// piece of a view for the browser to hydrate against) dropped outside its islands, where
/// nothing hydrates, and written as proper empty comments (`<!---->`) inside them (nested
/// islands included). The browser parses both as the same empty comment node, so hydration
/// finds what it expects, and the page is valid HTML. Visitor and editor text cannot hold one:
/// it is escaped, or sanitized Markdown without comments.
pub fn markers(out: &mut String, html: &str) {
    const OPEN: &[u8] = b"<leptos-island";
    const CLOSE: &[u8] = b"</leptos-island>";
    let bytes = html.as_bytes();
    let (mut rest, mut at) = (0, 0);
    while let Some(start) = memmem::find(&bytes[at..], OPEN).map(|i| at + i) {
        push_replacing(out, &html[rest..start], "<!>", "");
        // The island ends where its own closing tag is: count the islands inside it.
        let (mut depth, mut cursor, mut end) = (1usize, start + OPEN.len(), bytes.len());
        while depth > 0 {
            let next_open = memmem::find(&bytes[cursor..], OPEN).map(|i| cursor + i);
            let Some(next_close) = memmem::find(&bytes[cursor..], CLOSE).map(|i| cursor + i) else {
                break;
            };
            match next_open {
                Some(open) if open < next_close => {
                    depth += 1;
                    cursor = open + OPEN.len();
                }
                _ => {
                    depth -= 1;
                    cursor = next_close + CLOSE.len();
                    end = cursor;
                }
            }
        }
        push_replacing(out, &html[start..end], "<!>", "<!---->");
        (rest, at) = (end, end);
    }
    push_replacing(out, &html[rest..], "<!>", "");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_stay_inside_islands_only_as_comments() {
        let html = "<main><!><p>a</p><!><leptos-island data-component=\"X\"><b>1</b><!></leptos-island><!></main>";
        let mut out = String::new();
        markers(&mut out, html);
        assert_eq!(
            out,
            "<main><p>a</p><leptos-island data-component=\"X\"><b>1</b><!----></leptos-island></main>"
        );
    }

    #[test]
    fn a_nested_island_ends_at_its_own_closing_tag() {
        let html = "<leptos-island><!><leptos-island><!></leptos-island><!></leptos-island><!><p></p>";
        let mut out = String::new();
        markers(&mut out, html);
        assert_eq!(
            out,
            "<leptos-island><!----><leptos-island><!----></leptos-island><!----></leptos-island><p></p>"
        );
    }

    #[test]
    fn the_renders_data_goes_to_the_end_of_the_body_without_its_nonce() {
        let html = "<!DOCTYPE html><html><head><script>x()</script></head><body><p>a</p></body></html>";
        let data = [
            "<script nonce=\"R1\">__RESOLVED_RESOURCES=[];</script>".to_owned(),
            "<script nonce=\"R1\">__INCOMPLETE_CHUNKS=[];</script>".to_owned(),
        ];
        let (parts, texts) = with_data(html.to_owned(), &data, "R1");
        assert_eq!(
            parts,
            [
                "<!DOCTYPE html><html><head><script>x()</script></head><body><p>a</p>",
                "<script>__RESOLVED_RESOURCES=[];</script><script>__INCOMPLETE_CHUNKS=[];</script></body></html>"
            ]
        );
        assert_eq!(texts, ["__RESOLVED_RESOURCES=[];", "__INCOMPLETE_CHUNKS=[];"]);
        let (parts, texts) = with_data(html.to_owned(), &data, "R2");
        assert_eq!(
            parts.concat(),
            html,
            "a script without the render's nonce is not the render's"
        );
        assert!(texts.is_empty());
        // As a development build may write it: placeholders between the end tags.
        let dev = "<html><body><p>a</p><!></body><!></html>";
        let (parts, _) = with_data(dev.to_owned(), &data[1..], "R1");
        assert_eq!(
            parts.concat(),
            "<html><body><p>a</p><!><script>__INCOMPLETE_CHUNKS=[];</script></body><!></html>"
        );
    }

    #[test]
    fn a_page_is_its_own_branch_by_address() {
        let (a, b) = (Branch::of("/es/"), Branch::of("/es/?page=2"));
        let html = |b: &Branch| {
            format!(
                "{}{}",
                b.head("<meta>", "<title>t</title>").to_html(),
                b.body(view! { <p>{None::<&str>}"x"</p> }, || "<script>end</script>")
                    .to_html()
            )
        };
        assert_eq!(html(&a), html(&Branch::of("/es/")), "the same address, the same bytes");
        assert_ne!(html(&a), html(&b));
        let page = html(&a);
        let key = page
            .split("<!--bo-head-")
            .nth(1)
            .and_then(|rest| rest.split("-->").next())
            .unwrap_or_default();
        assert_eq!(
            page,
            format!("<meta><!--bo-head-{key}--><title>t</title><!--bc-head-{key}--><!--bo-body-{key}--><p>x</p><!--bc-body-{key}--><script>end</script>")
        );
    }

    #[test]
    fn the_navigation_script_is_one_call_with_the_addresses_left_to_the_browser_and_the_end_of_a_move() {
        let code = navigation_script();
        assert!(!code.contains("\n//"), "comments are left out");
        assert!(
            code.ends_with(
                r#"(["/donate/checkout*","/api/*","/documents/*","/img/*","/admin*","/*.*"], "aipr:moved");"#
            ),
            "{code}"
        );
        assert!(!code.contains("</script"), "{code}");
    }

    #[test]
    fn the_islands_script_is_rendered_once_without_a_nonce() {
        let options = LeptosOptions::builder().output_name("aipr").build();
        let raw = render_alone(|| {
            provide_context(Nonce::from_value(""));
            view! { <HydrationScripts options=options.clone() islands=true islands_router=true /> }.to_html()
        });
        assert_eq!(
            raw.matches(EMPTY_NONCE).count(),
            1,
            "HydrationScripts writes its empty nonce once: {raw}"
        );
        assert_eq!(raw.matches("crossorigin=\"\"").count(), 2, "{raw}");
        assert_eq!(
            inline_scripts(&raw).count(),
            1,
            "HydrationScripts writes one inline script, the loader: {raw}"
        );
        let without_nonce = raw.replacen(EMPTY_NONCE, "", 1);
        let (_, loader, _) = split_loader(&without_nonce);
        assert!(
            loader.contains("hydrateIslands"),
            "the loader is a module script: {raw}"
        );
        let scripts = islands_scripts(&options);
        assert!(!scripts.html.contains("nonce"), "{}", scripts.html);
        assert_eq!(scripts.scripts.len(), 0, "no inline script: {}", scripts.html);
        assert!(scripts.html.contains("/pkg/aipr.js"), "{}", scripts.html);
        let file = islands_file(&options);
        assert!(
            scripts
                .html
                .contains(&format!("<script type=\"module\" src=\"{}\"></script>", file.path)),
            "{}",
            scripts.html
        );
        assert!(file.path.starts_with(ISLANDS_FILE_PREFIX) && file.path.ends_with(".js"));
        assert!(file.text.starts_with(&navigation_script()), "navigation.js first");
        assert!(file.text.ends_with(loader), "then the loader, whole");
    }

    #[test]
    fn rendering_alone_leaves_the_current_owner_as_it_was() {
        let outer = Owner::new_root(None);
        outer.with(|| {
            provide_context(7u8);
            let _ = render_alone(String::new);
            assert_eq!(use_context::<u8>(), Some(7));
        });
    }
}
