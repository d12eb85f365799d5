//! Numbers as the challenge files write them: plain decimals (with an
//! optional decimal comma, as spreadsheets export rainfall and prices), and
//! the Central Bank's numbers whose decimal points were mangled into
//! thousands separators (SPEC §3), read with the original's rules and
//! written back so that the rules read them again unchanged.
//!
//! Its own module because both cleaning ([`crate::data::clean`]) and the physical
//! bounds ([`crate::data::bounds`], which refuse a value its file format cannot
//! write) need it; it needs neither.

use crate::data::source::CentralBankRule;

/// Why a cell is not a number its column's format can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberError {
    NotANumber,
    NotFinite,
    /// The Central Bank's rule cannot read it.
    CentralBankRule,
}

/// A plain decimal number: optional sign, digits, optional fraction and exponent.
/// Rejects the words Rust would accept (`inf`, `NaN`) and anything non-finite.
pub fn parse_float(text: &str, decimal_comma: bool) -> Result<f64, NumberError> {
    let t = text.trim();
    let t = if decimal_comma { t.replacen(',', ".", 1) } else { t.to_string() };
    let plain = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !plain || !t.bytes().any(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    let v: f64 = t.parse().map_err(|_| NumberError::NotANumber)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(NumberError::NotFinite)
    }
}

/// How a text writes the plain decimal numbers of rainfall and prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notation {
    /// `254.7`: comma-separated files.
    Point,
    /// `254,7`: the semicolon-separated spreadsheet dialect.
    Comma,
    /// What people paste from spreadsheets, bulletins and web pages:
    /// `$ 1.234,5` (see [`parse_pasted`]).
    Pasted,
}

impl Notation {
    pub fn read(self, text: &str) -> Result<f64, NumberError> {
        match self {
            Notation::Point => parse_float(text, false),
            Notation::Comma => parse_float(text, true),
            Notation::Pasted => parse_pasted(text),
        }
    }
}

/// A number written the Chilean way, as pasted from a spreadsheet, a PDF
/// bulletin or a web table: an optional `$`, `.` between thousands and `,`
/// before decimals. The ambiguity rules, in order:
///
/// - a comma is always the decimal separator (`345,67` → 345.67; `1,234`
///   → 1.234);
/// - with a comma, every point must separate groups of three digits
///   (`1.234,5` → 1234.5; `1.23,4` is not a number);
/// - without a comma, points separate thousands when the first group has
///   one to three digits (not starting with 0) and every later group
///   exactly three (`1.234` → 1234, `1.234.567`); otherwise a single point
///   is the decimal point (`345.67`, `0.345`, `1234.5`). So `345.670`
///   reads 345670: a price written with three decimals lands outside the
///   price bounds and is refused saying so, never stored a thousand times
///   too small or large.
///
/// What is left must be a plain number ([`parse_float`]).
///
/// ```
/// use leche_core::data::numbers::parse_pasted;
/// assert_eq!(parse_pasted("$ 1.234,5"), Ok(1234.5));
/// assert_eq!(parse_pasted("1.234"), Ok(1234.0));
/// assert_eq!(parse_pasted("345.67"), Ok(345.67));
/// ```
pub fn parse_pasted(text: &str) -> Result<f64, NumberError> {
    let t = text.trim();
    let t = t.strip_prefix('$').map_or(t, str::trim_start);
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t),
    };
    let (whole, decimals) = match body.split_once(',') {
        Some((w, d)) => (w, Some(d)),
        None => (body, None),
    };
    let groups: Vec<&str> = whole.split('.').collect();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let thousands = groups.len() > 1
        && groups.first().is_some_and(|g| (1..=3).contains(&g.len()) && digits(g) && !g.starts_with('0'))
        && groups.iter().skip(1).all(|g| g.len() == 3 && digits(g));
    let whole = if thousands {
        groups.concat()
    } else if decimals.is_some() && groups.len() > 1 {
        return Err(NumberError::NotANumber);
    } else {
        whole.to_string()
    };
    match decimals {
        Some(d) => parse_float(&format!("{sign}{whole}.{d}"), false),
        None => parse_float(&format!("{sign}{whole}"), false),
    }
}

/// `PIB*` columns: every `.` is a mangled thousands separator; the rest is an integer.
///
/// ```
/// assert_eq!(leche_core::data::numbers::decode_integer("5.691.837"), Ok(5691837.0));
/// ```
pub fn decode_integer(text: &str) -> Result<f64, NumberError> {
    let digits: String = text.trim().chars().filter(|&c| c != '.').collect();
    let body = digits.strip_prefix('-').unwrap_or(&digits);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    // Integers past 2^53 lose exactness as f64; past i64 they are not data.
    let v: i64 = digits.parse().map_err(|_| NumberError::NotFinite)?;
    Ok(v as f64)
}

