//! Ridge on the price history, predicting next month's *relative change*.
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
//! needs the prices of M-1 … M-13; later horizons feed the forecasts back
//! as prices ([`super::prices::recurse`]).
//!
//! Written here rather than with a library: it is a dozen lines over the
//! ridge solver the original pipeline already needs (scikit-learn's, to the
//! bit), and it must give the same bits in the browser.

use serde::{Deserialize, Serialize};

use super::explanation::{Base, Group, Link, Part, Step};
use super::prices;
use super::shape::Shape;
use super::{Candidate, CandidateId, CheckError, Fit, FitError, Form, Method, PriceRule};
use crate::fit::matrix::{dot, Matrix};
use crate::data::month::Month;
use crate::fit::ridge::fit_primal;
use crate::fit::scaler::Scaler;
use crate::data::tables::Database;
use crate::fit::cross_validation::TimeBlocks;

/// Months of price history a forecast needs (M-1 … M-13).
pub const HISTORY: usize = 13;
/// Ridge penalties tried (on standardised features).
pub const ALPHAS: [f64; 6] = [0.1, 1.0, 10.0, 30.0, 100.0, 300.0];
/// Training windows tried, in months of rows (`None`: every row since 1980).
pub const WINDOWS: [Option<usize>; 3] = [None, Some(240), Some(120)];
/// Inner validation: the last four blocks of six rows before the origin,
/// each scored by a fit on the rows before it (at least 36).
pub const SELECTION: TimeBlocks = TimeBlocks { block: 6, blocks: 4, min_train: 36 };
/// Number of features (see [`feature_names`]).
pub const WIDTH: usize = 18;

/// Names of the features, in column order.
pub fn feature_names() -> Vec<String> {
    let mut n: Vec<String> = ["cambio_M-1", "cambio_M-2", "cambio_M-3", "cambio_M-11", "cambio_M-12", "desvio_M-1_media_12"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    n.extend((1..=12).map(|m| format!("mes_{m:02}")));
    n
}

/// The features to forecast `month` from `h`, the prices before it
/// (oldest first, at least [`HISTORY`]).
pub fn features(h: &[f64], month: Month) -> Vec<f64> {
    let n = h.len();
    // p(k) is the price of M-k.
    let p = |k: usize| h[n - k];
    let change = |k: usize| p(k) / p(k + 1) - 1.0;
    let mut mean12 = 0.0;
    for k in 2..=13 {
        mean12 += p(k);
    }
    mean12 /= 12.0;
    let mut r = vec![change(1), change(2), change(3), change(11), change(12), p(1) / mean12 - 1.0];
    r.extend((1..=12).map(|m| if month.month() == m { 1.0 } else { 0.0 }));
    r
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
    /// The forecast price from `features` and last month's price.
    fn predict(&self, features: &[f64], last_price: f64) -> f64 {
        let mut x = features.to_vec();
        self.scaler.transform_row(&mut x);
        let change = dot(&x, &self.coef) + self.intercept;
        last_price * (1.0 + self.weight * change)
    }

}

/// The fitted form: the choices and the fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeModel {
    pub hyper: ChangeHyper,
    pub fit: ChangeFit,
}

impl Form for ChangeModel {
    /// The weight tells the full change from its half.
    fn candidate(&self) -> CandidateId {
        if self.fit.weight != 1.0 {
            CandidateId::HalfChange
        } else {
            CandidateId::PriceChange
        }
    }

    fn describe(&self) -> String {
        if self.fit.weight != 1.0 {
            format!("{}, peso={}", self.hyper.describe(), self.fit.weight)
        } else {
            self.hyper.describe()
        }
    }

    fn check(&self, model: &str) -> Result<(), CheckError> {
        let (shape, fit) = (Shape { model }, &self.fit);
        shape.length("coef", fit.coef.len(), WIDTH)?;
        shape.length("scaler.mean", fit.scaler.mean.len(), WIDTH)?;
        shape.length("scaler.scale", fit.scaler.scale.len(), WIDTH)?;
        shape.coefficients(&fit.coef)?;
        shape.scaler(&fit.scaler)?;
        shape.finite("intercept", &[fit.intercept, self.hyper.alpha])?;
        shape.range("weight", fit.weight, 0.0, 1.0)
    }
}

impl PriceRule for ChangeModel {
    fn history(&self) -> usize {
        HISTORY
    }

    fn step(&self, h: &[f64], month: Month) -> f64 {
        self.fit.predict(&features(h, month), h[h.len() - 1])
    }

    /// The last price × (1 + weight × (Σ coefficient × scaled feature + intercept)),
    /// the terms in the features' order as the dot product adds them.
    fn explain(&self, h: &[f64], month: Month) -> Step {
        let mut x = features(h, month);
        self.fit.scaler.transform_row(&mut x);
        let mut parts: Vec<(Part, f64)> = feature_names()
            .into_iter()
            .zip(x.iter().zip(&self.fit.coef))
            .map(|(name, (x, c))| {
                let group = if name.starts_with("mes_") { Group::Calendar } else { Group::Prices };
                (Part::Term { name, group }, x * c)
            })
            .collect();
        parts.push((Part::Constant, self.fit.intercept));
        Step { month, base: Some(Base::back(h, 1, month)), parts, link: Link::Change { weight: self.fit.weight } }
    }
}

