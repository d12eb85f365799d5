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

pub fn month_key(m: Month) -> JsValue {
    JsValue::from_str(&m.to_string())
}

pub fn month_from_key(key: &JsValue, store: &'static str) -> Result<Month, StoreError> {
    let text = key.as_string().unwrap_or_default();
    text.parse().map_err(|_| StoreError::Corrupt { store, reason: format!("clave «{}»", leche_core::clean::echo(&text)) })
}

/// The key of a model in the `models` store.
pub fn model_key(id: ModelId) -> JsValue {
    JsValue::from_str(match id {
        ModelId::Recommended => "recommended",
        ModelId::Replica => "replica",
    })
}

pub fn row_to_js(row: &[f64]) -> JsValue {
    let a = Array::new_with_length(row.len() as u32);
    for (i, v) in row.iter().enumerate() {
        a.set(i as u32, JsValue::from_f64(*v));
    }
    a.into()
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
    let text = serde_json::to_string(value).map_err(|e| StoreError::Idb(e.to_string()))?;
    JSON::parse(&text).map_err(|_| StoreError::Idb("JSON.parse".into()))
}

pub fn from_js<T: DeserializeOwned>(value: &JsValue, store: &'static str) -> Result<T, StoreError> {
    let text: String =
        JSON::stringify(value).map_err(|_| StoreError::Corrupt { store, reason: "no es JSON".into() })?.into();
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt { store, reason: e.to_string() })
}

/// Any stored value as JSON text, for the recovery download (whatever it is).
pub fn raw_json(value: &JsValue) -> String {
    JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "null".into())
}
