//! The median of several candidates' forecasts, month by month.
//!
//! Why: on short monthly series a combination is hard to beat — each
//! member's errors partly cancel — and the median ignores one member that
//! goes astray. The members are fitted as they would be alone, at the same
//! origin, from the same earlier data.

use serde::{Deserialize, Serialize};

use super::explanation::{Explanation, Link, Part, Step};
use super::shape::Shape;
use super::{within_horizon, Candidate, CandidateId, CheckError, Fit, FitError, ForecastError, Forecaster, Form, Method, CANDIDATES};
use crate::forecast::features::Inputs;
use crate::data::month::Month;
use crate::data::tables::Database;

/// The median of `values` (the mean of the middle two for an even count);
/// `None` for none.
pub fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// The fitted members (stored as the bare list).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MedianFit {
    pub members: Vec<Method>,
}

impl Form for MedianFit {
    /// The combination its members make: the drift median's three, else the first median.
    fn candidate(&self) -> CandidateId {
        let ids: Vec<CandidateId> = self.members.iter().map(Method::candidate).collect();
        if ids == CandidateId::DriftMedian.members() {
            CandidateId::DriftMedian
        } else {
            CandidateId::Median
        }
    }

    fn describe(&self) -> String {
        let parts: Vec<String> = self.members.iter().map(|m| format!("{} ({})", m.candidate().label(), m.describe())).collect();
        format!("mediana de: {}", parts.join("; "))
    }

    /// Members are price-only single models, each checked.
    fn check(&self, model: &str) -> Result<(), CheckError> {
        let shape = Shape { model };
        shape.range("members", self.members.len() as f64, 2.0, CANDIDATES.len() as f64)?;
        for m in &self.members {
            if !m.candidate().members().is_empty() || m.candidate().one_step_only() {
                return Err(CheckError::Shape { model: shape.name(), reason: "una mediana combina solo modelos de precios".into() });
            }
            m.check(model)?;
        }
        Ok(())
    }
}

/// Month by month, the median of the members' forecasts; a month's horizon
/// is its members' longest.
impl Forecaster for MedianFit {
    fn path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<f64>, ForecastError> {
        within_horizon(origin, steps)?;
        let paths = self.members.iter().map(|m| m.path(db, origin, steps)).collect::<Result<Vec<_>, _>>()?;
        Ok((0..steps as usize)
            .map(|s| {
                let mut v: Vec<f64> = paths.iter().filter_map(|p| p.get(s).copied()).collect();
                median(&mut v).unwrap_or(f64::NAN)
            })
            .collect())
    }

    fn forecast_month(&self, db: &Database, month: Month) -> Result<(f64, u32), ForecastError> {
        let each = self.members.iter().map(|m| m.forecast_month(db, month)).collect::<Result<Vec<_>, _>>()?;
        let horizon = each.iter().map(|e| e.1).max().unwrap_or(1);
        let mut values: Vec<f64> = each.into_iter().map(|e| e.0).collect();
        Ok((median(&mut values).unwrap_or(f64::NAN), horizon))
    }

    /// The members' forecasts of each month, and their median.
    fn explain_path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<Step>, ForecastError> {
        within_horizon(origin, steps)?;
        let paths = self.members.iter().map(|m| Ok((m.candidate(), m.path(db, origin, steps)?))).collect::<Result<Vec<_>, ForecastError>>()?;
        Ok((0..steps as usize)
            .map(|s| {
                let parts = paths.iter().filter_map(|(id, p)| Some((Part::Member(*id), *p.get(s)?))).collect();
                Step { month: origin.offset(s as i32), base: None, parts, link: Link::Median }
            })
            .collect())
    }

    fn explain_month(&self, db: &Database, month: Month) -> Result<Explanation, ForecastError> {
        let each = self.members.iter().map(|m| Ok((m.candidate(), m.forecast_month(db, month)?))).collect::<Result<Vec<_>, ForecastError>>()?;
        let horizon = each.iter().map(|e| e.1 .1).max().unwrap_or(1);
        let parts = each.into_iter().map(|(id, (v, _))| (Part::Member(id), v)).collect();
        Ok(Explanation { month, horizon, steps: vec![Step { month, base: None, parts, link: Link::Median }] })
    }

    fn first_month(&self, db: &Database) -> Option<Month> {
        self.members.iter().map(|m| m.first_month(db)).collect::<Option<Vec<_>>>()?.into_iter().max()
    }

    fn needs(&self) -> String {
        let months = self.members.iter().filter_map(|m| m.forecaster().rule_history()).max().unwrap_or(0);
        format!(
            "solo el precio de la leche (hasta {months} meses anteriores; el miembro MSTL, los meses con que se ajustó); no usa precipitaciones ni Banco Central"
        )
    }

    fn inputs(&self) -> Inputs {
        Inputs::PriceHistory
    }

    /// Not a rule: the median of paths is not the path of a median step.
    fn rule_history(&self) -> Option<usize> {
        None
    }
}

pub struct Median {
    pub id: CandidateId,
    pub members: Vec<Box<dyn Candidate>>,
}

impl Median {
    pub fn new(id: CandidateId, members: Vec<Box<dyn Candidate>>) -> Result<Median, FitError> {
        if members.len() < 2 || members.iter().any(|m| m.id().one_step_only() || !m.id().members().is_empty()) {
            return Err(FitError::BadHyperParameters {
                candidate: id.label(),
                reason: "se combinan al menos dos candidatos de solo precios, sin anidar combinaciones".into(),
            });
        }
        Ok(Median { id, members })
    }
}

impl Candidate for Median {
    fn id(&self) -> CandidateId {
        self.id
    }

    fn fit(&self, db: &Database, origin: Month) -> Result<Fit, FitError> {
        let fits = self.members.iter().map(|m| m.fit(db, origin)).collect::<Result<Vec<Fit>, FitError>>()?;
        Ok(Fit {
            trained_from: fits.iter().filter_map(|f| f.trained_from).min(),
            trained_to: fits.iter().filter_map(|f| f.trained_to).max(),
            trained_rows: fits.iter().map(|f| f.trained_rows).max().unwrap_or(0),
            method: Method::Median(MedianFit { members: fits.into_iter().map(|f| f.method).collect() }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_none() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
