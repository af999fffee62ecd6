//! What a rendered body needs before it leaves, so that it is valid HTML: the framework's
//! hydration placeholders go outside the islands and become proper comments inside them.

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

/// `html` onto `out`, with the framework's empty placeholders (`<!>`, written for every absent piece of
/// a view for the browser to hydrate against) dropped outside its islands, where nothing
/// hydrates, and written as proper empty comments (`<!---->`) inside them. The browser parses
/// both as the same empty comment node, so hydration finds what it expects, and the page is
/// valid HTML. Visitor and editor text cannot hold one: it is escaped, or sanitized Markdown
/// without comments.
pub fn markers(out: &mut String, html: &str) {
    const OPEN: &str = "<leptos-island";
    const CLOSE: &str = "</leptos-island>";
    let mut rest = html;
    while let Some(start) = find(rest, OPEN) {
        push_replacing(out, &rest[..start], "<!>", "");
        let end = find(&rest[start..], CLOSE).map_or(rest.len(), |i| start + i + CLOSE.len());
        push_replacing(out, &rest[start..end], "<!>", "<!---->");
        rest = &rest[end..];
    }
    push_replacing(out, rest, "<!>", "");
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
}
