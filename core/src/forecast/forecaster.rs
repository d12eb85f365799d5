//! What a fitted form does: forecast, explain, describe and check itself. A
//! price rule says only how it steps (and why); [`super::prices`] makes it a
//! [`Forecaster`].

use std::any::Any;

use super::explanation::{Explanation, Step};
use super::{CandidateId, CheckError, ForecastError, MAX_HORIZON};
use crate::forecast::features::Inputs;
use crate::data::month::Month;
use crate::data::tables::Database;

/// What every fitted form says about itself, however it forecasts.
pub trait Form {
    /// Which candidate it is a fit of.
    fn candidate(&self) -> CandidateId;
    /// The choices made in fitting, in words. Out of the trait object
    /// (`Self: Sized`; [`super::Method::describe`] calls it on the form
    /// itself), as the explanations: the home page's wasm, which forecasts
    /// through `dyn Forecaster`, never describes a fit.
    fn describe(&self) -> String
    where
        Self: Sized;
    /// Every shape its forecasting indexes on, checked for a form read from
    /// storage: after `Ok`, forecasting it cannot panic or loop.
    fn check(&self, model: &str) -> Result<(), CheckError>;
}

/// A fitted form that forecasts: a [`PriceRule`] through the recursion
/// ([`super::prices`]), any other form its own way. `Any` lets a view of one
/// form's numbers ([`super::Method::form`]) find it without a match on [`super::Method`].
pub trait Forecaster: Form + Any {
    /// Forecasts of `steps` months (at most [`MAX_HORIZON`]) from `origin`
    /// on, from the data before `origin`.
    fn path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<f64>, ForecastError>;
    /// The forecast of `month` and its horizon: one step from the data
    /// before it where those months have data (horizon 1); after them,
    /// from the last (horizon = months after it).
    fn forecast_month(&self, db: &Database, month: Month) -> Result<(f64, u32), ForecastError>;
    /// [`Forecaster::path`]'s arithmetic: a step per month, whose
    /// [`Step::value`] is that month's forecast to the bit. Out of the
    /// trait object (`Self: Sized`; [`super::Method::explain_path`] calls it
    /// on the form itself): a module that only forecasts through
    /// `dyn Forecaster`, the home page's, then links no explanation code.
    fn explain_path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<Step>, ForecastError>
    where
        Self: Sized;
    /// [`Forecaster::forecast_month`]'s arithmetic: the steps from its
    /// origin to `month` (or the month's own step), whose last value is the
    /// forecast. Out of the trait object, as [`Forecaster::explain_path`].
    fn explain_month(&self, db: &Database, month: Month) -> Result<Explanation, ForecastError>
    where
        Self: Sized;
    /// The first month it can forecast with `db` (one step from the data before it).
    fn first_month(&self, db: &Database) -> Option<Month>;
    /// What a forecast of month M reads, in plain Spanish.
    fn needs(&self) -> String;
    /// The tables a forecast reads.
    fn inputs(&self) -> Inputs;
    /// Months of price history one step reads: `Some` for a price rule only.
    fn rule_history(&self) -> Option<usize>;
}

/// A price rule: one month from the prices before it. Its horizons, first
/// month and needs follow from these two ([`super::prices`] implements
/// [`Forecaster`] for every rule).
pub trait PriceRule: Form + Any {
    /// Months of price history one step reads.
    fn history(&self) -> usize;
    /// One step from the prices `h` (oldest first, at least
    /// [`PriceRule::history`]) before `month`.
    fn step(&self, h: &[f64], month: Month) -> f64;
    /// [`PriceRule::step`]'s arithmetic on the same history, from the price
    /// it starts from (its base, taken as published: the recursion marks the
    /// bases that are its own forecasts).
    fn explain(&self, h: &[f64], month: Month) -> Step;
}

/// `steps` past [`MAX_HORIZON`] refused, as every form's path does first.
pub(super) fn within_horizon(origin: Month, steps: u32) -> Result<(), ForecastError> {
    if steps > MAX_HORIZON {
        return Err(ForecastError::BeyondHorizon { month: origin.offset(steps as i32 - 1), last_price: origin.prev(), horizon: steps, max: MAX_HORIZON });
    }
    Ok(())
}
