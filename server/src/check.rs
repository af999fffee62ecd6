//! `server check [DIR]`: checks a content tree the way the server loads it, plus the links in
//! its stories and that the files the browser editor writes are in its form (`canonical`),
//! without serving anything. Editors' CI and a pre-commit hook run it.

use crate::canonical::not_canonical;
use app::content::{check_links, load, photos::decode, ContentError, LoadErrors, Snapshot};
use std::{
    fs,
    path::{Path, PathBuf},
};

/// A content tree that passed the check.
#[derive(Debug)]
pub struct Checked {
    /// A line saying what was checked.
    pub summary: String,
    /// What a production server would refuse (a placeholder donation account), each with its
    /// file, line and key: the tree is fine for development.
    pub warnings: Vec<ContentError>,
    /// The files not in the browser editor's form (`server fmt` puts them in it): fine to
    /// serve, but a save from the editor would change more of them than the fields it changed.
    pub not_in_form: Vec<ContentError>,
}

/// Checks the content in `content` (document files and images under `public`). On success,
/// what was checked and the content's warnings; otherwise every error, each with its file and
/// line. For `production`, a warning is an error, as it is for a production server.
pub fn check(content: &Path, public: &Path, production: bool) -> Result<Checked, LoadErrors> {
    let snapshot = load(content, public)?;
    let mut broken = check_links(&snapshot, content, public);
    broken.extend(undecodable_photos(&snapshot, public));
    if !broken.is_empty() {
        broken.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
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
        not_in_form: not_in_the_editors_form(content),
    })
}

/// The files the editor would rewrite beyond the fields it changes: a save of one of them from
/// the editor would show more than that field in `git diff`. `server fmt` puts them in form.
pub fn not_in_the_editors_form(content: &Path) -> Vec<ContentError> {
    not_canonical(content)
        .into_iter()
        .map(|(file, _)| ContentError {
            file: PathBuf::from(file),
            line: None,
            message: "not in the form the browser editor writes (`server fmt` puts it in that form)".to_owned(),
            plain: None,
        })
        .collect()
}

/// The photos that do not decode whole (a truncated or damaged file), each where a story names
/// it: what loading, which reads only headers, cannot tell, and what the server would report
/// when it makes the derivatives. One photo is decoded at a time.
fn undecodable_photos(snapshot: &Snapshot, public: &Path) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for photo in snapshot.photos() {
        let path = &photo.original.path;
        let Err(message) = fs::read(path)
            .map_err(|e| format!("cannot be read: {e}"))
            .and_then(|bytes| decode(&bytes).map(drop))
        else {
            continue;
        };
        let src = path.strip_prefix(public).unwrap_or(path).display().to_string();
        for site in &photo.sites {
            errors.push(ContentError {
                file: site.file.clone(),
                line: site.line,
                message: format!("image `/{src}` {message}"),
                plain: None,
            });
        }
    }
    errors
}
