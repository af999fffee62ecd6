//! Pieces shared by several pages.

pub mod cards;
pub mod donate;
pub mod empty_state;
pub mod error_view;
pub mod head;
pub mod layout;
pub mod library;
