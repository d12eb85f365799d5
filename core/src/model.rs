//! A shipped model: what it needs, how it forecasts, and its forecasts over
//! a range or a fan. Both the trainer (`predictions.csv`) and the browser
//! forecast through [`Model::forecast`], so their numbers are the same.

use serde::{Deserialize, Serialize};

use crate::features::Inputs;
use crate::forecast::interval::{Band, HorizonBand};
use crate::forecast::{CheckError, ForecastError, Method, MAX_HORIZON};
use crate::month::Month;
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
    /// The 80 % and 50 % bands per horizon, from the model's own
    /// out-of-sample errors at that horizon (none for the replica).
    pub bands: Vec<HorizonBand>,
    /// Months the final fit used (none for a rule without fitting).
    pub trained_from: Option<Month>,
    pub trained_to: Option<Month>,
    pub trained_rows: usize,
}

/// One forecast month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub month: Month,
    /// 1 = the month right after the data it was made from: months inside
    /// the data are one-step forecasts; a month after the last price has
    /// h = months after it.
    pub horizon: u32,
    pub predicted: f64,
    pub real: Option<f64>,
    pub band80: Option<Band>,
    pub band50: Option<Band>,
}

impl Forecast {
    /// Real minus predicted, where the real price is known.
    pub fn error(&self) -> Option<f64> {
        self.real.map(|r| r - self.predicted)
    }
}

/// Forecasts for a range: the months that can be forecast and why the others cannot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RangeForecast {
    pub forecasts: Vec<Forecast>,
    pub unavailable: Vec<ForecastError>,
}

impl Model {
    /// The band offsets at `horizon`, if the model has them.
    pub fn band(&self, horizon: u32) -> Option<HorizonBand> {
        self.bands.iter().find(|b| b.horizon == horizon).copied()
    }

    /// Forecast one month: one step from the months before it when they
    /// have data, else up to [`MAX_HORIZON`] months after the last price.
    pub fn forecast(&self, db: &Database, month: Month) -> Result<Forecast, ForecastError> {
        let (predicted, horizon) = self.method.forecast_month(db, month)?;
        let band = self.band(horizon);
        Ok(Forecast {
            month,
            horizon,
            predicted,
            real: db.price(month),
            band80: band.map(|b| b.band80(predicted)),
            band50: band.map(|b| b.band50(predicted)),
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

    /// Every month the model forecasts with `db`: one step ahead from the
    /// first month with the history it reads to the month after its last
    /// data, then the rest of the [`Model::fan`].
    pub fn forecast_all(&self, db: &Database) -> RangeForecast {
        let (Some(first), Some(next)) = (self.method.first_month(db), self.next_month(db)) else {
            return RangeForecast::default();
        };
        let mut all = self.forecast_range(db, first, next);
        all.unavailable.clear();
        all.forecasts.extend(self.fan(db).into_iter().filter(|f| f.month > next));
        all
    }

    /// The month after the last month with every input this model reads:
    /// the forecast that matters (for a price-only model, the month after the last price).
    pub fn next_month(&self, db: &Database) -> Option<Month> {
        self.inputs.base_rows(db).keys().next_back().map(|m| m.next())
    }

    /// The fan: horizons 1 … [`MAX_HORIZON`] after the last price (only the
    /// next month for a one-step model such as the replica).
    pub fn fan(&self, db: &Database) -> Vec<Forecast> {
        let Some(next) = self.next_month(db) else { return Vec::new() };
        let months = if self.method.candidate().one_step_only() { 1 } else { MAX_HORIZON };
        next.through(next.offset(months as i32 - 1)).filter_map(|m| self.forecast(db, m).ok()).collect()
    }

    /// Every shape forecasting indexes on, for a model read from storage
    /// (a backup, an adopted model): after `Ok`, forecasting cannot panic.
    pub fn check(&self) -> Result<(), CheckError> {
        self.method.check(&self.name)?;
        if self.bands.len() > MAX_HORIZON as usize {
            return Err(CheckError::Length {
                model: self.name.clone(),
                what: "bands",
                got: self.bands.len(),
                expected: MAX_HORIZON as usize,
            });
        }
        for b in &self.bands {
            if !(1..=MAX_HORIZON).contains(&b.horizon) || !b.is_sound() {
                return Err(CheckError::Shape {
                    model: self.name.clone(),
                    reason: format!("la banda del horizonte {} no es válida", b.horizon),
                });
            }
        }
        Ok(())
    }
}
