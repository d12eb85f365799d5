//! Pieces every page uses: the one chart component ([`line_chart`]), the
//! confirmation dialog ([`dialog`]), the scrolling wide tables
//! ([`scroll_table`]), the longer parts kept closed ([`disclosure`]), and
//! async work that ends with its component ([`task`]).

pub mod dialog;
pub mod disclosure;
pub mod line_chart;
pub mod scroll_table;
pub mod task;
