//! Content errors in an editor's words: what is wrong, in Spanish or English, naming the field
//! as the browser editor's form labels it. The file and line stay beside it for developers;
//! the developer's message (`ContentError::message`, English) stays in the server's log.

use crate::{
    i18n::{fill, Locale, Messages},
    model::language_name,
};

/// A field of a content file, named as the editor's form labels it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `title`.
    Title,
    /// `date`.
    Date,
    /// `summary`.
    Summary,
    /// `kind`.
    Kind,
    /// `programs`.
    Programs,
    /// `image.src`.
    ImageFile,
    /// `image.alt`.
    Alt,
    /// A story's text.
    Body,
    /// `shelf`.
    Shelf,
    /// `year`.
    Year,
    /// `languages`.
    Languages,
    /// `file`.
    File,
    /// `url`.
    Url,
}

impl Field {
    /// The field's label in the editor's form.
    pub fn label(self, t: &Messages) -> &'static str {
        match self {
            Field::Title => t.admin_field_title,
            Field::Date => t.admin_field_date,
            Field::Summary => t.admin_field_summary,
            Field::Kind => t.admin_field_kind,
            Field::Programs => t.admin_field_programs,
            Field::ImageFile => t.admin_field_image_file,
            Field::Alt => t.admin_field_alt,
            Field::Body => t.admin_field_body,
            Field::Shelf => t.admin_field_shelf,
            Field::Year => t.admin_field_year,
            Field::Languages => t.admin_field_languages,
            Field::File => t.admin_field_file,
            Field::Url => t.admin_field_url,
        }
    }
}

/// What is wrong with a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Empty or not written.
    Missing,
    /// Not written in a language (its code), which the file needs.
    MissingIn(String),
    /// Names a program, shelf or language the site does not have.
    Unknown(String),
    /// Both a year and a date.
    YearAndDate,
    /// Neither a year nor a date.
    NoYearOrDate,
    /// Not a calendar date (as written).
    BadDate(String),
    /// A link that is not `https://`.
    NotHttps(String),
    /// A file that is not under `public/`.
    NoFile(String),
    /// Not the same as in the other language's file.
    DiffersFromTranslation,
    /// A link in the text that leads to no page and no file.
    BrokenLink(String),
}

/// A content error in an editor's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plain {
    /// The field it is about.
    pub field: Field,
    /// What is wrong with it.
    pub problem: Problem,
}

impl Plain {
    /// The error in `locale`'s words.
    pub fn text(&self, locale: Locale) -> String {
        let t = locale.messages();
        let field = self.field.label(t);
        let (template, value) = match &self.problem {
            Problem::Missing => (t.content_error_missing, String::new()),
            // Mid-sentence, Spanish writes a language's name in lower case.
            Problem::MissingIn(code) => (
                t.content_error_missing_in,
                match locale {
                    Locale::Es => language_name(code, locale).to_lowercase(),
                    Locale::En => language_name(code, locale).to_owned(),
                },
            ),
            Problem::Unknown(value) => (t.content_error_unknown, value.clone()),
            Problem::YearAndDate => (t.content_error_year_and_date, String::new()),
            Problem::NoYearOrDate => (t.content_error_no_year, String::new()),
            Problem::BadDate(value) => (t.content_error_bad_date, value.clone()),
            Problem::NotHttps(value) => (t.content_error_not_https, value.clone()),
            Problem::NoFile(value) => (t.content_error_no_file, value.clone()),
            Problem::DiffersFromTranslation => (t.content_error_differs, String::new()),
            Problem::BrokenLink(value) => (t.content_error_broken_link, value.clone()),
        };
        fill(template, &[("field", field), ("value", &value)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_as_the_form_labels_it_in_each_language() {
        let both = Plain {
            field: Field::Year,
            problem: Problem::YearAndDate,
        };
        assert!(both.text(Locale::Es).contains(Locale::Es.messages().admin_field_year));
        assert!(both.text(Locale::En).contains(Locale::En.messages().admin_field_year));
        let missing = Plain {
            field: Field::Title,
            problem: Problem::MissingIn("en".into()),
        };
        assert!(
            missing.text(Locale::Es).contains("inglés"),
            "{}",
            missing.text(Locale::Es)
        );
        assert!(
            missing.text(Locale::En).contains("English"),
            "{}",
            missing.text(Locale::En)
        );
    }
}
