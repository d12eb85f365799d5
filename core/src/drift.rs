//! How the active model does on the data now stored: after an upload the
//! app recomputes this and compares it with the figure before, over all
//! months with a real price and over the months after the model's training
//! data (new data it never saw — the drift signal).

use serde::{Deserialize, Serialize};

use crate::fit::metrics::{r2, rmse};
use crate::model::Model;
use crate::data::month::Month;
use crate::data::tables::Database;

/// RMSE and R² over some months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Skill {
    pub months: usize,
    pub rmse: f64,
    /// `None` with fewer than two months (R² is undefined).
    pub r2: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// The last month the model was fitted on (`None` if it does not say).
    pub trained_to: Option<Month>,
    /// Every forecastable month with a real price.
    pub all: Option<Skill>,
    /// Only the months after `trained_to`; `None` when there are none.
    pub after_training: Option<Skill>,
}

/// How much the active model's error must grow with an upload before the app
/// suggests retraining: 25 % in RMSE. Smaller moves are within what a few
/// new months do by chance on this series (its monthly changes vary by more
/// than that from year to year); larger ones say the data has moved away
/// from what the model learnt.
pub const RETRAIN_GROWTH: f64 = 0.25;

impl Drift {
    /// The error this upload should be judged by: on the months the model
    /// never saw when it has such months, else on every month.
    fn judged(&self) -> Option<&Skill> {
        self.after_training.as_ref().or(self.all.as_ref())
    }
}

/// Whether the error grew by more than [`RETRAIN_GROWTH`] from `before` to
/// `after` (the RMSE over every month before against the error the upload
/// left, on unseen months where there are any).
pub fn suggests_retrain(before: &Drift, after: &Drift) -> bool {
    match (before.all.as_ref(), after.judged()) {
        (Some(b), Some(a)) => a.rmse > b.rmse * (1.0 + RETRAIN_GROWTH),
        _ => false,
    }
}

/// Measures `model` on `db`.
pub fn measure(model: &Model, db: &Database) -> Drift {
    let scored: Vec<(Month, f64, f64)> = model
        .forecast_all(db)
        .forecasts
        .iter()
        .filter_map(|f| f.real.map(|r| (f.month, r, f.predicted)))
        .collect();
    let skill = |rows: Vec<&(Month, f64, f64)>| {
        if rows.is_empty() {
            return None;
        }
        let real: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let predicted: Vec<f64> = rows.iter().map(|r| r.2).collect();
        Some(Skill { months: rows.len(), rmse: rmse(&real, &predicted), r2: (rows.len() > 1).then(|| r2(&real, &predicted)) })
    };
    Drift {
        trained_to: model.trained_to,
        all: skill(scored.iter().collect()),
        after_training: model.trained_to.and_then(|t| skill(scored.iter().filter(|r| r.0 > t).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill(rmse: f64) -> Option<Skill> {
        Some(Skill { months: 12, rmse, r2: None })
    }

    #[test]
    fn retraining_is_suggested_only_past_the_threshold() {
        let before = Drift { trained_to: None, all: skill(10.0), after_training: None };
        let grown = |rmse| Drift { trained_to: None, all: skill(rmse), after_training: None };
        assert!(!suggests_retrain(&before, &grown(12.5)));
        assert!(suggests_retrain(&before, &grown(12.6)));
        // Unseen months judge the upload when there are some, even if the overall error barely moved.
        let unseen = Drift { trained_to: None, all: skill(10.1), after_training: skill(20.0) };
        assert!(suggests_retrain(&before, &unseen));
        assert!(!suggests_retrain(&Drift { trained_to: None, all: None, after_training: None }, &grown(99.0)));
    }
}
