//! The predict page's chart: the real monthly price, the selected model's
//! one-step forecasts over it and its fan after it, with their 80 % band,
//! the months the user asked for highlighted and the next month marked. A tap,
//! the mouse or the keyboard focus picks a point; its values show under the
//! chart (the results table is the text alternative).

use leche_core::{ModelId, Month};
use leptos::prelude::*;

use crate::view::chart::Labels;
use crate::components::line_chart::line_chart;
use crate::view::plots;
use crate::session::Session;

#[component]
pub fn PriceChart(model: RwSignal<ModelId>, asked: Signal<Option<(Month, Month)>>) -> impl IntoView {
    let session = Session::get();
    let whole = RwSignal::new(false);
    let detail = RwSignal::new(None::<String>);
    // One-step forecasts over the data, then the fan after it: computed when
    // the model or the data change, not for every query.
    let forecasts = Memo::new(move |_| {
        // An adopted model changes the models, not the data: follow both.
        session.models().track();
        let m = session.model(model.get())?;
        session.db().with(|db| Some((m.history_and_fan(db), m.next_month(db))))
    });
    let plot = move || {
        forecasts.with(|f| {
            let (all, next) = f.as_ref()?;
            let next = next.and_then(|n| all.iter().find(|f| f.month == n).cloned());
            session.db().with(|db| {
                let (window, chart) = plots::price_for_query(db, all, next.as_ref(), whole.get(), asked.get())?;
                let desc = format!(
                    "Precio real de {} a {} y {} pronósticos del modelo; el detalle está en la tabla de resultados.",
                    window.0,
                    window.1,
                    chart.marks.len()
                );
                let labels = Labels { id: "price-chart".into(), title: "Precio de la leche real y pronosticado".into(), desc, months: Some(window) };
                Some(line_chart(&chart, &labels, Some(detail)))
            })
        })
    };
    view! {
        <section class="card" aria-labelledby="chart-heading">
            <h2 id="chart-heading">"Gráfico"</h2>
            <p class="legend hint">
                <span class="legend-item"><span class="key real"></span>" real"</span>" "
                <span class="legend-item"><span class="key predicted"></span>" predicho"</span>" "
                <span class="legend-item"><span class="key interval"></span>" intervalo 80 %"</span>" "
                <span class="legend-item"><span class="key next"></span>" próximo mes"</span>" "
                <span class="legend-item"><span class="key asked"></span>" meses pedidos"</span>
            </p>
            {plot}
            <p id="chart-detail" class="hint" aria-live="polite">
                {move || detail.get().unwrap_or_else(|| "Toque el gráfico, pase el cursor o use Tab sobre los puntos para ver los valores.".into())}
            </p>
            <button id="chart-whole" type="button" class="secondary" aria-pressed=move || whole.get().to_string()
                on:click=move |_| whole.update(|w| *w = !*w)>
                {move || if whole.get() { "Ver el período consultado" } else { "Ver toda la serie" }}
            </button>
        </section>
    }
}
