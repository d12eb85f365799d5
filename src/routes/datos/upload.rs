//! Upload CSV files (picker or drag and drop): the session reads and
//! validates them first ([`Session::examine`]) and a report is shown;
//! nothing is written until "Insertar", which the session writes as one
//! transaction.

use leche_core::drift::{suggests_retrain, RETRAIN_GROWTH};
use leche_core::data::original_csv::{template, write_table};
use leche_core::data::paste::PASTE_NAME;
use leche_core::data::upload::Plan;
use leche_core::{Database, Source};
use leptos::html::Dialog;
use leptos::prelude::*;

use super::add_months::add_months;
use crate::view::batch_text::drift_text;
use crate::browser::{files, performance};
use crate::components::dialog::{self, confirm_dialog, Confirm};
use crate::components::task::Tasks;
use crate::view::format::{count, number};
use crate::view::report::{size_limit_text, summary_text, FileReport, LinePreview, Prepared, Report};
use crate::session::{Conflict, Inserted, Persist, Session, SessionError};

/// Where the months being examined come from: each card shows its own report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Origin {
    Files,
    /// «Agregar meses»: the paste box and the grid.
    Typed,
}

/// Files chosen (their names) or months typed, what they would do, and the plan to insert.
#[derive(Clone)]
pub(super) struct Pending {
    names: Vec<String>,
    report: Report,
    plan: Option<Plan>,
    origin: Origin,
}

impl Pending {
    fn new(names: Vec<String>, prepared: Prepared, origin: Origin) -> Pending {
        Pending { names, report: prepared.report, plan: prepared.plan, origin }
    }
}

/// The section's state: the upload being examined or waiting for "Insertar",
/// and what the section says about it. Months typed in «Agregar meses» go
/// through the same state, report and insert as files.
#[derive(Clone, Copy)]
pub(super) struct Upload {
    session: Session,
    tasks: Tasks,
    pending: RwSignal<Option<Pending>>,
    replace: RwSignal<bool>,
    status: RwSignal<String>,
    suggest_retrain: RwSignal<bool>,
    busy: RwSignal<bool>,
    /// Which card the status and the retrain suggestion belong to.
    origin: RwSignal<Origin>,
}

impl Upload {
    fn new() -> Upload {
        Upload {
            session: Session::get(),
            tasks: Tasks::here(),
            pending: RwSignal::new(None),
            replace: RwSignal::new(false),
            status: RwSignal::new(String::new()),
            suggest_retrain: RwSignal::new(false),
            busy: RwSignal::new(false),
            origin: RwSignal::new(Origin::Files),
        }
    }

    /// Shows a report (the session logged a refusal); the status line gives way to it.
    fn show(self, p: Pending) {
        self.busy.set(false);
        self.status.set(String::new());
        self.replace.set(false);
        self.origin.set(p.origin);
        self.pending.set(Some(p));
    }

    /// Reads and validates picked or dropped files, saying what it is doing meanwhile.
    fn examine(self, files: Vec<web_sys::File>) {
        if files.is_empty() {
            return;
        }
        performance::mark("leche:upload-start");
        self.pending.set(None);
        self.suggest_retrain.set(false);
        self.busy.set(true);
        self.origin.set(Origin::Files);
        let names: Vec<String> = files.iter().map(|f| f.name()).collect();
        let size: f64 = files.iter().map(|f| f.size()).sum();
        self.status.set(format!("Leyendo y validando {} ({} bytes)…", names.join(", "), count(size as usize)));
        self.tasks.spawn(async move {
            let prepared = self.session.examine(files).await;
            self.show(Pending::new(names, prepared, Origin::Files));
            performance::measure("leche:upload-report", "leche:upload-start");
        });
    }

    /// Continuation files made from the stored data, examined as an upload.
    fn try_samples(self) {
        let files = self.session.db().with_untracked(sample_files);
        let names = files.iter().map(|f| f.0.clone()).collect();
        let prepared = self.session.examine_read(&files);
        self.show(Pending::new(names, prepared, Origin::Files));
    }

    /// Months typed or pasted, previewed line by line; the plan waits for "Insertar" like a file's.
    pub(super) fn typed(self, text: &str, grid: &[(String, String)]) -> Vec<LinePreview> {
        self.suggest_retrain.set(false);
        let (prepared, lines) = self.session.examine_typed(text, grid);
        self.show(Pending::new(vec![PASTE_NAME.to_string()], prepared, Origin::Typed));
        lines
    }

