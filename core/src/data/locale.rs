//! Numbers as Chileans write them: decimal comma, thousands dot ("1.234,56").
//!
//! In the library because the trainer writes sentences with numbers (the
//! accuracy verdict) that the app shows as they are.

/// `value` with `decimals` decimals, decimal comma and thousands dots.
///
/// ```
/// assert_eq!(leche_core::data::locale::number(1234.5678, 2), "1.234,57");
/// assert_eq!(leche_core::data::locale::number(-0.004, 2), "0,00");
/// ```
/// Caveat: non-finite values are shown as "—" (they never come out of the model).
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let fixed = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match fixed.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (fixed.as_str(), None),
    };
    let mut out = String::with_capacity(fixed.len() + int.len() / 3 + 1);
    // A value that rounds to zero has no sign ("-0,00" reads like an error).
    if value < 0.0 && fixed.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// A whole count with thousands dots: "1.234".
pub fn count(n: usize) -> String {
    number(n as f64, 0)
}

/// The text with its first letter in upper case (library messages start
/// in lower case so they can be embedded in sentences).
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_with_dots_and_uses_a_decimal_comma() {
        assert_eq!(number(1234.56, 2), "1.234,56");
        assert_eq!(number(1234567.891, 2), "1.234.567,89");
        assert_eq!(number(999.994, 2), "999,99");
        assert_eq!(number(999.996, 2), "1.000,00");
        assert_eq!(number(12.0, 0), "12");
        assert_eq!(number(0.5, 1), "0,5");
    }

    #[test]
    fn negative_values_keep_their_sign_unless_they_round_to_zero() {
        assert_eq!(number(-1234.5, 2), "-1.234,50");
        assert_eq!(number(-0.001, 2), "0,00");
    }

    #[test]
    fn non_finite_values_are_a_dash() {
        assert_eq!(number(f64::NAN, 2), "—");
        assert_eq!(number(f64::INFINITY, 2), "—");
    }
}
