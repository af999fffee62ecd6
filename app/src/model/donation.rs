use crate::i18n::{fill, Locale};
use serde::{Deserialize, Serialize};

/// The donation options from `site.toml`, as the form shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationSettings {
    /// The payment provider's name as donors know it (`PayPal`): the form says where the gift
    /// is completed.
    pub provider: String,
    /// The frequencies offered, one-off first: monthly only when `site.toml` names the
    /// provider's page for a monthly gift.
    pub frequencies: Vec<Frequency>,
    /// Currency codes offered, the first being the default.
    pub currencies: Vec<String>,
    /// Preset amounts, in whole units of the currency.
    pub presets: Vec<u32>,
    /// Smallest amount accepted, in whole units.
    pub minimum: u32,
    /// Largest amount accepted, in whole units.
    pub maximum: u32,
}

impl DonationSettings {
    /// Whether the form offers gifts of this frequency.
    pub fn offers(&self, frequency: Frequency) -> bool {
        self.frequencies.contains(&frequency)
    }

    /// The line next to the donate button that tells the donor where the gift is completed.
    /// With the form's current values (`Some`, while JavaScript follows the form) it names the
    /// frequency, and the amount and currency once the amount is one the form accepts; without
    /// them it names only what cannot change.
    pub fn hand_off_note(&self, locale: Locale, values: Option<&DonationForm>) -> String {
        let t = locale.messages();
        let provider = [("provider", self.provider.as_str())];
        let Some(values) = values else {
            let template = if self.offers(Frequency::Monthly) {
                t.donate_handoff
            } else {
                t.donate_handoff_once_any
            };
            return fill(template, &provider);
        };
        let frequency = Frequency::from_code(&values.frequency)
            .filter(|f| self.offers(*f))
            .unwrap_or(Frequency::Once);
        let amount = parse_cents(&values.amount)
            .ok()
            .filter(|c| (u64::from(self.minimum) * 100..=u64::from(self.maximum) * 100).contains(c));
        let Some(cents) = amount else {
            let template = match frequency {
                Frequency::Once => t.donate_handoff_once_any,
                Frequency::Monthly => t.donate_handoff_monthly_any,
            };
            return fill(template, &provider);
        };
        let template = match frequency {
            Frequency::Once => t.donate_handoff_once,
            Frequency::Monthly => t.donate_handoff_monthly,
        };
        fill(
            template,
            &[
                ("provider", self.provider.as_str()),
                ("amount", &amount_for_people(cents, locale)),
                ("currency", self.currency_or_default(&values.currency)),
            ],
        )
    }

    /// The configured currency `code` names (letter case aside), else the default one.
    pub fn currency_or_default(&self, code: &str) -> &str {
        self.currencies
            .iter()
            .find(|c| c.eq_ignore_ascii_case(code))
            .or(self.currencies.first())
            .map_or("", String::as_str)
    }
}

/// An amount in hundredths as a donor reads it in a language: `25`, `25,50` or `25.50`.
fn amount_for_people(cents: u64, locale: Locale) -> String {
    if cents.is_multiple_of(100) {
        return (cents / 100).to_string();
    }
    let separator = match locale {
        Locale::Es => ',',
        Locale::En => '.',
    };
    format!("{}{separator}{:02}", cents / 100, cents % 100)
}

/// One-off or monthly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    /// A single donation.
    Once,
    /// A monthly donation.
    Monthly,
}

impl Frequency {
    /// The value used in the form and the provider URL.
    pub fn code(self) -> &'static str {
        match self {
            Frequency::Once => "once",
            Frequency::Monthly => "monthly",
        }
    }

    /// The frequency of a code, if it is one.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "once" => Some(Frequency::Once),
            "monthly" => Some(Frequency::Monthly),
            _ => None,
        }
    }

    /// The frequency a query string names (its last `frequency` value), if it is a known one:
    /// what the thank-you page reads from the address the provider sends the donor back to.
    pub fn from_query_string(query: &str) -> Option<Self> {
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .filter(|(key, _)| key == "frequency")
            .last()
            .and_then(|(_, value)| Self::from_code(value.trim()))
    }

    /// The query string naming this frequency; reading it back gives the same frequency.
    pub fn to_query_string(self) -> String {
        super::query_string([("frequency", self.code())])
    }
}