    /// The status line and the retrain suggestion, in the card of `origin`
    /// (`id` for the status line).
    pub(super) fn status_for(self, origin: Origin, id: &'static str) -> impl IntoView {
        let mine = move || self.origin.get() == origin;
        view! {
            <p id=id role="status" class="status pre">{move || if mine() { self.status.get() } else { String::new() }}</p>
            {move || (mine() && self.suggest_retrain.get()).then(|| view! {
                <p class="note" id="retrain-suggestion">
                    {format!("El error del modelo activo creció más de {} % con esta carga: conviene ", number(RETRAIN_GROWTH * 100.0, 0))}
                    <a href="#/modelo">"reentrenarlo con los datos nuevos"</a>"."
                </p>
            })}
        }
    }

    /// The pending report, when it came from `origin`.
    pub(super) fn report_for(self, origin: Origin, on_insert: impl Fn(leptos::ev::MouseEvent) + Clone + Send + Sync + 'static) -> impl Fn() -> Option<AnyView> + Send + Sync {
        move || {
            let p = self.pending.get().filter(|p| p.origin == origin)?;
            let on_insert = on_insert.clone();
            Some(report_view(p.report, self.replace, self.busy, on_insert, move || self.pending.set(None)))
        }
    }

    /// Writes the pending upload (the session re-checks it inside its transaction).
    fn insert(self) {
        let Some(Pending { names, report, plan: Some(plan), origin }) = self.pending.get_untracked() else { return };
        let replace_revisions = self.replace.get_untracked();
        self.busy.set(true);
        self.status.set("Insertando…".into());
        performance::mark("leche:insert-start");
        self.tasks.spawn(async move {
            let result = self.session.insert(plan, replace_revisions, names.clone()).await;
            self.inserted(result, names, report, origin);
            self.busy.set(false);
        });
    }

    fn inserted(self, result: Result<Inserted, SessionError>, names: Vec<String>, report: Report, origin: Origin) {
        match result {
            Ok(done) if done.rows == 0 => self.status.set("No se insertó nada: todos los meses ya estaban guardados.".into()),
            Ok(done) => {
                performance::measure("leche:insert", "leche:insert-start");
                let drift = done.drift.as_ref().map(|(b, a)| drift_text(b, a)).unwrap_or_default();
                self.status.set(format!("Listo. {}.\n{drift}", done.message));
                self.suggest_retrain.set(done.drift.as_ref().is_some_and(|(b, a)| suggests_retrain(b, a)));
                self.pending.set(None);
            }
            // Another tab wrote some of these months meanwhile: the report
            // shows them as they are now, to confirm again.
            Err(SessionError::Conflict(Conflict::Changed { months, plan })) => {
                let message = Conflict::Changed { months, plan: plan.clone() }.to_string();
                self.replace.set(false);
                self.pending.set(Some(Pending { names, report: report.replanned(&plan), plan: Some(*plan), origin }));
                self.status.set(format!("No se escribió nada: {message}."));
            }
            Err(e) => self.status.set(format!("No se escribió nada: {e}")),
        }
    }
}

#[component]
pub fn UploadSection() -> impl IntoView {
    let upload = Upload::new();
    let Upload { session, replace, .. } = upload;
    let confirm_replace: NodeRef<Dialog> = NodeRef::new();
    let on_insert = move |_| {
        if replace.get_untracked() {
            dialog::open(confirm_replace);
        } else {
            upload.insert();
        }
    };
    // An upload is planned against the stored tables (the worker reads them):
    // not before the first visit has written them.
    let stored = Signal::derive(move || session.persist().with(|p| *p == Persist::Saved));

    view! {
        {add_months(upload, stored, on_insert)}
        <section class="card" aria-labelledby="upload-title">
            <h2 id="upload-title">"Cargar datos (CSV o planilla)"</h2>
            <p class="hint">
                "Uno a tres archivos: precipitaciones, Banco Central y precio de la leche, con los encabezados de los archivos originales "
                "(se reconocen por el encabezado, no por el nombre). Se aceptan UTF-8 con o sin BOM, comillas, columnas extra y, para "
                "precipitaciones y precio, el formato de planilla con «;» y coma decimal. También planillas .xlsx, .xls y .ods: "
                "se lee cada hoja con uno de esos encabezados, o con dos columnas, mes y precio. Límite: " {size_limit_text()} "."
            </p>
            {picker(upload, stored)}
            {upload.report_for(Origin::Files, on_insert)}
            {upload.status_for(Origin::Files, "upload-status")}
        </section>
        {confirm_dialog(confirm_replace, Confirm {
            title_id: "confirm-replace-title",
            title: "¿Reemplazar los valores revisados?",
            text: "Los meses ya guardados con otro valor tomarán el valor de los archivos. Puede deshacerlo desde la lista de cargas.",
            confirm_id: "confirm-replace",
            confirm_label: "Reemplazar e insertar",
            cancel_id: "cancel-replace",
        }, move || upload.insert())}
    }
}