/// `Imacec*` and the retail-sales index: the original's `to_100` rule, which
/// assumes values between 10 and 200 and puts the decimal point back.
///
/// One departure from the original: a first part starting with `0` is
/// refused. The original read `0.5` as 5.0 (`"0" + "5"`, point after two
/// digits). SPEC §3 defines the rule for numbers whose decimal point was
/// mangled into thousands separators, and such a number never starts with
/// a 0 group; read as a plain number, 0.5 is not a realistic index either.
/// Reading it as 5.0 stores a number nobody wrote, so it is an unreadable
/// value (the upload writes nothing and names the cell). No cell of the
/// challenge file starts with `0`.
///
/// ```
/// use leche_core::data::numbers::decode_index;
/// assert_eq!(decode_index("102.796.218"), Ok(102.796));
/// assert_eq!(decode_index("10.546.824"), Ok(105.46));
/// assert_eq!(decode_index("978.554.365"), Ok(97.8));
/// assert_eq!(decode_index("96.133.164"), Ok(96.133));
/// ```
pub fn decode_index(text: &str) -> Result<f64, NumberError> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(|p| digits(p)) {
        return Err(NumberError::CentralBankRule);
    }
    let a = parts.first().copied().unwrap_or_default();
    if a.starts_with('0') {
        return Err(NumberError::CentralBankRule);
    }
    let b = parts.get(1).copied();
    let rebuilt = if a.starts_with('1') {
        match (a.len() > 2, b) {
            (true, Some(b)) => format!("{a}.{b}"),
            (false, Some(b)) => split_at_point(&format!("{a}{b}"), 3),
            _ => return Err(NumberError::CentralBankRule),
        }
    } else if a.len() > 2 {
        format!("{}.{}", &a[..2], &a[a.len() - 1..])
    } else {
        match b {
            Some(b) => split_at_point(&format!("{a}{b}"), 2),
            None => return Err(NumberError::CentralBankRule),
        }
    };
    let v: f64 = rebuilt.parse().map_err(|_| NumberError::CentralBankRule)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(NumberError::NotFinite)
    }
}

/// `digits[..at] + "." + digits[at..]`, as Python slicing does for short strings.
fn split_at_point(digits: &str, at: usize) -> String {
    let at = at.min(digits.len());
    format!("{}.{}", &digits[..at], &digits[at..])
}

/// The text an export writes for a Central Bank value so that [`decode_index`]
/// or [`decode_integer`] reads it back to the same number, if there is one.
pub fn encode_central_bank(value: f64, rule: CentralBankRule) -> Option<String> {
    let text = match rule {
        CentralBankRule::Integer if value.fract() == 0.0 && value.abs() < 9.0e15 => format!("{}", value as i64),
        CentralBankRule::Integer => return None,
        // Debug formatting always keeps a decimal point (`97.0`), which the rule needs.
        CentralBankRule::Index => format!("{value:?}"),
    };
    let back = match rule {
        CentralBankRule::Integer => decode_integer(&text),
        CentralBankRule::Index => decode_index(&text),
    };
    (back == Ok(value)).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_rule_examples_from_the_spec() {
        assert_eq!(decode_index("102.796.218"), Ok(102.796));
        assert_eq!(decode_index("10.546.824"), Ok(105.46));
        assert_eq!(decode_index("978.554.365"), Ok(97.8));
        assert_eq!(decode_index("96.133.164"), Ok(96.133));
    }

    #[test]
    fn index_rule_reads_plain_numbers_back() {
        for v in [105.46, 96.133, 97.8, 100.0, 97.0, 150.25, 20.5] {
            let text = encode_central_bank(v, CentralBankRule::Index).expect("realistic value encodes");
            assert_eq!(decode_index(&text), Ok(v), "{text}");
        }
    }

    #[test]
    fn index_rule_errors_instead_of_panicking() {
        for bad in ["", "abc", "12", "1.2.x", "..", "-96.1", "1e5.3"] {
            assert!(decode_index(bad).is_err(), "{bad}");
        }
        // 19.5 cannot survive the rule (it reads 195.0): exports must refuse it.
        assert_eq!(encode_central_bank(19.5, CentralBankRule::Index), None);
    }

    #[test]
    fn pasted_numbers_follow_the_chilean_rules() {
        for (text, v) in [
            ("1.234,5", 1234.5),
            ("$ 345,67", 345.67),
            ("$345,67", 345.67),
            ("345.67", 345.67),
            ("345,67", 345.67),
            ("1234", 1234.0),
            ("1.234", 1234.0),
            ("1.234.567", 1_234_567.0),
            ("0.345", 0.345),
            ("1234.5", 1234.5),
            ("1,234", 1.234),
            ("345.670", 345_670.0),
            ("-2,5", -2.5),
        ] {
            assert_eq!(parse_pasted(text), Ok(v), "{text}");
        }
        for bad in ["", "$", "1.23,4", "1,234.5", "1,2,3", "345,67 CLP", "doce", "1 234", "0.234,5", "NaN", "inf"] {
            assert!(parse_pasted(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn integer_rule_drops_every_dot() {
        assert_eq!(decode_integer("5.691.837"), Ok(5_691_837.0));
        assert_eq!(decode_integer("123"), Ok(123.0));
        assert!(decode_integer("12a").is_err());
        assert!(decode_integer(&"9".repeat(1_000_000)).is_err());
    }
}
