use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .rm_tags(["h1"]);
    builder
});

/// Renders a story's Markdown to sanitized HTML: headings start at `<h2>` (the page title is
/// the `<h1>`), no script, event handler, `javascript:` URL or inline style survives, and links
/// carry `rel="noopener noreferrer"`.
///
/// Markdown without raw HTML and with only web links cannot carry anything hostile once
/// pulldown-cmark has escaped its text, so it skips the (slow) HTML sanitizer; anything else
/// goes through it.
pub fn render_markdown(markdown: &str) -> String {
    let mut plain = true;
    let events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .map(|event| match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                plain &= id.is_none() && classes.is_empty() && attrs.is_empty();
                Event::Start(Tag::Heading {
                    level: demote(level),
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
            Event::Html(_) | Event::InlineHtml(_) => {
                plain = false;
                event
            }
            Event::Start(Tag::Link { ref dest_url, .. }) | Event::Start(Tag::Image { ref dest_url, .. }) => {
                plain &= is_web_url(dest_url);
                event
            }
            other => other,
        })
        .collect();
    let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    if plain {
        // Escaped text cannot contain `<a href=`, so this only touches the links.
        let mut html = html_out.replace("<a href=", "<a rel=\"noopener noreferrer\" href=");
        html.shrink_to_fit();
        html
    } else {
        SANITIZER.clean(&html_out).to_string()
    }
}

/// An `http`, `https` or `mailto` URL, or a relative one (no scheme at all).
fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']);
    match scheme_end {
        None => true,
        Some(colon) if path_start.is_some_and(|p| p < colon) => true,
        Some(_) => lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:"),
    }
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::render_markdown;

    #[test]
    fn keeps_what_stories_use() {
        let html = render_markdown(
            "# Title\n\nA [link](https://un.org/x) and *more*.\n\n> A quote\n\n- one\n- two\n\n![A map](/images/map.png)\n",
        );
        assert!(html.contains("<h2>Title</h2>"), "{html}");
        assert!(
            html.contains(r#"<a rel="noopener noreferrer" href="https://un.org/x">link</a>"#),
            "{html}"
        );
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains(r#"<img src="/images/map.png" alt="A map""#), "{html}");
    }

    #[test]
    fn knows_web_urls() {
        for ok in [
            "https://un.org",
            "http://a.b/c",
            "mailto:x@y.z",
            "/images/a.png",
            "page?x=a:b",
            "#top",
            "a/b:c",
        ] {
            assert!(super::is_web_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!super::is_web_url(bad), "{bad}");
        }
        let html = render_markdown("[a](javascript:alert(1)) and [b](https://un.org)");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains(r#"rel="noopener noreferrer""#), "{html}");
    }

    #[test]
    fn removes_everything_hostile() {
        let hostile = concat!(
            "<script>alert(1)</script>\n\n",
            "<img src=x onerror=alert(1)>\n\n",
            "[click](javascript:alert(1))\n\n",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>\n\n",
            "<p style=\"color:red\" onclick=\"evil()\">styled</p>\n\n",
            "<iframe src=\"https://evil.example\"></iframe>\n\n",
            "<svg><script>alert(1)</script></svg>\n\n",
            "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>\n\n",
            "<style>body{display:none}</style>\n\n",
            "<form action=\"https://evil.example\"><input></form>\n",
        );
        let html = render_markdown(hostile).to_lowercase();
        for banned in [
            "<script",
            "onerror",
            "onclick",
            "javascript:",
            "style=",
            "<style",
            "<iframe",
            "<svg",
            "data:",
            "<form",
            "<input",
        ] {
            assert!(!html.contains(banned), "{banned} survived in {html}");
        }
        assert!(html.contains("styled"));
    }
}
