//! Turns `locales/{es,en}.json` into one `Messages` struct with a field per key, so that a key
//! used in code but missing from a file, or present in one language only, fails the build.

use std::{collections::BTreeMap, env, fs, path::Path};

const LOCALES: [(&str, &str); 2] = [("es", "ES"), ("en", "EN")];

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
    let mut out = String::from(
        "/// Every user-facing string of the site, one field per key of `locales/*.json`.\n\
         #[derive(Debug)]\npub struct Messages {\n",
    );
    for key in first.keys() {
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
        for (key, value) in table {
            out.push_str(&format!("    {key}: {value:?},\n"));
        }
        out.push_str("};\n");
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("messages.rs");
    fs::write(dest, out).expect("write messages.rs");
}
