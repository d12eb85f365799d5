//! «¿Por qué?» for one forecast ([`crate::view::explanation`]): its
//! arithmetic, its band in words and the model's parts, in a modal dialog
//! over the home page; and the home page's line on how the last forecasts
//! did ([`TrackLine`]).
//!
//! The pages module renders both ([`crate::shell::pages`]), not the home
//! module: it is loaded on demand, the first time a visitor opens a
//! «¿Por qué?» or once kept forecasts may have prices, so a first visit
//! downloads none of it. The home page's links only set the hash
//! (`porque=2021-03`); closing (the button, Escape) drops the parameter, and
//! so does the browser's back.

use leche_core::{ModelId, Month};
use leptos::html::Dialog;
use leptos::prelude::*;

use crate::browser::location;
use crate::routes::registros::track_record;
use crate::session::Session;
use crate::view::chart::escape;
use crate::view::explanation::{close_hash, why_html};
use crate::view::format::capitalize;
use crate::view::track::recent_line;

/// A sentence to follow a model's name and a colon.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// How many of the last scored forecasts the home page's line averages.
const RECENT: usize = 6;

/// The home page's track line, written into its `#recent-track` (the home
/// module keeps the place, hidden, and does not score): for each model
/// with scored forecasts, how the last ones did. Rewritten when the record
/// changes and whenever the home page may have drawn its card again.
#[component]
pub fn TrackLine() -> impl IntoView {
    let session = Session::get();
    let hash = expect_context::<RwSignal<String>>();
    let record = track_record(session);
    Effect::new(move |_| {
        hash.track();
        let lines: Vec<String> = record.with(|r| {
            let Some(Ok(r)) = r else { return Vec::new() };
            ModelId::ALL.iter().rev().filter_map(|&id| Some(format!("{}: {}", id.label(), lower_first(&recent_line(r, id, RECENT)?)))).collect()
        });
        // After the home page's own render of the same change.
        request_animation_frame(move || {
            let Some(slot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("recent-track")) else { return };
            if lines.is_empty() {
                let _ = slot.set_attribute("hidden", "");
                return;
            }
            let text = lines.iter().map(|l| escape(l)).collect::<Vec<_>>().join(" ");
            slot.set_inner_html(&format!("{text} <a href=\"#/registros\">Ver el historial</a>"));
            let _ = slot.remove_attribute("hidden");
        });
    });
}

#[component]
pub fn WhyDialog(month: Month, model: ModelId) -> impl IntoView {
    let session = Session::get();
    let node = NodeRef::<Dialog>::new();
    let html = move || {
        let found = session.models().with(|ms| ms.as_ref()?.models.iter().find(|m| m.id == model).cloned());
        let Some(m) = found else { return Err(format!("El modelo «{}» no está disponible.", model.label())) };
        session.db().with(|db| why_html(&m, db, month)).map_err(|e| format!("{}.", capitalize(&e.to_string())))
    };
    Effect::new(move |_| {
        if let Some(d) = node.get() {
            if !d.open() {
                // Refused only if it is open already or not in the document: nothing to do then.
                let _ = d.show_modal();
            }
        }
    });
    let close = move |_| {
        if let Some(d) = node.get_untracked() {
            d.close();
        }
    };
    view! {
        <dialog node_ref=node id="why" class="why" aria-labelledby="why-title" on:close=move |_| location::go(&close_hash(&location::hash()))>
            <button type="button" id="why-close" class="secondary" on:click=close>"Cerrar"</button>
            {move || match html() {
                Ok(h) => view! { <div class="why-body" inner_html=h></div> }.into_any(),
                Err(e) => view! { <h2 id="why-title">"¿Por qué?"</h2><p class="alert" role="alert">{e}</p> }.into_any(),
            }}
        </dialog>
    }
}
