use super::ContentError;
use crate::{
    i18n::Locale,
    model::{Donation, DonationSettings, Frequency},
};
use url::Url;

/// The placeholders a donation URL template may use.
pub const PLACEHOLDERS: [&str; 5] = ["{amount}", "{currency}", "{frequency}", "{locale}", "{return_url}"];

/// What marks a placeholder account in a donation URL template, letter case aside (the
/// bundled `REPLACE-WITH-AIPR-PAYPAL-ACCOUNT`): fine for development, refused in production.
pub const PLACEHOLDER_MARK: &str = "REPLACE-WITH-";

/// A text in each language of the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerLocale {
    /// Spanish.
    pub es: String,
    /// English.
    pub en: String,
}

impl PerLocale {
    /// The text in a language.
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Es => &self.es,
            Locale::En => &self.en,
        }
    }
}

/// A program of the institute, which stories and documents may belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// Stable id used in front matter and URLs.
    pub id: String,
    /// Name per language.
    pub title: PerLocale,
}

/// The site-wide settings of `site.toml`, checked.
#[derive(Clone, Debug)]
pub struct Site {
    /// The public base URL, without a trailing slash: absolute links in feeds and sitemaps.
    pub base_url: String,
    /// The institute's name per language.
    pub name: PerLocale,
    /// The home page's introduction per language.
    pub intro: PerLocale,
    /// Programs, in display order.
    pub programs: Vec<Program>,
    /// Stories per feed page.
    pub feed_page_size: usize,
    /// Donation options and the payment provider.
    pub donation: DonationProvider,
    /// What is fine for development but stops a production server: a donation template that
    /// still holds a placeholder account. Each names its file, line and key.
    pub warnings: Vec<ContentError>,
}

/// The donation options and the hand-off to the payment provider.
#[derive(Clone, Debug)]
pub struct DonationProvider {
    /// What the form offers; monthly only with a `monthly_template`.
    pub settings: DonationSettings,
    /// The provider's page for a one-off gift, a URL template checked at load: `https`, on
    /// `allowed_host`, placeholders only in its query.
    pub once_template: String,
    /// The provider's page for a monthly gift (a subscription), checked as the other; `None`
    /// when the site offers one-off gifts only.
    pub monthly_template: Option<String>,
    /// The only host the hand-off ever redirects to.
    pub allowed_host: String,
}

impl DonationProvider {
    /// Whether `url` leads to `allowed_host` and nowhere else: `https`, that host (letter case
    /// aside), the default port, no user name or password. The one host check, used when the
    /// template is loaded and again on every hand-off.
    pub fn leads_to(url: &Url, allowed_host: &str) -> bool {
        url.scheme() == "https"
            && url.username().is_empty()
            && url.password().is_none()
            && url.port().is_none()
            && url
                .host_str()
                .is_some_and(|host| host.eq_ignore_ascii_case(allowed_host))
    }

    /// The template of a gift of `frequency`, if the site offers it.
    pub fn template(&self, frequency: Frequency) -> Option<&str> {
        match frequency {
            Frequency::Once => Some(&self.once_template),
            Frequency::Monthly => self.monthly_template.as_deref(),
        }
    }

