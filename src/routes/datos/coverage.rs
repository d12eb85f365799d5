//! Coverage at a glance: a line with the price's months and the model's
//! rows, then — one tap away — months per table and joined (first, last,
//! gaps) and a chart with one strip per table, a bar per run of
//! consecutive months, so gaps show as breaks (the table is its text
//! alternative).

use leptos::prelude::*;

use crate::components::disclosure::more;
use crate::components::line_chart::line_chart;
use crate::components::scroll_table::scroll_region;
use crate::view::chart::Labels;
use crate::view::plots;
use crate::view::table_coverage::{self, gaps_text};
use crate::view::format::count;
use crate::session::Session;

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
                        <td id=format!("first-{}", t.id) class="date">{c.first.map(|m| m.to_string()).unwrap_or_else(dash)}</td>
                        <td id=format!("last-{}", t.id) class="date">{c.last.map(|m| m.to_string()).unwrap_or_else(dash)}</td>
                        <td id=format!("gaps-{}", t.id) data-value=c.gaps.len().to_string()>{gaps_text(&c.gaps, 12)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    // The two rows people look for: the price, and what the model can use (months kept whole on a line).
    let summary = move || {
        tables.with(|ts| {
            let line = |id: &str, what: &'static str, end: &'static str| {
                let c = &ts.iter().find(|t| t.id == id)?.coverage;
                let (first, last) = (c.first?, c.last?);
                Some(view! {
                    {what} ": " {count(c.count)} " meses (" <span class="date">{first.to_string()}</span> " a "
                    <span class="date">{last.to_string()}</span> ")" {end}
                })
            };
            view! { {line("milk_price", "Precio de la leche", "; ")} {line("joined", "filas del modelo", ".")} }
        })
    };
    let version = move || session.meta().with(|m| m.artifact_version.clone().unwrap_or_else(|| "—".into()));
    let seeded = move || session.meta().with(|m| m.seeded_at.clone().unwrap_or_else(|| "—".into()));
    view! {
        <section class="card" aria-labelledby="coverage-title">
            <h2 id="coverage-title">"Meses disponibles"</h2>
            <p id="coverage-summary">{summary}</p>
            {more("Meses de cada tabla, huecos y gráfico", view! {
                <p class="hint">
                    "Un mes se puede pronosticar cuando los tres meses anteriores tienen precipitaciones, "
                    "Banco Central y precio de la leche (filas del modelo)."
                </p>
                {scroll_region("Meses guardados en cada tabla", view! {
                    <table id="coverage" class="named-rows">
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
            })}
        </section>
    }
}

/// The strips: one per table, a bar per run of months ([`plots::coverage`]).
fn strips(tables: &[table_coverage::TableCoverage]) -> Option<impl IntoView> {
    let chart = plots::coverage(tables)?;
    let (first, last) = (tables.iter().filter_map(|t| t.coverage.first).min()?, tables.iter().filter_map(|t| t.coverage.last).max()?);
    let labels = Labels {
        id: "coverage-chart".into(),
        title: "Meses con datos por tabla".into(),
        desc: format!("De {first} a {last}; cada barra es un tramo de meses seguidos y los cortes son huecos. El detalle está en la tabla."),
        months: None,
    };
    Some(line_chart(&chart, &labels, None))
}
