//! Reading one raw CSV file into a cleaned table, with the original
//! service's cleaning rules (SPEC §3) and a full account of what was dropped.
//!
//! Nothing here panics on any input: every cell is checked, and problems are
//! collected (not thrown at the first one) so a report can list them. A
//! hostile file can hold a million bad rows: past [`MAX_DETAILS`] only the
//! counts grow, so memory and the report stay bounded.
//!
//! Row rules, in order: a row with more non-empty cells than the header is
//! unreadable; the key (date, period, year and month) is read; rows with an
//! empty used cell, a month after the current month (one month of grace) or
//! a month already seen are skipped; values are read (an unreadable one
//! refuses the upload); a value outside its column's physical bounds
//! ([`crate::data::bounds`]) skips the row.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::data::bounds::ValueProblem;
use crate::data::month::{Month, MonthError};
use crate::data::numbers::{decode_index, decode_integer, NumberError, Notation};
use crate::data::row::{LineCounter, Row};
use crate::data::source::{CentralBankRule, Source, CENTRAL_BANK_PERIOD, MILK_MONTH, MILK_YEAR, RAINFALL_DATE};
use crate::data::tables::Rows;

/// Uploads above this size are refused before reading (SPEC §6).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Longest cell text echoed back in a report; hostile or huge cells are cut.
const MAX_ECHO_CHARS: usize = 40;

/// How many skipped rows and unreadable cells a file keeps in detail; past
/// this only the totals count (a 60 MB file can hold a million bad rows).
pub const MAX_DETAILS: usize = 1_000;

/// What pandas reads as a missing value by default; the original dropped such rows.
const MISSING_MARKERS: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
    "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// A whole file refused: nothing from any file of the upload is written.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum FileError {
    #[error("{file}: pesa {bytes} bytes, más que el límite de {limit} bytes")]
    TooLarge { file: String, bytes: usize, limit: usize },
    #[error("{file}: no es un archivo de texto (CSV)")]
    NotText { file: String },
    #[error("{file}: el archivo está vacío")]
    Empty { file: String },
    #[error("{file}: solo tiene encabezado, ninguna fila de datos")]
    HeaderOnly { file: String },
    #[error(
        "{file}: encabezado no reconocido ({header}); se espera `date` (precipitaciones), `Periodo` (Banco Central) o `Anio` y `Mes` (precio de la leche)"
    )]
    Unrecognised { file: String, header: String },
    #[error("{file}: faltan columnas de {source_label}: {}", missing.join(", "))]
    MissingColumns { file: String, source_label: String, missing: Vec<String> },
    /// `row` is `None` only when the reader gives no position.
    #[error("{file}{}: CSV mal formado: {message}", row.map(|r| format!(", {r}")).unwrap_or_default())]
    Malformed { file: String, row: Option<Row>, message: String },
}

/// Why a cell makes the whole upload write nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellProblem {
    NotANumber,
    NotFinite,
    CentralBankRule,
    NegativeRainfall,
    PriceNotPositive,
    BadYear,
    UnknownMonthName,
    /// The row has more non-empty cells than the header has names: a value
    /// was probably written with a decimal comma in a comma-separated file
    /// (`2021,Mar,254,7`), and reading the first part alone would store a
    /// wrong number.
    ExtraCells { header: usize },
}

impl From<NumberError> for CellProblem {
    fn from(e: NumberError) -> CellProblem {
        match e {
            NumberError::NotANumber => CellProblem::NotANumber,
            NumberError::NotFinite => CellProblem::NotFinite,
            NumberError::CentralBankRule => CellProblem::CentralBankRule,
        }
    }
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CellProblem::NotANumber => "no es un número",
            CellProblem::NotFinite => "número no finito o demasiado grande",
            CellProblem::CentralBankRule => "la regla de lectura del Banco Central no puede leer este número",
            CellProblem::NegativeRainfall => "precipitación negativa",
            CellProblem::PriceNotPositive => "el precio debe ser mayor que 0",
            CellProblem::BadYear => "año ilegible (se espera AAAA)",
            CellProblem::UnknownMonthName => "mes desconocido (se espera Ene, Feb, …, Dic)",
            CellProblem::ExtraCells { header } => {
                return write!(
                    f,
                    "la fila tiene más celdas que las {header} columnas del encabezado (¿un decimal escrito con coma en un archivo separado por comas? use punto decimal o separe con punto y coma)"
                )
            }
        })
    }
}

