//! The two ways a model is chosen and judged.
//!
//! * [`seed`]: the original service's evaluation, reproduced to prove
//!   fidelity — its random 80/20 split, 3-fold CV on the training rows in
//!   the order the split left them, R² scoring.
//! * [`honest`]: every [`Candidate`] forecasts each month from a fit on the
//!   months before it ([`Candidate::fit_before`]: its own hyper-parameters
//!   chosen by MAE on time-ordered blocks); at each backtest month the
//!   candidate with the lowest MAE over the twelve months before wins, and
//!   its 80% interval comes from its own relative errors over the 48 months before.
//!   The backtest (2018-05 … 2020-04 on the shipped data) is judged against
//!   the naive forecast (next price = last price). Nothing in any choice sees
//!   the month it is scored on, or any later month. The recommended model is
//!   the same choice made once more at the end of the data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::candidate::{Candidate, CANDIDATES};
use crate::features::{Inputs, TrainMatrix, Window};
use crate::interval::{Interval, ERROR_MONTHS};
use crate::locale::number;
use crate::metrics::Metrics;
use crate::model::{Method, Model, ModelId};
use crate::month::Month;
use crate::pipeline::{grid, Prepared};
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
/// Months before a decision whose errors choose among the candidates.
pub const SELECTION_MONTHS: usize = 12;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum ProtocolError {
    #[error("el mes {0} de la partición original no está en la matriz de entrenamiento")]
    SplitMonthMissing(Month),
    #[error("hay {rows} filas de entrenamiento; se necesitan al menos {needed}")]
    TooFewRows { rows: usize, needed: usize },
    #[error("el ajuste final falló (sistema no definido positivo)")]
    FitFailed,
    #[error("ningún candidato tiene pronósticos para los {SELECTION_MONTHS} meses anteriores a {0}")]
    NoEligibleCandidate(Month),
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
    /// The 80% interval, where there was one.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// What was chosen for this month (from earlier data only).
    pub how: String,
}

/// Model and naive metrics over the same months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub model: Metrics,
    pub naive: Metrics,
    /// Months where the model's absolute error is below naive's.
    pub months_beating_naive: usize,
    /// Share of the months with an interval whose real price fell inside it.
    pub coverage: Option<f64>,
    pub months_with_interval: usize,
    pub months_inside_interval: usize,
}

impl Comparison {
    pub fn of(scored: &[Scored]) -> Comparison {
        let real: Vec<f64> = scored.iter().map(|s| s.real).collect();
        let model: Vec<f64> = scored.iter().map(|s| s.predicted).collect();
        let naive: Vec<f64> = scored.iter().map(|s| s.naive).collect();
        let months_beating_naive =
            scored.iter().filter(|s| (s.real - s.predicted).abs() < (s.real - s.naive).abs()).count();
        let bounded: Vec<(f64, f64, f64)> =
            scored.iter().filter_map(|s| Some((s.real, s.lower?, s.upper?))).collect();
        let inside = bounded.iter().filter(|(r, lo, hi)| lo <= r && r <= hi).count();
        Comparison {
            model: Metrics::of(&real, &model),
            naive: Metrics::of(&real, &naive),
            months_beating_naive,
            coverage: (!bounded.is_empty()).then(|| inside as f64 / bounded.len() as f64),
            months_with_interval: bounded.len(),
            months_inside_interval: inside,
        }
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

/// One candidate's own backtest, and what the final choice saw of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateResult {
    pub candidate: Candidate,
    pub label: String,
    pub backtest: Vec<Scored>,
    pub comparison: Comparison,
    /// MAE over the final choice's months (`None`: not forecastable on all of them).
    pub selection_mae: Option<f64>,
}

/// The honest protocol's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HonestReport {
    pub candidates: Vec<CandidateResult>,
    /// The whole procedure (choice of candidate included) month by month.
    pub backtest: Vec<Scored>,
    pub comparison: Comparison,
    /// Backtest MAE below naive's.
    pub beats_naive: bool,
    /// The months whose errors made the final choice.
    pub selection_months: Vec<Month>,
    pub winner: Candidate,
    /// Why the winner won, in plain Spanish.
    pub reason: String,
    pub model: Model,
}

