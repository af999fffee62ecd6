//! The CMS configuration (`/admin/config.yml`), generated from the current content so that its
//! choices (programs, shelves) and its field rules never drift from what the loader accepts.
//! It is JSON, which is YAML too: Decap reads it as YAML.

use super::{
    github,
    settings::{AdminSettings, GitBackend},
};
use app::{
    content::Snapshot,
    i18n::{fill, Locale, Messages},
    model::{language_name, DocumentKind, StoryKind, KNOWN_LANGUAGES},
};
use serde_json::{json, Value};

/// What the loader accepts as an id (`is_id` in the loader): a-z, 0-9 and `-`, at most 100.
pub const ID_PATTERN: &str = "^[a-z0-9-]{1,100}$";

/// What the loader accepts as a link to a document: `https://` and no white space.
pub const URL_PATTERN: &str = "^https://\\S+$";

/// Every kind of document, in the order the editor offers them.
pub const DOCUMENT_KINDS: [DocumentKind; 6] = [
    DocumentKind::Report,
    DocumentKind::Guide,
    DocumentKind::Paper,
    DocumentKind::Book,
    DocumentKind::Brochure,
    DocumentKind::Other,
];

/// Fails to compile when a kind is added to the model and not to [`DOCUMENT_KINDS`].
const _: fn(DocumentKind) = |kind| match kind {
    DocumentKind::Report
    | DocumentKind::Guide
    | DocumentKind::Paper
    | DocumentKind::Book
    | DocumentKind::Brochure
    | DocumentKind::Other => {}
};

/// Years the loader accepts for a document (four digits).
const YEARS: (u16, u16) = (1000, 9999);

/// The CMS configuration for the current content, labelled in `locale`.
pub fn cms_config(snapshot: &Snapshot, settings: &AdminSettings, locale: Locale) -> Value {
    let t = locale.messages();
    let mut config = json!({
        "locale": locale.code(),
        "site_url": snapshot.site.base_url,
        "display_url": snapshot.site.base_url,
        "media_folder": format!("{}/images", settings.public_path),
        "public_folder": "/images",
        "slug": { "encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-" },
        "i18n": {
            "structure": "multiple_files",
            "locales": Locale::ALL.map(Locale::code),
            "default_locale": Locale::default().code(),
        },
        "collections": [
            stories(snapshot, settings, locale, t),
            documents(snapshot, settings, locale, t),
            shelves(settings, locale, t),
            site(settings, locale, t),
        ],
    });
    if let Some(git) = &settings.git {
        config["backend"] = backend(snapshot, git);
        // GitLab and GitHub: drafts, review and publishing as merge or pull requests, so that a
        // change reaches the deployed branch only once someone has published it. Decap's Gitea
        // backend has no editorial workflow: it publishes straight to the branch.
        if git.name != "gitea" {
            config["publish_mode"] = json!("editorial_workflow");
        }
    }
    if let Some(local) = &settings.local_backend {
        if settings.git.is_none() {
            // With no Git host, the local backend is the only one (Decap's `proxy`).
            config["backend"] = json!({ "name": "proxy", "proxy_url": local, "branch": "main" });
        }
        config["local_backend"] = json!({ "url": local, "allowed_hosts": ["127.0.0.1", "localhost"] });
    }
    config
}

/// The `backend` entry for a Git host. GitLab and Gitea sign in with PKCE in the page; GitHub
/// through the site's own auth endpoint (`github`), so its `base_url` is the site's origin, where
/// the sign-in popup is, and its sign-in host (`CMS_BASE_URL`) is the server's business alone.
fn backend(snapshot: &Snapshot, git: &GitBackend) -> Value {
    let mut backend = json!({ "name": git.name, "repo": git.repo, "branch": git.branch });
    if git.name == "github" {
        let site = &snapshot.site.base_url;
        backend["base_url"] = json!(github::origin_of(site)
            .map(|o| o.origin().ascii_serialization())
            .unwrap_or_else(|| site.clone()));
        backend["auth_endpoint"] = json!(github::AUTH_ENDPOINT);
        if let Some(api_root) = &git.api_root {
            backend["api_root"] = json!(api_root);
        }
        return backend;
    }
    backend["auth_type"] = json!("pkce");
    backend["app_id"] = json!(git.app_id);
    for (key, value) in [("base_url", &git.base_url), ("api_root", &git.api_root)] {
        if let Some(value) = value {
            backend[key] = json!(value);
        }
    }
    backend
}

