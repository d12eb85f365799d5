//! Months added without a file: text pasted from a spreadsheet, a PDF
//! bulletin or a web table, one month per line, read into the same
//! [`CleanFile`] a CSV upload gives, so it goes through exactly the upload
//! path ([`crate::data::upload::plan`], its report, the re-check inside the
//! write, undo, re-apply).
//!
//! Why beside [`crate::data::clean`] and not in it: a CSV file has a header that
//! names its source and columns; a paste has no fixed format (cells split by
//! a tab, a semicolon or spaces; months as `2022-01`, `01/2022`, `ene 2022`,
//! `enero de 2022`, `01-01-2022`; numbers as `$ 1.234,5`). This module only
//! reads that shape. Every rule after the month is known is
//! [`crate::data::clean`]'s own (missing cell, future month with its month of
//! grace, repeated month keeping the first, price above 0, the price's
//! physical bounds of [`crate::data::bounds`]), applied by the same code with the
//! same messages.
//!
//! **Milk price only.** A pasted line is a month and a price, what the
//! recommended model needs. Rainfall (eight regions) and the Central Bank
//! (38 columns) have no header in a paste to say which cell is which
//! column, and a grid copied from a bulletin rarely keeps the file's column
//! order: guessing would store values in the wrong column. They are
//! uploaded as files.
//!
//! **One line at a time.** Each line is read or refused on its own, with a
//! reason naming the line and the cell: the user sees it beside the text
//! and fixes it there. So a line whose price cannot be read is refused
//! alone, where a file's unreadable cell refuses the whole upload (the
//! cell's [`crate::data::clean::CellIssue`] becomes the line's reason, and the
//! [`CleanFile`] handed to the plan holds only the lines that were read).
//!
//! Ambiguity rules (each tested):
//! - cells: split at tabs when the line has one, else at semicolons, else
//!   at spaces (then the month is the first one to three words that read as
//!   a month, and the rest is the price: `enero de 2022 $ 345,67`);
//! - `01/2022` and `01-2022` are month/year; `2022/01` and `2022-01`
//!   year/month; three numbers are a date, `2022-01-01` year first, else
//!   day-month-year in the Chilean order (`01-03-2022` and `1/3/2022` are
//!   the 1st of March); a date must be real (`30-02-2022` is refused) and
//!   names its month;
//! - years have four digits (`Ene-22` is refused: 1922 or 2022?);
//! - numbers: see [`crate::data::numbers::parse_pasted`] (`1.234` is 1234,
//!   `345.67` is 345.67, `1.234,5` is 1234.5);
//! - the first non-blank line is a header, and skipped, when it has no
//!   digit (`Mes\tPrecio`);
//! - a table of months by years, as bulletins print prices, is read cell by
//!   cell ([`Grid`]): a first line, split at tabs or semicolons, whose
//!   cells after the first are distinct four-digit years (`Mes\t2024\t2025`:
//!   a line per month, `Enero\t345,6\t360,1`) or distinct month names
//!   (`Año\tEne\tFeb…`: a line per year); an empty cell is a month not
//!   published yet and skipped; a line whose first cell is no month name
//!   (or no year) is read by the rules above, so the rows of «Agregar
//!   meses»' own grid, which come after the box's lines, still read;
//! - blank lines are skipped but counted: line numbers are the user's
//!   ([`crate::data::row`]).

use std::collections::{HashMap, VecDeque};
use std::fmt;

use thiserror::Error;

use crate::data::clean::{echo, CellProblem, CleanFile, Cleaner, SkipReason};
use crate::data::month::Month;
use crate::data::numbers::Notation;
use crate::data::row::{lines, Row};
use crate::data::source::{Source, MILK_PRICE};

/// The name a paste goes by in reports and in the list of uploads.
pub const PASTE_NAME: &str = "texto pegado";

/// The largest paste read: 100 years of monthly prices take about 25 kB.
pub const MAX_PASTE_BYTES: usize = 64 * 1024;

