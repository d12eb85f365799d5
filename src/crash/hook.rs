//! The panic hook and the next load's part: the browser side of [`super`].

use wasm_bindgen::JsCast;

use super::{Record, BACKUP_KEY, BACKUP_SEARCH, KEY};
use crate::browser::{location, session_storage};

/// The crash screen: static markup (no text of the panic inside it, so no
/// escaping to get wrong), its two actions plain links that load the page
/// again — the module that panicked can no longer answer a click. `./?…`
/// differs from the current URL in more than the hash, so following it is
/// a real load (the service worker serves it offline like any navigation).
const SCREEN: &str = r##"<div class="fatal" role="alert" id="crash">
<h1>La página tuvo un error y se detuvo</h1>
<p>Es un error de Leche, no de sus datos: lo guardado en este navegador no cambió. Al volver, la consulta que falló no se repite y el error queda en Registros.</p>
<div class="actions">
<a id="crash-home" class="button" href="./?">Volver al inicio</a>
<a id="crash-backup" class="button secondary" href="./?respaldo#/datos">Descargar respaldo</a>
</div>
<details><summary>Detalle del error</summary><pre id="crash-detail"></pre></details>
</div>"##;

/// Installs the hook: the console message (as before), the record for the
/// next load, then the crash screen in place of the page.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let record = Record::new(&location::hash(), &info.to_string());
        session_storage::set(KEY, &record.encode());
        show(&record.message);
    }));
}

fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    body.set_inner_html(SCREEN);
    if let Some(detail) = document.get_element_by_id("crash-detail").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        detail.set_text_content(Some(message));
    }
}

/// What the previous load of this tab left, taken once at start-up: the URL
/// is cleaned first (the crashed query dropped, the backup link's search
/// turned into a request the data page acts on), before anything reads it.
pub fn take_previous() -> Option<Record> {
    let search = location::search();
    if search == BACKUP_SEARCH {
        session_storage::set(BACKUP_KEY, "1");
    }
    let record = session_storage::take(KEY).map(|text| Record::decode(&text));
    let hash = location::hash();
    let safe = record.as_ref().and_then(|_| Record::safe_hash(&hash));
    // After a crash the URL also carries the screen's bare `?`: clean it too.
    if record.is_some() || !search.is_empty() {
        location::replace(&safe.unwrap_or(hash));
    }
    record
}

/// Whether the crash screen asked the data page for a backup (taken once).
pub fn backup_asked() -> bool {
    session_storage::take(BACKUP_KEY).is_some()
}
