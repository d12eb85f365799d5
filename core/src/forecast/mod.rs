//! Forecasting: every candidate behind one trait, the nested per-horizon
//! backtest that judges them, and the intervals.
//!
//! # The big picture
//!
//! A [`Candidate`] has its hyper-parameters (or grid) checked once when it
//! is built; [`Candidate::fit`] sees only the months strictly before an
//! `origin` and returns a [`Fit`] whose [`Method`] only forecasts:
//! [`Method::path`] gives the months `origin`, `origin + 1`, … — horizon 1
//! to [`MAX_HORIZON`]. The [`backtest`] fits every candidate at every
//! origin, and [`crate::protocol`] chooses among them with earlier errors
//! only. Imports run one way: protocol → backtest → candidates → features →
//! tables.
//!
//! # Horizons: recursive
//!
//! Every price-only rule forecasts one month from the prices before it;
//! horizon h feeds the forecasts of 1 … h−1 back as prices
//! ([`prices::recurse`]). Why not one model per horizon (direct): twelve
//! times the fits (the whole protocol must run in a browser tab in a few
//! seconds), twelve times fewer rows behind each choice at long horizons,
//! and a fan whose months come from unrelated models. MSTL forecasts its
//! horizons itself (its trend model is a state-space recursion). The
//! original pipeline stays one-step: its inputs for later months (rainfall,
//! Central Bank) do not exist.

pub mod backtest;
pub mod combination;
pub mod error;
pub mod interval;
pub mod mstl;
pub mod naive;
pub mod original;
pub mod price_change;
pub mod prices;
pub mod shrunk;

use serde::{Deserialize, Serialize};

pub use error::{CheckError, FitError, ForecastError, UseProblem};

use crate::features::{lag_names, predict_row, Inputs};
use crate::month::Month;
use crate::bounds::check_price;
use crate::pipeline::{Fitted, Hyper, MAX_DEGREE, MAX_TERMS};
use crate::poly::Poly;
use crate::tables::Database;
use mstl::MstlFit;
use price_change::{ChangeFit, ChangeHyper};
use shrunk::ShrunkParams;

/// The farthest month forecast: twelve months after the last price.
pub const MAX_HORIZON: u32 = 12;

/// The largest coefficient a stored ridge fit (the pipeline's, the price
/// change's) may have. Ridge's penalty bounds them: w = 0 is a candidate,
/// so α‖w‖² ≤ ‖y − ȳ‖², and every |w_j| ≤ (largest − smallest target) ·
/// √rows / √α. With targets from prices within their bounds (the price,
/// or its relative change), each grid's smallest α and no more rows than
/// writable months, that is under 4e7 (the test below derives it); 1e9
/// leaves room, and refuses what only a broken file holds (a coefficient of
/// 1e308 overflows any forecast).
pub const MAX_COEFFICIENT: f64 = 1e9;

/// A kind of forecaster, in the order that breaks ties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateId {
    /// The original pipeline on lag features of every source (one-step only).
    Original,
    /// Every horizon = the last price.
    Naive,
    /// A month = the same month a year before.
    SeasonalNaive,
    /// Last price × last year's change over the same months.
    SeasonalChange,
    /// Ridge on the price history, predicting the relative change.
    PriceChange,
    /// Half the ridge's change (its average with naive).
    HalfChange,
    /// λ × the mean same-month log change of K years + μ × last month's surprise.
    ShrunkSeasonal,
    /// MSTL + AutoETS (augurs) on prices.
    MstlLevel,
    /// MSTL + AutoETS (augurs) on log prices.
    MstlLog,
    /// The median of MSTL (log), the shrunk seasonal change and the ridge change.
    Median,
}

