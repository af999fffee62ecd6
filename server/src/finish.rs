//! What the server does to a rendered page before it leaves, so that it is the same bytes for
//! every visitor and valid HTML: the per-response nonce goes, the hydration placeholders go
//! outside the islands and become proper comments inside them, and the hydration data moves
//! into the body.

/// A rendered page, finished.
pub fn page(html: &str) -> String {
    hydration_data_in_body(&markers(&without_nonce(html)))
}

/// The page without the per-response nonce that leptos_axum hands every render: its scripts
/// are allowed by hash, so a nonce would only make the bytes differ for each visitor. The
/// framework writes it as `nonce="…"` on its scripts and as the `crossorigin` value of its
/// preload links, where it is not a valid value; there it becomes `crossorigin=""`.
pub fn without_nonce(html: &str) -> String {
    const ATTRIBUTE: &str = " nonce=\"";
    // Read off the framework's own script tags: page text cannot hold a raw `<script`.
    let Some(start) = ["<script type=\"module\" nonce=\"", "<script nonce=\""]
        .iter()
        .find_map(|tag| html.find(tag).map(|i| i + tag.len()))
    else {
        return html.to_owned();
    };
    let Some(nonce) = html[start..].find('"').map(|len| &html[start..start + len]) else {
        return html.to_owned();
    };
    if nonce.is_empty() {
        return html.to_owned();
    }
    html.replace(&format!("{ATTRIBUTE}{nonce}\""), "")
        .replace(&format!(" crossorigin=\"{nonce}\""), " crossorigin=\"\"")
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
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start].replace("<!>", ""));
        let end = rest[start..]
            .find(CLOSE)
            .map_or(rest.len(), |i| start + i + CLOSE.len());
        out.push_str(&rest[start..end].replace("<!>", "<!---->"));
        rest = &rest[end..];
    }
    out.push_str(&rest.replace("<!>", ""));
    out
}

/// The page with the framework's hydration-data scripts, which it appends after `</html>`
/// (where HTML allows nothing), moved to the end of the body, where the islands read them;
/// dropped from a page without an island, where nothing reads them.
pub fn hydration_data_in_body(html: &str) -> String {
    const END: &str = "</body></html>";
    let Some(end) = html.rfind(END) else {
        return html.to_owned();
    };
    let (page, data) = (&html[..end], &html[end + END.len()..]);
    if data.trim().is_empty() {
        return html.to_owned();
    }
    if page.contains("<leptos-island") {
        format!("{page}{data}{END}")
    } else {
        format!("{page}{END}")
    }
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
            hydration_data_in_body(&island),
            format!("<body><leptos-island></leptos-island>{data}</body></html>")
        );
        assert_eq!(
            hydration_data_in_body(&format!("<body><p>x</p></body></html>{data}")),
            "<body><p>x</p></body></html>"
        );
        assert_eq!(hydration_data_in_body("<body></body></html>"), "<body></body></html>");
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
