//! The shrunk seasonal change: this month's log change = λ × the mean
//! same-month log change of the last K years + μ × last month's surprise
//! (its log change minus the λ-scaled seasonal part it was expected to have).
//!
//! Why: the seasonal-change rule copies one year's change, noise included;
//! averaging K years keeps the season and drops the noise, shrinking by λ
//! hedges when the season is weak, and the surprise term carries a shock
//! (a price jump) into the next months, decaying as μ^h. K, λ and μ are
//! chosen at each origin by the mean absolute one-step error over the
//! [`CHOICE_MONTHS`] months before it, so every choice uses earlier data
//! only. Logs keep 1980's prices comparable with today's; `libm` gives the
//! same `ln`/`exp` bits natively and in wasm.
//!
//! Written here (not from a library): it is a rule over the price history,
//! not a model any forecasting crate offers.

use serde::{Deserialize, Serialize};

use super::explanation::{Base, Link, Part, Step};
use super::prices;
use super::shape::Shape;
use super::{Candidate, CandidateId, CheckError, Fit, FitError, Form, Method, PriceRule};
use crate::data::month::Month;
use crate::data::tables::Database;

/// Years of same-month changes averaged.
pub const YEARS: [usize; 8] = [1, 2, 3, 4, 5, 6, 8, 10];
/// Shrinkage of the seasonal part (λ).
pub const SHRINK: [f64; 6] = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
/// Weight of last month's surprise (μ).
pub const MOMENTUM: [f64; 4] = [0.0, 0.2, 0.4, 0.6];
/// Months before the origin whose one-step errors choose K, λ and μ.
pub const CHOICE_MONTHS: usize = 36;
/// Most years a stored model may average (bounds the history it reads).
pub const MAX_YEARS: usize = 20;

/// The chosen K, λ, μ.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShrunkParams {
    pub years: usize,
    pub shrink: f64,
    pub momentum: f64,
}

impl ShrunkParams {
    /// The forecast log change from log prices `l` (oldest first, at least
    /// [`PriceRule::history`]).
    fn change(&self, l: &[f64]) -> f64 {
        let (season, momentum) = self.change_parts(l);
        season + momentum
    }

    /// [`ShrunkParams::change`]'s two terms: λ × the seasonal change, μ × last month's surprise.
    fn change_parts(&self, l: &[f64]) -> (f64, f64) {
        let n = l.len();
        let d = |i: usize| l[i] - l[i - 1];
        let seasonal = |end: usize| {
            let mut s = 0.0;
            for k in 1..=self.years {
                s += d(end - 12 * k);
            }
            s / self.years as f64
        };
        // The month forecast sits at index n; last month at n - 1.
        let surprise = d(n - 1) - self.shrink * seasonal(n - 1);
        (self.shrink * seasonal(n), self.momentum * surprise)
    }
}

impl Form for ShrunkParams {
    fn candidate(&self) -> CandidateId {
        CandidateId::ShrunkSeasonal
    }

    fn describe(&self) -> String {
        format!("K={} años, λ={}, μ={}", self.years, self.shrink, self.momentum)
    }

    /// K bounds the history a step reads; λ and μ are weights.
    fn check(&self, model: &str) -> Result<(), CheckError> {
        let shape = Shape { model };
        shape.range("years", self.years as f64, 1.0, MAX_YEARS as f64)?;
        shape.range("shrink", self.shrink, 0.0, 1.0)?;
        shape.range("momentum", self.momentum, 0.0, 1.0)
    }
}

impl PriceRule for ShrunkParams {
    /// K years of same-month changes, and last month's.
    fn history(&self) -> usize {
        12 * self.years + 2
    }

    fn step(&self, h: &[f64], _month: Month) -> f64 {
        let tail: Vec<f64> = h[h.len() - self.history()..].iter().map(|&p| libm::log(p)).collect();
        h[h.len() - 1] * libm::exp(self.change(&tail))
    }

    fn explain(&self, h: &[f64], month: Month) -> Step {
        let tail: Vec<f64> = h[h.len() - self.history()..].iter().map(|&p| libm::log(p)).collect();
        let (season, momentum) = self.change_parts(&tail);
        Step { month, base: Some(Base::back(h, 1, month)), parts: vec![(Part::Season(month.month()), season), (Part::Momentum, momentum)], link: Link::LogChange }
    }
}

