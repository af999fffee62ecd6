//! `server check DIR` over the fixture trees: every error with its file and line and exit 1, or
//! a valid tree and exit 0.

mod common;

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../app/tests/fixtures")
        .join(name)
}

/// Runs `server check dir` with `public` as the site's files, in development.
fn check(dir: &Path, public: &Path) -> (Output, String) {
    check_in("DEV", dir, public)
}

/// Runs `server check dir` with `LEPTOS_ENV=env`.
fn check_in(env: &str, dir: &Path, public: &Path) -> (Output, String) {
    check_in_language("C.UTF-8", env, dir, public)
}

/// Runs `server check dir` with `LEPTOS_ENV=env` and `LANG=lang`.
fn check_in_language(lang: &str, env: &str, dir: &Path, public: &Path) -> (Output, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["check".as_ref(), dir.as_os_str()])
        .env("LANG", lang)
        .env("LEPTOS_ENV", env)
        .env("PUBLIC_DIR", public)
        .env("RUST_LOG", "off")
        .output()
        .expect("the server binary runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output, text)
}

#[test]
fn an_invalid_tree_lists_every_error_and_fails() {
    let (output, text) = check(&fixture("invalid"), &fixture("invalid"));
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("19 error(s) in the content:"), "{text}");
    for line in [
        "stories/unknown-program.en.md:6: “Programs”: “europe” does not exist on the site.",
        "shelves.toml:11: duplicate shelf id `guides`",
        "resources/missing-file.toml:5:",
        "stories/Bad_Name.es.md: ",
    ] {
        assert!(text.contains(line), "missing `{line}` in\n{text}");
    }
}

#[test]
fn an_editors_mistake_is_in_the_editors_words_in_spanish_or_english_with_its_file_and_line() {
    let (_, es) = check_in_language("es_ES.UTF-8", "DEV", &fixture("invalid"), &fixture("invalid"));
    let (_, en) = check_in_language("en_GB.UTF-8", "DEV", &fixture("invalid"), &fixture("invalid"));
    for (text, line) in [
        (&es, "resources/missing-title.toml:7: Falta «Título» en inglés."),
        (&en, "resources/missing-title.toml:7: “Title” is missing in English."),
        (
            &es,
            "stories/bad-date.en.md:3: «Fecha»: «18/01/2023» no es una fecha que exista.",
        ),
        (
            &en,
            "stories/bad-date.en.md:3: “Date”: “18/01/2023” is not a date that exists.",
        ),
    ] {
        assert!(text.contains(line), "missing `{line}` in\n{text}");
    }
}

#[test]
fn a_valid_tree_passes() {
    let (output, text) = check(&fixture("valid"), &fixture("valid"));
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("the content is valid (4 stories, 2 documents, 2 shelves)"),
        "{text}"
    );
}

#[test]
fn a_broken_link_is_named_with_its_line() {
    let dir = std::env::temp_dir().join(format!("aipr-check-links-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    common::copy_dir(&fixture("valid"), &dir);
    let story = dir.join("stories/beta.en.md");
    let text = fs::read_to_string(&story).unwrap();
    fs::write(
        &story,
        format!("{text}\nSee [the missing story](/en/stories/nowhere) and [a file](/documents/none.pdf).\n"),
    )
    .unwrap();
    let line = text.lines().count() + 2;
    let (output, out) = check(&dir, &fixture("valid"));
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "stories/beta.en.md:{line}: “Text”: the link “/en/stories/nowhere” leads to no page and no file of the site."
        )),
        "{out}"
    );
    assert!(
        out.contains("the link “/documents/none.pdf” leads to no page and no file of the site."),
        "{out}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_placeholder_account_is_a_warning_in_development_and_an_error_for_production() {
    let dir = std::env::temp_dir().join(format!("aipr-check-placeholder-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    common::copy_dir(&fixture("valid"), &dir);
    let site = dir.join("site.toml");
    let text = fs::read_to_string(&site).unwrap();
    fs::write(
        &site,
        text.replace("account=aipr-fixture", "account=REPLACE-WITH-AIPR-ACCOUNT"),
    )
    .unwrap();
    let line = text.lines().position(|l| l.starts_with("once_url")).unwrap() + 1;
    let warning =
        format!("site.toml:{line}: `once_url` still holds the placeholder account `REPLACE-WITH-AIPR-ACCOUNT`");

    let (output, out) = check(&dir, &fixture("valid"));
    assert!(output.status.success(), "a warning passes in development: {out}");
    assert!(out.contains(&format!("warning: {warning}")), "{out}");
    assert!(out.contains("the content is valid"), "{out}");

    let (output, out) = check_in("PROD", &dir, &fixture("valid"));
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("1 error(s) in the content:"), "{out}");
    assert!(out.contains(&warning), "{out}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_file_not_in_the_editors_form_is_named_and_fmt_puts_it_in_form() {
    let dir = std::env::temp_dir().join(format!("aipr-check-form-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    common::copy_dir(&fixture("valid"), &dir);
    let document = dir.join("resources/memoria.toml");
    let text = fs::read_to_string(&document).unwrap();
    // As a person might write it: comments, a TOML date, keys in another order.
    let by_hand = format!(
        "# Written by hand.\nkind = \"report\"\n{}",
        text.replace("date = \"2021-05-01\"", "date = 2021-05-01 # the day it came out")
            .replace("kind = \"report\"\n", "")
    );
    fs::write(&document, &by_hand).unwrap();
    let shelves = dir.join("shelves.toml");
    let shelves_text = fs::read_to_string(&shelves).unwrap();
    fs::write(&shelves, format!("{shelves_text}\n")).unwrap();
    // Fine to serve (a file added by hand), but named.
    let (output, out) = check(&dir, &fixture("valid"));
    assert!(output.status.success(), "{out}");
    for file in ["resources/memoria.toml", "shelves.toml"] {
        assert!(
            out.contains(&format!("warning: {file}: not in the form the browser editor writes")),
            "{file} in {out}"
        );
    }
    assert!(!out.contains("site.toml"), "site.toml is not the editor's: {out}");

    let fmt = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("fmt")
            .args(args)
            .arg(&dir)
            .env("RUST_LOG", "off")
            .output()
            .expect("the server binary runs")
    };
    let named = fmt(&["--check"]);
    assert_eq!(named.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&named.stdout).contains("memoria.toml: not in the form"));
    assert_eq!(
        fs::read_to_string(&document).unwrap(),
        by_hand,
        "--check writes nothing"
    );
    assert!(fmt(&[]).status.success());
    assert_eq!(
        fs::read_to_string(&document).unwrap(),
        text,
        "back to the editor's form"
    );
    assert_eq!(fs::read_to_string(&shelves).unwrap(), shelves_text);
    assert!(fmt(&["--check"]).status.success());
    let (output, out) = check(&dir, &fixture("valid"));
    assert!(output.status.success() && !out.contains("warning"), "{out}");
    let _ = fs::remove_dir_all(&dir);
}
