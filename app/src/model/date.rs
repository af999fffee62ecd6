use crate::i18n::{fill, Locale};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date without time, as stories and documents carry it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    /// Year, e.g. 2023.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl Date {
    /// A date if it exists in the calendar (leap years included).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1000 && (1..=days).contains(&day)).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?;
        let month = parts.next()?;
        let day = parts.next()?;
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// The date as readers of a language write it: "18 de enero de 2023", "January 18, 2023".
    pub fn localized(&self, locale: Locale) -> String {
        let t = locale.messages();
        fill(
            t.date_format,
            &[
                ("day", &self.day.to_string()),
                ("month", t.month(self.month)),
                ("year", &self.year.to_string()),
            ],
        )
    }

    /// RFC 3339 timestamp at midnight UTC, for feeds and structured data.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00Z")
    }
}

impl fmt::Display for Date {
    /// ISO 8601: `2023-01-18`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_real_dates() {
        assert_eq!(Date::parse("2023-01-18"), Date::new(2023, 1, 18));
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("2023-1-18").is_none());
        assert!(Date::parse("18/01/2023").is_none());
    }

    #[test]
    fn formats_per_language() {
        let d = Date::new(2023, 1, 18).unwrap();
        assert_eq!(d.localized(Locale::Es), "18 de enero de 2023");
        assert_eq!(d.localized(Locale::En), "January 18, 2023");
        assert_eq!(d.to_string(), "2023-01-18");
        assert_eq!(d.rfc3339(), "2023-01-18T00:00:00Z");
    }
}
