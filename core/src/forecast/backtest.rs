//! The walk-forward backtest: a candidate fitted at each origin on the
//! months before it, forecasting horizons 1 … [`MAX_HORIZON`]; the rows it
//! is scored on; per-horizon metrics against the two baselines.
//!
//! Rows are judged against naive (the last price before the origin, for
//! every horizon) and seasonal naive (the same month a year before) on the
//! same months.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::combination::median;
use super::interval::{self, error, interval_score, log_error, Band, HorizonBand, ERROR_ORIGINS, LEVELS};
use super::{Candidate, CandidateId, FitError, MAX_HORIZON};
use crate::fit::metrics::Metrics;
use crate::data::month::Month;
use crate::data::tables::Database;

/// Months before an origin whose forecasts' errors choose among candidates.
pub const SELECTION_MONTHS: usize = 36;
/// Origins a walk needs before the first scored one: at the longest
/// horizon, [`ERROR_ORIGINS`] errors for its bands (more than the selection
/// window needs).
pub const WARM_UP: usize = MAX_HORIZON as usize + ERROR_ORIGINS;

/// One candidate's forecasts from every origin it could be fitted at.
#[derive(Clone, Debug, PartialEq)]
pub struct Walk {
    pub id: CandidateId,
    /// Forecasts of origin, origin + 1, … by origin.
    pub paths: BTreeMap<Month, Vec<f64>>,
    /// What was chosen in each fit, in words.
    pub how: BTreeMap<Month, String>,
}

impl Walk {
    /// Fit `candidate` at every origin (skipping those it cannot be fitted
    /// at: too little earlier data) and forecast `steps` months from each.
    /// `step` is called once per origin.
    pub fn run(
        db: &Database,
        candidate: &dyn Candidate,
        origins: impl Iterator<Item = Month>,
        steps: u32,
        step: &mut dyn FnMut(),
    ) -> Walk {
        let mut walk = Walk { id: candidate.id(), paths: BTreeMap::new(), how: BTreeMap::new() };
        for origin in origins {
            step();
            if !candidate.can_forecast(db, origin) {
                continue;
            }
            let Ok(fit) = candidate.fit(db, origin) else { continue };
            if let Ok(path) = fit.method.path(db, origin, steps) {
                walk.how.insert(origin, fit.method.describe());
                walk.paths.insert(origin, path);
            }
        }
        walk
    }

    /// The median of `members`' forecasts at the origins all of them have:
    /// the same fits as the members alone, so nothing is fitted twice.
    pub fn median(id: CandidateId, members: &[&Walk]) -> Walk {
        let mut walk = Walk { id, paths: BTreeMap::new(), how: BTreeMap::new() };
        let Some(first) = members.first() else { return walk };
        for (&origin, path) in &first.paths {
            let paths: Option<Vec<&Vec<f64>>> = members.iter().map(|m| m.paths.get(&origin)).collect();
            let Some(paths) = paths else { continue };
            let steps = paths.iter().map(|p| p.len()).min().unwrap_or(0).min(path.len());
            let combined = (0..steps)
                .map(|s| median(&mut paths.iter().map(|p| p[s]).collect::<Vec<f64>>()).unwrap_or(f64::NAN))
                .collect();
            let how: Vec<String> = members.iter().filter_map(|m| m.how.get(&origin).cloned()).collect();
            walk.how.insert(origin, format!("mediana de: {}", how.join("; ")));
            walk.paths.insert(origin, combined);
        }
        walk
    }

    /// The forecast of horizon `h` made at `origin`.
    pub fn at(&self, origin: Month, h: u32) -> Option<f64> {
        self.paths.get(&origin)?.get(h as usize - 1).copied()
    }

    /// Its out-of-sample errors, computed once (every band of the walk
    /// reads them: computed per band, the protocol's report spent more
    /// time on them than most candidates' fits).
    pub fn errors(&self, db: &Database) -> Errors {
        let mut by_horizon = vec![BTreeMap::new(); MAX_HORIZON as usize];
        for (&origin, path) in &self.paths {
            let Some(v) = volatility(db, origin) else { continue };
            for (i, (errors, &p)) in by_horizon.iter_mut().zip(path).enumerate() {
                if let Some(real) = db.price(origin.offset(i as i32)) {
                    errors.insert(origin, log_error(real, p) / v);
                }
            }
        }
        Errors { by_horizon }
    }

