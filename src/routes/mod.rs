//! One module per page: predict (`#/`), data (`#/datos`, with its upload,
//! batches and export sections in `cargar`), logs (`#/registros`).

pub mod cargar;
pub mod datos;
pub mod predict;
pub mod price_chart;
pub mod registros;
