//! The home page: forecast one month or a range, with the headline
//! forecast for the month after the last data and the model's verdict.
//!
//! The query and model live in the hash (`#/?q=…&modelo=…`): submitting a
//! valid query sets the hash, and the hash drives the prediction, so a
//! reload or a shared link re-runs it. Bad input shows its message and
//! changes nothing else (not the hash, not the results, not the data).

use leche_core::query::{parse_query, QueryError};
use leche_core::{Forecast, ForecastError, ModelId, Month};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::app::Ctx;
use crate::export;
use crate::format::{capitalize, clp, exact, month_long, signed};
use crate::interaction::Kind;
use crate::route::{self, model_param, parse_model, Page};
use crate::routes::price_chart::PriceChart;
use crate::web;

/// A finished prediction.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    model: ModelId,
    first: Month,
    last: Month,
    forecasts: Vec<Forecast>,
    unavailable: Vec<ForecastError>,
}

/// Models in the order the selector lists them.
const MODEL_ORDER: [ModelId; 2] = [ModelId::Recommended, ModelId::Replica];

#[component]
pub fn PredictPage() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let default_model = ctx.default_model();
    let input = RwSignal::new(String::new());
    let model = RwSignal::new(default_model);
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Outcome>);
    // What the results show (query and model), so that the hash change a
    // submit makes does not run the same prediction twice.
    let shown = StoredValue::new(None::<(Month, Month, ModelId)>);

    let bad_input = move |text: &str, e: &QueryError| {
        error.set(Some(format!("Entrada no válida: {e}.")));
        ctx.log(Kind::EntradaInvalida, format!("«{text}»: {e}"), "");
    };

    let run = move |text: String, id: ModelId| {
        let (first, last) = match parse_query(&text) {
            Ok(range) => range,
            Err(e) => return bad_input(&text, &e),
        };
        shown.set_value(Some((first, last, id)));
        let o = match predict(ctx, id, first, last) {
            Ok(o) => o,
            Err(message) => {
                error.set(Some(message.clone()));
                return ctx.log(Kind::Error, format!("pronóstico {text}: {message}"), "");
            }
        };
        let single_missing = o.forecasts.is_empty() && first == last;
        error.set(single_missing.then(|| o.unavailable.first().map(|u| capitalize(&u.to_string()))).flatten());
        let q = if first == last { first.to_string() } else { format!("{first} {last}") };
        // Shown first, logged after: the log is not on the user's clock.
        let logged = (o.forecasts.clone(), o.unavailable.clone());
        outcome.set(Some(o));
        let (forecasts, unavailable) = logged;
        if !forecasts.is_empty() {
            ctx.log(
                Kind::Prediccion,
                format!("Pronóstico «{q}» con {}: {} meses", id.label(), forecasts.len()),
                export::prediction_details(&forecasts, &[]),
            );
        }
        if !unavailable.is_empty() {
            ctx.log(
                Kind::DatosFaltantes,
                format!("Pronóstico «{q}» con {}: {} meses sin datos suficientes", id.label(), unavailable.len()),
                export::prediction_details(&[], &unavailable),
            );
        }
    };

    // The hash drives the page (a reload, a shared link, back and forward):
    // restore the model and query, then run unless that is what is shown.
    Effect::new(move |_| {
        let r = route::parse(&ctx.hash.get());
        if r.page != Page::Predict {
            return;
        }
        // A hash without a model leaves the selector as the user set it.
        let id = r.model.unwrap_or_else(|| model.get_untracked());
        model.set(id);
        if let Some(q) = r.query {
            let same = parse_query(&q).ok().map(|(a, b)| (a, b, id)) == shown.get_value();
            if !same || outcome.with_untracked(Option::is_none) {
                input.set(q.clone());
                run(q, id);
            }
        }
    });

    // Runs at once and records the query in the URL without a `hashchange`
    // round trip (that would add a task hop before the results show).
    let run_and_record = move |text: String, id: ModelId| {
        run(text.clone(), id);
        let hash = route::predict_hash(&text, id);
        if hash != web::hash() {
            web::push_hash(&hash);
            ctx.hash.set(hash);
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = input.get_untracked();
        match parse_query(&text) {
            Err(e) => bad_input(&text, &e),
            Ok(_) => run_and_record(text, model.get_untracked()),
        }
    };

    let on_model = move |ev: leptos::ev::Event| {
        let id = parse_model(&event_target_value(&ev)).unwrap_or(default_model);
        model.set(id);
        // A shown prediction follows a switch to another model.
        let switched = shown.get_value().is_some_and(|(_, _, was)| was != id);
        if let (true, Some(q)) = (switched, route::parse(&web::hash()).query) {
            run_and_record(q, id);
        }
    };

    let headline = Memo::new(move |_| {
        let id = model.get();
        ctx.models.with(|ms| {
            let m = ms.as_ref()?.models.iter().find(|x| x.id == id)?;
            ctx.db.with(|db| m.forecast(db, m.next_month(db)?).ok())
        })
    });
    let verdict = move || ctx.models.with(|m| m.as_ref().map(|m| m.verdict.clone()).unwrap_or_default());
    let model_list = move || {
        ctx.models.with(|ms| {
            MODEL_ORDER
                .iter()
                .filter_map(|id| ms.as_ref()?.models.iter().find(|m| m.id == *id))
                .map(|m| (m.id, m.name.clone(), m.needs.clone()))
                .collect::<Vec<_>>()
        })
    };

    view! {
        <h1>"Pronóstico del precio de la leche"</h1>
        <section class="card headline-card" aria-labelledby="headline-title">
            <h2 id="headline-title">"Próximo mes"</h2>
            {move || match headline.get() {
                Some(f) => view! {
                    <p id="headline" data-month=f.month.to_string() data-value=exact(Some(f.predicted))>
                        "Pronóstico para " <strong>{month_long(f.month)}</strong> " (" {f.month.to_string()} "): "
                        <strong class="big">{clp(f.predicted)} " CLP/litro"</strong>
                        {f.band80.map(|b| (b.lower, b.upper)).map(|(lo, hi)| view! {
                            <span id="headline-interval" data-lower=exact(Some(lo)) data-upper=exact(Some(hi))>
                                " (intervalo 80 %: " {clp(lo)} " – " {clp(hi)} ")"
                            </span>
                        })}
                    </p>
                }.into_any(),
                None => view! {
                    <p id="headline" data-month="" data-value="">"No hay datos suficientes para pronosticar el próximo mes."</p>
                }.into_any(),
            }}
            <p class="note">
                "Los pronósticos son a un mes: el precio de cada mes se calcula con los datos de los meses anteriores "
                "(abajo, lo que necesita cada modelo), así que lo más lejano que se puede pronosticar es el mes siguiente "
                "al último con los datos que el modelo usa."
            </p>
        </section>

        <form class="card query-form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="query">"Mes o rango de meses"</label>
                <input id="query" name="q" type="text" autocomplete="off" spellcheck="false"
                    placeholder="2020-01 o 2019-06 2020-05" aria-describedby="query-help"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    prop:value=move || input.get()
                    on:input=move |ev| input.set(event_target_value(&ev)) />
                <p id="query-help" class="hint">
                    "Un mes (AAAA-MM) o dos meses separados por un espacio; el rango incluye ambos extremos (máximo 240 meses)."
                </p>
            </div>
            <div class="field">
                <label for="model">"Modelo"</label>
                <select id="model" name="modelo" on:change=on_model aria-describedby="model-needs">
                    {move || model_list().into_iter().map(|(id, name, _)| view! {
                        <option value=model_param(id) prop:selected=move || model.get() == id>{name}</option>
                    }).collect_view()}
                </select>
                <ul id="model-needs" class="hint needs">
                    {move || model_list().into_iter().map(|(id, name, needs)| view! {
                        <li data-model=model_param(id)><strong>{name}</strong>": necesita " {needs} "."</li>
                    }).collect_view()}
                </ul>
            </div>
            <button id="predict" type="submit">"Pronosticar"</button>
        </form>

        <div id="error" role="alert" class="alert">{move || error.get()}</div>

        {move || outcome.get().map(results_view)}

        <PriceChart model=model asked=Signal::derive(move || outcome.with(|o| o.as_ref().map(|o| (o.first, o.last)))) />

        <section class="card" aria-labelledby="verdict-title">
            <h2 id="verdict-title">"¿Qué tan confiable es?"</h2>
            <p id="verdict">{verdict}</p>
        </section>
    }
}

