//! Pieces every page uses: the one chart component ([`line_chart`]), the
//! confirmation dialog ([`dialog`]), and async work that ends with its
//! component ([`task`]).

pub mod dialog;
pub mod line_chart;
pub mod task;
