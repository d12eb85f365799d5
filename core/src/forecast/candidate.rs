//! A candidate before fitting (its hyper-parameters or grid checked once)
//! and what fitting it before an origin gives.

use super::{CandidateId, FitError, Method};
use crate::data::month::Month;
use crate::data::tables::Database;

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
