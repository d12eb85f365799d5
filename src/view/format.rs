//! What the pages show: numbers as Chileans write them (decimal comma,
//! thousands dot, "1.234,56", from [`leche_core::data::locale`]), months in words.
//!
//! The UI shows rounded values in this form; the unrounded value goes to the
//! DOM in Rust's shortest round-trip form ([`exact`]) so tests compare bits.

pub use leche_core::data::locale::{capitalize, count, number};

/// A price or an error in CLP per litre, two decimals.
pub fn clp(value: f64) -> String {
    number(value, 2)
}

/// A share as a whole percentage: 0.7812 → "78 %".
pub fn percent(share: f64) -> String {
    format!("{} %", number(share * 100.0, 0))
}

/// A band as a table cell shows it, "290,00 – 310,00", or "—" without one.
pub fn band(b: Option<leche_core::Band>) -> String {
    b.map(|b| format!("{} – {}", clp(b.lower), clp(b.upper))).unwrap_or_else(|| "—".into())
}

/// A signed error, two decimals, with an explicit "+" when positive.
pub fn signed(value: f64) -> String {
    let s = number(value, 2);
    if value > 0.0 && s != "0,00" {
        format!("+{s}")
    } else {
        s
    }
}


/// `value` to `digits` significant digits, so a weight per peso of GDP
/// (~1e-8) does not print as "0,000000": tiny magnitudes in scientific
/// form, "2,57 × 10⁻⁸".
pub fn significant(value: f64, digits: usize) -> String {
    if value == 0.0 || !value.is_finite() {
        return number(value, 0);
    }
    let magnitude = value.abs().log10().floor() as i32;
    if magnitude >= -3 {
        return number(value, (digits as i32 - 1 - magnitude).max(0) as usize);
    }
    let mantissa = value / 10f64.powi(magnitude);
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let exponent: String = magnitude.unsigned_abs().to_string().chars().filter_map(|c| c.to_digit(10)).map(|d| SUPERSCRIPT[d as usize]).collect();
    format!("{} × 10⁻{exponent}", number(mantissa, digits.saturating_sub(1)))
}

/// The unrounded value for a `data-value` attribute: Rust's `{:?}` (shortest
/// form that reads back to the same f64); empty when unknown.
pub fn exact(value: Option<f64>) -> String {
    value.map(|v| format!("{v:?}")).unwrap_or_default()
}

/// The months in words, January first (the snapshot's first-paint script writes them too).
pub const MONTH_NAMES: [&str; 12] = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
    "noviembre", "diciembre",
];

/// A month in words: "mayo de 2020".
pub fn month_long(m: leche_core::Month) -> String {
    format!("{} de {}", MONTH_NAMES[m.month() as usize - 1], m.year())
}

/// A span of months as every page writes it, "2012-01 a 2021-02";
/// `None` when either end is missing.
pub fn span(first: Option<leche_core::Month>, last: Option<leche_core::Month>) -> Option<String> {
    Some(format!("{} a {}", first?, last?))
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_read_as_ranges() {
        assert_eq!(band(Some(leche_core::Band { lower: 1234.5, upper: 1300.0 })), "1.234,50 – 1.300,00");
        assert_eq!(band(None), "—");
    }

    #[test]
    fn prices_counts_and_signed_errors() {
        assert_eq!(clp(1234.567), "1.234,57");
        assert_eq!(count(1000), "1.000");
        assert_eq!(signed(0.77), "+0,77");
        assert_eq!(signed(-0.77), "-0,77");
        assert_eq!(signed(0.001), "0,00");
    }

    #[test]
    fn significant_digits_keep_tiny_weights_readable() {
        assert_eq!(significant(1.444132, 4), "1,444");
        assert_eq!(significant(-0.540499, 4), "-0,5405");
        assert_eq!(significant(2.5712e-8, 3), "2,57 × 10⁻⁸");
        assert_eq!(significant(-1.3e-12, 2), "-1,3 × 10⁻¹²");
        assert_eq!(significant(1234.6, 3), "1.235");
        assert_eq!(significant(0.0, 3), "0");
    }

    #[test]
    fn months_and_sentences_in_spanish() {
        let m: leche_core::Month = "2020-05".parse().expect("month");
        assert_eq!(month_long(m), "mayo de 2020");
        let n: leche_core::Month = "2021-02".parse().expect("month");
        assert_eq!(span(Some(m), Some(n)).as_deref(), Some("2020-05 a 2021-02"));
        assert_eq!(span(Some(m), None), None);
        assert_eq!(capitalize("ñandú y más"), "Ñandú y más");
        assert_eq!(capitalize(""), "");
    }

    #[test]
    fn exact_round_trips_the_bits() {
        let v = 233.23651545642127_f64;
        let s = exact(Some(v));
        assert_eq!(s.parse::<f64>().map(f64::to_bits), Ok(v.to_bits()));
        assert_eq!(exact(Some(250.0)), "250.0");
        assert_eq!(exact(None), "");
    }
}