/// The most lines a paste may have, blank ones included (83 years of months).
pub const MAX_LINES: usize = 1_000;

/// The longest line read; a month and a price take a few dozen characters.
pub const MAX_LINE_CHARS: usize = 200;

// Every refused line keeps its reason: the cleaning keeps that many details.
const _: () = assert!(MAX_LINES <= crate::data::clean::MAX_DETAILS);

/// A paste refused whole, before any line is read.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PasteError {
    #[error("no se pegó nada")]
    Empty,
    #[error("el texto pegado pesa {bytes} bytes, más que el límite de {limit} bytes")]
    TooLarge { bytes: usize, limit: usize },
    #[error("el texto pegado tiene {lines} líneas, más que el límite de {limit}")]
    TooManyLines { lines: usize, limit: usize },
    #[error("la tabla pegada tiene {cells} valores, más que el límite de {limit}")]
    TooManyCells { cells: usize, limit: usize },
}

/// Why one pasted line is not read.
#[derive(Clone, Debug, PartialEq)]
pub enum LineProblem {
    TooLong,
    ControlCharacter,
    NotAMonth,
    TwoDigitYear,
    NotADate,
    NoPrice,
    ExtraCells { cells: usize },
    /// A line of a [`Grid`] whose first cell is not the month or year its rows need.
    NotAGridLabel { want: &'static str },
    /// A cell of a [`Grid`] past the header's last column.
    NoColumn,
    /// The price, as a file's cell would be rejected.
    Value(CellProblem),
    /// The line, as a file's row would be skipped.
    Skipped(SkipReason),
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::TooLong => write!(f, "línea de más de {MAX_LINE_CHARS} caracteres"),
            LineProblem::ControlCharacter => f.write_str("tiene caracteres de control; pegue solo texto"),
            LineProblem::NotAMonth => f.write_str("mes no válido (se espera, por ejemplo, 2022-01, 01/2022, ene-2022 o enero de 2022)"),
            LineProblem::TwoDigitYear => f.write_str("el año debe tener cuatro cifras (2022, no 22)"),
            LineProblem::NotADate => f.write_str("no es una fecha real"),
            LineProblem::NoPrice => f.write_str("falta el precio (se espera un mes y un precio por línea)"),
            LineProblem::ExtraCells { cells } => {
                write!(f, "tiene {cells} celdas; se espera un mes y un precio (solo se pega el precio de la leche)")
            }
            LineProblem::NotAGridLabel { want } => write!(f, "la tabla pegada espera aquí {want}"),
            LineProblem::NoColumn => f.write_str("está en una columna sin año ni mes en el encabezado"),
            LineProblem::Value(p) => write!(f, "{p}"),
            // A paste names lines, so the repeated month's first line is a «línea».
            LineProblem::Skipped(SkipReason::Repeated { first_row }) => {
                write!(f, "mes repetido (se conserva la línea {})", first_row.number())
            }
            LineProblem::Skipped(reason) => write!(f, "{reason}"),
        }
    }
}

/// What one non-blank pasted line became.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The first line, with no digit: column names.
    Header,
    Read { month: Month, price: f64 },
    /// `cell` is the text the reason is about, cut for echoing.
    Refused { cell: String, problem: LineProblem },
}

/// One non-blank line of the paste and its outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct PastedLine {
    /// The user's line: the first pasted line is line 1.
    pub row: Row,
    /// In a [`Grid`], the header of the cell's column (`2024`, `Ene`).
    pub column: Option<String>,
    pub outcome: Outcome,
}

impl PastedLine {
    /// «, 2024» after the line's name when the value is a table's cell, else nothing.
    pub fn in_column(&self) -> String {
        self.column.as_ref().map(|c| format!(", {c}")).unwrap_or_default()
    }
}

impl fmt::Display for PastedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = format!("{}{}", self.row.number(), self.in_column());
        match &self.outcome {
            Outcome::Header => write!(f, "línea {line}: encabezado, se omite"),
            Outcome::Read { month, price } => write!(f, "línea {line}: {month}, {}", crate::data::locale::number(*price, 2)),
            Outcome::Refused { cell, problem } => write!(f, "línea {line}: «{cell}»: {problem}"),
        }
    }
}

