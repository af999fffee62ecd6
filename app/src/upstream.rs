//! The one place where the site works around what the framework writes or costs, each item
//! through public API and naming its upstream cause. The unit tests below and
//! `server/tests/upstream.rs` (which renders through leptos_axum itself) fail when a release
//! changes what a workaround relies on; the exact versions in the top `Cargo.toml` keep a
//! release from arriving unseen.
//!
//! - [`islands_scripts`]: leptos 0.8's `HydrationScripts` reads the hash file from disk each
//!   time it renders (leptos-rs/leptos#4763, fixed in 0.9 only), so it is rendered once.
//! - [`finish`]: the placeholders `<!>` the renderer writes for absent pieces of a view
//!   (not valid HTML; no public setting turns them off), and the hydration data scripts
//!   `leptos_integration_utils` appends after `</html>` on every page, islands or not (its
//!   `build_response`; no public switch), which would put JavaScript on every page.
//! - [`rendered_now`]: leptos_axum renders a page through the renderer's in-order stream
//!   (`to_html_stream_in_order`, in every mode), which took 1.6 times as long as the
//!   synchronous `to_html` of the same view (53 against 34 µs for the home page, release build).
//!   The pages wait for nothing, so their body is rendered synchronously and handed to
//!   leptos_axum as an inert element.
//! - [`escape_title`]: leptos_meta writes the title's text into `<title>` unescaped
//!   (`ServerMetaContextOutput::inject_meta_context`).

use crate::{app::stylesheet_href, app::SPECULATION_RULES};
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

/// The texts of the inline scripts of `html`, a piece the site rendered itself.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    memmem::find_iter(html.as_bytes(), b"<script").filter_map(move |start| {
        let rest = &html[start..];
        let tag = &rest[..rest.find('>')?];
        let body = &rest[tag.len() + 1..];
        let text = &body[..memmem::find(body.as_bytes(), b"</script>")?];
        (!tag.contains(" src=")).then_some(text)
    })
}

