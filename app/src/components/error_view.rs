//! What a page shows when its data cannot be had: a translated message and the matching HTTP
//! status.

use crate::components::head::in_head;
use crate::{error::AppError, i18n::Locale, paths::Page};
use leptos::prelude::*;

/// The HTTP status of the page being rendered, which a page sets when it cannot show what was
/// asked (see [`set_status`]); 200 until then.
#[derive(Clone, Debug, Default)]
pub struct ResponseStatus(std::sync::Arc<std::sync::atomic::AtomicU16>);

impl ResponseStatus {
    /// The status: 200 unless the page set another.
    pub fn get(&self) -> u16 {
        match self.0.load(std::sync::atomic::Ordering::Relaxed) {
            0 => 200,
            status => status,
        }
    }
}

/// Sets the status of the response being rendered.
pub fn set_status(status: u16) {
    if let Some(response) = use_context::<ResponseStatus>() {
        response.0.store(status, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The error page for an [`AppError`]: 404, 400 or 500, in the page's language.
#[component]
pub fn ErrorView(locale: Locale, error: AppError) -> impl IntoView {
    let t = locale.messages();
    set_status(error.status_code());
    let (title, text) = match error {
        AppError::NotFound => (t.not_found_title, t.not_found_text),
        AppError::BadRequest => (t.bad_request_title, t.bad_request_text),
        AppError::Internal => (t.error_title, t.error_text),
    };
    in_head(
        Some(format!("{title} · {}", t.site_short_name)),
        view! { <meta name="robots" content="noindex" /> },
    );
    view! {
        <section class="wrap error-page">
            <h1>{title}</h1>
            <p>{text}</p>
            <p><a href=Page::Home.path(locale)>{t.not_found_home}</a></p>
        </section>
    }
}
