//! Price-only forecasts: next month's *relative change* in price, from the
//! price history alone.
//!
//! Why: the milk price is strongly seasonal and its history goes back to
//! 1979, while rainfall ⋈ Central Bank starts in 2014 (about 70 training
//! rows). Predicting the change p_M / p_{M-1} − 1 rather than the level
//! keeps the forecast anchored on last month's price (the naive forecast is
//! hard to beat) and lets forty years of seasons teach the month-of-year
//! effect; relative changes keep 1980's prices (tens of pesos) comparable
//! with today's (hundreds).
//!
//! Features of month M: the changes of M-1, M-2, M-3, M-11 and M-12 (the
//! same season last year), how far M-1 sits above the mean of the twelve
//! months before it, and twelve month-of-year indicators. A forecast of M
//! needs the prices of M-1 … M-13.

use serde::{Deserialize, Serialize};

use crate::features::{Missing, MissingData};
use crate::matrix::{dot, Matrix};
use crate::month::Month;
use crate::ridge::fit_primal;
use crate::scaler::Scaler;
use crate::tables::Database;
use crate::validation::time_blocks;

/// Months of price history a forecast needs (M-1 … M-13).
pub const HISTORY: i32 = 13;
/// Ridge penalties tried (on standardised features).
pub const ALPHAS: [f64; 6] = [0.1, 1.0, 10.0, 30.0, 100.0, 300.0];
/// Training windows tried, in months of rows (`None`: every row since 1980).
pub const WINDOWS: [Option<usize>; 3] = [None, Some(240), Some(120)];
/// Inner validation: the last `BLOCKS` blocks of `BLOCK` rows before the
/// month forecast, each scored by a fit on rows before the block.
pub const BLOCK: usize = 6;
pub const BLOCKS: usize = 4;
/// Fewest rows any fit may use.
pub const MIN_TRAIN: usize = 36;

/// Names of the features, in column order.
pub fn feature_names() -> Vec<String> {
    let mut n: Vec<String> = ["cambio_M-1", "cambio_M-2", "cambio_M-3", "cambio_M-11", "cambio_M-12", "desvio_M-1_media_12"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    n.extend((1..=12).map(|m| format!("mes_{m:02}")));
    n
}

/// Column of the change twelve months before (the seasonal-change forecast's only input).
const SEASONAL_COLUMN: usize = 4;

/// The features to forecast `month` from the prices before it.
pub fn row(db: &Database, month: Month) -> Result<Vec<f64>, MissingData> {
    let mut p = Vec::with_capacity(HISTORY as usize);
    let mut missing = Vec::new();
    // p[k-1] is the price of M-k.
    for k in 1..=HISTORY {
        let m = month.offset(-k);
        match db.price(m) {
            Some(v) => p.push(v),
            None => missing.push(Missing { month: m, lacks: vec!["precio de la leche".into()] }),
        }
    }
    if !missing.is_empty() {
        missing.reverse();
        return Err(MissingData { month, missing });
    }
    let change = |k: usize| p[k - 1] / p[k] - 1.0;
    let mut mean12 = 0.0;
    for v in &p[1..13] {
        mean12 += v;
    }
    mean12 /= 12.0;
    let mut r = vec![change(1), change(2), change(3), change(11), change(12), p[0] / mean12 - 1.0];
    r.extend((1..=12).map(|m| if month.month() == m { 1.0 } else { 0.0 }));
    Ok(r)
}

/// Choices the inner validation makes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeHyper {
    pub alpha: f64,
    /// Training rows kept (the most recent), `None` for all.
    pub window: Option<usize>,
}

impl ChangeHyper {
    pub fn describe(&self) -> String {
        match self.window {
            Some(w) => format!("alpha={}, ventana={w} meses", self.alpha),
            None => format!("alpha={}, ventana=todo", self.alpha),
        }
    }
}

/// A fitted price-change model: change = intercept + coef·scaled(features);
/// forecast = p_{M-1} · (1 + weight · change).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeFit {
    pub scaler: Scaler,
    pub coef: Vec<f64>,
    pub intercept: f64,
    /// 1 for the model's own change; 0.5 averages it with the naive forecast.
    pub weight: f64,
}

impl ChangeFit {
    /// "Next month's change = the same month's change last year": no fitting.
    pub fn seasonal() -> ChangeFit {
        let width = feature_names().len();
        let mut coef = vec![0.0; width];
        coef[SEASONAL_COLUMN] = 1.0;
        ChangeFit { scaler: Scaler { mean: vec![0.0; width], scale: vec![1.0; width] }, coef, intercept: 0.0, weight: 1.0 }
    }

    /// The forecast price, from `features` (see [`row`]) and last month's price.
    pub fn predict(&self, features: &[f64], last_price: f64) -> f64 {
        let mut x = features.to_vec();
        self.scaler.transform_row(&mut x);
        let change = dot(&x, &self.coef) + self.intercept;
        last_price * (1.0 + self.weight * change)
    }

    /// Forecast `month` from `db`.
    pub fn forecast(&self, db: &Database, month: Month) -> Result<f64, MissingData> {
        let features = row(db, month)?;
        // `row` succeeded, so the price of M-1 exists.
        let last = db.price(month.prev()).unwrap_or(f64::NAN);
        Ok(self.predict(&features, last))
    }
}

