//! The location hash: the app's routes live there (`#/datos`), so any static
//! host serves them without rewrite rules.

use wasm_bindgen::JsValue;

/// `location.hash`, with its `#`.
pub fn hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Sets `location.hash` as a new history entry without firing `hashchange`
/// (the caller has already acted on it).
pub fn push_hash(hash: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        // A refused push only leaves the URL as it was: the page already shows the result.
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}

/// Sets `location.hash` as a new history entry that fires `hashchange`,
/// so that both apps (the home page's and the pages module's) follow it.
pub fn go(hash: &str) {
    if let Some(w) = web_sys::window() {
        // A refused change leaves the page as it is.
        let _ = w.location().set_hash(hash);
    }
}

/// Reloads the page (after a new build takes over).
pub fn reload() {
    if let Some(w) = web_sys::window() {
        // Nothing to do if the browser refuses: the page stays as it is.
        let _ = w.location().reload();
    }
}

/// Replaces the current history entry's search and hash (the page stays):
/// a crashed query must not be in the URL a reload reads.
pub fn replace(search_and_hash: &str) {
    let Some(w) = web_sys::window() else { return };
    let path = w.location().pathname().unwrap_or_default();
    if let Ok(history) = w.history() {
        // A refused replace leaves the URL as it was; the crash record still skips the query once.
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search_and_hash}")));
    }
}

/// `location.search`, with its `?` (empty when there is none).
pub fn search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}
