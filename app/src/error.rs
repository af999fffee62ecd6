//! The one error type of the site: what went wrong, as a status and a translated message.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// What can go wrong while answering a visitor. It crosses the network from server functions
/// to the browser, and never carries raw error text to a page.
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

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(_: ServerFnErrorErr) -> Self {
        AppError::Internal
    }
}