impl CandidateId {
    pub fn label(self) -> &'static str {
        match self {
            CandidateId::Original => "pipeline original (todas las fuentes, un mes)",
            CandidateId::Naive => "ingenuo (último precio)",
            CandidateId::SeasonalNaive => "ingenuo estacional (mismo mes del año anterior)",
            CandidateId::SeasonalChange => "cambio estacional (cambio del año anterior)",
            CandidateId::PriceChange => "cambio de precio (ridge, solo precios)",
            CandidateId::HalfChange => "mitad cambio, mitad ingenuo",
            CandidateId::ShrunkSeasonal => "cambio estacional suavizado (K años, λ, μ)",
            CandidateId::MstlLevel => "MSTL + AutoETS (augurs, niveles)",
            CandidateId::MstlLog => "MSTL + AutoETS (augurs, logaritmos)",
            CandidateId::Median => "mediana de MSTL (log), cambio suavizado y ridge",
        }
    }

    /// Forecasts only the month after its data.
    pub fn one_step_only(self) -> bool {
        self == CandidateId::Original
    }

    /// The candidate itself, its hyper-parameters checked.
    pub fn candidate(self) -> Result<Box<dyn Candidate>, FitError> {
        Ok(match self {
            CandidateId::Original => Box::new(original::Original),
            CandidateId::Naive | CandidateId::SeasonalNaive | CandidateId::SeasonalChange => Box::new(naive::Rule(self)),
            CandidateId::PriceChange => Box::new(price_change::PriceChange::new(self, 1.0)?),
            CandidateId::HalfChange => Box::new(price_change::PriceChange::new(self, 0.5)?),
            CandidateId::ShrunkSeasonal => Box::new(shrunk::Shrunk::new()?),
            CandidateId::MstlLevel => Box::new(mstl::Mstl { log: false }),
            CandidateId::MstlLog => Box::new(mstl::Mstl { log: true }),
            CandidateId::Median => Box::new(combination::Median::new(
                self,
                vec![CandidateId::MstlLog.candidate()?, CandidateId::ShrunkSeasonal.candidate()?, CandidateId::PriceChange.candidate()?],
            )?),
        })
    }
}

/// Every candidate tried, in tie-breaking order.
pub const CANDIDATES: [CandidateId; 10] = [
    CandidateId::Original,
    CandidateId::Naive,
    CandidateId::SeasonalNaive,
    CandidateId::SeasonalChange,
    CandidateId::PriceChange,
    CandidateId::HalfChange,
    CandidateId::ShrunkSeasonal,
    CandidateId::MstlLevel,
    CandidateId::MstlLog,
    CandidateId::Median,
];

/// A forecaster whose hyper-parameters were checked when it was built.
pub trait Candidate {
    fn id(&self) -> CandidateId;

    /// Fit on the data of months strictly before `origin` only: the result
    /// is the same whether or not later months exist (see `tests/no_leakage.rs`).
    fn fit(&self, db: &Database, origin: Month) -> Result<Fit, FitError>;

    /// Whether `db` holds the inputs of a forecast from `origin` (checked
    /// before fitting, so the backtest does not fit what cannot forecast).
    fn can_forecast(&self, _db: &Database, _origin: Month) -> bool {
        true
    }

    /// The candidates it combines (none for a single model).
    fn members(&self) -> Vec<CandidateId> {
        Vec::new()
    }
}

/// A candidate fitted before some origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub method: Method,
    /// Months the fit used; `None` for a rule without fitting.
    pub trained_from: Option<Month>,
    pub trained_to: Option<Month>,
    pub trained_rows: usize,
}

/// A fitted forecaster: everything it needs to forecast, and nothing that fits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The original pipeline on the lag features of every source (one-step).
    LagPipeline {
        /// Every lag-feature name, in column order (the pipeline's input).
        feature_names: Vec<String>,
        selected_names: Vec<String>,
        hyper: Hyper,
        pipeline: Fitted,
    },
    Naive,
    SeasonalNaive,
    SeasonalChange,
    /// Ridge on the price history ([`price_change`]).
    PriceChange { hyper: ChangeHyper, fit: ChangeFit },
    Shrunk(ShrunkParams),
    Mstl(MstlFit),
    /// The median of the members' forecasts.
    Median(Vec<Method>),
}

impl Method {
    /// Which candidate this is a fit of.
    pub fn candidate(&self) -> CandidateId {
        match self {
            Method::LagPipeline { .. } => CandidateId::Original,
            Method::Naive => CandidateId::Naive,
            Method::SeasonalNaive => CandidateId::SeasonalNaive,
            Method::SeasonalChange => CandidateId::SeasonalChange,
            Method::PriceChange { fit, .. } if fit.weight != 1.0 => CandidateId::HalfChange,
            Method::PriceChange { .. } => CandidateId::PriceChange,
            Method::Shrunk(_) => CandidateId::ShrunkSeasonal,
            Method::Mstl(f) if f.log => CandidateId::MstlLog,
            Method::Mstl(_) => CandidateId::MstlLevel,
            Method::Median(_) => CandidateId::Median,
        }
    }

    /// Months of price history one step of a price rule reads (`None`: not a price rule).
    fn history(&self) -> Option<usize> {
        match self {
            Method::Naive => Some(naive::NAIVE_HISTORY),
            Method::SeasonalNaive => Some(naive::SEASONAL_HISTORY),
            Method::SeasonalChange => Some(naive::SEASONAL_CHANGE_HISTORY),
            Method::PriceChange { .. } => Some(price_change::HISTORY),
            Method::Shrunk(p) => Some(p.history()),
            _ => None,
        }
    }

