//! The predict page's chart: the real monthly price, the selected model's
//! predictions over it, the months the user asked for highlighted and the
//! next-month forecast marked. Points take focus and hover; the values show
//! under the chart (the results table is the text alternative).

use leche_core::{Forecast, ModelId, Month};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::Ctx;
use crate::chart::{band, month_x, nice_ticks, path, year_ticks, Scale};
use crate::format::{clp, number, signed};

const W: f64 = 800.0;
const H: f64 = 300.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// What the chart shows: the model's forecasts (with the real values) and
/// the price series, within a window of months.
#[derive(Clone, Debug, PartialEq)]
struct Series {
    window: (Month, Month),
    real: Vec<(Month, f64)>,
    predicted: Vec<Forecast>,
    next: Option<Forecast>,
}

#[component]
pub fn PriceChart(model: RwSignal<ModelId>, asked: Signal<Option<(Month, Month)>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let whole = RwSignal::new(false);
    let detail = RwSignal::new(None::<String>);
    let series = Memo::new(move |_| {
        let id = model.get();
        let m = ctx.model(id)?;
        ctx.db.with(|db| {
            let all = m.forecast_all(db).forecasts;
            let next = m.next_month(db).and_then(|n| m.forecast(db, n).ok());
            let last_real = db.milk_price.keys().next_back().copied()?;
            let end = next.as_ref().map_or(last_real, |f| f.month.max(last_real));
            let window = match (whole.get(), asked.get()) {
                (true, _) => (*db.milk_price.keys().next()?, end),
                (false, Some((a, b))) => (a.offset(-12), b.offset(3).min(end.offset(3))),
                (false, None) => (end.offset(-120), end),
            };
            let inside = |m: &Month| *m >= window.0 && *m <= window.1;
            Some(Series {
                window,
                real: db.milk_price.iter().filter(|(m, _)| inside(m)).map(|(m, v)| (*m, v[0])).collect(),
                predicted: all.into_iter().filter(|f| inside(&f.month)).collect(),
                next: next.filter(|f| inside(&f.month)),
            })
        })
    });

    // The label of the point under the pointer or with the focus.
    let show_point = move |target: Option<web_sys::EventTarget>| {
        let label = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| {
            e.closest("circle[aria-label]").ok().flatten().and_then(|c| c.get_attribute("aria-label"))
        });
        if label.is_some() {
            detail.set(label);
        }
    };

    let plot = move || {
        series.get().map(|s| {
            let bounds: Vec<(Month, f64, f64)> = s.predicted.iter().filter_map(|f| Some((f.month, f.band80?.lower, f.band80?.upper))).collect();
            let values = s.real.iter().map(|r| r.1)
                .chain(s.predicted.iter().map(|f| f.predicted))
                .chain(s.next.iter().map(|f| f.predicted))
                .chain(bounds.iter().flat_map(|b| [b.1, b.2]));
            let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
            let pad = ((hi - lo) * 0.05).max(1.0);
            let x = Scale::new((month_x(s.window.0), month_x(s.window.1)), (LEFT, W - RIGHT));
            let y = Scale::new((lo - pad, hi + pad), (H - BOTTOM, TOP));
            let real_d = path(&s.real, &x, &y);
            let pred_points: Vec<(Month, f64)> = s.predicted.iter().map(|f| (f.month, f.predicted)).collect();
            let pred_d = path(&pred_points, &x, &y);
            let band_d = (!bounds.is_empty()).then(|| band(&bounds, &x, &y));
            let asked_band = asked.get().map(|(a, b)| {
                let (x0, x1) = (x.at(month_x(a.max(s.window.0)) - 0.5), x.at(month_x(b.min(s.window.1)) + 0.5));
                view! { <rect class="asked" x=format!("{x0:.1}") y=TOP width=format!("{:.1}", (x1 - x0).max(2.0)) height=H - TOP - BOTTOM /> }
            });
            let y_ticks = nice_ticks(lo - pad, hi + pad, 5).into_iter().map(|v| {
                let yy = format!("{:.1}", y.at(v));
                view! {
                    <line class="grid" x1=LEFT x2=W - RIGHT y1=yy.clone() y2=yy.clone() />
                    <text class="tick" x=LEFT - 6.0 y=yy text-anchor="end" dy="0.32em">{number(v, 0)}</text>
                }
            }).collect_view();
            let x_ticks = year_ticks(s.window.0, s.window.1, 8).into_iter().map(|m| {
                let xx = format!("{:.1}", x.at(month_x(m)));
                view! { <text class="tick" x=xx y=H - 8.0 text-anchor="middle">{m.year()}</text> }
            }).collect_view();
            // Hover and focus are handled once on the <svg> (both bubble there),
            // not with two listeners per point: a range has ~90 points.
            let points = s.predicted.iter().map(|f| {
                let text = point_text(f);
                let label = text.clone();
                let (cx, cy) = (format!("{:.1}", x.at(month_x(f.month))), format!("{:.1}", y.at(f.predicted)));
                view! {
                    <circle class="point" r="3.5" cx=cx cy=cy tabindex="0" data-month=f.month.to_string()
                        data-predicted=format!("{:?}", f.predicted) aria-label=label>
                        <title>{text}</title>
                    </circle>
                }
            }).collect_view();
            let next = s.next.clone().map(|f| {
                let text = format!("Próximo mes, {}: pronóstico {} CLP/litro", f.month, clp(f.predicted));
                let label = text.clone();
                view! {
                    <circle class="next" r="6" cx=format!("{:.1}", x.at(month_x(f.month))) cy=format!("{:.1}", y.at(f.predicted))
                        tabindex="0" data-month=f.month.to_string() aria-label=label>
                        <title>{text}</title>
                    </circle>
                }
            });
            view! {
                <svg id="price-chart" viewBox=format!("0 0 {W} {H}") role="group" aria-labelledby="chart-title chart-desc"
                    on:mouseover=move |ev| show_point(ev.target()) on:focusin=move |ev| show_point(ev.target())
                    data-real-points=s.real.len().to_string() data-predicted-points=s.predicted.len().to_string()
                    data-band-points=bounds.len().to_string()
                    data-first=s.window.0.to_string() data-last=s.window.1.to_string()>
                    <title id="chart-title">"Precio de la leche real y pronosticado"</title>
                    <desc id="chart-desc">{format!(
                        "Precio real de {} a {} ({} meses) y {} pronósticos del modelo; el detalle está en la tabla de resultados.",
                        s.window.0, s.window.1, s.real.len(), s.predicted.len()
                    )}</desc>
                    {asked_band}
                    {band_d.map(|d| view! { <path class="interval" d=d /> })}
                    {y_ticks}
                    {x_ticks}
                    <path class="real" d=real_d />
                    <path class="predicted" d=pred_d />
                    {points}
                    {next}
                </svg>
            }
        })
    };

    view! {
        <section class="card" aria-labelledby="chart-heading">
            <h2 id="chart-heading">"Gráfico"</h2>
            <p class="legend hint">
                <span class="key real"></span>" real  "<span class="key predicted"></span>" predicho  "
                <span class="key interval"></span>" intervalo 80 %  "<span class="key next"></span>" próximo mes  "
                <span class="key asked"></span>" meses pedidos"
            </p>
            {plot}
            <p id="chart-detail" class="hint" aria-live="polite">
                {move || detail.get().unwrap_or_else(|| "Pase el cursor o use Tab sobre los puntos para ver los valores.".into())}
            </p>
            <button id="chart-whole" type="button" class="secondary" aria-pressed=move || whole.get().to_string()
                on:click=move |_| whole.update(|w| *w = !*w)>
                {move || if whole.get() { "Ver el período consultado" } else { "Ver toda la serie" }}
            </button>
        </section>
    }
}

fn point_text(f: &Forecast) -> String {
    match (f.real, f.error()) {
        (Some(r), Some(e)) => format!("{}: real {}, predicho {}, error {}", f.month, clp(r), clp(f.predicted), signed(e)),
        _ => format!("{}: predicho {} (sin precio real)", f.month, clp(f.predicted)),
    }
}
