//! A shipped model: what it needs, how it predicts, and its forecasts over a
//! range. Both the trainer (`predictions.csv`) and the browser predict
//! through [`Model::forecast`], so their numbers are the same.

use serde::{Deserialize, Serialize};

use crate::features::{predict_row, Inputs, MissingData};
use crate::month::Month;
use crate::pipeline::{Fitted, Hyper};
use crate::tables::Database;

/// Which shipped model this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelId {
    /// The `seed` protocol's model: the original service, reproduced.
    Replica,
    /// The honest protocol's winner, chosen by time-ordered validation.
    Recommended,
}

impl ModelId {
    pub fn label(self) -> &'static str {
        match self {
            ModelId::Replica => "Réplica del modelo original",
            ModelId::Recommended => "Modelo recomendado",
        }
    }
}

/// A fitted model with the facts a user needs to trust or doubt it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub id: ModelId,
    pub name: String,
    pub inputs: Inputs,
    /// Plain statement of the data a forecast of month M needs.
    pub needs: String,
    /// Every lag-feature name, in column order (the pipeline's input).
    pub feature_names: Vec<String>,
    pub selected_names: Vec<String>,
    pub hyper: Hyper,
    pub pipeline: Fitted,
    /// Months the final fit used.
    pub trained_from: Month,
    pub trained_to: Month,
    pub trained_rows: usize,
}

/// One forecast month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub month: Month,
    pub predicted: f64,
    pub real: Option<f64>,
}

impl Forecast {
    /// Real minus predicted, where the real price is known.
    pub fn error(&self) -> Option<f64> {
        self.real.map(|r| r - self.predicted)
    }
}

/// Forecasts for a range: the months that can be predicted and what the others lack.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RangeForecast {
    pub forecasts: Vec<Forecast>,
    pub unavailable: Vec<MissingData>,
}

impl Model {
    /// Forecast one month from the three before it.
    pub fn forecast(&self, db: &Database, month: Month) -> Result<Forecast, MissingData> {
        let row = predict_row(db, self.inputs, month)?;
        Ok(Forecast { month, predicted: self.pipeline.predict(&row), real: db.price(month) })
    }

    /// Forecast every month from `first` to `last`, both included.
    pub fn forecast_range(&self, db: &Database, first: Month, last: Month) -> RangeForecast {
        let mut out = RangeForecast::default();
        for m in first.through(last) {
            match self.forecast(db, m) {
                Ok(f) => out.forecasts.push(f),
                Err(e) => out.unavailable.push(e),
            }
        }
        out
    }

    /// Every month the model can forecast with `db`: from the first month with three
    /// usable months before it to the month after the last usable one.
    pub fn forecast_all(&self, db: &Database) -> RangeForecast {
        let base = self.inputs.base_rows(db);
        let (Some(first), Some(last)) = (base.keys().next(), base.keys().next_back()) else {
            return RangeForecast::default();
        };
        let mut all = self.forecast_range(db, first.offset(3), last.next());
        all.unavailable.clear();
        all
    }

    /// The month after the last month with every input: the forecast that matters.
    pub fn next_month(&self, db: &Database) -> Option<Month> {
        self.inputs.base_rows(db).keys().next_back().map(|m| m.next())
    }
}
