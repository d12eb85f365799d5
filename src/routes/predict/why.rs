//! «¿Por qué?» for one forecast ([`crate::view::explanation`]): its
//! arithmetic, its band in words and the model's parts, in a modal dialog
//! over the home page.
//!
//! The pages module renders it ([`crate::shell::pages`]), not the home
//! module: it is loaded on demand, the first time a visitor opens one, so a
//! first visit downloads none of it. The home page's links only set the
//! hash (`porque=2021-03`); closing (the button, Escape) drops the
//! parameter, and so does the browser's back.

use leche_core::{ModelId, Month};
use leptos::html::Dialog;
use leptos::prelude::*;

use crate::browser::location;
use crate::session::Session;
use crate::view::explanation::{close_hash, why_html};
use crate::view::format::capitalize;

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
