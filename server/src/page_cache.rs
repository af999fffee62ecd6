//! Rendered pages kept for the content snapshot they were rendered from.
//!
//! A page is a function of its URL and the content snapshot: its bytes and headers (its
//! Content-Security-Policy allows its inline scripts by hash) are the same for every visitor,
//! so a kept page is served as it was rendered, with a strong `ETag` from its bytes (a matching
//! `If-None-Match` gets a 304).
//!
//! What is kept, and what it costs, holds up when someone who has read this file sends the
//! requests:
//! - **Admission.** An address is rendered to be kept the second time it is asked for (like
//!   nginx's `proxy_cache_min_uses 2`); the pages themselves live in a [`moka`] cache bounded by
//!   bytes, whose TinyLFU policy lets a new page in only if it is asked for more often than the
//!   pages it would push out. A flood of made-up addresses, each asked twice or five times, is
//!   rendered but never displaces the pages visitors read.
//! - **Compression.** A kept page is compressed into an encoding when it is served from the
//!   cache to a request that accepts it, once, by one compressor thread at a low priority, fed
//!   by a short queue: a page kept but never asked for again, or never in that encoding, costs
//!   no compression, and however many pages are kept at once, one compression runs, on the CPU
//!   the requests leave. Until its variant exists (or while the queue is full) a page is sent
//!   uncompressed.
//! - **Renders** run on the request workers (as many as cores); a burst of requests for a page
//!   being kept waits for that one rendering.
//!
//! A content reload starts a new, empty cache.

use app::content::Snapshot;
use axum::{
    body::{to_bytes, Body, Bytes},
    http::{header, HeaderMap, HeaderValue, Response, StatusCode},
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use moka::{ops::compute::Op, sync::Cache};
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::{
    collections::{HashMap, HashSet},
    hash::{Hash, Hasher},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        mpsc, Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock, Weak,
    },
};
use tokio::sync::watch;

/// A page is kept only if it takes at most this fraction (1/8) of the budget, so that one large
/// page never empties the cache.
const PAGE_SHARE: usize = 8;

/// How many kept pages may wait for the compressor; past it, a request is answered
/// uncompressed and a later one asks again.
const COMPRESS_QUEUE: usize = 32;

/// How many addresses seen once are remembered; beyond it the memory starts over.
const SEEN_LIMIT: usize = 1 << 16;

/// How shared caches (nginx, a CDN) and browsers may keep a page: browsers ask again every
/// time (a 304 when nothing changed), shared caches keep it 10 seconds, so a content reload
/// shows everywhere within 10 seconds.
pub const PAGE_CACHE_CONTROL: &str = "public, max-age=0, s-maxage=10, must-revalidate";

/// A content encoding a kept page can be sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Identity,
    Brotli,
    Gzip,
}

/// The encodings a request accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Accepted {
    pub(crate) brotli: bool,
    gzip: bool,
}

impl Accepted {
    /// What `Accept-Encoding` allows: a coding with `q=0` is refused; anything that cannot be
    /// read is ignored.
    pub(crate) fn of(headers: &HeaderMap) -> Self {
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
        Accepted {
            brotli: accepted("br"),
            gzip: accepted("gzip"),
        }
    }

    /// The best of them: brotli, then gzip, then none.
    fn best(self) -> Encoding {
        if self.brotli {
            Encoding::Brotli
        } else if self.gzip {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

/// A compressed variant of a kept page, made at most once, when first asked for.
#[derive(Debug, Default)]
struct Variant {
    bytes: OnceLock<Bytes>,
    /// Handed to the compressor and not made yet.
    queued: AtomicBool,
}

/// A kept page: its bytes as they are, the compressed variants made so far, and the headers
/// of each. Each variant is a representation of its own, with its own strong `ETag` (the
/// bytes' tag, with `-br` or `-gz` for a compressed one), so a cache never takes one encoding
/// for another.
#[derive(Debug)]
pub struct KeptPage {
    body: Bytes,
    brotli: Variant,
    gzip: Variant,
    /// The headers of the page as it is, brotli and gzip, in [`Encoding`] order.
    headers: [HeaderMap; 3],
}

impl KeptPage {
    /// Keeps a page: its `ETag`s and caching headers are made once, here; its compressed
    /// variants when a request first asks for them.
    fn new(mut headers: HeaderMap, body: Bytes) -> Self {
        let tag = URL_SAFE_NO_PAD.encode(&Sha256::digest(&body)[..18]);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE_CACHE_CONTROL));
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        headers.remove(header::CONTENT_LENGTH);
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
            brotli: Variant::default(),
            gzip: Variant::default(),
            body,
        }
    }

