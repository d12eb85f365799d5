//! Exports: each table in its original CSV format (it re-imports to the
//! same database) and a full backup that restores everything.

use leche_core::data::original_csv::write_table;
use leche_core::Source;
use leptos::prelude::*;

use crate::browser::files;
use crate::components::disclosure::more;
use crate::components::file_picker::{file_picker, Accepts};
use crate::components::task::Tasks;
use crate::view::interaction::Kind;
use crate::session::{Failure, Session, SessionError};

#[component]
pub fn ExportSection() -> impl IntoView {
    let session = Session::get();
    let tasks = Tasks::here();
    let status = RwSignal::new(String::new());
    let export_table = move |s: Source| {
        let saved = session.db().with_untracked(|db| write_table(s, db.table(s))).map_err(|e| e.to_string()).and_then(|text| {
            files::save(s.file_name(), "text/csv;charset=utf-8", &text).map_err(|e| e.to_string())
        });
        match saved {
            Ok(()) => session.log(Kind::Exportacion, format!("Exportado {}", s.file_name()), ""),
            Err(e) => status.set(format!("No se pudo exportar: {e}")),
        }
    };
    let export_backup = move |_: ()| {
        tasks.spawn(async move {
            let saved = match session.backup().await {
                Ok(backup) => serde_json::to_string(&backup)
                    .map_err(|e| SessionError::from(Failure::Encode(e.to_string())))
                    .and_then(|text| Ok(files::save("leche_respaldo.json", "application/json", &text)?)),
                Err(e) => Err(e),
            };
            match saved {
                Ok(()) => session.log(Kind::Exportacion, "Respaldo completo descargado", ""),
                Err(e) => status.set(format!("No se pudo crear el respaldo: {e}")),
            }
        });
    };
    // The crash screen's "Descargar respaldo" lands here: the download starts by itself.
    if crate::crash::hook::backup_asked() {
        export_backup(());
    }
    let restore = move |ev: leptos::ev::Event| {
        let Some(file) = files::picked_file(&ev) else { return };
        tasks.spawn(async move {
            status.set(match session.restore_file(file).await {
                Ok(()) => "Respaldo restaurado: tablas, modelos, cargas y registro.".to_string(),
                Err(e) => format!("No se restauró nada: {e}"),
            });
        });
    };
    view! {
        <section class="card" aria-labelledby="export-title">
            <h2 id="export-title">"Exportar y respaldar"</h2>
            <p class="hint">"Las tablas en el formato de los archivos originales (se pueden volver a cargar) y un respaldo completo que se puede restaurar."</p>
            {more("Descargar o restaurar", view! {
                <div class="actions">
                    {Source::ALL.into_iter().map(|s| view! {
                        <button type="button" class="secondary" id=format!("export-{}", s.key()) on:click=move |_| export_table(s)>
                            "Descargar " {s.file_name()}
                        </button>
                    }).collect_view()}
                    <button type="button" class="secondary" id="export-backup" on:click=move |_| export_backup(())>"Descargar respaldo completo"</button>
                </div>
                <label for="restore-file">"Restaurar un respaldo (reemplaza todo lo guardado en este navegador)"</label>
                {file_picker(Accepts { id: "restore-file", accept: ".json,application/json", multiple: false }, Signal::from(false), None, RwSignal::new(None), restore)}
            })}
            <p id="export-status" role="status" class="status">{move || status.get()}</p>
        </section>
    }
}
