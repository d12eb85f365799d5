//! Months examined and waiting for «Insertar», for one card of the data
//! page: the files card and «Agregar meses» each own one, so neither reads
//! the other's state. What they share is this shape: the report (with a
//! bulletin's choice of series), the revision choice and its confirmation,
//! the insert through the session (one transaction, re-checked inside it),
//! and the status line.

use leche_core::drift::{suggests_retrain, RETRAIN_GROWTH};
use leche_core::data::upload::report::SeriesReport;
use leche_core::data::bulletin::labels::Measure;
use leche_core::data::bulletin::SeriesOption;
use leche_core::data::upload::Plan;
use leptos::html::Dialog;
use leptos::prelude::*;

use crate::browser::performance;
use crate::components::dialog::{self, confirm_dialog, Confirm};
use crate::components::task::Tasks;
use crate::session::{Conflict, Inserted, Session, SessionError};
use crate::view::batch_text::drift_text;
use crate::view::format::{count, number};
use crate::view::report::{summary_text, FileReport, Prepared, Report};

/// The element ids of one card's report, so two cards' reports can be on
/// the page at once.
#[derive(Clone, Copy)]
pub(super) struct Ids {
    pub report: &'static str,
    pub refused: &'static str,
    pub summary: &'static str,
    pub replace: &'static str,
    pub insert: &'static str,
    pub cancel: &'static str,
    pub status: &'static str,
    pub series: &'static str,
    pub retrain: &'static str,
    /// The replace confirmation: its title, its buttons.
    pub confirm_title: &'static str,
    pub confirm: &'static str,
    pub confirm_cancel: &'static str,
}

/// What was examined: the names it goes by, its report and the plan to insert.
#[derive(Clone)]
struct Pending {
    names: Vec<String>,
    report: Report,
    plan: Option<Plan>,
}

/// One card's examined months (see the module doc).
#[derive(Clone, Copy)]
pub(super) struct Examined {
    session: Session,
    tasks: Tasks,
    pending: RwSignal<Option<Pending>>,
    replace: RwSignal<bool>,
    status: RwSignal<String>,
    suggest_retrain: RwSignal<bool>,
    busy: RwSignal<bool>,
}

impl Examined {
    pub(super) fn new() -> Examined {
        Examined {
            session: Session::get(),
            tasks: Tasks::here(),
            pending: RwSignal::new(None),
            replace: RwSignal::new(false),
            status: RwSignal::new(String::new()),
            suggest_retrain: RwSignal::new(false),
            busy: RwSignal::new(false),
        }
    }

    /// Says what is being examined, the previous report gone.
    pub(super) fn reading(self, status: String) {
        self.pending.set(None);
        self.suggest_retrain.set(false);
        self.busy.set(true);
        self.status.set(status);
    }

    /// Says something on the status line (a template that could not be saved).
    pub(super) fn say(self, text: String) {
        self.status.set(text);
    }

    /// Shows a report (the session logged a refusal); the status line gives way to it.
    pub(super) fn show(self, names: Vec<String>, prepared: Prepared) {
        self.busy.set(false);
        self.suggest_retrain.set(false);
        self.status.set(String::new());
        self.replace.set(false);
        self.pending.set(Some(Pending { names, report: prepared.report, plan: prepared.plan }));
    }

    /// Writes the pending upload (the session re-checks it inside its transaction).
    fn insert(self) {
        let Some(Pending { names, report, plan: Some(plan) }) = self.pending.get_untracked() else { return };
        let replace_revisions = self.replace.get_untracked();
        self.busy.set(true);
        self.status.set("Insertando…".into());
        performance::mark("leche:insert-start");
        self.tasks.spawn(async move {
            let result = self.session.insert(plan, replace_revisions, names.clone()).await;
            self.inserted(result, names, report);
            self.busy.set(false);
        });
    }

    fn inserted(self, result: Result<Inserted, SessionError>, names: Vec<String>, report: Report) {
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
                self.pending.set(Some(Pending { names, report: report.replanned(&plan), plan: Some(*plan) }));
                self.status.set(format!("No se escribió nada: {message}."));
            }
            Err(e) => self.status.set(format!("No se escribió nada: {e}")),
        }
    }

}

