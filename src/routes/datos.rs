//! The data page: months per table and joined, with gaps; uploads, batches
//! and exports; reset to the shipped data after a confirmation.

use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Ctx;
use crate::routes::cargar::{BatchesSection, ExportSection, UploadSection};
use crate::routes::coverage_chart::CoverageChart;
use crate::routes::series::SeriesExplorer;
use crate::coverage::{self, gaps_text};
use crate::dialog::{self, confirm_dialog, Confirm};
use crate::format::count;
use crate::interaction::Kind;

#[component]
pub fn DatosPage() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let confirm: NodeRef<Dialog> = NodeRef::new();
    let tables = Memo::new(move |_| ctx.db.with(coverage::tables));

    let reset = move || {
        busy.set(true);
        status.set("Restaurando los datos originales…".into());
        spawn_local(async move {
            let result = ctx.restore_shipped().await;
            let message = match result {
                Ok(version) => format!("Listo: se restauraron los datos y modelos originales (versión {version})."),
                Err(e) => {
                    ctx.log(Kind::Error, format!("Restauración fallida: {e}"), "");
                    format!("No se restauró nada: {e}")
                }
            };
            let _ = status.try_set(message);
            let _ = busy.try_set(false);
        });
    };

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
    let version = move || ctx.meta.with(|m| m.artifact_version.clone().unwrap_or_else(|| "—".into()));
    let seeded = move || ctx.meta.with(|m| m.seeded_at.clone().unwrap_or_else(|| "—".into()));

    view! {
        <h1>"Datos"</h1>
        <section class="card" aria-labelledby="coverage-title">
            <h2 id="coverage-title">"Meses disponibles"</h2>
            <p class="hint">
                "Un mes se puede pronosticar cuando los tres meses anteriores tienen precipitaciones, "
                "Banco Central y precio de la leche (filas del modelo)."
            </p>
            <div class="table-wrap">
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
            </div>
            <CoverageChart/>
            <p class="hint">
                "Versión de los datos publicados: " <code id="artifact-version">{version}</code>
                "; guardados en este navegador el " <span id="seeded-at">{seeded}</span> " (UTC)."
            </p>
        </section>
        <SeriesExplorer/>
        <UploadSection/>
        <BatchesSection/>
        <ExportSection/>
        <section class="card" aria-labelledby="reset-title">
            <h2 id="reset-title">"Restaurar los datos originales"</h2>
            <p>"Deja las tablas y los modelos exactamente como se publicaron y descarta las cargas. El registro de interacciones se conserva."</p>
            <button id="reset" type="button" class="danger" disabled=move || busy.get()
                on:click=move |_| dialog::open(confirm)>"Restaurar datos originales…"</button>
            <p id="status" role="status" class="status">{move || status.get()}</p>
        </section>
        {confirm_dialog(confirm, Confirm {
            title_id: "confirm-reset-title",
            title: "¿Restaurar los datos originales?",
            text: "Se reemplazarán las tablas y los modelos guardados en este navegador por los publicados.",
            confirm_id: "confirm-reset",
            confirm_label: "Restaurar",
            cancel_id: "cancel-reset",
        }, reset)}
    }
}
