//! The original pipeline (mutual-information selection, polynomial, ridge)
//! on the lag features of every source, as an honest candidate: its grid is
//! chosen by MAE on time-ordered blocks of the months before the origin.
//!
//! One-step only: its inputs for a month are the three months before it of
//! rainfall and Central Bank data, which do not exist for later months.

use super::{Candidate, CandidateId, Fit, FitError, Method};
use crate::features::{predict_row, Inputs, TrainMatrix, Window};
use crate::month::Month;
use crate::pipeline::{grid, Prepared};
use crate::tables::Database;
use crate::validation::{grid_search, GridResult, Scoring, TimeBlocks};

/// Inner validation: the last four blocks of six rows, the first fit on at least twelve.
pub const SELECTION: TimeBlocks = TimeBlocks { block: 6, blocks: 4, min_train: 12 };

/// Select hyper-parameters on rows `0..n` of `m` by time-ordered validation.
fn select(m: &TrainMatrix, n: usize, origin: Month) -> Result<GridResult, FitError> {
    let splits = SELECTION.splits(n);
    if splits.is_empty() {
        return Err(FitError::TooFewRows { origin, rows: n, needed: SELECTION.needed() });
    }
    let rows: Vec<usize> = (0..n).collect();
    Ok(grid_search(&m.x.select_rows(&rows), &m.y[..n], &splits, &grid(), Scoring::NegMae))
}

pub struct Original;

impl Candidate for Original {
    fn id(&self) -> CandidateId {
        CandidateId::Original
    }

    fn can_forecast(&self, db: &Database, origin: Month) -> bool {
        predict_row(db, Inputs::AllSources, origin).is_ok()
    }

    fn fit(&self, db: &Database, origin: Month) -> Result<Fit, FitError> {
        let m = TrainMatrix::build(db, Inputs::AllSources, Window::Calendar);
        let n = m.months.partition_point(|&mo| mo < origin);
        let hyper = select(&m, n, origin)?.best_hyper();
        let rows: Vec<usize> = (0..n).collect();
        let pipeline =
            Prepared::new(&m.x.select_rows(&rows), &m.y[..n]).fit(hyper).ok_or(FitError::NotPositiveDefinite(origin))?;
        let selected_names = pipeline.selected.iter().map(|&j| m.names[j].clone()).collect();
        Ok(Fit {
            method: Method::LagPipeline { feature_names: m.names.clone(), selected_names, hyper, pipeline },
            trained_from: m.months.first().copied(),
            trained_to: m.months[..n].last().copied(),
            trained_rows: n,
        })
    }
}
