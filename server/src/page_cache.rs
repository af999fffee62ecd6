//! Rendered pages kept for the content snapshot they were rendered from.
//!
//! A page is a function of its URL and the content snapshot: its bytes and headers (its
//! Content-Security-Policy allows its inline scripts by hash) are the same for every visitor,
//! so a kept page is served as it was rendered. It is kept with brotli and gzip variants
//! compressed once, chosen by `Accept-Encoding`, each with a strong `ETag` from the page's bytes
//! (a matching `If-None-Match` gets a 304). The cache holds at most a byte budget, drops the least recently
//! used pages beyond it, and empties itself when the snapshot changes.

use app::content::Snapshot;
use axum::{
    body::{to_bytes, Body, Bytes},
    http::{header, HeaderMap, HeaderValue, Response, StatusCode},
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::{
    collections::{HashMap, HashSet},
    hash::{Hash, Hasher},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak,
    },
};
use tokio::sync::watch;

/// A page is kept only if it takes at most this fraction (1/8) of the budget, so that one large
/// page never empties the cache.
const PAGE_SHARE: usize = 8;

/// How shared caches (nginx, a CDN) and browsers may keep a page: browsers ask again every
/// time (a 304 when nothing changed), shared caches keep it 10 seconds, so a content reload
/// shows everywhere within 10 seconds.
pub const PAGE_CACHE_CONTROL: &str = "public, max-age=0, s-maxage=10, must-revalidate";

/// A kept page: its bytes as they are and compressed, each variant with its headers. Each
/// variant is a representation of its own, with its own strong `ETag` (the bytes' tag, with
/// `-br` or `-gz` for a compressed one), so a cache never takes one encoding for another.
#[derive(Debug)]
pub struct KeptPage {
    body: Bytes,
    brotli: Bytes,
    gzip: Bytes,
    /// The headers of the page as it is, brotli and gzip, in [`Encoding`] order.
    headers: [HeaderMap; 3],
}

/// A content encoding a kept page can be sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Identity,
    Brotli,
    Gzip,
}

impl Encoding {
    /// The best encoding `Accept-Encoding` allows: brotli, then gzip, then none. A coding with
    /// `q=0` is refused; anything that cannot be read is ignored.
    fn chosen(headers: &HeaderMap) -> Self {
        let accepted = |name: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|part| {
                    let mut pieces = part.split(';');
                    let coding = pieces.next().unwrap_or("").trim();
                    let refused = pieces.any(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.trim().parse::<f32>().ok())
                            .is_some_and(|q| q <= 0.0)
                    });
                    (coding.eq_ignore_ascii_case(name) || coding == "*") && !refused
                })
        };
        if accepted("br") {
            Encoding::Brotli
        } else if accepted("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

impl KeptPage {
    /// Keeps a page: its `ETag`s, caching headers and compressed variants are made once, here.
    fn new(mut headers: HeaderMap, body: Bytes) -> Self {
        let tag = URL_SAFE_NO_PAD.encode(&Sha256::digest(&body)[..18]);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE_CACHE_CONTROL));
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        headers.remove(header::CONTENT_LENGTH);
        let mut brotli = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 9, 22);
            let _ = writer.write_all(&body);
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = gzip.write_all(&body);
        let variant = |suffix: &str, coding: Option<&'static str>| {
            let mut headers = headers.clone();
            if let Ok(etag) = HeaderValue::from_str(&format!("\"{tag}{suffix}\"")) {
                headers.insert(header::ETAG, etag);
            }
            if let Some(coding) = coding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            }
            headers
        };
        KeptPage {
            headers: [
                variant("", None),
                variant("-br", Some("br")),
                variant("-gz", Some("gzip")),
            ],
            brotli: brotli.into(),
            gzip: gzip.finish().unwrap_or_default().into(),
            body,
        }
    }

    /// The page as a response to a request with `request` headers: in the best encoding it
    /// accepts, the bytes shared, not copied; a 304 when it holds that variant's `ETag`
    /// already.
    pub fn respond(&self, request: &HeaderMap) -> Response<Body> {
        let encoding = match Encoding::chosen(request) {
            Encoding::Brotli if !self.brotli.is_empty() => Encoding::Brotli,
            Encoding::Gzip | Encoding::Brotli if !self.gzip.is_empty() => Encoding::Gzip,
            _ => Encoding::Identity,
        };
        let (body, headers) = match encoding {
            Encoding::Identity => (&self.body, &self.headers[0]),
            Encoding::Brotli => (&self.brotli, &self.headers[1]),
            Encoding::Gzip => (&self.gzip, &self.headers[2]),
        };
        let etag = headers.get(header::ETAG).and_then(|v| v.to_str().ok());
        let unchanged = request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| tag.trim() == "*" || Some(tag.trim()) == etag);
        if unchanged {
            // The browser puts the 304's headers on its copy: they must be the page's own (its
            // Content-Security-Policy above all), or the copy would change policy.
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            *response.headers_mut() = headers.clone();
            response.headers_mut().remove(header::CONTENT_ENCODING);
            return response;
        }
        let mut response = Response::new(Body::from(body.clone()));
        *response.headers_mut() = headers.clone();
        response
    }

    fn size(&self) -> usize {
        self.body.len()
            + self.brotli.len()
            + self.gzip.len()
            + self
                .headers
                .iter()
                .flat_map(|headers| headers.iter())
                .map(|(n, v)| n.as_str().len() + v.len())
                .sum::<usize>()
    }
}

