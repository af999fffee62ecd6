//! `server check [DIR]`: checks a content tree the way the server loads it, plus the links in
//! its stories, without serving anything. Editors' CI and a pre-commit hook run it.

use app::content::{check_links, load, LoadErrors};
use std::path::Path;

/// Checks the content in `content` (document files and images under `public`). On success, a
/// line saying what was checked; otherwise every error, each with its file and line.
pub fn check(content: &Path, public: &Path) -> Result<String, LoadErrors> {
    let snapshot = load(content, public)?;
    let broken = check_links(&snapshot, content, public);
    if !broken.is_empty() {
        return Err(LoadErrors(broken));
    }
    Ok(format!(
        "{}: the content is valid ({} stories, {} documents, {} shelves)",
        content.display(),
        snapshot.stories().len(),
        snapshot.document_count(),
        snapshot.shelf_entries().len()
    ))
}
