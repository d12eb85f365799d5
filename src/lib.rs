//! Leche's web app: forecasts Chile's monthly milk price in the browser,
//! against a copy of the data kept in IndexedDB.
//!
//! The big picture: the [`session`] owns the state and makes every write;
//! [`store`] is the only module that talks to IndexedDB (tested in Chromium
//! with wasm-bindgen-test); [`worker`] runs long jobs in a Web Worker and
//! [`wire`] types what crosses to it; [`browser`] wraps the other browser
//! APIs, one per file; [`routes`] are the pages, which read the session's
//! signals and call its verbs; [`app`] only assembles them. What pages show
//! is computed by plain modules ([`ahead`], [`freshness`], [`format`], [`route`], [`interaction`],
//! [`export`], [`report`], [`batches`], [`plots`], [`chart`], [`results_table`], [`coverage`],
//! [`track`], [`seed`], [`snapshot`], [`spreadsheet`], [`storage`], [`backup`], [`crash`]) tested natively with `cargo test -p
//! leche`. All forecasting is `leche_core`, the same code the trainer runs.

pub mod ahead;
pub mod backup;
pub mod batches;
pub mod chart;
pub mod coverage;
pub mod crash;
pub mod export;
pub mod format;
pub mod freshness;
pub mod interaction;
pub mod plots;
pub mod report;
pub mod results_table;
pub mod route;
pub mod seed;
pub mod snapshot;
pub mod spreadsheet;
pub mod storage;
pub mod track;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod frame;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod recovery;
#[cfg(target_arch = "wasm32")]
pub mod routes;
#[cfg(target_arch = "wasm32")]
pub mod session;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod worker;
