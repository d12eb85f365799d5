//! The uploads made in this browser — how many, and one tap away the list —
//! each undoable after a confirmation.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::view::batch_text::{months_written, when};
use crate::view::format::count;
use crate::components::dialog::{self, confirm_dialog, Confirm};
use crate::components::disclosure::more;
use crate::components::scroll_table::scroll_region;
use crate::components::task::Tasks;
use crate::session::Session;

#[component]
pub fn BatchesSection() -> impl IntoView {
    let session = Session::get();
    let tasks = Tasks::here();
    let status = RwSignal::new(String::new());
    let target = StoredValue::new(None::<u32>);
    let confirm: NodeRef<Dialog> = NodeRef::new();
    let undo = move || {
        let Some(key) = target.get_value() else { return };
        tasks.spawn(async move {
            status.set(match session.undo(key).await {
                Ok(()) => "Carga deshecha: los datos quedaron como antes de ella.".into(),
                Err(e) => format!("No se deshizo nada: {e}"),
            });
        });
    };
    let rows = move || {
        session
            .batches()
            .get()
            .into_iter()
            .rev()
            .map(|(key, b)| {
                let action = if b.undone {
                    view! { <span>"Deshecha"</span> }.into_any()
                } else {
                    view! {
                        <button type="button" class="secondary undo" on:click=move |_| {
                            target.set_value(Some(key));
                            dialog::open(confirm);
                        }>"Deshacer"</button>
                    }
                    .into_any()
                };
                view! {
                    <tr data-batch=key.to_string() data-undone=b.undone.to_string()>
                        <td class="date">{when(&b)}</td>
                        <td>{b.files.join(", ")}</td>
                        // A line per table, kept whole: «2020-10» would break at its hyphen in a narrow column.
                        <td>{months_written(&b).into_iter().map(|line| view! { <span class="months">{line}</span> }).collect_view()}</td>
                        <td>{action}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="batches-title">
            <h2 id="batches-title">"Cargas"</h2>
            {move || match session.batches().with(Vec::len) {
                0 => view! { <p class="hint" id="no-batches">"Todavía no hay cargas en este navegador."</p> }.into_any(),
                n => view! {
                    <p id="batches-summary">{if n == 1 { "Una carga en este navegador.".to_string() } else { format!("{} cargas en este navegador.", count(n)) }}</p>
                    {more("Ver las cargas y deshacerlas", scroll_region("Cargas guardadas en este navegador", view! {
                        <table id="batches">
                            <thead><tr><th scope="col">"Cuándo (UTC)"</th><th scope="col">"Archivos"</th><th scope="col">"Meses escritos"</th><th scope="col">"Acción"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }))}
                }.into_any(),
            }}
            <p id="batch-status" role="status" class="status">{move || status.get()}</p>
        </section>
        {confirm_dialog(confirm, Confirm {
            title_id: "confirm-undo-title",
            title: "¿Deshacer esta carga?",
            text: "Cada mes que escribió vuelve exactamente a como estaba antes.",
            confirm_id: "confirm-undo",
            confirm_label: "Deshacer",
            cancel_id: "cancel-undo",
        }, undo)}
    }
}
