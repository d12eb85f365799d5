//! The data page (`#/datos`): months per table and joined, with gaps and a
//! coverage chart; the series explorer; months typed or pasted («Agregar
//! meses»), uploads, batches and exports; reset
//! to the shipped data after a confirmation. One file per section.

mod add_months;
mod examined;
pub mod batches;
pub mod coverage;
pub mod export;
pub mod reset;
pub mod series;
pub mod upload;

use leptos::prelude::*;

use add_months::AddMonthsSection;
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
        <AddMonthsSection/>
        <UploadSection/>
        <BatchesSection/>
        <ExportSection/>
        <ResetSection/>
    }
}
