//! A panic is a bug, never a dead end (issue 21).
//!
//! The release build aborts on a panic, so the module that panicked is gone:
//! nothing it rendered can respond any more. The hook ([`hook`]) therefore
//! replaces the page with a static screen whose two actions are plain
//! links that load the page again — "Volver al inicio" and "Descargar
//! respaldo" — and leaves a [`Record`] of the crash in `sessionStorage`.
//! The next load of the tab takes the record once: it drops the query that
//! was in the URL (a query that crashed would crash again on every reload,
//! bricking the app until the address was edited by hand), logs the panic
//! in the interaction log and says what happened.
//!
//! This file is the pure part (what the record holds, what the next load
//! does with the URL), tested natively; [`hook`] talks to the browser.

#[cfg(target_arch = "wasm32")]
pub mod hook;

use crate::view::route;

/// The `sessionStorage` key of the last crash of this tab.
pub const KEY: &str = "leche:fallo";
/// The `sessionStorage` key that asks the data page for a backup download.
pub const BACKUP_KEY: &str = "leche:respaldo-pedido";
/// The search part of the crash screen's backup link (`./?respaldo#/datos`).
pub const BACKUP_SEARCH: &str = "?respaldo";

/// Longest panic text kept: enough for the message and its source line.
const MAX_MESSAGE: usize = 600;

/// A test-only query that panics on purpose in debug builds (`#/?q=panico-de-prueba`),
/// so the end-to-end tests can check the crash screen and the recovery; release
/// builds do not contain it.
pub const TEST_QUERY: &str = "panico-de-prueba";

/// What a crash leaves for the next load: where the page was and what panicked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub hash: String,
    pub message: String,
}

impl Record {
    pub fn new(hash: &str, message: &str) -> Record {
        let message = match message.char_indices().nth(MAX_MESSAGE) {
            Some((end, _)) => format!("{}…", &message[..end]),
            None => message.to_string(),
        };
        Record { hash: hash.lines().next().unwrap_or_default().to_string(), message }
    }

    /// The stored text: the hash on the first line, the message after it
    /// (a hash holds no line break; a message may).
    pub fn encode(&self) -> String {
        format!("{}\n{}", self.hash, self.message)
    }

    pub fn decode(text: &str) -> Record {
        let (hash, message) = text.split_once('\n').unwrap_or((text, ""));
        Record { hash: hash.to_string(), message: message.to_string() }
    }

    /// The hash the next load should show instead of the crashed one: the
    /// same page without its query (the query is what a reload would run
    /// again); `None` when the crashed hash had no query.
    pub fn safe_hash(current: &str) -> Option<String> {
        let r = route::parse(current);
        r.query.as_ref()?;
        Some(r.page.hash().to_string())
    }

    /// The line the interaction log keeps.
    pub fn log_text(&self) -> String {
        format!("La página falló y se recargó: {}", self.message)
    }
}

/// Panics on purpose when `query` is [`TEST_QUERY`] in a debug build.
pub fn test_hook(query: &str) {
    if cfg!(debug_assertions) && query.trim() == TEST_QUERY {
        panic!("pánico de prueba pedido por la consulta «{TEST_QUERY}»");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_and_keeps_a_message_with_line_breaks() {
        let r = Record::new("#/?q=2026-12", "panicked at src/plots.rs:100:\nrange start is greater than range end");
        assert_eq!(Record::decode(&r.encode()), r);
        assert_eq!(Record::decode("#/datos"), Record { hash: "#/datos".into(), message: String::new() });
    }

    #[test]
    fn a_long_message_is_clipped_on_a_character_boundary() {
        let r = Record::new("#/", &"ñ".repeat(5_000));
        assert_eq!(r.message.chars().count(), MAX_MESSAGE + 1);
        assert!(r.message.ends_with('…'));
    }

    #[test]
    fn the_next_load_drops_the_query_that_crashed() {
        assert_eq!(Record::safe_hash("#/?q=2026-12").as_deref(), Some("#/"));
        assert_eq!(Record::safe_hash("#/?q=2022-06&modelo=replica").as_deref(), Some("#/"));
        assert_eq!(Record::safe_hash("#/"), None);
        assert_eq!(Record::safe_hash("#/datos"), None);
        assert_eq!(Record::safe_hash(""), None);
    }

    #[test]
    #[cfg_attr(debug_assertions, should_panic(expected = "pánico de prueba"))]
    fn the_test_hook_panics_only_in_debug_builds() {
        test_hook(TEST_QUERY);
        test_hook("2026-12");
    }
}
