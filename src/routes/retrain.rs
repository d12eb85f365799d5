//! Retraining in the browser: the honest protocol — the trainer's own code —
//! runs on the tables this browser holds, in a Web Worker ([`worker`]), with
//! its progress and a cancel that stops it. The result is shown next to the
//! current model; only when the user adopts it is it stored (one short
//! transaction after the computation, never during it).

use leche_core::artifact::{self, Adoption};
use leche_core::protocol::{Evaluation, HonestReport, Progress};
use leche_core::{Database, Model, ModelId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Ctx;
use crate::coverage;
use crate::format::{count, number};
use crate::interaction::{Kind, LogEntry};
use crate::pwa::{self, Change};
use crate::web;
use crate::worker::{self, Cancel, Failure, Retrained};

/// A finished retrain waiting for the user's choice.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    report: HonestReport,
    millis: f64,
    /// The tables it was trained on (adoption is refused if they changed since).
    db: Database,
}

#[derive(Clone, Debug, PartialEq)]
enum Run {
    Idle,
    Running(Option<Progress>),
    Done(Box<Outcome>),
}

/// A retrain's state, owned by the app rather than the page: a run goes on,
/// and its result waits, while the user visits other pages.
#[derive(Clone, Copy)]
pub struct Retraining {
    run: RwSignal<Run>,
    status: RwSignal<String>,
    cancel: StoredValue<Option<Cancel>, LocalStorage>,
}

impl Retraining {
    /// Makes the state available to the pages (called once by the app shell).
    pub fn provide() {
        provide_context(Retraining {
            run: RwSignal::new(Run::Idle),
            status: RwSignal::new(String::new()),
            cancel: StoredValue::new_local(None),
        });
    }
}