    fn variant(&self, encoding: Encoding) -> Option<&Variant> {
        match encoding {
            Encoding::Identity => None,
            Encoding::Brotli => Some(&self.brotli),
            Encoding::Gzip => Some(&self.gzip),
        }
    }

    /// The best encoding `accepted` allows among the variants made so far, and the better one
    /// the request would rather have, if it is not made yet.
    fn encoding_for(&self, accepted: Accepted) -> (Encoding, Option<Encoding>) {
        let made = |variant: &Variant| variant.bytes.get().is_some();
        let wanted = accepted.best();
        let sent = if accepted.brotli && made(&self.brotli) {
            Encoding::Brotli
        } else if accepted.gzip && made(&self.gzip) {
            Encoding::Gzip
        } else {
            Encoding::Identity
        };
        (sent, (wanted != sent).then_some(wanted))
    }

    /// The page as a response in `encoding` to a request with `request` headers, the bytes
    /// shared, not copied; a 304 when it holds that variant's `ETag` already.
    fn respond_in(&self, encoding: Encoding, request: &HeaderMap) -> Response<Body> {
        let (body, headers) = match encoding {
            Encoding::Identity => (self.body.clone(), &self.headers[0]),
            Encoding::Brotli => (self.brotli.bytes.get().cloned().unwrap_or_default(), &self.headers[1]),
            Encoding::Gzip => (self.gzip.bytes.get().cloned().unwrap_or_default(), &self.headers[2]),
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
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers.clone();
        response
    }

    /// The bytes it holds: the page, the variants made so far and the headers.
    fn size(&self) -> usize {
        let made = |variant: &Variant| variant.bytes.get().map_or(0, Bytes::len);
        self.body.len()
            + made(&self.brotli)
            + made(&self.gzip)
            + self
                .headers
                .iter()
                .flat_map(|headers| headers.iter())
                .map(|(n, v)| n.as_str().len() + v.len())
                .sum::<usize>()
    }
}

/// The page's bytes in `encoding`. Brotli at quality 9 with a window just large enough for the
/// page: the compressor's memory grows with its window (22 would be 4 MB of history and its
/// tables, for pages of at most a few hundred kilobytes).
pub(crate) fn compress(body: &[u8], encoding: Encoding) -> Bytes {
    match encoding {
        Encoding::Identity => Bytes::copy_from_slice(body),
        Encoding::Brotli => {
            let window = (usize::BITS - body.len().max(1).leading_zeros()).clamp(10, 22);
            let mut out = Vec::with_capacity(body.len() / 4);
            {
                let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 9, window);
                let _ = writer.write_all(body);
            }
            out.into()
        }
        Encoding::Gzip => {
            let mut gzip =
                flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::best());
            let _ = gzip.write_all(body);
            gzip.finish().unwrap_or_default().into()
        }
    }
}

/// Reads a freshly rendered response back. A successful HTML page of at most `largest` bytes
/// that sets no cookie comes back as the same response plus the page to keep; anything else
/// comes back as it was, not to be kept.
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
    let kept = KeptPage::new(parts.headers.clone(), bytes.clone());
    (Response::from_parts(parts, Body::from(bytes)), Some(kept))
}

/// The kept pages, by address.
type Pages = Cache<String, Arc<KeptPage>>;

/// The cache of one content snapshot.
#[derive(Debug)]
struct Generation {
    /// The snapshot the pages were rendered from.
    snapshot: Weak<Snapshot>,
    pages: Pages,
    doors: Mutex<Doors>,
}

/// Who may render a page to keep it.
#[derive(Debug, Default)]
struct Doors {
    /// Addresses (hashed) rendered once and not kept: an address is kept the second time it is
    /// asked for, so addresses asked for once (a crawler's or a bot's made-up queries) are
    /// never even offered to the cache.
    seen: HashSet<u64>,
    /// Addresses (hashed) being rendered to be kept: while one is, other requests for it wait
    /// for it (their receiver wakes when its [`Keeping`] ends), so a burst of requests for a
    /// new page renders it once.
    keeping: HashMap<u64, watch::Receiver<()>>,
}