/// The donate form's values as submitted, not yet checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationForm {
    /// The amount as typed or picked (`50`, `25.50`, `25,50`).
    pub amount: String,
    /// Currency code.
    pub currency: String,
    /// `once` or `monthly`.
    pub frequency: String,
    /// Language of the visitor (`es`, `en`).
    pub locale: String,
}

impl DonationForm {
    /// Reads the form from a query string; unknown keys are ignored.
    pub fn from_query_string(query: &str) -> Self {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Reads the form from its fields' names and values (a query's pairs, or the form's own
    /// data in the browser); unknown names are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut form = DonationForm::default();
        let mut other_amount = String::new();
        for (key, value) in pairs {
            let value = value.trim().to_owned();
            match key {
                "amount" => form.amount = value,
                "other_amount" => other_amount = value,
                "currency" => form.currency = value,
                "frequency" => form.frequency = value,
                "locale" => form.locale = value,
                _ => {}
            }
        }
        // A typed amount wins over a picked preset.
        if !other_amount.is_empty() {
            form.amount = other_amount;
        }
        form
    }

    /// The query string of the form's values, in a fixed order; empty when nothing was
    /// submitted. Reading it back gives the same form.
    pub fn to_query_string(&self) -> String {
        if !self.is_submitted() {
            return String::new();
        }
        super::query_string([
            ("amount", self.amount.as_str()),
            ("currency", &self.currency),
            ("frequency", &self.frequency),
            ("locale", &self.locale),
        ])
    }

    /// Whether the query held any donation value: then the donate page shows what is wrong.
    pub fn is_submitted(&self) -> bool {
        !(self.amount.is_empty() && self.currency.is_empty() && self.frequency.is_empty())
    }
}

/// What is wrong with a submitted donation form, one value per field at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DonationError {
    /// No amount given.
    AmountMissing,
    /// The amount is not a number.
    AmountInvalid,
    /// The amount is outside the configured minimum and maximum.
    AmountRange,
    /// The amount has more than two decimals.
    AmountDecimals,
    /// The currency is not one of the configured ones.
    Currency,
    /// The frequency is neither one-off nor monthly.
    Frequency,
    /// Monthly, where the site offers one-off gifts only.
    MonthlyNotOffered,
    /// The language is not one of the site's.
    Locale,
}

impl DonationError {
    /// The form field the error belongs to.
    pub fn field(self) -> &'static str {
        match self {
            DonationError::AmountMissing
            | DonationError::AmountInvalid
            | DonationError::AmountRange
            | DonationError::AmountDecimals => "amount",
            DonationError::Currency => "currency",
            DonationError::Frequency | DonationError::MonthlyNotOffered => "frequency",
            DonationError::Locale => "locale",
        }
    }

    /// The message shown next to the field, in a language.
    pub fn message(self, locale: Locale, settings: &DonationSettings) -> String {
        let t = locale.messages();
        match self {
            DonationError::AmountMissing => t.donate_error_amount_missing.to_owned(),
            DonationError::AmountInvalid => t.donate_error_amount_invalid.to_owned(),
            DonationError::AmountRange => fill(
                t.donate_error_amount_range,
                &[
                    ("min", &settings.minimum.to_string()),
                    ("max", &settings.maximum.to_string()),
                ],
            ),
            DonationError::AmountDecimals => t.donate_error_amount_decimals.to_owned(),
            DonationError::Currency => t.donate_error_currency.to_owned(),
            DonationError::Frequency if settings.offers(Frequency::Monthly) => t.donate_error_frequency.to_owned(),
            DonationError::Frequency => t.donate_error_frequency_once_only.to_owned(),
            DonationError::MonthlyNotOffered => t.donate_error_monthly_unavailable.to_owned(),
            DonationError::Locale => t.donate_error_locale.to_owned(),
        }
    }
}

