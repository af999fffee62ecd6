//! Server functions of the resource library.

use crate::{
    error::AppError,
    i18n::Locale,
    model::{Library, ResourceQuery},
};
use leptos::prelude::*;

/// The library filtered by `query`, all shelves or only `shelf`. An unknown shelf, or a page
/// past the last, is [`AppError::NotFound`]; unknown filter values are dropped.
#[server(prefix = "/_fn", endpoint = "library")]
pub async fn get_library(locale: Locale, shelf: Option<String>, query: ResourceQuery) -> Result<Library, AppError> {
    super::snapshot()?
        .library(locale, &query, shelf.as_deref())
        .ok_or(AppError::NotFound)
}
