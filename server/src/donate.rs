//! The donation hand-off: a checked donation goes to the payment provider.

use crate::{render::render, state::AppState};
use app::{
    i18n::Locale,
    model::{Donation, DonationForm},
    paths::{with_query, Page},
};
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode, Uri},
    response::{IntoResponse, Response},
};

/// `GET /donate/checkout`: a checked donation is handed to the payment provider's page for its
/// frequency with a 303, and the provider sends the donor back to the thank-you page for that
/// frequency; a wrong one (a monthly gift too, where the site offers one-off gifts only) shows
/// the donate form again with its messages and a 400.
pub async fn checkout(State(state): State<AppState>, request: Request) -> Response {
    let query = request.uri().query().unwrap_or("").to_owned();
    let form = DonationForm::from_query_string(&query);
    let snapshot = state.store.snapshot();
    let provider = &snapshot.site.donation;
    match Donation::validate(&form, &provider.settings) {
        Ok(donation) => {
            let thanks = with_query(
                &Page::Thanks.path(donation.locale),
                &donation.frequency.to_query_string(),
            );
            let return_url = format!("{}{thanks}", snapshot.site.base_url);
            match provider
                .hand_off(&donation, &return_url)
                .map(|url| HeaderValue::from_str(url.as_str()))
            {
                Some(Ok(location)) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
                _ => {
                    // The template passed the same check at load: only a broken build gets here.
                    tracing::error!("the donation URL left the allowed host; not redirecting");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
        Err(_) => {
            // The donate page renders the form with its messages, in the form's language.
            let locale = Locale::from_code(&form.locale).unwrap_or_default();
            let (mut parts, body) = request.into_parts();
            if let Ok(uri) = with_query(&Page::Donate.path(locale), &query).parse::<Uri>() {
                parts.uri = uri;
            }
            let mut response = render(&state, Request::from_parts(parts, body)).await;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}
