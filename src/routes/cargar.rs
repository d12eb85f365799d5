//! The data page's write side: upload CSV files (picker or drag and drop),
//! see the report, insert in one transaction; list and undo batches; export
//! the database in the original formats and as a full backup, and restore one.

use leche_core::artifact::{Columns, DatabaseArtifact, SCHEMA_VERSION};
use leche_core::clean::MAX_FILE_BYTES;
use leche_core::drift::{measure, suggests_retrain, Drift, Skill, RETRAIN_GROWTH};
use leche_core::original_csv::{template, write_table};
use leche_core::upload::{Batch, Plan};
use leche_core::{Database, Source};
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;
use js_sys::JsString;
use wasm_bindgen::JsCast;

use crate::app::Ctx;
use crate::backup::{self, Backup};
use crate::dialog::{self, confirm_dialog, Confirm};
use crate::format::{count, number};
use crate::interaction::{Kind, LogEntry};
use crate::pwa::{self, Change};
use crate::report::{months_text, prepare, size_limit_text, FileReport, Report};
use crate::web;
use crate::worker;

/// Files chosen (their names), what they would do, and the plan to insert.
#[derive(Clone)]
struct Pending {
    names: Vec<String>,
    report: Report,
    plan: Option<PlanSource>,
}

/// Where a ready plan is: in memory (validated in the page), or the
/// worker's JSON text, decoded only when the user inserts.
#[derive(Clone)]
enum PlanSource {
    Here(Plan),
    Worker(JsString),
}

impl PlanSource {
    fn plan(self) -> Result<Plan, String> {
        match self {
            PlanSource::Here(plan) => Ok(plan),
            PlanSource::Worker(text) => serde_json::from_str(&String::from(text)).map_err(|e| format!("plan ilegible: {e}")),
        }
    }
}

impl Pending {
    fn refused(names: Vec<String>, reason: String) -> Pending {
        Pending { names, report: Report::Refused { reasons: vec![reason] }, plan: None }
    }
}

/// Uploads up to this size are validated in the page (a few milliseconds);
/// larger ones in a worker, so the page keeps answering.
const IN_PAGE_BYTES: usize = 1 << 20;