/// The candidate: its grid, checked once.
pub struct Shrunk {
    grid: Vec<ShrunkParams>,
}

impl Shrunk {
    pub fn new() -> Result<Shrunk, FitError> {
        let mut grid = Vec::new();
        for years in YEARS {
            for shrink in SHRINK {
                for momentum in MOMENTUM {
                    grid.push(ShrunkParams { years, shrink, momentum });
                }
            }
        }
        let bad = grid.iter().find(|p| {
            !(1..=MAX_YEARS).contains(&p.years) || !(0.0..=1.0).contains(&p.shrink) || !(0.0..1.0).contains(&p.momentum)
        });
        if let Some(p) = bad {
            return Err(FitError::BadHyperParameters { candidate: CandidateId::ShrunkSeasonal.label(), reason: p.describe() });
        }
        Ok(Shrunk { grid })
    }
}

impl Candidate for Shrunk {
    fn id(&self) -> CandidateId {
        CandidateId::ShrunkSeasonal
    }

    fn fit(&self, db: &Database, origin: Month) -> Result<Fit, FitError> {
        let longest = self.grid.iter().map(ShrunkParams::history).max().unwrap_or(0);
        let h = prices::run_before(db, origin, CHOICE_MONTHS + longest);
        if let Some(i) = h.iter().position(|&p| p <= 0.0 || !p.is_finite()) {
            return Err(FitError::NonPositivePrice(origin.offset(i as i32 - h.len() as i32)));
        }
        let logs: Vec<f64> = h.iter().map(|&p| libm::log(p)).collect();
        let mut best: Option<(f64, ShrunkParams)> = None;
        for p in &self.grid {
            // Each of the last CHOICE_MONTHS months forecast from the prices before it.
            if h.len() < CHOICE_MONTHS + p.history() {
                continue;
            }
            let mut total = 0.0;
            for t in h.len() - CHOICE_MONTHS..h.len() {
                total += (h[t] - h[t - 1] * libm::exp(p.change(&logs[t - p.history()..t]))).abs();
            }
            // Strict `<`: ties keep the earlier grid point (fewer years, less shrinkage, no momentum).
            if best.is_none_or(|(b, _)| total < b) {
                best = Some((total, *p));
            }
        }
        let needed = CHOICE_MONTHS + self.grid.iter().map(ShrunkParams::history).min().unwrap_or(0);
        let (_, params) = best.ok_or(FitError::TooFewRows { origin, rows: h.len(), needed })?;
        Ok(Fit {
            method: Method::Shrunk(params),
            trained_from: Some(origin.offset(-(CHOICE_MONTHS as i32))),
            trained_to: Some(origin.prev()),
            trained_rows: CHOICE_MONTHS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_season_without_momentum_repeats_last_years_change() {
        let h: Vec<f64> = (0..14).map(|i| 100.0 + (i * i) as f64).collect();
        let p = ShrunkParams { years: 1, shrink: 1.0, momentum: 0.0 };
        let month: Month = "2021-01".parse().expect("month");
        let got = p.step(&h, month);
        let expected = h[13] * libm::exp(libm::log(h[2]) - libm::log(h[1]));
        assert_eq!(got, expected);
        // No season, no momentum: naive.
        assert_eq!(ShrunkParams { years: 1, shrink: 0.0, momentum: 0.0 }.step(&h, month), h[13]);
    }

    #[test]
    fn the_choice_uses_only_months_before_the_origin() {
        let mut db = Database::default();
        let start: Month = "2000-01".parse().expect("month");
        for (i, m) in start.through(start.offset(200)).enumerate() {
            db.milk_price.insert(m, vec![100.0 * (1.0 + 0.05 * ((i % 12) as f64 / 11.0))]);
        }
        let origin = start.offset(190);
        let fit = Shrunk::new().expect("grid").fit(&db, origin).expect("fit");
        let mut cut = db.clone();
        cut.milk_price.retain(|m, _| *m < origin);
        assert_eq!(Shrunk::new().expect("grid").fit(&cut, origin).expect("fit").method, fit.method);
    }
}
