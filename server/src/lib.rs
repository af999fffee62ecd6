//! The AIPR website's server. A request goes through:
//!
//! 1. the front (`front.rs`): a page kept from the current content (`page_cache.rs`) is
//!    answered there;
//! 2. the routes (`routes.rs`): the feeds and other answers (`handlers.rs`), the JSON API
//!    (`api.rs`), the editor (`admin/`), the donation hand-off (`donate.rs`), assets and files;
//! 3. every other path is a page, rendered by leptos_axum (`render.rs`) with its
//!    Content-Security-Policy (`csp.rs`), and maybe kept by the front.
//!
//! Around them: the settings (`config.rs`), the listening socket (`listen.rs`), the security
//! headers (`headers.rs`), the allocator (`memory.rs`) and `server check` (`check.rs`).

pub mod admin;
pub mod api;
pub mod canonical;
pub mod check;
pub mod config;
pub mod csp;
pub mod donate;
pub mod feeds;
pub mod front;
pub mod handlers;
pub mod headers;
pub mod listen;
pub mod memory;
pub mod page_cache;
pub mod photos;
pub mod render;
pub mod routes;
pub mod state;

pub use memory::{release_freed_memory, tune_allocator};
pub use routes::{router, site};
pub use state::AppState;
