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
pub fn render_markdown(markdown: &str) -> String {
    let parser =
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: demote(level),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
            other => other,
        });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    SANITIZER.clean(&unsafe_html).to_string()
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
            html.contains(r#"<a href="https://un.org/x" rel="noopener noreferrer">link</a>"#),
            "{html}"
        );
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains(r#"<img src="/images/map.png" alt="A map">"#), "{html}");
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