/// A checked donation, ready for the hand-off to the payment provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Donation {
    /// Amount in hundredths of the currency unit.
    pub cents: u64,
    /// A configured currency code.
    pub currency: String,
    /// One-off or monthly.
    pub frequency: Frequency,
    /// The visitor's language.
    pub locale: Locale,
}

impl Donation {
    /// The amount as the provider expects it: `50` or `25.50`.
    pub fn amount_text(&self) -> String {
        if self.cents.is_multiple_of(100) {
            (self.cents / 100).to_string()
        } else {
            format!("{}.{:02}", self.cents / 100, self.cents % 100)
        }
    }

    /// Checks every value of the form against the settings, the frequency against the ones
    /// offered; all errors at once.
    pub fn validate(form: &DonationForm, settings: &DonationSettings) -> Result<Donation, Vec<DonationError>> {
        let mut errors = Vec::new();
        let cents = match parse_cents(&form.amount) {
            Ok(c) if c < u64::from(settings.minimum) * 100 || c > u64::from(settings.maximum) * 100 => {
                errors.push(DonationError::AmountRange);
                None
            }
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let currency = settings
            .currencies
            .iter()
            .find(|c| c.as_str() == form.currency.to_ascii_uppercase());
        if currency.is_none() {
            errors.push(DonationError::Currency);
        }
        let frequency = match Frequency::from_code(&form.frequency) {
            Some(f) if settings.offers(f) => Some(f),
            Some(_) => {
                errors.push(DonationError::MonthlyNotOffered);
                None
            }
            None => {
                errors.push(DonationError::Frequency);
                None
            }
        };
        let locale = Locale::from_code(&form.locale);
        if locale.is_none() {
            errors.push(DonationError::Locale);
        }
        match (cents, currency, frequency, locale) {
            (Some(cents), Some(currency), Some(frequency), Some(locale)) if errors.is_empty() => Ok(Donation {
                cents,
                currency: currency.clone(),
                frequency,
                locale,
            }),
            _ => Err(errors),
        }
    }
}

/// Reads an amount such as `50`, `25.5`, `25,50` or `1000` into hundredths.
fn parse_cents(text: &str) -> Result<u64, DonationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DonationError::AmountMissing);
    }
    let (whole, fraction) = match text.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 9 || !digits(whole) || !digits(fraction) {
        return Err(DonationError::AmountInvalid);
    }
    if fraction.len() > 2 {
        return Err(DonationError::AmountDecimals);
    }
    let whole: u64 = whole.parse().map_err(|_| DonationError::AmountInvalid)?;
    let fraction: u64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| DonationError::AmountInvalid)?;
    Ok(whole * 100 + fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> DonationSettings {
        DonationSettings {
            provider: "PayPal".into(),
            frequencies: vec![Frequency::Once, Frequency::Monthly],
            currencies: vec!["USD".into(), "EUR".into()],
            presets: vec![25, 50],
            minimum: 5,
            maximum: 10_000,
        }
    }

    fn form(amount: &str, currency: &str, frequency: &str, locale: &str) -> DonationForm {
        DonationForm {
            amount: amount.into(),
            currency: currency.into(),
            frequency: frequency.into(),
            locale: locale.into(),
        }
    }

    #[test]
    fn accepts_good_values() {
        let d = Donation::validate(&form("25,5", "eur", "monthly", "es"), &settings()).unwrap();
        assert_eq!(d.cents, 2550);
        assert_eq!(d.amount_text(), "25.50");
        assert_eq!(d.currency, "EUR");
        assert_eq!(d.frequency, Frequency::Monthly);
        let d = Donation::validate(&form("10000", "USD", "once", "en"), &settings()).unwrap();
        assert_eq!(d.amount_text(), "10000");
    }

    #[test]
    fn reports_every_bad_value() {
        let s = settings();
        let err = |a, c, f, l| Donation::validate(&form(a, c, f, l), &s).unwrap_err();
        assert_eq!(err("", "USD", "once", "es"), vec![DonationError::AmountMissing]);
        assert_eq!(err("abc", "USD", "once", "es"), vec![DonationError::AmountInvalid]);
        assert_eq!(err("-5", "USD", "once", "es"), vec![DonationError::AmountInvalid]);
        assert_eq!(err("1e3", "USD", "once", "es"), vec![DonationError::AmountInvalid]);
        assert_eq!(err("4.99", "USD", "once", "es"), vec![DonationError::AmountRange]);
        assert_eq!(err("10000.01", "USD", "once", "es"), vec![DonationError::AmountRange]);
        assert_eq!(
            err("99999999999999", "USD", "once", "es"),
            vec![DonationError::AmountInvalid]
        );
        assert_eq!(err("5.123", "USD", "once", "es"), vec![DonationError::AmountDecimals]);
        assert_eq!(
            err("x", "GBP", "weekly", "fr"),
            vec![
                DonationError::AmountInvalid,
                DonationError::Currency,
                DonationError::Frequency,
                DonationError::Locale
            ]
        );
        assert_eq!(
            err("50", "https://evil.example", "once", "es"),
            vec![DonationError::Currency]
        );
        assert_eq!(err("50&x=1", "USD", "once", "es"), vec![DonationError::AmountInvalid]);
    }

    #[test]
    fn messages_name_the_limits() {
        let msg = DonationError::AmountRange.message(Locale::En, &settings());
        assert_eq!(msg, "The amount must be between 5 and 10000.");
        assert_eq!(DonationError::Currency.field(), "currency");
    }

    #[test]
    fn reads_the_form_from_a_query() {
        let f = DonationForm::from_query_string("amount=25&currency=EUR&frequency=once&locale=en&x=1");
        assert_eq!(f, form("25", "EUR", "once", "en"));
        assert!(f.is_submitted());
        assert!(!DonationForm::from_query_string("").is_submitted());
        assert_eq!(
            DonationForm::from_query_string("amount=25&other_amount=30,5").amount,
            "30,5"
        );
        assert_eq!(DonationForm::from_query_string("amount=25&other_amount=").amount, "25");
        // The browser reads its form's fields through the same door.
        assert_eq!(
            DonationForm::from_pairs([
                ("amount", "25"),
                ("other_amount", " 30,5 "),
                ("currency", "EUR"),
                ("x", "1")
            ]),
            DonationForm::from_query_string("amount=25&other_amount=+30%2C5+&currency=EUR&x=1")
        );
    }

    fn one_off_only() -> DonationSettings {
        DonationSettings {
            frequencies: vec![Frequency::Once],
            ..settings()
        }
    }

    #[test]
    fn monthly_is_refused_where_it_is_not_offered() {
        let once = one_off_only();
        let err = |f| Donation::validate(&form("50", "USD", f, "es"), &once).unwrap_err();
        assert_eq!(err("monthly"), vec![DonationError::MonthlyNotOffered]);
        assert_eq!(err("weekly"), vec![DonationError::Frequency]);
        assert_eq!(DonationError::MonthlyNotOffered.field(), "frequency");
        assert_eq!(
            DonationError::MonthlyNotOffered.message(Locale::En, &once),
            Locale::En.messages().donate_error_monthly_unavailable
        );
        // Where monthly is offered, a wrong frequency names both choices; where it is not, only
        // the one there is.
        assert_eq!(
            DonationError::Frequency.message(Locale::Es, &settings()),
            Locale::Es.messages().donate_error_frequency
        );
        assert_eq!(
            DonationError::Frequency.message(Locale::Es, &once),
            Locale::Es.messages().donate_error_frequency_once_only
        );
        assert!(Donation::validate(&form("50", "USD", "once", "es"), &once).is_ok());
        assert!(Donation::validate(&form("50", "USD", "monthly", "es"), &settings()).is_ok());
    }

    #[test]
    fn the_note_says_where_the_gift_is_completed() {
        let s = settings();
        let note = |locale, amount, currency, frequency| {
            s.hand_off_note(locale, Some(&form(amount, currency, frequency, "es")))
        };
        assert_eq!(
            note(Locale::Es, "25", "USD", "monthly"),
            "Continuarás en PayPal para completar tu donación mensual de 25 USD."
        );
        assert_eq!(
            note(Locale::En, "25", "USD", "monthly"),
            "You will continue on PayPal to complete your monthly donation of 25 USD."
        );
        assert_eq!(
            note(Locale::Es, "25.5", "eur", "once"),
            "Continuarás en PayPal para completar tu donación única de 25,50 EUR."
        );
        assert_eq!(
            note(Locale::En, "25,5", "GBP", "once"),
            "You will continue on PayPal to complete your one-off donation of 25.50 USD."
        );
        // An amount the form would refuse is not repeated; the frequency still is.
        for amount in ["", "abc", "1", "99999"] {
            assert_eq!(
                note(Locale::En, amount, "USD", "monthly"),
                "You will continue on PayPal to complete your monthly donation."
            );
        }
        // Without the form's values (no JavaScript), only what cannot change.
        assert_eq!(
            s.hand_off_note(Locale::Es, None),
            "Continuarás en PayPal para completar tu donación."
        );
        let once = one_off_only();
        assert_eq!(
            once.hand_off_note(Locale::En, None),
            "You will continue on PayPal to complete your one-off donation."
        );
        assert_eq!(
            once.hand_off_note(Locale::En, Some(&form("50", "USD", "monthly", "en"))),
            "You will continue on PayPal to complete your one-off donation of 50 USD."
        );
    }

    #[test]
    fn the_thank_you_page_reads_only_a_known_frequency() {
        assert_eq!(
            Frequency::from_query_string("frequency=monthly"),
            Some(Frequency::Monthly)
        );
        assert_eq!(
            Frequency::from_query_string("?frequency=monthly&frequency=once&tx=1"),
            Some(Frequency::Once)
        );
        assert_eq!(Frequency::from_query_string("frequency=weekly"), None);
        assert_eq!(Frequency::from_query_string("st=Completed"), None);
        for f in [Frequency::Once, Frequency::Monthly] {
            assert_eq!(Frequency::from_query_string(&f.to_query_string()), Some(f));
        }
        assert_eq!(Frequency::Monthly.to_query_string(), "frequency=monthly");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_form_is_checked_without_panic_and_a_checked_one_checks_again(
                query in "((amount|other_amount|currency|frequency|locale|x)=[^&]{0,14}&?){0,7}|\\PC{0,200}",
                amount in "[0-9]{0,6}([.,][0-9]{0,3})?",
            ) {
                let form = DonationForm::from_query_string(&format!("{query}&amount={amount}"));
                let _ = form.is_submitted();
                if let Ok(donation) = Donation::validate(&form, &settings()) {
                    let again = super::form(
                        &donation.amount_text(),
                        &donation.currency,
                        donation.frequency.code(),
                        donation.locale.code(),
                    );
                    prop_assert_eq!(Donation::validate(&again, &settings()), Ok(donation));
                }
            }

            #[test]
            fn a_good_amount_is_read_to_the_cent(cents in 500u64..=1_000_000) {
                let text = format!("{},{:02}", cents / 100, cents % 100);
                let donation = Donation::validate(&form(&text, "USD", "once", "es"), &settings());
                prop_assert_eq!(donation.map(|d| d.cents), Ok(cents));
            }
        }
    }
}
