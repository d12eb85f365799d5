//! Prediction intervals per horizon from out-of-sample errors.
//!
//! The band at horizon h is made of the relative errors (real ÷ forecast,
//! minus one) of the same forecaster at the same horizon, over the most recent
//! [`ERROR_ORIGINS`] origins whose h-month-ahead month was known at the
//! origin — nothing the origin could not have seen. The 80 % band spans
//! their 10 % and 90 % quantiles, the 50 % band 25 % and 75 %. Relative,
//! because the price went from tens of pesos in 1980 to hundreds today. No
//! distributional assumption; quantiles interpolate linearly between order
//! statistics (NumPy's default) with IEEE-exact operations only, so the
//! browser computes the same bounds.
//!
//! Two corrections, because four years of errors describe four years of
//! weather and markets and a calmer or wilder stretch makes them too narrow
//! or too wide (measured: 67–78 % coverage of the nominal 80 % with the raw
//! quantiles). Errors are taken in units of the price's restlessness at
//! their origin and scaled back by today's
//! ([`crate::forecast::backtest::volatility`]). Then each band is widened or
//! narrowed by a factor from [`WIDTHS`]: the
//! smallest with which the same kind of band, at the same horizon, would
//! have held the real price at its nominal rate over the
//! [`CALIBRATION_ORIGINS`] latest origins whose month was known — again
//! nothing the origin could not have seen (an adaptive, split-conformal
//! style correction).

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Errors looked at per horizon: the most recent this many origins.
pub const ERROR_ORIGINS: usize = 48;
/// Fewest errors a band is built from; with fewer there is none.
pub const MIN_ERRORS: usize = 12;
/// Past bands each calibration looks at (per horizon).
pub const CALIBRATION_ORIGINS: usize = 48;
/// Factors a band's offsets may be scaled by, narrowest first.
pub const WIDTHS: [f64; 12] = [0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.7, 1.9, 2.2, 2.5];
/// Nominal coverage of the two bands.
pub const LEVELS: [f64; 2] = [0.8, 0.5];

/// Bounds around one forecast.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub lower: f64,
    pub upper: f64,
}

impl Band {
    /// The band from `a` to `b`, in order. Offsets are relative to the
    /// forecast, so a negative forecast (the replica extrapolates to one on
    /// odd data) turns them around: its band is still the interval between
    /// them, and the 50 % one still nests inside the 80 % one.
    pub fn between(a: f64, b: f64) -> Band {
        if b < a {
            Band { lower: b, upper: a }
        } else {
            Band { lower: a, upper: b }
        }
    }

    pub fn contains(&self, v: f64) -> bool {
        self.lower <= v && v <= self.upper
    }
}

/// Relative offsets of the 80 % and 50 % bands at one horizon.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HorizonBand {
    pub horizon: u32,
    /// Lower bound = forecast × (1 + `below80`) (the 10 % quantile of the relative errors).
    pub below80: f64,
    pub above80: f64,
    pub below50: f64,
    pub above50: f64,
    /// How many out-of-sample errors it was estimated from.
    pub errors: usize,
}

impl HorizonBand {
    /// From out-of-sample relative errors at `horizon`, oldest first (the
    /// most recent [`ERROR_ORIGINS`] are used). `None` with fewer than
    /// [`MIN_ERRORS`] or any non-finite one.
    pub fn from_errors(horizon: u32, errors: &[f64]) -> Option<HorizonBand> {
        let recent = &errors[errors.len().saturating_sub(ERROR_ORIGINS)..];
        if recent.len() < MIN_ERRORS || recent.iter().any(|e| !e.is_finite()) {
            return None;
        }
        let mut sorted = recent.to_vec();
        sorted.sort_by(f64::total_cmp);
        let tail = |level: f64| (1.0 - level) / 2.0;
        let (t80, t50) = (tail(LEVELS[0]), tail(LEVELS[1]));
        Some(HorizonBand {
            horizon,
            below80: quantile(&sorted, t80),
            above80: quantile(&sorted, 1.0 - t80),
            below50: quantile(&sorted, t50),
            above50: quantile(&sorted, 1.0 - t50),
            errors: sorted.len(),
        })
    }

    /// The offsets scaled by `k80` (80 % band) and `k50` (50 % band).
    pub fn scaled(&self, k80: f64, k50: f64) -> HorizonBand {
        HorizonBand {
            below80: self.below80 * k80,
            above80: self.above80 * k80,
            below50: self.below50 * k50,
            above50: self.above50 * k50,
            ..*self
        }
    }

    /// Calibrated by `past`: (band, relative error) pairs of earlier origins
    /// at the same horizon, oldest first (the latest [`CALIBRATION_ORIGINS`]
    /// are used). With fewer than [`MIN_ERRORS`] the band is left as it is.
    pub fn calibrated(&self, past: &[(HorizonBand, f64)]) -> HorizonBand {
        let recent = &past[past.len().saturating_sub(CALIBRATION_ORIGINS)..];
        if recent.len() < MIN_ERRORS {
            return *self;
        }
        let factor = |level: f64, offsets: fn(&HorizonBand) -> (f64, f64)| {
            WIDTHS
                .iter()
                .copied()
                .find(|&k| {
                    let inside = recent
                        .iter()
                        .filter(|(b, e)| {
                            let (lo, hi) = offsets(b);
                            k * lo <= *e && *e <= k * hi
                        })
                        .count();
                    // Split conformal's finite-sample rule: at least ⌈(n + 1)·level⌉ of n.
                    inside as f64 >= ((recent.len() + 1) as f64 * level).ceil()
                })
                .unwrap_or(WIDTHS[WIDTHS.len() - 1])
        };
        let k80 = factor(LEVELS[0], |b| (b.below80, b.above80));
        let k50 = factor(LEVELS[1], |b| (b.below50, b.above50));
        let b = self.scaled(k80, k50);
        // The 50 % band never sticks out of the 80 % one.
        HorizonBand { below50: b.below50.max(b.below80), above50: b.above50.min(b.above80), ..b }
    }