/// One unreadable cell, located as a spreadsheet would show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellIssue {
    pub file: String,
    /// See [`Row`]: the header is «fila 1».
    pub row: Row,
    pub column: String,
    /// The cell text, cut to a few dozen characters.
    pub value: String,
    pub problem: CellProblem,
}

impl fmt::Display for CellIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}, columna {}: «{}»: {}", self.file, self.row, self.column, self.value, self.problem)
    }
}

/// Why a row was left out, as the original cleaning would (and, past the
/// original, for values no column can hold and months not yet observed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SkipReason {
    /// The date or period is not a real date (`2020-13-01`).
    NotADate { value: String },
    /// A used cell is empty.
    Missing { column: String },
    /// The month already appeared in this file, at `first_row`.
    Repeated { first_row: Row },
    /// A value outside its column's physical bounds (SPEC §6).
    OutOfBounds { column: String, value: String, problem: ValueProblem },
    /// The month is after `latest`, the last month that can have been
    /// observed (the current month plus one month of grace).
    Future { latest: Month },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkippedRow {
    pub row: Row,
    pub month: Option<Month>,
    pub reason: SkipReason,
}

impl fmt::Display for SkippedRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.row)?;
        if let Some(m) = self.month {
            write!(f, " ({m})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NotADate { value } => write!(f, "«{value}» no es una fecha real"),
            SkipReason::Missing { column } => write!(f, "celda vacía en {column}"),
            SkipReason::Repeated { first_row } => write!(f, "mes repetido (se conserva la {first_row})"),
            SkipReason::OutOfBounds { column, value, problem } => write!(f, "{column} = «{value}»: {problem}"),
            SkipReason::Future { latest } => {
                write!(f, "mes futuro; lo último que puede estar observado es {latest} (el mes actual y uno de gracia)")
            }
        }
    }
}

/// One file read and cleaned.
#[derive(Clone, Debug, PartialEq)]
pub struct CleanFile {
    pub file: String,
    pub source: Source,
    /// Data rows in the file (not counting the header).
    pub rows_read: u64,
    /// Cleaned rows by month, in the stored column order of `source`.
    pub rows: Rows,
    /// The row each kept month came from, for reports.
    pub row_of: BTreeMap<Month, Row>,
    /// The first [`MAX_DETAILS`] skipped rows, of `skipped_total`.
    pub skipped: Vec<SkippedRow>,
    pub skipped_total: u64,
    /// The first [`MAX_DETAILS`] unreadable cells, of `rejected_total`;
    /// when there is any, the upload must write nothing.
    pub rejected: Vec<CellIssue>,
    pub rejected_total: u64,
}

