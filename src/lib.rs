//! Leche's web app: forecasts Chile's monthly milk price in the browser,
//! against a copy of the data kept in IndexedDB.
//!
//! The folders are the layers, and the arrows run one way (checked by
//! `tests/modules.rs`): the [`shell`] assembles the pages ([`routes`]),
//! which read the [`session`]'s signals and call its verbs; the session
//! owns the state and makes every write through the [`store`], the only
//! IndexedDB code, and runs long jobs in a Web Worker ([`worker`]) over the
//! messages of [`wire`], which also types backup files. [`browser`] wraps
//! the other browser APIs, one per file; [`components`] are the shared
//! widgets; [`crash`] turns a panic into a screen and a clean next load.
//! What the pages show is computed by [`view`], without a browser, and
//! tested natively with `cargo test -p leche`. All forecasting is
//! `leche_core`, the same code the trainer runs.

pub mod crash;
pub mod view;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod routes;
#[cfg(target_arch = "wasm32")]
pub mod session;
#[cfg(target_arch = "wasm32")]
pub mod shell;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod worker;
