//! The median of several candidates' forecasts, month by month.
//!
//! Why: on short monthly series a combination is hard to beat — each
//! member's errors partly cancel — and the median ignores one member that
//! goes astray. The members are fitted as they would be alone, at the same
//! origin, from the same earlier data.

use super::{Candidate, CandidateId, Fit, FitError, Method};
use crate::month::Month;
use crate::tables::Database;

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

pub struct Median {
    pub id: CandidateId,
    pub members: Vec<Box<dyn Candidate>>,
}

impl Median {
    pub fn new(id: CandidateId, members: Vec<Box<dyn Candidate>>) -> Result<Median, FitError> {
        if members.len() < 2 || members.iter().any(|m| m.id().one_step_only() || !m.members().is_empty()) {
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

    fn members(&self) -> Vec<CandidateId> {
        self.members.iter().map(|m| m.id()).collect()
    }

    fn fit(&self, db: &Database, origin: Month) -> Result<Fit, FitError> {
        let fits = self.members.iter().map(|m| m.fit(db, origin)).collect::<Result<Vec<Fit>, FitError>>()?;
        Ok(Fit {
            trained_from: fits.iter().filter_map(|f| f.trained_from).min(),
            trained_to: fits.iter().filter_map(|f| f.trained_to).max(),
            trained_rows: fits.iter().map(|f| f.trained_rows).max().unwrap_or(0),
            method: Method::Median(fits.into_iter().map(|f| f.method).collect()),
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
