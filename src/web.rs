//! Thin wrappers over browser APIs the pages use: fetching the site's own
//! files, downloading text, the clock and the location hash.

use js_sys::{Array, Date};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, RequestCache, RequestInit, Response, Url};

/// A request for one of the site's own files (a relative URL), already on
/// its way: start-up starts its downloads first, so they overlap with
/// opening IndexedDB.
pub struct Download {
    url: String,
    response: JsFuture,
}

impl Download {
    /// Starts the request. `revalidate` asks the HTTP cache to check with the
    /// server, so a new deploy's artifacts are seen at once.
    pub fn start(url: &str, revalidate: bool) -> Result<Download, String> {
        let window = web_sys::window().ok_or("sin ventana")?;
        let init = RequestInit::new();
        if revalidate {
            init.set_cache(RequestCache::NoCache);
        }
        Ok(Download { url: url.to_string(), response: JsFuture::from(window.fetch_with_str_and_init(url, &init)) })
    }

    /// The body as text.
    pub async fn text(self) -> Result<String, String> {
        let url = self.url;
        let fail = |what: &str| format!("no se pudo descargar {url}: {what}");
        let response = self.response.await.map_err(|e| fail(&js_message(&e)))?;
        let response: Response = response.dyn_into().map_err(|_| fail("respuesta inválida"))?;
        if !response.ok() {
            return Err(fail(&format!("HTTP {}", response.status())));
        }
        let text = JsFuture::from(response.text().map_err(|e| fail(&js_message(&e)))?)
            .await
            .map_err(|e| fail(&js_message(&e)))?;
        text.as_string().ok_or_else(|| fail("no es texto"))
    }

    /// The body decoded as a JSON artifact.
    pub async fn json<T: DeserializeOwned>(self) -> Result<T, String> {
        let url = self.url.clone();
        let text = self.text().await?;
        serde_json::from_str(&text).map_err(|e| format!("{url} no tiene el formato esperado: {e}"))
    }
}

/// Fetches one of the site's own files as text.
pub async fn fetch_text(url: &str, revalidate: bool) -> Result<String, String> {
    Download::start(url, revalidate)?.text().await
}

/// Fetches and decodes a JSON artifact.
pub async fn fetch_json<T: DeserializeOwned>(url: &str, revalidate: bool) -> Result<T, String> {
    Download::start(url, revalidate)?.json().await
}

/// Offers `text` as a file download (a Blob; nothing leaves the browser).
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| js_message(&e))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| js_message(&e))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("sin documento")?;
    let a: HtmlAnchorElement =
        document.create_element("a").map_err(|e| js_message(&e))?.dyn_into().map_err(|_| "sin enlace")?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    // Revoking at once can cancel the download in some browsers; later is safe.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
    Ok(())
}

/// A picked or dropped file's bytes.
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("{}: no se pudo leer ({})", file.name(), js_message(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The current month (local time), for the far-future flag.
pub fn this_month() -> Option<leche_core::Month> {
    let d = Date::new_0();
    leche_core::Month::new(d.get_full_year() as i32, d.get_month() + 1)
}

/// Now, as an ISO 8601 UTC string.
pub fn now_iso() -> String {
    Date::new_0().to_iso_string().into()
}

/// `location.hash`, with its `#`.
pub fn hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Sets `location.hash` as a new history entry without firing
/// `hashchange` (the caller has already acted on it).
pub fn push_hash(hash: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}

fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Lets the browser paint and handle input before the caller goes on (a
/// zero-delay timer: the rest runs in a later task).
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Sets a Performance API mark (for the measurements the e2e run reports).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Records a Performance API measure from mark `start` to now.
pub fn measure(name: &str, start: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark(name, start);
    }
}