/// The file picker and drop zone, the sample files and the templates.
fn picker(upload: Upload, stored: Signal<bool>) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let list = ev.data_transfer().and_then(|d| d.files());
        upload.examine(list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default());
    };
    view! {
        <div class="dropzone" class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop>
            <label for="upload-files">"Elegir archivos o arrastrarlos aquí"</label>
            <input id="upload-files" type="file" multiple accept=".csv,text/csv,text/plain,.xlsx,.xls,.ods"
                on:change=move |ev| upload.examine(files::picked_files(&ev))
                disabled=move || !stored.get() aria-describedby="upload-wait" />
        </div>
        <div class="actions">
            <button id="sample-files" type="button" class="secondary" on:click=move |_| upload.try_samples() disabled=move || !stored.get()>
                "Probar con archivos de ejemplo"
            </button>
            {Source::ALL.into_iter().map(|s| view! {
                <button type="button" class="secondary" id=format!("template-{}", s.key())
                    on:click=move |_| save_template(s, upload.status)>
                    "Plantilla " {s.label()}
                </button>
            }).collect_view()}
        </div>
        {move || (!stored.get()).then(|| view! {
            <p id="upload-wait" class="hint">"Las cargas se habilitan cuando los datos publicados terminen de guardarse en este navegador."</p>
        })}
    }
}

fn save_template(s: Source, status: RwSignal<String>) {
    if let Err(e) = files::save(&format!("plantilla_{}", s.file_name()), "text/csv;charset=utf-8", &template(s)) {
        status.set(format!("No se pudo descargar la plantilla: {e}"));
    }
}

/// The report: what each file would do and the insert button, or why nothing can be written.
fn report_view(
    report: Report,
    replace: RwSignal<bool>,
    busy: RwSignal<bool>,
    on_insert: impl Fn(leptos::ev::MouseEvent) + 'static,
    on_cancel: impl Fn() + 'static,
) -> AnyView {
    match report {
        Report::Refused { reasons } => view! {
            <div id="upload-refused" class="alert" role="alert">
                <p>"No se puede cargar; no se escribió nada:"</p>
                <ul>{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
        Report::Ready { files, notes, writes } => {
            let conflicts: usize = files.iter().map(|f| f.conflicts.count).sum();
            view! {
                <div id="upload-report">
                    {files.into_iter().map(file_report).collect_view()}
                    <ul class="hint">{notes.into_iter().map(|n| view! { <li class="note-lone">{n}</li> }).collect_view()}</ul>
                    <p id="upload-summary" data-writes=writes.to_string()>{summary_text(writes, conflicts)}</p>
                    {(conflicts > 0).then(|| view! {
                        <label class="check">
                            <input id="replace-revisions" type="checkbox" prop:checked=move || replace.get()
                                on:change=move |ev| replace.set(event_target_checked(&ev)) />
                            " Reemplazar valores revisados (" {count(conflicts)} " meses guardados con otro valor)"
                        </label>
                    })}
                    <div class="actions">
                        <button id="insert" type="button" disabled=move || busy.get() || (writes == 0 && !replace.get()) on:click=on_insert>"Insertar"</button>
                        <button id="cancel-upload" type="button" class="secondary" on:click=move |_| on_cancel()>"Descartar"</button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

fn file_report(f: FileReport) -> impl IntoView {
    let list = |items: Vec<String>, total: usize, class: &'static str| {
        let more = (total > items.len()).then(|| view! { <li class="more">{format!("… y {} más (se muestran los primeros {})", count(total - items.len()), items.len())}</li> });
        (!items.is_empty()).then(|| view! { <ul class=class>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}{more}</ul> })
    };
    view! {
        <div class="file-report" data-source=f.source.key() data-insert=f.insert.count.to_string()
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
