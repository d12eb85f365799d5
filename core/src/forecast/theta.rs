//! The Theta method (Assimakopoulos & Nikolopoulos 2000, in Hyndman &
//! Billah's form, as R's `thetaf`): on the seasonally adjusted log price,
//! simple exponential smoothing carried forward with half the slope of the
//! straight line through the window as its drift, the season added back.
//!
//! * Season: classical additive decomposition of the log prices of the
//!   [`WINDOW`] months before the origin — each month's mean deviation from
//!   the centred 2×12 moving average, the twelve centred on zero.
//! * Level: SES on the adjusted series, its α the one of [`ALPHAS`] with
//!   the smallest one-step squared error inside the window (the first
//!   observation starts the level; R estimates it too — a detail that
//!   matters little over twenty years).
//! * Forecast h months ahead: exp(ℓ + b/2 · (h − 1 + (1 − (1 − α)ⁿ)/α) + sₘ),
//!   b the least-squares slope of the adjusted series on time.
//!
//! Written here, not taken from a library: augurs has no Theta, and the
//! method is these few lines. Twenty years is the window the reference
//! forecasters (statsforecast's AutoTheta among them) are fitted on, fixed
//! before this candidate was scored. The fitted form keeps the season, α
//! and b, and recomputes the level from the prices before whatever origin
//! it forecasts from, so months added after training move it at once.

use serde::{Deserialize, Serialize};

use super::explanation::{Explanation, Link, Part, Step};
use super::prices;
use super::shape::Shape;
use super::{within_horizon, Candidate, CandidateId, CheckError, Fit, FitError, ForecastError, Forecaster, Form, Method};
use crate::forecast::features::Inputs;
use crate::data::month::Month;
use crate::data::tables::Database;

/// Months each fit and each forecast reads (20 years).
pub const WINDOW: usize = 240;
/// Smoothing weights tried, 0.01 … 1.
pub const ALPHAS: usize = 100;
/// The largest monthly log change a stored season or slope may hold (as
/// the seasonal drift's bound: a doubling every month).
const MAX_LOG_CHANGE: f64 = std::f64::consts::LN_2;

/// The fitted method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThetaFit {
    /// Additive seasonal log indices, January … December (they sum to zero).
    pub season: Vec<f64>,
    /// SES smoothing weight.
    pub alpha: f64,
    /// The adjusted series' slope per month (half of it is the drift).
    pub slope: f64,
}

impl ThetaFit {
    /// The seasonally adjusted logs of `prices`, the last of which is the month before `origin`.
    fn adjusted(&self, prices: &[f64], origin: Month) -> Vec<f64> {
        let n = prices.len();
        prices.iter().enumerate().map(|(i, &p)| libm::log(p) - self.season[month_index(origin, i, n)]).collect()
    }

    /// Each month from `origin` on, `steps` of them, with the three logs its
    /// forecast is exp of the sum of: level, trend, season. One place for the
    /// forecast ([`Forecaster::path`]) and its explanation, so they add the
    /// same numbers in the same order.
    fn terms(&self, db: &Database, origin: Month, steps: u32) -> Result<impl Iterator<Item = (Month, f64, f64, f64)> + '_, ForecastError> {
        within_horizon(origin, steps)?;
        let p = prices::before(db, origin, WINDOW)?;
        let (level, _) = smooth(&self.adjusted(&p, origin), self.alpha);
        let a = self.alpha;
        let carry = (1.0 - libm::pow(1.0 - a, WINDOW as f64)) / a;
        Ok((0..steps).map(move |s| {
            let month = origin.offset(s as i32);
            let trend = self.slope / 2.0 * (f64::from(s) + carry);
            (month, level, trend, self.season[month.month() as usize - 1])
        }))
    }
}

/// The calendar month (0 = January) of the `i`-th of `n` months before `origin`.
fn month_index(origin: Month, i: usize, n: usize) -> usize {
    origin.offset(i as i32 - n as i32).month() as usize - 1
}

/// SES over `x` with weight `alpha`: the last level and the sum of squared one-step errors.
fn smooth(x: &[f64], alpha: f64) -> (f64, f64) {
    let mut level = x[0];
    let mut sse = 0.0;
    for &v in &x[1..] {
        let e = v - level;
        sse += e * e;
        level += alpha * e;
    }
    (level, sse)
}

impl Form for ThetaFit {
    fn candidate(&self) -> CandidateId {
        CandidateId::Theta
    }

    fn describe(&self) -> String {
        format!(
            "α = {}, deriva {} % mensual, ventana de {} meses",
            crate::data::locale::number(self.alpha, 2),
            crate::data::locale::number(libm::expm1(self.slope / 2.0) * 100.0, 2),
            WINDOW
        )
    }

    fn check(&self, model: &str) -> Result<(), CheckError> {
        let shape = Shape { model };
        shape.length("season", self.season.len(), 12)?;
        for &s in &self.season {
            shape.range("season", s, -MAX_LOG_CHANGE, MAX_LOG_CHANGE)?;
        }
        shape.range("alpha", self.alpha, 1.0 / ALPHAS as f64, 1.0)?;
        shape.range("slope", self.slope, -MAX_LOG_CHANGE, MAX_LOG_CHANGE)
    }
}

impl Forecaster for ThetaFit {
    fn path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<f64>, ForecastError> {
        Ok(self.terms(db, origin, steps)?.map(|(_, level, trend, season)| libm::exp(level + trend + season)).collect())
    }

    fn forecast_month(&self, db: &Database, month: Month) -> Result<(f64, u32), ForecastError> {
        prices::from_last_price(db, month, |origin, steps| self.path(db, origin, steps))
    }

