//! Forecast error metrics, summed in a fixed order.

use serde::{Deserialize, Serialize};

use crate::fit::matrix::mean;

/// RMSE, MAE, MAPE (%) and R² of predictions against real values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub n: usize,
    pub rmse: f64,
    pub mae: f64,
    pub mape: f64,
    pub r2: f64,
}

impl Metrics {
    pub fn of(real: &[f64], predicted: &[f64]) -> Metrics {
        Metrics {
            n: real.len(),
            rmse: rmse(real, predicted),
            mae: mae(real, predicted),
            mape: mape(real, predicted),
            r2: r2(real, predicted),
        }
    }
}

pub fn rmse(real: &[f64], predicted: &[f64]) -> f64 {
    let sq: Vec<f64> = real.iter().zip(predicted).map(|(r, p)| (r - p) * (r - p)).collect();
    mean(&sq).sqrt()
}

pub fn mae(real: &[f64], predicted: &[f64]) -> f64 {
    let abs: Vec<f64> = real.iter().zip(predicted).map(|(r, p)| (r - p).abs()).collect();
    mean(&abs)
}

/// Mean absolute percentage error, in percent.
pub fn mape(real: &[f64], predicted: &[f64]) -> f64 {
    let pct: Vec<f64> = real.iter().zip(predicted).map(|(r, p)| ((r - p) / r).abs()).collect();
    100.0 * mean(&pct)
}

/// How much smaller an error is than naive's, in percent, from their
/// ratio (model ÷ naive; negative: worse than naive) — the one "% better
/// than naive" formula.
pub fn percent_below(ratio: f64) -> f64 {
    100.0 * (1.0 - ratio)
}

/// Coefficient of determination, as scikit-learn's `r2_score`.
pub fn r2(real: &[f64], predicted: &[f64]) -> f64 {
    let m = mean(real);
    let mut ss_res = 0.0;
    let mut ss_tot = 0.0;
    for (r, p) in real.iter().zip(predicted) {
        ss_res += (r - p) * (r - p);
        ss_tot += (r - m) * (r - m);
    }
    if ss_tot == 0.0 {
        if ss_res == 0.0 {
            1.0
        } else {
            0.0
        }
    } else {
        1.0 - ss_res / ss_tot
    }
}

/// The z-score of a two-sided 90 % interval.
pub const Z90: f64 = 1.644_853_626_951_472_2;

/// Wilson's score interval for a share of `hits` in `n` trials, `z` the
/// normal quantile (e.g. [`Z90`]): what share of a band's holds the data
/// are consistent with. It assumes independent trials; forecasts whose
/// horizons overlap are not, so the real interval is wider. `None` for no trials.
pub fn wilson(hits: usize, n: usize, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (k, n) = (hits as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_mean_forecasts() {
        let r = [1.0, 2.0, 3.0];
        assert_eq!(Metrics::of(&r, &r).r2, 1.0);
        assert_eq!(r2(&r, &[2.0, 2.0, 2.0]), 0.0);
        assert_eq!(mae(&r, &[2.0, 2.0, 2.0]), 2.0 / 3.0);
        assert!((mape(&[100.0], &[90.0]) - 10.0).abs() < 1e-12);
    }

    /// statsmodels' proportion_confint(40, 50, alpha=0.1, method="wilson")
    /// = (0.692674, 0.876526).
    #[test]
    fn wilsons_interval_matches_the_textbook() {
        let (lo, hi) = wilson(40, 50, Z90).expect("interval");
        assert!((lo - 0.692_673_615_189_177_1).abs() < 1e-12 && (hi - 0.876_526_473_339_060_9).abs() < 1e-12, "{lo} {hi}");
        assert_eq!(wilson(0, 0, Z90), None);
        let (lo, hi) = wilson(0, 10, Z90).expect("interval");
        assert!(lo == 0.0 && hi > 0.0);
    }
}
