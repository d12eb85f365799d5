//! Polynomial features with bias and interaction terms, in scikit-learn's
//! `PolynomialFeatures` column order, plus the matching kernel.

use serde::{Deserialize, Serialize};

/// Monomials of degree 0..=`degree` over `inputs` variables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poly {
    pub inputs: usize,
    pub degree: usize,
}

impl Poly {
    /// The monomials as sorted variable-index lists: `[]` (bias), `[0]`, `[1]`, …,
    /// `[0,0]`, `[0,1]`, … — `combinations_with_replacement` per degree.
    pub fn terms(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new()];
        let mut current: Vec<Vec<usize>> = vec![Vec::new()];
        for _ in 0..self.degree {
            let mut next = Vec::new();
            for t in &current {
                let start = t.last().copied().unwrap_or(0);
                for v in start..self.inputs {
                    let mut n = t.clone();
                    n.push(v);
                    next.push(n);
                }
            }
            out.extend(next.iter().cloned());
            current = next;
        }
        out
    }

    /// Number of output columns, C(inputs + degree, degree); `None` when it
    /// does not fit a `usize`. Checked because the shape comes from stored
    /// models too: unchecked, 5,000 inputs overflowed natively (a panic) and
    /// 14,070 inputs at degree 7 wrapped to 743 on wasm32's 32-bit `usize`.
    pub fn columns(&self) -> Option<usize> {
        self.columns_as()
    }

    /// [`Poly::columns`] in the integer type `T` (counted in `u64` with
    /// checked arithmetic, then converted): `usize` on every target, `u32`
    /// to test a 32-bit target's limits natively.
    pub fn columns_as<T: TryFrom<u64>>(&self) -> Option<T> {
        let inputs = u64::try_from(self.inputs).ok()?;
        let degree = u64::try_from(self.degree).ok()?;
        terms(inputs, degree).and_then(|c| T::try_from(c).ok())
    }

    /// Expand one row. Each product is formed as scikit-learn does,
    /// x_a·(x_b·(x_c·…)), so the values match to the bit.
    pub fn expand(&self, terms: &[Vec<usize>], x: &[f64]) -> Vec<f64> {
        terms
            .iter()
            .map(|t| match t.split_last() {
                None => 1.0,
                Some((&last, rest)) => rest.iter().rev().fold(x[last], |p, &v| x[v] * p),
            })
            .collect()
    }

    /// φ(a)·φ(b) without expanding: the sum over degrees 0..=d of the complete
    /// homogeneous symmetric polynomials of z = a⊙b (O(inputs·degree)).
    pub fn kernel(&self, a: &[f64], b: &[f64]) -> f64 {
        Poly::kernel_sums(a, b, self.degree)[self.degree]
    }

    /// The kernel for every degree 0..=`max_degree` at once: entry d is the
    /// degree-d kernel. One pass of the recurrence h_k += z·h_{k−1} per input,
    /// then running sums, so all degrees cost what the highest does.
    pub fn kernel_sums(a: &[f64], b: &[f64], max_degree: usize) -> Vec<f64> {
        let mut h = vec![0.0; max_degree + 1];
        h[0] = 1.0;
        for (x, y) in a.iter().zip(b) {
            let z = x * y;
            for k in 1..=max_degree {
                h[k] += z * h[k - 1];
            }
        }
        let mut sums = Vec::with_capacity(max_degree + 1);
        let mut s = 0.0;
        for v in &h {
            s += v;
            sums.push(s);
        }
        sums
    }
}

/// C(inputs + degree, degree) with checked arithmetic (`None` past `u64`).
/// Each step is exact: c·(inputs + i) is C(inputs + i, i)·i. A `const fn`
/// so that bounds derived from the trainer's grid are constants.
pub const fn terms(inputs: u64, degree: u64) -> Option<u64> {
    let mut c: u64 = 1;
    let mut i = 1;
    while i <= degree {
        let Some(top) = inputs.checked_add(i) else { return None };
        let Some(product) = c.checked_mul(top) else { return None };
        c = product / i;
        i += 1;
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_count_match_scikit_learn() {
        let p = Poly { inputs: 2, degree: 2 };
        assert_eq!(p.terms(), vec![vec![], vec![0], vec![1], vec![0, 0], vec![0, 1], vec![1, 1]]);
        assert_eq!(Poly { inputs: 10, degree: 7 }.columns(), Some(19_448));
        assert_eq!(Poly { inputs: 10, degree: 7 }.terms().len(), 19_448);
    }

    #[test]
    fn kernel_equals_expanded_dot_product() {
        let p = Poly { inputs: 3, degree: 3 };
        let t = p.terms();
        let (a, b) = ([0.5, -1.0, 2.0], [1.5, 0.25, -0.75]);
        let direct: f64 = p.expand(&t, &a).iter().zip(p.expand(&t, &b)).map(|(x, y)| x * y).sum();
        assert!((p.kernel(&a, &b) - direct).abs() < 1e-12);
    }
}
