//! `/es/donar/gracias`, `/en/donate/thank-you`: where the payment provider sends donors back.
//! The hand-off's return address names the gift's frequency (`?frequency=monthly`), and the
//! page thanks the donor for that gift; an address without it (or with a value the site does
//! not know) gets the general thanks.

use crate::{address::use_query, components::head::PageHead, i18n::use_locale, model::Frequency, paths::Page};
use leptos::prelude::*;

/// The thank-you page's query as it reads it: the gift's frequency, when it is a known one.
pub(super) fn page_query(query: &str) -> String {
    Frequency::from_query_string(query)
        .map(Frequency::to_query_string)
        .unwrap_or_default()
}

/// The thank-you page.
#[component]
pub fn ThanksPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.messages();
    let (title, text) = match Frequency::from_query_string(&use_query()) {
        Some(Frequency::Once) => (t.thanks_title_once, t.thanks_text),
        Some(Frequency::Monthly) => (t.thanks_title_monthly, t.thanks_text_monthly),
        None => (t.thanks_title, t.thanks_text),
    };
    view! {
        <PageHead locale title=title description=text page=Some(Page::Thanks) noindex=true />
        <section class="wrap narrow thanks">
            <h1>{title}</h1>
            <p class="lead">{text}</p>
            <p><a class="button" href=Page::Stories.path(locale)>{t.thanks_back}</a></p>
        </section>
    }
}
