//! The honest backtest on the model card: the verdict and the error per
//! horizon against both baselines in one small chart first, then — each
//! behind its summary — the full table per horizon, how often the bands
//! held, the rules, every candidate tried, the reference windows with the
//! month-by-month chart; and the original's own split.

use leche_core::artifact::{self, EvaluationArtifact};
use leche_core::forecast::backtest::{Comparison, HorizonScore, Row};
use leche_core::fit::metrics::{wilson, Metrics, Z90};
use leche_core::protocol::anchors::Anchors;
use leche_core::protocol::honest::COVERAGE_BANDS;
use leche_core::protocol::{Evaluation, Rule};
use leptos::prelude::*;

use crate::view::chart::Labels;
use crate::components::disclosure::more;
use crate::components::line_chart::line_chart;
use crate::components::scroll_table::{scroll_region, scroll_table};
use crate::view::format::{self, count, exact, number, percent};
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
    let anchors = e.anchors;
    let honest = e.honest.map(|h| honest_view(h, anchors.as_ref()));
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

fn honest_view(h: Evaluation, anchors: Option<&Anchors>) -> impl IntoView {
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
            {horizon_chart(&h.horizons)}
            {more("Tabla por horizonte: error, referencias y bandas", view! {
                {horizon_table(&h.horizons, anchors)}
                {anchors.map(anchors_note)}
            })}
            {more("¿Cuántas veces las bandas contuvieron el precio real?", coverage_table(&h))}
            {rules_table(&h)}
            {more(format!("Cada candidato probado ({})", h.candidates.len()), view! {
                {scroll_region("Cada candidato a un mes", view! {
                    <table id="evaluation" class="named-rows">
                        <thead><tr>
                            <th scope="col">"Pronóstico"</th><th scope="col" class="num">"RMSE"</th><th scope="col" class="num">"MAE"</th>
                            <th scope="col" class="num">"MAPE %"</th><th scope="col" class="num">"R²"</th>
                            <th scope="col" class="num">"Meses mejor que ingenuo"</th><th scope="col" class="num">"Cobertura 80 %"</th>
                        </tr></thead>
                        <tbody>
                            {candidates}
                            {comparison_row(format!("Procedimiento recomendado ({})", h.rule.label()), &h.comparison, "procedure")}
                            <tr data-row="naive" data-mae=format!("{:?}", naive.mae)>
                                <th scope="row">"Ingenuo (igual al mes anterior)"</th>
                                {metric_cells(&naive)}
                                <td class="num">"—"</td><td class="num">"—"</td>
                            </tr>
                        </tbody>
                    </table>
                })}
                <ul class="hint" id="candidate-notes">{notes}</ul>
                <p class="hint">{h.reason.clone()}</p>
            })}
            {more("Ventanas de referencia y la prueba mes a mes", view! {
                <ul id="windows">{windows}</ul>
                {backtest_chart(&one_step)}
            })}
        </section>
    }
}

/// The procedure's accuracy at each horizon, next to both baselines and the
/// best reference forecaster at that horizon.
fn horizon_table(scores: &[HorizonScore], anchors: Option<&Anchors>) -> impl IntoView {
    let rows = scores
        .iter()
        .map(|s| {
            let cover = |v: Option<f64>| v.map(percent).unwrap_or_else(|| "—".into());
            let best = anchors.and_then(|a| a.best(s.horizon));
            let anchor_ratio = best.map(|(name, b)| format!("{} ({name})", number(b.mae_over_naive, 3))).unwrap_or_else(|| "—".into());
            let scores = |ours: Option<f64>, theirs: Option<f64>| match (ours, theirs) {
                (Some(o), Some(t)) => format!("{} / {}", number(o, 1), number(t, 1)),
                (Some(o), None) => number(o, 1),
                _ => "—".into(),
            };
            let best_interval = anchors.and_then(|a| {
                a.scores.iter().filter_map(|x| x.horizons.iter().find(|h| h.horizon == s.horizon)?.interval_score80).min_by(f64::total_cmp)
            });
            view! {
                <tr data-h=s.horizon.to_string() data-mae=exact(Some(s.mae)) data-ratio=exact(Some(s.mae_over_naive))
                    data-seasonal-ratio=exact(Some(s.mae_over_seasonal_naive)) data-cov80=exact(s.coverage80) data-cov50=exact(s.coverage50)
                    data-median-error=exact(s.median_error) data-anchor-ratio=exact(best.map(|b| b.1.mae_over_naive))
                    data-interval80=exact(s.interval_score80) data-anchor-interval80=exact(best_interval)>
                    <th scope="row">{format!("h = {}", s.horizon)}</th>
                    <td class="num">{s.n}</td>
                    <td class="num">{number(s.mae, 2)}</td>
                    <td class="num">{number(s.naive_mae, 2)}</td>
                    <td class="num">{number(s.seasonal_naive_mae, 2)}</td>
                    <td class="num">{number(s.mae_over_naive, 3)}</td>
                    <td class="num">{number(s.mae_over_seasonal_naive, 3)}</td>
                    <td class="num">{anchor_ratio}</td>
                    <td class="num">{s.median_error.map(|e| format!("{} %", format::signed(e * 100.0))).unwrap_or_else(|| "—".into())}</td>
                    <td class="num">{cover(s.coverage80)}</td>
                    <td class="num">{cover(s.coverage50)}</td>
                    <td class="num">{scores(s.interval_score80, best_interval)}</td>
                </tr>
            }
        })
        .collect_view();
    scroll_table(
        "horizons",
        "Error absoluto medio (CLP/litro) por horizonte y cobertura de las bandas",
        view! {
            <th scope="col">"Horizonte"</th><th scope="col" class="num">"Pronósticos"</th><th scope="col" class="num">"MAE"</th>
            <th scope="col" class="num">"MAE ingenuo"</th><th scope="col" class="num">"MAE estacional"</th>
            <th scope="col" class="num">"× ingenuo"</th><th scope="col" class="num">"× estacional"</th>
            <th scope="col" class="num">"Mejor referencia (× ingenuo)"</th><th scope="col" class="num">"Error mediano"</th>
            <th scope="col" class="num">"Cobertura 80 %"</th><th scope="col" class="num">"Cobertura 50 %"</th>
            <th scope="col" class="num">"Puntaje de intervalo 80 % (nuestro / mejor referencia)"</th>
        },
        rows,
    )
}

