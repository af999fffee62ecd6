//! What a page shows when its data cannot be had: a translated message and the matching HTTP
//! status.

use crate::components::head::{in_head, title};
use crate::{error::AppError, i18n::Locale, paths::Page};
use leptos::prelude::*;

/// Sets the HTTP status of the response being rendered, through leptos_axum's
/// `ResponseOptions` (200 unless a page sets another).
pub fn set_status(status: u16) {
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(status);
    }
}

/// The error page for an [`AppError`]: 404, 400 or 500, in the page's language.
#[component]
pub fn ErrorView(locale: Locale, error: AppError) -> impl IntoView {
    let t = locale.messages();
    set_status(error.status_code());
    let (heading, text) = match error {
        AppError::NotFound => (t.not_found_title, t.not_found_text),
        AppError::BadRequest => (t.bad_request_title, t.bad_request_text),
        AppError::Internal => (t.error_title, t.error_text),
    };
    title(format!("{heading} · {}", t.site_short_name));
    in_head(view! { <meta name="robots" content="noindex" /> });
    view! {
        <section class="wrap error-page">
            <h1>{heading}</h1>
            <p>{text}</p>
            <p><a href=Page::Home.path(locale)>{t.not_found_home}</a></p>
        </section>
    }
}