#[component]
pub fn UploadSection() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pending = RwSignal::new_local(None::<Pending>);
    let replace = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let suggest_retrain = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let dragging = RwSignal::new(false);
    let confirm_replace: NodeRef<Dialog> = NodeRef::new();

    // The page says what it is doing meanwhile; the report replaces it.
    let announce = move |names: &[String], size: usize| {
        pending.set(None);
        suggest_retrain.set(false);
        status.set(format!("Leyendo y validando {} ({} bytes)…", names.join(", "), count(size)));
        busy.set(true);
    };
    let show = move |p: Pending| {
        if let Report::Refused { reasons } = &p.report {
            ctx.log(Kind::CargaRechazada, format!("Carga rechazada: {}", p.names.join(", ")), reasons.join("\n"));
        }
        let _ = busy.try_set(false);
        let _ = status.try_set(String::new());
        let _ = replace.try_set(false);
        let _ = pending.try_set(Some(p));
    };
    // Small uploads (and the samples) are validated in the page.
    let examine = move |files: Vec<(String, Vec<u8>)>| {
        let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
        announce(&names, files.iter().map(|f| f.1.len()).sum());
        let prepared = ctx.db.with_untracked(|db| prepare(db, &files, web::this_month()));
        show(Pending { names, report: prepared.report, plan: prepared.plan.map(PlanSource::Here) });
    };
    // Large ones in the worker, which reads the files itself.
    let examine_in_worker = move |files: Vec<web_sys::File>| async move {
        let names: Vec<String> = files.iter().map(|f| f.name()).collect();
        announce(&names, files.iter().map(|f| f.size() as usize).sum());
        let db = ctx.db.get_untracked();
        let pending = match worker::prepare(&db, &files, web::this_month()).await {
            Ok((report, plan)) => Pending { names, report, plan: plan.map(PlanSource::Worker) },
            Err(e) => Pending::refused(names, format!("No se pudieron validar los archivos: {e}.")),
        };
        show(pending);
    };

    let read_and_examine = move |list: web_sys::FileList| {
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        web::mark("leche:upload-start");
        // Refused before reading: a huge file must not stall the page.
        if let Some(f) = files.iter().find(|f| f.size() > MAX_FILE_BYTES as f64) {
            let reason = format!("Archivo rechazado: {} pesa {} bytes, más que el límite de {}.", f.name(), count(f.size() as usize), size_limit_text());
            ctx.log(Kind::CargaRechazada, format!("Carga rechazada: {}", f.name()), reason.clone());
            pending.set(Some(Pending::refused(Vec::new(), reason)));
            return;
        }
        let size: f64 = files.iter().map(|f| f.size()).sum();
        spawn_local(async move {
            if size > IN_PAGE_BYTES as f64 {
                examine_in_worker(files).await;
            } else {
                let mut read = Vec::new();
                for f in files {
                    match web::file_bytes(&f).await {
                        Ok(bytes) => read.push((f.name(), bytes)),
                        Err(e) => return pending.set(Some(Pending::refused(Vec::new(), e))),
                    }
                }
                examine(read);
            }
            web::measure("leche:upload-report", "leche:upload-start");
        });
    };

    let on_pick = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        if let Some(list) = input.as_ref().and_then(|i| i.files()) {
            read_and_examine(list);
        }
        if let Some(i) = input {
            i.set_value(""); // picking the same files again re-reads them
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            read_and_examine(list);
        }
    };

    let sample = move |_| examine(ctx.db.with_untracked(sample_files));

    let insert = move || {
        let Some(Pending { names, report: Report::Ready { .. }, plan: Some(plan) }) = pending.get_untracked() else { return };
        let Some(store) = ctx.store.get_untracked() else { return };
        let replace_revisions = replace.get_untracked();
        busy.set(true);
        status.set("Insertando…".into());
        web::mark("leche:insert-start");
        spawn_local(async move {
            // Each long step in its own task, so the page can paint "busy" and answer in between.
            web::yield_now().await;
            let plan = match plan.plan() {
                Ok(p) => p,
                Err(e) => {
                    ctx.log(Kind::Error, format!("Carga fallida, no se escribió nada: {e}"), "");
                    let _ = status.try_set(format!("No se escribió nada: {e}"));
                    let _ = busy.try_set(false);
                    return;
                }
            };
            web::yield_now().await;
            let before = ctx.db.get_untracked();
            let mut after = before.clone();
            let batch = Batch::apply(&plan, &mut after, replace_revisions, web::now_iso());
            let drift = ctx.model(ctx.default_model()).map(|m| (measure(&m, &before), measure(&m, &after)));
            let details = batch_details(&batch, drift.as_ref());
            let message = format!(
                "Carga de {}: {} filas escritas{}",
                names.join(", "),
                count(batch.written.len()),
                if replace_revisions { " (con valores revisados reemplazados)" } else { "" }
            );
            let entry = LogEntry::new(web::now_iso(), Kind::Carga, message.clone(), details.clone());
            let result = if batch.written.is_empty() { Ok(0) } else { store.apply_batch(&batch, &entry).await };
            match result {
                Ok(_) if batch.written.is_empty() => {
                    ctx.log(Kind::Carga, format!("Carga de {}: nada nuevo que insertar", names.join(", ")), "");
                    let _ = status.try_set("No se insertó nada: todos los meses ya estaban guardados.".into());
                }
                Ok(key) => {
                    // The store now holds exactly `after`: no need to read it back.
                    ctx.db.set(after);
                    ctx.batches.update(|b| b.push((key, batch.clone())));
                    ctx.log_rev.update(|n| *n += 1);
                    pwa::notify_changed(Change::Data);
                    web::measure("leche:insert", "leche:insert-start");
                    let _ = status.try_set(format!("Listo. {message}.\n{}", drift.as_ref().map(|d| drift_text(&d.0, &d.1)).unwrap_or_default()));
                    let _ = suggest_retrain.try_set(drift.as_ref().is_some_and(|(b, a)| suggests_retrain(b, a)));
                    let _ = pending.try_set(None);
                }
                Err(e) => {
                    ctx.log(Kind::Error, format!("Carga fallida, no se escribió nada: {e}"), "");
                    let _ = status.try_set(format!("No se escribió nada: {e}"));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let on_insert = move |_| {
        if replace.get_untracked() {
            dialog::open(confirm_replace);
        } else {
            insert();
        }
    };

    let report_view = move || {
        pending.get().map(|p| match p.report {
            Report::Refused { reasons } => view! {
                <div id="upload-refused" class="alert" role="alert">
                    <p>"No se puede cargar; no se escribió nada:"</p>
                    <ul>{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                </div>
            }.into_any(),
            Report::Ready { files, notes, writes } => {
                let conflicts: usize = files.iter().map(|f| f.conflicts.count).sum();
                view! {
                    <div id="upload-report">
                        {files.into_iter().map(file_report).collect_view()}
                        <ul class="hint">{notes.into_iter().map(|n| view! { <li class="note-lone">{n}</li> }).collect_view()}</ul>
                        <p id="upload-summary" data-writes=writes.to_string()>
                            {match (writes, conflicts) {
                                (0, 0) => "Nada nuevo: todos los meses de estos archivos ya están guardados.".to_string(),
                                (0, c) => format!("Nada nuevo que insertar; {} meses guardados tienen otro valor en los archivos (se conserva lo guardado salvo que elija reemplazarlos).", count(c)),
                                (w, _) => format!("Se insertarán {} filas.", count(w)),
                            }}
                        </p>
                        {(conflicts > 0).then(|| view! {
                            <label class="check">
                                <input id="replace-revisions" type="checkbox" prop:checked=move || replace.get()
                                    on:change=move |ev| replace.set(event_target_checked(&ev)) />
                                " Reemplazar valores revisados (" {count(conflicts)} " meses guardados con otro valor)"
                            </label>
                        })}
                        <div class="actions">
                            <button id="insert" type="button" disabled=move || busy.get() || (writes == 0 && !replace.get()) on:click=on_insert>"Insertar"</button>
                            <button id="cancel-upload" type="button" class="secondary" on:click=move |_| pending.set(None)>"Descartar"</button>
                        </div>
                    </div>
                }.into_any()
            }
        })
    };

    view! {
        <section class="card" aria-labelledby="upload-title">
            <h2 id="upload-title">"Cargar datos (CSV)"</h2>
            <p class="hint">
                "Uno a tres archivos: precipitaciones, Banco Central y precio de la leche, con los encabezados de los archivos originales "
                "(se reconocen por el encabezado, no por el nombre). Se aceptan UTF-8 con o sin BOM, comillas, columnas extra y, para "
                "precipitaciones y precio, el formato de planilla con «;» y coma decimal. Límite: " {size_limit_text()} "."
            </p>
            <div class="dropzone" class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                <label for="upload-files">"Elegir archivos o arrastrarlos aquí"</label>
                <input id="upload-files" type="file" multiple accept=".csv,text/csv,text/plain" on:change=on_pick />
            </div>
            <div class="actions">
                <button id="sample-files" type="button" class="secondary" on:click=sample>"Probar con archivos de ejemplo"</button>
                {Source::ALL.into_iter().map(|s| view! {
                    <button type="button" class="secondary" id=format!("template-{}", source_id(s))
                        on:click=move |_| { let _ = web::download(&format!("plantilla_{}", s.file_name()), "text/csv;charset=utf-8", &template(s)); }>
                        "Plantilla " {s.label()}
                    </button>
                }).collect_view()}
            </div>
            {report_view}
            <p id="upload-status" role="status" class="status pre">{move || status.get()}</p>
            {move || suggest_retrain.get().then(|| view! {
                <p class="note" id="retrain-suggestion">
                    {format!("El error del modelo activo creció más de {} % con esta carga: conviene ", number(RETRAIN_GROWTH * 100.0, 0))}
                    <a href="#/modelo">"reentrenarlo con los datos nuevos"</a>"."
                </p>
            })}
        </section>
        {confirm_dialog(confirm_replace, Confirm {
            title_id: "confirm-replace-title",
            title: "¿Reemplazar los valores revisados?",
            text: "Los meses ya guardados con otro valor tomarán el valor de los archivos. Puede deshacerlo desde la lista de cargas.",
            confirm_id: "confirm-replace",
            confirm_label: "Reemplazar e insertar",
            cancel_id: "cancel-replace",
        }, insert)}
    }
}

fn source_id(s: Source) -> &'static str {
    match s {
        Source::Rainfall => "rainfall",
        Source::CentralBank => "central-bank",
        Source::MilkPrice => "milk-price",
    }
}

fn file_report(f: FileReport) -> impl IntoView {
    let list = |items: Vec<String>, total: usize, class: &'static str| {
        let more = (total > items.len()).then(|| view! { <li class="more">{format!("… y {} más (se muestran los primeros {})", count(total - items.len()), items.len())}</li> });
        (!items.is_empty()).then(|| view! { <ul class=class>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}{more}</ul> })
    };
    view! {
        <div class="file-report" data-source=source_id(f.source) data-insert=f.insert.count.to_string()
            data-present=f.present.count.to_string() data-conflicts=f.conflicts.count.to_string()>
            <h3>{f.file.clone()} " — " {f.source.label()}</h3>
            <ul>
                <li>"Filas leídas: " {count(f.rows_read as usize)}</li>
                <li class="insert">"A insertar: " {f.insert.text}</li>
                <li class="present">"Ya guardados (mismos valores): " {f.present.text}</li>
                <li class="conflicts">"Guardados con otro valor (se conserva el guardado): " {f.conflicts.text}</li>
                <li>"Filas omitidas: " {count(f.skipped_total)}</li>
                <li>"Valores marcados para revisar: " {count(f.flags_total)}</li>
            </ul>
            {list(f.skipped, f.skipped_total, "skipped hint")}
            {list(f.flags, f.flags_total, "flags hint")}
        </div>
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

fn skill_text(s: &Option<Skill>) -> String {
    match s {
        None => "sin meses con precio real".into(),
        Some(s) => format!(
            "RMSE {} y R² {} en {} meses",
            number(s.rmse, 2),
            s.r2.map(|r| number(r, 3)).unwrap_or_else(|| "—".into()),
            count(s.months)
        ),
    }
}

/// How the active model's error moved with the upload.
fn drift_text(before: &Drift, after: &Drift) -> String {
    format!(
        "Modelo activo, todos los meses: antes {}; ahora {}.\nMeses posteriores a su entrenamiento (después de {}): antes {}; ahora {}.",
        skill_text(&before.all),
        skill_text(&after.all),
        after.trained_to.map_or_else(|| "—".to_string(), |m| m.to_string()),
        skill_text(&before.after_training),
        skill_text(&after.after_training)
    )
}

fn batch_details(batch: &Batch, drift: Option<&(Drift, Drift)>) -> String {
    let mut out: Vec<String> = batch.months().iter().map(|(s, ms)| format!("{}: {}", s.label(), months_text(ms))).collect();
    if let Some((b, a)) = drift {
        out.push(drift_text(b, a));
    }
    out.join("\n")
}

#[component]
pub fn BatchesSection() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let status = RwSignal::new(String::new());
    let target = StoredValue::new(None::<(u32, Batch)>);
    let confirm: NodeRef<Dialog> = NodeRef::new();
    let undo = move || {
        let (Some((key, batch)), Some(store)) = (target.get_value(), ctx.store.get_untracked()) else { return };
        spawn_local(async move {
            let details = batch_details(&batch, None);
            let entry = LogEntry::new(web::now_iso(), Kind::Deshacer, format!("Carga del {} deshecha ({})", batch.time, batch.files.join(", ")), details);
            match store.undo_batch(key, &batch, &entry).await {
                Ok(()) => {
                    ctx.log_rev.update(|n| *n += 1);
                    let _ = ctx.reload().await;
                    pwa::notify_changed(Change::Data);
                    let _ = status.try_set("Carga deshecha: los datos quedaron como antes de ella.".into());
                }
                Err(e) => {
                    let _ = status.try_set(format!("No se deshizo nada: {e}"));
                }
            }
        });
    };
    let rows = move || {
        ctx.batches.get().into_iter().rev().map(|(key, b)| {
            let months = b.months().iter().map(|(s, ms)| format!("{}: {}", s.label(), months_text(ms))).collect::<Vec<_>>().join("; ");
            let undone = b.undone;
            let item = (key, b.clone());
            view! {
                <tr data-batch=key.to_string() data-undone=undone.to_string()>
                    <td>{b.time.replace('T', " ").chars().take(19).collect::<String>()}</td>
                    <td>{b.files.join(", ")}</td>
                    <td>{months}</td>
                    <td>{if undone {
                        view! { <span>"Deshecha"</span> }.into_any()
                    } else {
                        view! { <button type="button" class="secondary undo" on:click=move |_| {
                            target.set_value(Some(item.clone()));
                            dialog::open(confirm);
                        }>"Deshacer"</button> }.into_any()
                    }}</td>
                </tr>
            }
        }).collect_view()
    };
    view! {
        <section class="card" aria-labelledby="batches-title">
            <h2 id="batches-title">"Cargas"</h2>
            {move || if ctx.batches.with(Vec::is_empty) {
                view! { <p class="hint" id="no-batches">"Todavía no hay cargas en este navegador."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table id="batches">
                            <thead><tr><th scope="col">"Cuándo (UTC)"</th><th scope="col">"Archivos"</th><th scope="col">"Meses escritos"</th><th scope="col">"Acción"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p id="batch-status" role="status" class="status">{move || status.get()}</p>
        </section>
        {confirm_dialog(confirm, Confirm {
            title_id: "confirm-undo-title",
            title: "¿Deshacer esta carga?",
            text: "Cada mes que escribió vuelve exactamente a como estaba antes.",
            confirm_id: "confirm-undo",
            confirm_label: "Deshacer",
            cancel_id: "cancel-undo",
        }, undo)}
    }
}

#[component]
pub fn ExportSection() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let status = RwSignal::new(String::new());
    let export_table = move |s: Source| {
        let text = ctx.db.with_untracked(|db| write_table(s, db.table(s)));
        match text.map_err(|e| e.to_string()).and_then(|t| web::download(s.file_name(), "text/csv;charset=utf-8", &t)) {
            Ok(()) => ctx.log(Kind::Exportacion, format!("Exportado {}", s.file_name()), ""),
            Err(e) => status.set(format!("No se pudo exportar: {e}")),
        }
    };
    let export_backup = move |_| {
        let Some(store) = ctx.store.get_untracked() else { return };
        spawn_local(async move {
            let result = async {
                let log = store.read_log().await.map_err(|e| e.to_string())?;
                let models = ctx.models.get_untracked().ok_or("sin modelos")?;
                let version = ctx.meta.with_untracked(|m| m.artifact_version.clone()).unwrap_or_default();
                let backup = Backup {
                    kind: backup::KIND.into(),
                    version: backup::VERSION,
                    created: web::now_iso(),
                    database: DatabaseArtifact { schema_version: SCHEMA_VERSION, version, columns: Columns::default(), tables: ctx.db.get_untracked() },
                    models,
                    batches: ctx.batches.get_untracked(),
                    log,
                };
                let text = serde_json::to_string(&backup).map_err(|e| e.to_string())?;
                web::download("leche_respaldo.json", "application/json", &text)
            }
            .await;
            match result {
                Ok(()) => ctx.log(Kind::Exportacion, "Respaldo completo descargado", ""),
                Err(e) => {
                    let _ = status.try_set(format!("No se pudo crear el respaldo: {e}"));
                }
            }
        });
    };
    let restore = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|l| l.get(0)) else { return };
        if let Some(i) = input {
            i.set_value("");
        }
        let Some(store) = ctx.store.get_untracked() else { return };
        spawn_local(async move {
            let result = async {
                if file.size() > MAX_FILE_BYTES as f64 {
                    return Err(format!("{}: más grande que el límite de {}", file.name(), size_limit_text()));
                }
                let bytes = web::file_bytes(&file).await?;
                let text = String::from_utf8(bytes).map_err(|_| format!("{}: no es un respaldo de Leche (no es texto)", file.name()))?;
                let b = Backup::parse(&file.name(), &text)?;
                let entry = LogEntry::new(web::now_iso(), Kind::Restauracion, format!("Respaldo del {} restaurado desde {}", b.created, file.name()), "");
                store.restore(&b.database, &b.models, &b.batches, &b.log, &entry, &entry.time).await.map_err(|e| e.to_string())?;
                ctx.log_rev.update(|n| *n += 1);
                pwa::notify_changed(Change::Data);
                ctx.reload().await.map_err(|e| e.to_string())
            }
            .await;
            let message = match result {
                Ok(()) => "Respaldo restaurado: tablas, modelos, cargas y registro.".to_string(),
                Err(e) => {
                    ctx.log(Kind::Error, format!("Restauración de respaldo rechazada: {e}"), "");
                    format!("No se restauró nada: {e}")
                }
            };
            let _ = status.try_set(message);
        });
    };
    view! {
        <section class="card" aria-labelledby="export-title">
            <h2 id="export-title">"Exportar y respaldar"</h2>
            <p class="hint">"Las tablas en el formato de los archivos originales (se pueden volver a cargar) y un respaldo completo que se puede restaurar."</p>
            <div class="actions">
                {Source::ALL.into_iter().map(|s| view! {
                    <button type="button" class="secondary" id=format!("export-{}", source_id(s)) on:click=move |_| export_table(s)>
                        "Descargar " {s.file_name()}
                    </button>
                }).collect_view()}
                <button type="button" class="secondary" id="export-backup" on:click=export_backup>"Descargar respaldo completo"</button>
            </div>
            <label for="restore-file">"Restaurar un respaldo (reemplaza todo lo guardado en este navegador)"</label>
            <input id="restore-file" type="file" accept=".json,application/json" on:change=restore />
            <p id="export-status" role="status" class="status">{move || status.get()}</p>
        </section>
    }
}

