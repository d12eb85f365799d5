//! Finding the milk price inside what a user brings, as it is published:
//! ODEPA's bulletin and the notes that quote it put a title above the
//! table, a nominal and a real table one after the other (or on two
//! sheets), the regions beside the national figure, months down and years
//! across, «Promedio» and «Var. %» rows, `2026**` for a year in progress,
//! footnotes below. One reader for every way in — a paste, a CSV file, a
//! workbook's sheets, the trainer's `add` — so a bulletin reads the same
//! whichever way it comes.
//!
//! The big picture, as pandas' `read_excel(header=…, skiprows=…)` and
//! OpenRefine's import preview do it by hand and this module does it by
//! rule: each [`Sheet`] is scanned top to bottom ([`find`]); a header row
//! starts a table ([`layout::Shape::from_header`]), as does a first line
//! of a month and a price when there is no header; rows the table reads are
//! its months; summary rows are left out; a row of words is a title or a
//! note. Every value column of every table is a [`Series`]; one is chosen
//! ([`Found::default_series`]: the national column of a table not said to
//! be real) and the user may choose another. A chosen series is read into
//! the same [`CleanFile`] a CSV upload gives ([`Found::read`]) by the
//! cleaning's own rules and messages, so the upload path (plan, report,
//! re-check, batch, undo) cannot tell where it came from.
//!
//! Only the milk price: rainfall and the Central Bank come in the
//! challenge's own layouts ([`crate::data::clean`]).

pub mod labels;
pub mod layout;

use std::collections::{HashMap, VecDeque};
use std::fmt;

use serde::{Deserialize, Serialize};

use self::labels::{is_note, is_national, is_summary, measure_of, Measure};
use self::layout::{CellRead, RowRead, Shape};
use crate::data::clean::{echo, CellProblem, CleanFile, Cleaner, SkipReason};
use crate::data::month::Month;
use crate::data::numbers::Notation;
use crate::data::row::Row;
use crate::data::sheet::{RowWord, Sheet};
use crate::data::source::{Source, MILK_PRICE};

/// The most month values one reading takes (83 years of months): each
/// refused one keeps its reason, as the cleaning keeps that many details.
pub const MAX_VALUES: usize = crate::data::clean::MAX_DETAILS;

/// Why one row (or one cell of a table's row) is not read.
#[derive(Clone, Debug, PartialEq)]
pub enum LineProblem {
    TooLong,
    ControlCharacter,
    NotAMonth,
    TwoDigitYear,
    NotADate,
    NoPrice,
    ExtraCells { cells: usize },
    /// A row with numbers in a table whose first cell is not what its rows start with.
    NotATableLabel { want: &'static str },
    /// A cell past the header's columns.
    NoColumn,
    /// The price, as a file's cell would be rejected.
    Value(CellProblem),
    /// The row, as a file's row would be skipped.
    Skipped(SkipReason),
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::TooLong => write!(f, "línea de más de {} caracteres", crate::data::paste::MAX_LINE_CHARS),
            LineProblem::ControlCharacter => f.write_str("tiene caracteres de control; pegue solo texto"),
            LineProblem::NotAMonth => f.write_str("mes no válido (se espera, por ejemplo, 2022-01, 01/2022, ene-2022 o enero de 2022)"),
            LineProblem::TwoDigitYear => f.write_str("el año debe tener cuatro cifras (2022, no 22)"),
            LineProblem::NotADate => f.write_str("no es una fecha real"),
            LineProblem::NoPrice => f.write_str("falta el precio (se espera un mes y un precio por línea)"),
            LineProblem::ExtraCells { cells } => {
                write!(f, "tiene {cells} celdas; se espera un mes y un precio, o una primera línea que nombre las columnas")
            }
            LineProblem::NotATableLabel { want } => write!(f, "la tabla espera aquí {want}"),
            LineProblem::NoColumn => f.write_str("está en una columna sin nombre, año ni mes en el encabezado"),
            LineProblem::Value(p) => write!(f, "{p}"),
            LineProblem::Skipped(reason) => write!(f, "{reason}"),
        }
    }
}

/// What a non-blank row of a sheet is, once the tables are found.
#[derive(Clone, Debug, PartialEq)]
pub enum RowKind {
    /// A table's header (column names, years or months).
    Header,
    /// A table's row of months: its cells.
    Cells(Vec<CellRead>),
    /// A block's year alone.
    Year,
    /// «Promedio», «Total», «Var. %»: never months.
    Summary,
    /// A title, a source, a footnote: words, no months.
    Note,
    /// A row with numbers that no table reads, and why.
    Refused { cell: String, problem: LineProblem },
}

