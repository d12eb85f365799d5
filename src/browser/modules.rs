//! Loading the pages module on demand: a dynamic `import()` of the site's
//! own `pages.js` (wasm-bindgen's ES module for `src/bin/pages.rs`), its
//! initialisation (which fetches and compiles `pages_bg.wasm`), then its one
//! export, which mounts the pages app.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{js_message, BrowserError};

/// The pages module, next to the page (relative: works under a sub-path).
const PAGES: &str = "./pages.js";

#[wasm_bindgen(inline_js = "export function import_module(url) { return import(url); }")]
extern "C" {
    /// `import(url)`: resolved against the snippet's own location, so `url` must be absolute.
    fn import_module(url: &str) -> Promise;
}

/// Loads, initialises and mounts the pages module into `host`.
pub async fn mount_pages(host: &web_sys::HtmlElement) -> Result<(), BrowserError> {
    let fail = |reason: String| BrowserError::Download { url: PAGES.into(), reason };
    let base = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten()).ok_or(BrowserError::Missing("un documento"))?;
    let url = web_sys::Url::new_with_base(PAGES, &base).map_err(|e| fail(js_message(&e)))?.href();
    let module = JsFuture::from(import_module(&url)).await.map_err(|e| fail(js_message(&e)))?;
    let function = |name: &str| -> Result<Function, BrowserError> {
        Reflect::get(&module, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| fail(format!("el módulo no tiene «{name}»")))
    };
    let init: Promise = function("default")?.call0(&JsValue::NULL).map_err(|e| fail(js_message(&e)))?.unchecked_into();
    JsFuture::from(init).await.map_err(|e| fail(js_message(&e)))?;
    function("mount_pages")?.call1(&JsValue::NULL, host).map_err(|e| fail(js_message(&e)))?;
    Ok(())
}
