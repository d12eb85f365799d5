//! The recovery screen, never a dead end: when the stored data cannot be
//! read, it says what is damaged and offers, right there, to download
//! whatever can be read, to restore a backup, or to start again from the
//! published data. After a repair the page reloads (the session does it), so
//! that both of its modules start on the repaired store.

use leptos::prelude::*;

use crate::browser::files;
use crate::components::file_picker::{file_picker, Accepts};
use crate::components::task::Tasks;
use crate::session::{Session, SessionError};

#[component]
pub fn Recovery(error: SessionError) -> impl IntoView {
    let session = Session::get();
    let tasks = Tasks::here();
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let rescue = move |_| {
            tasks.spawn(async move {
                let saved = match session.rescue().await {
                    Ok(text) => files::save("leche_recuperado.json", "application/json", &text).map_err(SessionError::from),
                    Err(e) => Err(e),
                };
                status.set(match saved {
                    Ok(()) => "Se descargó lo que se pudo leer (leche_recuperado.json).".into(),
                    Err(e) => format!("No se pudo leer nada: {e}"),
                });
            });
    };
    let start_over = move |_| {
            busy.set(true);
            status.set("Descargando los datos publicados…".into());
            tasks.spawn(async move {
                // On success the page reloads onto the published data.
                if let Err(e) = session.start_over().await {
                    status.set(format!("No se pudo: {e}"));
                    busy.set(false);
                }
            });
    };
    let restore = move |ev: leptos::ev::Event| {
        let Some(file) = files::picked_file(&ev) else { return };
        busy.set(true);
        tasks.spawn(async move {
            // On success the page reloads onto the restored data.
            if let Err(e) = session.restore_file(file).await {
                status.set(format!("No se restauró nada: {e}"));
                busy.set(false);
            }
        });
    };
    view! {
        <div class="fatal" role="alert" id="recovery">
            <h1>"Los datos guardados en este navegador están dañados"</h1>
            <p id="recovery-reason">{error.to_string()}</p>
            <p>"Puede descargar lo que se pueda leer, restaurar un respaldo, o volver a los datos publicados (se pierden las cargas y el registro guardados aquí)."</p>
            <div class="actions">
                <button id="recovery-download" type="button" class="secondary" on:click=rescue>"Descargar lo que se pueda leer"</button>
                <button id="recovery-reset" type="button" class="danger" disabled=move || busy.get() on:click=start_over>"Volver a los datos publicados"</button>
            </div>
            <label for="recovery-restore">"Restaurar un respaldo"</label>
            {file_picker(Accepts { id: "recovery-restore", accept: ".json,application/json", multiple: false }, busy.into(), None, RwSignal::new(None), restore)}
            <p id="recovery-status" role="status" class="status">{move || status.get()}</p>
        </div>
    }
}
