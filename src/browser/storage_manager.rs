//! `navigator.storage`: asking that the site's data never be evicted (uploads
//! live only there), and how much of the quota it uses.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{StorageEstimate, StorageManager};

use crate::view::storage_use::StorageUse;

fn manager() -> Option<StorageManager> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::has(&navigator, &JsValue::from_str("storage")).unwrap_or(false).then(|| navigator.storage())
}

async fn answer(promise: Result<js_sys::Promise, JsValue>) -> bool {
    match promise {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()).unwrap_or(false),
        Err(_) => false,
    }
}

/// Asks once per visit, and only until granted, for durable storage.
pub async fn ask_durable() {
    let Some(storage) = manager() else { return };
    if !answer(storage.persisted()).await {
        answer(storage.persist()).await;
    }
}

/// The browser's estimate of the site's storage use.
pub async fn estimate() -> Option<StorageUse> {
    let storage = manager()?;
    let persisted = answer(storage.persisted()).await;
    let estimate: StorageEstimate = JsFuture::from(storage.estimate().ok()?).await.ok()?.unchecked_into();
    Some(StorageUse { usage: estimate.get_usage()?, quota: estimate.get_quota()?, persisted })
}
