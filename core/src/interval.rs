//! 80% prediction intervals from out-of-sample errors.
//!
//! A model's interval is the 10% and 90% empirical quantiles of its own
//! walk-forward *relative* errors (real / predicted − 1) over the months
//! before the ones it forecasts, applied to the forecast. Relative, because
//! the price went from tens of pesos in 1980 to hundreds today: a fixed
//! width in pesos would be absurd at one end or the other. No distributional
//! assumption: if the errors were skewed, so is the interval. Quantiles interpolate linearly
//! between order statistics (NumPy's default), with IEEE-exact operations
//! only, so the browser computes the same bounds.

use serde::{Deserialize, Serialize};

/// Coverage the interval aims at.
pub const LEVEL: f64 = 0.8;
/// Errors looked at: the most recent this many months (four years: 24 gave
/// visibly noisier 10%/90% quantiles for the price-only candidates).
pub const ERROR_MONTHS: usize = 48;
/// Fewest errors an interval is built from; with fewer there is none.
pub const MIN_ERRORS: usize = 12;

/// Relative offsets from the forecast to the bounds of its 80% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound = forecast × (1 + `below`) (the 10% relative-error quantile, usually negative).
    pub below: f64,
    /// Upper bound = forecast × (1 + `above`) (the 90% relative-error quantile).
    pub above: f64,
    /// How many out-of-sample errors it was estimated from.
    pub errors: usize,
}

impl Interval {
    /// From out-of-sample relative errors (real / predicted − 1), oldest first; the most
    /// recent [`ERROR_MONTHS`] are used. `None` with fewer than [`MIN_ERRORS`].
    pub fn from_errors(errors: &[f64]) -> Option<Interval> {
        let recent = &errors[errors.len().saturating_sub(ERROR_MONTHS)..];
        if recent.len() < MIN_ERRORS || recent.iter().any(|e| !e.is_finite()) {
            return None;
        }
        let mut sorted = recent.to_vec();
        sorted.sort_by(f64::total_cmp);
        let tail = (1.0 - LEVEL) / 2.0;
        Some(Interval { below: quantile(&sorted, tail), above: quantile(&sorted, 1.0 - tail), errors: sorted.len() })
    }

    /// The bounds around `predicted`.
    pub fn around(&self, predicted: f64) -> (f64, f64) {
        (predicted * (1.0 + self.below), predicted * (1.0 + self.above))
    }

    /// The relative error of one forecast, as [`Interval::from_errors`] takes it.
    pub fn error(real: f64, predicted: f64) -> f64 {
        real / predicted - 1.0
    }
}

/// Quantile `q` of sorted, non-empty values, interpolating linearly.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let frac = pos - lo as f64;
    sorted[lo] + (sorted[hi] - sorted[lo]) * frac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.quantile(range(1, 12), [0.1, 0.9]) = [2.0, 10.0]
        let e: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(quantile(&e, 0.1), 2.0);
        assert_eq!(quantile(&e, 0.9), 10.0);
        // numpy.quantile([0, 10], 0.25) = 2.5
        assert_eq!(quantile(&[0.0, 10.0], 0.25), 2.5);
    }

    #[test]
    fn too_few_errors_give_no_interval_and_only_recent_ones_count() {
        assert!(Interval::from_errors(&[1.0; 11]).is_none());
        let mut e = vec![1000.0; 30];
        e.extend((0..ERROR_MONTHS).map(|v| v as f64));
        let i = Interval::from_errors(&e).expect("interval");
        assert_eq!(i.errors, ERROR_MONTHS);
        assert!(i.above < ERROR_MONTHS as f64 && i.below >= 0.0);
        assert_eq!(i.around(100.0), (100.0 * (1.0 + i.below), 100.0 * (1.0 + i.above)));
        assert_eq!(Interval::error(110.0, 100.0), 110.0 / 100.0 - 1.0);
    }
}
