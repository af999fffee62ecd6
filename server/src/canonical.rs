//! The browser editor's own form of the content files: the text Decap CMS writes when it saves
//! an entry (its TOML writer, `tomlify`, with the keys in the order of the entry's fields).
//! A file in that form changes, when saved from the editor, only where the editor changed a
//! field. `server check` flags a file that is not in it; `server fmt` rewrites it so.
//!
//! The form: the top-level keys in the order of the editor's fields (keys it has no field for
//! after them, as they were); in every table, plain values first (`key = value`, strings as
//! JSON writes them, integers as written, lists on one line) and then the sub-tables
//! (`[title]`, `[[shelf]]`, `[shelf.title]`), each after an empty line; dates as quoted text
//! (`"2023-01-18"`, as the editor's date field writes them); no comments; a newline at the end
//! (as the editor saves them). Stories' front matter sits between `+++` lines
//! and the Markdown after it is kept as it is.

use std::{fs, path::Path};
use toml::{Table, Value};

/// The fields of a story, in the editor's order (`admin::config`, checked by its tests).
pub const STORY_FIELDS: [&str; 9] = [
    "title", "date", "summary", "kind", "programs", "tags", "author", "image", "body",
];
/// The fields of a document, in the editor's order.
pub const DOCUMENT_FIELDS: [&str; 11] = [
    "title",
    "summary",
    "shelf",
    "year",
    "date",
    "languages",
    "kind",
    "pages",
    "programs",
    "file",
    "url",
];
/// The fields of `shelves.toml`.
pub const SHELVES_FIELDS: [&str; 1] = ["shelf"];
/// The fields of `texts.toml`.
pub const TEXTS_FIELDS: [&str; 2] = ["intro", "programs"];

/// A file the editor writes, by its path in the content folder, with its fields; `None` for a
/// file it never writes (`site.toml`).
fn fields_of(relative: &Path) -> Option<(&'static [&'static str], bool)> {
    let name = relative.to_str()?;
    match name {
        "shelves.toml" => Some((&SHELVES_FIELDS, false)),
        "texts.toml" => Some((&TEXTS_FIELDS, false)),
        _ if name.starts_with("stories/") && name.ends_with(".md") => Some((&STORY_FIELDS, true)),
        _ if name.starts_with("resources/") && name.ends_with(".toml") => Some((&DOCUMENT_FIELDS, false)),
        _ => None,
    }
}

/// The file `text` (at `relative` in the content folder) in the editor's form; `None` when the
/// editor never writes such a file or when it cannot be read as TOML (the loader says why).
pub fn canonical(relative: &Path, text: &str) -> Option<String> {
    let (fields, front_matter) = fields_of(relative)?;
    if !front_matter {
        return Some(format!("{}\n", toml_text(&text.parse::<Table>().ok()?, fields)));
    }
    let rest = text.strip_prefix("+++\n")?;
    let end = rest
        .find("\n+++\n")
        .or_else(|| rest.ends_with("\n+++").then(|| rest.len() - 4))?;
    let front = rest[..end].parse::<Table>().ok()?;
    let body = rest.get(end + 5..).unwrap_or("");
    let newline = if body.is_empty() || body.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Some(format!("+++\n{}\n+++\n{body}{newline}", toml_text(&front, fields)))
}

