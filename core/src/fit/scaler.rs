//! Standardisation, as scikit-learn's `StandardScaler` (population std).

use serde::{Deserialize, Serialize};

use crate::fit::matrix::Matrix;

/// Per-column mean and scale learned from training rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

impl Scaler {
    /// Learn from `x`. A constant column gets scale 1, as in scikit-learn.
    pub fn fit(x: &Matrix) -> Scaler {
        let mut means = Vec::with_capacity(x.cols);
        let mut scales = Vec::with_capacity(x.cols);
        for j in 0..x.cols {
            let col = x.column(j);
            let (m, s) = standard_scaler_moments(&col);
            means.push(m);
            // scikit-learn's `_is_constant_feature`: variance within rounding of zero.
            let (var, n) = (s * s, col.len() as f64);
            let bound = n * f64::EPSILON * var + (n * m * f64::EPSILON) * (n * m * f64::EPSILON);
            scales.push(if var <= bound { 1.0 } else { s });
        }
        Scaler { mean: means, scale: scales }
    }

    /// Standardise one row in place.
    pub fn transform_row(&self, row: &mut [f64]) {
        for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.scale) {
            *v = (*v - m) / s;
        }
    }

    pub fn transform(&self, x: &Matrix) -> Matrix {
        let mut out = x.clone();
        for i in 0..out.rows {
            self.transform_row(out.row_mut(i));
        }
        out
    }

    /// Keep only the columns at `idx`.
    pub fn select(&self, idx: &[usize]) -> Scaler {
        Scaler { mean: idx.iter().map(|&j| self.mean[j]).collect(), scale: idx.iter().map(|&j| self.scale[j]).collect() }
    }
}

/// Mean and population std as `StandardScaler` computes them (column sums
/// in row order, with the corrected two-pass variance), to the bit.
fn standard_scaler_moments(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mut s = 0.0;
    for x in v {
        s += x;
    }
    let m = s / n;
    let (mut c, mut u) = (0.0, 0.0);
    for x in v {
        let t = x - m;
        c += t;
        u += t * t;
    }
    (m, ((u - c * c / n) / n).sqrt())
}
