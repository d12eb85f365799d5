//! What comes in and how it is kept: calendar months, the three sources and
//! their columns, reading a CSV file or a paste into cleaned rows (numbers
//! as the files and as Chileans write them, the physical bounds, one row
//! numbering), the database of cleaned tables, merging uploads into it as
//! batches that undo and re-apply, the one check every way in goes through,
//! the predict box's grammar and the tables written back as the challenge's
//! CSVs. Nothing here knows a model: this layer is what every other one
//! reads.

pub mod bounds;
pub mod bulletin;
pub mod check;
pub mod clean;
pub mod incoming;
pub mod locale;
pub mod month;
pub mod numbers;
pub mod original_csv;
pub mod paste;
pub mod query;
pub mod row;
pub mod sheet;
pub mod source;
pub mod tables;
pub mod upload;
pub mod workbook;
