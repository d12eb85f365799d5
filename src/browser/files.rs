//! Files in and out: a picked or dropped file's bytes, and text offered as a
//! download (a Blob: nothing leaves the browser).

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use super::{js_message, BrowserError};

/// Offers `text` as a file download.
pub fn save(filename: &str, mime: &str, text: &str) -> Result<(), BrowserError> {
    let fail = |e: &JsValue| BrowserError::Save { file: filename.to_string(), reason: js_message(e) };
    let parts = Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| fail(&e))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| fail(&e))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or(BrowserError::Missing("un documento"))?;
    let a: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| fail(&e))?
        .dyn_into()
        .map_err(|_| BrowserError::Missing("enlaces de descarga"))?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    // Revoking at once can cancel the download in some browsers; later is safe.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        // A URL that cannot be revoked is freed with the page.
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        // Without the timer the URL lives until the page closes: harmless.
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
    Ok(())
}

/// A picked or dropped file's bytes.
pub async fn bytes(file: &web_sys::File) -> Result<Vec<u8>, BrowserError> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| BrowserError::ReadFile { file: file.name(), reason: js_message(&e) })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The `<input type=file>` an event came from, emptied so that picking the
/// same file again fires `change` again.
fn file_input(ev: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target().and_then(|t| t.dyn_into().ok())
}

/// The first file picked in the input that fired `ev`.
pub fn picked_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input = file_input(ev)?;
    let file = input.files().and_then(|l| l.get(0));
    input.set_value("");
    file
}

/// Every file picked in the input that fired `ev`.
pub fn picked_files(ev: &web_sys::Event) -> Vec<web_sys::File> {
    let Some(input) = file_input(ev) else { return Vec::new() };
    let files = listed(input.files());
    input.set_value("");
    files
}

/// The files of a list (an input's, a drop's), none when there is none.
pub fn listed(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default()
}

/// The files picked in the input that fired `ev`, leaving it as it is.
pub fn in_input(ev: &web_sys::Event) -> Vec<web_sys::File> {
    listed(file_input(ev).and_then(|i| i.files()))
}