/// The card on the model page. `current` is the honest evaluation behind
/// the active recommended model (the shipped one's, or the adopted one's).
#[component]
pub fn RetrainSection(current: Signal<Option<Evaluation>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let Retraining { run, status, cancel } = expect_context::<Retraining>();

    let start = move |_| {
        let db = ctx.db.get_untracked();
        let job = match worker::retrain(&db, move |p| {
            let _ = run.try_set(Run::Running(Some(p)));
        }) {
            Ok(job) => job,
            Err(e) => return status.set(format!("No se pudo reentrenar: {e}")),
        };
        cancel.set_value(Some(job.canceller()));
        run.set(Run::Running(None));
        status.set(String::new());
        web::mark("leche:retrain-start");
        spawn_local(async move {
            let result = job.finish().await.and_then(|answer| worker::retrained(&answer));
            cancel.set_value(None);
            match result {
                Ok(Retrained { report, millis }) => {
                    web::measure("leche:retrain", "leche:retrain-start");
                    ctx.log(Kind::Reentrenamiento, finished_text(&report, millis), coverage::summary(&db));
                    let _ = run.try_set(Run::Done(Box::new(Outcome { report, millis, db })));
                }
                Err(Failure::Cancelled) => {
                    ctx.log(Kind::Reentrenamiento, "Reentrenamiento cancelado; el modelo activo no cambió", "");
                    let _ = status.try_set("Reentrenamiento cancelado: el modelo activo no cambió.".into());
                    let _ = run.try_set(Run::Idle);
                }
                Err(Failure::Failed(e)) => {
                    ctx.log(Kind::Error, format!("Reentrenamiento fallido: {e}"), "");
                    let _ = status.try_set(format!("El reentrenamiento falló ({e}); el modelo activo no cambió."));
                    let _ = run.try_set(Run::Idle);
                }
            }
        });
    };
    let stop = move |_| {
        if let Some(c) = cancel.get_value() {
            c.cancel();
        }
    };
    let discard = move |_| {
        ctx.log(Kind::Reentrenamiento, "Modelo reentrenado descartado; se mantiene el activo", "");
        status.set("Descartado: se mantiene el modelo activo.".into());
        run.set(Run::Idle);
    };
    let adopt = move |_| {
        let Run::Done(outcome) = run.get_untracked() else { return };
        if ctx.db.with_untracked(|db| *db != outcome.db) {
            status.set("Los datos cambiaron después del reentrenamiento (una carga, un deshacer o una restauración): reentrene de nuevo antes de adoptar.".into());
            return run.set(Run::Idle);
        }
        let (Some(store), Some(mut models)) = (ctx.store.get_untracked(), ctx.models.get_untracked()) else { return };
        let report = outcome.report;
        models.models.retain(|m| m.id != ModelId::Recommended);
        models.models.push(report.model.clone());
        models.verdict = artifact::verdict(Some(&report.evaluation));
        models.beats_naive = Some(report.evaluation.beats_naive);
        let now = web::now_iso();
        let data = coverage::summary(&outcome.db);
        models.adopted = Some(Adoption { at: now.clone(), data: data.clone(), evaluation: report.evaluation.clone() });
        let entry = LogEntry::new(now, Kind::Reentrenamiento, format!("Modelo reentrenado adoptado: {}", report.model.name), data);
        spawn_local(async move {
            match store.adopt(&models, &entry).await {
                Ok(()) => {
                    ctx.models.set(Some(models));
                    ctx.log_rev.update(|n| *n += 1);
                    pwa::notify_changed(Change::Data);
                    let _ = status.try_set("Adoptado: los pronósticos y esta ficha usan ahora el modelo reentrenado. «Restaurar datos originales» vuelve al publicado.".into());
                    let _ = run.try_set(Run::Idle);
                }
                Err(e) => {
                    ctx.log(Kind::Error, format!("No se guardó el modelo reentrenado: {e}"), "");
                    let _ = status.try_set(format!("No se guardó nada: {e}"));
                }
            }
        });
    };

    view! {
        <section class="card" id="retrain" aria-labelledby="retrain-title">
            <h2 id="retrain-title">"Reentrenar con los datos de este navegador"</h2>
            <p>
                "Repite la prueba honesta completa con las tablas guardadas aquí (incluidas sus cargas): cada candidato se "
                "prueba mes a mes con datos anteriores, gana el de menor error reciente y se ajusta con todo. Corre en segundo "
                "plano; puede seguir usando la página o cancelar. Nada cambia hasta que usted adopte el resultado."
            </p>
            <div class="actions">
                <button id="retrain-start" on:click=start disabled=move || run.with(|r| !matches!(r, Run::Idle))>"Reentrenar"</button>
                {move || matches!(run.get(), Run::Running(_)).then(|| view! {
                    <button id="retrain-cancel" class="secondary" on:click=stop>"Cancelar"</button>
                })}
            </div>
            {move || match run.get() {
                Run::Running(p) => Some(progress_view(p).into_any()),
                Run::Done(outcome) => Some(view! {
                    {comparison_view(ctx.model(ModelId::Recommended), current.get(), &outcome)}
                    <div class="actions">
                        <button id="retrain-adopt" on:click=adopt>"Adoptar el modelo nuevo"</button>
                        <button id="retrain-discard" class="secondary" on:click=discard>"Descartar"</button>
                    </div>
                }.into_any()),
                Run::Idle => None,
            }}
            <p id="retrain-status" role="status">{move || status.get()}</p>
        </section>
    }
}

fn progress_view(p: Option<Progress>) -> impl IntoView {
    let (done, total) = p.map_or((0, 0), |p| (p.done, p.total));
    let stage = match p {
        None => "Iniciando…".to_string(),
        Some(Progress { candidate: Some(c), .. }) => format!("Prueba retrospectiva de «{}»", c.label()),
        Some(Progress { candidate: None, .. }) => "Ajuste final del candidato elegido".to_string(),
    };
    view! {
        <p id="retrain-stage">{format!("{stage}: {} de {} ajustes.", count(done), count(total))}</p>
        <progress id="retrain-progress" max=total.max(1).to_string() value=done.to_string() aria-labelledby="retrain-stage"></progress>
    }
}

