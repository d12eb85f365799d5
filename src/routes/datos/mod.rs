//! The data page (`#/datos`): months per table and joined, with gaps and a
//! coverage chart; months typed or pasted («Agregar meses») and uploads, the
//! main actions, open; the batches; the series explorer; exports; reset to
//! the shipped data after a confirmation. One file per section; every
//! section but the two main actions shows a line and keeps the rest one
//! tap away, so on a phone the page is a few screens tall (issue 31).

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
        <AddMonthsSection/>
        <UploadSection/>
        <BatchesSection/>
        <SeriesExplorer/>
        <ExportSection/>
        <ResetSection/>
    }
}
