//! Seasonal change with drift: in logs, each month moves by its season's
//! usual change plus the long-run growth of the price,
//! log p̂ₘ = log p̂ₘ₋₁ + sₘ + d.
//!
//! * d, the drift, is the mean of the [`DRIFT_MONTHS`] monthly log changes
//!   before the origin (20 years: the window the reference
//!   forecasters are fitted on). The price is nominal: inflation and the
//!   real trend push it up about 5 % a year, and a rule without a drift
//!   forecasts low, more so the farther out (the audit of the earlier
//!   candidates: +4.6 % median error at 12 months). Why not the recent
//!   growth: three years of a price that swings ±15 % a year estimate a
//!   yearly rate with a standard error near 5 points; twenty years, near 2.
//!   The recent rate is shrunk all the way to the long-run one.
//! * sₘ, the season, is month m's mean log change over the last K years
//!   minus the mean over the twelve months (so the season adds nothing over
//!   a year: the growth is d alone), averaged over every K of
//!   [`YEARS`] — a forecast averaged across estimation windows rather than
//!   one window chosen, because a window chosen on a few years of errors
//!   chases noise (the shrunk seasonal change's nested K, λ, μ scored
//!   0.645 × naive one month ahead against 0.59 for a plain average).
//!   One-year windows are left out: a single year's change is the seasonal
//!   change rule, noise included.
//!
//! The fitted form keeps the twelve seasonal changes and the drift, so it
//! forecasts from whatever the last price is — months added after training
//! move the forecast at once, no refit needed — and a step reads only the
//! month before (the recursion is then exactly the closed form above).
//! Written here, not taken from a library: it is a seasonal random walk
//! with drift in logs, a dozen lines no forecasting crate offers as such.

use serde::{Deserialize, Serialize};

use super::explanation::{Base, Link, Part, Step};
use super::prices;
use super::shape::Shape;
use super::{Candidate, CandidateId, CheckError, Fit, FitError, Form, Method, PriceRule};
use crate::data::month::Month;
use crate::data::tables::Database;

/// Monthly changes whose mean is the drift (20 years; the fit reads one price more).
pub const DRIFT_MONTHS: usize = 240;
/// Estimation windows (years of same-month changes) the season averages over.
pub const YEARS: [usize; 7] = [2, 3, 4, 5, 6, 8, 10];
/// The largest monthly log change a stored season or drift may hold: a
/// doubling or halving every month, far beyond any fit on real prices.
pub const MAX_LOG_CHANGE: f64 = std::f64::consts::LN_2;

/// The fitted rule: a seasonal log change per calendar month and the drift.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftRule {
    /// sₘ for January … December (they sum to zero).
    pub season: Vec<f64>,
    /// d: the mean monthly log change of the window.
    pub drift: f64,
}

impl DriftRule {
    /// The rule from the log prices `l` of the [`DRIFT_MONTHS`] + 1 months
    /// before `origin` (oldest first).
    fn from_logs(l: &[f64], origin: Month) -> DriftRule {
        let n = l.len();
        // The change into the month at index i (i ≥ 1) and its calendar month.
        let month_of = |i: usize| origin.offset(i as i32 - n as i32).month() as usize - 1;
        let mut season = vec![0.0; 12];
        for &years in &YEARS {
            let mut sums = [0.0; 12];
            for i in n - 12 * years..n {
                sums[month_of(i)] += l[i] - l[i - 1];
            }
            let means: Vec<f64> = sums.iter().map(|s| s / years as f64).collect();
            let level = means.iter().sum::<f64>() / 12.0;
            for (s, m) in season.iter_mut().zip(&means) {
                *s += (m - level) / YEARS.len() as f64;
            }
        }
        DriftRule { season, drift: (l[n - 1] - l[0]) / DRIFT_MONTHS as f64 }
    }
}

impl Form for DriftRule {
    fn candidate(&self) -> CandidateId {
        CandidateId::SeasonalDrift
    }

    fn describe(&self) -> String {
        format!(
            "deriva {} % mensual ({} % anual, {} años), estación promedio de {} a {} años",
            crate::data::locale::number(libm::expm1(self.drift) * 100.0, 2),
            crate::data::locale::number(libm::expm1(12.0 * self.drift) * 100.0, 1),
            DRIFT_MONTHS / 12,
            YEARS[0],
            YEARS[YEARS.len() - 1]
        )
    }

    /// Twelve seasonal changes and a drift, each a plausible monthly log change.
    fn check(&self, model: &str) -> Result<(), CheckError> {
        let shape = Shape { model };
        shape.length("season", self.season.len(), 12)?;
        for &s in &self.season {
            shape.range("season", s, -MAX_LOG_CHANGE, MAX_LOG_CHANGE)?;
        }
        shape.range("drift", self.drift, -MAX_LOG_CHANGE, MAX_LOG_CHANGE)
    }
}

impl PriceRule for DriftRule {
    /// The month before: the season and drift are the fit's.
    fn history(&self) -> usize {
        1
    }

    fn step(&self, h: &[f64], month: Month) -> f64 {
        h[h.len() - 1] * libm::exp(self.season[month.month() as usize - 1] + self.drift)
    }

