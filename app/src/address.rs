//! The address being rendered, from the request leptos_axum gives the render. The front has
//! already made it the page's address (`pages::page_address`): the path, and only the query
//! values the page reads.

use leptos::prelude::*;

/// The address being rendered (`/` outside a request).
pub fn use_address() -> http::Uri {
    use_context::<http::request::Parts>()
        .map(|parts| parts.uri)
        .unwrap_or_else(|| http::Uri::from_static("/"))
}

/// The query of the address being rendered, without its `?`.
pub fn use_query() -> String {
    use_address().query().unwrap_or("").to_owned()
}
