use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Folds text for matching: accents removed, lower case, so that "genocidio" finds
/// "Genocidio" and "atrocidades" finds "Atrocidades".
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn ignores_accents_and_case() {
        assert_eq!(fold("Atrocidades Masivas"), "atrocidades masivas");
        assert_eq!(fold("GÉNOCIDE à Ñuñoa"), "genocide a nunoa");
        assert_eq!(fold("Prevención"), fold("PREVENCION"));
        assert_eq!(fold("São Tomé, Zürich, Çà"), "sao tome, zurich, ca");
        assert_eq!(fold(""), "");
    }
}
