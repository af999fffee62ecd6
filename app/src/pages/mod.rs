//! One module per page of the site.

pub mod donate;
pub mod home;
pub mod not_found;
pub mod resources;
pub mod shelf;
pub mod stories;
pub mod story;
pub mod thanks;