/// A paste read: each line's outcome, and the lines read as an upload's
/// file, for [`crate::data::upload::plan`].
#[derive(Clone, Debug, PartialEq)]
pub struct Pasted {
    pub lines: Vec<PastedLine>,
    pub file: CleanFile,
}

impl Pasted {
    /// The refused lines.
    pub fn refused(&self) -> impl Iterator<Item = &PastedLine> {
        self.lines.iter().filter(|l| matches!(l.outcome, Outcome::Refused { .. }))
    }
}

/// Reads pasted text as milk prices. `today` is the current month, as for
/// [`crate::data::clean::read_file`] (months after the next one are refused).
///
/// ```
/// use leche_core::{data::paste::read_paste, data::upload::plan, Database, Month};
/// let today = Month::new(2026, 11).unwrap();
/// let p = read_paste("Mes\tPrecio\nene-2022\t$ 345,67\n13/2022\t300\n", today).unwrap();
/// assert_eq!(p.lines[2].to_string(), "línea 3: «13/2022»: mes no válido (se espera, por ejemplo, 2022-01, 01/2022, ene-2022 o enero de 2022)");
/// assert_eq!(plan(&Database::default(), &[p.file]).unwrap().writes(false), 1);
/// ```
pub fn read_paste(text: &str, today: Month) -> Result<Pasted, PasteError> {
    if text.len() > MAX_PASTE_BYTES {
        return Err(PasteError::TooLarge { bytes: text.len(), limit: MAX_PASTE_BYTES });
    }
    if text.trim().is_empty() {
        return Err(PasteError::Empty);
    }
    let all = lines(text);
    if all.len() > MAX_LINES {
        return Err(PasteError::TooManyLines { lines: all.len(), limit: MAX_LINES });
    }
    let mut cleaner = Cleaner::new(PASTE_NAME.to_string(), Source::MilkPrice, Notation::Pasted, today);
    let given: Vec<(Row, &str)> = all.into_iter().filter(|(_, l)| !l.trim().is_empty()).collect();
    let grid = given.first().filter(|(_, l)| unreadable(l).is_none()).and_then(|(_, l)| Grid::from_header(l));
    // Each outcome with its line and grid column; `Err` while the cleaning has it (with its month and price cell).
    let mut read: Vec<(Row, Option<String>, Result<Outcome, InCleaning>)> = Vec::new();
    let mut cells = 0;
    for (i, &(row, line)) in given.iter().enumerate() {
        let refused = |cell: &str, problem| Ok(Outcome::Refused { cell: echo(cell), problem });
        if let Some((cell, problem)) = unreadable(line) {
            read.push((row, None, refused(&cell, problem)));
        } else if i == 0 && (grid.is_some() || !line.bytes().any(|b| b.is_ascii_digit())) {
            read.push((row, None, Ok(Outcome::Header)));
        } else if let Some((g, (label, values))) = grid.as_ref().and_then(|g| Some((g, g.row(line)?))) {
            for (column, value) in values.into_iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                cells += 1;
                if cells > MAX_CELLS {
                    return Err(PasteError::TooManyCells { cells, limit: MAX_CELLS });
                }
                let Some((header, month)) = g.cell(label, column) else {
                    read.push((row, None, refused(value, LineProblem::NoColumn)));
                    continue;
                };
                cleaner.count_row();
                cleaner.values(row, month, &[(MILK_PRICE, value)]);
                read.push((row, Some(header), Err((month, value.to_string()))));
            }
        } else {
            cleaner.count_row();
            let outcome = match month_and_price(line) {
                // In a grid, a long line that is no row of it: say what its first cell should be.
                Err((_, LineProblem::ExtraCells { .. })) if let Some(g) = &grid => {
                    let first = line.split(g.separator).next().unwrap_or_default().trim();
                    refused(first, LineProblem::NotAGridLabel { want: g.label_wanted() })
                }
                Err((cell, problem)) => refused(&cell, problem),
                Ok((month, price)) => {
                    cleaner.values(row, month, &[(MILK_PRICE, price.as_str())]);
                    Err((month, price))
                }
            };
            read.push((row, None, outcome));
        }
    }
    let mut file = cleaner.finish();
    // What the cleaning did with each value it was given. A rejected price
    // refuses its line (its cell, in a grid) only: it leaves the file (see
    // the module doc). A grid's line gives several values, in order.
    let skipped: HashMap<(Row, Month), SkipReason> = file.skipped.iter().filter_map(|s| Some(((s.row, s.month?), s.reason.clone()))).collect();
    let mut rejected: HashMap<Row, VecDeque<CellProblem>> = HashMap::new();
    for c in file.rejected.drain(..) {
        rejected.entry(c.row).or_default().push_back(c.problem);
    }
    file.rejected_total = 0;
    let lines = read
        .into_iter()
        .map(|(row, column, outcome)| {
            let outcome = outcome.unwrap_or_else(|(month, price)| {
                if file.row_of.get(&month) == Some(&row) {
                    Outcome::Read { month, price: file.rows.get(&month).and_then(|v| v.first()).copied().unwrap_or_default() }
                } else if let Some(reason) = skipped.get(&(row, month)) {
                    Outcome::Refused { cell: cell_of(reason, month, &price), problem: LineProblem::Skipped(reason.clone()) }
                } else {
                    // Neither kept nor skipped: the cleaning rejected the price.
                    let problem = rejected.get_mut(&row).and_then(VecDeque::pop_front).unwrap_or(CellProblem::NotANumber);
                    Outcome::Refused { cell: echo(&price), problem: LineProblem::Value(problem) }
                }
            });
            PastedLine { row, column, outcome }
        })
        .collect();
    Ok(Pasted { lines, file })
}