/// A table found in a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub shape: Shape,
    /// Its value columns' names (a grid has one, named by its span).
    pub columns: Vec<String>,
    /// The rows from its header (or first month) to its last row, each with its kind.
    pub rows: Vec<(Row, RowKind)>,
    /// What its title, header or sheet say its prices are.
    pub measure: Measure,
}

/// A sheet's rows, and the tables among them.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadSheet {
    /// Its name in the workbook; `None` for a paste or a CSV file.
    pub name: Option<String>,
    pub rows_are: RowWord,
    pub tables: Vec<Table>,
    /// Non-blank rows outside every table (notes, summaries, refused rows).
    pub loose: Vec<(Row, RowKind)>,
}

/// Every table found in one file's (or paste's) sheets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    pub sheets: Vec<ReadSheet>,
}

/// One value column of one table: what the user chooses among.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series {
    pub sheet: usize,
    pub table: usize,
    pub column: usize,
}

/// A series as the report offers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesOption {
    /// The workbook sheet it is on (none for a CSV file or a paste): a
    /// phone's select groups the series by it and shows the rest alone.
    pub sheet: Option<String>,
    /// Which column, or which table: «columna «Nacional»».
    pub what: String,
    pub measure: Measure,
    pub national: bool,
}

impl SeriesOption {
    /// «hoja «4A nominal», columna «Nacional»».
    pub fn label(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("hoja «{sheet}», {}", self.what),
            None => self.what.clone(),
        }
    }
}

/// Finds the tables of every sheet.
pub fn find(sheets: Vec<Sheet>) -> Found {
    Found { sheets: sheets.into_iter().map(find_in).collect() }
}

/// A table while its rows are being read.
struct Building {
    table: Table,
    /// The title rows above it, nearest last.
    title: Vec<String>,
    header: Vec<String>,
    year: Option<i32>,
}

fn find_in(sheet: Sheet) -> ReadSheet {
    let filled: Vec<(Row, Vec<String>)> = sheet.rows.into_iter().filter(|(_, c)| !Sheet::is_blank(c)).collect();
    let mut tables: Vec<(Table, Vec<String>, Vec<String>)> = Vec::new();
    let mut loose = Vec::new();
    let mut titles: Vec<String> = Vec::new();
    let mut current: Option<Building> = None;
    let close = |current: &mut Option<Building>, tables: &mut Vec<(Table, Vec<String>, Vec<String>)>| {
        if let Some(b) = current.take() {
            tables.push((b.table, b.title, b.header));
        }
    };
    for (i, (row, cells)) in filled.iter().enumerate() {
        let row = *row;
        let next = filled.get(i + 1).map(|(_, c)| c.as_slice());
        if let Some((shape, columns)) = Shape::from_header(cells, next) {
            close(&mut current, &mut tables);
            let table = Table { shape, columns, rows: vec![(row, RowKind::Header)], measure: Measure::Unstated };
            current = Some(Building { table, title: std::mem::take(&mut titles), header: cells.clone(), year: None });
            continue;
        }
        if let Some(b) = current.as_mut() {
            match b.table.shape.read(cells, &mut b.year) {
                RowRead::Cells(read) => {
                    b.table.rows.push((row, RowKind::Cells(read)));
                    continue;
                }
                RowRead::Year => {
                    b.table.rows.push((row, RowKind::Year));
                    continue;
                }
                RowRead::Foreign => {}
            }
            // A month and a price typed below a one-column table add to it.
            if b.table.shape.value_columns() == 1 {
                if let RowRead::Cells(read) = Shape::headerless().read(cells, &mut None) {
                    b.table.rows.push((row, RowKind::Cells(read)));
                    continue;
                }
            }
        }
        let first = cells.iter().map(|c| c.trim()).find(|c| !c.is_empty()).unwrap_or_default();
        let kind = if is_summary(first) {
            RowKind::Summary
        } else if current.is_none() && matches!(Shape::headerless().read(cells, &mut None), RowRead::Cells(_)) {
            let RowRead::Cells(read) = Shape::headerless().read(cells, &mut None) else { continue };
            let table = Table { shape: Shape::headerless(), columns: vec!["precio".into()], rows: vec![(row, RowKind::Cells(read))], measure: Measure::Unstated };
            current = Some(Building { table, title: std::mem::take(&mut titles), header: Vec::new(), year: None });
            continue;
        } else if !cells.iter().any(|c| c.bytes().any(|b| b.is_ascii_digit())) || (cells.iter().filter(|c| !c.trim().is_empty()).count() == 1 && is_note(first)) {
            titles.push(cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" "));
            RowKind::Note
        } else {
            let (cell, problem) = match &current {
                Some(b) => b.table.shape.refusal(cells),
                None => Shape::headerless().refusal(cells),
            };
            RowKind::Refused { cell: echo(&cell), problem }
        };
        match current.as_mut() {
            // Inside a table's run of rows, its summaries and refusals are its own.
            Some(b) if !matches!(kind, RowKind::Note) => b.table.rows.push((row, kind)),
            _ => loose.push((row, kind)),
        }
    }
    close(&mut current, &mut tables);
    // A header with no month under it is no table (a file of column names
    // only): its rows are loose, so a file with nothing else is refused.
    let (tables, empty): (Vec<_>, Vec<_>) = tables.into_iter().partition(|(t, ..)| t.rows.iter().any(|(_, k)| matches!(k, RowKind::Cells(c) if c.iter().any(|c| matches!(c, CellRead::Value { .. })))));
    for (table, ..) in empty {
        loose.extend(table.rows.into_iter().map(|(row, kind)| (row, if kind == RowKind::Header { RowKind::Note } else { kind })));
    }
    loose.sort_by_key(|(row, _)| *row);
    // What each table's prices are: its own title, nearest first (not a
    // footnote of the table above), its header, then the sheet's name,
    // then the titles above the sheet's first table.
    let top: Vec<String> = tables.first().map(|t| t.1.clone()).unwrap_or_default();
    let tables = tables
        .into_iter()
        .map(|(mut table, title, header)| {
            let own = title.iter().rev().filter(|t| !t.starts_with(['*', '(', '[']));
            let measure = own
                .map(String::as_str)
                .chain(header.iter().map(String::as_str))
                .chain(sheet.name.as_deref())
                .chain(top.iter().map(String::as_str))
                .find_map(measure_of);
            table.measure = measure.unwrap_or(Measure::Unstated);
            table
        })
        .collect();
    ReadSheet { name: sheet.name, rows_are: sheet.rows_are, tables, loose }
}

