//! Prediction intervals per horizon from out-of-sample errors, smooth in
//! the horizon.
//!
//! The errors are those of the same forecaster at each horizon h over the
//! most recent [`ERROR_ORIGINS`] origins whose h-month-ahead month was known
//! at the origin — nothing the origin could not have seen — as absolute log
//! errors |ln(real ÷ forecast)|, in units of the price's restlessness at
//! their origin ([`crate::forecast::backtest::volatility`]) and scaled back
//! by today's, so a band made of calm years widens when the price gets
//! restless, and the reverse.
//!
//! For each level (80 %, 50 %) the band's half-width at h, in logs, is a
//! power law w(h) = c · hᵇ (b ≥ 0) fitted by least squares, in logs, to that
//! level's quantile of the errors at each horizon. Why a curve rather than
//! each horizon's own quantile (what earlier versions shipped, with a
//! conformal correction per horizon): forty-eight errors per horizon, made
//! of overlapping forecasts, give quantiles that jump from one horizon to
//! the next — a fan that narrowed from 5 to 6 months and widened again at 9
//! — and a per-horizon correction chased the last four years. A
//! forecast's uncertainty grows smoothly with how far it reaches; the curve
//! pools all twelve horizons' errors to say how fast.
//!
//! The bands are symmetric in logs around the forecast — forecast ×
//! exp(±w) — so the point is their median: strictly inside the 50 % band,
//! which lies inside the 80 % one, both never narrower at h + 1 than at h.
//! Quantiles interpolate linearly between order statistics (NumPy's
//! default); `libm` gives the same `ln`/`exp`/`pow` bits natively and in
//! wasm, so the browser computes the same bounds.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Errors looked at per horizon: the most recent this many origins.
pub const ERROR_ORIGINS: usize = 48;
/// Fewest errors a horizon's quantile is taken from; with fewer that horizon
/// does not shape the curve (and with no horizon left there is no band).
pub const MIN_ERRORS: usize = 12;
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
    /// The band at `horizon` with log half-widths `w80` ≥ `w50` ≥ 0,
    /// symmetric in logs around the forecast.
    pub fn symmetric(horizon: u32, w80: f64, w50: f64, errors: usize) -> HorizonBand {
        HorizonBand {
            horizon,
            below80: libm::expm1(-w80),
            above80: libm::expm1(w80),
            below50: libm::expm1(-w50),
            above50: libm::expm1(w50),
            errors,
        }
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

/// The bands at horizons 1 … `errors.len()` from `errors[h − 1]`, the
/// scaled absolute log errors at horizon h (oldest first; the latest
/// [`ERROR_ORIGINS`] are used), times `scale` (today's restlessness). `None`
/// everywhere when no horizon has [`MIN_ERRORS`] finite errors.
pub fn bands(errors: &[Vec<f64>], scale: f64) -> Vec<Option<HorizonBand>> {
    let recent: Vec<&[f64]> = errors.iter().map(|e| &e[e.len().saturating_sub(ERROR_ORIGINS)..]).collect();
    let usable = |e: &[f64]| e.len() >= MIN_ERRORS && e.iter().all(|v| v.is_finite());
    let curve = |level: f64| {
        let points: Vec<(f64, f64)> = recent
            .iter()
            .enumerate()
            .filter(|(_, e)| usable(e))
            .filter_map(|(i, e)| {
                let mut sorted = e.to_vec();
                sorted.sort_by(f64::total_cmp);
                let q = quantile(&sorted, level);
                (q > 0.0).then(|| (libm::log((i + 1) as f64), libm::log(q)))
            })
            .collect();
        PowerLaw::fit(&points)
    };
    let (Some(c80), Some(c50)) = (curve(LEVELS[0]), curve(LEVELS[1])) else { return vec![None; errors.len()] };
    (1..=errors.len())
        .map(|h| {
            let w80 = scale * c80.at(h as f64);
            let w50 = (scale * c50.at(h as f64)).min(w80);
            Some(HorizonBand::symmetric(h as u32, w80, w50, recent[h - 1].len())).filter(|b| b.check().is_ok())
        })
        .collect()
}

/// w(h) = exp(`log_c`) · hᵇ, b ≥ 0: a half-width that never shrinks with h.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PowerLaw {
    log_c: f64,
    b: f64,
}

impl PowerLaw {
    /// Least squares of ln w on ln h through `points` (ln h, ln w); the
    /// slope clipped at zero (then the level is their mean). One point: a
    /// flat curve through it. None: no curve.
    fn fit(points: &[(f64, f64)]) -> Option<PowerLaw> {
        let n = points.len() as f64;
        let (mx, my) = (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n);
        if points.is_empty() || !my.is_finite() {
            return None;
        }
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (x, y) in points {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
        }
        let b = if sxx > 0.0 { (sxy / sxx).max(0.0) } else { 0.0 };
        Some(PowerLaw { log_c: my - b * mx, b })
    }

    fn at(self, h: f64) -> f64 {
        libm::exp(self.log_c + self.b * libm::log(h))
    }
}