    /// How well it did over the [`SELECTION_MONTHS`] months before
    /// `origin`: the mean over horizons of [`Walk::horizon_score`]. `None`
    /// if it lacks any of those forecasts.
    pub fn selection_score(&self, db: &Database, origin: Month) -> Option<f64> {
        let steps = self.paths.values().next()?.len() as u32;
        let mut total = 0.0;
        for h in 1..=steps {
            total += self.horizon_score(db, origin, h)?;
        }
        Some(total / steps as f64)
    }

    /// Its MAE at horizon `h` divided by naive's, on every forecast of the
    /// [`SELECTION_MONTHS`] months before `origin`.
    pub fn horizon_score(&self, db: &Database, origin: Month, h: u32) -> Option<f64> {
        let (mut model, mut naive) = (0.0, 0.0);
        for t in origin.offset(-(SELECTION_MONTHS as i32)).through(origin.prev()) {
            let o = t.offset(1 - h as i32);
            let (real, last) = (db.price(t)?, db.price(o.prev())?);
            model += (real - self.at(o, h)?).abs();
            naive += (real - last).abs();
        }
        Some(model / naive)
    }
}

/// A walk's forecasts' absolute log errors, each divided by the
/// [`volatility`] at its own origin: per horizon, by origin.
pub struct Errors {
    by_horizon: Vec<BTreeMap<Month, f64>>,
}

impl Errors {
    /// The errors at horizon `h` of the forecasts whose month was known
    /// before `origin`, oldest first (the most recent [`ERROR_ORIGINS`]).
    fn before(&self, origin: Month, h: u32) -> Vec<f64> {
        let Some(errors) = self.by_horizon.get(h as usize - 1) else { return Vec::new() };
        let mut out: Vec<f64> = errors.range(..=origin.offset(-(h as i32))).rev().map(|(_, e)| *e).take(ERROR_ORIGINS).collect();
        out.reverse();
        out
    }

    /// The walk's bands at `origin`, per horizon, from its own earlier
    /// errors ([`interval::bands`]), scaled by the [`volatility`] at `origin`.
    pub fn bands_before(&self, db: &Database, origin: Month) -> Vec<Option<HorizonBand>> {
        let Some(v) = volatility(db, origin) else { return vec![None; MAX_HORIZON as usize] };
        let errors: Vec<Vec<f64>> = (1..=MAX_HORIZON).map(|h| self.before(origin, h)).collect();
        interval::bands(&errors, v)
    }
}

/// Mean absolute monthly relative change over the year before `origin`:
/// how restless the price is. Errors are measured in units of it, so a band
/// made of calm years widens when the price gets restless, and the reverse.
pub fn volatility(db: &Database, origin: Month) -> Option<f64> {
    let mut total = 0.0;
    for t in origin.offset(-12).through(origin.prev()) {
        total += (db.price(t)? / db.price(t.prev())? - 1.0).abs();
    }
    (total > 0.0).then_some(total / 12.0)
}

/// One forecast scored out of sample.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The first month forecast (the fit saw only months before it).
    pub origin: Month,
    pub horizon: u32,
    pub month: Month,
    pub real: f64,
    pub predicted: f64,
    /// The last price before the origin.
    pub naive: f64,
    /// The price of the same month a year before.
    pub seasonal_naive: f64,
    pub band80: Option<Band>,
    pub band50: Option<Band>,
}

impl Row {
    /// The row for `month` forecast at `origin`, if its real price and both baselines are known.
    pub fn new(db: &Database, origin: Month, horizon: u32, predicted: f64, band: Option<HorizonBand>) -> Option<Row> {
        let month = origin.offset(horizon as i32 - 1);
        Some(Row {
            origin,
            horizon,
            month,
            real: db.price(month)?,
            predicted,
            naive: db.price(origin.prev())?,
            seasonal_naive: db.price(month.offset(-12))?,
            band80: band.map(|b| b.band80(predicted)),
            band50: band.map(|b| b.band50(predicted)),
        })
    }
}

