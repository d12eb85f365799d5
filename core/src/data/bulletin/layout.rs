//! The shapes a price table takes, told from its header row, and how each
//! shape reads a row into months and values.
//!
//! - [`Shape::Dated`]: a month per row and one value per named column
//!   (`Mes · Los Lagos · Nacional`), or, without a header, a month and a
//!   price per line as people type them;
//! - [`Shape::MonthsByYears`]: years across (`Mes · 2024 · 2025 · 2026**`),
//!   a row per month — how ODEPA prints the producer price;
//! - [`Shape::YearsByMonths`]: months across, a row per year;
//! - [`Shape::YearMonth`]: `Año · Mes · columns…`, the year written once
//!   per block (the regional tables, and the challenge's own milk file).

use super::labels::{by_words, is_summary, marked_year, month_name, normalize, read_month};
use super::LineProblem;
use crate::data::month::Month;

/// A table's shape, with the columns (cell indices) it reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// `value_cols` empty: no header, one price per line after its month.
    Dated { month_col: usize, value_cols: Vec<usize> },
    MonthsByYears { label_col: usize, years: Vec<Across<i32>> },
    YearsByMonths { label_col: usize, months: Vec<Across<u32>> },
    YearMonth { year_col: usize, month_col: usize, value_cols: Vec<usize> },
}

/// A grid's column: its cell index, its year (or month) and its header as written (`2026**`).
pub type Across<T> = (usize, T, String);

/// One cell a row gives: a month's value in a value column (`column` is its
/// index among the table's value columns; `at` the grid column's header,
/// for messages), or a cell refused.
#[derive(Clone, Debug, PartialEq)]
pub enum CellRead {
    Value { column: usize, at: Option<String>, month: Month, text: String },
    Refused { at: Option<String>, cell: String, problem: LineProblem },
}

/// What a row is to a table.
#[derive(Clone, Debug, PartialEq)]
pub enum RowRead {
    /// Its months' cells (empty cells, months not published yet, left out).
    Cells(Vec<CellRead>),
    /// A block's year alone on its row (`2021`, then its months below).
    Year,
    /// Not a row of this table.
    Foreign,
}

impl Shape {
    /// The shape `cells` head, and its value columns' names; `next` is the
    /// next non-blank row, which tells a header of named columns
    /// (`Mes · Precio`) from a title of two cells.
    pub fn from_header(cells: &[String], next: Option<&[String]>) -> Option<(Shape, Vec<String>)> {
        let text = |i: usize| cells.get(i).map_or("", |c| c.trim());
        let filled: Vec<usize> = (0..cells.len()).filter(|&i| !text(i).is_empty()).collect();
        let first = *filled.first()?;
        // Año · Mes · columns…
        if let Some(year_col) = filled.iter().copied().find(|&i| matches!(normalize(text(i)).as_str(), "ano" | "anio" | "anos" | "year")) {
            let month_col = year_col + 1;
            if matches!(normalize(text(month_col)).as_str(), "mes" | "meses" | "month") {
                let value_cols: Vec<usize> = filled.iter().copied().filter(|&i| i > month_col && !is_summary(text(i))).collect();
                if !value_cols.is_empty() {
                    let names = value_cols.iter().map(|&i| text(i).to_string()).collect();
                    return Some((Shape::YearMonth { year_col, month_col, value_cols }, names));
                }
            }
        }
        // A label column, then years (or months) across, every filled cell
        // after the label one of them; nothing left of the label.
        let across_kind = |i: usize| marked_year(text(i)).is_some() || month_name(text(i)).is_some();
        if let Some(start) = filled.iter().copied().find(|&i| across_kind(i)).filter(|&s| s > 0) {
            let label_col = start - 1;
            let across: Vec<(usize, String)> = filled.iter().copied().filter(|&i| i >= start).map(|i| (i, text(i).to_string())).collect();
            // A month in the label cell makes the row a month and its price (`2022-01 ⇥ 1999`).
            let label_ok = first >= label_col && !across_kind(label_col) && read_month(text(label_col)).is_err();
            let years: Option<Vec<Across<i32>>> = across.iter().map(|(i, h)| marked_year(h).map(|y| (*i, y, h.clone()))).collect();
            let months: Option<Vec<Across<u32>>> = across.iter().map(|(i, h)| month_name(h).map(|m| (*i, m, h.clone()))).collect();
            let span = span_of(across.iter().map(|(_, h)| h.as_str()));
            match (years, months) {
                (Some(years), _) if label_ok && distinct(years.iter().map(|p| p.1)) => {
                    return Some((Shape::MonthsByYears { label_col, years }, vec![format!("tabla de meses por años ({span})")]));
                }
                (_, Some(months)) if label_ok && distinct(months.iter().map(|p| p.1)) => {
                    return Some((Shape::YearsByMonths { label_col, months }, vec![format!("tabla de años por meses ({span})")]));
                }
                _ => {}
            }
        }
        // Named columns over rows that start with a month: no digit in the
        // names, the month in the first named column.
        let named = filled.len() >= 2 && !cells.iter().any(|c| c.bytes().any(|b| b.is_ascii_digit()));
        let next_month_col = next.and_then(|n| {
            let col = n.iter().position(|c| !c.trim().is_empty())?;
            read_month(&n[col]).ok().map(|_| col)
        });
        if named && next_month_col == Some(first) {
            let value_cols: Vec<usize> = filled.iter().copied().filter(|&i| i > first && !is_summary(text(i))).collect();
            if !value_cols.is_empty() {
                let names = value_cols.iter().map(|&i| text(i).to_string()).collect();
                return Some((Shape::Dated { month_col: first, value_cols }, names));
            }
        }
        None
    }

