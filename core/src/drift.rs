//! How the active model does on the data now stored: after an upload the
//! app recomputes this and compares it with the figure before, over all
//! months with a real price and over the months after the model's training
//! data (new data it never saw — the drift signal).

use serde::{Deserialize, Serialize};

use crate::metrics::{r2, rmse};
use crate::model::Model;
use crate::month::Month;
use crate::tables::Database;

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
