//! The browser's clock and timers: timestamps for the logs, the current month
//! (which bounds the observation months an upload may carry), handing the
//! event loop back between the steps of long work, in slices of [`SLICE_MS`],
//! and waiting for idle time.

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

/// Lets the browser paint and handle input before the caller goes on (the
/// rest runs in a later task). Works in a window and in the worker alike
/// (the store's reads run in both).
pub async fn next_task() {
    let promise = scheduler_yield().unwrap_or_else(|| {
        js_sys::Promise::new(&mut |resolve, _| {
            set_timeout(&resolve, 0);
        })
    });
    // The promise only ever resolves.
    let _ = JsFuture::from(promise).await;
}

/// `scheduler.yield()` where the browser has it (Chromium): the rest runs
/// ahead of other queued tasks, and without the 4 ms a chain of zero-delay
/// timers is held back by (start-up takes a dozen steps). Elsewhere `None`.
fn scheduler_yield() -> Option<js_sys::Promise> {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("scheduler")).ok().filter(JsValue::is_object)?;
    let yield_now: js_sys::Function = js_sys::Reflect::get(&scheduler, &JsValue::from_str("yield")).ok()?.dyn_into().ok()?;
    yield_now.call0(&scheduler).ok()?.dyn_into().ok()
}

/// How long work the page does not need yet waits for an idle moment, at
/// most: a busy page still gets it done within a couple of seconds.
const IDLE_DEADLINE_MS: u32 = 2_000;

/// Waits until the browser is idle (nothing to paint, no input to answer),
/// or [`IDLE_DEADLINE_MS`] at the latest: for work the page does not need
/// yet (seeding the store, the service worker, redrawing the fan at its
/// width). Without `requestIdleCallback` (Safari), the next task.
pub async fn idle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let has_idle = js_sys::Reflect::has(&global, &JsValue::from_str("requestIdleCallback")).unwrap_or(false);
        if has_idle {
            let options = js_sys::Object::new();
            // Setting a field on a fresh object cannot fail.
            let _ = js_sys::Reflect::set(&options, &JsValue::from_str("timeout"), &JsValue::from(IDLE_DEADLINE_MS));
            request_idle_callback(&resolve, &options);
        } else {
            set_timeout(&resolve, 0);
        }
    });
    // The promise only ever resolves.
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds of work one task may do before handing the event loop back:
/// a phone is about 4 times slower than a desktop (Lighthouse's mobile
/// profile), and a task over 50 ms there delays the page's answer to input.
pub const SLICE_MS: f64 = 8.0;

/// One task's share of long work: the work asks [`Slice::spent`] as it goes
/// and, once spent, hands the event loop back and starts a new slice.
pub struct Slice {
    started: f64,
}

impl Slice {
    pub fn start() -> Slice {
        Slice { started: Date::now() }
    }

    /// Whether this task has had its [`SLICE_MS`].
    pub fn spent(&self) -> bool {
        Date::now() - self.started >= SLICE_MS
    }
}

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout`, which windows and workers both have.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;

    /// The global `requestIdleCallback` (only called where it exists).
    #[wasm_bindgen(js_name = requestIdleCallback)]
    fn request_idle_callback(handler: &js_sys::Function, options: &js_sys::Object) -> JsValue;
}
