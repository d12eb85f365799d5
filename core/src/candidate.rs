//! The candidate forecasters the honest protocol compares, and the one
//! operation every comparison is built from: [`Candidate::fit_before`], a
//! fit that sees only data strictly before a month — every choice included
//! (hyper-parameters, training window, feature selection).

use serde::{Deserialize, Serialize};

use crate::features::{predict_row, Inputs, TrainMatrix, Window};
use crate::model::Method;
use crate::month::Month;
use crate::pipeline::Prepared;
use crate::price_change::{feature_names, select_and_fit, ChangeFit, ChangeRows};
use crate::protocol::{select, ProtocolError};
use crate::tables::Database;

/// A kind of forecaster, in the order that breaks ties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Candidate {
    /// The original pipeline (MI selection, polynomial, ridge) on lag features
    /// of every source, its grid chosen by MAE on time-ordered blocks.
    Original,
    /// Ridge on the price history, predicting the relative change.
    PriceChange,
    /// The average of [`Candidate::PriceChange`] and the naive forecast
    /// (half the predicted change).
    HalfChange,
    /// Last month's price times the same month's change a year before: no fitting.
    SeasonalChange,
}

/// Every candidate; on equal scores the earlier one wins.
pub const CANDIDATES: [Candidate; 4] =
    [Candidate::Original, Candidate::PriceChange, Candidate::HalfChange, Candidate::SeasonalChange];

/// A candidate fitted on the months before some month.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateFit {
    pub method: Method,
    /// Months (rows) the final fit used; empty for a rule without fitting.
    pub trained_from: Option<Month>,
    pub trained_to: Option<Month>,
    pub trained_rows: usize,
}

impl Candidate {
    pub fn label(self) -> &'static str {
        match self {
            Candidate::Original => "pipeline original (todas las fuentes)",
            Candidate::PriceChange => "cambio de precio (solo precios)",
            Candidate::HalfChange => "mitad cambio, mitad ingenuo",
            Candidate::SeasonalChange => "cambio estacional (mismo mes del año anterior)",
        }
    }

    pub fn inputs(self) -> Inputs {
        match self {
            Candidate::Original => Inputs::AllSources,
            _ => Inputs::PriceHistory,
        }
    }

    /// Whether `db` holds what a forecast of `month` reads (checked before fitting).
    pub fn can_forecast(self, db: &Database, month: Month) -> bool {
        match self.inputs() {
            Inputs::AllSources => predict_row(db, Inputs::AllSources, month).is_ok(),
            Inputs::PriceHistory => crate::price_change::row(db, month).is_ok(),
        }
    }

    /// Fit on the data of months strictly before `month` only. Every later
    /// row of `db` is ignored, so the result is the same whether or not
    /// those rows exist (see the truncation test in `tests/no_leakage.rs`).
    pub fn fit_before(self, db: &Database, month: Month) -> Result<CandidateFit, ProtocolError> {
        match self {
            Candidate::Original => {
                let m = TrainMatrix::build(db, Inputs::AllSources, Window::Calendar);
                let n = m.months.partition_point(|&mo| mo < month);
                let hyper = select(&m, n)?.best_hyper();
                let rows: Vec<usize> = (0..n).collect();
                let pipeline =
                    Prepared::new(&m.x.select_rows(&rows), &m.y[..n]).fit(hyper).ok_or(ProtocolError::FitFailed)?;
                let selected_names = pipeline.selected.iter().map(|&j| m.names[j].clone()).collect();
                Ok(CandidateFit {
                    method: Method::LagPipeline { feature_names: m.names.clone(), selected_names, hyper, pipeline },
                    trained_from: m.months.first().copied(),
                    trained_to: m.months[..n].last().copied(),
                    trained_rows: n,
                })
            }
            Candidate::PriceChange | Candidate::HalfChange => {
                let rows = ChangeRows::build(db, month);
                let weight = if self == Candidate::HalfChange { 0.5 } else { 1.0 };
                let n = rows.months.len();
                let (hyper, fit) = select_and_fit(&rows, weight).ok_or(ProtocolError::TooFewRows {
                    rows: n,
                    needed: crate::price_change::MIN_TRAIN + crate::price_change::BLOCK * crate::price_change::BLOCKS,
                })?;
                let used = hyper.window.map_or(n, |w| w.min(n));
                Ok(CandidateFit {
                    method: Method::PriceChange { feature_names: feature_names(), hyper: Some(hyper), fit },
                    trained_from: rows.months.get(n - used).copied(),
                    trained_to: rows.months.last().copied(),
                    trained_rows: used,
                })
            }
            Candidate::SeasonalChange => Ok(CandidateFit {
                method: Method::PriceChange { feature_names: feature_names(), hyper: None, fit: ChangeFit::seasonal() },
                trained_from: None,
                trained_to: None,
                trained_rows: 0,
            }),
        }
    }
}
