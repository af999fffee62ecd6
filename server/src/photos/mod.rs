//! The photos' derivatives: made in the background when the content loads or changes, kept on
//! disk under the photo's key (`PHOTO_CACHE_DIR/{key}/`), served under `/img/{key}/` with a
//! year's immutable caching. A restart, or a second replica sharing the folder, finds them made.
//!
//! Work is bounded: `PHOTO_WORKERS` threads (1 by default, at a lower CPU priority than the
//! server's), each with one photo in hand; the queue is the list of the current content's
//! photos not yet made, replaced whole on every reload. Pages never wait: a derivative not made
//! yet is a 404, and the page around it is complete.
//!
//! The original's own address (`/images/x.jpg`) never answers the original's bytes: it answers
//! the largest fallback derivative of the photo, once made (first of all for a photo no story
//! shows yet, which only an editor looks at), and 404 for a file that is not a photo the site
//! takes.

pub mod derive;
pub mod fixtures;

use crate::AppState;
use app::content::{
    photos::{inspect, Original, PhotoUse},
    ContentError,
};
use axum::{
    extract::{Path as UrlPath, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use std::{
    collections::{HashSet, VecDeque},
    fs,
    path::{Path, PathBuf},
    sync::{Arc, Condvar, Mutex, PoisonError, RwLock},
    time::{Duration, Instant},
};

/// The extensions of raster images: a file with one is never served as it is.
const RASTER: [&str; 11] = [
    "jpg", "jpeg", "png", "webp", "gif", "avif", "heic", "heif", "tif", "tiff", "bmp",
];

/// How often the workers log their progress, at most.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// The derivatives' folder and workers; cheap to clone.
#[derive(Clone, Debug)]
pub struct Photos(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    dir: PathBuf,
    public: PathBuf,
    queue: Mutex<Queue>,
    wake: Condvar,
    errors: RwLock<Vec<ContentError>>,
    /// The keys of the photos whose derivatives could not be made: not tried again for the
    /// same bytes.
    failed: Mutex<HashSet<String>>,
}

/// The photos still to make for the current content, and the progress on them.
#[derive(Debug, Default)]
struct Queue {
    pending: VecDeque<PhotoUse>,
    total: usize,
    ready: usize,
    made: usize,
    since: Option<Instant>,
    logged: Option<Instant>,
}

impl Photos {
    /// The derivatives kept in `dir`, of originals under `public`; no worker yet.
    pub fn new(dir: impl Into<PathBuf>, public: impl Into<PathBuf>) -> Self {
        Photos(Arc::new(Shared {
            dir: dir.into(),
            public: public.into(),
            queue: Mutex::default(),
            wake: Condvar::new(),
            errors: RwLock::default(),
            failed: Mutex::default(),
        }))
    }

    /// The folder the derivatives are kept in.
    pub fn dir(&self) -> &Path {
        &self.0.dir
    }

    /// Starts `workers` threads that make what [`Photos::want`] asks for.
    pub fn start(&self, workers: usize) {
        if let Err(e) = fs::create_dir_all(&self.0.dir) {
            tracing::warn!(dir = %self.0.dir.display(), "photos: cannot create the derivatives' folder ({e}); pages show no photo");
            return;
        }
        for n in 0..workers {
            let shared = Arc::clone(&self.0);
            let spawned = std::thread::Builder::new()
                .name(format!("photos-{n}"))
                .spawn(move || work(&shared));
            if let Err(e) = spawned {
                tracing::warn!("photos: cannot start a worker: {e}");
            }
        }
    }

    /// Whether the derivatives of the photo named `key` are made.
    pub fn ready(&self, key: &str) -> bool {
        self.0.dir.join(key).is_dir()
    }

    /// Asks for the derivatives of the content's `photos`: those not made yet replace whatever
    /// was still waiting. The errors of earlier content are forgotten.
    pub fn want(&self, photos: &[PhotoUse]) {
        let pending: VecDeque<PhotoUse> = photos
            .iter()
            .filter(|p| !self.ready(&p.original.key))
            .cloned()
            .collect();
        let mut errors = self.0.errors.write().unwrap_or_else(PoisonError::into_inner);
        errors.clear();
        drop(errors);
        let mut queue = self.0.queue.lock().unwrap_or_else(PoisonError::into_inner);
        *queue = Queue {
            total: photos.len(),
            ready: photos.len() - pending.len(),
            since: Some(Instant::now()),
            pending,
            ..Queue::default()
        };
        tracing::info!(
            photos = queue.total,
            ready = queue.ready,
            "photos: {} of {} to make",
            queue.pending.len(),
            queue.total
        );
        drop(queue);
        self.0.wake.notify_all();
    }

    /// Asks for the derivatives of `original` before any other waiting: a photo no story shows
    /// yet, which an editor is looking at. Made once, like any other; a reload forgets it.
    pub fn want_first(&self, original: Arc<Original>) {
        if self.ready(&original.key) || self.failed(&original.key) {
            return;
        }
        let mut queue = self.0.queue.lock().unwrap_or_else(PoisonError::into_inner);
        if queue.pending.iter().any(|p| p.original.key == original.key) {
            return;
        }
        queue.total += 1;
        queue.pending.push_front(PhotoUse {
            original,
            sites: Vec::new(),
        });
        drop(queue);
        self.0.wake.notify_one();
    }

    /// Whether the derivatives of the photo named `key` could not be made.
    pub fn failed(&self, key: &str) -> bool {
        self.0
            .failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(key)
    }

    /// The photos the derivatives could not be made of, each where a story names it.
    pub fn errors(&self) -> Vec<ContentError> {
        self.0.errors.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Makes the derivatives of one photo now, in the calling thread: what a worker does.
    pub fn make(&self, photo: &PhotoUse) -> Result<Option<derive::Made>, String> {
        make(&self.0, photo)
    }
}

/// A worker: takes the next photo, makes it, says how far the work is.
fn work(shared: &Shared) {
    // A lower priority than the threads answering requests (Linux: per thread).
    // SAFETY: nice only changes the calling thread's scheduling priority.
    unsafe {
        libc::nice(10);
    }
    loop {
        let photo = {
            let mut queue = shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                if let Some(photo) = queue.pending.pop_front() {
                    break photo;
                }
                queue = shared.wake.wait(queue).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let outcome = make(shared, &photo);
        let mut queue = shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
        match outcome {
            Ok(made) => {
                queue.ready += 1;
                queue.made += usize::from(made.is_some());
            }
            Err(message) => {
                shared
                    .failed
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(photo.original.key.clone());
                let src = photo.original.path.strip_prefix(&shared.public).map_or_else(
                    |_| photo.original.path.display().to_string(),
                    |p| format!("/{}", p.display()),
                );
                let errors: Vec<ContentError> = photo
                    .sites
                    .iter()
                    .map(|site| ContentError {
                        file: site.file.clone(),
                        line: site.line,
                        message: format!("image `{src}` {message}"),
                        plain: None,
                    })
                    .collect();
                for error in &errors {
                    tracing::error!("photos: {error}");
                }
                shared
                    .errors
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .extend(errors);
            }
        }
        let now = Instant::now();
        let done = queue.pending.is_empty();
        if done || queue.logged.is_none_or(|at| now - at >= PROGRESS_EVERY) {
            queue.logged = Some(now);
            let seconds = queue.since.map_or(0.0, |s| (now - s).as_secs_f64());
            tracing::info!(
                "photos: {} of {} ready ({} made in {seconds:.1} s){}",
                queue.ready,
                queue.total,
                queue.made,
                if done { "; done" } else { "" }
            );
        }
    }
}

/// Makes one photo's derivatives into a scratch folder, then moves it into place whole. `None`
/// when there was nothing to do (made meanwhile, or the file changed since the content loaded).
fn make(shared: &Shared, photo: &PhotoUse) -> Result<Option<derive::Made>, String> {
    let original = &photo.original;
    let target = shared.dir.join(&original.key);
    if target.is_dir() {
        return Ok(None);
    }
    let bytes = fs::read(&original.path).map_err(|e| format!("cannot be read: {e}"))?;
    // An original replaced since the content loaded is made when the new content loads.
    if inspect(&original.path, &bytes).map(|now| now.key) != Ok(original.key.clone()) {
        return Ok(None);
    }
    let scratch = shared
        .dir
        .join(format!(".making-{}-{}", original.key, std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).map_err(|e| format!("derivatives not written: {e}"))?;
    let made = derive::derive(&bytes, original, &scratch);
    drop(bytes);
    match made {
        Ok(made) => match fs::rename(&scratch, &target) {
            Ok(()) => Ok(Some(made)),
            // Another replica sharing the folder made it first.
            Err(_) if target.is_dir() => {
                let _ = fs::remove_dir_all(&scratch);
                Ok(None)
            }
            Err(e) => {
                let _ = fs::remove_dir_all(&scratch);
                Err(format!("derivatives not written: {e}"))
            }
        },
        Err(message) => {
            let _ = fs::remove_dir_all(&scratch);
            Err(message)
        }
    }
}

/// Whether `key` and `file` can name a derivative: 32 hex digits, and `{width}.{webp|jpg|png}`
/// or `og.jpg`. Returns the file's media type.
fn derivative_type(key: &str, file: &str) -> Option<&'static str> {
    if key.len() != 32 || !key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let (stem, extension) = file.split_once('.')?;
    let sized = !stem.is_empty() && stem.len() <= 5 && stem.bytes().all(|b| b.is_ascii_digit());
    match extension {
        "jpg" if sized || stem == "og" => Some("image/jpeg"),
        "webp" if sized => Some("image/webp"),
        "png" if sized => Some("image/png"),
        _ => None,
    }
}

/// `GET /img/{key}/{file}`: a derivative, cached for a year (its name changes with the
/// original's bytes); 404 while it is not made.
pub async fn derivative(State(state): State<AppState>, UrlPath((key, file)): UrlPath<(String, String)>) -> Response {
    let Some(media_type) = derivative_type(&key, &file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let path = state.photos.dir().join(&key).join(&file);
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => not_yet(),
    }
}

/// A derivative not made (yet): 404, kept by no cache.
fn not_yet() -> Response {
    (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")]).into_response()
}

/// How long the address of a photo no story shows yet waits for its derivatives to be made
/// (one 12-megapixel photo takes one to two seconds) before it answers 404.
const FIRST_MADE_WITHIN: Duration = Duration::from_secs(15);

/// What the address of a raster image under the public folder answers, if `path` is one: the
/// largest fallback derivative of the photo, or 404. Never the file. A photo no story shows
/// yet (one an editor has just uploaded, in the editor's preview) is checked as the content's
/// photos are, and its derivatives are made before any other waiting ones, the answer waiting
/// for them; a file the site would refuse as a story's photo is a 404.
pub async fn original(state: &AppState, path: &str) -> Option<Response> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let extension = decoded.rsplit_once('.')?.1.to_ascii_lowercase();
    if !RASTER.contains(&extension.as_str()) {
        return None;
    }
    let snapshot = state.store.snapshot();
    let original = match snapshot.photo_of(state.store.public_dir(), &decoded) {
        Some(photo) => Arc::clone(&photo.original),
        None => {
            let (store, src) = (state.store.clone(), decoded.into_owned());
            let Ok(Ok(original)) = tokio::task::spawn_blocking(move || store.probe(&src)).await else {
                return Some(not_yet());
            };
            state.photos.want_first(Arc::clone(&original));
            let until = Instant::now() + FIRST_MADE_WITHIN;
            while !state.photos.ready(&original.key) && !state.photos.failed(&original.key) && Instant::now() < until {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            original
        }
    };
    let image = original.image("");
    let (fallback, _) = image.fallback();
    let largest = image.widths().last().unwrap_or(image.width);
    let file = state
        .photos
        .dir()
        .join(&image.key)
        .join(format!("{largest}.{fallback}"));
    let media_type = if image.alpha { "image/png" } else { "image/jpeg" };
    Some(match tokio::fs::read(&file).await {
        // The file may be replaced with another photo: browsers ask again after 5 minutes.
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, media_type),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => not_yet(),
    })
}

#[cfg(test)]
mod tests {
    use super::derivative_type;

    #[test]
    fn only_derivatives_names_are_served() {
        let key = "0123456789abcdef0123456789abcdef";
        assert_eq!(derivative_type(key, "1200.webp"), Some("image/webp"));
        assert_eq!(derivative_type(key, "800.jpg"), Some("image/jpeg"));
        assert_eq!(derivative_type(key, "og.jpg"), Some("image/jpeg"));
        assert_eq!(derivative_type(key, "400.png"), Some("image/png"));
        for bad in [
            "..",
            "og.webp",
            ".jpg",
            "12.gif",
            "1200.webp.tmp",
            "x1.jpg",
            "123456.jpg",
        ] {
            assert_eq!(derivative_type(key, bad), None, "{bad}");
        }
        assert_eq!(derivative_type("../../etc/passwd0123456789abcdef0", "1.jpg"), None);
        assert_eq!(derivative_type("0123456789ABCDEF0123456789abcdef", "1.jpg"), None);
    }
}
