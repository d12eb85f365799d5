//! How values are laid out in IndexedDB: month keys as `"YYYY-MM"` strings
//! (string order is month order, so key ranges work), table rows as plain
//! arrays of numbers (exact: f64 in, f64 out), everything else as the JSON
//! the artifacts use.

use js_sys::{Array, JSON};
use leche_core::{ModelId, Month};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use super::StoreError;
use crate::browser::clock;

pub fn month_key(m: Month) -> JsValue {
    JsValue::from_str(&m.to_string())
}

pub fn month_from_key(key: &JsValue, store: &'static str) -> Result<Month, StoreError> {
    let text = key.as_string().unwrap_or_default();
    text.parse().map_err(|_| StoreError::Corrupt { store, reason: format!("clave «{}»", leche_core::data::clean::echo(&text)) })
}

/// The key of a model in the `models` store.
pub fn model_key(id: ModelId) -> JsValue {
    JsValue::from_str(id.key())
}

/// A row as a plain array of numbers, made in two calls (a typed array
/// copied out of the wasm memory, then `Array.from`) rather than one per
/// value: seeding writes a thousand rows, the Central Bank's 80 wide.
pub fn row_to_js(row: &[f64]) -> JsValue {
    Array::from(&js_sys::Float64Array::from(row)).into()
}

/// A stored row, or why it is not one.
pub fn row_from_js(v: &JsValue, store: &'static str, month: Month) -> Result<Vec<f64>, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt { store, reason: format!("fila {month}: {what}") };
    let a: &Array = v.dyn_ref().ok_or_else(|| corrupt("no es una lista de números"))?;
    a.iter().map(|x| x.as_f64().ok_or_else(|| corrupt("contiene algo que no es un número"))).collect()
}

/// Structured values go through JSON: serde_json writes shortest round-trip
/// floats and `JSON.parse` reads them exactly (and back), and it avoids a
/// second serialisation library in the wasm.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    parse_js(&to_text(value)?)
}

pub fn from_js<T: DeserializeOwned>(value: &JsValue, store: &'static str) -> Result<T, StoreError> {
    from_text(&stringify(value, store)?, store)
}

/// [`to_js`] for a value that may be large (a batch record of thousands of
/// rows): Rust's half and the browser's half each take their own task. Only
/// outside a read-write transaction, which would end while it waits.
pub async fn to_js_in_steps<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let text = to_text(value)?;
    clock::next_task().await;
    parse_js(&text)
}

/// [`from_js`] in two tasks, as [`to_js_in_steps`].
pub async fn from_js_in_steps<T: DeserializeOwned>(value: &JsValue, store: &'static str) -> Result<T, StoreError> {
    let text = stringify(value, store)?;
    clock::next_task().await;
    from_text(&text, store)
}

fn to_text<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Idb(e.to_string()))
}

fn parse_js(text: &str) -> Result<JsValue, StoreError> {
    JSON::parse(text).map_err(|_| StoreError::Idb("JSON.parse".into()))
}

fn stringify(value: &JsValue, store: &'static str) -> Result<String, StoreError> {
    Ok(JSON::stringify(value).map_err(|_| StoreError::Corrupt { store, reason: "no es JSON".into() })?.into())
}

fn from_text<T: DeserializeOwned>(text: &str, store: &'static str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt { store, reason: e.to_string() })
}

/// Any stored value as JSON text, for the recovery download (whatever it is).
pub fn raw_json(value: &JsValue) -> String {
    JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "null".into())
}