impl Found {
    /// Every series, in sheet, table and column order.
    pub fn series(&self) -> Vec<Series> {
        let mut all = Vec::new();
        for (s, sheet) in self.sheets.iter().enumerate() {
            for (t, table) in sheet.tables.iter().enumerate() {
                all.extend((0..table.columns.len()).map(|column| Series { sheet: s, table: t, column }));
            }
        }
        all
    }

    fn table(&self, s: Series) -> Option<(&ReadSheet, &Table)> {
        let sheet = self.sheets.get(s.sheet)?;
        Some((sheet, sheet.tables.get(s.table)?))
    }

    /// The series taken when the user chooses none: a national column
    /// before any other, a table said to be nominal before one that says
    /// nothing, the first in order; never one said to be real, and not a
    /// column among several of which none is national (which region would
    /// it be?). `None` when no series qualifies: the user chooses.
    pub fn default_series(&self) -> Option<usize> {
        let series = self.series();
        let rank = |s: &Series| {
            let (_, table) = self.table(*s)?;
            let national = is_national(table.columns.get(s.column)?);
            let eligible = table.measure != Measure::Real && (national || table.columns.len() == 1);
            eligible.then_some((!national, table.measure != Measure::Nominal))
        };
        series.iter().enumerate().filter_map(|(i, s)| Some((rank(s)?, i))).min().map(|(_, i)| i)
    }

    /// How the report offers series `s`.
    pub fn option(&self, s: Series) -> Option<SeriesOption> {
        let (sheet, table) = self.table(s)?;
        let column = table.columns.get(s.column)?;
        let what = match table.shape {
            Shape::MonthsByYears { .. } | Shape::YearsByMonths { .. } => column.clone(),
            _ => format!("columna «{column}»"),
        };
        Some(SeriesOption { sheet: sheet.name.clone(), what, measure: table.measure, national: is_national(column) })
    }