    /// Forecasts of `steps` months (at most [`MAX_HORIZON`]) from `origin`
    /// on, from the data before `origin`.
    pub fn path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<f64>, ForecastError> {
        let beyond = |month: Month, horizon: u32| ForecastError::BeyondHorizon {
            month,
            last_price: origin.prev(),
            horizon,
            max: MAX_HORIZON,
        };
        if steps > MAX_HORIZON {
            return Err(beyond(origin.offset(steps as i32 - 1), steps));
        }
        if let Some(need) = self.history() {
            let h = crate::forecast::prices::before(db, origin, need)?;
            return Ok(prices::recurse(h, origin, steps, |h, month| self.step(h, month)));
        }
        match self {
            Method::LagPipeline { pipeline, .. } => {
                if steps > 1 {
                    return Err(ForecastError::OneStepOnly { month: origin.next(), next: origin });
                }
                Ok(vec![pipeline.predict(&predict_row(db, Inputs::AllSources, origin)?)])
            }
            Method::Mstl(f) => {
                let anchor = f.origin();
                if origin < f.from {
                    return Err(ForecastError::BeforeModel { month: origin, first: f.from });
                }
                if origin < anchor {
                    // Inside the window: the in-sample one-step value (h = 1 only).
                    if steps > 1 {
                        return Err(ForecastError::OneStepOnly { month: origin.next(), next: origin });
                    }
                    let i = f.from.months_until(origin) as usize;
                    return Ok(f.fitted.get(i).copied().into_iter().collect());
                }
                let skip = anchor.months_until(origin) as usize;
                match f.path.get(skip..skip + steps as usize) {
                    Some(v) => Ok(v.to_vec()),
                    None => Err(ForecastError::BeyondHorizon {
                        month: origin.offset(steps as i32 - 1),
                        last_price: anchor.prev(),
                        horizon: skip as u32 + steps,
                        max: MAX_HORIZON,
                    }),
                }
            }
            Method::Median(members) => {
                let paths = members.iter().map(|m| m.path(db, origin, steps)).collect::<Result<Vec<_>, _>>()?;
                Ok((0..steps as usize)
                    .map(|s| {
                        let mut v: Vec<f64> = paths.iter().filter_map(|p| p.get(s).copied()).collect();
                        combination::median(&mut v).unwrap_or(f64::NAN)
                    })
                    .collect())
            }
            // Price rules returned above.
            _ => Err(beyond(origin, 0)),
        }
    }

    /// One step of a price rule from the prices `h` before `month`.
    fn step(&self, h: &[f64], month: Month) -> f64 {
        match self {
            Method::Naive => naive::naive_step(h),
            Method::SeasonalNaive => naive::seasonal_naive_step(h),
            Method::SeasonalChange => naive::seasonal_change_step(h),
            Method::PriceChange { fit, .. } => fit.step(h, month),
            Method::Shrunk(p) => p.step(h),
            _ => f64::NAN,
        }
    }

    /// The forecast of `month` and its horizon: one step from the data
    /// before it where those months have prices (horizon 1); after the last
    /// price, from the last price (horizon = months after it). An MSTL fit
    /// counts its horizon from its own last month.
    pub fn forecast_month(&self, db: &Database, month: Month) -> Result<(f64, u32), ForecastError> {
        match self {
            Method::LagPipeline { .. } => {
                if let Some(next) = db.last_price_month().map(Month::next) {
                    if month > next {
                        return Err(ForecastError::OneStepOnly { month, next });
                    }
                }
                Ok((self.path(db, month, 1)?.first().copied().unwrap_or(f64::NAN), 1))
            }
            Method::Mstl(f) => {
                let anchor = f.origin();
                if month < anchor {
                    return Ok((self.path(db, month, 1)?.first().copied().unwrap_or(f64::NAN), 1));
                }
                let horizon = anchor.months_until(month) as u32 + 1;
                let value = f.path.get(horizon as usize - 1).copied().ok_or(ForecastError::BeyondHorizon {
                    month,
                    last_price: anchor.prev(),
                    horizon,
                    max: MAX_HORIZON,
                })?;
                Ok((value, horizon))
            }
            Method::Median(members) => {
                let each = members.iter().map(|m| m.forecast_month(db, month)).collect::<Result<Vec<_>, _>>()?;
                let horizon = each.iter().map(|e| e.1).max().unwrap_or(1);
                let mut values: Vec<f64> = each.into_iter().map(|e| e.0).collect();
                Ok((combination::median(&mut values).unwrap_or(f64::NAN), horizon))
            }
            _ => {
                let origin = match db.last_price_month() {
                    Some(last) if month > last.next() => last.next(),
                    _ => month,
                };
                let horizon = origin.months_until(month) as u32 + 1;
                if horizon > MAX_HORIZON {
                    return Err(ForecastError::BeyondHorizon { month, last_price: origin.prev(), horizon, max: MAX_HORIZON });
                }
                let path = self.path(db, origin, horizon)?;
                Ok((path.last().copied().unwrap_or(f64::NAN), horizon))
            }
        }
    }

