//! Forecast error metrics, summed in a fixed order.

use serde::{Deserialize, Serialize};

use crate::matrix::mean;

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
}
