//! A file input in the page's words. The browser draws its own button and
//! «No file chosen» in the browser's language (English on many phones, in
//! a Spanish page), and since the page empties the input after each pick
//! (so the same file can be picked again) it says «no file» right after
//! one was chosen. The input stays the control — the keyboard, screen
//! readers (through the page's `<label for>`), drops and tests reach it as
//! before — transparent over a box that says «Elegir archivos», and a line
//! beside it says what was chosen last.

use leptos::prelude::*;

use crate::browser::files;

/// What the input takes.
pub struct Accepts {
    pub id: &'static str,
    /// The `accept` list (extensions and types).
    pub accept: &'static str,
    pub multiple: bool,
}

/// The line that says which files were chosen (`None`: none yet).
pub fn chosen_text(files: &[web_sys::File]) -> Option<String> {
    let names: Vec<String> = files.iter().map(|f| f.name()).collect();
    match names.len() {
        0 => None,
        1 => Some(format!("Elegido: {}", names[0])),
        _ => Some(format!("Elegidos: {}", names.join(", "))),
    }
}

/// The picker; `on_change` gets the input's `change` event as an `on:change`
/// would. `chosen` is its line: a page that takes files another way too
/// (dropped on it) says so there with [`chosen_text`].
pub fn file_picker(
    accepts: Accepts,
    disabled: Signal<bool>,
    described_by: Option<&'static str>,
    chosen: RwSignal<Option<String>>,
    on_change: impl Fn(web_sys::Event) + 'static,
) -> impl IntoView {
    let Accepts { id, accept, multiple } = accepts;
    view! {
        <div class="file-picker">
            <span class="file-button" class:disabled=move || disabled.get()>
                <span aria-hidden="true">{if multiple { "Elegir archivos" } else { "Elegir archivo" }}</span>
                <input id=id type="file" multiple=multiple accept=accept aria-describedby=described_by
                    disabled=move || disabled.get()
                    on:change=move |ev| {
                        // Read before the page's handler empties the input.
                        chosen.set(chosen_text(&files::in_input(&ev)));
                        on_change(ev);
                    } />
            </span>
            <span class="file-chosen hint">{move || chosen.get().unwrap_or_else(|| "Ningún archivo elegido".into())}</span>
        </div>
    }
}
