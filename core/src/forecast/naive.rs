//! Forecasts without fitting: the two baselines every candidate must beat
//! and the seasonal-change rule.
//!
//! * naive: every horizon = the last price (what "no change" means to a buyer);
//! * seasonal naive: a month = the same month a year before;
//! * seasonal change: last price × last year's change over the same months
//!   (recursively, p̂ₘ = p̂ₘ₋₁ · pₘ₋₁₂ / pₘ₋₁₃), so a forecast follows last
//!   year's seasonal shape from today's level.

use super::{Candidate, CandidateId, Fit, FitError, Method};
use crate::month::Month;
use crate::tables::Database;

/// Months of history each rule reads before the month it forecasts.
pub const NAIVE_HISTORY: usize = 1;
pub const SEASONAL_HISTORY: usize = 12;
pub const SEASONAL_CHANGE_HISTORY: usize = 13;

/// One step of naive: the last price.
pub(crate) fn naive_step(h: &[f64]) -> f64 {
    h[h.len() - 1]
}

/// One step of seasonal naive: the price twelve months before.
pub(crate) fn seasonal_naive_step(h: &[f64]) -> f64 {
    h[h.len() - 12]
}

/// One step of the seasonal change: last price × the same month's change a year before.
pub(crate) fn seasonal_change_step(h: &[f64]) -> f64 {
    let n = h.len();
    h[n - 1] * (1.0 + (h[n - 12] / h[n - 13] - 1.0))
}

/// A rule: fitting only records that there is nothing to fit.
pub struct Rule(pub CandidateId);

impl Candidate for Rule {
    fn id(&self) -> CandidateId {
        self.0
    }

    fn fit(&self, _db: &Database, _origin: Month) -> Result<Fit, FitError> {
        let method = match self.0 {
            CandidateId::Naive => Method::Naive,
            CandidateId::SeasonalNaive => Method::SeasonalNaive,
            CandidateId::SeasonalChange => Method::SeasonalChange,
            other => {
                return Err(FitError::BadHyperParameters { candidate: other.label(), reason: "no es una regla sin ajuste".into() })
            }
        };
        Ok(Fit { method, trained_from: None, trained_to: None, trained_rows: 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_read_what_they_say() {
        let h: Vec<f64> = (1..=13).map(f64::from).collect();
        assert_eq!(naive_step(&h), 13.0);
        assert_eq!(seasonal_naive_step(&h), 2.0);
        assert_eq!(seasonal_change_step(&h), 13.0 * (1.0 + (2.0 / 1.0 - 1.0)));
    }
}