/// Why a line is not read at all, with the text to echo: too long, or
/// control characters (a binary file pasted, escape codes).
fn unreadable(line: &str) -> Option<(String, LineProblem)> {
    if line.chars().count() > MAX_LINE_CHARS {
        Some((line.to_string(), LineProblem::TooLong))
    } else if line.chars().any(|c| c.is_control() && c != '\t') {
        Some((line.replace(|c: char| c.is_control(), " "), LineProblem::ControlCharacter))
    } else {
        None
    }
}

/// A value handed to the cleaning: its month and price cell, until the
/// cleaning says what became of it.
type InCleaning = (Month, String);

/// The most values a pasted table may hold (83 years of months): each
/// refused one keeps its reason, as the cleaning keeps that many details.
pub const MAX_CELLS: usize = crate::data::clean::MAX_DETAILS;

/// A table of prices by month and year, read from its first line (see the
/// module doc): the columns after the first are years, and each line a
/// month of each, or months, and each line a year.
struct Grid {
    separator: char,
    across: Across,
    /// The header of each column after the first, as written.
    headers: Vec<String>,
}

enum Across {
    Years(Vec<i32>),
    Months(Vec<u32>),
}

impl Grid {
    fn from_header(line: &str) -> Option<Grid> {
        let separator = ['\t', ';'].into_iter().find(|&s| line.contains(s))?;
        let mut cells = line.split(separator).map(str::trim);
        // A first line that starts with a month is a month and its price (`2022-01\t1999`).
        if read_month(cells.next()?).is_ok() {
            return None;
        }
        let headers: Vec<String> = cells.map(str::to_string).collect();
        let years: Option<Vec<i32>> = headers.iter().map(|h| four_digit_year(h).ok()).collect();
        let months: Option<Vec<u32>> = headers.iter().map(|h| month_name(h)).collect();
        let across = match (years, months) {
            (Some(y), _) if distinct(&y) => Across::Years(y),
            (_, Some(m)) if distinct(&m) => Across::Months(m),
            _ => return None,
        };
        Some(Grid { separator, across, headers })
    }

