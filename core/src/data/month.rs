//! Calendar months, the key of every table.
//!
//! Every source is monthly, so a month (not a date or a timestamp) is the join
//! key. Months serialise as `"YYYY-MM"` so the artifacts read like the data.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// A calendar month, ordered in time.
///
/// ```
/// use leche_core::Month;
/// let m: Month = "2020-1".parse().unwrap();
/// assert_eq!(m.to_string(), "2020-01");
/// assert_eq!(m.prev().to_string(), "2019-12");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Months since year 0, January (year * 12 + month - 1): total order and O(1) arithmetic.
    index: i32,
}

/// Why a text is not a month or a date.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MonthError {
    #[error("«{0}» no tiene la forma AAAA-MM")]
    Shape(String),
    #[error("«{0}»: el mes debe estar entre 1 y 12")]
    MonthOutOfRange(String),
    #[error("«{0}»: el año debe estar entre 1000 y 9999")]
    YearOutOfRange(String),
    #[error("«{0}» no es una fecha AAAA-MM-DD real")]
    NotADate(String),
    #[error("«{0}» no es un mes conocido (Ene, Feb, Mar, Abr, May, Jun, Jul, Ago, Sep, Oct, Nov, Dic)")]
    UnknownMonthName(String),
}

/// Spanish month abbreviations as the milk-price file writes them.
pub const SPANISH_MONTHS: [&str; 12] = [
    "Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic",
];

/// Spanish month names in full.
pub const SPANISH_MONTH_NAMES: [&str; 12] = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
];

impl Month {
    /// The month `month` (1–12) of `year` (1000–9999).
    pub fn new(year: i32, month: u32) -> Option<Month> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        Some(Month { index: year * 12 + month as i32 - 1 })
    }

    pub fn year(self) -> i32 {
        self.index.div_euclid(12)
    }

    /// 1 to 12.
    pub fn month(self) -> u32 {
        self.index.rem_euclid(12) as u32 + 1
    }

    pub fn prev(self) -> Month {
        self.offset(-1)
    }

    pub fn next(self) -> Month {
        self.offset(1)
    }

    /// The month `n` months later (earlier when negative).
    ///
    /// Caveat: the result may leave the years 1000–9999 that [`Month::new`]
    /// and parsing accept (stored data is built as a first month plus an
    /// offset); [`Month::in_range`] says whether it did. It saturates instead
    /// of overflowing, so no offset panics.
    pub fn offset(self, n: i32) -> Month {
        Month { index: self.index.saturating_add(n) }
    }

    /// Whether the month is one [`Month::new`] accepts (years 1000–9999):
    /// only such months can be written as `YYYY-MM` and read back.
    pub fn in_range(self) -> bool {
        Month::new(self.year(), self.month()) == Some(self)
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        later.index - self.index
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        (self.index..=last.index).map(|index| Month { index })
    }

    /// The month of a `YYYY-MM-DD` date, checking that the day exists
    /// (`2020-02-30` is not a date), as pandas' `to_datetime` does.
    pub fn from_date(text: &str) -> Result<Month, MonthError> {
        let t = text.trim();
        let parts: Vec<&str> = t.split('-').collect();
        let shape_ok = parts.len() == 3
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[2].len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !shape_ok {
            return Err(MonthError::NotADate(text.to_string()));
        }
        let year: i32 = parts[0].parse().map_err(|_| MonthError::NotADate(text.to_string()))?;
        let month: u32 = parts[1].parse().map_err(|_| MonthError::NotADate(text.to_string()))?;
        let day: u32 = parts[2].parse().map_err(|_| MonthError::NotADate(text.to_string()))?;
        let m = Month::new(year, month).ok_or_else(|| MonthError::NotADate(text.to_string()))?;
        if day == 0 || day > m.days() {
            return Err(MonthError::NotADate(text.to_string()));
        }
        Ok(m)
    }

    /// Number of days in the month (Gregorian).
    pub fn days(self) -> u32 {
        match self.month() {
            2 => {
                let y = self.year();
                if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                    29
                } else {
                    28
                }
            }
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The month number of a Spanish abbreviation (`Ene` … `Dic`), case-insensitive.
    pub fn spanish_month_number(name: &str) -> Result<u32, MonthError> {
        let n = name.trim();
        SPANISH_MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(n))
            .map(|i| i as u32 + 1)
            .ok_or_else(|| MonthError::UnknownMonthName(name.to_string()))
    }

    /// The month number of a Spanish month written in full (`enero`,
    /// `Septiembre` or `setiembre`) or abbreviated as
    /// [`Month::spanish_month_number`] reads it, case-insensitive; for text
    /// people write (pasted tables), not the milk-price file, whose format
    /// is the abbreviation.
    pub fn spanish_month_name_number(name: &str) -> Result<u32, MonthError> {
        let n = name.trim();
        SPANISH_MONTH_NAMES
            .iter()
            .position(|m| m.eq_ignore_ascii_case(n))
            .map(|i| i as u32 + 1)
            .or_else(|| n.eq_ignore_ascii_case("setiembre").then_some(9))
            .map_or_else(|| Month::spanish_month_number(n), Ok)
    }

    /// The Spanish abbreviation the milk-price file uses for this month.
    pub fn spanish_name(self) -> &'static str {
        SPANISH_MONTHS[self.month() as usize - 1]
    }
}

