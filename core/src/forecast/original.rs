//! The original pipeline (mutual-information selection, polynomial, ridge)
//! on the lag features of every source, as an honest candidate: its grid is
//! chosen by MAE on time-ordered blocks of the months before the origin.
//!
//! One-step only: its inputs for a month are the three months before it of
//! rainfall and Central Bank data, which do not exist for later months.

use serde::{Deserialize, Serialize};

use super::explanation::{Explanation, Group, Link, Part, Step};
use super::shape::Shape;
use super::{within_horizon, Candidate, CandidateId, CheckError, Fit, FitError, ForecastError, Forecaster, Form, Method};
use crate::forecast::features::{lag_names, predict_row, Inputs, TrainMatrix, Window};
use crate::data::month::Month;
use crate::data::source::Source;
use crate::fit::pipeline::{grid, Fitted, Hyper, Prepared, MAX_DEGREE, MAX_TERMS};
use crate::fit::poly::Poly;
use crate::data::tables::Database;
use crate::fit::cross_validation::{grid_search, GridResult, Scoring, TimeBlocks};

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

/// The fitted pipeline and the names of what it reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LagPipeline {
    /// Every lag-feature name, in column order (the pipeline's input).
    pub feature_names: Vec<String>,
    pub selected_names: Vec<String>,
    pub hyper: Hyper,
    pub pipeline: Fitted,
}

impl Form for LagPipeline {
    fn candidate(&self) -> CandidateId {
        CandidateId::Original
    }

    fn describe(&self) -> String {
        format!("alpha={}, grado={}, k={}", self.hyper.alpha, self.hyper.degree, self.hyper.k)
    }

    fn check(&self, model: &str) -> Result<(), CheckError> {
        let (shape, pipeline) = (Shape { model }, &self.pipeline);
        let width = lag_names(&Database::joined_names()).len();
        shape.length("feature_names", self.feature_names.len(), width)?;
        shape.range("degree", pipeline.degree as f64, 1.0, MAX_DEGREE as f64)?;
        // Counted before anything is read element by element: a
        // pipeline's cost grows with its terms, not its file size.
        let inputs = pipeline.selected.len();
        let terms = match (Poly { inputs, degree: pipeline.degree }).columns() {
            Some(t) if t <= MAX_TERMS => t,
            terms => {
                return Err(CheckError::TooManyTerms { model: shape.name(), inputs, degree: pipeline.degree, terms, max: MAX_TERMS })
            }
        };
        shape.length("selected_names", self.selected_names.len(), inputs)?;
        if let Some(&bad) = pipeline.selected.iter().find(|&&j| j >= width) {
            return Err(CheckError::UnknownFeature { model: shape.name(), index: bad, names: width });
        }
        shape.length("scaler.mean", pipeline.scaler.mean.len(), inputs)?;
        shape.length("scaler.scale", pipeline.scaler.scale.len(), inputs)?;
        shape.length("coef", pipeline.coef.len(), terms)?;
        shape.coefficients(&pipeline.coef)?;
        shape.finite("intercept", &[pipeline.intercept, self.hyper.alpha])?;
        shape.scaler(&pipeline.scaler)
    }
}

/// One step only, from the lag features of the three months before.
impl LagPipeline {
    /// Each term of the fitted polynomial times its coefficient, in the
    /// order the prediction's dot product adds them, then the intercept:
    /// [`crate::fit::pipeline::Fitted::predict`] as parts. A term's group is
    /// the table its inputs come from (several: [`Group::Mixed`]; none: the constant).
    fn contributions(&self, row: &[f64]) -> Vec<(Part, f64)> {
        let p = &self.pipeline;
        let mut x: Vec<f64> = p.selected.iter().map(|&j| row.get(j).copied().unwrap_or(f64::NAN)).collect();
        p.scaler.transform_row(&mut x);
        let poly = Poly { inputs: x.len(), degree: p.degree };
        let terms = poly.terms();
        let phi = poly.expand(&terms, &x);
        let columns = Database::joined_names().len();
        let source = |j: usize| {
            let c = j % columns;
            let rainfall = Source::Rainfall.columns().len();
            let central_bank = Source::CentralBank.columns().len();
            Group::of(if c < rainfall { Source::Rainfall } else if c < rainfall + central_bank { Source::CentralBank } else { Source::MilkPrice })
        };
        let mut parts: Vec<(Part, f64)> = terms
            .iter()
            .zip(phi.iter().zip(&p.coef))
            .map(|(term, (phi, c))| {
                let mut groups = term.iter().map(|&i| source(p.selected[i]));
                let part = match groups.next() {
                    None => Part::Constant,
                    Some(first) => {
                        let group = if groups.all(|g| g == first) { first } else { Group::Mixed };
                        let name = term.iter().map(|&i| self.selected_names.get(i).cloned().unwrap_or_default()).collect::<Vec<_>>().join(" × ");
                        Part::Term { name, group }
                    }
                };
                (part, phi * c)
            })
            .collect();
        parts.push((Part::Constant, p.intercept));
        parts
    }
}

impl Forecaster for LagPipeline {
    fn path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<f64>, ForecastError> {
        within_horizon(origin, steps)?;
        if steps > 1 {
            return Err(ForecastError::OneStepOnly { month: origin.next(), next: origin });
        }
        Ok(vec![self.pipeline.predict(&predict_row(db, Inputs::AllSources, origin)?)])
    }

    /// Past the month after the last price, its inputs do not exist.
    fn forecast_month(&self, db: &Database, month: Month) -> Result<(f64, u32), ForecastError> {
        if let Some(next) = db.last_price_month().map(Month::next) {
            if month > next {
                return Err(ForecastError::OneStepOnly { month, next });
            }
        }
        Ok((self.path(db, month, 1)?.first().copied().unwrap_or(f64::NAN), 1))
    }

    fn explain_path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<Step>, ForecastError> {
        within_horizon(origin, steps)?;
        if steps > 1 {
            return Err(ForecastError::OneStepOnly { month: origin.next(), next: origin });
        }
        let parts = self.contributions(&predict_row(db, Inputs::AllSources, origin)?);
        Ok(vec![Step { month: origin, base: None, parts, link: Link::Level }])
    }

    fn explain_month(&self, db: &Database, month: Month) -> Result<Explanation, ForecastError> {
        if let Some(next) = db.last_price_month().map(Month::next) {
            if month > next {
                return Err(ForecastError::OneStepOnly { month, next });
            }
        }
        Ok(Explanation { month, horizon: 1, steps: self.explain_path(db, month, 1)? })
    }

    fn first_month(&self, db: &Database) -> Option<Month> {
        db.joined().keys().next().map(|m| m.offset(3))
    }

    fn needs(&self) -> String {
        self.inputs().describe().to_string()
    }

    fn inputs(&self) -> Inputs {
        Inputs::AllSources
    }

    /// Not a price rule: it reads every source.
    fn rule_history(&self) -> Option<usize> {
        None
    }
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
            method: Method::LagPipeline(LagPipeline { feature_names: m.names.clone(), selected_names, hyper, pipeline }),
            trained_from: m.months.first().copied(),
            trained_to: m.months[..n].last().copied(),
            trained_rows: n,
        })
    }
}
