//! The logs page: the training log (an artifact) and the interaction log
//! (IndexedDB), both downloadable as `.log` files; the interaction log can
//! be cleared after a confirmation.

use leche_core::artifact::TRAIN_LOG_FILE;
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{artifact_url, Ctx};
use crate::dialog::{self, confirm_dialog, Confirm};
use crate::interaction::{to_text, Kind, LogEntry};
use crate::pwa::{self, Change};
use crate::web;

#[component]
pub fn RegistrosPage() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let train = RwSignal::new(None::<Result<String, String>>);
    let entries = RwSignal::new(Vec::<LogEntry>::new());
    let status = RwSignal::new(String::new());
    let confirm: NodeRef<Dialog> = NodeRef::new();

    spawn_local(async move {
        let text = web::fetch_text(&artifact_url(TRAIN_LOG_FILE), false).await;
        let _ = train.try_set(Some(text));
    });
    // Re-read the interaction log whenever it changes.
    Effect::new(move |_| {
        ctx.log_rev.track();
        spawn_local(async move {
            let Some(store) = ctx.store.get_untracked() else { return };
            match store.read_log().await {
                Ok(v) => {
                    let _ = entries.try_set(v);
                }
                Err(e) => {
                    let _ = status.try_set(e.to_string());
                }
            }
        });
    });

    let download = move |name: &str, text: String| {
        if let Err(e) = web::download(name, "text/plain;charset=utf-8", &text) {
            status.set(format!("No se pudo descargar: {e}"));
        }
    };
    let clear = move || {
        spawn_local(async move {
            let Some(store) = ctx.store.get_untracked() else { return };
            let entry = LogEntry::new(web::now_iso(), Kind::RegistroBorrado, "Registro de interacciones borrado", "");
            let message = match store.clear_log(&entry).await {
                Ok(()) => {
                    pwa::notify_changed(Change::Log);
                    "Registro de interacciones borrado.".to_string()
                }
                Err(e) => format!("No se borró nada: {e}"),
            };
            ctx.log_rev.update(|n| *n += 1);
            let _ = status.try_set(message);
        });
    };

    view! {
        <h1>"Registros"</h1>
        <section class="card" aria-labelledby="interaction-title">
            <h2 id="interaction-title">"Registro de interacciones"</h2>
            <p class="hint">"Cada pronóstico, entrada no válida, dato faltante y restauración, con fecha y hora (UTC). Se guarda en este navegador."</p>
            <div class="actions">
                <button id="download-interaction-log" type="button" class="secondary"
                    on:click=move |_| download("leche-interacciones.log", to_text(&entries.get_untracked()))>
                    "Descargar (.log)"
                </button>
                <button id="clear-log" type="button" class="danger" on:click=move |_| dialog::open(confirm)>
                    "Borrar registro…"
                </button>
            </div>
            <p id="log-status" role="status" class="status">{move || status.get()}</p>
            <ol id="interaction-log" class="log">
                {move || entries.get().into_iter().map(|e| view! {
                    <li data-kind=e.kind.as_str()>
                        <time datetime=e.time.clone()>{e.time.clone()}</time>
                        " " <span class="kind">{e.kind.as_str()}</span> " " <span class="message">{e.message}</span>
                        {(!e.details.is_empty()).then(|| view! { <pre class="details">{e.details}</pre> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <section class="card" aria-labelledby="train-title">
            <h2 id="train-title">"Registro de entrenamiento"</h2>
            <p class="hint">"Búsqueda de parámetros, parámetros elegidos y métricas del entrenamiento de los modelos publicados."</p>
            <button id="download-train-log" type="button" class="secondary"
                on:click=move |_| {
                    let text = train.with_untracked(|t| t.as_ref().and_then(|r| r.as_ref().ok().cloned()));
                    match text {
                        Some(t) => download("leche-entrenamiento.log", t),
                        None => status.set("El registro de entrenamiento aún no se ha cargado.".into()),
                    }
                }>
                "Descargar (.log)"
            </button>
            <pre id="train-log" tabindex="0" aria-labelledby="train-title">
                {move || match train.get() {
                    None => "Cargando…".to_string(),
                    Some(Ok(t)) => t,
                    Some(Err(e)) => e,
                }}
            </pre>
        </section>
        {confirm_dialog(confirm, Confirm {
            title_id: "confirm-clear-title",
            title: "¿Borrar el registro de interacciones?",
            text: "Se borrarán todas las entradas guardadas en este navegador. No se puede deshacer.",
            confirm_id: "confirm-clear",
            confirm_label: "Borrar",
            cancel_id: "cancel-clear",
        }, clear)}
    }
}