/// Reads a freshly rendered response back. A successful HTML page of at most `largest` bytes
/// that sets no cookie comes back as the same response plus the page to keep; anything else
/// comes back as it was, not to be kept. Compressing the page (a few milliseconds for a large
/// one) runs off the async workers, so that serving kept pages never waits behind it.
pub async fn read_back(response: Response<Body>, largest: usize) -> (Response<Body>, Option<KeptPage>) {
    let (parts, body) = response.into_parts();
    let keepable = parts.status == StatusCode::OK
        && !parts.headers.contains_key(header::SET_COOKIE)
        && parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !keepable {
        return (Response::from_parts(parts, body), None);
    }
    // The body is already whole in memory (the page was rendered before the response was
    // built), so it is read back without a limit; pages too large to keep are left out.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "a rendered page could not be read back");
            let mut failed = Response::new(Body::empty());
            *failed.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return (failed, None);
        }
    };
    if bytes.len() > largest {
        return (Response::from_parts(parts, Body::from(bytes)), None);
    }
    let (headers, body) = (parts.headers.clone(), bytes.clone());
    let kept = tokio::task::spawn_blocking(move || KeptPage::new(headers, body))
        .await
        .ok();
    (Response::from_parts(parts, Body::from(bytes)), kept)
}

/// A kept page and when it was last served.
#[derive(Debug)]
struct Entry {
    page: Arc<KeptPage>,
    used: AtomicU64,
}

/// How many addresses seen once are remembered; beyond it the memory starts over.
const SEEN_LIMIT: usize = 1 << 16;

#[derive(Debug, Default)]
struct Pages {
    /// The snapshot the pages were rendered from.
    snapshot: Weak<Snapshot>,
    pages: HashMap<String, Entry>,
    bytes: usize,
    /// Addresses (hashed) rendered once and not kept: an address is kept the second time it is
    /// asked for, so addresses asked for once (a crawler's or a bot's made-up queries) never
    /// push the pages visitors read out of the cache.
    seen: HashSet<u64>,
    /// Addresses (hashed) being rendered to be kept: while one is, other requests for it wait
    /// for it (their receiver wakes when its [`Keeping`] ends), so a burst of requests for a
    /// new page renders and compresses it once.
    keeping: HashMap<u64, watch::Receiver<()>>,
}

impl Pages {
    /// Empties the cache if `snapshot` is not the one its pages come from.
    fn follow(&mut self, snapshot: &Arc<Snapshot>) {
        if self.snapshot.as_ptr() != Arc::as_ptr(snapshot) {
            *self = Pages {
                snapshot: Arc::downgrade(snapshot),
                ..Pages::default()
            };
        }
    }

