//! The original's pipeline: standardise → keep the k columns with the highest
//! mutual information → polynomial features of degree d → ridge(alpha).
//!
//! [`Prepared`] does the data-dependent, hyper-parameter-free work once per
//! training set (scaling and mutual information), so a grid of 210
//! combinations costs one ranking and, per (k, d), one Gram matrix.

use std::cell::OnceCell;

use serde::{Deserialize, Serialize};

use crate::fit::matrix::{dot, Matrix};
use crate::fit::mutual_info::{mutual_info, top_k, NEIGHBOURS};
use crate::fit::poly::Poly;
use crate::fit::ridge::{fit_primal, CentredKernel};
use crate::fit::scaler::Scaler;

/// One point of the grid.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hyper {
    pub k: usize,
    pub degree: usize,
    pub alpha: f64,
}

pub const GRID_K: [usize; 6] = [3, 4, 5, 6, 7, 10];
pub const GRID_DEGREE: [usize; 5] = [1, 2, 3, 5, 7];
pub const GRID_ALPHA: [f64; 7] = [1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01];
/// Highest degree in the grid.
pub const MAX_DEGREE: usize = largest(&GRID_DEGREE);
/// Most inputs (k) in the grid.
pub const MAX_K: usize = largest(&GRID_K);
/// The most polynomial terms a pipeline the trainer fits can have: the
/// grid's largest k and degree, C(10 + 7, 7) = 19,448. A stored pipeline
/// with more was not made by the trainer, and each forecast costs time in
/// proportion to its terms (a degree-7 pipeline over 22 inputs has
/// 1,560,780: 2.4 s per forecast, an 11 MB backup), so `Method::check`
/// refuses it before counting anything else.
pub const MAX_TERMS: usize = match crate::fit::poly::terms(MAX_K as u64, MAX_DEGREE as u64) {
    Some(t) => t as usize,
    None => panic!("the grid's largest polynomial is countable"),
};

/// The largest of `values` (0 for none), for constants derived from the grid.
const fn largest(values: &[usize]) -> usize {
    let mut max = 0;
    let mut i = 0;
    while i < values.len() {
        if values[i] > max {
            max = values[i];
        }
        i += 1;
    }
    max
}

/// The 210 combinations in scikit-learn's `ParameterGrid` order (parameter
/// names sorted: `model__alpha`, `poly__degree`, `selector__k`; the last
/// varies fastest). Grid order breaks score ties.
pub fn grid() -> Vec<Hyper> {
    let mut g = Vec::with_capacity(210);
    for alpha in GRID_ALPHA {
        for degree in GRID_DEGREE {
            for k in GRID_K {
                g.push(Hyper { k, degree, alpha });
            }
        }
    }
    g
}

/// A training set, standardised and ranked.
pub struct Prepared {
    scaler: Scaler,
    scaled: Matrix,
    y: Vec<f64>,
    pub scores: Vec<f64>,
}

impl Prepared {
    pub fn new(x: &Matrix, y: &[f64]) -> Prepared {
        let scaler = Scaler::fit(x);
        let scaled = scaler.transform(x);
        let scores = mutual_info(&scaled, y, NEIGHBOURS);
        Prepared { scaler, scaled, y: y.to_vec(), scores }
    }

    /// Predictions for the rows of `test` (unscaled) under every grid point;
    /// `NaN` where a fit failed.
    pub fn predict_grid(&self, test: &Matrix, grid: &[Hyper]) -> Vec<Vec<f64>> {
        let scaled_test = self.scaler.transform(test);
        let mut out = vec![Vec::new(); grid.len()];
        let mut ks: Vec<usize> = grid.iter().map(|h| h.k).collect();
        ks.dedup();
        ks.sort_unstable();
        ks.dedup();
        for k in ks {
            let selected = top_k(&self.scores, k);
            let inputs = Inputs {
                train: self.scaled.select_columns(&selected),
                test: scaled_test.select_columns(&selected),
                kernels: OnceCell::new(),
            };
            let mut degrees: Vec<usize> = grid.iter().filter(|h| h.k == k).map(|h| h.degree).collect();
            degrees.sort_unstable();
            degrees.dedup();
            for degree in degrees {
                let members: Vec<usize> = (0..grid.len()).filter(|&j| grid[j].k == k && grid[j].degree == degree).collect();
                let alphas: Vec<f64> = members.iter().map(|&j| grid[j].alpha).collect();
                let preds = self.predict_alphas(&inputs, degree, &alphas);
                for (j, p) in members.into_iter().zip(preds) {
                    out[j] = p;
                }
            }
        }
        out
    }

    fn predict_alphas(&self, inputs: &Inputs, degree: usize, alphas: &[f64]) -> Vec<Vec<f64>> {
        let (train, test) = (&inputs.train, &inputs.test);
        let poly = Poly { inputs: train.cols, degree };
        if poly.columns().is_some_and(|c| c <= train.rows) {
            let terms = poly.terms();
            let phi = expand_all(&poly, &terms, train);
            let phi_test = expand_all(&poly, &terms, test);
            fit_primal(&phi, &self.y, alphas)
                .into_iter()
                .map(|fit| match fit {
                    Some(f) => (0..phi_test.rows).map(|i| f.predict(phi_test.row(i))).collect(),
                    None => vec![f64::NAN; test.rows],
                })
                .collect()
        } else {
            let (k_train, k_cross) = inputs.kernels(degree);
            let kernel = CentredKernel::new(&k_train);
            let centred: Vec<Vec<f64>> = (0..k_cross.rows).map(|i| kernel.centre_row(k_cross.row(i))).collect();
            kernel
                .fit(&self.y, alphas)
                .into_iter()
                .map(|fit| match fit {
                    Some(f) => centred.iter().map(|r| f.predict(r)).collect(),
                    None => vec![f64::NAN; test.rows],
                })
                .collect()
        }
    }