impl Generation {
    fn new(snapshot: &Arc<Snapshot>, budget: usize) -> Self {
        Generation {
            snapshot: Arc::downgrade(snapshot),
            pages: Cache::builder()
                .max_capacity(budget as u64)
                .weigher(|key: &String, page: &Arc<KeptPage>| {
                    u32::try_from(key.len() + page.size()).unwrap_or(u32::MAX)
                })
                .build(),
            doors: Mutex::default(),
        }
    }

    fn is_from(&self, snapshot: &Arc<Snapshot>) -> bool {
        self.snapshot.as_ptr() == Arc::as_ptr(snapshot)
    }

    fn doors(&self) -> MutexGuard<'_, Doors> {
        self.doors.lock().unwrap_or_else(PoisonError::into_inner)
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
    generation: Arc<Generation>,
    hash: u64,
    _sender: watch::Sender<()>,
}

impl Drop for Keeping {
    fn drop(&mut self) {
        self.generation.doors().keeping.remove(&self.hash);
        // The sender goes with `self`: the waiting requests wake.
    }
}

/// A variant to make: the page, where it is kept, and which encoding.
struct Job {
    pages: Pages,
    key: String,
    page: Arc<KeptPage>,
    encoding: Encoding,
}

/// Makes the variants asked for, one at a time, on a thread of its own, and weighs each page
/// again once its variant is made. It ends when the cache does.
fn start_compressor() -> Option<mpsc::SyncSender<Job>> {
    let (sender, jobs) = mpsc::sync_channel::<Job>(COMPRESS_QUEUE);
    let started = std::thread::Builder::new()
        .name("page-compressor".into())
        .spawn(move || {
            lower_priority();
            for Job {
                pages,
                key,
                page,
                encoding,
            } in jobs
            {
                let Some(variant) = page.variant(encoding) else {
                    continue;
                };
                let _ = variant.bytes.set(compress(&page.body, encoding));
                variant.queued.store(false, Ordering::Release);
                // The page weighs more now; weighed again if it is still the one kept there.
                pages.entry(key).and_compute_with(|kept| match kept {
                    Some(kept) if Arc::ptr_eq(kept.value(), &page) => Op::Put(page),
                    _ => Op::Nop,
                });
            }
        });
    match started {
        Ok(_) => Some(sender),
        Err(error) => {
            tracing::warn!(%error, "no compressor thread: kept pages are sent uncompressed");
            None
        }
    }
}

/// Gives the calling thread (the compressor) the CPU only when the request workers leave it
/// some: compressing makes answers smaller, answering comes first.
fn lower_priority() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: setpriority on this thread's own id changes its scheduling weight only.
    unsafe {
        let thread = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 10);
    }
}

/// The rendered pages of the current snapshot, up to a byte budget; shared by every request.
/// Serving a kept page is a lookup and a write of shared bytes: no rendering, no copy.
#[derive(Clone, Debug)]
pub struct PageCache {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    budget: usize,
    current: RwLock<Option<Arc<Generation>>>,
    /// Responses served from a kept page.
    hits: AtomicU64,
    compressor: Option<mpsc::SyncSender<Job>>,
}

impl PageCache {
    /// A cache of at most `budget` bytes; 0 keeps nothing.
    pub fn new(budget: usize) -> Self {
        PageCache {
            shared: Arc::new(Shared {
                budget,
                current: RwLock::default(),
                hits: AtomicU64::default(),
                compressor: (budget > 0).then(start_compressor).flatten(),
            }),
        }
    }

    /// Whether the cache keeps anything at all.
    pub fn is_on(&self) -> bool {
        self.shared.budget > 0
    }

    /// The largest page the cache keeps.
    pub fn largest_page(&self) -> usize {
        self.shared.budget / PAGE_SHARE
    }

    /// The cache of `snapshot`, if it is the one the cache follows now.
    fn of(&self, snapshot: &Arc<Snapshot>) -> Option<Arc<Generation>> {
        let current = self.shared.current.read().unwrap_or_else(PoisonError::into_inner);
        current.as_ref().filter(|g| g.is_from(snapshot)).cloned()
    }

