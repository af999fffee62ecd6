//! Rendered pages kept for the content snapshot they were rendered from.
//!
//! A page is a function of its URL and the content snapshot, except for the CSP nonce, which
//! every response must have fresh. A kept page is therefore stored as a template split at its
//! nonce, and each response fills in a new one. The cache holds at most a byte budget, drops
//! the least recently used pages beyond it, and empties itself when the snapshot changes.

use app::content::{ContentStore, Snapshot};
use axum::{
    body::{to_bytes, Body},
    http::{header, HeaderName, HeaderValue, Response, StatusCode},
};
use leptos::nonce::Nonce;
use std::{
    collections::{BTreeMap, HashMap},
    future::Future,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, PoisonError, Weak,
    },
};

/// A page is kept only if it takes at most this fraction (1/8) of the budget, so that one large
/// page never empties the cache.
const PAGE_SHARE: usize = 8;

/// Text split at every occurrence of a nonce.
#[derive(Debug, PartialEq)]
struct Template(Vec<String>);

impl Template {
    fn split(text: &str, nonce: &str) -> Self {
        Template(text.split(nonce).map(str::to_owned).collect())
    }

    fn fill(&self, nonce: &str) -> String {
        let len = self.0.iter().map(String::len).sum::<usize>() + nonce.len() * self.0.len().saturating_sub(1);
        let mut out = String::with_capacity(len);
        for (i, part) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_str(nonce);
            }
            out.push_str(part);
        }
        out
    }

    fn len(&self) -> usize {
        self.0.iter().map(String::len).sum()
    }
}

/// A kept page: its headers and body with holes where the nonce goes.
#[derive(Debug)]
pub struct KeptPage {
    headers: Vec<(HeaderName, Template)>,
    body: Template,
}

impl KeptPage {
    /// The page as a response with `nonce` in every place the original nonce was.
    fn respond(&self, nonce: &str) -> Response<Body> {
        let mut response = Response::new(Body::from(self.body.fill(nonce)));
        let headers = response.headers_mut();
        for (name, value) in &self.headers {
            if let Ok(value) = HeaderValue::from_str(&value.fill(nonce)) {
                headers.append(name.clone(), value);
            }
        }
        response
    }

    fn size(&self) -> usize {
        self.body.len()
            + self
                .headers
                .iter()
                .map(|(n, v)| n.as_str().len() + v.len())
                .sum::<usize>()
    }
}

/// The nonce a page's Content-Security-Policy allows scripts by.
fn policy_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(&policy[start..start + len]).filter(|n| n.len() >= 16)
}

/// Reads a freshly rendered response back. A successful HTML page with a nonce and a body of at
/// most `largest` bytes comes back as the same response plus its template; anything else comes
/// back as it was, not to be kept.
async fn read_back(response: Response<Body>, largest: usize) -> (Response<Body>, Option<KeptPage>) {
    let (parts, body) = response.into_parts();
    let keepable = parts.status == StatusCode::OK
        && !parts.headers.contains_key(header::SET_COOKIE)
        && parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    let nonce = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(policy_nonce)
        .map(str::to_owned);
    let Some(nonce) = nonce.filter(|_| keepable) else {
        return (Response::from_parts(parts, body), None);
    };
    // The body is already whole in memory (the page was rendered before the response was
    // built), so it is read back without a limit; pages too large to keep are left out later.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "a rendered page could not be read back");
            let mut failed = Response::new(Body::empty());
            *failed.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return (failed, None);
        }
    };
    let text = (bytes.len() <= largest)
        .then(|| std::str::from_utf8(&bytes).ok())
        .flatten();
    let kept = text.map(|text| KeptPage {
        headers: parts
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), Template::split(value.to_str().ok()?, &nonce))))
            .collect(),
        body: Template::split(text, &nonce),
    });
    (Response::from_parts(parts, Body::from(bytes)), kept)
}

#[derive(Debug, Default)]
struct Pages {
    /// The snapshot the pages were rendered from.
    snapshot: Weak<Snapshot>,
    pages: HashMap<String, (u64, Arc<KeptPage>)>,
    /// Pages by last use, oldest first.
    order: BTreeMap<u64, String>,
    clock: u64,
    bytes: usize,
}

impl Pages {
    /// Empties the cache if `snapshot` is not the one its pages come from.
    fn follow(&mut self, snapshot: &Arc<Snapshot>) {
        if self.snapshot.as_ptr() != Arc::as_ptr(snapshot) {
            *self = Pages {
                snapshot: Arc::downgrade(snapshot),
                clock: self.clock,
                ..Pages::default()
            };
        }
    }

    fn touch(&mut self, key: &str) -> Option<Arc<KeptPage>> {
        self.clock += 1;
        let (used, page) = self.pages.get_mut(key)?;
        let key = self.order.remove(used)?;
        *used = self.clock;
        let page = Arc::clone(page);
        self.order.insert(self.clock, key);
        Some(page)
    }