    /// The first month it can forecast with `db` (one step from the data before it).
    pub fn first_month(&self, db: &Database) -> Option<Month> {
        if let Some(need) = self.history() {
            return db.milk_price.keys().next().map(|m| m.offset(need as i32));
        }
        match self {
            Method::LagPipeline { .. } => db.joined().keys().next().map(|m| m.offset(3)),
            Method::Mstl(f) => Some(f.from),
            Method::Median(members) => members.iter().map(|m| m.first_month(db)).collect::<Option<Vec<_>>>()?.into_iter().max(),
            _ => None,
        }
    }

    /// What a forecast of month M reads, in plain Spanish.
    pub fn needs(&self) -> String {
        match self {
            Method::LagPipeline { .. } => Inputs::AllSources.describe().to_string(),
            Method::Mstl(f) => format!(
                "solo el precio de la leche: ajustado con los {} meses desde {}, pronostica hasta {MAX_HORIZON} meses después de {}; no usa precipitaciones ni Banco Central",
                f.fitted.len(),
                f.from,
                f.origin().prev()
            ),
            Method::Median(members) => {
                let months = members.iter().filter_map(Method::history).max().unwrap_or(0);
                format!(
                    "solo el precio de la leche (hasta {months} meses anteriores; el miembro MSTL, los meses con que se ajustó); no usa precipitaciones ni Banco Central"
                )
            }
            _ => format!(
                "solo el precio de la leche de los {} meses anteriores; no usa precipitaciones ni Banco Central",
                self.history().unwrap_or(0)
            ),
        }
    }

    /// The choices made in fitting, in words.
    pub fn describe(&self) -> String {
        match self {
            Method::LagPipeline { hyper: h, .. } => format!("alpha={}, grado={}, k={}", h.alpha, h.degree, h.k),
            Method::Naive => "último precio".into(),
            Method::SeasonalNaive => "mismo mes del año anterior".into(),
            Method::SeasonalChange => "sin parámetros".into(),
            Method::PriceChange { hyper, fit } if fit.weight != 1.0 => format!("{}, peso={}", hyper.describe(), fit.weight),
            Method::PriceChange { hyper, .. } => hyper.describe(),
            Method::Shrunk(p) => p.describe(),
            Method::Mstl(f) => format!(
                "{}, ventana de {} meses desde {}",
                if f.log { "en logaritmos" } else { "en niveles" },
                f.fitted.len(),
                f.from
            ),
            Method::Median(members) => {
                let parts: Vec<String> = members.iter().map(|m| format!("{} ({})", m.candidate().label(), m.describe())).collect();
                format!("mediana de: {}", parts.join("; "))
            }
        }
    }

