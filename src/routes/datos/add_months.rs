//! «Agregar meses»: recent prices without a file (issue 20). A small grid
//! (month, price) for a few months and a box for what people copy from a
//! spreadsheet, a PDF bulletin or a web table — lines, or a bulletin's
//! table copied whole with its titles (issue 30). "Revisar" previews every
//! line — new, already stored, a revision, left out or refused with why —
//! and shows the upload's own report ([`Examined`], with the pasted tables'
//! series to choose among): "Insertar" writes it as one batch through
//! exactly the upload path, undoable from the list of uploads.
//!
//! Only the milk price: the recommended model needs nothing else, and a
//! pasted grid of rainfall or Central Bank columns has no header to say
//! which cell is which column (see `leche_core::data::paste`).

use leptos::prelude::*;

use super::examined::{examined_view, Examined, Ids};
use crate::browser::location;
use crate::components::disclosure::more;
use crate::components::scroll_table::scroll_region;
use crate::session::{Persist, Session};
use crate::view::freshness::ADD_PARAM;
use crate::view::format::clp;
use crate::view::paste_preview::{LinePreview, LineState};

/// This card's ids (the report's, the status line's; see [`Ids`]).
const IDS: Ids = Ids {
    report: "add-report",
    refused: "add-refused",
    summary: "add-summary",
    replace: "add-replace-revisions",
    insert: "add-insert",
    cancel: "add-cancel",
    status: "add-status",
    series: "add-series",
    retrain: "add-retrain-suggestion",
    confirm_title: "add-confirm-replace-title",
    confirm: "add-confirm-replace",
    confirm_cancel: "add-cancel-replace",
};

/// Grid rows shown at first; "Otra fila" adds more.
const GRID_ROWS: usize = 3;

