//! What the server's integration tests share.

use server::{front::Drain, front::Front, page_cache::PageCache, photos::Photos, site, AppState};
use std::{
    fs,
    path::{Path, PathBuf},
};

/// The repository's root.
#[allow(dead_code)] // each test crate includes this module; not every one serves the site
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The site as the server runs it, on `store`'s content, without a socket: kept `pages` at the
/// front, the `drain` switch, the `photos`' derivatives, and Leptos's options for the repository.
#[allow(dead_code)] // each test crate includes this module; not every one serves the site
pub fn site_of(
    store: app::content::ContentStore,
    pages: PageCache,
    drain: Drain,
    photos: Photos,
) -> Front<axum::Router> {
    let options = leptos::config::LeptosOptions::builder()
        .output_name("aipr")
        .site_root(root().join("public").to_string_lossy().into_owned())
        .build();
    site(
        AppState {
            options: options.into(),
            store,
            pages,
            drain,
            photos,
        },
        None,
    )
}

/// Copies the tree `from` to `to`, for a test that edits a fixture's copy.
#[allow(dead_code)] // each test crate includes this module; not every one copies a tree
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