    /// A table with no header, begun by a line of a month and a price.
    pub fn headerless() -> Shape {
        Shape::Dated { month_col: 0, value_cols: Vec::new() }
    }

    /// How many value columns the shape reads: one for a grid or a line of
    /// a month and a price.
    pub fn value_columns(&self) -> usize {
        match self {
            Shape::Dated { value_cols, .. } | Shape::YearMonth { value_cols, .. } => value_cols.len().max(1),
            Shape::MonthsByYears { .. } | Shape::YearsByMonths { .. } => 1,
        }
    }

    /// The row `cells` as this shape reads it. `year` is the year of a
    /// [`Shape::YearMonth`] block, carried over rows that leave it empty.
    pub fn read(&self, cells: &[String], year: &mut Option<i32>) -> RowRead {
        let text = |i: usize| cells.get(i).map_or("", |c| c.trim());
        match self {
            Shape::Dated { value_cols, .. } if value_cols.is_empty() => match month_and_price(cells) {
                Ok((month, price)) => RowRead::Cells(vec![CellRead::Value { column: 0, at: None, month, text: price }]),
                Err(_) => RowRead::Foreign,
            },
            Shape::Dated { month_col, value_cols } => {
                if cells.iter().take(*month_col).any(|c| !c.trim().is_empty()) {
                    return RowRead::Foreign;
                }
                let Ok(month) = read_month(text(*month_col)) else { return RowRead::Foreign };
                month_row(cells, month, *month_col, value_cols)
            }
            Shape::MonthsByYears { label_col, years } => {
                let m = month_name(text(*label_col));
                grid_row(cells, *label_col, years, m.map(|m| move |y: i32| Month::new(y, m)))
            }
            Shape::YearsByMonths { label_col, months } => {
                let y = marked_year(text(*label_col));
                grid_row(cells, *label_col, months, y.map(|y| move |m: u32| Month::new(y, m)))
            }
            Shape::YearMonth { year_col, month_col, value_cols } => {
                let year_cell = text(*year_col);
                let month_cell = text(*month_col);
                if !year_cell.is_empty() {
                    match marked_year(year_cell) {
                        Some(y) => *year = Some(y),
                        None => return RowRead::Foreign,
                    }
                }
                let month = month_name(month_cell).or_else(|| month_cell.parse::<u32>().ok().filter(|m| (1..=12).contains(m)));
                match (month, *year) {
                    (None, Some(_)) if month_cell.is_empty() && !year_cell.is_empty() && value_cols.iter().all(|&i| text(i).is_empty()) => RowRead::Year,
                    (Some(m), Some(y)) => {
                        let Some(month) = Month::new(y, m) else { return RowRead::Foreign };
                        month_row(cells, month, *month_col, value_cols)
                    }
                    _ => RowRead::Foreign,
                }
            }
        }
    }

