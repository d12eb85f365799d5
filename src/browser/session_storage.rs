//! `sessionStorage`: what one tab remembers across a reload and forgets when
//! it closes — the right lifetime for "the last load of this tab crashed".

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Stores `value` at `key`, if storage is available.
pub fn set(key: &str, value: &str) {
    if let Some(storage) = storage() {
        // Unavailable storage only costs the next load its notice.
        let _ = storage.set_item(key, value);
    }
}

/// The value at `key`, removed: each value is acted on once.
pub fn take(key: &str) -> Option<String> {
    let storage = storage()?;
    let value = storage.get_item(key).ok()??;
    // A value that cannot be removed would be acted on again: drop it then.
    storage.remove_item(key).ok()?;
    Some(value)
}
