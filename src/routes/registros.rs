//! The logs page: the track record of the forecasts this browser showed
//! ([`crate::view::track`]), the training log (an artifact) and the interaction
//! log (IndexedDB), both downloadable as `.log` files; the interaction log
//! can be cleared after a confirmation.

use leche_core::artifact::TRAIN_LOG_FILE;
use leptos::html::Dialog;
use leptos::prelude::*;

use crate::browser::fetch::{self, artifact_url};
use crate::browser::{files, BrowserError};
use crate::components::dialog::{self, confirm_dialog, Confirm};
use crate::components::task::Tasks;
use crate::view::format::count;
use crate::view::interaction::{to_text, LogEntry};
use crate::session::{Session, SessionError};
use crate::view::track::{score, track_html, TrackRecord};

/// The track record as the pages show it: `None` while the kept forecasts
/// are read, or why they could not be. Re-read when forecasts are kept
/// (here or in another tab) and once the data are stored (a first visit
/// opens the store after showing the page); re-scored when the data change.
pub(crate) fn track_record(session: Session) -> Memo<Option<Result<TrackRecord, SessionError>>> {
    let kept = LocalResource::new(move || {
        session.track_rev().track();
        session.persist().track();
        async move { session.read_track().await }
    });
    Memo::new(move |_| kept.get().map(|r| r.map(|k| session.db().with(|db| score(&k, db)))))
}

/// The interaction log's entries shown at first, and how many more each
/// «Mostrar anteriores» adds: a year of forecasts is hundreds of entries, a
/// hundred screens on a phone; the download always has them all.
const LOG_PAGE: usize = 50;

#[component]
pub fn RegistrosPage() -> impl IntoView {
    let session = Session::get();
    let tasks = Tasks::here();
    let train = RwSignal::new(None::<Result<String, BrowserError>>);
    let entries = RwSignal::new(Vec::<LogEntry>::new());
    // The interaction log's first read and the track record: the page shows
    // once both are in, so neither pushes the other's card down as it arrives.
    let read = RwSignal::new(false);
    let record = track_record(session);
    let status = RwSignal::new(String::new());
    let confirm: NodeRef<Dialog> = NodeRef::new();
    let limit = RwSignal::new(LOG_PAGE);

    tasks.spawn(async move {
        let text = fetch::text(&artifact_url(TRAIN_LOG_FILE), false).await;
        train.set(Some(text));
    });
    // Re-read the interaction log whenever it changes.
    Effect::new(move |_| {
        session.log_rev().track();
        tasks.spawn(async move {
            match session.read_log().await {
                Ok(v) => entries.set(v),
                Err(e) => status.set(e.to_string()),
            }
            read.set(true);
        });
    });

    let download = move |name: &str, text: String| save_log(name, &text, status);
    let clear = move || {
        tasks.spawn(async move {
            status.set(match session.clear_log().await {
                Ok(()) => "Registro de interacciones borrado.".to_string(),
                Err(e) => format!("No se borró nada: {e}"),
            });
        });
    };

    let shown = move || read.get() && record.with(Option::is_some);
    view! {
        <h1>"Registros"</h1>
        <p class="loading" role="status" hidden=shown>"Cargando…"</p>
        <div hidden=move || !shown()>
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
            {move || {
                let hidden = entries.with(|e| e.len().saturating_sub(limit.get()));
                (hidden > 0).then(|| view! {
                    <p class="hint" id="log-count">{move || entries.with(|e| format!("Se muestran las {} entradas más recientes de {}.", count(e.len() - hidden), count(e.len())))}</p>
                    <button id="log-earlier" type="button" class="secondary" on:click=move |_| limit.update(|l| *l += LOG_PAGE)>
                        {format!("Mostrar {} anteriores", count(hidden.min(LOG_PAGE)))}
                    </button>
                })
            }}
            // Numbered as in the whole log (the first shown is not number 1 when older ones are hidden).
            <ol id="interaction-log" class="log" start=move || entries.with(|e| e.len().saturating_sub(limit.get()) + 1)>
                {move || entries.with(|e| e[e.len().saturating_sub(limit.get())..].to_vec()).into_iter().map(|e| view! {
                    <li data-kind=e.kind.as_str()>
                        <time datetime=e.time.clone()>{e.time.clone()}</time>
                        " " <span class="kind">{e.kind.as_str()}</span> " " <span class="message">{e.message}</span>
                        {(!e.details.is_empty()).then(|| view! { <pre class="details">{e.details}</pre> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        {track_card(record)}
        {train_log_card(train, status)}
        </div>
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

/// «Historial de pronósticos»: each forecast kept for a month that had no
/// price, beside the price once it arrived.
fn track_card(record: Memo<Option<Result<TrackRecord, SessionError>>>) -> impl IntoView {
    let body = move || match record.get() {
        None => "<p class=\"loading\">Cargando…</p>".to_string(),
        Some(Ok(r)) => track_html(&r),
        Some(Err(e)) => format!("<p class=\"alert\" role=\"alert\">No se pudo leer el historial: {}</p>", crate::view::chart::escape(&e.to_string())),
    };
    view! {
        <section class="card" id="track-record" aria-labelledby="track-title">
            <h2 id="track-title">"Historial de pronósticos"</h2>
            <p class="hint">"Los pronósticos que esta página mostró para meses aún sin precio, guardados en este navegador, junto al precio real cuando llega. El ingenuo pronostica que el mes siguiente vale lo mismo que el último precio conocido."</p>
            <div class="card-body" inner_html=body></div>
        </section>
    }
}

/// Offers a log as a `.log` file; a refusal shows in the status line.
fn save_log(name: &str, text: &str, status: RwSignal<String>) {
    if let Err(e) = files::save(name, "text/plain;charset=utf-8", text) {
        status.set(format!("No se pudo descargar: {e}"));
    }
}

/// The training log (an artifact of the published models), to read and download.
fn train_log_card(train: RwSignal<Option<Result<String, BrowserError>>>, status: RwSignal<String>) -> impl IntoView {
    let download = move |_| match train.with_untracked(|t| t.as_ref().and_then(|r| r.as_ref().ok().cloned())) {
        Some(text) => save_log("leche-entrenamiento.log", &text, status),
        None => status.set("El registro de entrenamiento aún no se ha cargado.".into()),
    };
    view! {
        <section class="card" aria-labelledby="train-title">
            <h2 id="train-title">"Registro de entrenamiento"</h2>
            <p class="hint">"Búsqueda de parámetros, parámetros elegidos y métricas del entrenamiento de los modelos publicados."</p>
            <button id="download-train-log" type="button" class="secondary" on:click=download>"Descargar (.log)"</button>
            <pre id="train-log" tabindex="0" aria-labelledby="train-title">
                {move || match train.get() {
                    None => "Cargando…".to_string(),
                    Some(Ok(t)) => t,
                    Some(Err(e)) => e.to_string(),
                }}
            </pre>
        </section>
    }
}
