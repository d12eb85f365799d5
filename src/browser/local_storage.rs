//! `localStorage`: read synchronously, unlike IndexedDB, so start-up can
//! know at once whether this browser has a store to wait for.

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The value at `key`; `None` when absent or when storage is unavailable
/// (blocked cookies, some private modes).
pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Stores `value` at `key`, if storage is available.
pub fn set(key: &str, value: &str) {
    if let Some(storage) = storage() {
        // A full or blocked storage only costs the next visit its shortcut.
        let _ = storage.set_item(key, value);
    }
}