    /// Every shape the forecasting code indexes on, checked for a model
    /// read from storage: after `Ok`, forecasting it cannot panic or loop.
    pub fn check(&self, model: &str) -> Result<(), CheckError> {
        let name = || model.to_string();
        let finite = |what: &'static str, values: &[f64]| -> Result<(), CheckError> {
            if values.iter().all(|v| v.is_finite()) {
                Ok(())
            } else {
                Err(CheckError::NotFinite { model: name(), what })
            }
        };
        let length = |what: &'static str, got: usize, expected: usize| -> Result<(), CheckError> {
            if got == expected {
                Ok(())
            } else {
                Err(CheckError::Length { model: name(), what, got, expected })
            }
        };
        let range = |what: &'static str, value: f64, min: f64, max: f64| -> Result<(), CheckError> {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(CheckError::OutOfRange { model: name(), what, value, min, max })
            }
        };
        let coefficients = |values: &[f64]| -> Result<(), CheckError> {
            finite("coef", values)?;
            match values.iter().find(|v| v.abs() > MAX_COEFFICIENT) {
                Some(&v) => range("coef", v, -MAX_COEFFICIENT, MAX_COEFFICIENT),
                None => Ok(()),
            }
        };
        let scaler = |s: &crate::scaler::Scaler| -> Result<(), CheckError> {
            finite("scaler", &s.mean)?;
            finite("scaler", &s.scale)?;
            if s.scale.iter().any(|&v| v <= 0.0) {
                return Err(CheckError::Shape { model: name(), reason: "una escala no es positiva".into() });
            }
            Ok(())
        };
        match self {
            Method::LagPipeline { feature_names, selected_names, hyper, pipeline } => {
                let width = lag_names(&Database::joined_names()).len();
                length("feature_names", feature_names.len(), width)?;
                range("degree", pipeline.degree as f64, 1.0, MAX_DEGREE as f64)?;
                // Counted before anything is read element by element: a
                // pipeline's cost grows with its terms, not its file size.
                let inputs = pipeline.selected.len();
                let terms = match (Poly { inputs, degree: pipeline.degree }).columns() {
                    Some(t) if t <= MAX_TERMS => t,
                    terms => {
                        return Err(CheckError::TooManyTerms { model: name(), inputs, degree: pipeline.degree, terms, max: MAX_TERMS })
                    }
                };
                length("selected_names", selected_names.len(), inputs)?;
                if let Some(&bad) = pipeline.selected.iter().find(|&&j| j >= width) {
                    return Err(CheckError::UnknownFeature { model: name(), index: bad, names: width });
                }
                length("scaler.mean", pipeline.scaler.mean.len(), inputs)?;
                length("scaler.scale", pipeline.scaler.scale.len(), inputs)?;
                length("coef", pipeline.coef.len(), terms)?;
                coefficients(&pipeline.coef)?;
                finite("intercept", &[pipeline.intercept, hyper.alpha])?;
                scaler(&pipeline.scaler)?;
            }
            Method::Naive | Method::SeasonalNaive | Method::SeasonalChange => {}
            Method::PriceChange { hyper, fit } => {
                length("coef", fit.coef.len(), price_change::WIDTH)?;
                length("scaler.mean", fit.scaler.mean.len(), price_change::WIDTH)?;
                length("scaler.scale", fit.scaler.scale.len(), price_change::WIDTH)?;
                coefficients(&fit.coef)?;
                scaler(&fit.scaler)?;
                finite("intercept", &[fit.intercept, hyper.alpha])?;
                range("weight", fit.weight, 0.0, 1.0)?;
            }
            Method::Shrunk(p) => {
                range("years", p.years as f64, 1.0, shrunk::MAX_YEARS as f64)?;
                range("shrink", p.shrink, 0.0, 1.0)?;
                range("momentum", p.momentum, 0.0, 1.0)?;
            }
            Method::Mstl(f) => {
                range("fitted", f.fitted.len() as f64, 1.0, 1200.0)?;
                length("path", f.path.len(), MAX_HORIZON as usize)?;
                // Stored forecasts are forecast as they are: each must be a price.
                for (what, values) in [("fitted", &f.fitted), ("path", &f.path)] {
                    for (i, &value) in values.iter().enumerate() {
                        if let Err(problem) = check_price(value) {
                            return Err(CheckError::Price { model: name(), what, position: i + 1, value, problem });
                        }
                    }
                }
            }
            Method::Median(members) => {
                range("members", members.len() as f64, 2.0, CANDIDATES.len() as f64)?;
                for m in members {
                    if matches!(m, Method::Median(_) | Method::LagPipeline { .. }) {
                        return Err(CheckError::Shape { model: name(), reason: "una mediana combina solo modelos de precios".into() });
                    }
                    m.check(model)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coefficient_bound_holds_every_ridge_fit_the_trainer_can_make() {
        use crate::bounds::PRICE;
        let first = Month::new(1000, 1).expect("first writable month");
        let last = Month::new(9999, 12).expect("last writable month");
        let rows = f64::from(first.months_until(last) + 1);
        let smallest = |alphas: &[f64]| alphas.iter().copied().fold(f64::INFINITY, f64::min);
        // The pipeline predicts the price; the price-change ridge its relative change.
        let pipeline = (PRICE.max - PRICE.min) * rows.sqrt() / smallest(&crate::pipeline::GRID_ALPHA).sqrt();
        let change = (PRICE.max / PRICE.min - PRICE.min / PRICE.max) * rows.sqrt() / smallest(&price_change::ALPHAS).sqrt();
        assert!(pipeline.max(change) < 4e7 && 4e7 < MAX_COEFFICIENT, "{pipeline} {change}");
    }

    #[test]
    fn every_candidate_builds_with_checked_hyper_parameters() {
        for id in CANDIDATES {
            let c = id.candidate().expect("valid hyper-parameters");
            assert_eq!(c.id(), id);
        }
    }
}
