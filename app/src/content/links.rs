//! The links in the stories' bodies, checked against the site: a link to a page, story or shelf
//! the site does not have, or to a file that is not under `public/`, is an error with its file
//! and line. Links to other sites are only checked for their form; nothing is fetched.

use super::{ContentError, Field, Plain, Problem, Snapshot};
use crate::paths::Page;
use percent_encoding::percent_decode_str;
use std::{
    fs,
    path::{Path, PathBuf},
};

/// Paths the server answers that are not pages of the app.
const SERVER_PATHS: [&str; 6] = [
    "/",
    "/sitemap.xml",
    "/robots.txt",
    "/es/feed.xml",
    "/en/feed.xml",
    "/healthz",
];

/// Every broken link of the stories in `snapshot`, loaded from `content`; `public` holds the
/// site's files.
pub fn check_links(snapshot: &Snapshot, content: &Path, public: &Path) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for story in snapshot.stories() {
        for (locale, version) in &story.versions {
            let file = PathBuf::from("stories").join(format!("{}.{}.md", story.id, locale.code()));
            let source = fs::read_to_string(content.join(&file)).unwrap_or_default();
            for link in links_of(&version.body_html) {
                if let Some(problem) = problem_of(&link, snapshot, public) {
                    errors.push(ContentError {
                        line: source.lines().position(|l| l.contains(&link)).map(|i| i + 1),
                        file: file.clone(),
                        message: format!("the link `{link}` {problem}"),
                        plain: Some(Plain {
                            field: Field::Body,
                            problem: Problem::BrokenLink(link.clone()),
                        }),
                    });
                }
            }
        }
    }
    errors
}

/// The `href` and `src` values of sanitized HTML, entities decoded; only inside tags, not in
/// text that quotes markup.
fn links_of(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attribute in [" href=\"", " src=\""] {
        for (at, _) in html.match_indices(attribute) {
            let before = &html[..at];
            let in_tag = before
                .rfind('<')
                .is_some_and(|open| before.rfind('>').is_none_or(|close| close < open));
            if !in_tag {
                continue;
            }
            let value = &html[at + attribute.len()..];
            links.push(decode_entities(&value[..value.find('"').unwrap_or(value.len())]));
        }
    }
    links
}

/// An attribute's value as written in sanitized HTML, its entities decoded.
pub(super) fn decode_entities(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// What is wrong with one link, if anything.
fn problem_of(link: &str, snapshot: &Snapshot, public: &Path) -> Option<&'static str> {
    const ELSEWHERE: [&str; 5] = ["https://", "http://", "mailto:", "tel:", "#"];
    if ELSEWHERE.iter().any(|prefix| link.starts_with(prefix)) {
        return None;
    }
    if link.starts_with("//") || !link.starts_with('/') {
        return Some("must start with / (a page or file of this site) or with https://");
    }
    let path = link.split(['?', '#']).next().unwrap_or_default();
    // A photo's derivatives, which the loader wrote for the photo it checked.
    if SERVER_PATHS.contains(&path) || path.starts_with(crate::model::PHOTO_PATH) {
        return None;
    }
    match Page::parse(path) {
        Some((_, Page::Story(id))) if !snapshot.has_story(&id) => Some("leads to a story that does not exist"),
        Some((_, Page::Shelf(id))) if !snapshot.has_shelf(&id) => Some("leads to a shelf that does not exist"),
        Some(_) => None,
        None => {
            let file = percent_decode_str(path).decode_utf8_lossy();
            let relative = file.trim_start_matches('/');
            if relative.split('/').any(|part| part == "..") {
                Some("leaves the site's files")
            } else if public.join(relative).is_file() {
                None
            } else {
                Some("leads to no page of the site and no file under public/")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_links_of_sanitized_html() {
        let html = r#"<p><a href="/es/historias/a?x=1&amp;y=2" rel="noopener">a</a> <img src="/logo.svg" alt="x"></p>"#;
        assert_eq!(links_of(html), ["/es/historias/a?x=1&y=2", "/logo.svg"]);
        let quoted = r#"<p><code>&lt;a href="/x"&gt;</code> <a href="/y">y</a></p>"#;
        assert_eq!(links_of(quoted), ["/y"]);
    }
}
