//! The results of a prediction: month, predicted (with its interval),
//! real, error; exportable as CSV.

use leche_core::{Forecast, ForecastError, ModelId, Month};
use leptos::prelude::*;

use crate::browser::files;
use crate::export;
use crate::format::{capitalize, clp, exact, signed};
use crate::route::model_param;

/// A finished prediction.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub model: ModelId,
    pub first: Month,
    pub last: Month,
    pub forecasts: Vec<Forecast>,
    pub unavailable: Vec<ForecastError>,
}

pub fn results_view(o: Outcome) -> impl IntoView {
    let title = if o.first == o.last { o.first.to_string() } else { format!("{} a {}", o.first, o.last) };
    let file = format!("pronostico_{}_{}_{}.csv", o.first, o.last, model_param(o.model));
    let forecasts = o.forecasts.clone();
    let export = move |_| {
        if let Err(e) = files::save(&file, "text/csv;charset=utf-8", &export::results_csv(&forecasts)) {
            web_sys::console::warn_1(&e.to_string().into());
        }
    };
    let rows = o
        .forecasts
        .iter()
        .map(|f| {
            let real = f.real.map(clp).unwrap_or_else(|| "—".into());
            let err = f.error().map(signed).unwrap_or_else(|| "—".into());
            let interval = match f.band80 {
                Some(b) => format!("{} – {}", clp(b.lower), clp(b.upper)),
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
