//! Leche's web app: forecasts Chile's monthly milk price in the browser,
//! against a copy of the data kept in IndexedDB.
//!
//! The big picture: the pure helpers ([`format`], [`route`], [`interaction`],
//! [`export`], [`seed`]) are plain Rust, tested natively with `cargo test -p
//! leche`; [`store`] is the only module that talks to IndexedDB (tested in
//! Chromium with wasm-bindgen-test); [`app`] and [`routes`] wire signals to
//! them. All forecasting is `leche_core`, the same code the trainer runs.

pub mod backup;
pub mod chart;
pub mod coverage;
pub mod export;
pub mod format;
pub mod interaction;
pub mod report;
pub mod route;
pub mod seed;
pub mod storage;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod dialog;
#[cfg(target_arch = "wasm32")]
pub mod worker;
#[cfg(target_arch = "wasm32")]
pub mod pwa;
#[cfg(target_arch = "wasm32")]
pub mod routes;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod web;
