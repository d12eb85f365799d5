//! Pieces every page uses: the one chart component ([`line_chart`]), the
//! confirmation dialog ([`dialog`]), the file input in the page's words
//! ([`file_picker`]), the scrolling wide tables ([`scroll_table`]), the
//! longer parts kept closed ([`disclosure`]),
//! async work that ends with its component ([`task`]), and the first
//! paint's nodes taken over by the home page's card ([`snapshot`]).

pub mod dialog;
pub mod disclosure;
pub mod file_picker;
pub mod line_chart;
pub mod scroll_table;
pub mod snapshot;
pub mod task;
