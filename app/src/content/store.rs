use super::{load_with, photos::Probes, LoadErrors, Snapshot};
use std::{
    collections::hash_map::DefaultHasher,
    fs,
    hash::{Hash, Hasher},
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
    time::SystemTime,
};

/// The current content snapshot, shared by every request and swapped whole on reload.
#[derive(Clone, Debug)]
pub struct ContentStore {
    current: Arc<RwLock<Arc<Snapshot>>>,
    /// The errors of the last reload, while it failed: what the editor's error page shows.
    errors: Arc<RwLock<Option<LoadErrors>>>,
    content_dir: PathBuf,
    public_dir: PathBuf,
    base_url: Option<String>,
    /// Whether the content's warnings (`Site::warnings`) are errors: in production.
    production: bool,
    /// The photos checked so far: a reload reads again only those that changed.
    probes: Arc<Probes>,
}

impl ContentStore {
    /// Loads the content; every error is returned, and then there is no store. `base_url`,
    /// when given, replaces the one of `site.toml`.
    pub fn open(
        content_dir: impl Into<PathBuf>,
        public_dir: impl Into<PathBuf>,
        base_url: Option<String>,
    ) -> Result<Self, LoadErrors> {
        let content_dir = content_dir.into();
        let public_dir = public_dir.into();
        let base_url = base_url.map(|b| b.trim_end_matches('/').to_owned());
        let probes = Arc::new(Probes::default());
        let snapshot = Self::load(&content_dir, &public_dir, base_url.as_deref(), false, &probes)?;
        Ok(ContentStore {
            current: Arc::new(RwLock::new(Arc::new(snapshot))),
            errors: Arc::new(RwLock::new(None)),
            content_dir,
            public_dir,
            base_url,
            production: false,
            probes,
        })
    }

    /// The store of a production server: the content's warnings (a placeholder donation
    /// account) are errors, now and on every reload, which keeps the last good content.
    pub fn for_production(mut self) -> Result<Self, LoadErrors> {
        let warnings = self.snapshot().site.warnings.clone();
        if !warnings.is_empty() {
            return Err(LoadErrors(warnings));
        }
        self.production = true;
        Ok(self)
    }

    fn load(
        content_dir: &Path,
        public_dir: &Path,
        base_url: Option<&str>,
        production: bool,
        probes: &Probes,
    ) -> Result<Snapshot, LoadErrors> {
        let mut snapshot = load_with(content_dir, public_dir, probes)?;
        if production && !snapshot.site.warnings.is_empty() {
            return Err(LoadErrors(snapshot.site.warnings));
        }
        if let Some(base_url) = base_url {
            snapshot.site.base_url = base_url.to_owned();
        }
        Ok(snapshot)
    }

    /// The original at `src` (`/images/x.jpg`, under the public folder), checked as the content's
    /// photos are, whether or not a story shows it yet; the error is for the editor. Reads and
    /// hashes the file unless it is unchanged since it was last checked: call it off the
    /// request threads.
    pub fn probe(&self, src: &str) -> Result<Arc<super::photos::Original>, String> {
        self.probes.probe(&self.public_dir, src)
    }

    /// The snapshot in force; cheap, and stays valid while the caller holds it.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Loads the content again; on success the new snapshot replaces the old one at once, on
    /// failure the old one stays and the errors are returned.
    pub fn reload(&self) -> Result<(), LoadErrors> {
        let loaded = Self::load(
            &self.content_dir,
            &self.public_dir,
            self.base_url.as_deref(),
            self.production,
            &self.probes,
        );
        let kept = loaded.as_ref().err().cloned();
        match self.errors.write() {
            Ok(mut guard) => *guard = kept,
            Err(poisoned) => *poisoned.into_inner() = kept,
        }
        let snapshot = Arc::new(loaded?);
        match self.current.write() {
            Ok(mut guard) => *guard = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
        Ok(())
    }

    /// The errors of the last reload when it failed (the last good snapshot is still served);
    /// `None` once a reload succeeds.
    pub fn errors(&self) -> Option<LoadErrors> {
        match self.errors.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The folder the content is read from.
    pub fn content_dir(&self) -> &Path {
        &self.content_dir
    }

    /// The folder of the files the content links to (documents, images).
    pub fn public_dir(&self) -> &Path {
        &self.public_dir
    }

    /// A value that changes whenever a file under the content folder is added, removed or
    /// modified: what a development watcher polls.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        let mut pending = vec![self.content_dir.clone()];
        let mut entries = Vec::new();
        while let Some(dir) = pending.pop() {
            let Ok(read) = fs::read_dir(&dir) else { continue };
            for entry in read.flatten() {
                let path = entry.path();
                match entry.metadata() {
                    Ok(meta) if meta.is_dir() => pending.push(path),
                    Ok(meta) => entries.push((path, meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH))),
                    Err(_) => {}
                }
            }
        }
        entries.sort();
        entries.hash(&mut hasher);
        hasher.finish()
    }
}