    pub fn band80(&self, predicted: f64) -> Band {
        Band::between(predicted * (1.0 + self.below80), predicted * (1.0 + self.above80))
    }

    pub fn band50(&self, predicted: f64) -> Band {
        Band::between(predicted * (1.0 + self.below50), predicted * (1.0 + self.above50))
    }

    /// Whether the offsets describe a band a forecast can carry: finite,
    /// lower bounds above zero (an offset ≤ −1 makes a positive price's
    /// band negative), each band ordered and the 50 % one inside the 80 %
    /// one, and no wider than [`MAX_BAND_WIDTH`] times the forecast (a
    /// finite 1.8e308 offset passed the finiteness test and made the band
    /// infinite at every forecast).
    pub fn check(&self) -> Result<(), BandProblem> {
        let v = [self.below80, self.below50, self.above50, self.above80];
        if !v.iter().all(|x| x.is_finite()) {
            return Err(BandProblem::NotFinite);
        }
        if v.iter().any(|x| *x <= -1.0) {
            return Err(BandProblem::NotPositive);
        }
        if !v.windows(2).all(|w| w[0] <= w[1]) {
            return Err(BandProblem::Unordered);
        }
        if self.above80 - self.below80 > MAX_BAND_WIDTH {
            return Err(BandProblem::TooWide { width: self.above80 - self.below80, max: MAX_BAND_WIDTH });
        }
        Ok(())
    }
}

/// The widest an 80 % band may be, in multiples of its forecast. The
/// trainer's bands are quantiles of relative errors (a few percent to a few
/// tens of percent) widened at most [`WIDTHS`]' 2.5 times; a band ten times
/// the price wide says nothing, and wider ones come from broken files.
pub const MAX_BAND_WIDTH: f64 = 10.0;

/// Why a horizon's band offsets cannot be used.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum BandProblem {
    #[error("tiene desplazamientos que no son números finitos")]
    NotFinite,
    #[error("tiene un límite inferior de −100 % o menos (el precio bajaría de cero)")]
    NotPositive,
    #[error("no está ordenada (límite inferior del 80 % ≤ del 50 % ≤ superior del 50 % ≤ del 80 %)")]
    Unordered,
    #[error("mide {width:e} veces el pronóstico; el máximo es {max}")]
    TooWide { width: f64, max: f64 },
}

/// The relative error of one forecast, as [`HorizonBand::from_errors`] takes it.
pub fn error(real: f64, predicted: f64) -> f64 {
    real / predicted - 1.0
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
        // numpy.quantile(range(1, 12), [0.1, 0.25, 0.75, 0.9]) = [2, 3.5, 8.5, 10]
        let e: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(quantile(&e, 0.1), 2.0);
        assert_eq!(quantile(&e, 0.9), 10.0);
        assert_eq!(quantile(&e, 0.25), 3.5);
        assert_eq!(quantile(&[0.0, 10.0], 0.25), 2.5);
    }

    #[test]
    fn calibration_widens_a_band_that_held_too_few_prices() {
        let b = HorizonBand { horizon: 1, below80: -0.01, above80: 0.01, below50: -0.005, above50: 0.005, errors: 48 };
        // Past errors of ±1.5 %: the raw ±1 % band held none; ×1.5 holds them all.
        let past: Vec<(HorizonBand, f64)> = (0..20).map(|i| (b, if i % 2 == 0 { 0.015 } else { -0.015 })).collect();
        let c = b.calibrated(&past);
        assert_eq!((c.below80, c.above80), (-0.01 * 1.5, 0.01 * 1.5));
        assert!(c.below50 >= c.below80 && c.above50 <= c.above80);
        // Errors well inside: narrowed to the smallest factor that still holds 80 %.
        let calm: Vec<(HorizonBand, f64)> = (0..20).map(|_| (b, 0.001)).collect();
        assert_eq!(b.calibrated(&calm).above80, 0.01 * WIDTHS[0]);
        // Too little history: unchanged.
        assert_eq!(b.calibrated(&past[..5]), b);
    }

    #[test]
    fn too_few_errors_give_no_band_and_only_recent_ones_count() {
        assert!(HorizonBand::from_errors(1, &[0.01; 11]).is_none());
        let mut e = vec![1000.0; 30];
        e.extend((0..ERROR_ORIGINS).map(|v| v as f64 / 1000.0));
        let b = HorizonBand::from_errors(3, &e).expect("band");
        assert_eq!((b.errors, b.horizon), (ERROR_ORIGINS, 3));
        assert!(b.above80 < 0.05 && b.below80 >= 0.0 && b.check().is_ok());
        assert_eq!(b.band80(100.0), Band { lower: 100.0 * (1.0 + b.below80), upper: 100.0 * (1.0 + b.above80) });
        assert!(b.band50(100.0).lower >= b.band80(100.0).lower);
        assert_eq!(error(110.0, 100.0), 110.0 / 100.0 - 1.0);
    }
}
