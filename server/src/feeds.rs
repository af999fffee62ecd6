//! Machine-readable views of the content: Atom feeds per language, the sitemap with language
//! alternates, and robots.txt. Every URL is absolute, built from the configured base URL.

use app::{content::Snapshot, i18n::Locale, paths::Page};
use std::fmt::Write;

/// How many stories a feed carries.
const FEED_ENTRIES: usize = 50;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The Atom feed of a language: newest stories first, each in that language or, without a
/// translation, in its own (marked with `xml:lang`).
pub fn atom(snapshot: &Snapshot, locale: Locale) -> String {
    let base = &snapshot.site.base_url;
    let t = locale.messages();
    let feed_url = format!("{base}/{}/feed.xml", locale.code());
    let updated = snapshot
        .stories()
        .first()
        .map(|s| s.date.rfc3339())
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
    let mut xml = String::with_capacity(4096);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n<subtitle>{subtitle}</subtitle>\n<id>{feed_url}</id>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed_url}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n<updated>{updated}</updated>\n\
         <author><name>{name}</name></author>\n",
        lang = locale.code(),
        title = xml_escape(&format!("{} · {}", t.stories_title, snapshot.site.name.get(locale))),
        subtitle = xml_escape(t.stories_description),
        home = xml_escape(&format!("{base}{}", Page::Stories.path(locale))),
        name = xml_escape(snapshot.site.name.get(locale)),
    );
    for story in snapshot.stories().iter().take(FEED_ENTRIES) {
        let (lang, version) = story.version(locale);
        let url = format!("{base}{}", Page::Story(story.id.clone()).path(lang));
        let _ = write!(
            xml,
            "<entry xml:lang=\"{lang}\">\n<title>{title}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
             <id>{url}</id>\n<published>{date}</published>\n<updated>{date}</updated>\n<summary>{summary}</summary>\n\
             <content type=\"html\">{content}</content>\n</entry>\n",
            lang = lang.code(),
            title = xml_escape(&version.title),
            url = xml_escape(&url),
            date = story.date.rfc3339(),
            summary = xml_escape(&version.summary),
            content = xml_escape(&version.body_html),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// The sitemap: every indexable page with its language alternates (only those that exist).
pub fn sitemap(snapshot: &Snapshot) -> String {
    let base = &snapshot.site.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut add = |page: Page, locales: &[Locale], lastmod: Option<String>| {
        for locale in locales {
            let _ = write!(
                xml,
                "<url>\n<loc>{}</loc>\n",
                xml_escape(&format!("{base}{}", page.path(*locale)))
            );
            if let Some(date) = &lastmod {
                let _ = writeln!(xml, "<lastmod>{date}</lastmod>");
            }
            for alternate in locales {
                let _ = writeln!(
                    xml,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    alternate.code(),
                    xml_escape(&format!("{base}{}", page.path(*alternate)))
                );
            }
            xml.push_str("</url>\n");
        }
    };
    let all = Locale::ALL;
    add(Page::Home, &all, None);
    add(Page::Stories, &all, None);
    add(Page::Resources, &all, None);
    for shelf in snapshot.shelf_entries() {
        add(Page::Shelf(shelf.id.clone()), &all, None);
    }
    add(Page::Donate, &all, None);
    for story in snapshot.stories() {
        let locales: Vec<Locale> = story.versions.keys().copied().collect();
        add(Page::Story(story.id.clone()), &locales, Some(story.date.to_string()));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// robots.txt: everything may be crawled but the hand-off; the sitemap is named.
pub fn robots(snapshot: &Snapshot) -> String {
    format!(
        "User-agent: *\nDisallow: /donate/checkout\n\nSitemap: {}/sitemap.xml\n",
        snapshot.site.base_url
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::content::ContentStore;
    use std::path::Path;

    fn seed() -> std::sync::Arc<Snapshot> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        ContentStore::open(
            root.join("app/tests/fixtures/seed"),
            root.join("public"),
            Some("https://aipr.example".into()),
        )
        .expect("the seed fixture loads")
        .snapshot()
    }

    #[test]
    fn atom_feeds_parse_and_link_absolutely() {
        let snapshot = seed();
        for locale in Locale::ALL {
            let xml = atom(&snapshot, locale);
            let doc = roxmltree::Document::parse(&xml).expect("valid XML");
            let root = doc.root_element();
            assert_eq!(root.tag_name().name(), "feed");
            let entries: Vec<_> = root.children().filter(|n| n.has_tag_name("entry")).collect();
            assert_eq!(entries.len(), snapshot.stories().len().min(FEED_ENTRIES));
            let entry = entries[0];
            let link = entry
                .children()
                .find(|n| n.has_tag_name("link"))
                .and_then(|n| n.attribute("href"))
                .unwrap();
            // The seed story exists in English only, so both feeds link its English page.
            assert_eq!(
                link,
                "https://aipr.example/en/stories/aipr-celebrates-un-day-for-south-south-cooperation"
            );
            let title = entry
                .children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text())
                .unwrap();
            assert_eq!(
                title,
                "AIPR Celebrates the United Nations' Day for South-South Cooperation"
            );
            for node in doc.descendants().filter(|n| n.has_tag_name("link")) {
                assert!(node.attribute("href").unwrap().starts_with("https://aipr.example/"));
            }
        }
    }

    #[test]
    fn sitemap_lists_pages_with_existing_alternates_only() {
        let snapshot = seed();
        let xml = sitemap(&snapshot);
        let doc = roxmltree::Document::parse(&xml).expect("valid XML");
        let urls: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("url")).collect();
        let locs: Vec<&str> = urls
            .iter()
            .filter_map(|u| u.children().find(|n| n.has_tag_name("loc"))?.text())
            .collect();
        assert!(locs.contains(&"https://aipr.example/es/"));
        assert!(locs.contains(&"https://aipr.example/en/resources/sncf-papers"));
        assert!(locs.contains(&"https://aipr.example/es/recursos/sheri-p-rosenberg"));
        let story = "https://aipr.example/en/stories/aipr-celebrates-un-day-for-south-south-cooperation";
        assert!(locs.contains(&story));
        assert!(
            !locs.iter().any(|l| l.contains("/es/historias/aipr-celebrates")),
            "no Spanish alternate exists"
        );
        let story_url = urls
            .iter()
            .find(|u| u.children().any(|n| n.text() == Some(story)))
            .unwrap();
        let alternates: Vec<_> = story_url.children().filter(|n| n.tag_name().name() == "link").collect();
        assert_eq!(alternates.len(), 1);
        assert_eq!(alternates[0].attribute("hreflang"), Some("en"));
        let home = urls
            .iter()
            .find(|u| u.children().any(|n| n.text() == Some("https://aipr.example/es/")))
            .unwrap();
        let hreflangs: Vec<_> = home.children().filter_map(|n| n.attribute("hreflang")).collect();
        assert_eq!(hreflangs, ["es", "en"]);
        for loc in locs {
            assert!(loc.starts_with("https://aipr.example/"), "{loc}");
        }
        assert!(robots(&snapshot).contains("Sitemap: https://aipr.example/sitemap.xml"));
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(xml_escape("a < b & \"c\" \u{1}"), "a &lt; b &amp; &quot;c&quot; ");
    }
}