/// The programs of `site.toml` as the options of a select.
fn program_options(snapshot: &Snapshot, locale: Locale) -> Vec<Value> {
    snapshot
        .site
        .programs
        .iter()
        .map(|p| json!({ "label": p.title.get(locale), "value": p.id }))
        .collect()
}

/// A text per language of the site, as an object with one field per language.
fn per_language(name: &str, label: &str, widget: &str, required: &[bool; 2], locale: Locale) -> Value {
    let fields: Vec<Value> = Locale::ALL
        .iter()
        .zip(required)
        .map(|(language, required)| {
            json!({
                "name": language.code(),
                "label": language_name(language.code(), locale),
                "widget": widget,
                "required": required,
            })
        })
        .collect();
    json!({ "name": name, "label": label, "widget": "object", "collapsed": false, "fields": fields })
}

fn id_field(t: &Messages) -> Value {
    json!({
        "name": "id", "label": t.admin_field_id, "widget": "string", "hint": t.admin_hint_id,
        "pattern": [ID_PATTERN, t.admin_pattern_id],
    })
}

/// `stories/{id}.{es|en}.md`: both languages side by side; date, kind and programs entered
/// once and written into each language's file.
fn stories(snapshot: &Snapshot, settings: &AdminSettings, locale: Locale, t: &Messages) -> Value {
    let kinds: Vec<Value> = [StoryKind::News, StoryKind::Impact]
        .into_iter()
        .map(|k| json!({ "label": k.label(locale), "value": k }))
        .collect();
    json!({
        "name": "stories",
        "label": t.admin_stories,
        "label_singular": t.admin_story,
        "folder": format!("{}/stories", settings.content_path),
        "extension": "md",
        "format": "toml-frontmatter",
        "create": true,
        "identifier_field": "title",
        "slug": "{{slug}}",
        "summary": "{{title}} · {{date}}",
        "sortable_fields": ["date", "title"],
        "i18n": true,
        "preview_path": "{{locale}}/{{slug}}",
        "fields": [
            // A story is in the languages it has a title and a summary in: neither language
            // is required, and `editor.js` refuses a language half written (`storySave`).
            {
                "name": "title", "label": t.admin_field_title, "widget": "string", "required": false,
                "hint": t.admin_hint_story_languages, "i18n": true,
            },
            // `aipr-date` (editor.js): typed as dd/mm/aaaa in Spanish, written as `YYYY-MM-DD`.
            { "name": "date", "label": t.admin_field_date, "widget": "aipr-date", "hint": t.admin_hint_date, "i18n": "duplicate" },
            { "name": "summary", "label": t.admin_field_summary, "widget": "text", "hint": t.admin_hint_summary, "required": false, "i18n": true },
            { "name": "kind", "label": t.admin_field_kind, "widget": "select", "options": kinds, "default": "news", "i18n": "duplicate" },
            {
                "name": "programs", "label": t.admin_field_programs, "widget": "select", "multiple": true,
                "options": program_options(snapshot, locale), "required": false, "default": [], "i18n": "duplicate",
            },
            { "name": "tags", "label": t.admin_field_tags, "widget": "list", "hint": t.admin_hint_tags, "required": false, "default": [], "i18n": true },
            { "name": "author", "label": t.admin_field_author, "widget": "string", "required": false, "i18n": true },
            {
                "name": "image", "label": t.admin_field_image, "widget": "object", "required": false, "collapsed": true, "i18n": true,
                "fields": [
                    // Optional inside an optional object: Decap checks an untouched object's
                    // required fields too. The loader asks for the alt text of an image.
                    // One photo for both languages; its text alternative in each. A photo over the
                    // loader's limit is refused before it is uploaded.
                    {
                        "name": "src", "label": t.admin_field_image_file, "widget": "image", "choose_url": false, "required": false, "i18n": "duplicate",
                        "media_library": { "config": { "max_file_size": app::content::photos::MAX_PHOTO_BYTES } },
                    },
                    { "name": "alt", "label": t.admin_field_alt, "widget": "string", "hint": t.admin_hint_alt, "required": false, "i18n": true },
                ],
            },
            { "name": "body", "label": t.admin_field_body, "widget": "markdown", "required": false, "i18n": true },
        ],
    })
}

