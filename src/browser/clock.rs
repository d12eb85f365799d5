//! The browser's clock and timers: timestamps for the logs, the current month
//! (which bounds the observation months an upload may carry), and handing the
//! event loop back between the steps of long work.

use js_sys::Date;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use leche_core::Month;

/// Now, as an ISO 8601 UTC string.
pub fn now_iso() -> String {
    Date::new_0().to_iso_string().into()
}

/// The current month (local time); `None` for a clock set outside the years a
/// month can have.
pub fn this_month() -> Option<Month> {
    let d = Date::new_0();
    Month::new(d.get_full_year() as i32, d.get_month() + 1)
}

/// Lets the browser paint and handle input before the caller goes on (a
/// zero-delay timer: the rest runs in a later task). Works in a window and
/// in the worker alike (the store's reads run in both).
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, 0);
    });
    // The promise only ever resolves.
    let _ = JsFuture::from(promise).await;
}

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout`, which windows and workers both have.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
}
