//! What the pages show and decide, computed without a browser: plain
//! functions over the tables, forecasts and records, tested natively with
//! `cargo test -p leche` (and fuzzed, see `fuzz/`). They use nothing else
//! of the app; every other layer may use them.
//!
//! Markup and charts: [`ahead_html`] (the months-ahead card, shared with the
//! [`snapshot`]), [`chart`] (layout and the one SVG renderer), [`plots`]
//! (which lines, bands and points each chart shows), [`results_table`],
//! [`track`] (the forecast track record), [`explanation`] («¿Por qué?»: a
//! forecast's arithmetic, its band and the model's parts). Text: [`format`] (Chilean numbers),
//! [`freshness`] (the data's age), [`report`] (the upload report), [`paste_preview`] («Agregar meses»: each line's fate),
//! [`batch_text`] (uploads as listed and logged), [`table_coverage`] (months
//! per table), [`prediction_text`] (a prediction as CSV and log details),
//! [`storage_use`] (the footer's storage line). Rules and records:
//! [`route`] (the hash routes), [`interaction`] (the interaction log's
//! entries), [`seed`] (when the store is seeded again). Reading files and pastes is the
//! library's (`leche_core::data::incoming`, `paste`).

pub mod ahead_html;
pub mod batch_text;
pub mod chart;
pub mod explanation;
pub mod format;
pub mod freshness;
pub mod interaction;
pub mod plots;
pub mod paste_preview;
pub mod prediction_text;
pub mod report;
pub mod results_table;
pub mod route;
pub mod seed;
pub mod snapshot;
pub mod storage_use;
pub mod table_coverage;
pub mod track;