fn finished_text(r: &HonestReport, millis: f64) -> String {
    format!(
        "Reentrenamiento terminado en {} s: ganó «{}» ({}); prueba retrospectiva MAE {} contra {} del ingenuo",
        number(millis / 1000.0, 1),
        r.evaluation.winner.label(),
        r.model.method.describe(),
        number(r.evaluation.comparison.model.mae, 3),
        number(r.evaluation.comparison.naive.mae, 3)
    )
}

/// What a comparison column says about one model and its evaluation.
struct Column {
    name: String,
    params: String,
    fit: String,
    months: String,
    mae: String,
    naive: String,
    gain: String,
    coverage: String,
}

fn column(model: Option<&Model>, e: Option<&Evaluation>) -> Column {
    let dash = || "—".to_string();
    let c = e.map(|e| &e.comparison);
    Column {
        name: model.map_or_else(dash, |m| m.name.clone()),
        params: model.map_or_else(dash, |m| m.method.describe()),
        fit: model.map_or_else(dash, |m| match (m.trained_from, m.trained_to) {
            (Some(a), Some(b)) => format!("{} meses, {a} … {b}", count(m.trained_rows)),
            _ => "regla sin ajuste".into(),
        }),
        months: e
            .and_then(|e| {
                let rows = e.one_step();
                Some(format!("{} … {} ({} meses)", rows.first()?.month, rows.last()?.month, rows.len()))
            })
            .unwrap_or_else(dash),
        mae: c.map_or_else(dash, |c| number(c.model.mae, 3)),
        naive: c.map_or_else(dash, |c| number(c.naive.mae, 3)),
        gain: c.map_or_else(dash, |c| format!("{} %", number(c.gain_over_naive(), 1))),
        coverage: c
            .and_then(|c| Some(format!("{} % ({} de {})", number(c.coverage? * 100.0, 0), c.months_inside_interval, c.months_with_interval)))
            .unwrap_or_else(dash),
    }
}

fn comparison_view(current: Option<Model>, evaluation: Option<Evaluation>, outcome: &Outcome) -> impl IntoView {
    let new_evaluation = &outcome.report.evaluation;
    let (a, b) = (column(current.as_ref(), evaluation.as_ref()), column(Some(&outcome.report.model), Some(new_evaluation)));
    let row = |label: &'static str, id: &'static str, x: String, y: String| {
        view! { <tr data-row=id><th scope="row">{label}</th><td>{x}</td><td>{y}</td></tr> }
    };
    let beats = if outcome.report.evaluation.beats_naive {
        "El procedimiento nuevo erra menos que el pronóstico ingenuo en su prueba retrospectiva."
    } else {
        "Atención: el procedimiento nuevo NO supera al pronóstico ingenuo en su prueba retrospectiva."
    };
    view! {
        <p class="hint">{format!("Calculado en {} s en su navegador.", number(outcome.millis / 1000.0, 1))}</p>
        <div class="table-wrap">
            <table id="retrain-compare" data-millis=format!("{:?}", outcome.millis)
                data-mae=format!("{:?}", outcome.report.evaluation.comparison.model.mae)>
                <caption>"Modelo activo y modelo reentrenado; cada prueba retrospectiva compara con el ingenuo en sus mismos meses"</caption>
                <thead><tr><th scope="col"></th><th scope="col">"Activo"</th><th scope="col">"Nuevo"</th></tr></thead>
                <tbody>
                    {row("Modelo", "name", a.name, b.name)}
                    {row("Parámetros elegidos", "params", a.params, b.params)}
                    {row("Datos del ajuste", "fit", a.fit, b.fit)}
                    {row("Meses de la prueba", "months", a.months, b.months)}
                    {row("MAE del procedimiento", "mae", a.mae, b.mae)}
                    {row("MAE del ingenuo", "naive", a.naive, b.naive)}
                    {row("Error menor que el ingenuo", "gain", a.gain, b.gain)}
                    {row("Cobertura del intervalo 80 %", "coverage", a.coverage, b.coverage)}
                </tbody>
            </table>
        </div>
        <p><strong>{beats}</strong>" "{outcome.report.evaluation.reason.clone()}</p>
    }
}
