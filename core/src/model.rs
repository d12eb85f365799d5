//! A shipped model: what it needs, how it predicts, and its forecasts over a
//! range. Both the trainer (`predictions.csv`) and the browser predict
//! through [`Model::forecast`], so their numbers are the same.

use serde::{Deserialize, Serialize};

use crate::features::{predict_row, Inputs, MissingData};
use crate::interval::Interval;
use crate::month::Month;
use crate::pipeline::{Fitted, Hyper};
use crate::price_change::{ChangeFit, ChangeHyper};
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
    pub method: Method,
    /// The 80% interval around each forecast, where the model has one (from
    /// its own out-of-sample errors; the replica has none).
    pub interval: Option<Interval>,
    /// Months the final fit used (none for a rule without fitting).
    pub trained_from: Option<Month>,
    pub trained_to: Option<Month>,
    pub trained_rows: usize,
}

/// How a model turns data into a forecast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The original pipeline on the lag features of every source.
    LagPipeline {
        /// Every lag-feature name, in column order (the pipeline's input).
        feature_names: Vec<String>,
        selected_names: Vec<String>,
        hyper: Hyper,
        pipeline: Fitted,
    },
    /// Last month's price times one plus a predicted relative change, from
    /// the price history alone ([`crate::price_change`]).
    PriceChange {
        feature_names: Vec<String>,
        /// What the inner validation chose (`None`: nothing fitted, as the seasonal rule).
        hyper: Option<ChangeHyper>,
        fit: ChangeFit,
    },
}

impl Method {
    /// The data this method reads.
    pub fn inputs(&self) -> Inputs {
        match self {
            Method::LagPipeline { .. } => Inputs::AllSources,
            Method::PriceChange { .. } => Inputs::PriceHistory,
        }
    }

    /// Forecast `month` from the months before it in `db`.
    pub fn predict(&self, db: &Database, month: Month) -> Result<f64, MissingData> {
        match self {
            Method::LagPipeline { pipeline, .. } => Ok(pipeline.predict(&predict_row(db, Inputs::AllSources, month)?)),
            Method::PriceChange { fit, .. } => fit.forecast(db, month),
        }
    }

    /// The choices made in fitting, for logs.
    pub fn describe(&self) -> String {
        match self {
            Method::LagPipeline { hyper: h, .. } => format!("alpha={}, grado={}, k={}", h.alpha, h.degree, h.k),
            Method::PriceChange { hyper: Some(h), fit, .. } if fit.weight != 1.0 => {
                format!("{}, peso={}", h.describe(), fit.weight)
            }
            Method::PriceChange { hyper: Some(h), .. } => h.describe(),
            Method::PriceChange { hyper: None, .. } => "sin parámetros".into(),
        }
    }
}

/// One forecast month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub month: Month,
    pub predicted: f64,
    pub real: Option<f64>,
    /// Bounds of the 80% prediction interval, when the model has one.
    #[serde(default)]
    pub lower: Option<f64>,
    #[serde(default)]
    pub upper: Option<f64>,
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
    /// Forecast one month from the months before it.
    pub fn forecast(&self, db: &Database, month: Month) -> Result<Forecast, MissingData> {
        let predicted = self.method.predict(db, month)?;
        let bounds = self.interval.map(|i| i.around(predicted));
        Ok(Forecast {
            month,
            predicted,
            real: db.price(month),
            lower: bounds.map(|b| b.0),
            upper: bounds.map(|b| b.1),
        })
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

    /// Every month the model can forecast with `db`: from the first month with its
    /// history of usable months before it to the month after the last usable one.
    pub fn forecast_all(&self, db: &Database) -> RangeForecast {
        let base = self.inputs.base_rows(db);
        let (Some(first), Some(last)) = (base.keys().next(), base.keys().next_back()) else {
            return RangeForecast::default();
        };
        let mut all = self.forecast_range(db, first.offset(self.inputs.history()), last.next());
        all.unavailable.clear();
        all
    }

    /// The month after the last month with every input this model reads: the
    /// forecast that matters (for a price-only model, the month after the last price).
    pub fn next_month(&self, db: &Database) -> Option<Month> {
        self.inputs.base_rows(db).keys().next_back().map(|m| m.next())
    }
}