impl FromStr for Month {
    type Err = MonthError;

    /// `YYYY-MM` or `YYYY-M`.
    fn from_str(s: &str) -> Result<Month, MonthError> {
        let (y, m) = s.split_once('-').ok_or_else(|| MonthError::Shape(s.to_string()))?;
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if y.len() != 4 || !digits(y) || m.len() > 2 || !digits(m) {
            return Err(MonthError::Shape(s.to_string()));
        }
        let year: i32 = y.parse().map_err(|_| MonthError::Shape(s.to_string()))?;
        let month: u32 = m.parse().map_err(|_| MonthError::Shape(s.to_string()))?;
        if !(1..=12).contains(&month) {
            return Err(MonthError::MonthOutOfRange(s.to_string()));
        }
        Month::new(year, month).ok_or_else(|| MonthError::YearOutOfRange(s.to_string()))
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().expect("valid month in test")
    }

    #[test]
    fn parses_both_widths_and_rejects_the_rest() {
        assert_eq!(m("2020-01"), m("2020-1"));
        for bad in ["2020-13", "2020-00", "hola", "2020", "20-01", "2020-001", "2020-1a", "", "-2020-01"] {
            assert!(bad.parse::<Month>().is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn arithmetic_crosses_years() {
        assert_eq!(m("2020-01").prev(), m("2019-12"));
        assert_eq!(m("2019-12").next(), m("2020-01"));
        assert_eq!(m("2019-06").months_until(m("2020-05")), 11);
        assert_eq!(m("2019-06").through(m("2020-05")).count(), 12);
    }

    #[test]
    fn offsets_past_the_range_are_detected_not_panicking() {
        let last = m("9999-12");
        assert!(last.in_range());
        assert!(!last.next().in_range());
        assert!(!m("1000-01").prev().in_range());
        assert!(!last.offset(i32::MAX).in_range());
        assert!(!m("1000-01").offset(i32::MIN).in_range());
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(Month::from_date("2020-02-29"), Ok(m("2020-02")));
        for bad in ["2020-13-01", "2020-02-30", "2019-02-29", "2020-04-31", "2020-1-01", "x", "2020-01-00"] {
            assert!(Month::from_date(bad).is_err(), "{bad} should not be a date");
        }
    }

    #[test]
    fn spanish_names_round_trip() {
        for (i, name) in SPANISH_MONTHS.iter().enumerate() {
            assert_eq!(Month::spanish_month_number(name), Ok(i as u32 + 1));
            assert_eq!(Month::new(2000, i as u32 + 1).map(|x| x.spanish_name()), Some(*name));
        }
        assert!(Month::spanish_month_number("Jan").is_err());
        assert!(Month::spanish_month_number("Enero").is_err(), "the milk-price file's format is the abbreviation");
        for (name, n) in [("Enero", 1), ("SEPTIEMBRE", 9), ("setiembre", 9), ("dic", 12), ("diciembre", 12)] {
            assert_eq!(Month::spanish_month_name_number(name), Ok(n), "{name}");
        }
        assert!(Month::spanish_month_name_number("Janvier").is_err());
    }
}
