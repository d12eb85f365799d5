//! The two ways a model is chosen and judged.
//!
//! * [`seed`]: the original service's evaluation, reproduced to prove
//!   fidelity — its random 80/20 split, 3-fold CV on the training rows in
//!   the order the split left them, R² scoring.
//! * [`honest`]: hyper-parameters chosen by MAE on time-ordered validation
//!   blocks, judged by a nested walk-forward backtest against the naive
//!   forecast (next price = last price). Nothing in any fit sees the month it
//!   is scored on, or any later month.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::features::{Inputs, TrainMatrix, Window};
use crate::metrics::Metrics;
use crate::model::{Model, ModelId};
use crate::month::Month;
use crate::pipeline::{grid, Hyper, Prepared};
use crate::tables::Database;
use crate::validation::{grid_search, kfold, time_blocks, GridResult, Scoring, Split};

/// Rows per validation block and blocks per selection in the honest protocol.
pub const BLOCK: usize = 6;
pub const BLOCKS: usize = 4;
/// Fewest rows the first validation fit may use.
pub const MIN_TRAIN: usize = 12;
/// Months in the walk-forward backtest.
pub const BACKTEST_MONTHS: usize = 24;
/// Folds of the original's cross-validation.
pub const SEED_FOLDS: usize = 3;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum ProtocolError {
    #[error("el mes {0} de la partición original no está en la matriz de entrenamiento")]
    SplitMonthMissing(Month),
    #[error("hay {rows} filas de entrenamiento; se necesitan al menos {needed}")]
    TooFewRows { rows: usize, needed: usize },
    #[error("el ajuste final falló (sistema no definido positivo)")]
    FitFailed,
}

/// The original's random split, as months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedSplit {
    /// Training months in the order its cross-validation used them.
    pub train_months_in_order: Vec<Month>,
    pub test_months_in_order: Vec<Month>,
}

/// One month scored out of sample.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub month: Month,
    pub real: f64,
    pub predicted: f64,
    /// Last month's price: the naive forecast.
    pub naive: f64,
    /// The hyper-parameters used for this month (chosen from earlier data only).
    pub hyper: Hyper,
}

/// Model and naive metrics over the same months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub model: Metrics,
    pub naive: Metrics,
    /// Months where the model's absolute error is below naive's.
    pub months_beating_naive: usize,
}

impl Comparison {
    pub fn of(scored: &[Scored]) -> Comparison {
        let real: Vec<f64> = scored.iter().map(|s| s.real).collect();
        let model: Vec<f64> = scored.iter().map(|s| s.predicted).collect();
        let naive: Vec<f64> = scored.iter().map(|s| s.naive).collect();
        let months_beating_naive =
            scored.iter().filter(|s| (s.real - s.predicted).abs() < (s.real - s.naive).abs()).count();
        Comparison { model: Metrics::of(&real, &model), naive: Metrics::of(&real, &naive), months_beating_naive }
    }
}

/// The `seed` protocol's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedReport {
    pub grid: GridResult,
    pub test: Vec<Scored>,
    pub comparison: Comparison,
    pub model: Model,
}

/// The honest protocol's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HonestReport {
    /// Selection on every row (what chose the recommended model).
    pub grid: GridResult,
    pub backtest: Vec<Scored>,
    pub comparison: Comparison,
    /// Backtest MAE below naive's.
    pub beats_naive: bool,
    pub model: Model,
}

fn naive(db: &Database, month: Month, fallback: f64) -> f64 {
    db.price(month.prev()).unwrap_or(fallback)
}

fn model(id: ModelId, m: &TrainMatrix, rows: &[usize], hyper: Hyper, prepared: &Prepared) -> Result<Model, ProtocolError> {
    let pipeline = prepared.fit(hyper).ok_or(ProtocolError::FitFailed)?;
    let months: Vec<Month> = rows.iter().map(|&i| m.months[i]).collect();
    let (Some(&trained_from), Some(&trained_to)) = (months.iter().min(), months.iter().max()) else {
        return Err(ProtocolError::TooFewRows { rows: 0, needed: 1 });
    };
    let inputs = Inputs::AllSources;
    Ok(Model {
        id,
        name: id.label().to_string(),
        inputs,
        needs: inputs.describe().to_string(),
        feature_names: m.names.clone(),
        selected_names: pipeline.selected.iter().map(|&j| m.names[j].clone()).collect(),
        hyper,
        pipeline,
        trained_from,
        trained_to,
        trained_rows: rows.len(),
    })
}