    /// Fit one grid point on the whole training set.
    pub fn fit(&self, h: Hyper) -> Option<Fitted> {
        let selected = top_k(&self.scores, h.k);
        let train = self.scaled.select_columns(&selected);
        let poly = Poly { inputs: train.cols, degree: h.degree };
        let terms = poly.terms();
        let phi = expand_all(&poly, &terms, &train);
        let ridge = if poly.columns().is_some_and(|c| c <= train.rows) {
            fit_primal(&phi, &self.y, &[h.alpha]).pop().flatten()?
        } else {
            let kernel = CentredKernel::new(&kernel_matrix(&poly, &train, &train));
            kernel.fit(&self.y, &[h.alpha]).pop().flatten()?.to_primal(&phi)
        };
        Some(Fitted {
            scaler: self.scaler.select(&selected),
            selected,
            degree: h.degree,
            coef: ridge.coef,
            intercept: ridge.intercept,
        })
    }
}

fn expand_all(poly: &Poly, terms: &[Vec<usize>], x: &Matrix) -> Matrix {
    let rows: Vec<Vec<f64>> = (0..x.rows).map(|i| poly.expand(terms, x.row(i))).collect();
    Matrix::from_rows(&rows, terms.len())
}

fn kernel_matrix(poly: &Poly, a: &Matrix, b: &Matrix) -> Matrix {
    let mut k = Matrix::zeros(a.rows, b.rows);
    for i in 0..a.rows {
        for j in 0..b.rows {
            k.data[i * b.rows + j] = poly.kernel(a.row(i), b.row(j));
        }
    }
    k
}

/// The selected, scaled inputs of one k, with polynomial kernels for every
/// degree computed together on first use (they share the same recurrence).
struct Inputs {
    train: Matrix,
    test: Matrix,
    kernels: OnceCell<(Vec<Matrix>, Vec<Matrix>)>,
}

impl Inputs {
    /// Train×train and test×train kernels of `degree`.
    fn kernels(&self, degree: usize) -> (Matrix, Matrix) {
        let (train, cross) = self.kernels.get_or_init(|| {
            (kernels_by_degree(&self.train, &self.train), kernels_by_degree(&self.test, &self.train))
        });
        (train[degree].clone(), cross[degree].clone())
    }
}

/// Polynomial kernels of degrees 0..=MAX_DEGREE at once: entry d of the result is Poly{degree: d}.kernel.
fn kernels_by_degree(a: &Matrix, b: &Matrix) -> Vec<Matrix> {
    let mut out = vec![Matrix::zeros(a.rows, b.rows); MAX_DEGREE + 1];
    for i in 0..a.rows {
        for j in 0..b.rows {
            let sums = Poly::kernel_sums(a.row(i), b.row(j), MAX_DEGREE);
            for (d, m) in out.iter_mut().enumerate() {
                m.data[i * b.rows + j] = sums[d];
            }
        }
    }
    out
}

/// A fitted pipeline: everything needed to predict from a lag-feature row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    /// Mean and scale of the selected columns only.
    pub scaler: Scaler,
    /// Indices of the selected lag features, in column order.
    pub selected: Vec<usize>,
    pub degree: usize,
    /// One weight per polynomial term, in scikit-learn's order.
    pub coef: Vec<f64>,
    pub intercept: f64,
}

impl Fitted {
    /// Predict from a full lag-feature row. A row shorter than the
    /// selected columns (tables of the wrong width, which the checks refuse
    /// before any model runs) gives NaN, never an out-of-bounds panic.
    pub fn predict(&self, row: &[f64]) -> f64 {
        let mut x: Vec<f64> = self.selected.iter().map(|&j| row.get(j).copied().unwrap_or(f64::NAN)).collect();
        self.scaler.transform_row(&mut x);
        let poly = Poly { inputs: x.len(), degree: self.degree };
        let phi = poly.expand(&poly.terms(), &x);
        dot(&phi, &self.coef) + self.intercept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_has_210_points_alpha_outermost() {
        let g = grid();
        assert_eq!(g.len(), 210);
        assert_eq!(g[0], Hyper { k: 3, degree: 1, alpha: 1.0 });
        assert_eq!(g[1], Hyper { k: 4, degree: 1, alpha: 1.0 });
        assert_eq!(g[6], Hyper { k: 3, degree: 2, alpha: 1.0 });
        assert_eq!(g[30].alpha, 0.5);
        assert_eq!((MAX_K, MAX_DEGREE, MAX_TERMS), (10, 7, 19_448));
        let most = g.iter().filter_map(|h| Poly { inputs: h.k, degree: h.degree }.columns()).max();
        assert_eq!(most, Some(MAX_TERMS), "the bound is the grid's largest polynomial");
    }
}
