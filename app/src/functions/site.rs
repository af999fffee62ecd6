//! Site-wide facts the pages need in the browser too.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Site-wide facts for head tags.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteMeta {
    /// Public base URL without a trailing slash.
    pub base_url: String,
}

/// Reads the site's public facts.
#[server(prefix = "/_fn", endpoint = "site")]
pub async fn get_site_meta() -> Result<SiteMeta, AppError> {
    let snapshot = super::snapshot()?;
    Ok(SiteMeta {
        base_url: snapshot.site.base_url.clone(),
    })
}

/// The public base URL, set once at the root of the app before any page renders.
#[derive(Clone, Copy, Debug)]
pub struct SiteBase(pub RwSignal<String>);

/// The public base URL (without a trailing slash) for absolute links in head tags.
pub fn use_base_url() -> String {
    use_context::<SiteBase>()
        .map(|b| b.0.get_untracked())
        .unwrap_or_default()
}