/// The absolute log error of one forecast, as [`bands`] takes it.
pub fn log_error(real: f64, predicted: f64) -> f64 {
    libm::log(real / predicted).abs()
}

/// Winkler's interval score of `band` at nominal `level` for the price
/// `real`: its width, plus 2 ÷ (1 − level) times how far outside it the
/// price fell (lower is better; it rewards narrow bands and punishes misses).
pub fn interval_score(band: Band, level: f64, real: f64) -> f64 {
    let penalty = 2.0 / (1.0 - level);
    let mut score = band.upper - band.lower;
    if real < band.lower {
        score += penalty * (band.lower - real);
    }
    if real > band.upper {
        score += penalty * (real - band.upper);
    }
    score
}

/// The widest an 80 % band may be, in multiples of its forecast. The
/// trainer's bands span a few percent to a few tens of percent of the
/// forecast (quantiles of errors a year ahead at most, scaled by a
/// restlessness that has not tripled in forty years); a band ten times the
/// price wide says nothing, and wider ones come from broken files.
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

/// The relative error of one forecast, real ÷ forecast − 1.
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

    /// Errors whose quantiles grow as √h give exactly the √h curve, symmetric
    /// in logs, the 50 % band inside the 80 % one, widths never shrinking.
    #[test]
    fn errors_growing_as_a_power_of_h_give_that_curve() {
        let errors: Vec<Vec<f64>> = (1..=12).map(|h| (1..=48).map(|k| k as f64 * 0.001 * f64::from(h).sqrt()).collect()).collect();
        let bands = bands(&errors, 2.0);
        let mut sorted: Vec<f64> = (1..=48).map(|k| k as f64 * 0.001).collect();
        sorted.sort_by(f64::total_cmp);
        let (q80, q50) = (quantile(&sorted, 0.8), quantile(&sorted, 0.5));
        let mut last = 0.0;
        for (i, b) in bands.iter().enumerate() {
            let b = b.expect("band");
            let h = (i + 1) as f64;
            assert_eq!(b.horizon, i as u32 + 1);
            let (w80, w50) = (libm::log1p(b.above80), libm::log1p(b.above50));
            assert!((w80 / (2.0 * q80 * h.sqrt()) - 1.0).abs() < 1e-12, "h = {h}: {w80}");
            assert!((w50 / (2.0 * q50 * h.sqrt()) - 1.0).abs() < 1e-12, "h = {h}: {w50}");
            assert!((libm::log1p(b.below80) + w80).abs() < 1e-15, "symmetric in logs");
            assert!(b.below80 < b.below50 && b.below50 < 0.0 && 0.0 < b.above50 && b.above50 < b.above80);
            assert!(b.above80 - b.below80 >= last);
            last = b.above80 - b.below80;
            assert!(b.check().is_ok());
        }
    }

    /// Quantiles that fall with h (a calm year ahead after a wild month)
    /// cannot make a fan that narrows: the slope is clipped, the curve flat.
    #[test]
    fn a_falling_curve_is_held_flat() {
        let errors: Vec<Vec<f64>> = (1..=12).map(|h| vec![0.1 / f64::from(h); 24]).collect();
        let bands = bands(&errors, 1.0);
        let widths: Vec<f64> = bands.iter().map(|b| b.expect("band").above80).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{widths:?}");
    }

    #[test]
    fn too_few_errors_give_no_band_and_only_recent_ones_count() {
        assert!(bands(&[vec![0.01; MIN_ERRORS - 1]], 1.0)[0].is_none());
        assert!(bands(&[vec![0.0; 20]], 1.0)[0].is_none(), "errors of zero: no curve in logs");
        // Old huge errors are dropped: only the latest ERROR_ORIGINS count.
        let mut e = vec![1000.0; 30];
        e.extend((0..ERROR_ORIGINS).map(|v| v as f64 / 1000.0));
        let b = bands(&[e], 1.0)[0].expect("band");
        assert_eq!((b.errors, b.horizon), (ERROR_ORIGINS, 1));
        assert!(b.above80 < 0.05 && b.check().is_ok());
        assert_eq!(b.band80(100.0), Band { lower: 100.0 * (1.0 + b.below80), upper: 100.0 * (1.0 + b.above80) });
        assert_eq!(error(110.0, 100.0), 110.0 / 100.0 - 1.0);
        assert!((log_error(100.0, 110.0) - libm::log(1.1)).abs() < 1e-15);
    }

    #[test]
    fn the_interval_score_is_the_width_plus_the_penalised_miss() {
        let band = Band { lower: 90.0, upper: 110.0 };
        assert_eq!(interval_score(band, 0.8, 100.0), 20.0);
        // 5 below the band at 80 %: 20 + 2 / 0.2 × 5 = 70.
        assert!((interval_score(band, 0.8, 85.0) - 70.0).abs() < 1e-9);
        // 10 above at 50 %: 20 + 4 × 10.
        assert!((interval_score(band, 0.5, 120.0) - 60.0).abs() < 1e-9);
    }
}
