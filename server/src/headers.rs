//! Security headers on every response. HTML pages carry their own Content-Security-Policy
//! (see `csp`); every other response gets a policy that allows nothing.

use axum::{extract::Request, middleware::Next, response::Response};
use http::{header, HeaderName, HeaderValue};

/// The policy of responses that are not pages (JSON, XML, assets).
const NON_PAGE_POLICY: &str =
    "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the baseline headers; `hsts` is the `Strict-Transport-Security` value, if configured.
pub async fn security_headers(hsts: Option<HeaderValue>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &str); 4] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // `same-origin` unless the route chose another: only the editor's pages do, so that the
    // GitHub sign-in popup can answer the page that opened it (`admin`).
    headers
        .entry(HeaderName::from_static("cross-origin-opener-policy"))
        .or_insert(HeaderValue::from_static("same-origin"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(NON_PAGE_POLICY),
        );
    }
    if let Some(hsts) = hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts);
    }
    response
}
