//! `/es/donar`, `/en/donate`: the donate form. After a failed hand-off it shows the values
//! with what is wrong next to each field, answering 400.

use crate::{
    app::use_locale,
    components::{
        donate::DonateFormView,
        error_view::{set_status, ErrorView},
        head::PageHead,
    },
    functions::donation::get_donation_settings,
    model::{Donation, DonationForm},
    paths::Page,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The donate page.
#[component]
pub fn DonatePage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.messages();
    let settings = Resource::new(|| (), |_| get_donation_settings());
    let submitted = DonationForm::from_query_string(&use_location().search.get_untracked());
    view! {
        <PageHead locale title=t.donate_title description=t.donate_cta_heading page=Some(Page::Donate) noindex=submitted.is_submitted() />
        <div class="wrap narrow donate-page">
            <h1>{t.donate_title}</h1>
            <p class="lead">{t.donate_cta_heading}</p>
            <p>{t.donate_intro}</p>
            <Suspense>
                {move || {
                    let submitted = submitted.clone();
                    Suspend::new(async move {
                        match settings.await {
                            Ok(settings) => {
                                let errors = if submitted.is_submitted() {
                                    Donation::validate(&submitted, &settings).err().unwrap_or_default()
                                } else {
                                    Vec::new()
                                };
                                if !errors.is_empty() {
                                    set_status(400);
                                }
                                view! { <DonateFormView locale settings prefix="page" values=submitted errors /> }.into_any()
                            }
                            Err(error) => view! { <ErrorView locale error /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}
