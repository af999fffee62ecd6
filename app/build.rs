//! Turns `locales/{es,en}.json` into one `Messages` struct with a field per key, so that a key
//! used in code but missing from a file, or present in one language only, fails the build.
//! The browser's build (without `ssr`) keeps only the keys its code names: every string is in
//! the WASM of every page that has an island, and most are the server's.

use std::{
    collections::{BTreeMap, BTreeSet},
    env, fs,
    path::Path,
};

const LOCALES: [(&str, &str); 2] = [("es", "ES"), ("en", "EN")];

/// The modules `lib.rs` compiles for the server only; the rest of `src/` is also the browser's.
const SERVER_ONLY: [&str; 6] = [
    "src/app.rs",
    "src/pages",
    "src/content",
    "src/components/error_view.rs",
    "src/components/head.rs",
    "src/components/layout.rs",
];

/// Every word (identifier) in the Rust files under `dir` that the browser's build compiles.
fn browser_words(dir: &Path, words: &mut BTreeSet<String>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if SERVER_ONLY.iter().any(|server| path.ends_with(server)) {
            continue;
        }
        if path.is_dir() {
            browser_words(&path, words);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            words.extend(
                text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned),
            );
        }
    }
}

fn read(code: &str) -> BTreeMap<String, String> {
    let path = format!("locales/{code}.json");
    println!("cargo:rerun-if-changed={path}");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main() {
    let tables: Vec<_> = LOCALES.iter().map(|(code, _)| (*code, read(code))).collect();
    let (first_code, first) = &tables[0];
    for (code, table) in &tables[1..] {
        let missing: Vec<_> = first.keys().filter(|k| !table.contains_key(*k)).collect();
        let extra: Vec<_> = table.keys().filter(|k| !first.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "translation keys differ: missing in {code}: {missing:?}; missing in {first_code}: {extra:?}"
        );
        for (key, value) in table {
            assert!(!value.trim().is_empty(), "locales/{code}.json: `{key}` is empty");
        }
    }
    // A key the browser's code names but that is left out here fails its build, as a missing
    // key does: the list cannot go stale.
    let kept: BTreeSet<String> = if env::var_os("CARGO_FEATURE_SSR").is_some() {
        first.keys().cloned().collect()
    } else {
        println!("cargo:rerun-if-changed=src");
        let mut words = BTreeSet::new();
        browser_words(Path::new("src"), &mut words);
        first.keys().filter(|k| words.contains(*k)).cloned().collect()
    };
    let mut out = String::from(
        "/// Every user-facing string of the site, one field per key of `locales/*.json` (in the\n\
         /// browser's build, the keys its code names).\n\
         #[derive(Debug)]\npub struct Messages {\n",
    );
    for key in first.keys().filter(|k| kept.contains(*k)) {
        assert!(
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "translation key `{key}` must be snake_case"
        );
        out.push_str(&format!("    pub {key}: &'static str,\n"));
    }
    out.push_str("}\n");
    for ((_, table), (_, name)) in tables.iter().zip(LOCALES) {
        out.push_str(&format!("pub static {name}: Messages = Messages {{\n"));
        for (key, value) in table.iter().filter(|(k, _)| kept.contains(*k)) {
            out.push_str(&format!("    {key}: {value:?},\n"));
        }
        out.push_str("};\n");
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("messages.rs");
    fs::write(dest, out).expect("write messages.rs");
}