    /// exp(level + trend + season), the terms [`ThetaFit::path`] adds.
    fn explain_path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<Step>, ForecastError> {
        Ok(self
            .terms(db, origin, steps)?
            .map(|(month, level, trend, season)| {
                let parts = vec![(Part::Level, level), (Part::Trend, trend), (Part::Season(month.month()), season)];
                Step { month, base: None, parts, link: Link::LogLevel }
            })
            .collect())
    }

    fn explain_month(&self, db: &Database, month: Month) -> Result<Explanation, ForecastError> {
        prices::explain_from_last_price(db, month, |origin, steps| self.explain_path(db, origin, steps))
    }

    fn first_month(&self, db: &Database) -> Option<Month> {
        db.milk_price.keys().next().map(|m| m.offset(WINDOW as i32))
    }

    fn needs(&self) -> String {
        format!("solo el precio de la leche de los {WINDOW} meses anteriores; no usa precipitaciones ni Banco Central")
    }

    fn inputs(&self) -> Inputs {
        Inputs::PriceHistory
    }

    /// It forecasts its horizons itself (SES's level, not a one-step rule).
    fn rule_history(&self) -> Option<usize> {
        None
    }
}

/// The candidate (α is chosen inside each fit).
pub struct Theta;

impl Candidate for Theta {
    fn id(&self) -> CandidateId {
        CandidateId::Theta
    }

    fn fit(&self, db: &Database, origin: Month) -> Result<Fit, FitError> {
        let p = prices::window(db, origin, WINDOW)?;
        let y = prices::logs(&p, origin)?;
        let n = y.len();
        // Centred 2×12 moving average at i (6 ≤ i < n − 6) and each month's mean deviation from it.
        let (mut sums, mut counts) = ([0.0; 12], [0usize; 12]);
        for i in 6..n - 6 {
            let mut ma = (y[i - 6] + y[i + 6]) / 2.0;
            for v in &y[i - 5..=i + 5] {
                ma += v;
            }
            ma /= 12.0;
            let m = month_index(origin, i, n);
            sums[m] += y[i] - ma;
            counts[m] += 1;
        }
        let means: Vec<f64> = sums.iter().zip(&counts).map(|(s, &c)| s / c as f64).collect();
        let centre = means.iter().sum::<f64>() / 12.0;
        let season: Vec<f64> = means.iter().map(|m| m - centre).collect();
        let mut fit = ThetaFit { season, alpha: 1.0, slope: 0.0 };
        let x = fit.adjusted(&p, origin);
        // Least-squares slope of x on 0 … n − 1.
        let t_mean = (n - 1) as f64 / 2.0;
        let x_mean = x.iter().sum::<f64>() / n as f64;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (t, v) in x.iter().enumerate() {
            let dt = t as f64 - t_mean;
            sxy += dt * (v - x_mean);
            sxx += dt * dt;
        }
        fit.slope = sxy / sxx;
        // The first α with the smallest in-window one-step error.
        let mut best = f64::INFINITY;
        for k in 1..=ALPHAS {
            let alpha = k as f64 / ALPHAS as f64;
            let (_, sse) = smooth(&x, alpha);
            if sse < best {
                best = sse;
                fit.alpha = alpha;
            }
        }
        Ok(Fit {
            method: Method::Theta(fit),
            trained_from: Some(origin.offset(-(WINDOW as i32))),
            trained_to: Some(origin.prev()),
            trained_rows: WINDOW,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    /// A price growing exactly 1 % a month with a fixed season: the
    /// adjusted series is a straight line, so SES with α = 1 follows it and
    /// the forecast continues the line at half the slope (Theta's damping
    /// of the trend), with the season added back.
    #[test]
    fn a_line_with_a_season_is_forecast_at_half_its_slope() {
        let mut db = Database::default();
        let season = |mo: Month| if mo.month() == 7 { 0.04 } else { -0.04 / 11.0 };
        let first = m("1990-01");
        for (t, mo) in first.through(m("2011-12")).enumerate() {
            db.milk_price.insert(mo, vec![100.0 * libm::exp(0.01 * t as f64 + season(mo))]);
        }
        let fit = Theta.fit(&db, m("2012-01")).expect("fit");
        let Method::Theta(theta) = &fit.method else { panic!("{:?}", fit.method) };
        assert!((theta.slope - 0.01).abs() < 1e-9, "{}", theta.slope);
        assert_eq!(theta.alpha, 1.0);
        assert!((theta.season[6] - 0.04).abs() < 1e-9, "{:?}", theta.season);
        let path = theta.path(&db, m("2012-01"), 12).expect("path");
        let last_t = first.months_until(m("2011-12")) as f64;
        for (s, f) in path.iter().enumerate() {
            let mo = m("2012-01").offset(s as i32);
            let expect = 100.0 * libm::exp(0.01 * last_t + 0.005 * (s as f64 + 1.0) + season(mo));
            assert!((f / expect - 1.0).abs() < 1e-9, "h = {}: {f} against {expect}", s + 1);
        }
        assert!(theta.check("x").is_ok());
        assert_eq!(theta.forecast_month(&db, m("2012-03")).map(|(_, h)| h), Ok(3));
    }

    #[test]
    fn a_stored_fit_with_an_impossible_alpha_or_season_is_refused() {
        let good = ThetaFit { season: vec![0.0; 12], alpha: 0.5, slope: 0.001 };
        assert!(good.check("x").is_ok());
        assert!(matches!(ThetaFit { alpha: 0.0, ..good.clone() }.check("x"), Err(CheckError::OutOfRange { what: "alpha", .. })));
        assert!(matches!(ThetaFit { season: vec![0.0; 3], ..good }.check("x"), Err(CheckError::Length { what: "season", .. })));
    }
}
