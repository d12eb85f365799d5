//! The predict box's grammar (SPEC §6): one month or a range of two,
//! `YYYY-MM` or `YYYY-M`, separated by any whitespace, surrounding quotes
//! ignored, at most 240 months, never reversed.

use thiserror::Error;

use crate::data::month::{Month, MonthError};

/// Longest range one query may ask for.
pub const MAX_MONTHS: i32 = 240;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum QueryError {
    #[error("escriba un mes (AAAA-MM) o dos meses separados por un espacio, por ejemplo 2019-06 2020-05")]
    Empty,
    #[error("se esperan uno o dos meses; se recibieron {0} valores")]
    TooManyTokens(usize),
    #[error(transparent)]
    Month(#[from] MonthError),
    #[error("el rango está invertido: {first} es posterior a {last}")]
    Reversed { first: Month, last: Month },
    #[error("el rango {first} … {last} tiene {months} meses; el máximo es {MAX_MONTHS}")]
    TooLong { first: Month, last: Month, months: i32 },
}

/// A parsed query: the first and last month, both included.
///
/// ```
/// use leche_core::data::query::parse_query;
/// let (a, b) = parse_query(" \"2019-06   2020-5\" ").unwrap();
/// assert_eq!((a.to_string(), b.to_string()), ("2019-06".into(), "2020-05".into()));
/// ```
pub fn parse_query(text: &str) -> Result<(Month, Month), QueryError> {
    let quotes: &[char] = &['"', '\'', '“', '”', '«', '»'];
    let tokens: Vec<&str> =
        text.split_whitespace().map(|t| t.trim_matches(quotes)).filter(|t| !t.is_empty()).collect();
    let months = tokens.iter().map(|t| t.parse::<Month>()).collect::<Result<Vec<Month>, _>>();
    match (tokens.len(), months) {
        (0, _) => Err(QueryError::Empty),
        (n, _) if n > 2 => Err(QueryError::TooManyTokens(n)),
        (_, Err(e)) => Err(e.into()),
        (_, Ok(m)) => {
            let (first, last) = (m[0], *m.last().unwrap_or(&m[0]));
            let months = first.months_until(last) + 1;
            if months < 1 {
                Err(QueryError::Reversed { first, last })
            } else if months > MAX_MONTHS {
                Err(QueryError::TooLong { first, last, months })
            } else {
                Ok((first, last))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_one_or_two_months_with_any_whitespace() {
        assert!(parse_query("2020-01").is_ok());
        assert!(parse_query("2019-06\t\n 2020-05").is_ok());
        assert!(parse_query("'2020-1'").is_ok());
    }

    #[test]
    fn rejects_each_bad_input_with_its_reason() {
        assert_eq!(parse_query("   "), Err(QueryError::Empty));
        assert_eq!(parse_query("2019-01 2019-02 2019-03"), Err(QueryError::TooManyTokens(3)));
        assert!(matches!(parse_query("2020-13"), Err(QueryError::Month(MonthError::MonthOutOfRange(_)))));
        assert!(matches!(parse_query("hola"), Err(QueryError::Month(MonthError::Shape(_)))));
        assert!(matches!(parse_query("2020-05 2020-01"), Err(QueryError::Reversed { .. })));
        assert!(matches!(parse_query("2000-01 2020-01"), Err(QueryError::TooLong { months: 241, .. })));
        assert!(parse_query("2000-01 2019-12").is_ok());
    }
}
