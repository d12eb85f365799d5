//! The months ahead, first thing on the home page: the next month's
//! forecast with its 50 % and 80 % bands, and the fan of the twelve months
//! after the last price (a chart, and the same numbers as a table).

use leche_core::{Forecast, ModelId, MAX_HORIZON};
use leptos::prelude::*;

use crate::components::line_chart::{line_chart, Figure};
use crate::format::{band, clp, exact, month_long};
use crate::plots;
use crate::session::Session;

#[component]
pub fn Ahead(model: RwSignal<ModelId>) -> impl IntoView {
    let session = Session::get();
    let detail = RwSignal::new(None::<String>);
    // The fan of the selected model on the stored tables.
    let fan = Memo::new(move |_| {
        let m = session.models().with(|ms| ms.as_ref()?.models.iter().find(|x| x.id == model.get()).cloned())?;
        Some(session.db().with(|db| m.fan(db)))
    });
    let headline = move || match fan.get().and_then(|f| f.first().cloned()) {
        Some(f) => view! {
            <p id="headline" data-month=f.month.to_string() data-value=exact(Some(f.predicted))>
                "Pronóstico para " <strong>{month_long(f.month)}</strong> " (" {f.month.to_string()} "): "
                <strong class="big">{clp(f.predicted)} " CLP/litro"</strong>
                {f.band80.map(|b| view! {
                    <span id="headline-interval" data-lower=exact(Some(b.lower)) data-upper=exact(Some(b.upper))>
                        " (80 %: " {clp(b.lower)} " – " {clp(b.upper)}
                    </span>
                })}
                {f.band50.map(|b| view! {
                    <span id="headline-band50" data-lower=exact(Some(b.lower)) data-upper=exact(Some(b.upper))>
                        "; 50 %: " {clp(b.lower)} " – " {clp(b.upper)} ")"
                    </span>
                })}
            </p>
        }
        .into_any(),
        None => view! {
            <p id="headline" data-month="" data-value="">"No hay datos suficientes para pronosticar el próximo mes."</p>
        }
        .into_any(),
    };
    let chart = move || {
        let forecasts = fan.get()?;
        let chart = session.db().with(|db| plots::fan(db, &forecasts))?;
        let (first, last) = (forecasts.first()?.month, forecasts.last()?.month);
        let desc = format!(
            "Precio real de los últimos {} meses y pronóstico de {first} a {last} ({} meses) con bandas de 50 % y 80 %; los valores están en la tabla.",
            plots::FAN_HISTORY,
            forecasts.len()
        );
        let figure = Figure { id: "fan-chart", title: "Los próximos meses".into(), desc, months: Some((first, last)), detail: Some(detail) };
        Some(line_chart(&chart, figure))
    };
    let table = move || {
        let forecasts = fan.get()?;
        let rows = forecasts.into_iter().map(fan_row).collect_view();
        Some(view! {
            <details class="fan-table">
                <summary>"Ver los meses como tabla"</summary>
                <div class="table-wrap">
                    <table id="fan-table">
                        <thead><tr>
                            <th scope="col">"Mes"</th><th scope="col" class="num">"h"</th><th scope="col" class="num">"Pronóstico"</th>
                            <th scope="col" class="num">"50 %"</th><th scope="col" class="num">"80 %"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        })
    };
    let one_step = move || fan.get().is_some_and(|f| f.len() == 1);
    view! {
        <section class="card headline-card" aria-labelledby="headline-title">
            <h2 id="headline-title">"Próximos meses"</h2>
            {headline}
            <p class="legend hint">
                <span class="key real"></span>" real  "<span class="key predicted"></span>" pronóstico  "
                <span class="key fan50"></span>" 50 %  "<span class="key fan80"></span>" 80 %"
            </p>
            {chart}
            <p id="fan-detail" class="hint" aria-live="polite">
                {move || detail.get().unwrap_or_else(|| "Pase el cursor o use Tab sobre los puntos para ver cada mes.".into())}
            </p>
            {table}
            <p class="note" id="horizon-note">
                {move || if one_step() {
                    "La réplica del modelo original pronostica solo el mes siguiente a sus datos: los meses posteriores necesitarían datos que aún no existen.".to_string()
                } else {
                    format!(
                        "Se pronostica hasta {MAX_HORIZON} meses después del último precio conocido; la banda de 80 % debería contener el precio real 8 de cada 10 veces y la de 50 %, la mitad (según los errores pasados del modelo a esa distancia)."
                    )
                }}
            </p>
        </section>
    }
}

fn fan_row(f: Forecast) -> impl IntoView {
    let lower = |b: Option<leche_core::Band>| exact(b.map(|b| b.lower));
    let upper = |b: Option<leche_core::Band>| exact(b.map(|b| b.upper));
    view! {
        <tr data-month=f.month.to_string()>
            <th scope="row">{f.month.to_string()}</th>
            <td class="num horizon" data-value=f.horizon.to_string()>{format!("h = {}", f.horizon)}</td>
            <td class="num predicted" data-value=exact(Some(f.predicted))>{clp(f.predicted)}</td>
            <td class="num band50" data-lower=lower(f.band50) data-upper=upper(f.band50)>{band(f.band50)}</td>
            <td class="num band80" data-lower=lower(f.band80) data-upper=upper(f.band80)>{band(f.band80)}</td>
        </tr>
    }
}
