//! The content engine (server only): reads `content/`, checks every file, renders Markdown
//! once, and keeps an immutable, indexed snapshot that all requests share.

mod files;
mod fold;
mod index;
mod links;
mod loader;
mod markdown;
pub mod photos;
mod plain;
mod related;
mod site;
mod store;

pub use fold::fold;
pub use index::Snapshot;
pub use links::check_links;
pub use loader::{load, load_with, ContentError, LoadErrors};
pub use markdown::render_markdown;
pub use plain::{Field, Plain, Problem};
pub use site::{DonationProvider, Program, Site, PLACEHOLDERS};
pub use store::ContentStore;