/// Who the references are and how they were run.
fn anchors_note(a: &Anchors) -> impl IntoView {
    let names: Vec<&str> = a.scores.iter().map(|s| s.name.as_str()).collect();
    view! {
        <p class="hint" id="anchors-note">{format!(
            "Referencias: {} de statsforecast {} (med3 es la mediana de las tres), reajustadas en cada origen de {} a {} con los {} meses anteriores, en los mismos meses y con los mismos cálculos; se midieron sobre los datos publicados. Error mediano: la mediana de real ÷ pronóstico − 1 (positivo: el pronóstico quedó bajo). Puntaje de intervalo (Winkler): ancho de la banda más 2 ÷ 0,2 veces cuánto quedó afuera el precio real, en CLP/litro; menor es mejor.",
            names.join(", "), a.statsforecast, a.first_origin, a.last_origin, a.window
        )}</p>
    }
}

/// How often the bands held, per horizon band, with the binomial 90 %
/// interval of that share (narrower than the truth: overlapping forecasts
/// are not independent trials).
fn coverage_table(h: &Evaluation) -> impl IntoView {
    let rows = COVERAGE_BANDS
        .iter()
        .map(|&(from, to)| {
            let (in80, in50, n) = h.held(from, to);
            let cell = |k: usize| match wilson(k, n, Z90) {
                Some((lo, hi)) => format!("{} ({} de {}; {}–{})", percent(k as f64 / n as f64), count(k), count(n), percent(lo), percent(hi)),
                None => "—".into(),
            };
            view! {
                <tr data-from=from.to_string() data-to=to.to_string() data-in80=in80.to_string() data-in50=in50.to_string() data-n=n.to_string()>
                    <th scope="row">{format!("{from}–{to} meses")}</th>
                    <td class="num">{cell(in80)}</td>
                    <td class="num">{cell(in50)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {scroll_table(
            "coverage-bands",
            "¿Cuántas veces la banda contuvo el precio real? Por tramo de horizonte, con el intervalo binomial del 90 %",
            view! { <th scope="col">"Horizonte"</th><th scope="col" class="num">"Banda del 80 %"</th><th scope="col" class="num">"Banda del 50 %"</th> },
            rows,
        )}
        <p class="hint">"Los pronósticos de meses vecinos se solapan, así que el intervalo real es más ancho que el mostrado."</p>
    }
}

/// Every rule compared, and which one the procedure is.
fn rules_table(h: &Evaluation) -> Option<impl IntoView> {
    if h.rules.is_empty() {
        return None;
    }
    let at = |s: &[HorizonScore], horizon: u32| s.iter().find(|x| x.horizon == horizon).map(|x| number(x.mae_over_naive, 3)).unwrap_or_else(|| "—".into());
    let rows = h
        .rules
        .iter()
        .map(|r| {
            let used = r.rule == h.rule;
            view! {
                <tr data-rule=serde_json::to_string(&r.rule).unwrap_or_default() data-score=exact(Some(r.score)) class:chosen=used>
                    <th scope="row">{r.label.clone()}{used.then_some(" (la que se usa)")}</th>
                    <td class="num">{at(&r.horizons, 1)}</td>
                    <td class="num">{at(&r.horizons, 6)}</td>
                    <td class="num">{at(&r.horizons, 12)}</td>
                    <td class="num">{number(r.score, 3)}</td>
                </tr>
            }
        })
        .collect_view();
    let caveat = matches!(h.rule, Rule::Always(_)).then_some(
        "La regla se fijó comparando estas cifras en toda la prueba retrospectiva: las del procedimiento son, por eso, algo optimistas. La prueba limpia son los meses que aún no existían: ver «Historial de pronósticos» en Registros.",
    );
    Some(more("Elegir en cada mes o usar siempre el mismo", view! {
        {scroll_table(
            "rules",
            "Cada regla de elección en la misma prueba (MAE × ingenuo)",
            view! {
                <th scope="col">"Regla"</th><th scope="col" class="num">"h = 1"</th><th scope="col" class="num">"h = 6"</th>
                <th scope="col" class="num">"h = 12"</th><th scope="col" class="num">"Promedio 1–12"</th>
            },
            rows,
        )}
        {caveat.map(|c| view! { <p class="hint">{c}</p> })}
    }))
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
            <figcaption class="legend hint">
                <span class="legend-item"><span class="key predicted"></span>" procedimiento recomendado"</span>" "
                <span class="legend-item"><span class="key naive"></span>" ingenuo"</span>" "
                <span class="legend-item"><span class="key seasonal"></span>" ingenuo estacional"</span>
            </figcaption>
            {line_chart(&chart, &labels, None)}
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
            <figcaption class="legend hint">
                <span class="legend-item"><span class="key real"></span>" real"</span>" "
                <span class="legend-item"><span class="key predicted"></span>" procedimiento recomendado"</span>" "
                <span class="legend-item"><span class="key naive"></span>" ingenuo"</span>
            </figcaption>
            {line_chart(&chart, &labels, None)}
        </figure>
    })
}
