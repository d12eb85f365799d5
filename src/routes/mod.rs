//! One module per page: predict (`#/`), data (`#/datos`, with its upload,
//! batches and export sections in `cargar`), the model card (`#/modelo`), logs
//! (`#/registros`); retraining (`retrain`) sits on the model page.

pub mod cargar;
pub mod coverage_chart;
pub mod datos;
pub mod modelo;
pub mod predict;
pub mod price_chart;
pub mod registros;
pub mod retrain;
pub mod series;