/// The original's evaluation on its own split.
pub fn seed(db: &Database, split: &SeedSplit) -> Result<SeedReport, ProtocolError> {
    let m = TrainMatrix::build(db, Inputs::AllSources, Window::SeedRows);
    let index = m.index();
    let rows = |months: &[Month]| -> Result<Vec<usize>, ProtocolError> {
        months.iter().map(|mo| index.get(mo).copied().ok_or(ProtocolError::SplitMonthMissing(*mo))).collect()
    };
    let train = rows(&split.train_months_in_order)?;
    let test = rows(&split.test_months_in_order)?;
    let x = m.x.select_rows(&train);
    let y: Vec<f64> = train.iter().map(|&i| m.y[i]).collect();
    if y.len() < SEED_FOLDS * 2 {
        return Err(ProtocolError::TooFewRows { rows: y.len(), needed: SEED_FOLDS * 2 });
    }
    let result = grid_search(&x, &y, &kfold(y.len(), SEED_FOLDS), &grid(), Scoring::R2);
    let hyper = result.best_hyper();
    let fitted = model(ModelId::Replica, &m, &train, hyper, &Prepared::new(&x, &y))?;
    let scored: Vec<Scored> = test
        .iter()
        .map(|&i| Scored {
            month: m.months[i],
            real: m.y[i],
            predicted: fitted.pipeline.predict(m.x.row(i)),
            naive: naive(db, m.months[i], f64::NAN),
            hyper,
        })
        .collect();
    Ok(SeedReport { comparison: Comparison::of(&scored), grid: result, test: scored, model: fitted })
}

/// Select hyper-parameters on rows `0..n` of `m` by time-ordered validation.
fn select(m: &TrainMatrix, n: usize) -> Result<GridResult, ProtocolError> {
    let splits: Vec<Split> = time_blocks(n, BLOCK, BLOCKS, MIN_TRAIN);
    if splits.is_empty() {
        return Err(ProtocolError::TooFewRows { rows: n, needed: BLOCK * BLOCKS + MIN_TRAIN });
    }
    let rows: Vec<usize> = (0..n).collect();
    Ok(grid_search(&m.x.select_rows(&rows), &m.y[..n], &splits, &grid(), Scoring::NegMae))
}

/// Honest selection, nested walk-forward backtest, and the recommended model.
pub fn honest(db: &Database) -> Result<HonestReport, ProtocolError> {
    let m = TrainMatrix::build(db, Inputs::AllSources, Window::Calendar);
    let n = m.months.len();
    let needed = BACKTEST_MONTHS + BLOCK * BLOCKS + MIN_TRAIN;
    if n < needed {
        return Err(ProtocolError::TooFewRows { rows: n, needed });
    }
    let mut backtest = Vec::with_capacity(BACKTEST_MONTHS);
    for t in n - BACKTEST_MONTHS..n {
        let hyper = select(&m, t)?.best_hyper();
        let prepared = Prepared::new(&m.x.select_rows(&(0..t).collect::<Vec<_>>()), &m.y[..t]);
        let fitted = prepared.fit(hyper).ok_or(ProtocolError::FitFailed)?;
        backtest.push(Scored {
            month: m.months[t],
            real: m.y[t],
            predicted: fitted.predict(m.x.row(t)),
            naive: naive(db, m.months[t], f64::NAN),
            hyper,
        });
    }
    let comparison = Comparison::of(&backtest);
    let result = select(&m, n)?;
    let all: Vec<usize> = (0..n).collect();
    let fitted = model(ModelId::Recommended, &m, &all, result.best_hyper(), &Prepared::new(&m.x, &m.y))?;
    Ok(HonestReport {
        beats_naive: comparison.model.mae < comparison.naive.mae,
        comparison,
        grid: result,
        backtest,
        model: fitted,
    })
}
