//! The configuration generator and the editor's pages, over the fixture content.

use super::{
    config::{ID_PATTERN, URL_PATTERN},
    settings::AdminSettings,
    *,
};
use app::content::load;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../app/tests/fixtures")
        .join(name)
}

fn settings(development: bool, vars: &[(&str, &str)]) -> AdminSettings {
    AdminSettings::from_lookup(development, |name| {
        vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    })
    .expect("valid settings")
}

fn valid_config(settings: &AdminSettings, locale: Locale) -> serde_json::Value {
    let snapshot = load(&fixture("valid"), &fixture("valid")).expect("the valid fixture loads");
    config::cms_config(&snapshot, settings, locale)
}

/// The collection called `name`.
fn collection<'a>(config: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    config["collections"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no collection {name}"))
}

/// The field called `name` of a list of fields.
fn field<'a>(fields: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    fields
        .as_array()
        .and_then(|all| all.iter().find(|f| f["name"] == name))
        .unwrap_or_else(|| panic!("no field {name} in {fields}"))
}

fn values(options: &serde_json::Value) -> Vec<&str> {
    options
        .as_array()
        .map(|o| o.iter().filter_map(|o| o["value"].as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn selects_are_filled_from_the_current_content() {
    let config = valid_config(&settings(true, &[]), Locale::En);
    let documents = &collection(&config, "documents")["fields"];
    let shelf = field(documents, "shelf");
    assert_eq!(
        values(&shelf["options"]),
        ["guides", "reports"],
        "shelves in display order"
    );
    assert_eq!(shelf["options"][0]["label"], "Guides");
    let stories = &collection(&config, "stories")["fields"];
    assert_eq!(
        values(&field(stories, "programs")["options"]),
        ["africa", "latin-america"]
    );
    assert_eq!(values(&field(documents, "languages")["options"]), KNOWN_LANGUAGES);
    assert_eq!(
        values(&field(documents, "kind")["options"]),
        ["report", "guide", "paper", "book", "brochure", "other"]
    );
}

#[test]
fn field_rules_mirror_the_loader() {
    let config = valid_config(&settings(true, &[]), Locale::Es);
    let documents = &collection(&config, "documents")["fields"];
    assert_eq!(field(documents, "url")["pattern"][0], URL_PATTERN);
    assert_eq!(
        (
            field(documents, "year")["min"].as_u64(),
            field(documents, "year")["max"].as_u64()
        ),
        (Some(1000), Some(9999))
    );
    let shelves = &collection(&config, "shelves")["files"][0]["fields"][0]["fields"];
    assert_eq!(field(shelves, "id")["pattern"][0], ID_PATTERN);
    let url = regex_lite(URL_PATTERN);
    assert!(url("https://example.org/x.pdf") && !url("http://example.org") && !url("https://a b"));
    let id = regex_lite(ID_PATTERN);
    assert!(id("sncf-papers") && !id("SNCF") && !id("a_b") && !id(""));
    // Shared fields are entered once and written into both languages' files.
    let stories = collection(&config, "stories");
    for shared in ["date", "kind", "programs"] {
        assert_eq!(field(&stories["fields"], shared)["i18n"], "duplicate", "{shared}");
    }
    assert_eq!(field(&stories["fields"], "title")["i18n"], true);
    // Neither language is required: a story is in the languages it is written in (editor.js).
    for text in ["title", "summary", "body"] {
        assert_eq!(field(&stories["fields"], text)["required"], false, "{text}");
    }
    assert_eq!(stories["format"], "toml-frontmatter");
    assert_eq!(stories["folder"], "content/stories");
    assert_eq!(config["i18n"]["structure"], "multiple_files");
    assert_eq!(config["i18n"]["default_locale"], "es");
    assert_eq!(
        field(&stories["fields"], "title")["label"],
        "Título",
        "labels from the locale files"
    );
}

/// The two patterns above, as the loader's own checks read them (no regex crate needed).
fn regex_lite(pattern: &'static str) -> impl Fn(&str) -> bool {
    move |text: &str| match pattern {
        ID_PATTERN => {
            !text.is_empty()
                && text.len() <= 100
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }
        URL_PATTERN => {
            text.len() > "https://".len() && text.starts_with("https://") && !text.contains(char::is_whitespace)
        }
        _ => false,
    }
}

#[test]
fn the_site_entry_edits_only_the_introduction_and_programs() {
    let config = valid_config(&settings(true, &[]), Locale::En);
    let site = &collection(&config, "site")["files"][0];
    assert_eq!(
        site["file"], "content/texts.toml",
        "site.toml, with its comments, is never written"
    );
    let names: Vec<&str> = site["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        ["intro", "programs"],
        "the donation settings stay out of the editor"
    );
}

#[test]
fn the_local_backend_only_where_it_is_asked_for() {
    let local = valid_config(&settings(true, &[]), Locale::Es);
    assert_eq!(local["local_backend"]["url"], settings::DEFAULT_LOCAL_BACKEND);
    assert_eq!(local["backend"]["name"], "proxy");
    assert!(local.get("publish_mode").is_none());
    let production = settings(
        false,
        &[
            ("CMS_BACKEND", "gitlab"),
            ("CMS_REPO", "aipr/website"),
            ("CMS_APP_ID", "app"),
        ],
    );
    let config = valid_config(&production, Locale::Es);
    assert!(config.get("local_backend").is_none(), "{config}");
    assert_eq!(config["backend"]["name"], "gitlab");
    assert_eq!(config["backend"]["auth_type"], "pkce");
    assert_eq!(config["publish_mode"], "editorial_workflow");
    let policy = editor_policy(&production);
    assert!(!policy.contains("127.0.0.1"), "{policy}");
    assert!(
        policy.contains("connect-src 'self' blob: https://gitlab.com"),
        "{policy}"
    );
}

#[test]
fn the_editor_policy_relaxes_only_what_the_cms_needs() {
    let policy = editor_policy(&settings(true, &[]));
    assert!(policy.contains("script-src 'self' 'unsafe-eval';"), "{policy}");
    assert!(!policy.contains("script-src 'self' 'unsafe-eval' 'unsafe-inline'"));
    assert!(policy.contains("style-src 'self' 'unsafe-inline';"));
    assert!(
        policy.contains("connect-src 'self' blob: http://127.0.0.1:8081;"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'none'"));
}

#[test]
fn the_errors_page_lists_each_error_escaped() {
    let errors = LoadErrors(vec![app::content::ContentError {
        file: "stories/x.es.md".into(),
        line: Some(3),
        message: "bad <date>".into(),
        plain: None,
    }]);
    let body = errors_body(Some(&errors), Locale::En);
    assert!(
        body.contains("<code>stories/x.es.md:3: bad &lt;date&gt;</code>"),
        "{body}"
    );
    assert!(errors_body(None, Locale::En).contains(Locale::En.messages().admin_errors_none));
}

#[test]
fn an_editors_error_is_in_the_editors_words_in_spanish_and_in_english() {
    // The invalid fixture's document on a shelf that does not exist.
    let errors = load(&fixture("invalid"), &fixture("invalid")).expect_err("the invalid fixture fails");
    let es = errors_body(Some(&errors), Locale::Es);
    let en = errors_body(Some(&errors), Locale::En);
    assert!(
        es.contains("resources/unknown-shelf.toml:5: «Estante»: «nowhere» no existe en el sitio."),
        "{es}"
    );
    assert!(
        en.contains("resources/unknown-shelf.toml:5: “Shelf”: “nowhere” does not exist on the site."),
        "{en}"
    );
    // The developer's message stays beside it.
    assert!(es.contains("unknown shelf `nowhere` (see shelves.toml)"), "{es}");
}

/// The names of a list of fields, in order.
fn names(fields: &serde_json::Value) -> Vec<&str> {
    fields
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["name"].as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn the_editors_form_orders_keys_as_the_editor_does() {
    use crate::canonical::{DOCUMENT_FIELDS, SHELVES_FIELDS, STORY_FIELDS, TEXTS_FIELDS};
    let config = valid_config(&settings(true, &[]), Locale::En);
    assert_eq!(names(&collection(&config, "stories")["fields"]), STORY_FIELDS);
    assert_eq!(names(&collection(&config, "documents")["fields"]), DOCUMENT_FIELDS);
    assert_eq!(
        names(&collection(&config, "shelves")["files"][0]["fields"]),
        SHELVES_FIELDS
    );
    assert_eq!(names(&collection(&config, "site")["files"][0]["fields"]), TEXTS_FIELDS);
}

/// The `github` backend's settings, with `extra`; its secret in a file removed once read.
fn github_settings(name: &str, extra: &[(&str, &str)]) -> AdminSettings {
    let secret = std::env::temp_dir().join(format!("aipr-{name}-{}", std::process::id()));
    std::fs::write(&secret, "the-secret").expect("a temporary file");
    let secret_path = secret.to_string_lossy().into_owned();
    let mut vars = vec![
        ("CMS_BACKEND", "github"),
        ("CMS_REPO", "aipr/website"),
        ("CMS_APP_ID", "Iv1.abc"),
        ("CMS_GITHUB_SECRET_FILE", secret_path.as_str()),
    ];
    vars.extend_from_slice(extra);
    let github = settings(false, &vars);
    std::fs::remove_file(&secret).expect("the temporary file");
    github
}

#[test]
fn github_signs_in_through_the_site_and_publishes_by_pull_requests() {
    let config = valid_config(&github_settings("config-github", &[]), Locale::Es);
    let snapshot = load(&fixture("valid"), &fixture("valid")).expect("the valid fixture loads");
    let site = github::origin_of(&snapshot.site.base_url).expect("the fixture's origin");
    assert_eq!(
        config["backend"],
        serde_json::json!({
            "name": "github",
            "repo": "aipr/website",
            "branch": "main",
            "base_url": site.origin().ascii_serialization(),
            "auth_endpoint": "admin/auth",
        })
    );
    assert_eq!(config["publish_mode"], "editorial_workflow");
    let printed = config.to_string();
    assert!(
        !printed.contains("the-secret") && !printed.contains("app_id"),
        "{printed}"
    );
    let enterprise = github_settings(
        "config-ghe",
        &[
            ("CMS_BASE_URL", "https://ghe.example"),
            ("CMS_API_ROOT", "https://ghe.example/api/v3"),
        ],
    );
    let config = valid_config(&enterprise, Locale::Es);
    assert_eq!(config["backend"]["api_root"], "https://ghe.example/api/v3");
    assert_ne!(
        config["backend"]["base_url"], "https://ghe.example",
        "the sign-in host is the server's"
    );
}

#[test]
fn the_github_policy_reaches_its_api_and_avatars_only() {
    let policy = editor_policy(&github_settings("policy-github", &[]));
    assert!(
        policy.contains("connect-src 'self' blob: https://api.github.com;"),
        "{policy}"
    );
    assert!(
        policy.contains("img-src 'self' data: blob: https://api.github.com https://avatars.githubusercontent.com;"),
        "{policy}"
    );
    assert!(
        !policy.contains("https://github.com"),
        "the sign-in is the server's: {policy}"
    );
    let stand_in = github_settings(
        "policy-stand-in",
        &[
            ("CMS_BASE_URL", "http://127.0.0.1:3019"),
            ("CMS_API_ROOT", "http://127.0.0.1:3019/api/"),
        ],
    );
    let policy = editor_policy(&stand_in);
    assert!(
        policy.contains("connect-src 'self' blob: http://127.0.0.1:3019;"),
        "{policy}"
    );
    assert!(policy.contains("script-src 'self' 'unsafe-eval';"), "{policy}");
}
