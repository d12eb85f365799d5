//! Leche's forecasting logic, shared by the native trainer and the browser.
//!
//! Pure: no file, network or clock access, so it compiles for the host and
//! `wasm32-unknown-unknown` and gives the same bits on both: only IEEE-exact
//! operations (+ − × ÷ √; no platform `ln`/`exp`/`powf`), sums in a fixed
//! order, ties broken explicitly.
//!
//! The layers, each using only those before it (`tests/modules.rs` fails
//! on a cycle): [`data`] (months, sources, reading files and pastes into
//! cleaned rows, the database and its upload batches:
//! [`data::clean::read_file`] then [`data::upload::plan`]); [`fit`]
//! (scikit-learn's pieces the original is made of); [`forecast`] (the lag
//! rows, the candidates, each forecasting 1–12 months, and their backtest);
//! [`model`] (a fitted model as it ships: [`Model::forecast`], its check);
//! [`protocol`] (choosing and fitting models), [`drift`] (whether new data
//! moved a model's error) and [`artifact`], the JSON the trainer writes and
//! the browser reads.
//!
//! `ln`/`exp` come from `libm` (the same bits
//! everywhere); only MSTL's fit (augurs) uses the platform's, and its fitted
//! form forecasts without them.

pub mod artifact;
pub mod data;
pub mod drift;
pub mod fit;
pub mod forecast;
pub mod model;
pub mod protocol;

pub use forecast::interval::Band;
pub use forecast::{ForecastError, MAX_HORIZON};
pub use model::{Forecast, Model, ModelId, RangeForecast};
pub use data::month::Month;
pub use data::source::Source;
pub use data::tables::Database;
