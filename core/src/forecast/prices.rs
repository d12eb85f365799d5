//! The price history a price-only forecast reads, and the one recursion
//! that turns every one-step rule into a path of horizons.

use crate::features::{Missing, MissingData};
use crate::month::Month;
use crate::tables::Database;

/// The prices of the `n` months before `origin`, oldest first; the months
/// lacking a price are named.
pub fn before(db: &Database, origin: Month, n: usize) -> Result<Vec<f64>, MissingData> {
    let mut out = Vec::with_capacity(n + crate::forecast::MAX_HORIZON as usize);
    let mut missing = Vec::new();
    for k in (1..=n as i32).rev() {
        let m = origin.offset(-k);
        match db.price(m) {
            Some(v) => out.push(v),
            None => missing.push(Missing { month: m, lacks: vec!["precio de la leche".into()] }),
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(MissingData { month: origin, missing })
    }
}

/// The longest run of consecutive prices just before `origin`, at most `n`, oldest first.
pub fn run_before(db: &Database, origin: Month, n: usize) -> Vec<f64> {
    let mut out: Vec<f64> = (1..=n as i32).map_while(|k| db.price(origin.offset(-k))).collect();
    out.reverse();
    out
}

/// `steps` forecasts, the first for the month after `history`'s last: each
/// step forecasts from the history extended by the forecasts before it
/// (recursive multi-step forecasting). `step` gets a history of at least
/// the length it was given and the month it forecasts.
pub fn recurse(mut history: Vec<f64>, origin: Month, steps: u32, step: impl Fn(&[f64], Month) -> f64) -> Vec<f64> {
    let start = history.len();
    for s in 0..steps {
        let next = step(&history, origin.offset(s as i32));
        history.push(next);
    }
    history.split_off(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_names_every_missing_month_and_recurse_feeds_forecasts_back() {
        let mut db = Database::default();
        let m = |s: &str| -> Month { s.parse().expect("month") };
        for (i, mo) in m("2020-01").through(m("2020-06")).enumerate() {
            db.milk_price.insert(mo, vec![100.0 + i as f64]);
        }
        assert_eq!(before(&db, m("2020-07"), 3).expect("prices"), vec![103.0, 104.0, 105.0]);
        let err = before(&db, m("2020-02"), 3).expect_err("needs 2019-11, 2019-12");
        assert_eq!(err.missing.iter().map(|x| x.month.to_string()).collect::<Vec<_>>(), vec!["2019-11", "2019-12"]);
        assert_eq!(run_before(&db, m("2020-03"), 5), vec![100.0, 101.0]);
        // "next = last + 1" three times from 105: 106, 107, 108.
        let path = recurse(vec![104.0, 105.0], m("2020-07"), 3, |h, _| h[h.len() - 1] + 1.0);
        assert_eq!(path, vec![106.0, 107.0, 108.0]);
    }
}
