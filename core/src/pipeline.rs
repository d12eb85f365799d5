//! The original's pipeline: standardise → keep the k columns with the highest
//! mutual information → polynomial features of degree d → ridge(alpha).
//!
//! [`Prepared`] does the data-dependent, hyper-parameter-free work once per
//! training set (scaling and mutual information), so a grid of 210
//! combinations costs one ranking and, per (k, d), one Gram matrix.

use serde::{Deserialize, Serialize};

use crate::matrix::{dot, Matrix};
use crate::mutual_info::{mutual_info, top_k, NEIGHBOURS};
use crate::poly::Poly;
use crate::ridge::{fit_primal, CentredKernel, RidgeFit};
use crate::scaler::Scaler;

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
        let mut out = vec![Vec::new(); grid.len()];
        let mut done = vec![false; grid.len()];
        for i in 0..grid.len() {
            if done[i] {
                continue;
            }
            let (k, degree) = (grid[i].k, grid[i].degree);
            let members: Vec<usize> =
                (i..grid.len()).filter(|&j| !done[j] && grid[j].k == k && grid[j].degree == degree).collect();
            let alphas: Vec<f64> = members.iter().map(|&j| grid[j].alpha).collect();
            let preds = self.predict_alphas(test, k, degree, &alphas);
            for (j, p) in members.into_iter().zip(preds) {
                out[j] = p;
                done[j] = true;
            }
        }
        out
    }

    fn selected_inputs(&self, k: usize, test: &Matrix) -> (Vec<usize>, Matrix, Matrix) {
        let selected = top_k(&self.scores, k);
        let train = self.scaled.select_columns(&selected);
        let test = self.scaler.transform(test).select_columns(&selected);
        (selected, train, test)
    }

    fn predict_alphas(&self, test: &Matrix, k: usize, degree: usize, alphas: &[f64]) -> Vec<Vec<f64>> {
        let (_, train, test) = self.selected_inputs(k, test);
        let poly = Poly { inputs: train.cols, degree };
        let n = train.rows;
        if poly.columns() <= n {
            let terms = poly.terms();
            let phi = expand_all(&poly, &terms, &train);
            let phi_test = expand_all(&poly, &terms, &test);
            fit_primal(&phi, &self.y, alphas)
                .into_iter()
                .map(|fit| match fit {
                    Some(f) => (0..phi_test.rows).map(|i| f.predict(phi_test.row(i))).collect(),
                    None => vec![f64::NAN; test.rows],
                })
                .collect()
        } else {
            let kernel = CentredKernel::new(&kernel_matrix(&poly, &train, &train));
            let cross = kernel_matrix(&poly, &test, &train);
            let centred: Vec<Vec<f64>> = (0..cross.rows).map(|i| kernel.centre_row(cross.row(i))).collect();
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
        let ridge = if poly.columns() <= train.rows {
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
    /// Predict from a full lag-feature row.
    pub fn predict(&self, row: &[f64]) -> f64 {
        let mut x: Vec<f64> = self.selected.iter().map(|&j| row[j]).collect();
        self.scaler.transform_row(&mut x);
        let poly = Poly { inputs: x.len(), degree: self.degree };
        let phi = poly.expand(&poly.terms(), &x);
        dot(&phi, &self.coef) + self.intercept
    }

    pub fn ridge(&self) -> RidgeFit {
        RidgeFit { coef: self.coef.clone(), intercept: self.intercept }
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
    }
}
