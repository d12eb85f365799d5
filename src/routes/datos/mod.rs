//! The data page (`#/datos`): months per table and joined, with gaps and a
//! coverage chart; the series explorer; uploads, batches and exports; reset
//! to the shipped data after a confirmation. One file per section.

pub mod batches;
pub mod coverage;
pub mod export;
pub mod reset;
pub mod series;
pub mod upload;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use batches::BatchesSection;
use coverage::CoverageSection;
use export::ExportSection;
use reset::ResetSection;
use series::SeriesExplorer;
use upload::UploadSection;

#[component]
pub fn DatosPage() -> impl IntoView {
    view! {
        <h1>"Datos"</h1>
        <CoverageSection/>
        <SeriesExplorer/>
        <UploadSection/>
        <BatchesSection/>
        <ExportSection/>
        <ResetSection/>
    }
}

/// The `<input type=file>` an event came from, emptied so that picking the
/// same file again fires `change` again.
fn file_input(ev: &leptos::ev::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target().and_then(|t| t.dyn_into().ok())
}

/// The first file picked in the input that fired `ev`.
pub fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = file_input(ev)?;
    let file = input.files().and_then(|l| l.get(0));
    input.set_value("");
    file
}

/// Every file picked in the input that fired `ev`.
pub fn picked_files(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    let Some(input) = file_input(ev) else { return Vec::new() };
    let files = input.files().map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default();
    input.set_value("");
    files
}

/// The id suffix of a source's buttons (`export-milk-price`).
fn source_id(s: leche_core::Source) -> &'static str {
    match s {
        leche_core::Source::Rainfall => "rainfall",
        leche_core::Source::CentralBank => "central-bank",
        leche_core::Source::MilkPrice => "milk-price",
    }
}
