//! Mutual information between each column and the label: the Kraskov
//! (KSG) k-nearest-neighbour estimator with the max-norm, as scikit-learn's
//! `mutual_info_regression`, but without its random jitter so that the
//! selection is deterministic (SPEC §4).
//!
//! Each column and the label are divided by their standard deviation (no
//! centring). For each sample, ε is the distance to its k-th neighbour in the
//! joint space; n_x and n_y count the other samples within
//! `nextafter(ε, 0)` in each marginal, as scikit-learn's `KDTree` radius
//! query does: strictly closer than ε when ε > 0, and, when ε = 0 (k other
//! samples equal to this one: repeated rows), the samples at distance 0.
//! MI = ψ(n) + ψ(k) − ⟨ψ(n_x + 1)⟩ − ⟨ψ(n_y + 1)⟩, clipped at 0.

use crate::fit::matrix::{pairwise_sum, Matrix};

/// Neighbours used by the estimator, as in the original pipeline.
pub const NEIGHBOURS: usize = 3;

/// One score per column of `x`.
pub fn mutual_info(x: &Matrix, y: &[f64], k: usize) -> Vec<f64> {
    let n = y.len();
    if n <= k || k == 0 || x.rows != n {
        return vec![0.0; x.cols];
    }
    let digamma = digamma_table(n + 1);
    // scikit-learn sums a matrix column in row order but a 1-D label pairwise.
    let ys = unit_scale(y, pairwise_sum);
    (0..x.cols).map(|j| mi_one(&unit_scale(&x.column(j), sequential_sum), &ys, k, &digamma)).collect()
}

fn sequential_sum(v: &[f64]) -> f64 {
    let mut s = 0.0;
    for x in v {
        s += x;
    }
    s
}

/// Divide by the population std (left as is when ~0), like `scale(with_mean=False)`.
fn unit_scale(v: &[f64], sum: fn(&[f64]) -> f64) -> Vec<f64> {
    let n = v.len() as f64;
    let m = sum(v) / n;
    let dev: Vec<f64> = v.iter().map(|x| (x - m) * (x - m)).collect();
    let sd = (sum(&dev) / n).sqrt();
    let sd = if sd < 10.0 * f64::EPSILON { 1.0 } else { sd };
    v.iter().map(|x| x / sd).collect()
}

fn mi_one(x: &[f64], y: &[f64], k: usize, digamma: &[f64]) -> f64 {
    let n = x.len();
    let mut dist = Vec::with_capacity(n);
    let mut psi_x = Vec::with_capacity(n);
    let mut psi_y = Vec::with_capacity(n);
    for i in 0..n {
        dist.clear();
        for j in 0..n {
            if j != i {
                dist.push(f64::max((x[i] - x[j]).abs(), (y[i] - y[j]).abs()));
            }
        }
        let (_, &mut eps, _) = dist.select_nth_unstable_by(k - 1, f64::total_cmp);
        // `d <= nextafter(eps, 0)`. The sample itself is always within, so
        // the count is at least 1 (saturating only guards non-finite data).
        // Regression (issue 15): `< eps` counted nothing when eps = 0 and
        // the subtraction underflowed on repeated rows.
        let within = |d: f64| if eps > 0.0 { d < eps } else { d <= 0.0 };
        let nx = x.iter().filter(|&&v| within((x[i] - v).abs())).count().saturating_sub(1);
        let ny = y.iter().filter(|&&v| within((y[i] - v).abs())).count().saturating_sub(1);
        psi_x.push(digamma[nx + 1]);
        psi_y.push(digamma[ny + 1]);
    }
    let mi = digamma[n] + digamma[k] - pairwise_sum(&psi_x) / n as f64 - pairwise_sum(&psi_y) / n as f64;
    mi.max(0.0)
}

/// ψ(m) for m = 0..=max (ψ(0) unused): ψ(1) = −γ, ψ(m+1) = ψ(m) + 1/m.
fn digamma_table(max: usize) -> Vec<f64> {
    const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;
    let mut t = vec![f64::NAN; max + 1];
    if max >= 1 {
        t[1] = -EULER_GAMMA;
    }
    for m in 2..=max {
        t[m] = t[m - 1] + 1.0 / (m - 1) as f64;
    }
    t
}

/// Indices of the `k` best scores, in column order. Ties go to the later
/// column, as scikit-learn's `SelectKBest` (a stable ascending sort, keep the
/// last k) does.
pub fn top_k(scores: &[f64], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(a.cmp(&b)));
    let mut chosen: Vec<usize> = order[order.len().saturating_sub(k)..].to_vec();
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_of_integers() {
        let t = digamma_table(10);
        assert!((t[1] + 0.5772156649015329).abs() < 1e-15);
        assert!((t[10] - 2.251752589066721).abs() < 1e-14);
    }

    #[test]
    fn top_k_breaks_ties_towards_later_columns() {
        assert_eq!(top_k(&[0.0, 0.5, 0.0, 0.0], 2), vec![1, 3]);
        assert_eq!(top_k(&[0.3, 0.1, 0.2], 5), vec![0, 1, 2]);
    }

    #[test]
    fn dependent_column_scores_higher_than_noise() {
        let y: Vec<f64> = (0..40).map(|i| i as f64).collect();
        let rows: Vec<Vec<f64>> = (0..40).map(|i| vec![i as f64 * 2.0 + 1.0, ((i * 7919) % 13) as f64]).collect();
        let s = mutual_info(&Matrix::from_rows(&rows, 2), &y, 3);
        assert!(s[0] > 1.0 && s[1] < s[0], "{s:?}");
    }
}