/// The files under `content` that are not in the editor's form, relative to it, with their
/// text in that form.
pub fn not_canonical(content: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for folder in ["", "stories", "resources"] {
        let Ok(entries) = fs::read_dir(content.join(folder)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        for name in names {
            let relative = if folder.is_empty() {
                name
            } else {
                format!("{folder}/{name}")
            };
            let Ok(text) = fs::read_to_string(content.join(&relative)) else {
                continue;
            };
            if let Some(form) = canonical(Path::new(&relative), &text) {
                if form != text {
                    files.push((relative, form));
                }
            }
        }
    }
    files
}

/// A table as the editor's TOML writer writes it, its top-level keys in the order of `fields`.
pub fn toml_text(table: &Table, fields: &[&str]) -> String {
    let mut keys: Vec<&String> = table.keys().collect();
    keys.sort_by_key(|key| fields.iter().position(|f| f == key).unwrap_or(fields.len()));
    let mut lines = Vec::new();
    write_table(&mut lines, &mut Vec::new(), table, &keys, None);
    lines.join("\n")
}

/// Whether a value is written as a table of its own (`[a]`, `[[a]]`).
fn is_tables(value: &Value) -> bool {
    match value {
        Value::Table(_) => true,
        Value::Array(items) => items.iter().any(Value::is_table),
        _ => false,
    }
}

/// The lines of `table` at `path`: its header (`header`: `Some(true)` for an element of a list of
/// tables), its plain values, then its sub-tables.
fn write_table(lines: &mut Vec<String>, path: &mut Vec<String>, table: &Table, keys: &[&String], header: Option<bool>) {
    if let Some(in_list) = header {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let name = path.iter().map(|k| key(k)).collect::<Vec<_>>().join(".");
        lines.push(if in_list {
            format!("[[{name}]]")
        } else {
            format!("[{name}]")
        });
    }
    for k in keys.iter().filter(|k| !is_tables(&table[k.as_str()])) {
        lines.push(format!("{} = {}", key(k), value(&table[k.as_str()])));
    }
    for k in keys.iter().filter(|k| is_tables(&table[k.as_str()])) {
        path.push((*k).clone());
        match &table[k.as_str()] {
            Value::Table(sub) => write_table(lines, path, sub, &sub.keys().collect::<Vec<_>>(), Some(false)),
            Value::Array(items) => {
                for item in items {
                    if let Value::Table(sub) = item {
                        write_table(lines, path, sub, &sub.keys().collect::<Vec<_>>(), Some(true));
                    }
                }
            }
            _ => {}
        }
        path.pop();
    }
}

/// A key, bare when it can be.
fn key(key: &str) -> String {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        key.to_owned()
    } else {
        quoted(key)
    }
}

/// A string as JSON writes it (as the editor's writer does).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// A plain value.
fn value(value: &Value) -> String {
    match value {
        Value::String(s) => quoted(s),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => quoted(&d.to_string()),
        Value::Array(items) => format!("[{}]", items.iter().map(self::value).collect::<Vec<_>>().join(", ")),
        Value::Table(t) => format!(
            "{{{}}}",
            t.iter()
                .map(|(k, v)| format!("{} = {}", key(k), self::value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_is_written_as_the_editor_writes_it() {
        let text = "+++\n# A comment\ntitle = \"Un \\\"título\\\"\"\nsummary = \"Resumen.\"\ndate = 2024-05-02\nkind = \"news\"\nprograms = []\ntags = [\"a\", \"b\"]\n[image]\nsrc = \"/images/a.jpg\"\nalt = \"Una foto\"\n+++\n\nEl texto.\n";
        assert_eq!(
            canonical(Path::new("stories/x.es.md"), text).unwrap(),
            "+++\ntitle = \"Un \\\"título\\\"\"\ndate = \"2024-05-02\"\nsummary = \"Resumen.\"\nkind = \"news\"\nprograms = []\ntags = [\"a\", \"b\"]\n\n[image]\nsrc = \"/images/a.jpg\"\nalt = \"Una foto\"\n+++\n\nEl texto.\n"
        );
    }

    #[test]
    fn lists_of_tables_and_inline_tables_become_sub_tables() {
        let text = "# Shelves\n[[shelf]]\nid = \"a\"\ntitle = { es = \"A\", en = \"B\" }\n\n[[shelf]]\nid = \"b\"\ntitle = { es = \"C\", en = \"D\" }\n";
        assert_eq!(
            canonical(Path::new("shelves.toml"), text).unwrap(),
            "[[shelf]]\nid = \"a\"\n\n[shelf.title]\nes = \"A\"\nen = \"B\"\n\n[[shelf]]\nid = \"b\"\n\n[shelf.title]\nes = \"C\"\nen = \"D\"\n"
        );
    }

    #[test]
    fn a_file_in_the_form_stays_as_it_is_and_site_toml_is_not_the_editors() {
        let document = "shelf = \"a\"\nyear = 2021\nlanguages = [\"en\", \"es\"]\nkind = \"paper\"\nsize = 10\n\n[title]\nes = \"Título\"\n";
        assert_eq!(
            canonical(Path::new("resources/x.toml"), document).as_deref(),
            Some(document)
        );
        assert_eq!(canonical(Path::new("site.toml"), "# comment\nbase_url = \"x\"\n"), None);
        assert_eq!(canonical(Path::new("resources/x.toml"), "not = toml = at all"), None);
    }
}
