//! The honest backtest on the model card: accuracy per horizon against
//! both baselines (table and chart), every candidate tried, the reference
//! windows, and the original's own split.

use leche_core::artifact::{self, EvaluationArtifact};
use leche_core::forecast::backtest::{Comparison, HorizonScore, Row};
use leche_core::metrics::Metrics;
use leche_core::protocol::Evaluation;
use leptos::prelude::*;

use crate::view::chart::Labels;
use crate::components::line_chart::line_chart;
use crate::view::format::{self, exact, number, percent};
use crate::view::plots;

fn metric_cells(m: &Metrics) -> impl IntoView {
    view! {
        <td class="num">{number(m.rmse, 3)}</td>
        <td class="num">{number(m.mae, 3)}</td>
        <td class="num">{number(m.mape, 3)}</td>
        <td class="num">{number(m.r2, 3)}</td>
    }
}

fn comparison_row(label: String, c: &Comparison, id: &'static str) -> impl IntoView {
    let coverage = match c.coverage {
        Some(v) => format!("{} % ({} de {})", number(v * 100.0, 0), c.months_inside_interval, c.months_with_interval),
        None => "—".into(),
    };
    view! {
        <tr data-row=id data-mae=format!("{:?}", c.model.mae)>
            <th scope="row">{label}</th>
            {metric_cells(&c.model)}
            <td class="num">{format!("{} de {}", c.months_beating_naive, c.model.n)}</td>
            <td class="num">{coverage}</td>
        </tr>
    }
}

pub fn evaluation_view(e: EvaluationArtifact) -> impl IntoView {
    let honest = e.honest.map(honest_view);
    let seed = e.seed.map(|s| {
        view! {
            <section class="card" aria-labelledby="seed-title">
                <h2 id="seed-title">"La partición original (réplica)"</h2>
                <p>{format!(
                    "En los {} meses de prueba de la partición aleatoria del original: RMSE {} y R² {}; el pronóstico ingenuo en esos mismos meses: RMSE {} y R² {}.",
                    s.comparison.model.n,
                    number(s.comparison.model.rmse, 3),
                    number(s.comparison.model.r2, 3),
                    number(s.comparison.naive.rmse, 3),
                    number(s.comparison.naive.r2, 3)
                )}</p>
            </section>
        }
    });
    view! { {honest} {seed} }
}

/// The months a backtest covers, "2012-01 a 2021-02" (`None` when it has none).
pub fn span(rows: &[Row]) -> Option<String> {
    format::span(rows.first().map(|r| r.month), rows.last().map(|r| r.month))
}

