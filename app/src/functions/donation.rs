//! Server functions of the donation form.

use crate::{error::AppError, model::DonationSettings};
use leptos::prelude::*;

/// The donation options the form offers.
#[server(prefix = "/_fn", endpoint = "donation")]
pub async fn get_donation_settings() -> Result<DonationSettings, AppError> {
    Ok(super::snapshot()?.site.donation.settings.clone())
}
