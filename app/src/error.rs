//! The one error type of the site: what went wrong, as a status and a translated message.

use serde::{Deserialize, Serialize};

/// What can go wrong while answering a visitor. It never carries raw error text to a page.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The page, story, shelf or page number does not exist.
    #[error("not found")]
    NotFound,
    /// A request value cannot be read.
    #[error("bad request")]
    BadRequest,
    /// Anything else; the detail is logged on the server only.
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// The HTTP status the error page answers with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::BadRequest => 400,
            AppError::Internal => 500,
        }
    }
}