/// Forecasts from the in-memory copy of the store (see [`Ctx::db`]).
fn predict(ctx: Ctx, id: ModelId, first: Month, last: Month) -> Result<Outcome, String> {
    let model = ctx.model(id).ok_or_else(|| format!("el modelo «{}» no está disponible", id.label()))?;
    web::mark("leche:compute-start");
    let r = ctx.db.with_untracked(|db| model.forecast_range(db, first, last));
    web::measure("leche:compute", "leche:compute-start");
    Ok(Outcome { model: id, first, last, forecasts: r.forecasts, unavailable: r.unavailable })
}

fn results_view(o: Outcome) -> impl IntoView {
    let title = if o.first == o.last { o.first.to_string() } else { format!("{} a {}", o.first, o.last) };
    let file = format!("pronostico_{}_{}_{}.csv", o.first, o.last, model_param(o.model));
    let forecasts = o.forecasts.clone();
    let export = move |_| {
        if let Err(e) = web::download(&file, "text/csv;charset=utf-8", &export::results_csv(&forecasts)) {
            web_sys::console::warn_1(&e.into());
        }
    };
    let rows = o
        .forecasts
        .iter()
        .map(|f| {
            let real = f.real.map(clp).unwrap_or_else(|| "—".into());
            let err = f.error().map(signed).unwrap_or_else(|| "—".into());
            let interval = match (f.band80.map(|b| b.lower), f.band80.map(|b| b.upper)) {
                (Some(lo), Some(hi)) => format!("{} – {}", clp(lo), clp(hi)),
                _ => "—".into(),
            };
            view! {
                <tr data-month=f.month.to_string()>
                    <th scope="row">{f.month.to_string()}</th>
                    <td class="predicted num" data-value=exact(Some(f.predicted))>{clp(f.predicted)}</td>
                    <td class="interval num" data-lower=exact(f.band80.map(|b| b.lower)) data-upper=exact(f.band80.map(|b| b.upper))>{interval}</td>
                    <td class="real num" data-value=exact(f.real)>{real}</td>
                    <td class="error num" data-value=exact(f.error())>{err}</td>
                </tr>
            }
        })
        .collect_view();
    let has_rows = !o.forecasts.is_empty();
    let unavailable = (!o.unavailable.is_empty()).then(|| {
        let items = o
            .unavailable
            .iter()
            .map(|u| view! { <li data-month=u.month().to_string()>{capitalize(&u.to_string())}</li> })
            .collect_view();
        view! {
            <h3 id="unavailable-title">"Meses sin pronóstico"</h3>
            <ul id="unavailable" aria-labelledby="unavailable-title">{items}</ul>
        }
    });
    view! {
        <section class="card" aria-labelledby="results-title">
            <h2 id="results-title">"Resultados: " {title}</h2>
            <p class="hint">
                {o.model.label()} ". Precios en CLP por litro; error = real − predicho. "
                "Intervalo 80 %: rango que debería contener el precio real 8 de cada 10 veces, según los errores pasados del modelo "
                "(la réplica no tiene)."
            </p>
            {has_rows.then(|| view! {
                <div class="table-wrap">
                    <table id="results">
                        <thead>
                            <tr>
                                <th scope="col">"Mes"</th>
                                <th scope="col" class="num">"Predicho"</th>
                                <th scope="col" class="num">"Intervalo 80 %"</th>
                                <th scope="col" class="num">"Real"</th>
                                <th scope="col" class="num">"Error"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <button id="export-csv" type="button" class="secondary" on:click=export>"Descargar resultados (CSV)"</button>
            })}
            {unavailable}
        </section>
    }
}
