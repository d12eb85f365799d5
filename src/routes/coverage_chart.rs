//! The data page's coverage chart: one strip per table (and the joins),
//! a bar per run of consecutive months, so gaps show as breaks. The
//! coverage table above it is the text alternative.

use leptos::prelude::*;

use crate::app::Ctx;
use crate::chart::{month_x, runs, year_ticks, Scale};
use crate::coverage;

const W: f64 = 800.0;
const LEFT: f64 = 120.0;
const ROW: f64 = 26.0;

fn short(id: &str) -> &'static str {
    match id {
        "rainfall" => "Precipitaciones",
        "central-bank" => "Banco Central",
        "milk-price" => "Precio",
        "features" => "Variables",
        _ => "Filas del modelo",
    }
}

#[component]
pub fn CoverageChart() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let chart = move || {
        let tables = ctx.db.with(coverage::tables);
        let first = tables.iter().filter_map(|t| t.coverage.first).min()?;
        let last = tables.iter().filter_map(|t| t.coverage.last).max()?;
        let x = Scale::new((month_x(first), month_x(last) + 1.0), (LEFT, W - 8.0));
        let height = ROW * tables.len() as f64 + 24.0;
        let rows = tables
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let c = &t.coverage;
                let months: Vec<_> = match (c.first, c.last) {
                    (Some(a), Some(b)) => a.through(b).filter(|m| c.gaps.binary_search(m).is_err()).collect(),
                    _ => Vec::new(),
                };
                let y = ROW * i as f64 + 4.0;
                let bars = runs(&months)
                    .into_iter()
                    .map(|(a, b)| {
                        let (x0, x1) = (x.at(month_x(a)), x.at(month_x(b) + 1.0));
                        view! {
                            <rect class="run" x=format!("{x0:.1}") y=y width=format!("{:.1}", (x1 - x0).max(1.0)) height=ROW - 8.0>
                                <title>{format!("{}: {a} a {b}", t.label)}</title>
                            </rect>
                        }
                    })
                    .collect_view();
                view! {
                    <g data-table=t.id data-months=c.count.to_string() data-runs=runs(&months).len().to_string()>
                        <text class="tick" x=LEFT - 6.0 y=y + (ROW - 8.0) / 2.0 text-anchor="end" dy="0.32em">{short(t.id)}</text>
                        {bars}
                    </g>
                }
            })
            .collect_view();
        let ticks = year_ticks(first, last, 9)
            .into_iter()
            .map(|m| view! { <text class="tick" x=format!("{:.1}", x.at(month_x(m))) y=height - 6.0 text-anchor="middle">{m.year()}</text> })
            .collect_view();
        Some(view! {
            <svg id="coverage-chart" class="chart" viewBox=format!("0 0 {W} {height}") role="img" aria-labelledby="cov-title cov-desc">
                <title id="cov-title">"Meses con datos por tabla"</title>
                <desc id="cov-desc">{format!("De {first} a {last}; cada barra es un tramo de meses seguidos y los cortes son huecos. El detalle está en la tabla.")}</desc>
                {rows}
                {ticks}
            </svg>
        })
    };
    view! { <figure>{chart}</figure> }
}