/// Training rows: every month with a price and the thirteen before it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeRows {
    pub months: Vec<Month>,
    pub x: Matrix,
    /// Relative change of each month.
    pub y: Vec<f64>,
    /// Price of the month before (to turn changes back into prices).
    pub last: Vec<f64>,
    /// Price of the month.
    pub price: Vec<f64>,
}

impl ChangeRows {
    /// Rows for months strictly before `before`.
    pub fn build(db: &Database, before: Month) -> ChangeRows {
        let mut months = Vec::new();
        let mut rows = Vec::new();
        let (mut y, mut last, mut price) = (Vec::new(), Vec::new(), Vec::new());
        for (&m, v) in db.milk_price.range(..before) {
            let (Ok(r), Some(&p), Some(l)) = (row(db, m), v.first(), db.price(m.prev())) else { continue };
            months.push(m);
            rows.push(r);
            y.push(p / l - 1.0);
            last.push(l);
            price.push(p);
        }
        let x = Matrix::from_rows(&rows, feature_names().len());
        ChangeRows { months, x, y, last, price }
    }
}

/// Ridge fits of rows `from..to` for every alpha (`None` where a fit failed).
fn fits(rows: &ChangeRows, from: usize, to: usize, alphas: &[f64]) -> Vec<Option<(Scaler, Vec<f64>, f64)>> {
    let idx: Vec<usize> = (from..to).collect();
    let x = rows.x.select_rows(&idx);
    let scaler = Scaler::fit(&x);
    let scaled = scaler.transform(&x);
    fit_primal(&scaled, &rows.y[from..to], alphas)
        .into_iter()
        .map(|f| f.map(|f| (scaler.clone(), f.coef, f.intercept)))
        .collect()
}

fn start(window: Option<usize>, end: usize) -> usize {
    window.map_or(0, |w| end.saturating_sub(w))
}

/// Choose alpha and window by mean absolute price error on the last
/// time-ordered blocks of `rows`, then fit on all of them. `None` when there
/// are too few rows or every fit failed.
pub fn select_and_fit(rows: &ChangeRows, weight: f64) -> Option<(ChangeHyper, ChangeFit)> {
    let n = rows.months.len();
    let splits = time_blocks(n, BLOCK, BLOCKS, MIN_TRAIN);
    if splits.is_empty() {
        return None;
    }
    let mut best: Option<(f64, ChangeHyper)> = None;
    for window in WINDOWS {
        let mut totals = vec![0.0; ALPHAS.len()];
        for split in &splits {
            let end = split.test[0];
            let from = start(window, end);
            for (a, fit) in fits(rows, from, end, &ALPHAS).into_iter().enumerate() {
                let Some((scaler, coef, intercept)) = fit else {
                    totals[a] = f64::INFINITY;
                    continue;
                };
                let f = ChangeFit { scaler, coef, intercept, weight };
                for &i in &split.test {
                    totals[a] += (rows.price[i] - f.predict(rows.x.row(i), rows.last[i])).abs();
                }
            }
        }
        // Strict `<`: ties keep the earlier (longer window, smaller alpha) choice.
        for (a, &total) in totals.iter().enumerate() {
            if best.is_none_or(|(b, _)| total < b) {
                best = Some((total, ChangeHyper { alpha: ALPHAS[a], window }));
            }
        }
    }
    let (_, hyper) = best?;
    let (scaler, coef, intercept) = fits(rows, start(hyper.window, n), n, &[hyper.alpha]).pop().flatten()?;
    Some((hyper, ChangeFit { scaler, coef, intercept, weight }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    fn db(months: usize) -> Database {
        let mut db = Database::default();
        let mut p = 100.0;
        for (i, mo) in m("2000-01").through(m("2000-01").offset(months as i32 - 1)).enumerate() {
            p *= 1.0 + if mo.month() <= 6 { 0.01 } else { -0.005 } + 0.001 * (i % 3) as f64;
            db.milk_price.insert(mo, vec![p]);
        }
        db
    }

    #[test]
    fn row_needs_thirteen_months_and_names_the_missing() {
        let d = db(14);
        assert!(row(&d, m("2001-02")).is_ok());
        let err = row(&d, m("2001-01")).expect_err("needs 1999-12");
        assert_eq!(err.missing.iter().map(|x| x.month).collect::<Vec<_>>(), vec![m("1999-12")]);
        let r = row(&d, m("2001-02")).expect("row");
        assert_eq!(r.len(), feature_names().len());
        assert_eq!(r[6 + 1], 1.0, "February indicator");
    }

    #[test]
    fn seasonal_forecast_repeats_last_years_change() {
        let d = db(30);
        let month = m("2002-03");
        let p = |s: &str| d.price(m(s)).expect("price");
        let expected = p("2002-02") * (1.0 + (p("2001-03") / p("2001-02") - 1.0));
        assert_eq!(ChangeFit::seasonal().forecast(&d, month).expect("forecast"), expected);
    }

    #[test]
    fn a_learnable_season_is_learned() {
        let d = db(200);
        let rows = ChangeRows::build(&d, m("2020-01"));
        let (_, fit) = select_and_fit(&rows, 1.0).expect("fit");
        let month = m("2016-07");
        let real = d.price(month).expect("price");
        let naive = d.price(month.prev()).expect("price");
        let got = fit.forecast(&d, month).expect("forecast");
        assert!((got - real).abs() < (naive - real).abs() / 2.0, "{got} vs real {real}, naive {naive}");
    }
}