/// The head tags every page starts with: character set, viewport, the development reload
/// script, the stylesheet, the speculation rules, the icon and the theme colour. They are the
/// same for every page of a build, so they are rendered once.
pub fn head_top(options: &LeptosOptions) -> &'static Prerendered {
    static TOP: OnceLock<Prerendered> = OnceLock::new();
    TOP.get_or_init(|| {
        let html = render_alone(|| {
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
        let mut top = String::with_capacity(html.len());
        markers(&mut top, &html);
        Prerendered::new(top)
    })
}

/// The islands script: the preload links of the JS and the WASM and the loader that hydrates
/// the islands, as `HydrationScripts` writes it, rendered once (leptos-rs/leptos#4763: in 0.8
/// the component reads the hash file on every render). Its nonce is empty, which makes the
/// preload links `crossorigin=""`, as the loader's module import fetches them; the policy
/// allows the loader by its hash.
pub fn islands_scripts(options: &LeptosOptions) -> &'static Prerendered {
    static SCRIPTS: OnceLock<Prerendered> = OnceLock::new();
    SCRIPTS.get_or_init(|| {
        let html = render_alone(|| {
            provide_context(Nonce::from_value(""));
            view! { <HydrationScripts options=options.clone() islands=true /> }.to_html()
        });
        // An empty nonce is still written as an attribute of the loader's script; the page
        // carries no nonce (it is the same for every visitor). A test checks it is written so.
        Prerendered::new(html.replacen(EMPTY_NONCE, "", 1))
    })
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

/// `view`, rendered synchronously now, as an element leptos_axum writes as it is.
pub fn rendered_now(view: impl RenderHtml) -> InertElement {
    InertElement::new(view.to_html())
}

/// A title's text as `<title>` needs it: leptos_meta writes the text it is given as it is.
pub fn escape_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A page as it leaves: its HTML, and the texts of the inline scripts the render wrote into it
/// (those carrying the render's nonce), for its policy.
#[derive(Debug)]
pub struct Finished {
    /// The document.
    pub html: String,
    /// The text of each inline script the render wrote, in order.
    pub scripts: Vec<String>,
}

/// `raw`, a document as leptos_axum wrote it with the render's `nonce`, made into the page that
/// leaves: the placeholders handled (see [`markers`]); every script carrying the nonce
/// collected and its nonce dropped, so the page is the same bytes for every visitor (the
/// policy allows these scripts by hash); the hydration data scripts written after `</html>`
/// moved to the end of the body when the page holds an island, and dropped when it holds none,
/// where nothing reads them.
pub fn finish(raw: &str, nonce: &str, islands: bool) -> Finished {
    const END: &str = "</body></html>";
    let (document, after) = match memmem::rfind(raw.as_bytes(), END.as_bytes()) {
        Some(at) => (&raw[..at], &raw[at + END.len()..]),
        None => (raw, ""),
    };
    let open = format!("<script nonce=\"{nonce}\">");
    let mut scripts = Vec::new();
    let mut html = String::with_capacity(document.len() + END.len() + if islands { after.len() } else { 0 });
    if memmem::find(document.as_bytes(), open.as_bytes()).is_some() {
        let mut unmarked = String::with_capacity(document.len());
        markers(&mut unmarked, document);
        take_scripts(&mut html, &unmarked, &open, &mut scripts);
    } else {
        markers(&mut html, document);
    }
    if islands {
        take_scripts(&mut html, after, &open, &mut scripts);
    }
    html.push_str(END);
    Finished { html, scripts }
}

/// `text` onto `out`, with each `open` tag (a script carrying the nonce) written as `<script>`,
/// and each such script's text pushed onto `scripts`.
fn take_scripts(out: &mut String, text: &str, open: &str, scripts: &mut Vec<String>) {
    let mut last = 0;
    for at in memmem::find_iter(text.as_bytes(), open.as_bytes()) {
        out.push_str(&text[last..at]);
        out.push_str("<script>");
        let body = &text[at + open.len()..];
        let end = memmem::find(body.as_bytes(), b"</script>").unwrap_or(body.len());
        scripts.push(body[..end].to_owned());
        last = at + open.len();
    }
    out.push_str(&text[last..]);
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
    fn the_renders_scripts_are_collected_and_lose_their_nonce() {
        let raw = "<!DOCTYPE html><html><head><script>x()</script></head><body><!><p>a</p></body></html>\
                   <script nonce=\"R1\">__RESOLVED_RESOURCES=[];</script><script nonce=\"R1\">__INCOMPLETE_CHUNKS=[];</script>";
        let page = finish(raw, "R1", true);
        assert_eq!(
            page.html,
            "<!DOCTYPE html><html><head><script>x()</script></head><body><p>a</p>\
             <script>__RESOLVED_RESOURCES=[];</script><script>__INCOMPLETE_CHUNKS=[];</script></body></html>"
        );
        assert_eq!(page.scripts, ["__RESOLVED_RESOURCES=[];", "__INCOMPLETE_CHUNKS=[];"]);
        let plain = finish(raw, "R1", false);
        assert!(plain.html.ends_with("<p>a</p></body></html>"), "{}", plain.html);
        assert!(plain.scripts.is_empty(), "a page without islands keeps no script");
        let other = finish(raw, "R2", true);
        assert!(
            other.scripts.is_empty(),
            "a script without the render's nonce is not the render's"
        );
    }

    #[test]
    fn the_islands_script_is_rendered_once_without_a_nonce() {
        let options = LeptosOptions::builder().output_name("aipr").build();
        let raw = render_alone(|| {
            provide_context(Nonce::from_value(""));
            view! { <HydrationScripts options=options.clone() islands=true /> }.to_html()
        });
        assert_eq!(
            raw.matches(EMPTY_NONCE).count(),
            1,
            "HydrationScripts writes its empty nonce once: {raw}"
        );
        assert_eq!(raw.matches("crossorigin=\"\"").count(), 2, "{raw}");
        let scripts = islands_scripts(&options);
        assert!(!scripts.html.contains("nonce"), "{}", scripts.html);
        assert_eq!(scripts.scripts.len(), 1, "one loader: {}", scripts.html);
        assert!(scripts.html.contains("/pkg/aipr.js"), "{}", scripts.html);
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

    #[test]
    fn titles_are_escaped() {
        assert_eq!(escape_title("a & b </title><x>"), "a &amp; b &lt;/title&gt;&lt;x&gt;");
    }
}
