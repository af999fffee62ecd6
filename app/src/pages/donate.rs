//! `/es/donar`, `/en/donate`: the donate form. After a failed hand-off it shows the values
//! with what is wrong next to each field, answering 400.

use super::from_content;
use crate::{
    address::use_query,
    components::{donate::DonatePageForm, error_view::set_status, head::PageHead},
    i18n::use_locale,
    model::{Donation, DonationForm},
    paths::Page,
};
use leptos::prelude::*;

/// The donate page.
#[component]
pub fn DonatePage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.messages();
    let submitted = DonationForm::from_query_string(&use_query());
    let noindex = submitted.is_submitted();
    let form = from_content(
        locale,
        |s| Some(s.site.donation.settings.clone()),
        move |settings| {
            let errors = if submitted.is_submitted() {
                Donation::validate(&submitted, &settings).err().unwrap_or_default()
            } else {
                Vec::new()
            };
            if !errors.is_empty() {
                set_status(400);
            }
            view! { <DonatePageForm locale settings values=submitted errors /> }
        },
    );
    view! {
        <PageHead locale title=t.donate_title description=t.donate_cta_heading page=Some(Page::Donate) noindex />
        <div class="wrap narrow donate-page">
            <h1>{t.donate_title}</h1>
            <p class="lead">{t.donate_cta_heading}</p>
            <p>{t.donate_intro}</p>
            {form}
        </div>
    }
}
