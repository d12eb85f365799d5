//! Leche's forecasting logic, shared by the native trainer and the browser.
//!
//! Pure: no file, network or clock access, so it compiles for the host and
//! `wasm32-unknown-unknown` and gives the same bits on both: only IEEE-exact
//! operations (+ − × ÷ √; no platform `ln`/`exp`/`powf`), sums in a fixed
//! order, ties broken explicitly.
//!
//! The flow: [`clean::read_file`] turns raw CSV bytes into cleaned rows;
//! [`upload::plan`] merges them into a [`Database`]; [`features`] builds the
//! lag rows; [`forecast`] holds the candidates (each forecasting 1–12 months)
//! and their backtest; [`protocol`] chooses and fits models;
//! [`Model::forecast`] forecasts; [`artifact`] is the JSON the trainer writes
//! and the browser reads. `ln`/`exp` come from `libm` (the same bits
//! everywhere); only MSTL's fit (augurs) uses the platform's, and its fitted
//! form forecasts without them.

pub mod artifact;
pub mod bounds;
pub mod check;
pub mod clean;
pub mod drift;
pub mod features;
pub mod forecast;
pub mod locale;
pub mod matrix;
pub mod metrics;
pub mod model;
pub mod month;
pub mod mutual_info;
pub mod numbers;
pub mod original_csv;
pub mod paste;
pub mod pipeline;
pub mod poly;
pub mod protocol;
pub mod query;
pub mod ridge;
pub mod row;
pub mod scaler;
pub mod source;
pub mod tables;
pub mod upload;
pub mod validation;

pub use forecast::interval::Band;
pub use forecast::{ForecastError, MAX_HORIZON};
pub use model::{Forecast, Model, ModelId, RangeForecast};
pub use month::Month;
pub use source::Source;
pub use tables::Database;
