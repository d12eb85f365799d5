//! Loading the pages module on demand: a module `<script>` for the site's
//! own `pages_loader.js`, which imports `pages.js` (wasm-bindgen's ES module
//! for `src/bin/pages.rs`), initialises it (fetching and compiling
//! `pages_bg.wasm`) and mounts the pages app, then says how it went with a
//! `leche-pages` event. A script file rather than an `import()` from Rust:
//! the CSP allows no eval, and a wasm-bindgen inline snippet would be shared
//! by the three modules trunk builds.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CustomEvent, HtmlScriptElement};

use super::{js_message, BrowserError};

/// The loader, next to the page (relative: works under a sub-path).
const LOADER: &str = "./pages_loader.js";
/// The event the loader answers with: `mounted`, or `failed: …`.
const EVENT: &str = "leche-pages";

/// Loads, initialises and mounts the pages module into `#pages-host`.
pub async fn mount_pages() -> Result<(), BrowserError> {
    let fail = |reason: String| BrowserError::Download { url: LOADER.into(), reason };
    let window = web_sys::window().ok_or(BrowserError::Missing("una ventana"))?;
    let document = window.document().ok_or(BrowserError::Missing("un documento"))?;
    let script: HtmlScriptElement = document
        .create_element("script")
        .map_err(|e| fail(js_message(&e)))?
        .dyn_into()
        .map_err(|_| BrowserError::Missing("scripts"))?;
    script.set_type("module");
    script.set_src(LOADER);
    // Resolves with the loader's answer; rejects if the script cannot load at all.
    let (mut resolve, mut reject) = (None, None);
    let answer = Promise::new(&mut |res, rej| {
        resolve = Some(res);
        reject = Some(rej);
    });
    let (Some(resolve), Some(reject)) = (resolve, reject) else { return Err(fail("promesa sin funciones".into())) };
    let on_answer = Closure::<dyn Fn(CustomEvent)>::new(move |ev: CustomEvent| {
        // Settling twice is a no-op.
        let _ = resolve.call1(&JsValue::NULL, &ev.detail());
    });
    let on_error = Closure::<dyn Fn()>::new(move || {
        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("no se pudo cargar el script"));
    });
    window.add_event_listener_with_callback(EVENT, on_answer.as_ref().unchecked_ref()).map_err(|e| fail(js_message(&e)))?;
    script.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    document.head().ok_or(BrowserError::Missing("un encabezado"))?.append_child(&script).map_err(|e| fail(js_message(&e)))?;
    let detail = JsFuture::from(answer).await;
    // The loader answers once: its listeners go with this call.
    let _ = window.remove_event_listener_with_callback(EVENT, on_answer.as_ref().unchecked_ref());
    script.set_onerror(None);
    match detail.map_err(|e| fail(js_message(&e)))?.as_string().as_deref() {
        Some("mounted") => Ok(()),
        Some(other) => Err(fail(other.to_string())),
        None => Err(fail("respuesta sin texto".into())),
    }
}