/// A card's examined upload: the pending report with its choice of series
/// (`on_choose(file, series)` examines again with it), the insert and its
/// confirmation, the status line and the retrain suggestion.
pub(super) fn examined_view(ex: Examined, ids: Ids, on_choose: impl Fn(String, usize) + Clone + Send + Sync + 'static) -> impl IntoView {
    let confirm_replace: NodeRef<Dialog> = NodeRef::new();
    let on_insert = move |_| if ex.replace.get_untracked() { dialog::open(confirm_replace) } else { ex.insert() };
    view! {
        {move || ex.pending.get().map(|p| report_view(p.report, ids, ex, on_insert, on_choose.clone()))}
        <p id=ids.status role="status" class="status pre">{move || ex.status.get()}</p>
        {move || ex.suggest_retrain.get().then(|| view! {
            <p class="note" id=ids.retrain>
                {format!("El error del modelo activo creció más de {} % con esta carga: conviene ", number(RETRAIN_GROWTH * 100.0, 0))}
                <a href="#/modelo">"reentrenarlo con los datos nuevos"</a>"."
            </p>
        })}
        {confirm_dialog(confirm_replace, Confirm {
            title_id: ids.confirm_title,
            title: "¿Reemplazar los valores revisados?",
            text: "Los meses ya guardados con otro valor tomarán el valor leído. Puede deshacerlo desde la lista de cargas.",
            confirm_id: ids.confirm,
            confirm_label: "Reemplazar e insertar",
            cancel_id: ids.confirm_cancel,
        }, move || ex.insert())}
    }
}

/// The report: the series read and the others, what each file would do and
/// the insert button, or why nothing can be written.
fn report_view(report: Report, ids: Ids, ex: Examined, on_insert: impl Fn(leptos::ev::MouseEvent) + 'static, on_choose: impl Fn(String, usize) + Clone + 'static) -> AnyView {
    match report {
        Report::Refused { reasons } => view! {
            <div id=ids.refused class="alert" role="alert">
                <p>"No se puede cargar; no se escribió nada:"</p>
                <ul>{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
        Report::Ready { files, series, notes, writes } => {
            let conflicts: usize = files.iter().map(|f| f.conflicts.count).sum();
            let (replace, busy) = (ex.replace, ex.busy);
            view! {
                <div id=ids.report>
                    {series.into_iter().enumerate().map(|(i, s)| series_choice(s, ids, i, on_choose.clone())).collect_view()}
                    {files.into_iter().map(file_report).collect_view()}
                    <ul class="hint">{notes.into_iter().map(|n| view! { <li class="note-lone">{n}</li> }).collect_view()}</ul>
                    <p id=ids.summary data-writes=writes.to_string()>{summary_text(writes, conflicts)}</p>
                    {(conflicts > 0).then(|| view! {
                        <label class="check">
                            <input id=ids.replace type="checkbox" prop:checked=move || replace.get()
                                on:change=move |ev| replace.set(event_target_checked(&ev)) />
                            " Reemplazar valores revisados (" {count(conflicts)} " meses guardados con otro valor)"
                        </label>
                    })}
                    <div class="actions">
                        <button id=ids.insert type="button" disabled=move || busy.get() || (writes == 0 && !replace.get()) on:click=on_insert>"Insertar"</button>
                        <button id=ids.cancel type="button" class="secondary" on:click=move |_| ex.pending.set(None)>"Descartar"</button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

/// What a bulletin gave, and a select of every series it holds: choosing
/// one examines the file again with it (nothing is written before «Insertar»).
fn series_choice(s: SeriesReport, ids: Ids, i: usize, on_choose: impl Fn(String, usize) + 'static) -> impl IntoView {
    let id = format!("{}-{i}", ids.series);
    let file = s.file.clone();
    let text = s.text();
    let several = s.options.len() > 1 || s.chosen.is_none();
    view! {
        <div class="series-read" data-file=s.file.clone() data-chosen=s.chosen.map(|c| c.to_string()).unwrap_or_default()>
            <p class="series-text">{text}</p>
            {several.then(|| view! {
                <label for=id.clone()>"Serie que se lee"</label>
                <select id=id on:change=move |ev| {
                    if let Ok(choice) = event_target_value(&ev).parse::<usize>() {
                        on_choose(file.clone(), choice);
                    }
                }>
                    {s.chosen.is_none().then(|| view! { <option value="" selected=true disabled=true>"Elija una serie…"</option> })}
                    {series_options(&s)}
                </select>
            })}
        </div>
    }
}

/// A bulletin's series as options, grouped by sheet: the select shows only
/// the column («columna «Nacional»»), which fits a phone's width, and the
/// sheet is the group's label (the text above says which was read).
fn series_options(s: &SeriesReport) -> impl IntoView {
    let option = |k: usize, o: &SeriesOption| {
        let real = if o.measure == Measure::Real { " — precios reales" } else { "" };
        view! { <option value=k.to_string() selected=s.chosen == Some(k)>{format!("{}{real}", o.what)}</option> }
    };
    let mut groups: Vec<(Option<String>, Vec<(usize, &SeriesOption)>)> = Vec::new();
    for (k, o) in s.options.iter().enumerate() {
        match groups.last_mut() {
            Some((sheet, members)) if *sheet == o.sheet => members.push((k, o)),
            _ => groups.push((o.sheet.clone(), vec![(k, o)])),
        }
    }
    groups
        .into_iter()
        .map(|(sheet, members)| {
            let options = members.into_iter().map(|(k, o)| option(k, o)).collect_view();
            match sheet {
                Some(name) => view! { <optgroup label=format!("Hoja «{name}»")>{options}</optgroup> }.into_any(),
                None => options.into_any(),
            }
        })
        .collect_view()
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
