//! `server check [DIR]`: checks a content tree the way the server loads it, plus the links in
//! its stories, without serving anything. Editors' CI and a pre-commit hook run it.

use app::content::{check_links, load, ContentError, LoadErrors};
use std::path::Path;

/// A content tree that passed the check.
#[derive(Debug)]
pub struct Checked {
    /// A line saying what was checked.
    pub summary: String,
    /// What a production server would refuse (a placeholder donation account), each with its
    /// file, line and key: the tree is fine for development.
    pub warnings: Vec<ContentError>,
}

/// Checks the content in `content` (document files and images under `public`). On success,
/// what was checked and the content's warnings; otherwise every error, each with its file and
/// line. For `production`, a warning is an error, as it is for a production server.
pub fn check(content: &Path, public: &Path, production: bool) -> Result<Checked, LoadErrors> {
    let snapshot = load(content, public)?;
    let broken = check_links(&snapshot, content, public);
    if !broken.is_empty() {
        return Err(LoadErrors(broken));
    }
    let warnings = snapshot.site.warnings.clone();
    if production && !warnings.is_empty() {
        return Err(LoadErrors(warnings));
    }
    Ok(Checked {
        summary: format!(
            "{}: the content is valid ({} stories, {} documents, {} shelves)",
            content.display(),
            snapshot.stories().len(),
            snapshot.document_count(),
            snapshot.shelf_entries().len()
        ),
        warnings,
    })
}
