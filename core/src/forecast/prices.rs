//! The price history a price-only forecast reads, and the one recursion
//! that turns every one-step rule into a path of horizons: every
//! [`PriceRule`] is a [`Forecaster`] through it.

use super::explanation::{Explanation, Step};
use super::{within_horizon, FitError, ForecastError, Forecaster, PriceRule, MAX_HORIZON};
use crate::forecast::features::{Inputs, Missing, MissingData};
use crate::data::month::Month;
use crate::data::tables::Database;

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

/// The prices of the `n` months a fit at `origin` reads, oldest first:
/// too few is a fit that cannot be made (the backtest skips that origin).
pub fn window(db: &Database, origin: Month, n: usize) -> Result<Vec<f64>, FitError> {
    before(db, origin, n).map_err(|e| FitError::TooFewRows { origin, rows: n - e.missing.len(), needed: n })
}

/// The natural logarithms of `window`'s prices (`libm`: the same bits in
/// the browser), refused at the first that is not positive.
pub fn logs(window: &[f64], origin: Month) -> Result<Vec<f64>, FitError> {
    window
        .iter()
        .enumerate()
        .map(|(i, &p)| if p > 0.0 { Ok(libm::log(p)) } else { Err(FitError::NonPositivePrice(origin.offset(i as i32 - window.len() as i32))) })
        .collect()
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

/// [`recurse`] with the rule's explanation: each step explains itself on
/// the history extended by the values of the steps before it, and a base
/// from `origin` on is marked a forecast.
pub fn recurse_explained(mut history: Vec<f64>, origin: Month, steps: u32, explain: impl Fn(&[f64], Month) -> Step) -> Vec<Step> {
    let mut out = Vec::with_capacity(steps as usize);
    for s in 0..steps {
        let mut step = explain(&history, origin.offset(s as i32));
        if let Some(b) = step.base.as_mut() {
            b.forecast = b.month >= origin;
        }
        history.push(step.value());
        out.push(step);
    }
    out
}

/// Where a forecast of `month` by a forecaster that reads the prices before
/// its origin starts, and its horizon: one step from the data before
/// `month` where it has them; after the last price, the horizon counts from it.
fn origin_for(db: &Database, month: Month) -> Result<(Month, u32), ForecastError> {
    let origin = match db.last_price_month() {
        Some(last) if month > last.next() => last.next(),
        _ => month,
    };
    let horizon = origin.months_until(month) as u32 + 1;
    if horizon > MAX_HORIZON {
        return Err(ForecastError::BeyondHorizon { month, last_price: origin.prev(), horizon, max: MAX_HORIZON });
    }
    Ok((origin, horizon))
}

/// The forecast of `month` and its horizon for a forecaster that reads the
/// prices before its origin (`path(origin, steps)`), from [`origin_for`].
pub fn from_last_price(
    db: &Database,
    month: Month,
    path: impl Fn(Month, u32) -> Result<Vec<f64>, ForecastError>,
) -> Result<(f64, u32), ForecastError> {
    let (origin, horizon) = origin_for(db, month)?;
    let path = path(origin, horizon)?;
    Ok((path.last().copied().unwrap_or(f64::NAN), horizon))
}

/// [`from_last_price`]'s arithmetic (`explain(origin, steps)`: the path's).
pub fn explain_from_last_price(
    db: &Database,
    month: Month,
    explain: impl Fn(Month, u32) -> Result<Vec<Step>, ForecastError>,
) -> Result<Explanation, ForecastError> {
    let (origin, horizon) = origin_for(db, month)?;
    Ok(Explanation { month, horizon, steps: explain(origin, horizon)? })
}

impl<R: PriceRule> Forecaster for R {
    fn path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<f64>, ForecastError> {
        within_horizon(origin, steps)?;
        let h = before(db, origin, self.history())?;
        Ok(recurse(h, origin, steps, |h, month| self.step(h, month)))
    }

    fn forecast_month(&self, db: &Database, month: Month) -> Result<(f64, u32), ForecastError> {
        from_last_price(db, month, |origin, steps| self.path(db, origin, steps))
    }

    fn explain_path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<Step>, ForecastError> {
        within_horizon(origin, steps)?;
        let h = before(db, origin, self.history())?;
        Ok(recurse_explained(h, origin, steps, |h, month| self.explain(h, month)))
    }

    fn explain_month(&self, db: &Database, month: Month) -> Result<Explanation, ForecastError> {
        explain_from_last_price(db, month, |origin, steps| self.explain_path(db, origin, steps))
    }

    fn first_month(&self, db: &Database) -> Option<Month> {
        db.milk_price.keys().next().map(|m| m.offset(self.history() as i32))
    }

    fn needs(&self) -> String {
        let months = match self.history() {
            1 => "del mes anterior".to_string(),
            n => format!("de los {n} meses anteriores"),
        };
        format!("solo el precio de la leche {months}; no usa precipitaciones ni Banco Central")
    }

    fn inputs(&self) -> Inputs {
        Inputs::PriceHistory
    }

    fn rule_history(&self) -> Option<usize> {
        Some(self.history())
    }
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
