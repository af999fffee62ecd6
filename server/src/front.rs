//! The front of the server, before any routing or middleware: kept pages are served from here,
//! and while the server drains before stopping, every answer says `Connection: close`.
//!
//! A request for a page is read as its page address (`app::page_address`: the path with only
//! the query values the page reads, normalized). A page kept under that address is answered at
//! once: a lookup and a write of shared bytes. Otherwise the request goes on to the router with
//! its address in place of its query, so that what is rendered, and maybe kept, is a function
//! of the address alone.

use crate::page_cache::{read_back, Admission, PageCache};
use app::content::ContentStore;
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, Method, Response, Uri},
};
use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    task::{Context, Poll},
};
use tower::{Service, ServiceExt};

/// Whether the server is draining: it has been told to stop and answers its last requests.
#[derive(Clone, Debug, Default)]
pub struct Drain(Arc<AtomicBool>);

impl Drain {
    /// From now on, `/healthz` answers 503 and every answer closes its connection.
    pub fn start(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the drain has started.
    pub fn is_on(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Marks a request whose rendered page is to be kept, and then its response: the router's
/// compression leaves such a response alone (the kept page is compressed once, here).
#[derive(Clone, Copy, Debug)]
pub struct Keep;

/// The front service around the site's router.
#[derive(Clone, Debug)]
pub struct Front<S> {
    inner: S,
    pages: PageCache,
    store: ContentStore,
    drain: Drain,
}

impl<S> Front<S> {
    /// `inner` behind the kept `pages` of `store`'s content, and the `drain` switch.
    pub fn new(inner: S, pages: PageCache, store: ContentStore, drain: Drain) -> Self {
        Front {
            inner,
            pages,
            store,
            drain,
        }
    }
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

impl<S> Service<Request> for Front<S>
where
    S: Service<Request, Response = Response<Body>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request) -> BoxFuture {
        let inner = self.inner.clone();
        let drain = self.drain.clone();
        let page = (self.pages.is_on() && matches!(*request.method(), Method::GET | Method::HEAD))
            .then(|| {
                let snapshot = self.store.snapshot();
                let uri = request.uri();
                let address = app::page_address(&snapshot, uri.path(), uri.query().unwrap_or(""))?;
                Some((snapshot, address))
            })
            .flatten();
        let Some((snapshot, address)) = page else {
            return pass_on(inner, request, drain);
        };
        if let Some(response) = self.pages.answer(&snapshot, &address, request.headers()) {
            return Box::pin(std::future::ready(Ok(closing(response, &drain))));
        }
        // Rendered from the address; a HEAD request's body is empty, so only a GET keeps.
        if let Ok(uri) = address.parse::<Uri>() {
            *request.uri_mut() = uri;
        }
        let admission = match *request.method() {
            Method::GET => self.pages.admits(&snapshot, &address),
            _ => Admission::Render,
        };
        let keeping = match admission {
            Admission::Keep(keeping) => keeping,
            Admission::Render => {
                return pass_on(inner, request, drain);
            }
            // Another request renders this page to keep it: its answer, once kept, serves
            // this one too; if it keeps nothing, this one is rendered.
            Admission::Wait(mut done) => {
                let pages = self.pages.clone();
                return Box::pin(async move {
                    let _ = done.changed().await;
                    let response = match pages.answer(&snapshot, &address, request.headers()) {
                        Some(response) => response,
                        None => inner.oneshot(request).await?,
                    };
                    Ok(closing(response, &drain))
                });
            }
        };
        request.extensions_mut().insert(Keep);
        let (pages, store) = (self.pages.clone(), self.store.clone());
        let headers = request.headers().clone();
        Box::pin(async move {
            let rendered = inner.oneshot(request).await?;
            let (response, kept) = read_back(rendered, pages.largest_page()).await;
            // Kept only if no reload happened while rendering: the page comes from one snapshot.
            let response = match kept.filter(|_| Arc::ptr_eq(&snapshot, &store.snapshot())) {
                Some(page) => {
                    let response = pages.keep(&snapshot, address, page, &headers);
                    drop(keeping);
                    response
                }
                None => response,
            };
            Ok(closing(response, &drain))
        })
    }
}

/// The request handed to the router, as it is.
fn pass_on<S>(inner: S, request: Request, drain: Drain) -> BoxFuture
where
    S: Service<Request, Response = Response<Body>, Error = Infallible> + Send + 'static,
    S::Future: Send,
{
    Box::pin(async move { Ok(closing(inner.oneshot(request).await?, &drain)) })
}

/// The response, with `Connection: close` while the server drains.
fn closing(mut response: Response<Body>, drain: &Drain) -> Response<Body> {
    if drain.is_on() {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