/// Read and clean one CSV file. `today` is the current month (the library
/// has no clock: the browser passes its own): months after the next one
/// cannot have been observed and are skipped.
///
/// ```
/// use leche_core::{data::clean::read_file, Month};
/// let today = Month::new(2026, 11).unwrap();
/// let f = read_file("p.csv", b"Anio,Mes,Precio_leche\n2020,Ene,250.5\n2999,Ene,250\n", today).unwrap();
/// assert_eq!((f.rows.len(), f.skipped_total), (1, 1));
/// ```
///
/// Accepts UTF-8 with or without BOM (other 8-bit text is read as Latin-1),
/// CRLF, quoted fields, extra columns, and for rainfall and milk price the
/// spreadsheet dialect with `;` separators and decimal commas.
pub fn read_file(file: &str, bytes: &[u8], today: Month) -> Result<CleanFile, FileError> {
    let file = echo(file);
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge { file, bytes: bytes.len(), limit: MAX_FILE_BYTES });
    }
    let text = decode_text(bytes).ok_or_else(|| FileError::NotText { file: file.clone() })?;
    if text.trim().is_empty() {
        return Err(FileError::Empty { file });
    }
    let first_line = text.lines().next().unwrap_or("");
    let semicolon = first_line.contains(';') && !first_line.contains(',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if semicolon { b';' } else { b',' })
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(&text);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| FileError::Malformed {
            file: file.clone(),
            row: e.position().map(|p| lines.record_at(p.byte())),
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let source = Source::recognise(&header).ok_or_else(|| FileError::Unrecognised {
        file: file.clone(),
        header: echo(&header.join(",")),
    })?;
    let position = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<String> =
        source.required_columns().into_iter().filter(|c| position(c).is_none()).map(String::from).collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns { file, source_label: source.label().to_string(), missing });
    }
    let value_columns: Vec<(usize, &'static str)> = source
        .raw_columns()
        .into_iter()
        .map(|c| (position(c).unwrap_or_default(), c))
        .collect();
    let notation = if semicolon && source != Source::CentralBank { Notation::Comma } else { Notation::Point };
    let mut cleaner = Cleaner::new(file, source, notation, today);
    for record in reader.records() {
        let record = record.map_err(|e| FileError::Malformed {
            file: cleaner.out.file.clone(),
            row: e.position().map(|p| lines.record_at(p.byte())),
            message: e.to_string(),
        })?;
        // Every record read from a reader has a position; the fallback
        // only keeps this total.
        let row = record.position().map_or(Row::FIRST, |p| lines.record_at(p.byte()));
        let cell = |name: &str| position(name).and_then(|i| record.get(i)).unwrap_or("").trim();
        cleaner.out.rows_read += 1;
        let key = match source {
            Source::Rainfall => KeyCells::Date(cell(RAINFALL_DATE)),
            Source::CentralBank => KeyCells::Period(cell(CENTRAL_BANK_PERIOD)),
            Source::MilkPrice => KeyCells::YearMonth(cell(MILK_YEAR), cell(MILK_MONTH)),
        };
        if !cleaner.extra_cells(row, &record, header.len()) {
            cleaner.row(row, key, &record, &value_columns);
        }
    }
    if cleaner.out.rows_read == 0 {
        return Err(FileError::HeaderOnly { file: cleaner.out.file });
    }
    Ok(cleaner.finish())
}

/// UTF-8 (BOM stripped), else Latin-1 for 8-bit text; `None` for binary data.
pub(crate) fn decode_text(bytes: &[u8]) -> Option<String> {
    let is_binary = |c: char| c == '\0' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.strip_prefix('\u{feff}').unwrap_or(s).to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    };
    if text.chars().any(is_binary) {
        None
    } else {
        Some(text)
    }
}

/// A cell text safe to echo in a report: trimmed and cut.
pub fn echo(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() > MAX_ECHO_CHARS {
        let cut: String = t.chars().take(MAX_ECHO_CHARS).collect();
        format!("{cut}…")
    } else {
        t.to_string()
    }
}

