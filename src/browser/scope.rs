//! The deployment's scope: two copies of the site under sub-paths of one
//! host (`/leche/` and `/leche-pruebas/`) share an origin, hence IndexedDB and
//! `BroadcastChannel` names. Naming both after the site's directory keeps the
//! copies independent. The page and the Web Worker (whose script sits in the
//! same directory) derive the same name.

use wasm_bindgen::JsValue;

/// The name at the root of a host: the one the site always used there, so
/// stores created before scoped names keep their data.
const ROOT_NAME: &str = "leche";

/// The site's directory (`/` or `/a/b/`), from the running script's location.
pub fn directory() -> String {
    let href = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location"))
        .and_then(|l| js_sys::Reflect::get(&l, &JsValue::from_str("href")))
        .ok()
        .and_then(|h| h.as_string());
    href.and_then(|h| web_sys::Url::new_with_base("./", &h).ok()).map(|u| u.pathname()).unwrap_or_else(|| "/".into())
}

/// The name of this deployment's IndexedDB database and broadcast channel.
pub fn name() -> String {
    name_for(&directory())
}

/// `leche` at the root, `leche:/a/b/` under a sub-path.
pub fn name_for(directory: &str) -> String {
    if directory == "/" {
        ROOT_NAME.to_string()
    } else {
        format!("{ROOT_NAME}:{directory}")
    }
}
