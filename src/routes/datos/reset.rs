//! Restore the shipped data, after a confirmation (the button one tap away:
//! it is rarely wanted).

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::components::dialog::{self, confirm_dialog, Confirm};
use crate::components::disclosure::more;
use crate::components::task::Tasks;
use crate::session::Session;

#[component]
pub fn ResetSection() -> impl IntoView {
    let session = Session::get();
    let tasks = Tasks::here();
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let confirm: NodeRef<Dialog> = NodeRef::new();
    let reset = move || {
        busy.set(true);
        status.set("Restaurando los datos originales…".into());
        tasks.spawn(async move {
            status.set(match session.reset().await {
                Ok(version) => format!("Listo: se restauraron los datos y modelos originales (versión {version})."),
                Err(e) => format!("No se restauró nada: {e}"),
            });
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="reset-title">
            <h2 id="reset-title">"Restaurar los datos originales"</h2>
            {more("Volver a los datos publicados", view! {
                <p>"Deja las tablas y los modelos exactamente como se publicaron y descarta las cargas. El registro de interacciones se conserva."</p>
                <button id="reset" type="button" class="danger" disabled=move || busy.get()
                    on:click=move |_| dialog::open(confirm)>"Restaurar datos originales…"</button>
            })}
            <p id="status" role="status" class="status">{move || status.get()}</p>
        </section>
        {confirm_dialog(confirm, Confirm {
            title_id: "confirm-reset-title",
            title: "¿Restaurar los datos originales?",
            text: "Se reemplazarán las tablas y los modelos guardados en este navegador por los publicados.",
            confirm_id: "confirm-reset",
            confirm_label: "Restaurar",
            cancel_id: "cancel-reset",
        }, reset)}
    }
}
