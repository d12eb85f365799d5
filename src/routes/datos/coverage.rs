//! Coverage at a glance: months per table and joined (first, last, gaps),
//! and a chart with one strip per table, a bar per run of consecutive
//! months, so gaps show as breaks (the table is its text alternative).

use leptos::prelude::*;

use crate::components::scroll_table::scroll_region;
use crate::view::chart::{month_x, runs, year_ticks, Scale};
use crate::view::table_coverage::{self, gaps_text};
use crate::view::format::count;
use crate::session::Session;

const W: f64 = 800.0;
const LEFT: f64 = 120.0;
const ROW: f64 = 26.0;

#[component]
pub fn CoverageSection() -> impl IntoView {
    let session = Session::get();
    let tables = Memo::new(move |_| session.db().with(table_coverage::tables));
    let rows = move || {
        tables
            .get()
            .into_iter()
            .map(|t| {
                let c = t.coverage;
                let dash = || "—".to_string();
                view! {
                    <tr data-table=t.id>
                        <th scope="row">{t.label}</th>
                        <td id=format!("count-{}", t.id) class="num" data-value=c.count.to_string()>{count(c.count)}</td>
                        <td id=format!("first-{}", t.id)>{c.first.map(|m| m.to_string()).unwrap_or_else(dash)}</td>
                        <td id=format!("last-{}", t.id)>{c.last.map(|m| m.to_string()).unwrap_or_else(dash)}</td>
                        <td id=format!("gaps-{}", t.id) data-value=c.gaps.len().to_string()>{gaps_text(&c.gaps, 12)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let version = move || session.meta().with(|m| m.artifact_version.clone().unwrap_or_else(|| "—".into()));
    let seeded = move || session.meta().with(|m| m.seeded_at.clone().unwrap_or_else(|| "—".into()));
    view! {
        <section class="card" aria-labelledby="coverage-title">
            <h2 id="coverage-title">"Meses disponibles"</h2>
            <p class="hint">
                "Un mes se puede pronosticar cuando los tres meses anteriores tienen precipitaciones, "
                "Banco Central y precio de la leche (filas del modelo)."
            </p>
            {scroll_region("Meses guardados en cada tabla", view! {
                <table id="coverage">
                    <thead>
                        <tr>
                            <th scope="col">"Tabla"</th>
                            <th scope="col" class="num">"Meses"</th>
                            <th scope="col">"Primero"</th>
                            <th scope="col">"Último"</th>
                            <th scope="col">"Huecos"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            })}
            <figure>{move || strips(&tables.get())}</figure>
            <p class="hint">
                "Versión de los datos publicados: " <code id="artifact-version">{version}</code>
                "; guardados en este navegador el " <span id="seeded-at">{seeded}</span> " (UTC)."
            </p>
        </section>
    }
}

/// The strips: one per table, a bar per run of months.
fn strips(tables: &[table_coverage::TableCoverage]) -> Option<impl IntoView> {
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
                    <text class="tick" x=LEFT - 6.0 y=y + (ROW - 8.0) / 2.0 text-anchor="end" dy="0.32em">{t.short}</text>
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
}
