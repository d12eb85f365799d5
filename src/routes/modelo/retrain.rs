//! The retrain card on the model page: start, progress, cancel, and the
//! result next to the active model until it is adopted or discarded. The
//! run itself belongs to the session ([`crate::session::Retrain`]).

use leche_core::protocol::Evaluation;
use leche_core::protocol::Progress;
use leche_core::Model;
use leptos::prelude::*;

use crate::components::disclosure::more;
use crate::components::scroll_table::scroll_region;
use crate::components::task::Tasks;
use crate::view::format::{count, number, span};
use crate::session::{RetrainOutcome, RetrainState, Session};

/// The card. `current` is the honest evaluation behind the active
/// recommended model (the shipped one's, or the adopted one's).
#[component]
pub fn RetrainSection(current: Signal<Option<Evaluation>>) -> impl IntoView {
    let session = Session::get();
    let tasks = Tasks::here();
    let retrain = session.retrain;
    let state = retrain.state();
    let adopt = move |_| {
        // The outcome (and any refusal) shows in the retrain's own status
        // line; the session logs a failure.
        tasks.spawn(async move {
            let _ = session.adopt().await;
        });
    };
    view! {
        <section class="card" id="retrain" aria-labelledby="retrain-title">
            <h2 id="retrain-title">"Reentrenar con los datos de este navegador"</h2>
            <p>"Repite la prueba honesta con las tablas guardadas aquí, incluidas sus cargas. Nada cambia hasta que usted adopte el resultado."</p>
            {more("Cómo se reentrena", view! {
                <p>
                    "Cada candidato se prueba mes a mes con datos anteriores y el modelo de la regla del procedimiento se ajusta "
                    "de nuevo con todo (su estación y su deriva, con los meses que usted agregó). Corre en segundo plano; puede "
                    "seguir usando la página o cancelar."
                </p>
            })}
            <div class="actions">
                <button id="retrain-start" on:click=move |_| retrain.start(session)
                    disabled=move || state.with(|r| !matches!(r, RetrainState::Idle))>"Reentrenar"</button>
                {move || matches!(state.get(), RetrainState::Running(_)).then(|| view! {
                    <button id="retrain-cancel" class="secondary" on:click=move |_| retrain.cancel()>"Cancelar"</button>
                })}
            </div>
            {move || match state.get() {
                RetrainState::Running(p) => Some(progress_view(p).into_any()),
                RetrainState::Done(outcome) => Some(view! {
                    {comparison_view(session.model(leche_core::ModelId::Recommended), current.get(), &outcome)}
                    <div class="actions">
                        <button id="retrain-adopt" on:click=adopt>"Adoptar el modelo nuevo"</button>
                        <button id="retrain-discard" class="secondary" on:click=move |_| retrain.discard(session)>"Descartar"</button>
                    </div>
                }.into_any()),
                RetrainState::Idle => None,
            }}
            <p id="retrain-status" role="status">{move || retrain.status().get()}</p>
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
        fit: model.map_or_else(dash, |m| match span(m.trained_from, m.trained_to) {
            Some(span) => format!("{} meses, {span}", count(m.trained_rows)),
            None => "regla sin ajuste".into(),
        }),
        months: e
            .and_then(|e| {
                let rows = e.one_step();
                Some(format!("{} ({} meses)", super::evaluation::span(&rows)?, rows.len()))
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

fn comparison_view(current: Option<Model>, evaluation: Option<Evaluation>, outcome: &RetrainOutcome) -> impl IntoView {
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
        {scroll_region("Modelo activo y modelo reentrenado", view! {
            <table id="retrain-compare" class="named-rows" data-millis=format!("{:?}", outcome.millis)
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
        })}
        <p><strong>{beats}</strong>" "{outcome.report.evaluation.reason.clone()}</p>
    }
}