    /// The cache of `snapshot`, started anew (empty) if the cache followed another one.
    fn follow(&self, snapshot: &Arc<Snapshot>) -> Arc<Generation> {
        if let Some(generation) = self.of(snapshot) {
            return generation;
        }
        let mut current = self.shared.current.write().unwrap_or_else(PoisonError::into_inner);
        match current.as_ref().filter(|g| g.is_from(snapshot)) {
            Some(generation) => Arc::clone(generation),
            None => {
                let generation = Arc::new(Generation::new(snapshot, self.shared.budget));
                *current = Some(Arc::clone(&generation));
                generation
            }
        }
    }

    /// The answer to `request` from the page kept at `key` (a page address) for `snapshot`, if
    /// any; counted as a hit.
    pub fn answer(&self, snapshot: &Arc<Snapshot>, key: &str, request: &HeaderMap) -> Option<Response<Body>> {
        let generation = self.of(snapshot)?;
        let page = generation.pages.get(key)?;
        self.shared.hits.fetch_add(1, Ordering::Relaxed);
        let (encoding, wanted) = page.encoding_for(Accepted::of(request));
        if let Some(wanted) = wanted {
            self.compress_later(&generation.pages, key, &page, wanted);
        }
        Some(page.respond_in(encoding, request))
    }

    /// Hands `page`'s variant in `wanted` to the compressor, unless it is there already or its
    /// queue is full (a later request asks again).
    fn compress_later(&self, pages: &Pages, key: &str, page: &Arc<KeptPage>, wanted: Encoding) {
        if let Some(compressor) = &self.shared.compressor {
            let variant = page.variant(wanted);
            if variant.is_some_and(|v| !v.queued.swap(true, Ordering::AcqRel)) {
                let job = Job {
                    pages: pages.clone(),
                    key: key.to_owned(),
                    page: Arc::clone(page),
                    encoding: wanted,
                };
                if compressor.try_send(job).is_err() {
                    if let Some(variant) = variant {
                        variant.queued.store(false, Ordering::Release);
                    }
                }
            }
        }
    }

    /// What a request for the page at `key`, not kept, should do: render it and keep it the
    /// second time its address is asked for (for the same snapshot), render it without keeping
    /// it the first time, and wait while another request renders it to keep it.
    pub fn admits(&self, snapshot: &Arc<Snapshot>, key: &str) -> Admission {
        if !self.is_on() {
            return Admission::Render;
        }
        let generation = self.follow(snapshot);
        let hash = hash_of(key);
        let mut doors = generation.doors();
        if let Some(done) = doors.keeping.get(&hash) {
            return Admission::Wait(done.clone());
        }
        if doors.seen.remove(&hash) {
            let (sender, done) = watch::channel(());
            doors.keeping.insert(hash, done);
            drop(doors);
            return Admission::Keep(Keeping {
                generation,
                hash,
                _sender: sender,
            });
        }
        if doors.seen.len() >= SEEN_LIMIT {
            doors.seen.clear();
        }
        doors.seen.insert(hash);
        Admission::Render
    }

    /// Offers `page` to the cache at `key`, if it was rendered from the snapshot the cache
    /// follows now (the cache's policy decides whether it stays), and answers `request` with it,
    /// as it is: its variants are made once it is served from the cache, so a page asked for
    /// twice and never again (a made-up address) costs no compression.
    pub fn keep(&self, snapshot: &Arc<Snapshot>, key: String, page: KeptPage, request: &HeaderMap) -> Response<Body> {
        let generation = self.follow(snapshot);
        let page = Arc::new(page);
        let response = page.respond_in(Encoding::Identity, request);
        if key.len() + page.size() <= self.largest_page() {
            generation.pages.insert(key, page);
        }
        response
    }

    /// Whether the page at `key` is kept.
    pub fn holds(&self, key: &str) -> bool {
        let current = self.shared.current.read().unwrap_or_else(PoisonError::into_inner);
        current.as_ref().is_some_and(|g| g.pages.contains_key(key))
    }