    /// A line of the table: its row's month (or year) and the cells after
    /// it; `None` when its first cell is not one.
    fn row<'a>(&self, line: &'a str) -> Option<(i32, Vec<&'a str>)> {
        let mut cells = line.split(self.separator).map(str::trim);
        let first = cells.next()?;
        let label = match self.across {
            Across::Years(_) => i32::try_from(month_name(first)?).ok()?,
            Across::Months(_) => four_digit_year(first).ok()?,
        };
        Some((label, cells.collect()))
    }

    /// The header and month of the cell in `column` (0 is the first after the
    /// label) of the row `label`; `None` past the header's columns.
    fn cell(&self, label: i32, column: usize) -> Option<(String, Month)> {
        let month = match &self.across {
            Across::Years(years) => Month::new(*years.get(column)?, u32::try_from(label).ok()?),
            Across::Months(months) => Month::new(label, *months.get(column)?),
        };
        Some((self.headers.get(column)?.clone(), month?))
    }

    fn label_wanted(&self) -> &'static str {
        match self.across {
            Across::Years(_) => "un mes (enero, feb, …)",
            Across::Months(_) => "un año de cuatro cifras",
        }
    }
}

/// No key twice: a column repeated would give one month two prices on a line.
fn distinct<T: Ord>(keys: &[T]) -> bool {
    keys.iter().collect::<std::collections::BTreeSet<_>>().len() == keys.len()
}

/// A month's name as a table heads it (`Enero`, `ene`, `Ene.`).
fn month_name(cell: &str) -> Option<u32> {
    Month::spanish_month_name_number(cell.trim().trim_end_matches('.')).ok()
}

/// The cell a skip reason is about: the price for a bound, else the month.
fn cell_of(reason: &SkipReason, month: Month, price: &str) -> String {
    match reason {
        SkipReason::OutOfBounds { .. } | SkipReason::Missing { .. } => echo(price),
        _ => month.to_string(),
    }
}

/// The month and the price cell of a line, or the cell that is wrong and why.
fn month_and_price(line: &str) -> Result<(Month, String), (String, LineProblem)> {
    let separator = [b'\t', b';'].into_iter().find(|&s| line.as_bytes().contains(&s));
    let cells: Vec<&str> = match separator {
        Some(s) => line.split(char::from(s)).map(str::trim).filter(|c| !c.is_empty()).collect(),
        None => Vec::new(),
    };
    match cells.as_slice() {
        [month, price] => Ok((read_month(month).map_err(|p| (month.to_string(), p))?, price.to_string())),
        [_, _, ..] => Err((line.trim().to_string(), LineProblem::ExtraCells { cells: cells.len() })),
        // No separator, or one cell: words split by spaces.
        _ => by_words(line),
    }
}

/// A line of words: the month is the first one to three words that read as
/// one (`2022-01`, `ene 2022`, `enero de 2022`), the rest is the price.
fn by_words(line: &str) -> Result<(Month, String), (String, LineProblem)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    for n in 1..=words.len().min(3) {
        if let Ok(month) = read_month(&words[..n].join(" ")) {
            return if n == words.len() { Err((words.join(" "), LineProblem::NoPrice)) } else { Ok((month, words[n..].join(" "))) };
        }
    }
    // Name the words a month was looked for in: a name and what follows
    // it before the price (`ene 22`), else the first word.
    let lead = if words.first().is_some_and(|w| w.chars().any(char::is_alphabetic)) { words.len().saturating_sub(1).clamp(1, 3) } else { 1 };
    let cell = words[..lead.min(words.len())].join(" ");
    let problem = read_month(&cell).err().unwrap_or(LineProblem::NotAMonth);
    Err((cell, problem))
}

