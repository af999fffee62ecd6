//! What every handler can reach.

use crate::{front::Drain, page_cache::PageCache};
use app::content::ContentStore;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Leptos's options (site root, output name, environment), shared: the state is cloned
    /// for every request.
    pub options: Arc<LeptosOptions>,
    /// The content.
    pub store: ContentStore,
    /// Pages already rendered from the current content.
    pub pages: PageCache,
    /// Set when the server has been told to stop.
    pub drain: Drain,
    /// The photos' derivatives.
    pub photos: crate::photos::Photos,
}