fn naive(db: &Database, month: Month, fallback: f64) -> f64 {
    db.price(month.prev()).unwrap_or(fallback)
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
    let pipeline = Prepared::new(&x, &y).fit(hyper).ok_or(ProtocolError::FitFailed)?;
    let how = format!("alpha={}, grado={}, k={}", hyper.alpha, hyper.degree, hyper.k);
    let scored: Vec<Scored> = test
        .iter()
        .map(|&i| Scored {
            month: m.months[i],
            real: m.y[i],
            predicted: pipeline.predict(m.x.row(i)),
            naive: naive(db, m.months[i], f64::NAN),
            lower: None,
            upper: None,
            how: how.clone(),
        })
        .collect();
    let months: Vec<Month> = train.iter().map(|&i| m.months[i]).collect();
    let id = ModelId::Replica;
    let fitted = Model {
        id,
        name: id.label().to_string(),
        inputs: Inputs::AllSources,
        needs: Inputs::AllSources.describe().to_string(),
        method: Method::LagPipeline {
            feature_names: m.names.clone(),
            selected_names: pipeline.selected.iter().map(|&j| m.names[j].clone()).collect(),
            hyper,
            pipeline,
        },
        interval: None,
        trained_from: months.iter().min().copied(),
        trained_to: months.iter().max().copied(),
        trained_rows: train.len(),
    };
    Ok(SeedReport { comparison: Comparison::of(&scored), grid: result, test: scored, model: fitted })
}

/// Select hyper-parameters on rows `0..n` of `m` by time-ordered validation.
pub(crate) fn select(m: &TrainMatrix, n: usize) -> Result<GridResult, ProtocolError> {
    let splits: Vec<Split> = time_blocks(n, BLOCK, BLOCKS, MIN_TRAIN);
    if splits.is_empty() {
        return Err(ProtocolError::TooFewRows { rows: n, needed: BLOCK * BLOCKS + MIN_TRAIN });
    }
    let rows: Vec<usize> = (0..n).collect();
    Ok(grid_search(&m.x.select_rows(&rows), &m.y[..n], &splits, &grid(), Scoring::NegMae))
}

/// A candidate's forecast of one month from a fit on the months before it.
#[derive(Clone, Debug, PartialEq)]
struct OutOfSample {
    real: f64,
    predicted: f64,
    how: String,
}

/// How far a run of [`honest_observed`] has got: `done` of `total` steps
/// (one per candidate and month forecast out of sample, plus the final fit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// The candidate being backtested, or `None` for the final fit.
    pub candidate: Option<Candidate>,
}

/// `candidate`'s out-of-sample forecast of every month in `months` it can
/// forecast and whose real price is known. Months with too little earlier
/// data are left out. `step` is called once per month.
fn walk_forward(
    db: &Database,
    candidate: Candidate,
    months: impl Iterator<Item = Month>,
    step: &mut dyn FnMut(),
) -> Result<BTreeMap<Month, OutOfSample>, ProtocolError> {
    let mut out = BTreeMap::new();
    for month in months {
        step();
        let Some(real) = db.price(month) else { continue };
        if !candidate.can_forecast(db, month) {
            continue;
        }
        let fit = match candidate.fit_before(db, month) {
            Ok(f) => f,
            Err(ProtocolError::TooFewRows { .. }) => continue,
            Err(e) => return Err(e),
        };
        if let Ok(predicted) = fit.method.predict(db, month) {
            out.insert(month, OutOfSample { real, predicted, how: fit.method.describe() });
        }
    }
    Ok(out)
}

/// Relative errors of the months in `forecasts` before `month`, oldest first.
fn errors_before(forecasts: &BTreeMap<Month, OutOfSample>, month: Month) -> Vec<f64> {
    forecasts.range(..month).map(|(_, f)| Interval::error(f.real, f.predicted)).collect()
}

/// MAE of each candidate over `window` (`None` where it lacks a month), and
/// the lowest one's index (the first in candidate order on ties).
fn choose(forecasts: &[BTreeMap<Month, OutOfSample>], window: &[Month]) -> (Option<usize>, Vec<Option<f64>>) {
    let maes: Vec<Option<f64>> = forecasts
        .iter()
        .map(|f| {
            if window.is_empty() {
                return None;
            }
            let mut total = 0.0;
            for m in window {
                let o = f.get(m)?;
                total += (o.real - o.predicted).abs();
            }
            Some(total / window.len() as f64)
        })
        .collect();
    let mut best: Option<usize> = None;
    for (i, mae) in maes.iter().enumerate() {
        if let Some(v) = mae {
            if best.is_none_or(|b| maes[b].is_none_or(|bv| *v < bv)) {
                best = Some(i);
            }
        }
    }
    (best, maes)
}

fn scored(db: &Database, month: Month, o: &OutOfSample, interval: Option<Interval>, how: String) -> Scored {
    let bounds = interval.map(|i| i.around(o.predicted));
    Scored {
        month,
        real: o.real,
        predicted: o.predicted,
        naive: naive(db, month, f64::NAN),
        lower: bounds.map(|b| b.0),
        upper: bounds.map(|b| b.1),
        how,
    }
}

/// Nested walk-forward backtest of every candidate and of the choice among
/// them, then the recommended model: the same choice at the end of the data.
pub fn honest(db: &Database) -> Result<HonestReport, ProtocolError> {
    honest_observed(db, &mut |_| ())
}

