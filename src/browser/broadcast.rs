//! Tabs in step: every write to IndexedDB is announced on a
//! `BroadcastChannel` named after the deployment ([`super::scope`]), and the
//! other tabs of the same copy of the site re-read.

use std::cell::OnceCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

/// What a tab wrote to the shared IndexedDB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Tables, models, batches or meta: re-read everything.
    Data,
    /// Only the interaction log: re-read the log.
    Log,
    /// Only the kept forecasts: re-read the track record.
    Track,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Data => "data",
            Change::Log => "log",
            Change::Track => "track",
        }
    }

    fn parse(text: &str) -> Option<Change> {
        match text {
            "data" => Some(Change::Data),
            "log" => Some(Change::Log),
            "track" => Some(Change::Track),
            _ => None,
        }
    }
}

thread_local! {
    /// This tab's one end of the channel: a `BroadcastChannel` does not hear
    /// its own messages, but it does hear another object's in the same tab.
    static CHANNEL: OnceCell<Option<BroadcastChannel>> = const { OnceCell::new() };
}

fn channel() -> Option<BroadcastChannel> {
    CHANNEL.with(|c| c.get_or_init(|| BroadcastChannel::new(&super::scope::name()).ok()).clone())
}

/// Tells the other tabs that this one wrote.
pub fn announce(change: Change) {
    if let Some(channel) = channel() {
        // A closed channel only means no other tab listens.
        let _ = channel.post_message(&JsValue::from_str(change.as_str()));
    }
}

/// Calls `on_change` for every other tab's write, for the page's whole life.
pub fn listen(on_change: impl Fn(Change) + 'static) {
    let Some(channel) = channel() else { return };
    let handler = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(change) = event.data().as_string().as_deref().and_then(Change::parse) {
            on_change(change);
        }
    });
    channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // Listens as long as the page lives.
    handler.forget();
}