    /// The last price × exp(the month's season + the drift).
    fn explain(&self, h: &[f64], month: Month) -> Step {
        let parts = vec![(Part::Season(month.month()), self.season[month.month() as usize - 1]), (Part::Drift, self.drift)];
        Step { month, base: Some(Base::back(h, 1, month)), parts, link: Link::LogChange }
    }
}

/// One calendar month's season beside what it was measured on, for a
/// picture of the rule: its usual change, and each year's change into that
/// month over the longest window of [`YEARS`], less that window's mean
/// monthly change (the part of the growth the drift carries), in logs.
#[derive(Clone, Debug, PartialEq)]
pub struct SeasonSpread {
    /// 1 = January.
    pub month: u32,
    /// sₘ.
    pub usual: f64,
    /// (the month, its log change less the window's mean), oldest first.
    pub years: Vec<(Month, f64)>,
}

impl DriftRule {
    /// The twelve seasons with the changes of the years up to `last` (the
    /// fit's last month) they were measured on; a month without a price or
    /// the one before it is left out of its list.
    pub fn spread(&self, db: &Database, last: Month) -> Vec<SeasonSpread> {
        let years = YEARS[YEARS.len() - 1];
        let change = |m: Month| Some(libm::log(db.price(m)?) - libm::log(db.price(m.prev())?));
        let changes: Vec<(Month, f64)> = last.offset(1 - 12 * years as i32).through(last).filter_map(|m| Some((m, change(m)?))).collect();
        let mean = changes.iter().map(|c| c.1).sum::<f64>() / changes.len().max(1) as f64;
        (1..=12)
            .map(|month| SeasonSpread {
                month,
                usual: self.season.get(month as usize - 1).copied().unwrap_or(f64::NAN),
                years: changes.iter().filter(|c| c.0.month() == month).map(|&(m, c)| (m, c - mean)).collect(),
            })
            .collect()
    }
}

/// The candidate (nothing to choose: the windows are fixed above).
pub struct SeasonalDrift;

impl Candidate for SeasonalDrift {
    fn id(&self) -> CandidateId {
        CandidateId::SeasonalDrift
    }

    fn fit(&self, db: &Database, origin: Month) -> Result<Fit, FitError> {
        let n = DRIFT_MONTHS + 1;
        let logs = prices::logs(&prices::window(db, origin, n)?, origin)?;
        Ok(Fit {
            method: Method::SeasonalDrift(DriftRule::from_logs(&logs, origin)),
            trained_from: Some(origin.offset(-(n as i32))),
            trained_to: Some(origin.prev()),
            trained_rows: n,
        })
    }

    fn can_forecast(&self, db: &Database, origin: Month) -> bool {
        db.price(origin.prev()).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Forecaster;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    /// A price growing 1 % a month with a season of +5 % every March and
    /// −5 % every April: the fit finds both, and forecasts the same way.
    #[test]
    fn a_steady_growth_and_season_are_recovered_and_forecast() {
        let mut db = Database::default();
        let mut p = 100.0;
        for month in m("1990-01").through(m("2011-12")) {
            let season = match month.month() {
                3 => 0.05,
                4 => -0.05,
                _ => 0.0,
            };
            p *= libm::exp(0.01 + season);
            db.milk_price.insert(month, vec![p]);
        }
        let fit = SeasonalDrift.fit(&db, m("2012-01")).expect("fit");
        let Method::SeasonalDrift(rule) = &fit.method else { panic!("{:?}", fit.method) };
        // The window starts in 1991-12: its first change is 1992-01's.
        assert!((rule.drift - 0.01).abs() < 1e-12, "{}", rule.drift);
        assert!((rule.season[2] - 0.05).abs() < 1e-12 && (rule.season[3] + 0.05).abs() < 1e-12, "{:?}", rule.season);
        assert!(rule.season.iter().sum::<f64>().abs() < 1e-12);
        assert_eq!(fit.trained_from, Some(m("1991-12")));
        let path = rule.path(&db, m("2012-01"), 4).expect("path");
        let expect = [0.01, 0.01, 0.06, -0.04];
        let mut q = p;
        for (f, e) in path.iter().zip(expect) {
            q *= libm::exp(e);
            assert!((f / q - 1.0).abs() < 1e-12, "{path:?}");
        }
        assert!(rule.check("x").is_ok());
    }

    #[test]
    fn too_short_a_history_is_no_fit_and_a_wild_season_is_refused() {
        let mut db = Database::default();
        for (i, month) in m("2000-01").through(m("2011-12")).enumerate() {
            db.milk_price.insert(month, vec![100.0 + i as f64]);
        }
        assert!(matches!(SeasonalDrift.fit(&db, m("2012-01")), Err(FitError::TooFewRows { needed: 241, .. })));
        let wild = DriftRule { season: vec![0.0; 12], drift: 2.0 };
        assert!(matches!(wild.check("x"), Err(CheckError::OutOfRange { what: "drift", .. })));
        let short = DriftRule { season: vec![0.0; 11], drift: 0.0 };
        assert!(matches!(short.check("x"), Err(CheckError::Length { what: "season", .. })));
    }
}
