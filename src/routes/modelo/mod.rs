//! The model card: for each shipped model what it is, the data it needs,
//! what was chosen and fitted, and how it did — the honest backtest of every
//! candidate next to naive on the same months, with a chart — plus the
//! caveats in plain Spanish. The evaluation artifact is fetched when the
//! page opens (it is not part of the first visit).

use leche_core::artifact::{EvaluationArtifact, EVALUATION_FILE};
use leche_core::metrics::Metrics;
use leche_core::forecast::backtest::{Comparison, Row};
use leche_core::forecast::Method;
use leche_core::Model;
use leptos::prelude::*;

mod retrain;

use crate::browser::fetch::{self, artifact_url};
use crate::components::line_chart::{line_chart, Figure};
use crate::format::{count, exact, number, significant};
use crate::plots;
use crate::route::model_param;
use crate::session::Session;
use retrain::RetrainSection;

#[component]
pub fn ModeloPage() -> impl IntoView {
    let session = Session::get();
    let evaluation = LocalResource::new(|| async {
        fetch::json::<EvaluationArtifact>(&artifact_url(EVALUATION_FILE), false).await
    });
    let adopted = move || session.models().with(|m| m.as_ref().and_then(|m| m.adopted.clone()));
    // The evaluation behind the active recommended model: an adopted model's own, else the shipped one.
    let current = Signal::derive(move || {
        adopted().map(|a| a.evaluation).or_else(|| evaluation.get().and_then(|r| r.ok()).and_then(|e| e.honest))
    });
    let models = move || session.models().with(|m| m.as_ref().map(|m| m.models.clone()).unwrap_or_default());
    view! {
        <h1>"Ficha de los modelos"</h1>
        <p class="hint">{move || session.models().with(|m| m.as_ref().map(|m| format!("Versión de los artefactos: {}.", m.version)).unwrap_or_default())}</p>
        {move || adopted().map(|a| view! {
            <p class="note" id="adopted-note">
                {format!("El modelo recomendado activo se reentrenó en este navegador y se adoptó el {}. Datos usados: ", a.at.get(..10).unwrap_or(&a.at))}
                {a.data.replace('\n', "; ")}
                " «Restaurar datos originales» (página Datos) vuelve al modelo publicado."
            </p>
        })}
        {move || models().into_iter().map(model_card).collect_view()}
        <RetrainSection current/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Cargando la evaluación…"</p> }>
            {move || evaluation.get().map(|r| match r {
                Ok(mut e) => {
                    if let Some(a) = adopted() {
                        e.honest = Some(a.evaluation);
                    }
                    evaluation_view(e).into_any()
                }
                Err(e) => view! { <p class="alert" role="alert">"No se pudo cargar la evaluación: " {e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
        <section class="card" aria-labelledby="caveats-title">
            <h2 id="caveats-title">"Advertencias"</h2>
            <ul>
                <li>"Los pronósticos son a un mes: cada mes se calcula con datos de los meses anteriores."</li>
                <li>{move || format!(
                    "Las cifras de precisión vienen de una prueba retrospectiva de {} meses ({}): un período concreto; no garantizan el futuro.",
                    current.get().map(|e| e.one_step().len()).unwrap_or_default(),
                    current.get().map(|e| span(&e.one_step())).unwrap_or_default()
                )}</li>
                <li>"El intervalo de 80 % se estima con los errores pasados del modelo; en la prueba contuvo el precio real menos veces de lo prometido (ver tabla)."</li>
                <li>"Precios nominales en CLP por litro, sin IVA: la inflación no se descuenta."</li>
                <li>"La réplica reproduce el modelo original tal cual, incluidas sus debilidades: en su propia partición aleatoria no supera al pronóstico ingenuo."</li>
            </ul>
        </section>
    }
}

/// The months a backtest covers, "2018-05 a 2020-04" (empty when it has none).
fn span(backtest: &[Row]) -> String {
    match (backtest.first(), backtest.last()) {
        (Some(a), Some(b)) => format!("{} a {}", a.month, b.month),
        _ => String::new(),
    }
}

fn model_card(m: Model) -> impl IntoView {
    let id = model_param(m.id);
    let trained = match (m.trained_from, m.trained_to) {
        (Some(a), Some(b)) => format!("ajustado con {} meses, de {a} a {b}", count(m.trained_rows)),
        _ => "regla sin ajuste: no se entrena con datos".to_string(),
    };
    let interval = m.band(1).map(|i| {
        format!(
            "Intervalo de 80 % a un mes: pronóstico {} % a +{} %, de {} errores fuera de muestra.",
            number(i.below80 * 100.0, 2),
            number(i.above80 * 100.0, 2),
            count(i.errors)
        )
    });
    view! {
        <section class="card model-card" data-model=id aria-labelledby=format!("card-{id}")>
            <h2 id=format!("card-{id}")>{m.name.clone()}</h2>
            <p>"Necesita: " {m.needs.clone()} "."</p>
            <p class="hint">{trained}</p>
            {interval.map(|t| view! { <p class="hint">{t}</p> })}
            {method_view(&m.method)}
        </section>
    }
}

/// The chosen settings and the weights; for the original pipeline at degree
/// 1 also in original units (per unit of each lag feature).
fn method_view(method: &Method) -> impl IntoView {
    match method {
        Method::LagPipeline { selected_names, hyper, pipeline, .. } => {
            // The polynomial's terms start with the bias (weight 0: the
            // intercept carries it); at degree 1 the next k are the features.
            let degree1 = pipeline.degree == 1 && pipeline.coef.len() == selected_names.len() + 1;
            let rows = selected_names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let scaled = degree1.then(|| pipeline.coef[i + 1]);
                    let original = scaled.zip(pipeline.scaler.scale.get(i)).map(|(c, s)| c / s);
                    view! {
                        <tr>
                            <th scope="row"><code>{name.clone()}</code></th>
                            <td class="num coef" data-value=exact(scaled)>{scaled.map(|c| number(c, 4)).unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{original.map(|c| significant(c, 4)).unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p>{format!(
                    "Regresión ridge sobre {} variables elegidas por información mutua (de las lags de M-1 a M-3), polinomio de grado {}, alpha = {}.",
                    hyper.k, hyper.degree, number(hyper.alpha, 3)
                )}</p>
                <div class="table-wrap">
                    <table class="coef">
                        <thead><tr><th scope="col">"Variable"</th><th scope="col" class="num">"Peso (escalado)"</th><th scope="col" class="num">"Peso por unidad original"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <p class="hint">{format!("Intercepto: {} CLP/litro. Con grado mayor que 1 los pesos son de términos polinómicos (no se listan por variable).", number(pipeline.intercept, 3))}</p>
            }
            .into_any()
        }
        Method::PriceChange { hyper, fit } => {
            let used: Vec<(String, f64)> =
                leche_core::forecast::price_change::feature_names().into_iter().zip(&fit.coef).filter(|(_, c)| **c != 0.0).map(|(n, c)| (n, *c)).collect();
            let rows = used
                .into_iter()
                .map(|(n, c)| view! { <tr><th scope="row"><code>{n}</code></th><td class="num">{number(c, 4)}</td></tr> })
                .collect_view();
            view! {
                <p>{format!("Pronostica el cambio relativo del precio con ridge ({}); el pronóstico es el precio del mes anterior × (1 + {} × cambio).", hyper.describe(), number(fit.weight, 2))}</p>
                <div class="table-wrap">
                    <table class="coef">
                        <thead><tr><th scope="col">"Variable"</th><th scope="col" class="num">"Peso"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
        other => view! { <p>{format!("{}: {}.", other.candidate().label(), other.describe())}</p> }.into_any(),
    }
}

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

fn evaluation_view(e: EvaluationArtifact) -> impl IntoView {
    let honest = e.honest.map(|h| {
        let naive = h.comparison.naive;
        let rows = h
            .candidates
            .iter()
            .map(|c| comparison_row(c.label.clone(), &c.one_step, "candidate"))
            .collect_view();
        let verdict = if h.beats_naive {
            format!("El procedimiento recomendado erra {} % menos que el pronóstico ingenuo (MAE).", number(h.comparison.gain_over_naive(), 1))
        } else {
            "El procedimiento recomendado NO supera al pronóstico ingenuo en esta prueba.".to_string()
        };
        view! {
            <section class="card" aria-labelledby="honest-title">
                <h2 id="honest-title">"Prueba retrospectiva honesta"</h2>
                <p>
                    {format!(
                        "Cada mes de {} se pronosticó con modelos ajustados solo con los meses anteriores; ",
                        span(&h.one_step())
                    )}
                    "el pronóstico ingenuo («el próximo mes igual a este») se mide en los mismos meses."
                </p>
                <p id="honest-verdict"><strong>{verdict}</strong></p>
                <div class="table-wrap">
                    <table id="evaluation">
                        <thead><tr>
                            <th scope="col">"Pronóstico"</th><th scope="col" class="num">"RMSE"</th><th scope="col" class="num">"MAE"</th>
                            <th scope="col" class="num">"MAPE %"</th><th scope="col" class="num">"R²"</th>
                            <th scope="col" class="num">"Meses mejor que ingenuo"</th><th scope="col" class="num">"Cobertura 80 %"</th>
                        </tr></thead>
                        <tbody>
                            {rows}
                            {comparison_row("Procedimiento recomendado (elige cada mes)".into(), &h.comparison, "procedure")}
                            <tr data-row="naive" data-mae=format!("{:?}", naive.mae)>
                                <th scope="row">"Ingenuo (igual al mes anterior)"</th>
                                {metric_cells(&naive)}
                                <td class="num">"—"</td><td class="num">"—"</td>
                            </tr>
                        </tbody>
                    </table>
                </div>
                <p class="hint">{h.reason.clone()}</p>
                {backtest_chart(&h.one_step())}
            </section>
        }
    });
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

/// Real price, the procedure's forecast and naive's over the backtest months.
fn backtest_chart(rows: &[Row]) -> Option<impl IntoView> {
    let chart = plots::backtest(rows)?;
    let (first, last) = (rows.first()?.month, rows.last()?.month);
    let figure = Figure {
        id: "backtest-chart",
        title: "Prueba retrospectiva: real, procedimiento recomendado e ingenuo".into(),
        desc: format!("{} meses, de {first} a {last}; los valores están en la tabla de arriba.", rows.len()),
        months: Some((first, last)),
        detail: None,
    };
    Some(view! {
        <figure>
            {line_chart(&chart, figure)}
            <figcaption class="legend hint">
                <span class="key real"></span>" real  "<span class="key predicted"></span>" procedimiento recomendado  "
                <span class="key naive"></span>" ingenuo"
            </figcaption>
        </figure>
    })
}