/// `resources/{id}.toml`: one document, uploaded as a PDF under `public/documents/` or linked.
fn documents(snapshot: &Snapshot, settings: &AdminSettings, locale: Locale, t: &Messages) -> Value {
    let shelves: Vec<Value> = snapshot
        .shelf_entries()
        .iter()
        .map(|s| json!({ "label": s.title.get(locale), "value": s.id }))
        .collect();
    let kinds: Vec<Value> = DOCUMENT_KINDS
        .into_iter()
        .map(|k| json!({ "label": k.label(locale), "value": k }))
        .collect();
    let languages: Vec<Value> = KNOWN_LANGUAGES
        .iter()
        .map(|l| json!({ "label": language_name(l, locale), "value": l }))
        .collect();
    let megabytes = (settings.upload_bytes >> 20).to_string();
    json!({
        "name": "documents",
        "label": t.admin_documents,
        "label_singular": t.admin_document,
        "folder": format!("{}/resources", settings.content_path),
        "extension": "toml",
        "format": "toml",
        "create": true,
        // The file's name is the document's id: made from its Spanish title.
        "identifier_field": "title.es",
        "slug": "{{fields.title.es}}",
        "summary": "{{fields.title.es}} · {{fields.year}}",
        "fields": [
            per_language("title", t.admin_field_title, "string", &[true, false], locale),
            per_language("summary", t.admin_field_summary, "text", &[false, false], locale),
            { "name": "shelf", "label": t.admin_field_shelf, "widget": "select", "options": shelves },
            {
                "name": "year", "label": t.admin_field_year, "widget": "number", "value_type": "int",
                "min": YEARS.0, "max": YEARS.1, "hint": t.admin_hint_year, "required": false,
                "pattern": ["^[0-9]{4}$", t.admin_pattern_year],
            },
            {
                "name": "date", "label": t.admin_field_date, "widget": "aipr-date", "required": false,
                "hint": t.admin_hint_document_date,
            },
            { "name": "languages", "label": t.admin_field_languages, "widget": "select", "multiple": true, "min": 1, "options": languages, "hint": t.admin_hint_languages },
            { "name": "kind", "label": t.admin_field_kind, "widget": "select", "options": kinds, "default": "report" },
            { "name": "pages", "label": t.admin_field_pages, "widget": "number", "value_type": "int", "min": 1, "required": false },
            { "name": "programs", "label": t.admin_field_programs, "widget": "select", "multiple": true, "options": program_options(snapshot, locale), "required": false, "default": [] },
            {
                "name": "file", "label": t.admin_field_file, "widget": "file", "required": false, "choose_url": false,
                "hint": fill(t.admin_hint_file, &[("mb", &megabytes)]),
                "media_folder": format!("/{}/documents", settings.public_path),
                "public_folder": "/documents",
                "media_library": { "config": { "max_file_size": settings.upload_bytes } },
            },
            {
                "name": "url", "label": t.admin_field_url, "widget": "string", "required": false,
                "hint": t.admin_hint_url, "pattern": [URL_PATTERN, t.admin_pattern_url],
            },
        ],
    })
}

/// `shelves.toml`: the list of shelves; its order is the display order.
fn shelves(settings: &AdminSettings, locale: Locale, t: &Messages) -> Value {
    let title_es = "{{fields.title.es}}";
    json!({
        "name": "shelves",
        "label": t.admin_shelves,
        "files": [{
            "name": "shelves",
            "label": t.admin_shelves_file,
            "file": format!("{}/shelves.toml", settings.content_path),
            "format": "toml",
            "fields": [{
                "name": "shelf", "label": t.admin_field_shelf_list, "widget": "list", "summary": title_es,
                "collapsed": true,
                "fields": [
                    id_field(t),
                    per_language("title", t.admin_field_title, "string", &[true, true], locale),
                    per_language("description", t.admin_field_description, "text", &[false, false], locale),
                ],
            }],
        }],
    })
}

/// `texts.toml`: the home page's introduction and the programs' names. The site's
/// configuration (name, base URL, donation settings) is in `site.toml`, which the editor never
/// writes, so its comments stay.
fn site(settings: &AdminSettings, locale: Locale, t: &Messages) -> Value {
    json!({
        "name": "site",
        "label": t.admin_site,
        "files": [{
            "name": "site",
            "label": t.admin_site_file,
            "file": format!("{}/texts.toml", settings.content_path),
            "format": "toml",
            "fields": [
                per_language("intro", t.admin_field_intro, "text", &[true, true], locale),
                {
                    "name": "programs", "label": t.admin_field_program_list, "widget": "list",
                    "summary": "{{fields.title.es}}", "collapsed": true,
                    "fields": [id_field(t), per_language("title", t.admin_field_name, "string", &[true, true], locale)],
                },
            ],
        }],
    })
}
