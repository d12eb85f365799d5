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
//! # Each fitted form forecasts itself
//!
//! A [`Method`] is the stored (serde) shape of a fit; the fitted form inside
//! it forecasts, describes and checks itself ([`Forecaster`]), in its
//! candidate's own file, and `Method` only names which form it holds
//! ([`Method::forecaster`]). A new candidate touches three places:
//!
//! 1. its file: the [`Candidate`] that fits, and the fitted form with its
//!    [`Form`] and either [`PriceRule`] (one step; horizons recurse) or
//!    [`Forecaster`] (it forecasts its horizons itself);
//! 2. one [`Method`] variant holding that form, and its line in
//!    `with_form!` (what [`Method::forecaster`] and the explanations read);
//! 3. the registry: its [`CandidateId`] (with its label), its constructor in
//!    [`CandidateId::candidate`] and its place in [`CANDIDATES`].
//!
//! # Each fitted form explains itself
//!
//! Beside its forecast, a form gives the arithmetic that makes it
//! ([`Forecaster::explain_path`], [`PriceRule::explain`]): parts with
//! values that recompose the forecast to the bit ([`explanation`]). A new
//! candidate's file brings its explanation with its forecast.
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
mod candidate;
pub mod combination;
pub mod error;
pub mod explanation;
pub mod features;
mod forecaster;
pub mod interval;
pub mod mstl;
pub mod naive;
pub mod original;
pub mod price_change;
pub mod prices;
pub mod seasonal_drift;
pub mod shape;
pub mod shrunk;
pub mod theta;

use std::any::Any;

use serde::{Deserialize, Serialize};

pub use candidate::{Candidate, Fit};
pub use error::{CheckError, FitError, ForecastError, UseProblem};
pub use forecaster::{Forecaster, Form, PriceRule};
use forecaster::within_horizon;

use crate::forecast::features::Inputs;
use crate::data::month::Month;
use crate::data::tables::Database;
use combination::MedianFit;
use mstl::MstlFit;
use original::LagPipeline;
use price_change::ChangeModel;
use seasonal_drift::DriftRule;
use shrunk::ShrunkParams;
use theta::ThetaFit;

/// The farthest month forecast: twelve months after the last price.
pub const MAX_HORIZON: u32 = 12;

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
    /// In logs: each month's usual seasonal change plus the 20-year drift.
    SeasonalDrift,
    /// SES with half the linear trend on the seasonally adjusted log price.
    Theta,
    /// MSTL + AutoETS with a damped trend (augurs) on log prices.
    MstlDamped,
    /// The median of the three that carry a drift: seasonal drift, Theta, damped ETS.
    DriftMedian,
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
            CandidateId::SeasonalDrift => "cambio estacional con deriva (20 años)",
            CandidateId::Theta => "método Theta (logaritmos, 20 años)",
            CandidateId::MstlDamped => "MSTL + ETS de tendencia amortiguada (augurs, logaritmos)",
            CandidateId::DriftMedian => "mediana de deriva estacional, Theta y ETS amortiguado",
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
            CandidateId::Naive => Box::new(naive::Rule(Method::Naive)),
            CandidateId::SeasonalNaive => Box::new(naive::Rule(Method::SeasonalNaive)),
            CandidateId::SeasonalChange => Box::new(naive::Rule(Method::SeasonalChange)),
            CandidateId::PriceChange => Box::new(price_change::PriceChange::new(self, 1.0)?),
            CandidateId::HalfChange => Box::new(price_change::PriceChange::new(self, 0.5)?),
            CandidateId::ShrunkSeasonal => Box::new(shrunk::Shrunk::new()?),
            CandidateId::MstlLevel => Box::new(mstl::Mstl { log: false, damped: false }),
            CandidateId::MstlLog => Box::new(mstl::Mstl { log: true, damped: false }),
            CandidateId::MstlDamped => Box::new(mstl::Mstl { log: true, damped: true }),
            CandidateId::SeasonalDrift => Box::new(seasonal_drift::SeasonalDrift),
            CandidateId::Theta => Box::new(theta::Theta),
            CandidateId::Median | CandidateId::DriftMedian => {
                let members = self.members().iter().map(|m| m.candidate()).collect::<Result<Vec<_>, _>>()?;
                Box::new(combination::Median::new(self, members)?)
            }
        })
    }

    /// The candidates a combination takes the median of (none for a single model).
    pub fn members(self) -> &'static [CandidateId] {
        match self {
            CandidateId::Median => &[CandidateId::MstlLog, CandidateId::ShrunkSeasonal, CandidateId::PriceChange],
            CandidateId::DriftMedian => &[CandidateId::SeasonalDrift, CandidateId::Theta, CandidateId::MstlDamped],
            _ => &[],
        }
    }
}

