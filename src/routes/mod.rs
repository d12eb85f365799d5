//! One module per page: predict (`#/`), data (`#/datos`), logs (`#/registros`).

pub mod datos;
pub mod predict;
pub mod registros;
