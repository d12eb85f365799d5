//! The results of a prediction: month, predicted (with its interval),
//! real, error; exportable as CSV.

use leche_core::{Forecast, ForecastError, ModelId, Month};
use leptos::prelude::*;

use crate::browser::{clock, files, location};
use crate::components::scroll_table::scroll_region;
use crate::view::prediction_text;
use crate::view::format::capitalize;
use crate::view::results_table::rows_html;

/// A finished prediction.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub model: ModelId,
    pub first: Month,
    pub last: Month,
    pub forecasts: Vec<Forecast>,
    pub unavailable: Vec<ForecastError>,
    /// The data's last price when it ran (the export says how old it is).
    pub last_price: Option<Month>,
}

impl Outcome {
    /// The query these results answer, as the page writes it (`2020-01`, `2019-06 2020-05`).
    pub fn query(&self) -> String {
        if self.first == self.last {
            self.first.to_string()
        } else {
            format!("{} {}", self.first, self.last)
        }
    }
}

pub fn results_view(o: Outcome) -> impl IntoView {
    let title = if o.first == o.last { o.first.to_string() } else { format!("{} a {}", o.first, o.last) };
    let file = format!("pronostico_{}_{}_{}.csv", o.first, o.last, o.model.key());
    let forecasts = o.forecasts.clone();
    let last_price = o.last_price;
    let export = move |_| {
        if let Err(e) = files::save(&file, "text/csv;charset=utf-8", &prediction_text::results_csv(&forecasts, last_price, clock::this_month())) {
            web_sys::console::warn_1(&e.to_string().into());
        }
    };
    let rows = rows_html(&o.forecasts, Some(&location::hash()));
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
                "h: meses desde el último dato que el pronóstico usa (h = 1 para los meses con datos del mes anterior). "
                "Bandas de 50 % y 80 %: rangos que deberían contener el precio real la mitad y 8 de cada 10 veces a esa distancia, "
                "según los errores pasados del modelo (la réplica no tiene)."
            </p>
            {has_rows.then(|| view! {
                {scroll_region("Resultados del pronóstico", view! {
                    <table id="results">
                        <thead>
                            <tr>
                                <th scope="col">"Mes"</th>
                                <th scope="col" class="num">"h"</th>
                                <th scope="col" class="num">"Predicho"</th>
                                <th scope="col" class="num">"Banda 50 %"</th>
                                <th scope="col" class="num">"Banda 80 %"</th>
                                <th scope="col" class="num">"Real"</th>
                                <th scope="col" class="num">"Error"</th>
                            </tr>
                        </thead>
                        <tbody inner_html=rows></tbody>
                    </table>
                })}
                <button id="export-csv" type="button" class="secondary" on:click=export>"Descargar resultados (CSV)"</button>
            })}
            {unavailable}
        </section>
    }
}