    /// Reads series `s` (an index into [`Found::series`]) as the milk
    /// price: each of its cells through the cleaning's rules, as `file`
    /// (the name reports give it), as of `today`.
    pub fn read(&self, s: usize, file: &str, today: Month) -> Result<Reading, ReadError> {
        let all = self.series();
        let series = *all.get(s).ok_or(ReadError::NoSuchSeries { asked: s, found: all.len() })?;
        let (sheet, table) = self.table(series).ok_or(ReadError::NoSuchSeries { asked: s, found: all.len() })?;
        let mut cleaner = Cleaner::new(file.to_string(), Source::MilkPrice, Notation::Pasted, today);
        let mut values: Vec<(Row, Option<String>, Month, String)> = Vec::new();
        for (row, kind) in &table.rows {
            if let RowKind::Cells(cells) = kind {
                for cell in cells {
                    if let CellRead::Value { column, at, month, text } = cell {
                        if *column == series.column {
                            if values.len() == MAX_VALUES {
                                return Err(ReadError::TooManyValues { limit: MAX_VALUES });
                            }
                            cleaner.count_row();
                            cleaner.values(*row, *month, &[(MILK_PRICE, text.as_str())]);
                            values.push((*row, at.clone(), *month, text.clone()));
                        }
                    }
                }
            }
        }
        let mut file = cleaner.finish();
        let outcomes = outcomes(&mut file, &values);
        Ok(Reading { series, file, outcomes, rows_are: sheet.rows_are })
    }
}

/// Why a series cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("se eligió la serie {asked}, pero hay {found}")]
    NoSuchSeries { asked: usize, found: usize },
    #[error("la tabla tiene más de {limit} valores")]
    TooManyValues { limit: usize },
}

/// A series read: the cleaned file the upload plans, and what became of
/// each of its values, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub series: Series,
    pub file: CleanFile,
    pub outcomes: Vec<ValueOutcome>,
    pub rows_are: RowWord,
}

/// One value of a series and what the cleaning made of it.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueOutcome {
    pub row: Row,
    /// The grid column's header (`2024`, `Ene`).
    pub at: Option<String>,
    pub month: Month,
    /// `Ok(price)` when kept, else the value's text (cut) and why not.
    pub read: Result<f64, (String, LineProblem)>,
}

impl Reading {
    /// «filas 6–73: 68 meses, 2021-03 a 2026-10»: where the kept months are, how many, their span.
    pub fn extent(&self) -> String {
        let word = self.rows_are;
        let kept = self.outcomes.iter().filter(|o| o.read.is_ok());
        let rows: Vec<Row> = kept.clone().map(|o| o.row).collect();
        let (Some(first), Some(last)) = (rows.iter().min(), rows.iter().max()) else {
            return "ningún mes legible".to_string();
        };
        let months: Vec<Month> = kept.map(|o| o.month).collect();
        let (lo, hi) = (months.iter().min().copied(), months.iter().max().copied());
        let place = if first == last { format!("{} {}", word.singular(), first.number()) } else { format!("{} {}–{}", word.plural(), first.number(), last.number()) };
        let span = match (lo, hi) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a} a {b}"),
            _ => String::new(),
        };
        let n = months.len();
        format!("{place}: {n} {}, {span}", if n == 1 { "mes" } else { "meses" })
    }
}

/// What the cleaning did with each value it was given. A rejected price
/// refuses its value only: it leaves the file, which is not refused whole
/// (a bulletin's unreadable cell is that cell's problem; see
/// [`crate::data::paste`]).
fn outcomes(file: &mut CleanFile, values: &[(Row, Option<String>, Month, String)]) -> Vec<ValueOutcome> {
    let skipped: HashMap<(Row, Month), SkipReason> = file.skipped.iter().filter_map(|s| Some(((s.row, s.month?), s.reason.clone()))).collect();
    let mut rejected: HashMap<Row, VecDeque<CellProblem>> = HashMap::new();
    for c in file.rejected.drain(..) {
        rejected.entry(c.row).or_default().push_back(c.problem);
    }
    file.rejected_total = 0;
    values
        .iter()
        .map(|(row, at, month, text)| {
            let read = if file.row_of.get(month) == Some(row) {
                Ok(file.rows.get(month).and_then(|v| v.first()).copied().unwrap_or_default())
            } else if let Some(reason) = skipped.get(&(*row, *month)) {
                let cell = match reason {
                    SkipReason::OutOfBounds { .. } | SkipReason::Missing { .. } => echo(text),
                    _ => month.to_string(),
                };
                Err((cell, LineProblem::Skipped(reason.clone())))
            } else {
                // Neither kept nor skipped: the cleaning rejected the price.
                let problem = rejected.get_mut(row).and_then(VecDeque::pop_front).unwrap_or(CellProblem::NotANumber);
                Err((echo(text), LineProblem::Value(problem)))
            };
            ValueOutcome { row: *row, at: at.clone(), month: *month, read }
        })
        .collect()
}

#[cfg(test)]
mod tests;
