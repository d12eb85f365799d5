//! Cross-validation splits and grid search.

use serde::{Deserialize, Serialize};

use crate::fit::matrix::Matrix;
use crate::fit::metrics::{mae, r2};
use crate::fit::pipeline::{Hyper, Prepared};

/// Row indices to fit on and to score on.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// scikit-learn's unshuffled `KFold`: consecutive blocks, the first `n % folds` one row longer.
pub fn kfold(n: usize, folds: usize) -> Vec<Split> {
    let mut splits = Vec::with_capacity(folds);
    let mut start = 0;
    for f in 0..folds {
        let size = n / folds + usize::from(f < n % folds);
        let test: Vec<usize> = (start..start + size).collect();
        let train: Vec<usize> = (0..n).filter(|i| !(start..start + size).contains(i)).collect();
        splits.push(Split { train, test });
        start += size;
    }
    splits
}

/// Expanding-window validation for time-ordered rows: the last `blocks`
/// blocks of `block` rows, each scored by a fit on every row before it,
/// the first on at least `min_train` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeBlocks {
    pub block: usize,
    pub blocks: usize,
    pub min_train: usize,
}

impl TimeBlocks {
    /// Fewest rows that give any split.
    pub const fn needed(&self) -> usize {
        self.block * self.blocks + self.min_train
    }

    /// The splits of `n` rows; empty with fewer than [`TimeBlocks::needed`].
    pub fn splits(&self, n: usize) -> Vec<Split> {
        if n < self.needed() {
            return Vec::new();
        }
        let held = self.block * self.blocks;
        (0..self.blocks)
            .map(|b| {
                let start = n - held + b * self.block;
                Split { train: (0..start).collect(), test: (start..start + self.block).collect() }
            })
            .collect()
    }
}

/// How grid points are scored; both are oriented so that higher is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// R², as the original's `GridSearchCV(scoring="r2")`.
    R2,
    /// Negative mean absolute error, as `neg_mean_absolute_error`.
    NegMae,
}

impl Scoring {
    fn score(self, real: &[f64], predicted: &[f64]) -> f64 {
        let s = match self {
            Scoring::R2 => r2(real, predicted),
            Scoring::NegMae => -mae(real, predicted),
        };
        if s.is_nan() {
            f64::NEG_INFINITY
        } else {
            s
        }
    }
}

/// One grid point's cross-validation result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridScore {
    pub hyper: Hyper,
    pub split_scores: Vec<f64>,
    pub mean: f64,
}

/// All grid points and the chosen one (highest mean; the first in grid order on ties).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridResult {
    pub scoring: Scoring,
    pub scores: Vec<GridScore>,
    pub best: usize,
}

impl GridResult {
    pub fn best_hyper(&self) -> Hyper {
        self.scores[self.best].hyper
    }
}

/// Score every grid point on every split.
pub fn grid_search(x: &Matrix, y: &[f64], splits: &[Split], grid: &[Hyper], scoring: Scoring) -> GridResult {
    let mut split_scores = vec![Vec::with_capacity(splits.len()); grid.len()];
    for split in splits {
        let train_y: Vec<f64> = split.train.iter().map(|&i| y[i]).collect();
        let test_y: Vec<f64> = split.test.iter().map(|&i| y[i]).collect();
        let prepared = Prepared::new(&x.select_rows(&split.train), &train_y);
        let predictions = prepared.predict_grid(&x.select_rows(&split.test), grid);
        for (scores, p) in split_scores.iter_mut().zip(&predictions) {
            scores.push(scoring.score(&test_y, p));
        }
    }
    let scores: Vec<GridScore> = grid
        .iter()
        .zip(split_scores)
        .map(|(&hyper, s)| {
            let mut total = 0.0;
            for v in &s {
                total += v;
            }
            GridScore { hyper, mean: total / s.len() as f64, split_scores: s }
        })
        .collect();
    let mut best = 0;
    for (i, s) in scores.iter().enumerate() {
        if s.mean > scores[best].mean {
            best = i;
        }
    }
    GridResult { scoring, scores, best }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kfold_sizes_like_scikit_learn() {
        let s = kfold(59, 3);
        assert_eq!(s.iter().map(|f| f.test.len()).collect::<Vec<_>>(), vec![20, 20, 19]);
        assert_eq!(s[1].test[0], 20);
        assert_eq!(s[1].train.len(), 39);
    }

    #[test]
    fn time_blocks_never_train_on_the_future() {
        let blocks = TimeBlocks { block: 6, blocks: 4, min_train: 12 };
        let s = blocks.splits(49);
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].test, (25..31).collect::<Vec<_>>());
        for split in &s {
            assert!(split.train.iter().all(|&i| i < split.test[0]));
        }
        assert!(blocks.splits(35).is_empty());
        assert_eq!(blocks.splits(36).len(), 4);
    }
}
