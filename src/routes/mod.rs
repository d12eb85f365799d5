//! One module per page: predict (`#/`, with its results and price chart),
//! data (`#/datos`: coverage, series explorer, upload, batches, export and
//! reset, one file per section), the model card (`#/modelo`, with
//! retraining) and the logs (`#/registros`). Pages read the [`Session`]'s
//! signals and call its verbs; what they show is computed by plain
//! functions tested natively.
//!
//! [`Session`]: crate::session::Session

pub mod datos;
pub mod modelo;
pub mod predict;
pub mod registros;