    /// Why a row with numbers is no row of this table: what its first cell
    /// should be.
    pub fn refusal(&self, cells: &[String]) -> (String, LineProblem) {
        let want = match self {
            Shape::Dated { value_cols, .. } if value_cols.is_empty() => {
                return month_and_price(cells).err().unwrap_or_else(|| (joined(cells), LineProblem::NotAMonth));
            }
            Shape::Dated { month_col, .. } => {
                let cell = cells.get(*month_col).map_or("", |c| c.trim());
                return (cell.to_string(), read_month(cell).err().unwrap_or(LineProblem::NotAMonth));
            }
            Shape::MonthsByYears { .. } => "un mes (enero, feb, …)",
            Shape::YearsByMonths { .. } => "un año de cuatro cifras",
            Shape::YearMonth { .. } => "un año y un mes (o solo el mes, bajo el año de su bloque)",
        };
        let first = cells.iter().map(|c| c.trim()).find(|c| !c.is_empty()).unwrap_or_default();
        (first.to_string(), LineProblem::NotATableLabel { want })
    }
}

/// A grid's row: its label (a month or a year, nothing left of it) gives
/// `month_at`, which makes each column's key the cell's month; `None` when
/// the label is no label of this grid.
/// A row that names `month` in its column `month_col`: the non-empty cells
/// of `value_cols` are the month's values, and any other cell with a value
/// right of the month is read as stray.
fn month_row(cells: &[String], month: Month, month_col: usize, value_cols: &[usize]) -> RowRead {
    let text = |i: usize| cells.get(i).map_or("", |c| c.trim());
    let mut read: Vec<CellRead> = value_cols
        .iter()
        .enumerate()
        .filter(|(_, &i)| !text(i).is_empty())
        .map(|(column, &i)| CellRead::Value { column, at: None, month, text: text(i).to_string() })
        .collect();
    read.extend(stray(cells, month_col + 1, |i| value_cols.contains(&i)));
    RowRead::Cells(read)
}

fn grid_row<K: Copy>(cells: &[String], label_col: usize, across: &[Across<K>], month_at: Option<impl Fn(K) -> Option<Month>>) -> RowRead {
    let text = |i: usize| cells.get(i).map_or("", |c| c.trim());
    let Some(month_at) = month_at.filter(|_| cells.iter().take(label_col).all(|c| c.trim().is_empty())) else {
        return RowRead::Foreign;
    };
    let mut read: Vec<CellRead> = across
        .iter()
        .filter(|(i, ..)| !text(*i).is_empty())
        .filter_map(|(i, key, at)| Some(CellRead::Value { column: 0, at: Some(at.clone()), month: month_at(*key)?, text: text(*i).to_string() }))
        .collect();
    read.extend(stray(cells, label_col + 1, |i| across.iter().any(|(c, ..)| *c == i)));
    RowRead::Cells(read)
}

/// Filled cells from `from` on that the shape has no column for (`known`
/// says which it has): refused, each with its text.
fn stray(cells: &[String], from: usize, known: impl Fn(usize) -> bool) -> Vec<CellRead> {
    (from..cells.len())
        .filter(|&i| !known(i))
        .filter_map(|i| cells.get(i).map(|c| c.trim()).filter(|c| !c.is_empty()))
        .map(|cell| CellRead::Refused { at: None, cell: cell.to_string(), problem: LineProblem::NoColumn })
        .collect()
}

/// A line of a month and a price, as people type them: two cells (split at
/// a tab or a semicolon), or words (`enero de 2022 $ 345,67`).
pub fn month_and_price(cells: &[String]) -> Result<(Month, String), (String, LineProblem)> {
    let filled: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    match filled.as_slice() {
        [month, price] => Ok((read_month(month).map_err(|p| (month.to_string(), p))?, price.to_string())),
        [_, _, ..] => Err((joined(cells), LineProblem::ExtraCells { cells: filled.len() })),
        [one] => by_words(one),
        [] => Err((String::new(), LineProblem::NotAMonth)),
    }
}

/// The row's cells as the user wrote them, tab-separated.
pub fn joined(cells: &[String]) -> String {
    cells.iter().map(|c| c.trim()).collect::<Vec<_>>().join("\t").trim().to_string()
}

/// No key twice: a column repeated would give one month two prices on a row.
fn distinct<T: Ord>(keys: impl Iterator<Item = T>) -> bool {
    let keys: Vec<T> = keys.collect();
    keys.iter().collect::<std::collections::BTreeSet<_>>().len() == keys.len()
}

/// `2019 a 2026**`: the first and last header of a grid.
fn span_of<'a>(mut headers: impl Iterator<Item = &'a str>) -> String {
    let first = headers.next().unwrap_or_default();
    match headers.last() {
        Some(last) => format!("{first} a {last}"),
        None => first.to_string(),
    }
}