    fn insert(&mut self, key: String, page: KeptPage, budget: usize) {
        let size = key.len() + page.size();
        if size > budget / PAGE_SHARE {
            return;
        }
        if let Some((used, old)) = self.pages.remove(&key) {
            self.order.remove(&used);
            self.bytes -= key.len() + old.size();
        }
        while self.bytes + size > budget {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            if let Some((_, old)) = self.pages.remove(&oldest) {
                self.bytes -= oldest.len() + old.size();
            }
        }
        self.clock += 1;
        self.bytes += size;
        self.order.insert(self.clock, key.clone());
        self.pages.insert(key, (self.clock, Arc::new(page)));
    }
}

/// The rendered pages of the current snapshot, up to a byte budget; shared by every request.
#[derive(Clone, Debug)]
pub struct PageCache {
    pages: Arc<Mutex<Pages>>,
    budget: usize,
    /// Responses served from a kept page.
    hits: Arc<AtomicU64>,
}

impl PageCache {
    /// A cache of at most `budget` bytes; 0 keeps nothing.
    pub fn new(budget: usize) -> Self {
        PageCache {
            pages: Arc::default(),
            budget,
            hits: Arc::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pages> {
        self.pages.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The page at `key` (path and query) from `store`'s current snapshot: the kept one with a
    /// fresh nonce, or the one `render` gives, kept for next time when it can be.
    pub async fn page<F>(&self, store: &ContentStore, key: &str, render: F) -> Response<Body>
    where
        F: Future<Output = Response<Body>>,
    {
        if self.budget == 0 {
            return render.await;
        }
        let snapshot = store.snapshot();
        let kept = {
            let mut pages = self.lock();
            pages.follow(&snapshot);
            pages.touch(key)
        };
        if let Some(page) = kept {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return page.respond(&Nonce::new());
        }
        let (response, kept) = read_back(render.await, self.budget / PAGE_SHARE).await;
        // Kept only if no reload happened while rendering: the page then comes from one snapshot.
        if let Some(page) = kept.filter(|_| Arc::ptr_eq(&snapshot, &store.snapshot())) {
            let mut pages = self.lock();
            pages.follow(&snapshot);
            pages.insert(key.to_owned(), page, self.budget);
        }
        response
    }

    /// How many pages and bytes are kept.
    pub fn usage(&self) -> (usize, usize) {
        let pages = self.lock();
        (pages.pages.len(), pages.bytes)
    }

    /// Whether the page at `key` is kept.
    pub fn holds(&self, key: &str) -> bool {
        self.lock().pages.contains_key(key)
    }

    /// How many responses were served from kept pages.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> KeptPage {
        KeptPage {
            headers: vec![],
            body: Template::split(body, "N"),
        }
    }

    #[test]
    fn templates_fill_every_place_of_the_nonce() {
        let t = Template::split("a nonce=\"abc\" b nonce=\"abc\"", "abc");
        assert_eq!(t.0.len(), 3);
        assert_eq!(t.fill("xyz"), "a nonce=\"xyz\" b nonce=\"xyz\"");
        assert_eq!(Template::split("no nonce here", "abc").fill("xyz"), "no nonce here");
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let policy = "default-src 'self'; script-src 'self' 'nonce-0123456789abcdefABCD' 'wasm-unsafe-eval'";
        assert_eq!(policy_nonce(policy), Some("0123456789abcdefABCD"));
        assert_eq!(policy_nonce("script-src 'self'"), None);
        assert_eq!(policy_nonce("script-src 'nonce-short'"), None);
    }

    fn html(body: &str) -> Response<Body> {
        let mut response = Response::new(Body::from(body.to_owned()));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'nonce-0123456789abcdefABCD'"),
        );
        response
    }

    #[tokio::test]
    async fn pages_too_large_to_keep_are_served_whole() {
        let body = format!("<script nonce=\"0123456789abcdefABCD\"></script>{}", "x".repeat(5000));
        let (response, kept) = read_back(html(&body), 1000).await;
        assert!(kept.is_none());
        let served = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(served, body.as_bytes());
        let (_, kept) = read_back(html(&body), 10_000).await;
        assert_eq!(kept.map(|k| k.body.0.len()), Some(2));
    }

    #[test]
    fn least_recently_used_pages_leave_first() {
        let mut pages = Pages::default();
        let budget = 80;
        pages.insert("a".into(), page(&"x".repeat(9)), budget);
        pages.insert("b".into(), page(&"x".repeat(9)), budget);
        assert!(pages.touch("a").is_some());
        for key in ["c", "d", "e", "f", "g", "h", "i"] {
            pages.insert(key.into(), page(&"x".repeat(9)), budget);
        }
        assert!(pages.bytes <= budget);
        assert!(pages.touch("b").is_none(), "the least recently used page left");
        assert!(pages.touch("i").is_some());
        // Too large for the budget: not kept at all.
        pages.insert("big".into(), page(&"x".repeat(50)), budget);
        assert!(pages.touch("big").is_none());
        // Replacing a page counts its size once.
        let before = pages.bytes;
        pages.insert("i".into(), page(&"x".repeat(9)), budget);
        assert_eq!(pages.bytes, before);
    }
}