    fn is_from(&self, snapshot: &Arc<Snapshot>) -> bool {
        self.snapshot.as_ptr() == Arc::as_ptr(snapshot)
    }

    fn insert(&mut self, key: String, page: Arc<KeptPage>, used: u64, budget: usize) {
        let size = key.len() + page.size();
        if size > budget / PAGE_SHARE {
            return;
        }
        if let Some(old) = self.pages.remove(&key) {
            self.bytes -= key.len() + old.page.size();
        }
        while self.bytes + size > budget {
            let Some(oldest) = self
                .pages
                .iter()
                .min_by_key(|(_, entry)| entry.used.load(Ordering::Relaxed))
                .map(|(key, _)| key.clone())
            else {
                break;
            };
            if let Some(old) = self.pages.remove(&oldest) {
                self.bytes -= oldest.len() + old.page.size();
            }
        }
        self.bytes += size;
        self.pages.insert(
            key,
            Entry {
                page,
                used: AtomicU64::new(used),
            },
        );
    }
}

fn hash_of(key: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

/// What a request for a page that is not kept does (see [`PageCache::admits`]).
#[derive(Debug)]
pub enum Admission {
    /// Render the page and keep it.
    Keep(Keeping),
    /// Render the page, not to keep it.
    Render,
    /// Wait until another request has rendered the page to keep it (the receiver's `changed`
    /// returns), then look again.
    Wait(watch::Receiver<()>),
}

/// A page being rendered to be kept: while it lives, other requests for the same address wait
/// for it; when it ends (kept or not), they wake.
#[derive(Debug)]
pub struct Keeping {
    cache: PageCache,
    snapshot: Weak<Snapshot>,
    hash: u64,
    _sender: watch::Sender<()>,
}

impl Drop for Keeping {
    fn drop(&mut self) {
        let mut pages = self.cache.write();
        if pages.snapshot.as_ptr() == self.snapshot.as_ptr() {
            pages.keeping.remove(&self.hash);
        }
        // The sender goes with `self`: the waiting requests wake.
    }
}

/// The rendered pages of the current snapshot, up to a byte budget, least recently used out
/// first; shared by every request. Serving a kept page takes a read lock, a hash lookup and a
/// counter: no rendering, no copy of its bytes.
#[derive(Clone, Debug)]
pub struct PageCache {
    pages: Arc<RwLock<Pages>>,
    budget: usize,
    /// A tick per lookup: when each page was last used.
    clock: Arc<AtomicU64>,
    /// Responses served from a kept page.
    hits: Arc<AtomicU64>,
}

impl PageCache {
    /// A cache of at most `budget` bytes; 0 keeps nothing.
    pub fn new(budget: usize) -> Self {
        PageCache {
            pages: Arc::default(),
            budget,
            clock: Arc::default(),
            hits: Arc::default(),
        }
    }

    /// Whether the cache keeps anything at all.
    pub fn is_on(&self) -> bool {
        self.budget > 0
    }

    /// The largest page the cache keeps.
    pub fn largest_page(&self) -> usize {
        self.budget / PAGE_SHARE
    }

    fn read(&self) -> RwLockReadGuard<'_, Pages> {
        self.pages.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Pages> {
        self.pages.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The page kept at `key` (a page address) for `snapshot`, if any; counted as a hit.
    pub fn lookup(&self, snapshot: &Arc<Snapshot>, key: &str) -> Option<Arc<KeptPage>> {
        let pages = self.read();
        if !pages.is_from(snapshot) {
            return None;
        }
        let entry = pages.pages.get(key)?;
        entry
            .used
            .store(self.clock.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(Arc::clone(&entry.page))
    }

    /// What a request for the page at `key`, not kept, should do: render it and keep it the
    /// second time its address is asked for (for the same snapshot), render it without keeping
    /// it the first time, and wait while another request renders it to keep it.
    pub fn admits(&self, snapshot: &Arc<Snapshot>, key: &str) -> Admission {
        if self.budget == 0 {
            return Admission::Render;
        }
        let mut pages = self.write();
        pages.follow(snapshot);
        let hash = hash_of(key);
        if let Some(done) = pages.keeping.get(&hash) {
            return Admission::Wait(done.clone());
        }
        if pages.seen.remove(&hash) {
            let (sender, done) = watch::channel(());
            pages.keeping.insert(hash, done);
            return Admission::Keep(Keeping {
                cache: self.clone(),
                snapshot: Arc::downgrade(snapshot),
                hash,
                _sender: sender,
            });
        }
        if pages.seen.len() >= SEEN_LIMIT {
            pages.seen.clear();
        }
        pages.seen.insert(hash);
        Admission::Render
    }

    /// Keeps `page` at `key`, if it was rendered from the snapshot the cache follows now.
    pub fn insert(&self, snapshot: &Arc<Snapshot>, key: String, page: Arc<KeptPage>) {
        let used = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut pages = self.write();
        pages.follow(snapshot);
        pages.insert(key, page, used, self.budget);
    }

    /// Whether the page at `key` is kept.
    pub fn holds(&self, key: &str) -> bool {
        self.read().pages.contains_key(key)
    }

    /// How many responses were served from kept pages.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::content::ContentStore;
    use axum::http::HeaderValue;

    fn page(body: &str) -> Arc<KeptPage> {
        Arc::new(KeptPage {
            headers: Default::default(),
            body: Bytes::from(body.to_owned()),
            brotli: Bytes::new(),
            gzip: Bytes::new(),
        })
    }

    fn accepting(encodings: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(encodings).unwrap());
        headers
    }

    #[test]
    fn the_encoding_follows_accept_encoding() {
        assert_eq!(Encoding::chosen(&accepting("gzip, deflate, br")), Encoding::Brotli);
        assert_eq!(Encoding::chosen(&accepting("gzip, br;q=0")), Encoding::Gzip);
        assert_eq!(Encoding::chosen(&accepting("identity")), Encoding::Identity);
        assert_eq!(Encoding::chosen(&accepting("*")), Encoding::Brotli);
        assert_eq!(Encoding::chosen(&accepting("br;q=abc;;,,")), Encoding::Brotli);
        assert_eq!(Encoding::chosen(&HeaderMap::new()), Encoding::Identity);
    }

    #[tokio::test]
    async fn a_kept_page_has_a_strong_etag_and_compressed_variants() {
        let body = "<p>".repeat(500);
        let (_, kept) = read_back(html(&body), 100_000).await;
        let kept = kept.expect("kept");
        let etag_of = |response: &Response<Body>| response.headers()[header::ETAG].to_str().unwrap().to_owned();
        let etag = etag_of(&kept.respond(&HeaderMap::new()));
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"),
            "{etag}"
        );
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &kept.brotli[..], &mut decoded).unwrap();
        assert_eq!(decoded, body.as_bytes());
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).unwrap());
        assert_eq!(kept.respond(&again).status(), StatusCode::NOT_MODIFIED);
        let response = kept.respond(&accepting("gzip"));
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(response.headers()[header::VARY], "Accept-Encoding");
        // Each encoding is a representation of its own: its own strong ETag, and a 304 only
        // for the representation the request would get.
        let gzip_etag = etag_of(&response);
        let brotli_etag = etag_of(&kept.respond(&accepting("br")));
        assert!(gzip_etag != etag && brotli_etag != etag && gzip_etag != brotli_etag);
        let mut gzip_again = accepting("gzip");
        gzip_again.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&gzip_etag).unwrap());
        let unchanged = kept.respond(&gzip_again);
        assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(etag_of(&unchanged), gzip_etag);
        assert!(unchanged.headers().get(header::CONTENT_ENCODING).is_none());
        let mut now_brotli = accepting("br");
        now_brotli.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&gzip_etag).unwrap());
        assert_eq!(kept.respond(&now_brotli).status(), StatusCode::OK);
    }

    fn html(body: &str) -> Response<Body> {
        let mut response = Response::new(Body::from(body.to_owned()));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        response
    }

    #[tokio::test]
    async fn pages_too_large_to_keep_are_served_whole() {
        let body = format!("<p>{}</p>", "x".repeat(5000));
        let (response, kept) = read_back(html(&body), 1000).await;
        assert!(kept.is_none());
        let served = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(served, body.as_bytes());
        let (_, kept) = read_back(html(&body), 10_000).await;
        assert_eq!(kept.map(|k| k.body.len()), Some(body.len()));
    }

    #[tokio::test]
    async fn only_successful_pages_without_cookies_are_kept() {
        let mut not_found = html("<p>404</p>");
        *not_found.status_mut() = StatusCode::NOT_FOUND;
        assert!(read_back(not_found, 1000).await.1.is_none());
        let mut cookie = html("<p>hi</p>");
        cookie
            .headers_mut()
            .insert(header::SET_COOKIE, HeaderValue::from_static("a=b"));
        assert!(read_back(cookie, 1000).await.1.is_none());
        let json = Response::new(Body::from("{}"));
        assert!(read_back(json, 1000).await.1.is_none());
    }

    #[test]
    fn least_recently_used_pages_leave_first() {
        let mut pages = Pages::default();
        let budget = 80;
        pages.insert("a".into(), page(&"x".repeat(9)), 1, budget);
        pages.insert("b".into(), page(&"x".repeat(9)), 2, budget);
        pages.pages["a"].used.store(3, Ordering::Relaxed);
        for (used, key) in ["c", "d", "e", "f", "g", "h", "i"].into_iter().enumerate() {
            pages.insert(key.into(), page(&"x".repeat(9)), 4 + used as u64, budget);
        }
        assert!(pages.bytes <= budget);
        assert!(!pages.pages.contains_key("b"), "the least recently used page left");
        assert!(pages.pages.contains_key("i"));
        // Too large for the budget: not kept at all.
        pages.insert("big".into(), page(&"x".repeat(50)), 20, budget);
        assert!(!pages.pages.contains_key("big"));
        // Replacing a page counts its size once.
        let before = pages.bytes;
        pages.insert("i".into(), page(&"x".repeat(9)), 21, budget);
        assert_eq!(pages.bytes, before);
    }

    /// Whether `changed` would return at once (the sender is gone).
    fn wakes_at_once(done: &mut watch::Receiver<()>) -> bool {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async { done.changed().await.is_err() })
    }

    /// A snapshot of the seed fixture, loaded anew each time.
    fn seed_snapshot() -> Arc<Snapshot> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        ContentStore::open(root.join("app/tests/fixtures/seed"), root.join("public"), None)
            .expect("the seed fixture loads")
            .snapshot()
    }

    #[test]
    fn an_address_is_kept_the_second_time_it_is_asked_for() {
        let cache = PageCache::new(1 << 20);
        let snapshot = seed_snapshot();
        assert!(matches!(cache.admits(&snapshot, "/es/?a"), Admission::Render));
        let Admission::Keep(keeping) = cache.admits(&snapshot, "/es/?a") else {
            panic!("kept the second time it is asked for");
        };
        assert!(matches!(cache.admits(&snapshot, "/es/?b"), Admission::Render));
        // While one request renders the page to keep it, the others wait for it, and wake
        // when it is done.
        let Admission::Wait(mut done) = cache.admits(&snapshot, "/es/?a") else {
            panic!("waits while the page is being kept");
        };
        assert!(done.has_changed().is_ok(), "still being kept");
        drop(keeping);
        assert!(done.has_changed().is_err(), "woken: the rendering ended");
        assert!(wakes_at_once(&mut done));
        assert!(
            matches!(cache.admits(&snapshot, "/es/?a"), Admission::Render),
            "not kept: seen anew"
        );
        cache.insert(&snapshot, "/es/?a".into(), page("<p>"));
        assert!(cache.lookup(&snapshot, "/es/?a").is_some());
        assert_eq!(cache.hits(), 1);
        // Another snapshot (a content reload) sees nothing of the last one's pages.
        let reloaded = seed_snapshot();
        assert!(cache.lookup(&reloaded, "/es/?a").is_none());
        assert!(matches!(cache.admits(&reloaded, "/es/?b"), Admission::Render));
        assert!(!cache.holds("/es/?a"));
    }
}
