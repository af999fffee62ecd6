//! The AIPR website. The server renders every page (`app`, `pages`, the server-only
//! components); only the islands, the parts that move in the browser (the feed's "read more",
//! the library's filters, the donation form and dialog), are compiled to WASM and hydrated.
#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod address;
pub mod api;
#[cfg(feature = "ssr")]
mod app;
pub mod components;
#[cfg(feature = "ssr")]
pub mod content;
pub mod error;
pub mod i18n;
pub mod model;
#[cfg(feature = "ssr")]
mod pages;
pub mod paths;
#[cfg(feature = "ssr")]
pub mod upstream;

#[cfg(feature = "ssr")]
pub use app::{asset_hash, hash_file, shell, stylesheet_href};
#[cfg(feature = "ssr")]
pub use pages::page_address;