enum KeyCells<'a> {
    Date(&'a str),
    Period(&'a str),
    YearMonth(&'a str, &'a str),
}

/// Applies the row rules in the original order for each source: to the
/// rows of a file ([`read_file`]) and to pasted lines ([`crate::data::paste`]),
/// so both meet the same bounds, future-month rule and messages.
pub(crate) struct Cleaner {
    out: CleanFile,
    notation: Notation,
    /// The first row of each month seen. Central Bank months are recorded
    /// as soon as the period is read, including rows later dropped for
    /// missing cells: the original de-duplicated before dropping them.
    first_row: BTreeMap<Month, Row>,
    /// The last month that can have been observed.
    latest: Month,
}

impl Cleaner {
    /// `today` is the current month: the last month that can have been
    /// observed is the next one (one month of grace, for a bulletin
    /// published early).
    pub(crate) fn new(file: String, source: Source, notation: Notation, today: Month) -> Cleaner {
        Cleaner {
            out: CleanFile {
                file,
                source,
                rows_read: 0,
                rows: Rows::new(),
                row_of: BTreeMap::new(),
                skipped: Vec::new(),
                skipped_total: 0,
                rejected: Vec::new(),
                rejected_total: 0,
            },
            notation,
            first_row: BTreeMap::new(),
            latest: today.next(),
        }
    }

    /// Counts one data row read (the report's «filas leídas»).
    pub(crate) fn count_row(&mut self) {
        self.out.rows_read += 1;
    }

    pub(crate) fn finish(self) -> CleanFile {
        self.out
    }

    fn skip(&mut self, row: Row, month: Option<Month>, reason: SkipReason) {
        self.out.skipped_total += 1;
        if self.out.skipped.len() < MAX_DETAILS {
            self.out.skipped.push(SkippedRow { row, month, reason });
        }
    }

    fn reject(&mut self, row: Row, column: &str, value: &str, problem: CellProblem) {
        self.out.rejected_total += 1;
        if self.out.rejected.len() < MAX_DETAILS {
            self.out.rejected.push(CellIssue {
                file: self.out.file.clone(),
                row,
                column: echo(column),
                value: echo(value),
                problem,
            });
        }
    }

    /// Whether the record has more non-empty cells than the header's
    /// `header_len` names (then it is rejected, unread).
    fn extra_cells(&mut self, row: Row, record: &csv::StringRecord, header_len: usize) -> bool {
        // Regression (issue 15): `2021,Mar,254,7` was read as 254.0.
        let extra: Vec<&str> = record.iter().skip(header_len).map(str::trim).filter(|c| !c.is_empty()).collect();
        if extra.is_empty() {
            return false;
        }
        let column = format!("columna {}", header_len + 1);
        self.reject(row, &column, &extra.join(","), CellProblem::ExtraCells { header: header_len });
        true
    }

    /// A file's row: its key cells give the month, `value_columns` (index,
    /// name) the value cells.
    fn row(&mut self, row: Row, key: KeyCells<'_>, record: &csv::StringRecord, value_columns: &[(usize, &'static str)]) {
        let month = match key {
            KeyCells::Date(date) => {
                if is_missing(date) {
                    return self.skip(row, None, SkipReason::Missing { column: RAINFALL_DATE.into() });
                }
                match Month::from_date(date) {
                    Ok(m) => m,
                    Err(_) => return self.skip(row, None, SkipReason::NotADate { value: echo(date) }),
                }
            }
            KeyCells::Period(period) => {
                // The original kept the first 10 characters of `Periodo` as the date.
                let date: String = period.chars().take(10).collect();
                let Ok(m) = Month::from_date(&date) else {
                    return self.skip(row, None, SkipReason::NotADate { value: echo(period) });
                };
                if let Some(&first_row) = self.first_row.get(&m) {
                    return self.skip(row, Some(m), SkipReason::Repeated { first_row });
                }
                self.first_row.insert(m, row);
                m
            }
            KeyCells::YearMonth(year, name) => {
                if is_missing(year) {
                    return self.skip(row, None, SkipReason::Missing { column: MILK_YEAR.into() });
                }
                if is_missing(name) {
                    return self.skip(row, None, SkipReason::Missing { column: MILK_MONTH.into() });
                }
                let y = parse_year(year);
                let mn = Month::spanish_month_number(name);
                if y.is_none() {
                    self.reject(row, MILK_YEAR, year, CellProblem::BadYear);
                }
                if let Err(MonthError::UnknownMonthName(_)) = mn {
                    self.reject(row, MILK_MONTH, name, CellProblem::UnknownMonthName);
                }
                match (y, mn) {
                    (Some(y), Ok(mn)) => match Month::new(y, mn) {
                        Some(m) => m,
                        None => return self.reject(row, MILK_YEAR, year, CellProblem::BadYear),
                    },
                    _ => return,
                }
            }
        };
        let cells: Vec<(&'static str, &str)> =
            value_columns.iter().map(|&(i, name)| (name, record.get(i).unwrap_or("").trim())).collect();
        self.values(row, month, &cells);
    }

    /// The rules after the month is known, for `cells` (column name, text)
    /// in stored order: a missing cell, a future month, a repeated month
    /// skip the row; an unreadable value rejects it; a value outside its
    /// column's bounds skips it; else the month is kept.
    pub(crate) fn values(&mut self, row: Row, month: Month, cells: &[(&'static str, &str)]) {
        if let Some((column, _)) = cells.iter().find(|(_, v)| is_missing(v)) {
            return self.skip(row, Some(month), SkipReason::Missing { column: column.to_string() });
        }
        if month > self.latest {
            return self.skip(row, Some(month), SkipReason::Future { latest: self.latest });
        }
        // A repeated month keeps the first row *that was read*: the month is
        // taken below, once its values are read and in bounds (regression,
        // issue 30: a refused first line took the month, and the good line
        // after it was skipped as a repeat of it). Central Bank months are
        // taken when the period is read (see `first_row`).
        if self.out.source != Source::CentralBank {
            if let Some(&first_row) = self.first_row.get(&month) {
                return self.skip(row, Some(month), SkipReason::Repeated { first_row });
            }
        }
        let mut values = Vec::with_capacity(cells.len());
        for (i, (column, text)) in cells.iter().enumerate() {
            match self.read_value(i, text) {
                Ok(v) => values.push(v),
                Err(problem) => self.reject(row, column, text, problem),
            }
        }
        if values.len() != cells.len() {
            return;
        }
        let source = self.out.source;
        let out_of_bounds = values.iter().enumerate().find_map(|(i, &v)| source.check_value(i, v).err().map(|p| (i, p)));
        if let Some((i, problem)) = out_of_bounds {
            let (column, text) = cells.get(i).copied().unwrap_or_default();
            let reason = SkipReason::OutOfBounds { column: column.to_string(), value: echo(text), problem };
            return self.skip(row, Some(month), reason);
        }
        self.first_row.entry(month).or_insert(row);
        self.out.rows.insert(month, values);
        self.out.row_of.insert(month, row);
    }

    fn read_value(&self, column: usize, text: &str) -> Result<f64, CellProblem> {
        match self.out.source {
            Source::CentralBank => Ok(match Source::central_bank_rule(column) {
                CentralBankRule::Integer => decode_integer(text)?,
                CentralBankRule::Index => decode_index(text)?,
            }),
            Source::Rainfall => {
                let v = self.notation.read(text)?;
                if v < 0.0 {
                    Err(CellProblem::NegativeRainfall)
                } else {
                    Ok(v)
                }
            }
            Source::MilkPrice => {
                let v = self.notation.read(text)?;
                if v <= 0.0 {
                    Err(CellProblem::PriceNotPositive)
                } else {
                    Ok(v)
                }
            }
        }
    }
}

fn is_missing(cell: &str) -> bool {
    MISSING_MARKERS.contains(&cell.trim())
}

fn parse_year(text: &str) -> Option<i32> {
    let t = text.trim();
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::numbers::parse_float;

    fn today() -> Month {
        "2026-11".parse().expect("month")
    }

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    const RAIN_HEADER: &str = "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios";

    fn bank_file(pib: &str, imacec: &str) -> String {
        let header: Vec<&str> = Source::CentralBank.raw_columns();
        let mut cells = vec![pib.to_string(); 28];
        cells.extend(std::iter::repeat_n(imacec.to_string(), 10));
        format!("Periodo,{}\n2020-05-01 00:00:00 UTC,{}\n", header.join(","), cells.join(","))
    }

    /// Every message that names a row gives the line the test wrote the
    /// row on, whatever the line endings, with blank lines counted.
    #[test]
    fn rows_are_the_lines_the_values_are_on() {
        for newline in ["\n", "\r\n", "\r"] {
            // Line 1 header, 2 a price, 3 blank, 4 a bad cell, 5 a future
            // month, 6 the month of line 2 again, 7 an out-of-bounds price.
            let lines = ["Anio,Mes,Precio_leche", "2020,Ene,250", "", "2020,Feb,abc", "2999,Ene,250", "2020,Ene,251", "2020,Mar,1e17"];
            let text = lines.join(newline) + newline;
            let f = read_file("leche.csv", text.as_bytes(), today()).expect("readable");
            let cell = f.rejected[0].to_string();
            assert!(cell.starts_with("leche.csv, fila 4, columna Precio_leche: «abc»"), "{newline:?}: {cell}");
            let skipped: Vec<String> = f.skipped.iter().map(ToString::to_string).collect();
            assert!(skipped[0].starts_with("fila 5 (2999-01): mes futuro"), "{newline:?}: {skipped:?}");
            assert_eq!(skipped[1], "fila 6 (2020-01): mes repetido (se conserva la fila 2)", "{newline:?}");
            assert!(skipped[2].starts_with("fila 7 (2020-03): Precio_leche"), "{newline:?}: {skipped:?}");
            assert_eq!(f.row_of.get(&m("2020-01")), Some(&Row::line(2)));
        }
        // A Central Bank period repeated on line 3 names line 2 (CRLF file).
        let bank = bank_file("5.691.837", "102.796");
        let lines: Vec<&str> = bank.lines().collect();
        let text = format!("{}\r\n{}\r\n{}\r\n", lines[0], lines[1], lines[1]);
        let f = read_file("bc.csv", text.as_bytes(), today()).expect("readable");
        assert_eq!(f.skipped[0].to_string(), "fila 3 (2020-05): mes repetido (se conserva la fila 2)");
    }

    #[test]
    fn a_malformed_file_names_its_row_like_every_other_message() {
        // The reader is flexible and reads decoded text, so no input found
        // so far makes it fail; the message still uses the one numbering.
        let e = FileError::Malformed { file: "a.csv".into(), row: Some(Row::line(4)), message: "x".into() };
        assert_eq!(e.to_string(), "a.csv, fila 4: CSV mal formado: x");
        let e = FileError::Malformed { file: "a.csv".into(), row: None, message: "x".into() };
        assert_eq!(e.to_string(), "a.csv: CSV mal formado: x");
    }

    #[test]
    fn floats_are_plain_and_finite() {
        assert_eq!(parse_float("1,5", true), Ok(1.5));
        assert_eq!(parse_float(" 2.25 ", false), Ok(2.25));
        for bad in ["inf", "NaN", "1,5", "abc", "<b>1</b>", "-", "."] {
            assert!(parse_float(bad, false).is_err(), "{bad}");
        }
        assert_eq!(parse_float(&format!("1{}", "0".repeat(400)), false), Err(NumberError::NotFinite));
    }

    #[test]
    fn rainfall_drops_missing_then_repeated_keeping_first() {
        let csv = "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n\
                   2020-01-01,1,2,3,4,5,6,7,8\n\
                   2020-01-01,9,9,9,9,9,9,9,9\n\
                   2020-02-30,1,2,3,4,5,6,7,8\n\
                   2020-03-01,,2,3,4,5,6,7,8\n\
                   2020-03-01,1,1,1,1,1,1,1,1\n";
        let f = read_file("p.csv", csv.as_bytes(), today()).expect("valid file");
        assert_eq!(f.rows.len(), 2);
        let jan: Month = "2020-01".parse().expect("month");
        let mar: Month = "2020-03".parse().expect("month");
        assert_eq!(f.rows[&jan][0], 1.0);
        // The missing row is dropped before de-duplication, so the second March row is kept.
        assert_eq!(f.rows[&mar][0], 1.0);
        assert_eq!(f.skipped.len(), 3);
        assert_eq!(f.skipped[0].reason, SkipReason::Repeated { first_row: Row::line(2) });
        assert!(matches!(f.skipped[1].reason, SkipReason::NotADate { .. }));
    }

    #[test]
    fn semicolon_dialect_with_decimal_comma_and_bom() {
        let csv = "\u{feff}Anio;Mes;Precio_leche\r\n2020;Ene;250,5\r\n";
        let f = read_file("p.csv", csv.as_bytes(), today()).expect("valid file");
        assert_eq!(f.rows.values().next(), Some(&vec![250.5]));
    }

    #[test]
    fn bad_cells_are_listed_with_row_and_column() {
        let csv = "Anio,Mes,Precio_leche\n2020,Ene,abc\n20x0,Feb,1\n2020,Foo,1\n2020,Abr,-3\n";
        let f = read_file("leche.csv", csv.as_bytes(), today()).expect("readable file");
        let got: Vec<(u64, &str, CellProblem)> =
            f.rejected.iter().map(|c| (c.row.number(), c.column.as_str(), c.problem.clone())).collect();
        assert_eq!(
            got,
            vec![
                (2, "Precio_leche", CellProblem::NotANumber),
                (3, "Anio", CellProblem::BadYear),
                (4, "Mes", CellProblem::UnknownMonthName),
                (5, "Precio_leche", CellProblem::PriceNotPositive),
            ]
        );
    }

    #[test]
    fn a_row_with_more_cells_than_the_header_is_unreadable() {
        // Regression (issue 15): `2021,Mar,254,7` (a decimal comma) was read as 254.0.
        let f = read_file("leche.csv", b"Anio,Mes,Precio_leche\n2021,Mar,254,7\n2021,Feb,250\n", today()).expect("readable");
        assert_eq!(f.rejected.len(), 1);
        let c = &f.rejected[0];
        assert_eq!((c.row, c.column.as_str(), c.value.as_str()), (Row::line(2), "columna 4", "7"));
        assert_eq!(c.problem, CellProblem::ExtraCells { header: 3 });
        assert!(c.to_string().contains("coma"), "{c}");
        // Trailing empty cells (a spreadsheet's extra separator) lose nothing.
        let f = read_file("leche.csv", b"Anio,Mes,Precio_leche\n2021,Mar,254.7,,\n", today()).expect("readable");
        assert!(f.rejected.is_empty());
        assert_eq!(f.rows.get(&m("2021-03")), Some(&vec![254.7]));
    }

    #[test]
    fn an_imacec_starting_with_zero_is_refused_not_read_as_five() {
        // Regression (issue 15): "0.5" was read as 5.0 (see `decode_index`).
        assert_eq!(decode_index("0.5"), Err(NumberError::CentralBankRule));
        assert_eq!(decode_index("05.123.456"), Err(NumberError::CentralBankRule));
        let f = read_file("bc.csv", bank_file("5.691.837", "0.5").as_bytes(), today()).expect("readable");
        assert_eq!(f.rejected_total, 10);
        assert_eq!(f.rejected[0].column, "Imacec_empalmado");
        assert!(f.rows.is_empty());
    }

    #[test]
    fn a_pib_the_export_cannot_write_is_skipped() {
        // Regression (issue 15): a PIB of 9e15 was read but could not be written back.
        let f = read_file("bc.csv", bank_file("9000000000000000", "102.796").as_bytes(), today()).expect("readable");
        assert!(f.rows.is_empty() && f.rejected.is_empty());
        assert!(matches!(&f.skipped[0].reason, SkipReason::OutOfBounds { column, .. } if column == "PIB_Agropecuario_silvicola"));
        let f = read_file("bc.csv", bank_file("5.691.837", "102.796").as_bytes(), today()).expect("readable");
        assert_eq!(f.rows.len(), 1);
    }

    #[test]
    fn values_outside_physical_bounds_skip_the_row() {
        // Regressions (issue 15): accepted before because finite / "> 0".
        let rain = format!("{RAIN_HEADER}\n2020-01-01,1.7976931348623157e308,1,1,1,1,1,1,1\n2020-02-01,-0.0,1,1,1,1,1,1,1\n2020-03-01,2000,1,1,1,1,1,1,0\n");
        let f = read_file("lluvia.csv", rain.as_bytes(), today()).expect("readable");
        assert_eq!(f.rows.keys().copied().collect::<Vec<_>>(), vec![m("2020-03")]);
        let reasons: Vec<String> = f.skipped.iter().map(ToString::to_string).collect();
        assert!(reasons[0].contains("fila 2") && reasons[0].contains("Coquimbo") && reasons[0].contains("2.000 mm"), "{reasons:?}");
        assert!(reasons[1].contains("-0"), "{reasons:?}");
        let f = read_file("leche.csv", b"Anio,Mes,Precio_leche\n2020,Ene,5e-324\n2020,Feb,1e17\n2020,Mar,0.5\n2020,Abr,1\n", today()).expect("readable");
        assert_eq!((f.rows.len(), f.skipped_total, f.rejected_total), (1, 3, 0));
    }

    #[test]
    fn months_after_the_next_one_cannot_have_been_observed() {
        // Regression (issue 15): a price for 2999-01 was inserted (flagged).
        let f = read_file("leche.csv", b"Anio,Mes,Precio_leche\n2999,Ene,250\n2026,Dic,250\n2027,Ene,250\n", today()).expect("readable");
        assert_eq!(f.rows.keys().copied().collect::<Vec<_>>(), vec![m("2026-12")], "one month of grace");
        assert_eq!(f.skipped[0].reason, SkipReason::Future { latest: m("2026-12") });
        assert!(f.skipped[0].to_string().contains("2026-12"), "{}", f.skipped[0]);
    }

    #[test]
    fn details_stop_at_the_cap_but_totals_count_every_row() {
        let mut text = String::from("Anio,Mes,Precio_leche\n");
        for y in 3000..3200 {
            for name in SPANISH_MONTHS_FOR_TEST {
                text.push_str(&format!("{y},{name},250\n{y},{name},abc\n"));
            }
        }
        let f = read_file("futuro.csv", text.as_bytes(), today()).expect("readable");
        assert_eq!((f.rows_read, f.skipped_total), (4_800, 4_800));
        assert_eq!(f.skipped.len(), MAX_DETAILS);
        assert!(f.rows.is_empty() && f.rejected.is_empty());
    }

    const SPANISH_MONTHS_FOR_TEST: [&str; 12] = crate::data::month::SPANISH_MONTHS;

    #[test]
    fn whole_file_rejections() {
        assert!(matches!(read_file("a", b"", today()), Err(FileError::Empty { .. })));
        assert!(matches!(read_file("a", b"Anio,Mes,Precio_leche\n", today()), Err(FileError::HeaderOnly { .. })));
        assert!(matches!(read_file("a", b"\x00\x01\x02PK", today()), Err(FileError::NotText { .. })));
        assert!(matches!(read_file("a", b"x,y\n1,2\n", today()), Err(FileError::Unrecognised { .. })));
        match read_file("a", b"Anio,Mes\n2020,Ene\n", today()) {
            Err(FileError::MissingColumns { missing, .. }) => assert_eq!(missing, vec!["Precio_leche"]),
            other => panic!("expected missing columns, got {other:?}"),
        }
    }
}