/// A month as people write it (see the module doc's rules).
fn read_month(cell: &str) -> Result<Month, LineProblem> {
    let t = cell.trim();
    if t.chars().any(char::is_alphabetic) {
        let words: Vec<&str> = t
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '.'))
            .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("de") && !w.eq_ignore_ascii_case("del"))
            .collect();
        let [name, year] = words.as_slice() else { return Err(LineProblem::NotAMonth) };
        let number = Month::spanish_month_name_number(name).map_err(|_| LineProblem::NotAMonth)?;
        return Month::new(four_digit_year(year)?, number).ok_or(LineProblem::NotAMonth);
    }
    let separator = t.chars().find(|c| matches!(c, '-' | '/')).ok_or(LineProblem::NotAMonth)?;
    let parts: Vec<&str> = t.split(separator).collect();
    let digits = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(|p| digits(p)) {
        return Err(LineProblem::NotAMonth);
    }
    let month = |year: &str, month: &str| -> Result<Month, LineProblem> {
        let year = four_digit_year(year)?;
        format!("{year}-{month}").parse().map_err(|_| LineProblem::NotAMonth)
    };
    let date = |year: &str, month: &str, day: &str| -> Result<Month, LineProblem> {
        let year = four_digit_year(year)?;
        let (Ok(m), Ok(d)) = (month.parse::<u32>(), day.parse::<u32>()) else { return Err(LineProblem::NotADate) };
        Month::from_date(&format!("{year:04}-{m:02}-{d:02}")).map_err(|_| LineProblem::NotADate)
    };
    match parts.as_slice() {
        [y, m] if y.len() == 4 => month(y, m),
        [m, y] if m.len() <= 2 => month(y, m),
        [y, m, d] if y.len() == 4 => date(y, m, d),
        [d, m, y] if d.len() <= 2 && m.len() <= 2 => date(y, m, d),
        _ => Err(LineProblem::NotAMonth),
    }
}