/// Every candidate tried, in tie-breaking order.
pub const CANDIDATES: [CandidateId; 14] = [
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
    CandidateId::SeasonalDrift,
    CandidateId::Theta,
    CandidateId::MstlDamped,
    CandidateId::DriftMedian,
];

/// A fitted forecaster: everything it needs to forecast, and nothing that
/// fits. The variants' JSON is the artifacts' (externally tagged; a newtype
/// of a struct reads as the struct variant it replaced).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The original pipeline on the lag features of every source (one-step).
    LagPipeline(LagPipeline),
    Naive,
    SeasonalNaive,
    SeasonalChange,
    /// Ridge on the price history ([`price_change`]).
    PriceChange(ChangeModel),
    Shrunk(ShrunkParams),
    Mstl(MstlFit),
    /// The median of the members' forecasts.
    Median(MedianFit),
    SeasonalDrift(DriftRule),
    Theta(ThetaFit),
}

/// `$body` with `$f` bound to the fitted form `$method` holds: the one
/// place every variant is named. A macro rather than only
/// [`Method::forecaster`]'s `&dyn Forecaster`, so that what is kept out of
/// the trait object (the explanations, the description) is called on the
/// form itself, and linked only where it is called.
macro_rules! with_form {
    ($method:expr, $f:ident => $body:expr) => {
        match $method {
            Method::LagPipeline($f) => $body,
            Method::Naive => {
                let $f = &naive::Naive;
                $body
            }
            Method::SeasonalNaive => {
                let $f = &naive::SeasonalNaive;
                $body
            }
            Method::SeasonalChange => {
                let $f = &naive::SeasonalChange;
                $body
            }
            Method::PriceChange($f) => $body,
            Method::Shrunk($f) => $body,
            Method::Mstl($f) => $body,
            Method::Median($f) => $body,
            Method::SeasonalDrift($f) => $body,
            Method::Theta($f) => $body,
        }
    };
}

impl Method {
    /// The fitted form it holds.
    pub fn forecaster(&self) -> &dyn Forecaster {
        with_form!(self, f => f as &dyn Forecaster)
    }

    /// The fitted form as its own type, if it is a `F` (a view of its numbers).
    pub fn form<F: Forecaster>(&self) -> Option<&F> {
        (self.forecaster() as &dyn Any).downcast_ref()
    }

    pub fn candidate(&self) -> CandidateId {
        self.forecaster().candidate()
    }

    pub fn path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<f64>, ForecastError> {
        self.forecaster().path(db, origin, steps)
    }

    pub fn forecast_month(&self, db: &Database, month: Month) -> Result<(f64, u32), ForecastError> {
        self.forecaster().forecast_month(db, month)
    }

    /// The arithmetic of [`Method::forecast_month`].
    pub fn explain_month(&self, db: &Database, month: Month) -> Result<explanation::Explanation, ForecastError> {
        with_form!(self, f => f.explain_month(db, month))
    }

    /// The arithmetic of [`Method::path`].
    pub fn explain_path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<explanation::Step>, ForecastError> {
        with_form!(self, f => f.explain_path(db, origin, steps))
    }

    pub fn first_month(&self, db: &Database) -> Option<Month> {
        self.forecaster().first_month(db)
    }

    pub fn needs(&self) -> String {
        self.forecaster().needs()
    }

    pub fn inputs(&self) -> Inputs {
        self.forecaster().inputs()
    }

    pub fn describe(&self) -> String {
        with_form!(self, f => f.describe())
    }

    pub fn check(&self, model: &str) -> Result<(), CheckError> {
        self.forecaster().check(model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_candidate_builds_with_checked_hyper_parameters() {
        for id in CANDIDATES {
            let c = id.candidate().expect("valid hyper-parameters");
            assert_eq!(c.id(), id);
        }
    }

    /// Unit variants are strings, newtype variants the struct variants they
    /// replaced, the median a bare list: the artifacts' and backups' JSON.
    #[test]
    fn every_variant_keeps_its_stored_shape() {
        let median = Method::Median(MedianFit { members: vec![Method::Naive, Method::SeasonalChange] });
        assert_eq!(serde_json::to_string(&median).expect("json"), r#"{"median":["naive","seasonal_change"]}"#);
        let change = r#"{"price_change":{"hyper":{"alpha":1.0,"window":null},"fit":{"scaler":{"mean":[],"scale":[]},"coef":[],"intercept":0.0,"weight":0.5}}}"#;
        let read: Method = serde_json::from_str(change).expect("price change");
        assert_eq!((read.candidate(), serde_json::to_string(&read).expect("json")), (CandidateId::HalfChange, change.to_string()));
    }
}
