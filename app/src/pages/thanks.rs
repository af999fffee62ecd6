//! `/es/donar/gracias`, `/en/donate/thank-you`: where the payment provider sends donors back.

use crate::{components::head::PageHead, i18n::use_locale, paths::Page};
use leptos::prelude::*;

/// The thank-you page.
#[component]
pub fn ThanksPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.messages();
    view! {
        <PageHead locale title=t.thanks_title description=t.thanks_text page=Some(Page::Thanks) noindex=true />
        <section class="wrap narrow thanks">
            <h1>{t.thanks_title}</h1>
            <p class="lead">{t.thanks_text}</p>
            <p><a class="button" href=Page::Stories.path(locale)>{t.thanks_back}</a></p>
        </section>
    }
}
