//! Upload files (picker or drag and drop): the challenge's CSV files, or a
//! bulletin as published (CSV or workbook), read by the library's one
//! reader; the session reads and validates them first
//! ([`Session::examine`]) and a report is shown ([`Examined`]), with the
//! bulletin's series to choose among; nothing is written until "Insertar",
//! which the session writes as one transaction.

use leche_core::data::original_csv::{template, write_table};
use leche_core::{Database, Source};
use leptos::prelude::*;

use super::examined::{examined_view, Examined, Ids};
use crate::browser::{files, performance};
use crate::components::file_picker::{chosen_text, file_picker, Accepts};
use crate::components::task::Tasks;
use crate::session::{Persist, Session};
use crate::view::format::count;
use crate::view::report::{size_limit_text, Choices};

/// The files last picked or dropped, kept so a choice of series reads them again.
type Picked = StoredValue<Vec<web_sys::File>, LocalStorage>;

/// The files card's ids (the report's, the status line's; see [`Ids`]).
const IDS: Ids = Ids {
    report: "upload-report",
    refused: "upload-refused",
    summary: "upload-summary",
    replace: "replace-revisions",
    insert: "insert",
    cancel: "cancel-upload",
    status: "upload-status",
    series: "upload-series",
    retrain: "retrain-suggestion",
    confirm_title: "confirm-replace-title",
    confirm: "confirm-replace",
    confirm_cancel: "cancel-replace",
};

/// Reads and validates picked or dropped files with the series `choices`,
/// saying what it is doing meanwhile.
fn examine(session: Session, ex: Examined, tasks: Tasks, picked: Picked, choices: Choices) {
    let files = picked.get_value();
    if files.is_empty() {
        return;
    }
    performance::mark("leche:upload-start");
    let names: Vec<String> = files.iter().map(|f| f.name()).collect();
    let size: f64 = files.iter().map(|f| f.size()).sum();
    ex.reading(format!("Leyendo y validando {} ({} bytes)…", names.join(", "), count(size as usize)));
    tasks.spawn(async move {
        let prepared = session.examine(files, choices).await;
        ex.show(names, prepared);
        performance::measure("leche:upload-report", "leche:upload-start");
    });
}

#[component]
pub fn UploadSection() -> impl IntoView {
    let session = Session::get();
    let ex = Examined::new();
    let tasks = Tasks::here();
    let picked: Picked = StoredValue::new_local(Vec::new());
    let choices = StoredValue::new(Choices::new());
    let on_pick = move |files: Vec<web_sys::File>| {
        picked.set_value(files);
        choices.set_value(Choices::new());
        examine(session, ex, tasks, picked, Choices::new());
    };
    let on_choose = move |file: String, series: usize| {
        choices.update_value(|c| {
            c.insert(file, series);
        });
        examine(session, ex, tasks, picked, choices.get_value());
    };
    let on_samples = move || {
        let files = session.db().with_untracked(sample_files);
        let names = files.iter().map(|f| f.0.clone()).collect();
        ex.show(names, session.examine_read(&files));
    };
    // An upload is planned against the stored tables (the worker reads them):
    // not before the first visit has written them.
    let stored = Signal::derive(move || session.persist().with(|p| *p == Persist::Saved));

    view! {
        <section class="card" aria-labelledby="upload-title">
            <h2 id="upload-title">"Cargar datos (CSV o planilla)"</h2>
            <p class="hint">
                "Los archivos originales (se reconocen por su encabezado) o un boletín de precios tal como se publica, en CSV o "
                "planilla .xlsx, .xls u .ods: se lee el precio nacional nominal, y el informe dice qué hoja, columna y filas se "
                "leyeron y deja elegir otra serie. Nada se guarda antes de «Insertar». Límite: " {size_limit_text()} "."
            </p>
            {picker(stored, on_pick, on_samples, ex)}
            {examined_view(ex, IDS, on_choose)}
        </section>
    }
}

/// The file picker and drop zone, the sample files and the templates.
fn picker(stored: Signal<bool>, on_pick: impl Fn(Vec<web_sys::File>) + Copy + 'static, on_samples: impl Fn() + Copy + 'static, ex: Examined) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let chosen = RwSignal::new(None::<String>);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let dropped = files::listed(ev.data_transfer().and_then(|d| d.files()));
        chosen.set(chosen_text(&dropped));
        on_pick(dropped);
    };
    view! {
        <div class="dropzone" class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop>
            <label for="upload-files">"Elegir archivos o arrastrarlos aquí"</label>
            {file_picker(
                Accepts { id: "upload-files", accept: ".csv,text/csv,text/plain,.txt,.xlsx,.xls,.ods", multiple: true },
                Signal::derive(move || !stored.get()),
                Some("upload-wait"),
                chosen,
                move |ev| on_pick(files::picked_files(&ev)),
            )}
        </div>
        <div class="actions">
            <button id="sample-files" type="button" class="secondary" on:click=move |_| on_samples() disabled=move || !stored.get()>
                "Probar con archivos de ejemplo"
            </button>
            {Source::ALL.into_iter().map(|s| view! {
                <button type="button" class="secondary" id=format!("template-{}", s.key())
                    on:click=move |_| save_template(s, ex)>
                    "Plantilla " {s.label()}
                </button>
            }).collect_view()}
        </div>
        {move || (!stored.get()).then(|| view! {
            <p id="upload-wait" class="hint">"Las cargas se habilitan cuando los datos publicados terminen de guardarse en este navegador."</p>
        })}
    }
}

fn save_template(s: Source, ex: Examined) {
    if let Err(e) = files::save(&format!("plantilla_{}", s.file_name()), "text/csv;charset=utf-8", &template(s)) {
        ex.say(format!("No se pudo descargar la plantilla: {e}"));
    }
}

/// Continuation files made from the stored data (the last rows, moved to
/// the following months), so a newcomer can try an upload.
fn sample_files(db: &Database) -> Vec<(String, Vec<u8>)> {
    Source::ALL
        .iter()
        .filter_map(|&s| {
            let (&last, values) = db.table(s).iter().next_back()?;
            let rows = (1..=2).map(|i| (last.offset(i), values.clone())).collect();
            let text = write_table(s, &rows).ok()?;
            Some((format!("ejemplo_{}", s.file_name()), text.into_bytes()))
        })
        .collect()
}