/// `walk`'s rows at `origins`, banded by its own earlier `errors`.
pub fn rows(db: &Database, walk: &Walk, errors: &Errors, origins: impl Iterator<Item = Month>) -> Vec<Row> {
    let mut out = Vec::new();
    for origin in origins {
        let Some(path) = walk.paths.get(&origin) else { continue };
        let bands = errors.bands_before(db, origin);
        for (i, &p) in path.iter().enumerate() {
            out.extend(Row::new(db, origin, i as u32 + 1, p, bands.get(i).copied().flatten()));
        }
    }
    out
}

/// A forecaster's accuracy at one horizon, next to both baselines on the same rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HorizonScore {
    pub horizon: u32,
    pub n: usize,
    pub mae: f64,
    pub rmse: f64,
    pub naive_mae: f64,
    pub naive_rmse: f64,
    pub seasonal_naive_mae: f64,
    pub seasonal_naive_rmse: f64,
    /// MAE ÷ naive's MAE (below 1: better than naive).
    pub mae_over_naive: f64,
    pub mae_over_seasonal_naive: f64,
    /// Share of the rows with a band whose real price fell inside it.
    pub coverage80: Option<f64>,
    pub coverage50: Option<f64>,
    pub rows_with_band: usize,
    /// The median relative error, real ÷ forecast − 1 (above 0: the
    /// forecasts ran low). Absent from evaluations made before it was measured.
    #[serde(default)]
    pub median_error: Option<f64>,
    /// Mean interval (Winkler) score of the bands, CLP/litre ([`interval_score`]).
    #[serde(default)]
    pub interval_score80: Option<f64>,
    #[serde(default)]
    pub interval_score50: Option<f64>,
}

impl HorizonScore {
    /// One score per horizon present in `rows`.
    pub fn of(rows: &[Row]) -> Vec<HorizonScore> {
        (1..=MAX_HORIZON)
            .filter_map(|h| {
                let at: Vec<&Row> = rows.iter().filter(|r| r.horizon == h).collect();
                if at.is_empty() {
                    return None;
                }
                let col = |f: fn(&Row) -> f64| at.iter().map(|r| f(r)).collect::<Vec<f64>>();
                let real = col(|r| r.real);
                let (m, n, s) = (
                    Metrics::of(&real, &col(|r| r.predicted)),
                    Metrics::of(&real, &col(|r| r.naive)),
                    Metrics::of(&real, &col(|r| r.seasonal_naive)),
                );
                let coverage = |band: fn(&Row) -> Option<Band>, level: f64| {
                    let banded: Vec<(f64, Band)> = at.iter().filter_map(|r| Some((r.real, band(r)?))).collect();
                    let inside = banded.iter().filter(|(v, b)| b.contains(*v)).count();
                    let share = (!banded.is_empty()).then(|| inside as f64 / banded.len() as f64);
                    let score = (!banded.is_empty())
                        .then(|| banded.iter().map(|&(v, b)| interval_score(b, level, v)).sum::<f64>() / banded.len() as f64);
                    (share, banded.len(), score)
                };
                let (coverage80, rows_with_band, interval_score80) = coverage(|r| r.band80, LEVELS[0]);
                let (coverage50, _, interval_score50) = coverage(|r| r.band50, LEVELS[1]);
                let median_error = median(&mut at.iter().map(|r| error(r.real, r.predicted)).collect::<Vec<f64>>());
                Some(HorizonScore {
                    horizon: h,
                    n: at.len(),
                    mae: m.mae,
                    rmse: m.rmse,
                    naive_mae: n.mae,
                    naive_rmse: n.rmse,
                    seasonal_naive_mae: s.mae,
                    seasonal_naive_rmse: s.rmse,
                    mae_over_naive: m.mae / n.mae,
                    mae_over_seasonal_naive: m.mae / s.mae,
                    coverage80,
                    coverage50,
                    rows_with_band,
                    median_error,
                    interval_score80,
                    interval_score50,
                })
            })
            .collect()
    }
}

/// One-step forecasts and naive's over the same months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub model: Metrics,
    pub naive: Metrics,
    /// Months where the model's absolute error is below naive's.
    pub months_beating_naive: usize,
    /// Share of the months with an 80 % band whose real price fell inside it.
    pub coverage: Option<f64>,
    pub months_with_interval: usize,
    pub months_inside_interval: usize,
}