fn four_digit_year(text: &str) -> Result<i32, LineProblem> {
    match text.len() {
        4 if text.bytes().all(|b| b.is_ascii_digit()) => text.parse().map_err(|_| LineProblem::NotAMonth),
        1 | 2 if text.bytes().all(|b| b.is_ascii_digit()) => Err(LineProblem::TwoDigitYear),
        _ => Err(LineProblem::NotAMonth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Month {
        Month::new(2026, 11).expect("month")
    }

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    fn outcomes(text: &str) -> Vec<String> {
        read_paste(text, today()).expect("readable paste").lines.iter().map(ToString::to_string).collect()
    }

    fn read_one(line: &str) -> Outcome {
        let p = read_paste(line, today()).expect("readable paste");
        p.lines.into_iter().next().map(|l| l.outcome).expect("one line")
    }

    #[test]
    fn every_month_format_reads_as_its_month() {
        for month in [
            "2022-01", "2022/01", "01/2022", "1/2022", "01-2022", "ene-2022", "ene 2022", "Ene-2022", "ENE/2022", "enero de 2022",
            "Enero 2022", "enero-2022", "01-01-2022", "2022-01-01", "1/1/2022", "15/01/2022",
        ] {
            for sep in ["\t", ";", " "] {
                let line = format!("{month}{sep}345,67");
                assert_eq!(read_one(&line), Outcome::Read { month: m("2022-01"), price: 345.67 }, "{line:?}");
            }
        }
        // Chilean order: day first.
        assert_eq!(read_one("01-03-2022\t300"), Outcome::Read { month: m("2022-03"), price: 300.0 });
        assert_eq!(read_one("1/3/2022\t300"), Outcome::Read { month: m("2022-03"), price: 300.0 });
    }

    #[test]
    fn every_price_format_reads_by_the_chilean_rules() {
        for (cell, price) in [("1.234,5", 1234.5), ("$ 345,67", 345.67), ("345.67", 345.67), ("345,67", 345.67), ("1234", 1234.0), ("1.234", 1234.0)] {
            for sep in ["\t", ";", " "] {
                let line = format!("2022-01{sep}{cell}");
                assert_eq!(read_one(&line), Outcome::Read { month: m("2022-01"), price }, "{line:?}");
            }
        }
        assert_eq!(read_one("enero de 2022 $ 1.234,5"), Outcome::Read { month: m("2022-01"), price: 1234.5 });
    }

    #[test]
    fn bad_months_are_refused_naming_line_and_cell() {
        let got = outcomes("2022-01\t300\n\n13/2022\t300\nEne-22\t300\n30-02-2022\t300\nTotal\t300\n2022-02\n2022-03\t1\t2\n");
        assert_eq!(got[0], "línea 1: 2022-01, 300,00");
        assert_eq!(got[1], "línea 3: «13/2022»: mes no válido (se espera, por ejemplo, 2022-01, 01/2022, ene-2022 o enero de 2022)");
        assert_eq!(got[2], "línea 4: «Ene-22»: el año debe tener cuatro cifras (2022, no 22)");
        assert_eq!(got[3], "línea 5: «30-02-2022»: no es una fecha real");
        assert!(got[4].starts_with("línea 6: «Total»: mes no válido"), "{got:?}");
        assert!(got[5].starts_with("línea 7: «2022-02»: falta el precio"), "{got:?}");
        assert!(got[6].starts_with("línea 8: «2022-03\t1\t2»: tiene 3 celdas"), "{got:?}");
        assert_eq!(outcomes("ene 22 300")[0], "línea 1: «ene 22»: el año debe tener cuatro cifras (2022, no 22)");
    }

    #[test]
    fn prices_meet_the_uploads_rules_and_messages() {
        let p = read_paste("2022-01\tdoce\n2022-02\t0\n2022-03\t$ 20.000\n2022-04\t345.670\n2999-01\t300\n2026-12\t300\n", today()).expect("readable");
        let got: Vec<String> = p.lines.iter().map(ToString::to_string).collect();
        assert_eq!(got[0], format!("línea 1: «doce»: {}", CellProblem::NotANumber));
        assert_eq!(got[1], format!("línea 2: «0»: {}", CellProblem::PriceNotPositive));
        // The bounds' own message, as an upload's skipped row says it.
        let bound = Source::MilkPrice.check_value(0, 20_000.0).expect_err("out of bounds");
        assert_eq!(got[2], format!("línea 3: «$ 20.000»: Precio_leche = «$ 20.000»: {bound}"));
        assert!(got[3].contains("fuera de los límites físicos"), "{got:?}");
        let future = SkipReason::Future { latest: m("2026-12") };
        assert_eq!(got[4], format!("línea 5: «2999-01»: {future}"));
        assert_eq!(got[5], "línea 6: 2026-12, 300,00", "one month of grace, as uploads");
        // Refused lines are not in the file handed to the plan, which is not refused whole.
        assert_eq!(p.file.rows.keys().copied().collect::<Vec<_>>(), vec![m("2026-12")]);
        assert_eq!((p.file.rejected_total, p.file.rows_read, p.refused().count()), (0, 6, 5));
    }

    #[test]
    fn a_header_is_skipped_and_a_repeat_keeps_the_first() {
        let got = outcomes("Mes\tPrecio\n2022-01\t300\n\nene 2022\t301\n");
        assert_eq!(got, vec![
            "línea 1: encabezado, se omite".to_string(),
            "línea 2: 2022-01, 300,00".to_string(),
            "línea 4: «2022-01»: mes repetido (se conserva la línea 2)".to_string(),
        ]);
        // Only the first line can be a header.
        assert!(outcomes("2022-01\t300\nMes\tPrecio\n")[1].starts_with("línea 2: «Mes»: mes no válido"));
    }

    #[test]
    fn a_table_of_months_by_years_is_read_cell_by_cell() {
        let got = outcomes("Mes\t2024\t2025\nEnero\t345,6\t360,1\nFeb.\t350\t\n\nPromedio\t347,8\t360,1\n");
        assert_eq!(got, vec![
            "línea 1: encabezado, se omite".to_string(),
            "línea 2, 2024: 2024-01, 345,60".to_string(),
            "línea 2, 2025: 2025-01, 360,10".to_string(),
            // An empty cell is a month not published yet.
            "línea 3, 2024: 2024-02, 350,00".to_string(),
            "línea 5: «Promedio»: la tabla pegada espera aquí un mes (enero, feb, …)".to_string(),
        ]);
    }

    #[test]
    fn a_table_of_years_by_months_meets_the_uploads_rules_per_cell() {
        let p = read_paste("Año;Ene;Feb;Mar\n2026;310;abc;312\n2027;320\n2024;300;301;302;303\n", today()).expect("readable");
        let got: Vec<String> = p.lines.iter().map(ToString::to_string).collect();
        assert_eq!(got[1], "línea 2, Ene: 2026-01, 310,00");
        assert_eq!(got[2], format!("línea 2, Feb: «abc»: {}", CellProblem::NotANumber));
        assert_eq!(got[3], "línea 2, Mar: 2026-03, 312,00");
        let future = SkipReason::Future { latest: m("2026-12") };
        assert_eq!(got[4], format!("línea 3, Ene: «2027-01»: {future}"));
        assert_eq!(got[8], "línea 4: «303»: está en una columna sin año ni mes en el encabezado");
        assert_eq!(p.file.rows.keys().copied().collect::<Vec<_>>(), vec![m("2024-01"), m("2024-02"), m("2024-03"), m("2026-01"), m("2026-03")]);
        assert_eq!(p.refused().count(), 3);
    }

    #[test]
    fn a_table_and_typed_lines_share_the_repeat_rule_and_a_price_is_no_header() {
        let got = outcomes("Mes\t2024\nEnero\t300\n2024-01\t301\n2024-02\t302\n");
        assert_eq!(got[2], "línea 3: «2024-01»: mes repetido (se conserva la línea 2)");
        assert_eq!(got[3], "línea 4: 2024-02, 302,00");
        // A first line that starts with a month is a price, even one that looks like a year.
        assert_eq!(outcomes("2022-01\t1999\n2022-02\t2000\n")[0], "línea 1: 2022-01, 1.999,00");
        // A repeated year is no table: its lines are read, and refused, one by one.
        assert!(outcomes("Mes\t2024\t2024\nEnero\t300\t301\n")[0].starts_with("línea 1: «Mes\t2024\t2024»: tiene 3 celdas"));
    }

    #[test]
    fn hostile_pastes_are_refused_with_their_limit() {
        let year = |y: usize| format!("{y}{}", "\t300".repeat(12));
        let table = std::iter::once("Año\tEne\tFeb\tMar\tAbr\tMay\tJun\tJul\tAgo\tSep\tOct\tNov\tDic".to_string()).chain((1900..1984).map(year)).collect::<Vec<_>>().join("\n");
        assert_eq!(read_paste(&table, today()), Err(PasteError::TooManyCells { cells: MAX_CELLS + 1, limit: MAX_CELLS }));
        let huge = "2022-01\t300\n".repeat(1_000_000);
        assert_eq!(read_paste(&huge, today()), Err(PasteError::TooLarge { bytes: huge.len(), limit: MAX_PASTE_BYTES }));
        let many = "\n".repeat(100_000) + "2022-01\t300";
        assert!(matches!(read_paste(&many, today()), Err(PasteError::TooLarge { .. })));
        let many = "1\n".repeat(MAX_LINES + 1);
        assert_eq!(read_paste(&many, today()), Err(PasteError::TooManyLines { lines: MAX_LINES + 1, limit: MAX_LINES }));
        assert_eq!(read_paste(" \n\t\n", today()), Err(PasteError::Empty));
        let long = format!("2022-01\t{}", "9".repeat(5_000));
        assert!(outcomes(&long)[0].ends_with(&format!("línea de más de {MAX_LINE_CHARS} caracteres")));
        let control = outcomes("2022-01\t3\u{0}00\n2022-02\u{1b}[31m\t300\n");
        assert!(control.iter().all(|l| l.contains("caracteres de control")), "{control:?}");
    }
}