    /// The placeholder account a template still holds (the text from [`PLACEHOLDER_MARK`] to
    /// the end of its value), as written or percent-encoded; `None` for a real account.
    pub fn placeholder_account(template: &str) -> Option<String> {
        let text = percent_encoding::percent_decode_str(template).decode_utf8_lossy();
        // Upper-casing ASCII keeps every byte where it was: the offset is the text's own.
        let start = text.to_ascii_uppercase().find(PLACEHOLDER_MARK)?;
        let rest = &text[start..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@')))
            .unwrap_or(rest.len());
        Some(rest[..end].to_owned())
    }

    /// Checks a template: an `https` URL on the allowed host, known placeholders only, and only
    /// in the query part, so that no value can change the host or the path. Returns what is wrong.
    pub fn check_template(template: &str, allowed_host: &str) -> Result<(), String> {
        let url = Url::parse(template).map_err(|e| format!("`{template}` is not a URL ({e})"))?;
        if url.scheme() != "https" {
            return Err(format!("the donation URL must start with https:// (got `{template}`)"));
        }
        if !Self::leads_to(&url, allowed_host) {
            return Err(format!(
                "the donation URL's host `{}` is not the allowed host `{allowed_host}`",
                url.host_str().unwrap_or_default()
            ));
        }
        let query_start = template.find('?').unwrap_or(template.len());
        let query_end = template.find('#').unwrap_or(template.len());
        let mut cursor = 0;
        while let Some(open) = template[cursor..].find('{') {
            let open = cursor + open;
            let close = template[open..]
                .find('}')
                .map(|c| open + c + 1)
                .ok_or_else(|| "the donation URL has a `{` without its `}`".to_owned())?;
            let placeholder = &template[open..close];
            if !PLACEHOLDERS.contains(&placeholder) {
                return Err(format!(
                    "unknown placeholder `{placeholder}` in the donation URL (known: {})",
                    PLACEHOLDERS.join(", ")
                ));
            }
            if open < query_start || close > query_end {
                return Err(format!(
                    "placeholder `{placeholder}` must stand in the query, after `?`"
                ));
            }
            cursor = close;
        }
        Ok(())
    }

    /// The checked provider URL for a checked donation, from the template of its frequency;
    /// `None` if the site has no such template (a checked donation has a frequency the site
    /// offers) or if the URL would leave the allowed host (it cannot, with a template that
    /// passed [`Self::check_template`]).
    pub fn hand_off(&self, donation: &Donation, return_url: &str) -> Option<Url> {
        Url::parse(&self.checkout_url(donation, return_url)?)
            .ok()
            .filter(|url| Self::leads_to(url, &self.allowed_host))
    }

    /// The provider URL for a checked donation: every value URL-encoded into the checked
    /// template of its frequency, so that the host and path are the template's own.
    pub fn checkout_url(&self, donation: &Donation, return_url: &str) -> Option<String> {
        let template = self.template(donation.frequency)?;
        let encode = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
        let values = [
            ("{amount}", donation.amount_text()),
            ("{currency}", donation.currency.clone()),
            ("{frequency}", donation.frequency.code().to_owned()),
            ("{locale}", donation.locale.code().to_owned()),
            ("{return_url}", return_url.to_owned()),
        ];
        let mut url = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
            let name = &rest[open..close];
            if let Some((_, value)) = values.iter().find(|(p, _)| *p == name) {
                url.push_str(&encode(value));
            }
            rest = &rest[close..];
        }
        url.push_str(rest);
        Some(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DonationForm, Frequency};

    const TEMPLATE: &str = "https://www.paypal.com/donate/?business=ACCOUNT&amount={amount}&currency_code={currency}&item_name=AIPR+{frequency}&lc={locale}&return={return_url}";
    const MONTHLY: &str = "https://www.paypal.com/cgi-bin/webscr?cmd=_xclick-subscriptions&business=ACCOUNT&a3={amount}&p3=1&t3=M&src=1&currency_code={currency}&return={return_url}";

    fn provider() -> DonationProvider {
        DonationProvider {
            settings: DonationSettings {
                provider: "PayPal".into(),
                frequencies: vec![Frequency::Once, Frequency::Monthly],
                currencies: vec!["USD".into(), "EUR".into()],
                presets: vec![25],
                minimum: 5,
                maximum: 10_000,
            },
            once_template: TEMPLATE.into(),
            monthly_template: Some(MONTHLY.into()),
            allowed_host: "www.paypal.com".into(),
        }
    }

    #[test]
    fn checks_templates() {
        assert!(DonationProvider::check_template(TEMPLATE, "www.paypal.com").is_ok());
        assert!(DonationProvider::check_template("http://www.paypal.com/?a={amount}", "www.paypal.com").is_err());
        assert!(DonationProvider::check_template("https://evil.example/?a={amount}", "www.paypal.com").is_err());
        assert!(
            DonationProvider::check_template("https://www.paypal.com.evil.example/?a=1", "www.paypal.com").is_err()
        );
        assert!(DonationProvider::check_template("https://www.paypal.com@evil.example/", "www.paypal.com").is_err());
        assert!(DonationProvider::check_template("https://www.paypal.com/{amount}", "www.paypal.com").is_err());
        assert!(DonationProvider::check_template("https://www.paypal.com/?a={secret}", "www.paypal.com").is_err());
        assert!(DonationProvider::check_template("https://www.paypal.com/?a={amount", "www.paypal.com").is_err());
        assert!(DonationProvider::check_template("javascript:alert(1)//www.paypal.com", "www.paypal.com").is_err());
        assert!(DonationProvider::check_template("https://www.paypal.com:8443/?a=1", "www.paypal.com").is_err());
        assert!(DonationProvider::check_template("https://www.paypal.com/?a=1#{amount}", "www.paypal.com").is_err());
    }

    #[test]
    fn the_host_is_one_check_whatever_the_letter_case() {
        let upper = TEMPLATE.replace("www.paypal.com", "WWW.PayPal.COM");
        assert!(DonationProvider::check_template(&upper, "www.paypal.com").is_ok());
        assert!(DonationProvider::check_template(TEMPLATE, "WWW.PAYPAL.COM").is_ok());
        for (template, allowed) in [(upper.as_str(), "www.paypal.com"), (TEMPLATE, "WWW.PAYPAL.COM")] {
            let p = DonationProvider {
                once_template: template.into(),
                allowed_host: allowed.into(),
                ..provider()
            };
            let donation = Donation {
                cents: 5000,
                currency: "USD".into(),
                frequency: Frequency::Once,
                locale: Locale::En,
            };
            let url = p.hand_off(&donation, "https://aipr.example/en/donate/thank-you");
            assert_eq!(
                url.map(|u| u.host_str().map(str::to_owned)),
                Some(Some("www.paypal.com".into()))
            );
        }
    }

    #[test]
    fn builds_the_provider_url_with_encoded_values() {
        let donation = Donation {
            cents: 2550,
            currency: "EUR".into(),
            frequency: Frequency::Monthly,
            locale: Locale::Es,
        };
        let url = provider().checkout_url(&donation, "https://aipr.example/es/donar/gracias?x=1&y=2");
        assert_eq!(
            url.as_deref(),
            Some("https://www.paypal.com/cgi-bin/webscr?cmd=_xclick-subscriptions&business=ACCOUNT&a3=25.50&p3=1&t3=M&src=1&currency_code=EUR&return=https%3A%2F%2Faipr.example%2Fes%2Fdonar%2Fgracias%3Fx%3D1%26y%3D2")
        );
    }

    #[test]
    fn each_frequency_goes_to_its_own_page() {
        let mut donation = Donation {
            cents: 5000,
            currency: "USD".into(),
            frequency: Frequency::Once,
            locale: Locale::En,
        };
        let p = provider();
        let once = p.hand_off(&donation, "https://aipr.example/").unwrap();
        assert_eq!(once.path(), "/donate/");
        assert_eq!(
            once.query_pairs().find(|(k, _)| k == "item_name").unwrap().1,
            "AIPR once"
        );
        donation.frequency = Frequency::Monthly;
        let monthly = p.hand_off(&donation, "https://aipr.example/").unwrap();
        assert_eq!(monthly.path(), "/cgi-bin/webscr");
        assert!(monthly.query_pairs().any(|(k, v)| k == "t3" && v == "M"), "{monthly}");
        assert!(monthly.query_pairs().any(|(k, v)| k == "a3" && v == "50"), "{monthly}");
        let one_off_only = DonationProvider {
            monthly_template: None,
            ..provider()
        };
        assert_eq!(one_off_only.hand_off(&donation, "https://aipr.example/"), None);
    }

    #[test]
    fn a_placeholder_account_is_found_as_written_or_encoded() {
        let placeholder = |t: &str| DonationProvider::placeholder_account(t);
        assert_eq!(placeholder(TEMPLATE), None);
        assert_eq!(
            placeholder("https://www.paypal.com/donate/?business=REPLACE-WITH-AIPR-PAYPAL-ACCOUNT&amount={amount}")
                .as_deref(),
            Some("REPLACE-WITH-AIPR-PAYPAL-ACCOUNT")
        );
        assert_eq!(
            placeholder("https://www.paypal.com/donate/?business=replace-with-your%40mail.example&a=1").as_deref(),
            Some("replace-with-your@mail.example")
        );
        assert_eq!(
            placeholder("https://www.paypal.com/donate/?business=REPLACE%2DWITH%2DX").as_deref(),
            Some("REPLACE-WITH-X")
        );
    }

    #[test]
    fn no_request_value_reaches_the_url_unchecked() {
        let p = provider();
        for (field, value) in [
            ("amount", "50&business=evil"),
            ("amount", "50/../../evil"),
            ("amount", "javascript:alert(1)"),
            ("currency", "USD&return=https://evil.example"),
            ("currency", "//evil.example"),
            ("frequency", "once#@evil.example"),
            ("locale", "es?next=https://evil.example"),
        ] {
            let mut form = DonationForm {
                amount: "50".into(),
                currency: "USD".into(),
                frequency: "once".into(),
                locale: "es".into(),
            };
            match field {
                "amount" => form.amount = value.into(),
                "currency" => form.currency = value.into(),
                "frequency" => form.frequency = value.into(),
                _ => form.locale = value.into(),
            }
            assert!(
                Donation::validate(&form, &p.settings).is_err(),
                "{field}={value} was accepted"
            );
        }
        let ok = Donation::validate(
            &DonationForm {
                amount: "50".into(),
                currency: "usd".into(),
                frequency: "once".into(),
                locale: "en".into(),
            },
            &p.settings,
        )
        .unwrap();
        let url = p
            .checkout_url(&ok, "https://aipr.example/en/donate/thank-you#@evil.example/")
            .unwrap();
        assert!(url.starts_with("https://www.paypal.com/donate/?"));
        assert_eq!(url.matches('#').count(), 0);
        assert_eq!(url.matches("://").count(), 1);
    }
}
