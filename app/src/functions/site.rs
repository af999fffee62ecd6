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

/// The site facts, loaded once per visit and shared by every page.
pub fn use_site_meta() -> Resource<Result<SiteMeta, AppError>> {
    match use_context::<Resource<Result<SiteMeta, AppError>>>() {
        Some(resource) => resource,
        None => {
            let resource = Resource::new(|| (), |_| get_site_meta());
            provide_context(resource);
            resource
        }
    }
}
