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

    /// A call whose arguments cannot be read is the caller's mistake (400); anything else in
    /// the server function machinery is ours (500).
    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::Request(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            _ => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_calls_are_the_callers_mistake() {
        let bad = AppError::from_server_fn_error(ServerFnErrorErr::Args("locale".into()));
        assert_eq!(bad.status_code(), 400);
        let ours = AppError::from_server_fn_error(ServerFnErrorErr::Response("x".into()));
        assert_eq!(ours.status_code(), 500);
    }
}
