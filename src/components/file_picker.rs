//! A file input in the page's words. The browser draws its own button and
//! «No file chosen» in the browser's language (English on many phones, in
//! a Spanish page), and since the page empties the input after each pick
//! (so the same file can be picked again) it says «no file» right after
//! one was chosen. The input stays the control — the keyboard, screen
//! readers (through the page's `<label for>`), drops and tests reach it as
//! before — transparent over a box that says «Elegir archivos», and a line
//! beside it says what was chosen last.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the input takes.
pub struct Accepts {
    pub id: &'static str,
    /// The `accept` list (extensions and types).
    pub accept: &'static str,
    pub multiple: bool,
}

/// The names of the files picked in the input that fired `ev` (read before
/// the page's handler empties it).
fn chosen_text(ev: &web_sys::Event) -> Option<String> {
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let list = input.files()?;
    let names: Vec<String> = (0..list.length()).filter_map(|i| list.get(i)).map(|f| f.name()).collect();
    match names.len() {
        0 => None,
        1 => Some(format!("Elegido: {}", names[0])),
        _ => Some(format!("Elegidos: {}", names.join(", "))),
    }
}

/// The picker; `on_change` gets the input's `change` event as an `on:change` would.
pub fn file_picker(
    accepts: Accepts,
    disabled: Signal<bool>,
    described_by: Option<&'static str>,
    on_change: impl Fn(web_sys::Event) + 'static,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<String>);
    let Accepts { id, accept, multiple } = accepts;
    view! {
        <div class="file-picker">
            <span class="file-button" class:disabled=move || disabled.get()>
                <span aria-hidden="true">{if multiple { "Elegir archivos" } else { "Elegir archivo" }}</span>
                <input id=id type="file" multiple=multiple accept=accept aria-describedby=described_by
                    disabled=move || disabled.get()
                    on:change=move |ev| {
                        chosen.set(chosen_text(&ev));
                        on_change(ev);
                    } />
            </span>
            <span class="file-chosen hint">{move || chosen.get().unwrap_or_else(|| "Ningún archivo elegido".into())}</span>
        </div>
    }
}