/// The card: grid, paste box, the line-by-line preview and the report.
#[component]
pub fn AddMonthsSection() -> impl IntoView {
    let session = Session::get();
    let ex = Examined::new();
    // Planned against the stored tables: not before the first visit has written them.
    let stored = Signal::derive(move || session.persist().with(|p| *p == Persist::Saved));
    let text = RwSignal::new(String::new());
    let grid: RwSignal<Vec<(RwSignal<String>, RwSignal<String>)>> =
        RwSignal::new((0..GRID_ROWS).map(|_| (RwSignal::new(String::new()), RwSignal::new(String::new()))).collect());
    let preview = RwSignal::new(Vec::<LinePreview>::new());
    // The series of the pasted tables the user chose; a new review starts from the default.
    let review_as = move |choice: Option<usize>| {
        let rows: Vec<(String, String)> = grid.with_untracked(|g| g.iter().map(|(m, p)| (m.get_untracked(), p.get_untracked())).collect());
        let (prepared, lines) = session.examine_typed(&text.get_untracked(), &rows, choice);
        ex.show(vec![leche_core::data::paste::PASTE_NAME.to_string()], prepared);
        preview.set(lines);
    };
    let review = move |_| review_as(None);
    let on_choose = move |_file: String, series: usize| review_as(Some(series));
    let add_row = move |_| grid.update(|g| g.push((RwSignal::new(String::new()), RwSignal::new(String::new()))));
    // The home page's "data are old" notice links here (`#/datos?agregar`): the card takes the focus.
    let first_month: NodeRef<leptos::html::Input> = NodeRef::new();
    Effect::new(move |_| {
        if let (Some(input), true) = (first_month.get(), location::hash().contains(ADD_PARAM)) {
            input.scroll_into_view();
            // Focus only helps; a refusal changes nothing.
            let _ = input.focus();
        }
    });
    view! {
        <section class="card" aria-labelledby="add-months-title" id="add-months">
            <h2 id="add-months-title">"Agregar meses"</h2>
            <p class="hint">
                "Los precios recientes de la leche, sin archivo: escríbalos en la cuadrícula o pegue lo copiado de una planilla, "
                "un boletín o una tabla web, líneas de mes y precio o la tabla del boletín entera, con sus títulos y notas. "
                "Nada se guarda antes de «Insertar»."
            </p>
            {more("Qué se puede pegar", view! {
                <p class="hint">
                    "Una línea por mes, con el mes y el precio separados por tabulación, punto y coma o espacios: meses como 2022-01, "
                    "01/2022, ene-2022 o enero de 2022; precios con coma o punto decimal (1.234,5 o $ 345,67). O la tabla de un boletín "
                    "copiada entera: meses por años (con el año en curso marcado, 2026**), o año, mes y una columna por región; se lee "
                    "la columna nacional de la tabla nominal, y las filas de promedio, variación, títulos y notas se omiten. "
                    "Se revisa con las mismas reglas que una carga de archivos."
                </p>
            })}
            <table class="grid-input" id="add-grid">
                <thead><tr><th scope="col">"Mes"</th><th scope="col">"Precio (CLP/litro)"</th></tr></thead>
                <tbody>
                    {move || grid.get().into_iter().enumerate().map(|(i, (month, price))| {
                        let node = if i == 0 { first_month } else { NodeRef::new() };
                        view! {
                        <tr>
                            <td><input node_ref=node type="text" class="grid-month" aria-label=format!("Mes, fila {}", i + 1) placeholder="2022-01"
                                autocomplete="off" spellcheck="false" prop:value=move || month.get() on:input=move |ev| month.set(event_target_value(&ev)) /></td>
                            <td><input type="text" class="grid-price" aria-label=format!("Precio, fila {}", i + 1) placeholder="345,67"
                                inputmode="decimal" autocomplete="off" prop:value=move || price.get() on:input=move |ev| price.set(event_target_value(&ev)) /></td>
                        </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="actions">
                <button id="add-grid-row" type="button" class="secondary" on:click=add_row>"Otra fila"</button>
            </div>
            <label for="paste-box">"O pegue varias líneas"</label>
            <textarea id="paste-box" rows="6" spellcheck="false" placeholder="2022-01\t345,67\nfeb-2022\t350,1"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="actions">
                <button id="add-review" type="button" on:click=review disabled=move || !stored.get()>"Revisar"</button>
            </div>
            {move || preview_summary(&preview.get())}
            {examined_view(ex, IDS, on_choose)}
            {move || preview_table(&preview.get())}
        </section>
    }
}

/// How many lines are new, stored, revised, refused or left out.
fn preview_summary(lines: &[LinePreview]) -> Option<impl IntoView> {
    if lines.is_empty() {
        return None;
    }
    let count = |f: fn(&LineState) -> bool| lines.iter().filter(|l| f(&l.state)).count();
    let omitted = match count(|s| matches!(s, LineState::Omitted(_))) {
        0 => String::new(),
        1 => " Una línea omitida (encabezado, título, nota o resumen).".to_string(),
        n => format!(" {n} líneas omitidas (encabezados, títulos, notas o resúmenes)."),
    };
    let summary = format!(
        "{} nuevos, {} ya guardados, {} revisiones, {} rechazados.{omitted}",
        count(|s| *s == LineState::New),
        count(|s| *s == LineState::Same),
        count(|s| matches!(s, LineState::Revision { .. })),
        count(|s| matches!(s, LineState::Refused(_)))
    );
    Some(view! { <p id="add-preview-summary">{summary}</p> })
}

/// Every line typed or pasted and what it would become, one tap away (open
/// when a line was refused: that is what the user must see and fix).
fn preview_table(lines: &[LinePreview]) -> Option<impl IntoView> {
    if lines.is_empty() {
        return None;
    }
    let refused = lines.iter().any(|l| matches!(l.state, LineState::Refused(_)));
    let rows = lines
        .iter()
        .map(|l| {
            let (class, state) = match &l.state {
                LineState::Omitted(why) => ("omitted", why.clone()),
                LineState::New => ("new", "nuevo".to_string()),
                LineState::Same => ("same", "ya guardado con el mismo precio".to_string()),
                LineState::Revision { stored } => {
                    ("revision", format!("revisión: guardado {}; se conserva salvo que marque «reemplazar»", clp(*stored)))
                }
                LineState::Refused(why) => ("refused", format!("rechazado: {why}")),
            };
            let month = l.month.map(|m| m.to_string()).unwrap_or_default();
            let price = l.price.map(clp).unwrap_or_default();
            view! {
                <tr class=class data-state=class data-month=month.clone()>
                    <th scope="row">{l.place.clone()}</th>
                    <td class="month">{month.clone()}</td>
                    <td class="num">{price}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <details id="add-preview" open=refused>
            <summary>{format!("Cada línea y qué pasará con ella ({})", lines.len())}</summary>
            {scroll_region("Meses por agregar y qué pasará con cada uno", view! {
                <table id="add-preview-table">
                    <thead><tr><th scope="col">"Dónde"</th><th scope="col">"Mes"</th><th scope="col" class="num">"Precio"</th><th scope="col">"Qué pasará"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            })}
        </details>
    })
}
