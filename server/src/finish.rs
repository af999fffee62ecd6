//! What the server does to a rendered page before it leaves, so that it is the same bytes for
//! every visitor and valid HTML: the per-response nonce goes, the hydration placeholders go
//! outside the islands and become proper comments inside them, and the hydration data moves
//! into the body.

use memchr::memmem;

/// Where `needle` first occurs in `text` (a vectorized search: pages are long).
fn find(text: &str, needle: &str) -> Option<usize> {
    memmem::find(text.as_bytes(), needle.as_bytes())
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

/// A rendered page, finished.
pub fn page(html: &str) -> String {
    hydration_data_in_body(markers(&without_nonce(html)))
}

/// The page without the per-response nonce that leptos_axum hands every render: its scripts
/// are allowed by hash, so a nonce would only make the bytes differ for each visitor. The
/// framework writes it as `nonce="…"` on its scripts and as the `crossorigin` value of its
/// preload links, where it is not a valid value; there it becomes `crossorigin=""`. One pass
/// over the page.
pub fn without_nonce(html: &str) -> String {
    const ATTRIBUTE: &str = " nonce=\"";
    const CROSSORIGIN: &str = " crossorigin=\"";
    // Read off the framework's own script tags: page text cannot hold a raw `<script`.
    let Some(start) = ["<script type=\"module\" nonce=\"", "<script nonce=\""]
        .iter()
        .find_map(|tag| find(html, tag).map(|i| i + tag.len()))
    else {
        return html.to_owned();
    };
    let Some(nonce) = html[start..].find('"').map(|len| &html[start..start + len]) else {
        return html.to_owned();
    };
    if nonce.is_empty() {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let finder = memmem::Finder::new(nonce.as_bytes());
    while let Some(i) = finder.find(rest.as_bytes()) {
        let (before, after) = (&rest[..i], &rest[i + nonce.len()..]);
        if !after.starts_with('"') {
            out.push_str(&rest[..i + nonce.len()]);
        } else if let Some(kept) = before.strip_suffix(ATTRIBUTE) {
            out.push_str(kept);
            rest = &after[1..];
            continue;
        } else {
            // ` crossorigin="` keeps its quotes around nothing; anything else stays as it is.
            out.push_str(before);
            if !before.ends_with(CROSSORIGIN) {
                out.push_str(nonce);
            }
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The page with the framework's empty placeholders (`<!>`, written for every absent piece of
/// a view for the browser to hydrate against) dropped outside its islands, where nothing
/// hydrates, and written as proper empty comments (`<!---->`) inside them. The browser parses
/// both as the same empty comment node, so hydration finds what it expects, and the page is
/// valid HTML. Visitor and editor text cannot hold one: it is escaped, or sanitized Markdown
/// without comments.
pub fn markers(html: &str) -> String {
    const OPEN: &str = "<leptos-island";
    const CLOSE: &str = "</leptos-island>";
    let mut out = String::with_capacity(html.len() + html.len() / 64);
    let mut rest = html;
    while let Some(start) = find(rest, OPEN) {
        push_replacing(&mut out, &rest[..start], "<!>", "");
        let end = find(&rest[start..], CLOSE).map_or(rest.len(), |i| start + i + CLOSE.len());
        push_replacing(&mut out, &rest[start..end], "<!>", "<!---->");
        rest = &rest[end..];
    }
    push_replacing(&mut out, rest, "<!>", "");
    out
}

/// The page with the framework's hydration-data scripts, which it appends after `</html>`
/// (where HTML allows nothing), moved to the end of the body, where the islands read them;
/// dropped from a page without an island, where nothing reads them. Done in place: only the
/// end of the page moves.
pub fn hydration_data_in_body(mut html: String) -> String {
    const END: &str = "</body></html>";
    let Some(end) = memmem::rfind(html.as_bytes(), END.as_bytes()) else {
        return html;
    };
    if html[end + END.len()..].trim().is_empty() {
        return html;
    }
    if find(&html[..end], "<leptos-island").is_some() {
        html.replace_range(end..end + END.len(), "");
    } else {
        html.truncate(end);
    }
    html.push_str(END);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nonce_leaves_the_page() {
        let html = r#"<link rel="modulepreload" href="/pkg/a.js" crossorigin="Zm9vYmFyYmF6"><script type="module" nonce="Zm9vYmFyYmF6">go()</script>"#;
        assert_eq!(
            without_nonce(html),
            r#"<link rel="modulepreload" href="/pkg/a.js" crossorigin=""><script type="module">go()</script>"#
        );
        assert_eq!(without_nonce("<p>none</p>"), "<p>none</p>");
        // The nonce's characters elsewhere in the page stay.
        let elsewhere = r#"<script nonce="Zm9v">go()</script><p>Zm9v Zm9v"</p><a title="Zm9v">"#;
        assert_eq!(
            without_nonce(elsewhere),
            r#"<script>go()</script><p>Zm9v Zm9v"</p><a title="Zm9v">"#
        );
        // Text that only looks like a nonce (a story quoting code) is left alone.
        let quoted = r#"<p>&lt;script nonce="abc"&gt;</p><script type="module" nonce="Zm9vYmFy">go()</script>"#;
        assert_eq!(
            without_nonce(quoted),
            r#"<p>&lt;script nonce="abc"&gt;</p><script type="module">go()</script>"#
        );
    }

    #[test]
    fn hydration_data_goes_inside_the_body_or_goes() {
        let data = "<script>__RESOLVED_RESOURCES=[];</script>";
        let island = format!("<body><leptos-island></leptos-island></body></html>{data}");
        assert_eq!(
            hydration_data_in_body(island),
            format!("<body><leptos-island></leptos-island>{data}</body></html>")
        );
        assert_eq!(
            hydration_data_in_body(format!("<body><p>x</p></body></html>{data}")),
            "<body><p>x</p></body></html>"
        );
        assert_eq!(
            hydration_data_in_body("<body></body></html>".into()),
            "<body></body></html>"
        );
    }

    #[test]
    fn markers_stay_inside_islands_only_as_comments() {
        let html = "<main><!><p>a</p><!><leptos-island data-component=\"X\"><b>1</b><!></leptos-island><!></main>";
        assert_eq!(
            markers(html),
            "<main><p>a</p><leptos-island data-component=\"X\"><b>1</b><!----></leptos-island></main>"
        );
    }
}
