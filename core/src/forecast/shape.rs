//! The checks a fitted form read from storage runs on its numbers, each
//! naming the model: shared so that every form refuses a bad length, a
//! non-finite or out-of-range value the same way, in the same words.

use super::CheckError;
use crate::fit::scaler::Scaler;

/// The largest coefficient a stored ridge fit (the pipeline's, the price
/// change's) may have. Ridge's penalty bounds them: w = 0 is a candidate,
/// so α‖w‖² ≤ ‖y − ȳ‖², and every |w_j| ≤ (largest − smallest target) ·
/// √rows / √α. With targets from prices within their bounds (the price,
/// or its relative change), each grid's smallest α and no more rows than
/// writable months, that is under 4e7 (the test below derives it); 1e9
/// leaves room, and refuses what only a broken file holds (a coefficient of
/// 1e308 overflows any forecast).
pub const MAX_COEFFICIENT: f64 = 1e9;

/// The checks of one stored model's form.
#[derive(Clone, Copy)]
pub struct Shape<'a> {
    pub model: &'a str,
}

impl Shape<'_> {
    pub fn name(self) -> String {
        self.model.to_string()
    }

    pub fn finite(self, what: &'static str, values: &[f64]) -> Result<(), CheckError> {
        if values.iter().all(|v| v.is_finite()) {
            Ok(())
        } else {
            Err(CheckError::NotFinite { model: self.name(), what })
        }
    }

    pub fn length(self, what: &'static str, got: usize, expected: usize) -> Result<(), CheckError> {
        if got == expected {
            Ok(())
        } else {
            Err(CheckError::Length { model: self.name(), what, got, expected })
        }
    }

    pub fn range(self, what: &'static str, value: f64, min: f64, max: f64) -> Result<(), CheckError> {
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err(CheckError::OutOfRange { model: self.name(), what, value, min, max })
        }
    }

    /// Ridge coefficients: finite and within [`MAX_COEFFICIENT`].
    pub fn coefficients(self, values: &[f64]) -> Result<(), CheckError> {
        self.finite("coef", values)?;
        match values.iter().find(|v| v.abs() > MAX_COEFFICIENT) {
            Some(&v) => self.range("coef", v, -MAX_COEFFICIENT, MAX_COEFFICIENT),
            None => Ok(()),
        }
    }

    /// A standardiser: finite means, finite positive scales.
    pub fn scaler(self, s: &Scaler) -> Result<(), CheckError> {
        self.finite("scaler", &s.mean)?;
        self.finite("scaler", &s.scale)?;
        if s.scale.iter().any(|&v| v <= 0.0) {
            return Err(CheckError::Shape { model: self.name(), reason: "una escala no es positiva".into() });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::price_change;
    use crate::data::month::Month;

    #[test]
    fn the_coefficient_bound_holds_every_ridge_fit_the_trainer_can_make() {
        use crate::data::bounds::PRICE;
        let first = Month::new(1000, 1).expect("first writable month");
        let last = Month::new(9999, 12).expect("last writable month");
        let rows = f64::from(first.months_until(last) + 1);
        let smallest = |alphas: &[f64]| alphas.iter().copied().fold(f64::INFINITY, f64::min);
        // The pipeline predicts the price; the price-change ridge its relative change.
        let pipeline = (PRICE.max - PRICE.min) * rows.sqrt() / smallest(&crate::fit::pipeline::GRID_ALPHA).sqrt();
        let change = (PRICE.max / PRICE.min - PRICE.min / PRICE.max) * rows.sqrt() / smallest(&price_change::ALPHAS).sqrt();
        assert!(pipeline.max(change) < 4e7 && 4e7 < MAX_COEFFICIENT, "{pipeline} {change}");
    }
}
