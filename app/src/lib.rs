//! The AIPR website: pages and components shared by the server renderer and the hydrating
//! WASM client, the content model, and the server functions the pages read from.
#![recursion_limit = "256"]

mod app;
pub mod components;
#[cfg(feature = "ssr")]
pub mod content;
pub mod error;
pub mod functions;
pub mod i18n;
pub mod model;
mod pages;
pub mod paths;

pub use app::{shell, App};
