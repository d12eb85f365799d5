//! Forecasts without fitting: the two baselines every candidate must beat
//! and the seasonal-change rule.
//!
//! * naive: every horizon = the last price (what "no change" means to a buyer);
//! * seasonal naive: a month = the same month a year before;
//! * seasonal change: last price × last year's change over the same months
//!   (recursively, p̂ₘ = p̂ₘ₋₁ · pₘ₋₁₂ / pₘ₋₁₃), so a forecast follows last
//!   year's seasonal shape from today's level.
//!
//! Each rule is a unit struct (nothing is fitted): its [`Method`] variant
//! stores nothing but its name.

use super::explanation::{Base, Link, Part, Step};
use super::{Candidate, CandidateId, CheckError, Fit, FitError, Form, Method, PriceRule};
use crate::data::month::Month;
use crate::data::tables::Database;

/// Every horizon = the last price.
pub struct Naive;

/// A month = the same month a year before.
pub struct SeasonalNaive;

/// Last price × the same month's change a year before.
pub struct SeasonalChange;

impl Form for Naive {
    fn candidate(&self) -> CandidateId {
        CandidateId::Naive
    }

    fn describe(&self) -> String {
        "último precio".into()
    }

    /// Nothing stored, nothing to check.
    fn check(&self, _model: &str) -> Result<(), CheckError> {
        Ok(())
    }
}

impl PriceRule for Naive {
    fn history(&self) -> usize {
        1
    }

    fn step(&self, h: &[f64], _month: Month) -> f64 {
        h[h.len() - 1]
    }

    fn explain(&self, h: &[f64], month: Month) -> Step {
        Step { month, base: Some(Base::back(h, 1, month)), parts: Vec::new(), link: Link::Same }
    }
}

impl Form for SeasonalNaive {
    fn candidate(&self) -> CandidateId {
        CandidateId::SeasonalNaive
    }

    fn describe(&self) -> String {
        "mismo mes del año anterior".into()
    }

    /// Nothing stored, nothing to check.
    fn check(&self, _model: &str) -> Result<(), CheckError> {
        Ok(())
    }
}

impl PriceRule for SeasonalNaive {
    fn history(&self) -> usize {
        12
    }

    fn step(&self, h: &[f64], _month: Month) -> f64 {
        h[h.len() - 12]
    }

    fn explain(&self, h: &[f64], month: Month) -> Step {
        Step { month, base: Some(Base::back(h, 12, month)), parts: Vec::new(), link: Link::Same }
    }
}

impl Form for SeasonalChange {
    fn candidate(&self) -> CandidateId {
        CandidateId::SeasonalChange
    }

    fn describe(&self) -> String {
        "sin parámetros".into()
    }

    /// Nothing stored, nothing to check.
    fn check(&self, _model: &str) -> Result<(), CheckError> {
        Ok(())
    }
}

impl PriceRule for SeasonalChange {
    fn history(&self) -> usize {
        13
    }

    fn step(&self, h: &[f64], _month: Month) -> f64 {
        let n = h.len();
        h[n - 1] * (1.0 + (h[n - 12] / h[n - 13] - 1.0))
    }

    fn explain(&self, h: &[f64], month: Month) -> Step {
        let n = h.len();
        Step { month, base: Some(Base::back(h, 1, month)), parts: vec![(Part::LastYear, h[n - 12] / h[n - 13] - 1.0)], link: Link::Change { weight: 1.0 } }
    }
}

/// A rule as a candidate: fitting only records that there is nothing to fit.
pub struct Rule(pub Method);

impl Candidate for Rule {
    fn id(&self) -> CandidateId {
        self.0.candidate()
    }

    fn fit(&self, _db: &Database, _origin: Month) -> Result<Fit, FitError> {
        Ok(Fit { method: self.0.clone(), trained_from: None, trained_to: None, trained_rows: 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_read_what_they_say() {
        let h: Vec<f64> = (1..=13).map(f64::from).collect();
        let month = Month::new(2020, 1).expect("month");
        assert_eq!(Naive.step(&h, month), 13.0);
        assert_eq!(SeasonalNaive.step(&h, month), 2.0);
        assert_eq!(SeasonalChange.step(&h, month), 13.0 * (1.0 + (2.0 / 1.0 - 1.0)));
    }
}
