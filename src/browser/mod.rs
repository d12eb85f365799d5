//! Thin wrappers over the browser APIs the app uses, one API per file (as
//! leptos-use does), so the rest of the app reads as Rust: the site's own
//! files ([`fetch`]), saving and reading files ([`files`]), the clock
//! ([`clock`]), a start-up flag ([`local_storage`]), the location hash ([`location`]), the pages module loaded
//! on demand ([`modules`]), performance marks
//! ([`performance`]), the deployment's scope ([`scope`]), what a tab keeps across a reload
//! ([`session_storage`]), other tabs
//! ([`broadcast`]), the service worker ([`service_worker`]) and the storage
//! manager ([`storage_manager`]).

use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};

pub mod broadcast;
pub mod clock;
pub mod fetch;
pub mod files;
pub mod local_storage;
pub mod location;
pub mod modules;
pub mod performance;
pub mod scope;
pub mod service_worker;
pub mod session_storage;
pub mod storage_manager;

/// What a browser call can fail with; messages are shown to the user.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum BrowserError {
    #[error("no se pudo descargar {url}: {reason}")]
    Download { url: String, reason: String },
    #[error("{url} no tiene el formato esperado: {reason}")]
    Format { url: String, reason: String },
    #[error("{file}: no se pudo leer ({reason})")]
    ReadFile { file: String, reason: String },
    #[error("no se pudo ofrecer la descarga de {file} ({reason})")]
    Save { file: String, reason: String },
    #[error("este navegador no ofrece {0}")]
    Missing(&'static str),
}

/// The message of a thrown JS value (an `Error`, a string, or anything else).
pub fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