/// Training rows: every month with a price and the thirteen before it.
struct ChangeRows {
    months: Vec<Month>,
    x: Matrix,
    /// Relative change of each month.
    y: Vec<f64>,
    /// Price of the month before (to turn changes back into prices).
    last: Vec<f64>,
    /// Price of the month.
    price: Vec<f64>,
}

impl ChangeRows {
    /// Rows for months strictly before `before`.
    fn build(db: &Database, before: Month) -> ChangeRows {
        let mut months = Vec::new();
        let mut rows = Vec::new();
        let (mut y, mut last, mut price) = (Vec::new(), Vec::new(), Vec::new());
        for (&m, v) in db.milk_price.range(..before) {
            let (Ok(h), Some(&p)) = (prices::before(db, m, HISTORY), v.first()) else { continue };
            let l = h[HISTORY - 1];
            months.push(m);
            rows.push(features(&h, m));
            y.push(p / l - 1.0);
            last.push(l);
            price.push(p);
        }
        let x = Matrix::from_rows(&rows, WIDTH);
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

/// The ridge candidate: `weight` 1 forecasts its own change, 0.5 half of it
/// (the average with naive).
pub struct PriceChange {
    id: CandidateId,
    weight: f64,
}

impl PriceChange {
    pub fn new(id: CandidateId, weight: f64) -> Result<PriceChange, FitError> {
        if !(weight.is_finite() && weight > 0.0 && weight <= 1.0) {
            return Err(FitError::BadHyperParameters { candidate: id.label(), reason: format!("peso {weight} fuera de (0, 1]") });
        }
        Ok(PriceChange { id, weight })
    }
}

impl Candidate for PriceChange {
    fn id(&self) -> CandidateId {
        self.id
    }

    /// Choose alpha and window by mean absolute price error on the last
    /// time-ordered blocks before `origin`, then fit on all of them.
    fn fit(&self, db: &Database, origin: Month) -> Result<Fit, FitError> {
        let rows = ChangeRows::build(db, origin);
        let n = rows.months.len();
        let splits = SELECTION.splits(n);
        if splits.is_empty() {
            return Err(FitError::TooFewRows { origin, rows: n, needed: SELECTION.needed() });
        }
        let mut best: Option<(f64, ChangeHyper)> = None;
        for window in WINDOWS {
            let mut totals = vec![0.0; ALPHAS.len()];
            for split in &splits {
                let end = split.test[0];
                let from = start(window, end);
                for (a, fit) in fits(&rows, from, end, &ALPHAS).into_iter().enumerate() {
                    let Some((scaler, coef, intercept)) = fit else {
                        totals[a] = f64::INFINITY;
                        continue;
                    };
                    let f = ChangeFit { scaler, coef, intercept, weight: self.weight };
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
        let Some((_, hyper)) = best else { return Err(FitError::NotPositiveDefinite(origin)) };
        let from = start(hyper.window, n);
        let (scaler, coef, intercept) =
            fits(&rows, from, n, &[hyper.alpha]).pop().flatten().ok_or(FitError::NotPositiveDefinite(origin))?;
        Ok(Fit {
            method: Method::PriceChange(ChangeModel { hyper, fit: ChangeFit { scaler, coef, intercept, weight: self.weight } }),
            trained_from: rows.months.get(from).copied(),
            trained_to: rows.months.last().copied(),
            trained_rows: n - from,
        })
    }
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
    fn features_read_the_thirteen_months_before() {
        let d = db(14);
        let h = prices::before(&d, m("2001-02"), HISTORY).expect("history");
        let r = features(&h, m("2001-02"));
        assert_eq!(r.len(), feature_names().len());
        assert_eq!(r[0], d.price(m("2001-01")).expect("p") / d.price(m("2000-12")).expect("p") - 1.0);
        assert_eq!(r[6 + 1], 1.0, "February indicator");
    }

    #[test]
    fn a_learnable_season_is_learned() {
        let d = db(200);
        let fit = PriceChange::new(CandidateId::PriceChange, 1.0).expect("valid").fit(&d, m("2016-07")).expect("fit");
        let real = d.price(m("2016-07")).expect("price");
        let naive = d.price(m("2016-06")).expect("price");
        let got = fit.method.path(&d, m("2016-07"), 1).expect("forecast")[0];
        assert!((got - real).abs() < (naive - real).abs() / 2.0, "{got} vs real {real}, naive {naive}");
        assert!(fit.trained_to.is_some_and(|t| t < m("2016-07")));
    }

    #[test]
    fn a_weight_outside_zero_one_is_refused_once() {
        assert!(PriceChange::new(CandidateId::HalfChange, 1.5).is_err());
        assert!(PriceChange::new(CandidateId::HalfChange, f64::NAN).is_err());
    }
}
