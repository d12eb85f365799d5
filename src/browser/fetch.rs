//! The site's own files (artifacts, logs), fetched by relative URL so the
//! site works under any sub-path.

use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response};

use super::{js_message, BrowserError};

/// Where the artifacts are, relative to the page.
pub fn artifact_url(file: &str) -> String {
    format!("./artifacts/{file}")
}

/// A request already on its way: start-up starts its downloads first, so
/// they overlap with opening IndexedDB.
pub struct Download {
    url: String,
    response: JsFuture,
}

impl Download {
    /// Starts the request. `revalidate` asks the HTTP cache to check with the
    /// server, so a new deploy's artifacts are seen at once.
    pub fn start(url: &str, revalidate: bool) -> Result<Download, BrowserError> {
        let window = web_sys::window().ok_or(BrowserError::Missing("una ventana"))?;
        let init = RequestInit::new();
        if revalidate {
            init.set_cache(RequestCache::NoCache);
        }
        Ok(Download { url: url.to_string(), response: JsFuture::from(window.fetch_with_str_and_init(url, &init)) })
    }

    /// The body as text.
    pub async fn text(self) -> Result<String, BrowserError> {
        let url = self.url;
        let fail = |reason: String| BrowserError::Download { url: url.clone(), reason };
        let response = self.response.await.map_err(|e| fail(js_message(&e)))?;
        let response: Response = response.dyn_into().map_err(|_| fail("respuesta inválida".into()))?;
        if !response.ok() {
            return Err(fail(format!("HTTP {}", response.status())));
        }
        let text = JsFuture::from(response.text().map_err(|e| fail(js_message(&e)))?)
            .await
            .map_err(|e| fail(js_message(&e)))?;
        text.as_string().ok_or_else(|| fail("no es texto".into()))
    }

    /// The body decoded as JSON.
    pub async fn json<T: DeserializeOwned>(self) -> Result<T, BrowserError> {
        let url = self.url.clone();
        let text = self.text().await?;
        decode(&url, &text)
    }
}

/// `text`, downloaded from `url`, decoded as JSON.
pub fn decode<T: DeserializeOwned>(url: &str, text: &str) -> Result<T, BrowserError> {
    serde_json::from_str(text).map_err(|e| BrowserError::Format { url: url.to_string(), reason: e.to_string() })
}

/// Fetches one of the site's own files as text.
pub async fn text(url: &str, revalidate: bool) -> Result<String, BrowserError> {
    Download::start(url, revalidate)?.text().await
}

/// Fetches and decodes one of the site's own JSON files.
pub async fn json<T: DeserializeOwned>(url: &str, revalidate: bool) -> Result<T, BrowserError> {
    Download::start(url, revalidate)?.json().await
}