    /// How many responses were served from kept pages.
    pub fn hits(&self) -> u64 {
        self.shared.hits.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::content::ContentStore;
    use std::time::{Duration, Instant};

    fn accepting(encodings: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(encodings).unwrap());
        headers
    }

    fn html(body: &str) -> Response<Body> {
        let mut response = Response::new(Body::from(body.to_owned()));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        response
    }

    fn page(body: &str) -> KeptPage {
        KeptPage::new(HeaderMap::new(), Bytes::from(body.to_owned()))
    }

    /// A snapshot of the seed fixture, loaded anew each time.
    fn seed_snapshot() -> Arc<Snapshot> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        ContentStore::open(root.join("app/tests/fixtures/seed"), root.join("public"), None)
            .expect("the seed fixture loads")
            .snapshot()
    }

    async fn body_of(response: Response<Body>) -> Vec<u8> {
        to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec()
    }

    fn etag_of(response: &Response<Body>) -> String {
        response.headers()[header::ETAG].to_str().unwrap().to_owned()
    }

    fn coding_of(response: &Response<Body>) -> Option<&str> {
        response
            .headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap())
    }

    /// Asks for the page at `key` in `encodings` until the answer comes in `coding` (the
    /// compressor works in the background), for at most 5 s.
    fn answered_in(
        cache: &PageCache,
        snapshot: &Arc<Snapshot>,
        key: &str,
        encodings: &str,
        coding: &str,
    ) -> Response<Body> {
        let started = Instant::now();
        loop {
            let response = cache.answer(snapshot, key, &accepting(encodings)).expect("kept");
            if coding_of(&response) == Some(coding) || started.elapsed() > Duration::from_secs(5) {
                return response;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn the_encoding_follows_accept_encoding() {
        let best = |encodings: &str| Accepted::of(&accepting(encodings)).best();
        assert_eq!(best("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(best("gzip, br;q=0"), Encoding::Gzip);
        assert_eq!(best("identity"), Encoding::Identity);
        assert_eq!(best("*"), Encoding::Brotli);
        assert_eq!(best("br;q=abc;;,,"), Encoding::Brotli);
        assert_eq!(Accepted::of(&HeaderMap::new()).best(), Encoding::Identity);
    }

    #[tokio::test]
    async fn a_kept_page_is_compressed_only_when_asked_and_each_encoding_has_its_own_strong_etag() {
        let cache = PageCache::new(1 << 20);
        let snapshot = seed_snapshot();
        let body = "<p>".repeat(500);
        let (_, kept) = read_back(html(&body), cache.largest_page()).await;
        let kept = kept.expect("kept");
        // The request that keeps the page accepts brotli, but a page asked for once more and
        // never again costs no compression: it goes out as it is.
        let response = cache.keep(&snapshot, "/es/".into(), kept, &accepting("br, gzip"));
        assert_eq!(coding_of(&response), None);
        let etag = etag_of(&response);
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"),
            "{etag}"
        );
        assert_eq!(body_of(response).await, body.as_bytes());
        let generation = cache.of(&snapshot).unwrap();
        let kept = generation.pages.get("/es/").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            kept.brotli.bytes.get().is_none() && kept.gzip.bytes.get().is_none(),
            "not served from the cache yet: nothing compressed"
        );

        let brotli = answered_in(&cache, &snapshot, "/es/", "gzip, br", "br");
        assert_eq!(coding_of(&brotli), Some("br"), "brotli is made once asked for");
        assert!(kept.gzip.bytes.get().is_none(), "gzip was not asked for");
        let brotli_etag = etag_of(&brotli);
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &body_of(brotli).await[..], &mut decoded).unwrap();
        assert_eq!(decoded, body.as_bytes());
        let gzip = answered_in(&cache, &snapshot, "/es/", "gzip", "gzip");
        assert_eq!(gzip.headers()[header::VARY], "Accept-Encoding");
        let gzip_etag = etag_of(&gzip);
        assert!(gzip_etag != etag && brotli_etag != etag && gzip_etag != brotli_etag);
        // The kept page weighs its variants once they are made.
        generation.pages.run_pending_tasks();
        assert_eq!(generation.pages.weighted_size() as usize, "/es/".len() + kept.size());
        assert!(kept.size() > body.len() + kept.brotli.bytes.get().unwrap().len());

        // A 304 only for the representation the request would get.
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).unwrap());
        assert_eq!(
            cache.answer(&snapshot, "/es/", &again).unwrap().status(),
            StatusCode::NOT_MODIFIED
        );
        let mut gzip_again = accepting("gzip");
        gzip_again.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&gzip_etag).unwrap());
        let unchanged = cache.answer(&snapshot, "/es/", &gzip_again).unwrap();
        assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(etag_of(&unchanged), gzip_etag);
        assert!(coding_of(&unchanged).is_none());
        let mut now_brotli = accepting("br");
        now_brotli.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&gzip_etag).unwrap());
        assert_eq!(
            cache.answer(&snapshot, "/es/", &now_brotli).unwrap().status(),
            StatusCode::OK
        );
    }

    #[tokio::test]
    async fn pages_too_large_to_keep_are_served_whole() {
        let body = format!("<p>{}</p>", "x".repeat(5000));
        let (response, kept) = read_back(html(&body), 1000).await;
        assert!(kept.is_none());
        assert_eq!(body_of(response).await, body.as_bytes());
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

    /// Asks for `key` as the front does: a lookup, then the admission, then the page kept.
    fn ask(cache: &PageCache, snapshot: &Arc<Snapshot>, key: &str, body: &str) {
        if cache.answer(snapshot, key, &HeaderMap::new()).is_some() {
            return;
        }
        if let Admission::Keep(keeping) = cache.admits(snapshot, key) {
            cache.keep(snapshot, key.to_owned(), page(body), &HeaderMap::new());
            drop(keeping);
        }
    }

    #[test]
    fn the_pages_people_read_stay_kept_through_a_flood_of_made_up_addresses() {
        let budget = 64 << 10;
        let cache = PageCache::new(budget);
        let snapshot = seed_snapshot();
        let body = "x".repeat(2000);
        let read: Vec<String> = (0..8).map(|i| format!("/es/historias/story-{i}")).collect();
        for _ in 0..20 {
            for key in &read {
                ask(&cache, &snapshot, key, &body);
            }
        }
        // Each made-up address is asked for twice (kept on the second) and, the third time, five
        // times: far more pages than the budget holds, while people go on reading theirs.
        for i in 0..4000 {
            let key = format!("/es/recursos?q=made-up-{i}");
            for _ in 0..(if i % 3 == 0 { 5 } else { 2 }) {
                ask(&cache, &snapshot, &key, &body);
            }
            if i % 50 == 0 {
                for key in &read {
                    ask(&cache, &snapshot, key, &body);
                }
            }
        }
        let generation = cache.of(&snapshot).unwrap();
        generation.pages.run_pending_tasks();
        assert!(generation.pages.weighted_size() as usize <= budget, "within the budget");
        for key in &read {
            assert!(cache.holds(key), "{key} stays kept");
        }
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
        let Admission::Wait(done) = cache.admits(&snapshot, "/es/?a") else {
            panic!("waits while the page is being kept");
        };
        assert!(done.has_changed().is_ok(), "still being kept");
        drop(keeping);
        assert!(done.has_changed().is_err(), "woken: the rendering ended");
        assert!(
            matches!(cache.admits(&snapshot, "/es/?a"), Admission::Render),
            "not kept: seen anew"
        );
        cache.keep(&snapshot, "/es/?a".into(), page("<p>"), &HeaderMap::new());
        assert!(cache.answer(&snapshot, "/es/?a", &HeaderMap::new()).is_some());
        assert_eq!(cache.hits(), 1);
        // Another snapshot (a content reload) sees nothing of the last one's pages.
        let reloaded = seed_snapshot();
        assert!(cache.answer(&reloaded, "/es/?a", &HeaderMap::new()).is_none());
        assert!(matches!(cache.admits(&reloaded, "/es/?b"), Admission::Render));
        assert!(!cache.holds("/es/?a"));
    }

    #[test]
    fn the_brotli_window_fits_the_page() {
        let body = "<li>página</li>".repeat(4000);
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &compress(body.as_bytes(), Encoding::Brotli)[..], &mut decoded).unwrap();
        assert_eq!(decoded, body.as_bytes());
        assert!(compress(b"", Encoding::Brotli).len() < 8);
    }
}