fn honest_view(h: Evaluation) -> impl IntoView {
    let naive = h.comparison.naive;
    let one_step = h.one_step();
    let candidates = h
        .candidates
        .iter()
        .map(|c| {
            let label = if c.kept { c.label.clone() } else { format!("{} (no elegible)", c.label) };
            comparison_row(label, &c.one_step, "candidate")
        })
        .collect_view();
    let notes = h
        .candidates
        .iter()
        .map(|c| view! { <li data-candidate=c.label.clone()><strong>{c.label.clone()}</strong>": " {c.note.clone()}</li> })
        .collect_view();
    let windows = h
        .windows
        .iter()
        .map(|w| {
            view! {
                <li data-first=w.first.to_string() data-last=w.last.to_string() data-mae=exact(Some(w.comparison.model.mae))>
                    {format!(
                        "{} a {} ({} meses): MAE {} contra {} del ingenuo ({} veces el ingenuo).",
                        w.first,
                        w.last,
                        w.comparison.model.n,
                        number(w.comparison.model.mae, 2),
                        number(w.comparison.naive.mae, 2),
                        number(w.comparison.model.mae / w.comparison.naive.mae, 3)
                    )}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="honest-title">
            <h2 id="honest-title">"Prueba retrospectiva honesta, por horizonte"</h2>
            <p>
                {format!(
                    "Desde cada mes de {} a {} se pronosticaron los 12 meses siguientes con modelos ajustados solo con los meses anteriores; ",
                    h.first_origin, h.last_origin
                )}
                "el pronóstico ingenuo («igual al último precio») y el ingenuo estacional («igual al mismo mes del año anterior») se miden en los mismos meses."
            </p>
            <p id="honest-verdict"><strong>{artifact::verdict(Some(&h))}</strong></p>
            {horizon_table(&h.horizons)}
            {horizon_chart(&h.horizons)}
            <h3>"A un mes: cada candidato"</h3>
            <div class="table-wrap">
                <table id="evaluation">
                    <thead><tr>
                        <th scope="col">"Pronóstico"</th><th scope="col" class="num">"RMSE"</th><th scope="col" class="num">"MAE"</th>
                        <th scope="col" class="num">"MAPE %"</th><th scope="col" class="num">"R²"</th>
                        <th scope="col" class="num">"Meses mejor que ingenuo"</th><th scope="col" class="num">"Cobertura 80 %"</th>
                    </tr></thead>
                    <tbody>
                        {candidates}
                        {comparison_row("Procedimiento recomendado (elige en cada mes)".into(), &h.comparison, "procedure")}
                        <tr data-row="naive" data-mae=format!("{:?}", naive.mae)>
                            <th scope="row">"Ingenuo (igual al mes anterior)"</th>
                            {metric_cells(&naive)}
                            <td class="num">"—"</td><td class="num">"—"</td>
                        </tr>
                    </tbody>
                </table>
            </div>
            <ul class="hint" id="candidate-notes">{notes}</ul>
            <p class="hint">{h.reason.clone()}</p>
            <h3>"Ventanas de referencia (a un mes)"</h3>
            <ul id="windows">{windows}</ul>
            {backtest_chart(&one_step)}
        </section>
    }
}

/// The procedure's accuracy at each horizon, next to both baselines.
fn horizon_table(scores: &[HorizonScore]) -> impl IntoView {
    let rows = scores
        .iter()
        .map(|s| {
            let cover = |v: Option<f64>| v.map(percent).unwrap_or_else(|| "—".into());
            view! {
                <tr data-h=s.horizon.to_string() data-mae=exact(Some(s.mae)) data-ratio=exact(Some(s.mae_over_naive))
                    data-seasonal-ratio=exact(Some(s.mae_over_seasonal_naive)) data-cov80=exact(s.coverage80) data-cov50=exact(s.coverage50)>
                    <th scope="row">{format!("h = {}", s.horizon)}</th>
                    <td class="num">{s.n}</td>
                    <td class="num">{number(s.mae, 2)}</td>
                    <td class="num">{number(s.naive_mae, 2)}</td>
                    <td class="num">{number(s.seasonal_naive_mae, 2)}</td>
                    <td class="num">{number(s.mae_over_naive, 3)}</td>
                    <td class="num">{number(s.mae_over_seasonal_naive, 3)}</td>
                    <td class="num">{cover(s.coverage80)}</td>
                    <td class="num">{cover(s.coverage50)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        // Wide on a phone: the wrapper scrolls, so it takes focus (arrow keys scroll it).
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="horizons-caption">
            <table id="horizons">
                <caption id="horizons-caption">"Error absoluto medio (CLP/litro) por horizonte y cobertura de las bandas"</caption>
                <thead><tr>
                    <th scope="col">"Horizonte"</th><th scope="col" class="num">"Pronósticos"</th><th scope="col" class="num">"MAE"</th>
                    <th scope="col" class="num">"MAE ingenuo"</th><th scope="col" class="num">"MAE estacional"</th>
                    <th scope="col" class="num">"× ingenuo"</th><th scope="col" class="num">"× estacional"</th>
                    <th scope="col" class="num">"Cobertura 80 %"</th><th scope="col" class="num">"Cobertura 50 %"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn horizon_chart(scores: &[HorizonScore]) -> Option<impl IntoView> {
    let chart = plots::horizon_errors(scores)?;
    let labels = Labels {
        id: "horizon-chart".into(),
        title: "Error absoluto medio por horizonte".into(),
        desc: format!("MAE del procedimiento recomendado y de ambos pronósticos ingenuos de 1 a {} meses; los valores están en la tabla.", scores.len()),
        months: None,
    };
    Some(view! {
        <figure>
            {line_chart(&chart, &labels, None)}
            <figcaption class="legend hint">
                <span class="key predicted"></span>" procedimiento recomendado  "<span class="key naive"></span>" ingenuo  "
                <span class="key seasonal"></span>" ingenuo estacional"
            </figcaption>
        </figure>
    })
}

/// Real price, the procedure's forecast and naive's over the backtest months.
fn backtest_chart(rows: &[Row]) -> Option<impl IntoView> {
    let chart = plots::backtest(rows)?;
    let (first, last) = (rows.first()?.month, rows.last()?.month);
    let labels = Labels {
        id: "backtest-chart".into(),
        title: "Prueba retrospectiva: real, procedimiento recomendado e ingenuo".into(),
        desc: format!("{} meses, de {first} a {last}; los valores están en la tabla de arriba.", rows.len()),
        months: Some((first, last)),
    };
    Some(view! {
        <figure>
            {line_chart(&chart, &labels, None)}
            <figcaption class="legend hint">
                <span class="key real"></span>" real  "<span class="key predicted"></span>" procedimiento recomendado  "
                <span class="key naive"></span>" ingenuo"
            </figcaption>
        </figure>
    })
}