impl Comparison {
    /// Over `rows` (one per month; the caller picks the horizon).
    pub fn of(rows: &[Row]) -> Comparison {
        let real: Vec<f64> = rows.iter().map(|s| s.real).collect();
        let model: Vec<f64> = rows.iter().map(|s| s.predicted).collect();
        let naive: Vec<f64> = rows.iter().map(|s| s.naive).collect();
        let months_beating_naive = rows.iter().filter(|s| (s.real - s.predicted).abs() < (s.real - s.naive).abs()).count();
        let banded: Vec<(f64, Band)> = rows.iter().filter_map(|s| Some((s.real, s.band80?))).collect();
        let inside = banded.iter().filter(|(r, b)| b.contains(*r)).count();
        Comparison {
            model: Metrics::of(&real, &model),
            naive: Metrics::of(&real, &naive),
            months_beating_naive,
            coverage: (!banded.is_empty()).then(|| inside as f64 / banded.len() as f64),
            months_with_interval: banded.len(),
            months_inside_interval: inside,
        }
    }

    /// How much smaller the model's MAE is than naive's, in percent
    /// (negative: worse than naive) — the one "% better than naive" figure.
    pub fn gain_over_naive(&self) -> f64 {
        crate::fit::metrics::percent_below(self.model.mae / self.naive.mae)
    }
}

/// The first origin of the long backtest, or the first one the data allows.
pub fn first_origin(db: &Database, wanted: Month) -> Result<Month, FitError> {
    let first = db.milk_price.keys().next().copied().ok_or(FitError::TooFewRows { origin: wanted, rows: 0, needed: 1 })?;
    Ok(wanted.max(first.offset(WARM_UP as i32 + MAX_HORIZON as i32 + 36)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    #[test]
    fn rows_and_scores_compare_with_both_baselines() {
        let mut db = Database::default();
        for (i, mo) in m("2000-01").through(m("2001-12")).enumerate() {
            db.milk_price.insert(mo, vec![100.0 + i as f64]);
        }
        let mut walk = Walk { id: CandidateId::Naive, paths: BTreeMap::new(), how: BTreeMap::new() };
        walk.paths.insert(m("2001-06"), vec![130.0, 131.0]);
        let r = rows(&db, &walk, &walk.errors(&db), m("2001-06").through(m("2001-06")));
        assert_eq!(r.len(), 2);
        assert_eq!((r[1].month, r[1].real, r[1].naive, r[1].seasonal_naive), (m("2001-07"), 118.0, 116.0, 106.0));
        let s = HorizonScore::of(&r);
        assert_eq!(s[1].mae, 13.0);
        assert_eq!(s[1].mae_over_naive, 13.0 / 2.0);
        assert_eq!(s[1].coverage80, None);
        assert_eq!(walk.at(m("2001-06"), 2), Some(131.0));
    }

    /// A band at an origin reads only errors of forecasts whose month was
    /// known before it, the latest ERROR_ORIGINS of them, each in units of
    /// its own origin's restlessness.
    #[test]
    fn errors_before_an_origin_are_the_known_ones_scaled_by_their_origin() {
        let mut db = Database::default();
        let mut p = 100.0;
        for (i, mo) in m("1990-01").through(m("2001-12")).enumerate() {
            p *= if i % 2 == 0 { 1.02 } else { 0.99 };
            db.milk_price.insert(mo, vec![p]);
        }
        let mut walk = Walk { id: CandidateId::Naive, paths: BTreeMap::new(), how: BTreeMap::new() };
        for o in m("1992-01").through(m("2001-12")) {
            let last = db.price(o.prev()).expect("price");
            walk.paths.insert(o, vec![last; 3]);
        }
        let errors = walk.errors(&db);
        let origin = m("2001-01");
        let at3 = errors.before(origin, 3);
        assert_eq!(at3.len(), ERROR_ORIGINS);
        // The newest error at h = 3: the forecast made at 2000-10 for 2000-12, the month before the origin.
        let o = m("2000-10");
        let expect = log_error(db.price(o.offset(2)).expect("price"), walk.at(o, 3).expect("forecast")) / volatility(&db, o).expect("restless");
        assert_eq!(at3.last().copied(), Some(expect));
        assert_eq!(errors.before(origin, 1).len(), ERROR_ORIGINS);
        assert!(errors.before(origin, 4).is_empty(), "no forecast reaches 4 months");
        assert!(errors.bands_before(&db, origin)[..3].iter().all(Option::is_some));
    }
}
