//! The original's evaluation on its own random split, reproduced.

use serde::{Deserialize, Serialize};

use crate::forecast::features::{Inputs, TrainMatrix, Window};
use crate::forecast::backtest::{Comparison, Row};
use crate::forecast::original::LagPipeline;
use crate::forecast::{FitError, Method};
use crate::model::{Model, ModelId};
use crate::data::month::Month;
use crate::fit::pipeline::{grid, Prepared};
use crate::data::tables::Database;
use crate::fit::cross_validation::{grid_search, kfold, GridResult, Scoring};

/// Folds of the original's cross-validation.
pub const SEED_FOLDS: usize = 3;

/// The original's random split, as months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedSplit {
    /// Training months in the order its cross-validation used them.
    pub train_months_in_order: Vec<Month>,
    pub test_months_in_order: Vec<Month>,
}

/// The split's grid search and test months (what `evaluation.json` keeps).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedEvaluation {
    pub grid: GridResult,
    pub test: Vec<Row>,
    pub comparison: Comparison,
}

/// The `seed` protocol's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedReport {
    pub evaluation: SeedEvaluation,
    pub model: Model,
}

/// The original's evaluation on its own split.
pub fn seed(db: &Database, split: &SeedSplit) -> Result<SeedReport, FitError> {
    let m = TrainMatrix::build(db, Inputs::AllSources, Window::SeedRows);
    let index = m.index();
    let rows = |months: &[Month]| -> Result<Vec<usize>, FitError> {
        months.iter().map(|mo| index.get(mo).copied().ok_or(FitError::SplitMonthMissing(*mo))).collect()
    };
    let train = rows(&split.train_months_in_order)?;
    let test = rows(&split.test_months_in_order)?;
    let x = m.x.select_rows(&train);
    let y: Vec<f64> = train.iter().map(|&i| m.y[i]).collect();
    let end = match m.months.last() {
        Some(last) if y.len() >= SEED_FOLDS * 2 => last.next(),
        _ => return Err(FitError::SeedTooFewRows { rows: y.len(), needed: SEED_FOLDS * 2 }),
    };
    let result = grid_search(&x, &y, &kfold(y.len(), SEED_FOLDS), &grid(), Scoring::R2);
    let hyper = result.best_hyper();
    let pipeline = Prepared::new(&x, &y).fit(hyper).ok_or(FitError::NotPositiveDefinite(end))?;
    let scored: Vec<Row> = test
        .iter()
        .filter_map(|&i| Row::new(db, m.months[i], 1, pipeline.predict(m.x.row(i)), None))
        .collect();
    let months: Vec<Month> = train.iter().map(|&i| m.months[i]).collect();
    let id = ModelId::Replica;
    let model = Model {
        id,
        name: id.label().to_string(),
        method: Method::LagPipeline(LagPipeline {
            feature_names: m.names.clone(),
            selected_names: pipeline.selected.iter().map(|&j| m.names[j].clone()).collect(),
            hyper,
            pipeline,
        }),
        bands: Vec::new(),
        trained_from: months.iter().min().copied(),
        trained_to: months.iter().max().copied(),
        trained_rows: train.len(),
    };
    Ok(SeedReport { evaluation: SeedEvaluation { comparison: Comparison::of(&scored), grid: result, test: scored }, model })
}
