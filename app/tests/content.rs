//! The content engine against fixture trees: a valid one, one with every kind of error, and a
//! frozen copy of the seed content.

#![cfg(feature = "ssr")]

use app::{
    content::{check_links, load, ContentStore, LoadErrors, Snapshot},
    i18n::Locale,
    model::{Frequency, ResourceQuery, StoryKind},
};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn valid() -> Snapshot {
    load(&fixture("valid"), &fixture("valid")).expect("the valid fixture loads")
}

fn errors() -> LoadErrors {
    load(&fixture("invalid"), &fixture("invalid")).expect_err("the invalid fixture fails")
}

fn has(errors: &LoadErrors, file: &str, line: Option<usize>, fragment: &str) {
    assert!(
        errors
            .0
            .iter()
            .any(|e| e.file == Path::new(file) && e.line == line && e.message.contains(fragment)),
        "expected {file}:{line:?} `{fragment}` in\n{errors}"
    );
}

#[test]
fn reports_every_error_with_file_and_line() {
    let e = errors();
    has(
        &e,
        "site.toml",
        Some(16),
        "`once_url`: the donation URL must start with https://",
    );
    has(
        &e,
        "site.toml",
        Some(17),
        "`monthly_url`: the donation URL's host `elsewhere.example` is not the allowed host",
    );
    has(&e, "shelves.toml", Some(11), "duplicate shelf id `guides`");
    has(&e, "texts.toml", Some(20), "duplicate program id `africa`");
    has(
        &e,
        "texts.toml",
        Some(27),
        "program id `Middle_East` must use a-z, 0-9 and -",
    );
    has(&e, "stories/broken-toml.es.md", Some(4), "");
    has(&e, "stories/unknown-field.en.md", Some(6), "unknown field `colour`");
    has(
        &e,
        "stories/no-title.es.md",
        Some(2),
        "missing title in the file's language (es)",
    );
    has(&e, "stories/bad-date.en.md", Some(3), "");
    has(&e, "stories/pair.es.md", Some(3), "differs from the other translation");
    has(&e, "stories/pair.es.md", Some(5), "kind differs");
    has(&e, "stories/unknown-program.en.md", Some(6), "unknown program `europe`");
    has(&e, "stories/Bad_Name.es.md", None, "must be named");
    has(&e, "resources/unknown-shelf.toml", Some(5), "unknown shelf `nowhere`");
    has(&e, "resources/sub/dup.toml", None, "duplicate document id `dup`");
    has(&e, "resources/plain-http.toml", Some(5), "is not an https URL");
    has(
        &e,
        "resources/missing-file.toml",
        Some(5),
        "does not exist under public/",
    );
    has(&e, "resources/bad-language.toml", Some(3), "unknown language `xx`");
    has(
        &e,
        "resources/missing-title.toml",
        Some(7),
        "missing title in the document's language (en)",
    );
    assert_eq!(e.0.len(), 19, "{e}");
    let text = e.to_string();
    assert!(text.starts_with("19 error(s) in the content:"), "{text}");
    assert!(
        text.contains("stories/unknown-program.en.md:6: unknown program `europe`"),
        "{text}"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_snapshot() {
    let dir = std::env::temp_dir().join(format!("aipr-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&fixture("valid"), &dir);
    let store = ContentStore::open(&dir, &dir, None).expect("loads");
    let before = store.fingerprint();
    std::fs::write(dir.join("stories/alpha.es.md"), "+++\ntitle = 1\n+++\n").unwrap();
    assert_ne!(store.fingerprint(), before);
    assert!(store.errors().is_none(), "no error before a broken edit");
    assert!(store.reload().is_err());
    assert_eq!(store.snapshot().stories().len(), 4, "the last good content stays");
    let current = store.errors().expect("the broken edit's errors are kept");
    assert_eq!(current.0[0].file, Path::new("stories/alpha.es.md"), "{current}");
    std::fs::remove_file(dir.join("stories/alpha.es.md")).unwrap();
    store.reload().expect("a fixed tree reloads");
    assert!(store.errors().is_none(), "a good reload clears the errors");
    assert!(store
        .snapshot()
        .story(Locale::Es, "alpha")
        .is_some_and(|s| s.card.lang == Locale::En));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn quoted_dates_as_the_browser_editor_writes_them_load() {
    let dir = std::env::temp_dir().join(format!("aipr-quoted-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&fixture("valid"), &dir);
    let story = "+++\ntitle = \"Quoted\"\ndate = \"2024-03-05\"\nsummary = \"s\"\nkind = \"news\"\n+++\n\nBody.\n";
    std::fs::write(dir.join("stories/quoted.es.md"), story).unwrap();
    let document = std::fs::read_to_string(dir.join("resources/memoria.toml"))
        .unwrap()
        .replace("date = 2021-05-01", "date = \"2021-05-01\"");
    std::fs::write(dir.join("resources/memoria.toml"), document).unwrap();
    let snapshot = load(&dir, &dir).expect("quoted calendar dates load");
    let quoted = snapshot.story(Locale::Es, "quoted").expect("the story loads");
    assert_eq!(quoted.card.date.to_string(), "2024-03-05");
    std::fs::write(
        dir.join("stories/quoted.es.md"),
        story.replace("2024-03-05", "2024-02-30"),
    )
    .unwrap();
    let e = load(&dir, &dir).expect_err("a quoted date that is no calendar date fails");
    has(&e, "stories/quoted.es.md", Some(3), "bad date `2024-02-30`");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A copy of the valid fixture whose `site.toml` is `edit` of the fixture's, in a temporary
/// folder named after `name`.
fn valid_with_site(name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aipr-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&fixture("valid"), &dir);
    let site = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    std::fs::write(dir.join("site.toml"), edit(site)).unwrap();
    dir
}

/// The valid fixture's `once_url` line, from 1.
const ONCE_URL_LINE: usize = 18;

#[test]
fn monthly_is_offered_only_with_its_own_page() {
    let once = valid().site.donation.settings.clone();
    assert_eq!(
        once.frequencies,
        vec![Frequency::Once],
        "the valid fixture has no monthly_url"
    );
    assert_eq!(once.provider, "Pay Example");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let seed = load(&fixture("seed"), &root.join("public")).expect("the seed fixture loads");
    assert_eq!(
        seed.site.donation.settings.frequencies,
        vec![Frequency::Once, Frequency::Monthly]
    );
    let monthly = seed.site.donation.monthly_template.as_deref().unwrap_or_default();
    assert!(monthly.contains("cmd=_xclick-subscriptions"), "{monthly}");
    assert!(seed.site.warnings.is_empty(), "{:?}", seed.site.warnings);

    let same = valid_with_site("monthly-same", |site| {
        let once = site.lines().nth(ONCE_URL_LINE - 1).unwrap().to_owned();
        site.replace(
            &once,
            &format!("{once}\n{}", once.replacen("once_url", "monthly_url", 1)),
        )
    });
    let e = load(&same, &same).expect_err("a monthly page that is the one-off page fails");
    has(
        &e,
        "site.toml",
        Some(ONCE_URL_LINE + 1),
        "`monthly_url` is the same page as `once_url`",
    );
    let _ = std::fs::remove_dir_all(&same);
}

#[test]
fn the_old_single_template_is_named_with_what_to_write() {
    // `[donation]` as it was: one template for every gift, the host beside it.
    let old = "[donation]\nprovider_url = \"https://pay.example/donate?amount={amount}\"\n\
               allowed_host = \"pay.example\"\ncurrencies = [\"USD\"]\npresets = [10]\n\
               minimum = 5\nmaximum = 1000\n";
    let dir = valid_with_site("provider-url", |site| {
        format!("{}{old}", &site[..site.find("[donation]").unwrap()])
    });
    let e = load(&dir, &dir).expect_err("the old shape fails");
    has(
        &e,
        "site.toml",
        Some(9),
        "the payment provider now has a table of its own, with one page per frequency: move \
         `allowed_host` into [donation.provider], rename `provider_url` `once_url`",
    );
    assert_eq!(e.0.len(), 1, "{e}");
    let dir2 = valid_with_site("no-provider-name", |site| {
        site.replace("name = \"Pay Example\"", "name = \" \"")
    });
    let e = load(&dir2, &dir2).expect_err("an empty provider name fails");
    has(&e, "site.toml", Some(17), "the provider's `name` is empty");
    let dir3 = valid_with_site("no-provider", |site| {
        site[..site.find("\n# No `monthly_url`").unwrap()].to_owned()
    });
    let e = load(&dir3, &dir3).expect_err("a missing provider fails");
    has(&e, "site.toml", Some(8), "[donation.provider] is missing");
    for d in [dir, dir2, dir3] {
        let _ = std::fs::remove_dir_all(&d);
    }
}

#[test]
fn a_placeholder_account_is_a_warning_and_stops_production() {
    let dir = valid_with_site("placeholder", |site| {
        site.replace("account=aipr-fixture", "account=REPLACE-WITH-AIPR-ACCOUNT")
    });
    let snapshot = load(&dir, &dir).expect("a placeholder account loads for development");
    let warnings = &snapshot.site.warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].file, Path::new("site.toml"));
    assert_eq!(warnings[0].line, Some(ONCE_URL_LINE));
    assert!(
        warnings[0]
            .message
            .contains("`once_url` still holds the placeholder account `REPLACE-WITH-AIPR-ACCOUNT`"),
        "{}",
        warnings[0]
    );
    let store = ContentStore::open(&dir, &dir, None).expect("a development store opens");
    let refused = store.for_production().expect_err("a production store refuses it");
    assert_eq!(refused.0, *warnings);

    // A production store that started with a real account keeps it when a reload brings a
    // placeholder back.
    let site = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    std::fs::write(
        dir.join("site.toml"),
        site.replace("REPLACE-WITH-AIPR-ACCOUNT", "aipr-fixture"),
    )
    .unwrap();
    let store = ContentStore::open(&dir, &dir, None)
        .and_then(ContentStore::for_production)
        .expect("a real account opens in production");
    std::fs::write(dir.join("site.toml"), site).unwrap();
    assert!(store.reload().is_err(), "a placeholder is refused on reload");
    assert!(store
        .snapshot()
        .site
        .donation
        .once_template
        .contains("account=aipr-fixture"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn feed_pages_newest_first_with_fallback() {
    let s = valid();
    let first = s.feed(Locale::Es, 1).unwrap();
    assert_eq!(first.total, 4);
    assert_eq!(first.total_pages, 2);
    assert!(first.has_next());
    let ids: Vec<_> = first.stories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["alpha", "beta"]);
    assert_eq!(first.stories[0].title, "Prevención en África");
    assert_eq!(first.stories[1].lang, Locale::En, "beta falls back to English");
    let last = s.feed(Locale::Es, 2).unwrap();
    assert!(!last.has_next());
    assert_eq!(last.stories.len(), 2);
    assert!(s.feed(Locale::Es, 3).is_none());
    assert!(s.feed(Locale::Es, 0).is_none());
    assert_eq!(
        s.feed(Locale::En, 2).unwrap().stories[0].lang,
        Locale::Es,
        "gamma falls back to Spanish"
    );
}

#[test]
fn one_story_with_translations_related_and_sanitized_body() {
    let s = valid();
    let alpha = s.story(Locale::En, "alpha").unwrap();
    assert_eq!(alpha.translations, [Locale::Es, Locale::En]);
    assert_eq!(alpha.programs, ["Africa"]);
    assert_eq!(alpha.card.kind, StoryKind::Impact);
    let related: Vec<_> = alpha.related.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        related,
        ["beta"],
        "shares a program and a tag; delta and gamma share nothing with alpha"
    );
    let es = s.story(Locale::Es, "alpha").unwrap();
    assert!(!es.body_html.contains("<script"), "{}", es.body_html);
    assert!(es.body_html.contains(r#"rel="noopener noreferrer""#));
    let beta = s.story(Locale::En, "beta").unwrap();
    assert_eq!(
        beta.related.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["alpha", "gamma"]
    );
    assert!(s.story(Locale::Es, "nope").is_none());
    assert_eq!(s.site.base_url, "https://aipr.example");
}

#[test]
fn documents_filter_by_folded_text_and_values() {
    let s = valid();
    let q = |text: &str| {
        s.library(Locale::Es, &ResourceQuery::from_query_string(text), None)
            .unwrap()
    };
    for text in [
        "q=genocidio",
        "q=ATROCIDADES",
        "q=atrocidades+masivas",
        "q=Atrocidades&language=en",
        "q=prevencion",
    ] {
        assert_eq!(q(text).total, 1, "{text}");
    }
    assert_eq!(q("").total, 2);
    assert_eq!(q("q=memory").total, 1);
    assert_eq!(q("q=nothing-like-this").total, 0);
    assert_eq!(q("year=2021").total, 1);
    assert_eq!(q("program=africa").total, 1);
    assert_eq!(q("shelf=reports&year=2020").total, 0);
    let all = q("");
    // The unfiltered library is remembered per language, shelf and page: asked again, by any
    // spelling, it is the same; the other language and a shelf page are their own.
    assert_eq!(q("q=&year=abc&page=3"), all);
    let english = s.library(Locale::En, &ResourceQuery::default(), None).unwrap();
    assert_eq!(english.shelves[0].shelf.title, "Guides");
    assert_ne!(english, all);
    assert_eq!(all.shelves.len(), 2);
    assert_eq!(all.shelves[0].shelf.title, "Guías");
    assert_eq!(all.shelves[1].documents[0].title, "Corporate Memory Report");
    assert_eq!(all.shelves[1].documents[0].title_lang, Locale::En);
    let filtered = q("year=2020");
    let shelf_counts: Vec<_> = filtered
        .facets
        .shelf
        .iter()
        .map(|f| (f.value.as_str(), f.count))
        .collect();
    assert_eq!(shelf_counts, [("guides", 1), ("reports", 0)]);
    let years: Vec<_> = filtered
        .facets
        .year
        .iter()
        .map(|f| (f.value.as_str(), f.count))
        .collect();
    assert_eq!(years, [("2021", 1), ("2020", 1)], "a facet ignores its own filter");
    let unknown = q("shelf=zzz&language=xx&program=nope&year=abc");
    assert_eq!(unknown.total, 2);
    assert!(!unknown.query.is_filtered(), "unknown values are dropped");
    let shelf = s
        .library(Locale::En, &ResourceQuery::default(), Some("guides"))
        .unwrap();
    assert_eq!(shelf.shelves.len(), 1);
    assert!(shelf.facets.shelf.is_empty());
    assert!(s
        .library(Locale::En, &ResourceQuery::default(), Some("nowhere"))
        .is_none());
    assert!(s
        .library(Locale::En, &ResourceQuery::from_query_string("page=9"), Some("guides"))
        .is_none());
}

/// The editors' content is only checked to load, with every link leading somewhere: what it
/// holds is theirs to change, and no test counts it.
#[test]
fn the_bundled_content_loads_and_its_links_lead_somewhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (content, public) = (root.join("content"), root.join("public"));
    let s = load(&content, &public).unwrap_or_else(|e| panic!("content/ does not load:\n{e}"));
    let broken = check_links(&s, &content, &public);
    assert!(broken.is_empty(), "{}", LoadErrors(broken));
}

#[test]
fn the_seed_fixture_is_the_seed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let s = load(&fixture("seed"), &root.join("public")).expect("the seed fixture loads");
    assert_eq!(s.stories().len(), 1);
    let story = s
        .story(Locale::Es, "aipr-celebrates-un-day-for-south-south-cooperation")
        .unwrap();
    assert_eq!(story.card.lang, Locale::En);
    assert_eq!(story.card.date.localized(Locale::Es), "18 de enero de 2023");
    assert_eq!(story.body_html.matches("<blockquote>").count(), 2);
    assert_eq!(s.shelves(Locale::Es).len(), 9);
    let library = s
        .library(Locale::Es, &ResourceQuery::from_query_string("q=silencio"), None)
        .unwrap();
    assert_eq!(library.total, 1);
    let sncf = library.shelves.iter().find(|r| r.shelf.id == "sncf-papers").unwrap();
    assert!(sncf.documents[0].title.starts_with("Llenar el silencio"));
}

/// A copy of the seed fixture whose `texts.toml` names `count` programs, with one document in
/// each of the last two; the copy's folder.
fn seed_with_programs(name: &str, count: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aipr-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&fixture("seed"), &dir);
    let texts = dir.join("texts.toml");
    let text = std::fs::read_to_string(&texts).unwrap();
    let known = text.matches("[[programs]]").count();
    let more: String = (known + 1..=count)
        .map(|i| {
            format!("\n\n[[programs]]\nid = \"program-{i}\"\ntitle = {{ es = \"Programa {i}\", en = \"Program {i}\" }}")
        })
        .collect();
    std::fs::write(&texts, format!("{text}{more}")).unwrap();
    for i in [count - 1, count] {
        std::fs::write(
            dir.join(format!("resources/in-program-{i}.toml")),
            format!(
                "shelf = \"sncf-papers\"\nyear = 2020\nlanguages = [\"es\"]\nkind = \"report\"\n\
                 url = \"https://www.auschwitzinstitute.org/\"\nprograms = [\"program-{i}\"]\n\n[title]\nes = \"Informe {i}\"\n"
            ),
        )
        .unwrap();
    }
    dir
}

#[test]
fn the_library_filters_by_each_of_64_programs_and_a_65th_is_refused_with_its_line() {
    let dir = seed_with_programs("programs-64", 64);
    let snapshot = load(&dir, &dir).expect("64 programs load");
    let titles = |program: &str| -> Vec<String> {
        let query = ResourceQuery::from_query_string(&format!("program={program}"));
        let library = snapshot.library(Locale::Es, &query, None).unwrap();
        library
            .shelves
            .iter()
            .flat_map(|s| &s.documents)
            .map(|d| d.title.clone())
            .collect()
    };
    assert_eq!(titles("program-64"), ["Informe 64"]);
    assert_eq!(titles("program-63"), ["Informe 63"]);
    let _ = std::fs::remove_dir_all(&dir);

    let dir = seed_with_programs("programs-65", 65);
    let e = load(&dir, &dir).expect_err("a 65th program is refused");
    let texts = std::fs::read_to_string(dir.join("texts.toml")).unwrap();
    let line = texts.lines().position(|l| l == "id = \"program-65\"").unwrap() + 1;
    has(&e, "texts.toml", Some(line), "at most 64 programs: `program-65`");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_shelf_or_program_id_longer_than_the_filters_read_is_refused() {
    let dir = std::env::temp_dir().join(format!("aipr-long-id-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&fixture("seed"), &dir);
    let site = dir.join("texts.toml");
    let long = "p".repeat(65);
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, text.replace("id = \"africa\"", &format!("id = \"{long}\""))).unwrap();
    let e = load(&dir, &dir).expect_err("a 65-character program id is refused");
    let line = text.lines().position(|l| l == "id = \"africa\"").unwrap() + 1;
    has(&e, "texts.toml", Some(line), "is longer than 64 characters");
    let _ = std::fs::remove_dir_all(&dir);
}