/// [`honest`], reporting its [`Progress`] to `observe` (the browser's
/// retrain shows it; the work and its result are the same).
pub fn honest_observed(db: &Database, observe: &mut dyn FnMut(Progress)) -> Result<HonestReport, ProtocolError> {
    let m = TrainMatrix::build(db, Inputs::AllSources, Window::Calendar);
    let n = m.months.len();
    let needed = BACKTEST_MONTHS + BLOCK * BLOCKS + MIN_TRAIN;
    if n < needed {
        return Err(ProtocolError::TooFewRows { rows: n, needed });
    }
    let months = &m.months[n - BACKTEST_MONTHS..];
    let (first, last_price) = (months[0].offset(-(ERROR_MONTHS as i32)), db.last_price_month().unwrap_or(months[0]));
    let per_candidate = first.through(last_price).count();
    let total = CANDIDATES.len() * per_candidate + 1;
    let mut done = 0;
    let forecasts: Vec<BTreeMap<Month, OutOfSample>> = CANDIDATES
        .iter()
        .map(|&c| {
            walk_forward(db, c, first.through(last_price), &mut || {
                observe(Progress { done, total, candidate: Some(c) });
                done += 1;
            })
        })
        .collect::<Result<_, _>>()?;
    // Every candidate is judged on the same months.
    let months: Vec<Month> = months.iter().copied().filter(|t| forecasts.iter().all(|f| f.contains_key(t))).collect();

    let mut backtest = Vec::with_capacity(months.len());
    for &t in &months {
        let window: Vec<Month> = t.offset(-(SELECTION_MONTHS as i32)).through(t.prev()).collect();
        let (Some(w), _) = choose(&forecasts, &window) else { return Err(ProtocolError::NoEligibleCandidate(t)) };
        let o = &forecasts[w][&t];
        let interval = Interval::from_errors(&errors_before(&forecasts[w], t));
        backtest.push(scored(db, t, o, interval, format!("{}: {}", CANDIDATES[w].label(), o.how)));
    }
    let comparison = Comparison::of(&backtest);

    // The final choice: the last months every candidate forecast out of sample.
    let mut selection_months: Vec<Month> = forecasts[0]
        .keys()
        .rev()
        .filter(|mo| forecasts.iter().all(|f| f.contains_key(mo)))
        .take(SELECTION_MONTHS)
        .copied()
        .collect();
    selection_months.reverse();
    let end = last_price.max(db.feature_months().last().copied().unwrap_or(last_price)).next();
    let (winner, maes) = choose(&forecasts, &selection_months);
    let winner = winner.ok_or(ProtocolError::NoEligibleCandidate(end))?;
    let candidate = CANDIDATES[winner];
    let candidates: Vec<CandidateResult> = CANDIDATES
        .iter()
        .zip(&forecasts)
        .zip(&maes)
        .map(|((&c, f), &selection_mae)| {
            let backtest: Vec<Scored> = months
                .iter()
                .map(|&t| scored(db, t, &f[&t], Interval::from_errors(&errors_before(f, t)), f[&t].how.clone()))
                .collect();
            CandidateResult { candidate: c, label: c.label().to_string(), comparison: Comparison::of(&backtest), backtest, selection_mae }
        })
        .collect();
    let reason = reason(&candidates, candidate, &selection_months);

    observe(Progress { done, total, candidate: None });
    let fit = candidate.fit_before(db, end)?;
    let id = ModelId::Recommended;
    let inputs = candidate.inputs();
    let model = Model {
        id,
        name: format!("{}: {}", id.label(), candidate.label()),
        inputs,
        needs: inputs.describe().to_string(),
        interval: Interval::from_errors(&errors_before(&forecasts[winner], end)),
        method: fit.method,
        trained_from: fit.trained_from,
        trained_to: fit.trained_to,
        trained_rows: fit.trained_rows,
    };
    Ok(HonestReport {
        beats_naive: comparison.model.mae < comparison.naive.mae,
        comparison,
        candidates,
        backtest,
        selection_months,
        winner: candidate,
        reason,
        model,
    })
}

/// Why `winner` won: every candidate's MAE over the final choice's months.
fn reason(candidates: &[CandidateResult], winner: Candidate, months: &[Month]) -> String {
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return String::new() };
    let scores: Vec<String> = candidates
        .iter()
        .map(|c| match c.selection_mae {
            Some(mae) => format!("{} {}", c.label, number(mae, 2)),
            None => format!("{} sin pronósticos suficientes", c.label),
        })
        .collect();
    format!(
        "Se eligió «{}» porque tuvo el menor error absoluto medio en los últimos {} meses con pronósticos de todos los candidatos ({first} … {last}), cada mes pronosticado solo con datos anteriores (CLP/litro): {}.",
        winner.label(),
        months.len(),
        scores.join("; ")
    )
}
