//! Reading one raw CSV file into a cleaned table, with the original
//! service's cleaning rules (SPEC §3) and a full account of what was dropped.
//!
//! Nothing here panics on any input: every cell is checked, and problems are
//! collected (not thrown at the first one) so a report can list them all.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::month::{Month, MonthError};
use crate::source::{CentralBankRule, Source, CENTRAL_BANK_PERIOD, MILK_MONTH, MILK_YEAR, RAINFALL_DATE};
use crate::tables::Rows;

/// Uploads above this size are refused before reading (SPEC §6).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Longest cell text echoed back in a report; hostile or huge cells are cut.
const MAX_ECHO_CHARS: usize = 40;

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
    #[error("{file}, fila {row}: CSV mal formado: {message}")]
    Malformed { file: String, row: u64, message: String },
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
        })
    }
}

/// One unreadable cell, located as a spreadsheet would show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellIssue {
    pub file: String,
    /// Spreadsheet row: the header is row 1.
    pub row: u64,
    pub column: String,
    /// The cell text, cut to a few dozen characters.
    pub value: String,
    pub problem: CellProblem,
}

impl fmt::Display for CellIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, fila {}, columna {}: «{}»: {}", self.file, self.row, self.column, self.value, self.problem)
    }
}

/// Why a row was left out, as the original cleaning would.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SkipReason {
    /// The date or period is not a real date (`2020-13-01`).
    NotADate { value: String },
    /// A used cell is empty.
    Missing { column: String },
    /// The month already appeared in this file, at `first_row`.
    Repeated { first_row: u64 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRow {
    pub row: u64,
    pub month: Option<Month>,
    pub reason: SkipReason,
}

impl fmt::Display for SkippedRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fila {}", self.row)?;
        if let Some(m) = self.month {
            write!(f, " ({m})")?;
        }
        match &self.reason {
            SkipReason::NotADate { value } => write!(f, ": «{value}» no es una fecha real"),
            SkipReason::Missing { column } => write!(f, ": celda vacía en {column}"),
            SkipReason::Repeated { first_row } => write!(f, ": mes repetido (se conserva la fila {first_row})"),
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
    /// The spreadsheet row each kept month came from, for reports.
    pub row_of: BTreeMap<Month, u64>,
    pub skipped: Vec<SkippedRow>,
    /// Unreadable cells; when not empty the upload must write nothing.
    pub rejected: Vec<CellIssue>,
}

/// Read and clean one CSV file.
///
/// ```
/// use leche_core::clean::read_file;
/// let f = read_file("p.csv", b"Anio,Mes,Precio_leche\n2020,Ene,250.5\n").unwrap();
/// assert_eq!(f.rows.len(), 1);
/// ```
///
/// Accepts UTF-8 with or without BOM (other 8-bit text is read as Latin-1),
/// CRLF, quoted fields, extra columns, and for rainfall and milk price the
/// spreadsheet dialect with `;` separators and decimal commas.
pub fn read_file(file: &str, bytes: &[u8]) -> Result<CleanFile, FileError> {
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
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| FileError::Malformed { file: file.clone(), row: 1, message: e.to_string() })?
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
    let decimal_comma = semicolon && source != Source::CentralBank;
    let mut cleaner = Cleaner::new(file, source, value_columns, decimal_comma);
    for record in reader.records() {
        let record = record.map_err(|e| FileError::Malformed {
            file: cleaner.out.file.clone(),
            row: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let row = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| position(name).and_then(|i| record.get(i)).unwrap_or("").trim();
        cleaner.out.rows_read += 1;
        let key = match source {
            Source::Rainfall => KeyCells::Date(cell(RAINFALL_DATE)),
            Source::CentralBank => KeyCells::Period(cell(CENTRAL_BANK_PERIOD)),
            Source::MilkPrice => KeyCells::YearMonth(cell(MILK_YEAR), cell(MILK_MONTH)),
        };
        cleaner.row(row, key, &record);
    }
    if cleaner.out.rows_read == 0 {
        return Err(FileError::HeaderOnly { file: cleaner.out.file });
    }
    Ok(cleaner.out)
}

/// UTF-8 (BOM stripped), else Latin-1 for 8-bit text; `None` for binary data.
fn decode_text(bytes: &[u8]) -> Option<String> {
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

/// Applies the row rules in the original order for each source.
struct Cleaner {
    out: CleanFile,
    value_columns: Vec<(usize, &'static str)>,
    decimal_comma: bool,
    first_row: BTreeMap<Month, u64>,
    /// Central Bank months already seen, including rows later dropped for
    /// missing cells: the original de-duplicated before dropping them.
    seen_periods: HashSet<Month>,
}

impl Cleaner {
    fn new(file: String, source: Source, value_columns: Vec<(usize, &'static str)>, decimal_comma: bool) -> Cleaner {
        Cleaner {
            out: CleanFile {
                file,
                source,
                rows_read: 0,
                rows: Rows::new(),
                row_of: BTreeMap::new(),
                skipped: Vec::new(),
                rejected: Vec::new(),
            },
            value_columns,
            decimal_comma,
            first_row: BTreeMap::new(),
            seen_periods: HashSet::new(),
        }
    }

    fn skip(&mut self, row: u64, month: Option<Month>, reason: SkipReason) {
        self.out.skipped.push(SkippedRow { row, month, reason });
    }

    fn reject(&mut self, row: u64, column: &str, value: &str, problem: CellProblem) {
        self.out.rejected.push(CellIssue {
            file: self.out.file.clone(),
            row,
            column: echo(column),
            value: echo(value),
            problem,
        });
    }

    fn row(&mut self, row: u64, key: KeyCells<'_>, record: &csv::StringRecord) {
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
                if !self.seen_periods.insert(m) {
                    let first_row = self.first_row.get(&m).copied().unwrap_or_default();
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
            self.value_columns.iter().map(|&(i, name)| (name, record.get(i).unwrap_or("").trim())).collect();
        if let Some((column, _)) = cells.iter().find(|(_, v)| is_missing(v)) {
            return self.skip(row, Some(month), SkipReason::Missing { column: column.to_string() });
        }
        if self.out.source != Source::CentralBank {
            if let Some(&first_row) = self.first_row.get(&month) {
                return self.skip(row, Some(month), SkipReason::Repeated { first_row });
            }
            self.first_row.insert(month, row);
        }
        let mut values = Vec::with_capacity(cells.len());
        for (i, (column, text)) in cells.iter().enumerate() {
            match self.read_value(i, text) {
                Ok(v) => values.push(v),
                Err(problem) => self.reject(row, column, text, problem),
            }
        }
        if values.len() == cells.len() {
            self.out.rows.insert(month, values);
            self.out.row_of.insert(month, row);
        }
    }

    fn read_value(&self, column: usize, text: &str) -> Result<f64, CellProblem> {
        match self.out.source {
            Source::CentralBank => match Source::central_bank_rule(column) {
                CentralBankRule::Integer => decode_integer(text),
                CentralBankRule::Index => decode_index(text),
            },
            Source::Rainfall => {
                let v = parse_float(text, self.decimal_comma)?;
                if v < 0.0 {
                    Err(CellProblem::NegativeRainfall)
                } else {
                    Ok(v)
                }
            }
            Source::MilkPrice => {
                let v = parse_float(text, self.decimal_comma)?;
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

/// A plain decimal number: optional sign, digits, optional fraction and exponent.
/// Rejects the words Rust would accept (`inf`, `NaN`) and anything non-finite.
pub fn parse_float(text: &str, decimal_comma: bool) -> Result<f64, CellProblem> {
    let t = text.trim();
    let t = if decimal_comma { t.replacen(',', ".", 1) } else { t.to_string() };
    let plain = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !plain || !t.bytes().any(|b| b.is_ascii_digit()) {
        return Err(CellProblem::NotANumber);
    }
    let v: f64 = t.parse().map_err(|_| CellProblem::NotANumber)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CellProblem::NotFinite)
    }
}

/// `PIB*` columns: every `.` is a mangled thousands separator; the rest is an integer.
///
/// ```
/// assert_eq!(leche_core::clean::decode_integer("5.691.837"), Ok(5691837.0));
/// ```
pub fn decode_integer(text: &str) -> Result<f64, crate::clean::CellProblem> {
    let digits: String = text.trim().chars().filter(|&c| c != '.').collect();
    let body = digits.strip_prefix('-').unwrap_or(&digits);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CellProblem::NotANumber);
    }
    // Integers past 2^53 lose exactness as f64; past i64 they are not data.
    let v: i64 = digits.parse().map_err(|_| CellProblem::NotFinite)?;
    Ok(v as f64)
}

/// `Imacec*` and the retail-sales index: the original's `to_100` rule, which
/// assumes values between 10 and 200 and puts the decimal point back.
///
/// ```
/// use leche_core::clean::decode_index;
/// assert_eq!(decode_index("102.796.218"), Ok(102.796));
/// assert_eq!(decode_index("10.546.824"), Ok(105.46));
/// assert_eq!(decode_index("978.554.365"), Ok(97.8));
/// assert_eq!(decode_index("96.133.164"), Ok(96.133));
/// ```
pub fn decode_index(text: &str) -> Result<f64, CellProblem> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(|p| digits(p)) {
        return Err(CellProblem::CentralBankRule);
    }
    let a = parts[0];
    let b = parts.get(1).copied();
    let rebuilt = if a.starts_with('1') {
        match (a.len() > 2, b) {
            (true, Some(b)) => format!("{a}.{b}"),
            (false, Some(b)) => split_at_point(&format!("{a}{b}"), 3),
            _ => return Err(CellProblem::CentralBankRule),
        }
    } else if a.len() > 2 {
        format!("{}.{}", &a[..2], &a[a.len() - 1..])
    } else {
        match b {
            Some(b) => split_at_point(&format!("{a}{b}"), 2),
            None => return Err(CellProblem::CentralBankRule),
        }
    };
    let v: f64 = rebuilt.parse().map_err(|_| CellProblem::CentralBankRule)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CellProblem::NotFinite)
    }
}

/// `digits[..at] + "." + digits[at..]`, as Python slicing does for short strings.
fn split_at_point(digits: &str, at: usize) -> String {
    let at = at.min(digits.len());
    format!("{}.{}", &digits[..at], &digits[at..])
}

/// The text an export writes for a Central Bank value so that [`decode_index`]
/// or [`decode_integer`] reads it back to the same number, if there is one.
pub fn encode_central_bank(value: f64, rule: CentralBankRule) -> Option<String> {
    let text = match rule {
        CentralBankRule::Integer if value.fract() == 0.0 && value.abs() < 9.0e15 => format!("{}", value as i64),
        CentralBankRule::Integer => return None,
        // Debug formatting always keeps a decimal point (`97.0`), which the rule needs.
        CentralBankRule::Index => format!("{value:?}"),
    };
    let back = match rule {
        CentralBankRule::Integer => decode_integer(&text),
        CentralBankRule::Index => decode_index(&text),
    };
    (back == Ok(value)).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_rule_examples_from_the_spec() {
        assert_eq!(decode_index("102.796.218"), Ok(102.796));
        assert_eq!(decode_index("10.546.824"), Ok(105.46));
        assert_eq!(decode_index("978.554.365"), Ok(97.8));
        assert_eq!(decode_index("96.133.164"), Ok(96.133));
    }

    #[test]
    fn index_rule_reads_plain_numbers_back() {
        for v in [105.46, 96.133, 97.8, 100.0, 97.0, 150.25, 20.5] {
            let text = encode_central_bank(v, CentralBankRule::Index).expect("realistic value encodes");
            assert_eq!(decode_index(&text), Ok(v), "{text}");
        }
    }

    #[test]
    fn index_rule_errors_instead_of_panicking() {
        for bad in ["", "abc", "12", "1.2.x", "..", "-96.1", "1e5.3"] {
            assert!(decode_index(bad).is_err(), "{bad}");
        }
        // 19.5 cannot survive the rule (it reads 195.0): exports must refuse it.
        assert_eq!(encode_central_bank(19.5, CentralBankRule::Index), None);
    }

    #[test]
    fn integer_rule_drops_every_dot() {
        assert_eq!(decode_integer("5.691.837"), Ok(5_691_837.0));
        assert_eq!(decode_integer("123"), Ok(123.0));
        assert!(decode_integer("12a").is_err());
        assert!(decode_integer(&"9".repeat(1_000_000)).is_err());
    }

    #[test]
    fn floats_are_plain_and_finite() {
        assert_eq!(parse_float("1,5", true), Ok(1.5));
        assert_eq!(parse_float(" 2.25 ", false), Ok(2.25));
        for bad in ["inf", "NaN", "1,5", "abc", "<b>1</b>", "-", "."] {
            assert!(parse_float(bad, false).is_err(), "{bad}");
        }
        assert_eq!(parse_float(&format!("1{}", "0".repeat(400)), false), Err(CellProblem::NotFinite));
    }

    #[test]
    fn rainfall_drops_missing_then_repeated_keeping_first() {
        let csv = "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n\
                   2020-01-01,1,2,3,4,5,6,7,8\n\
                   2020-01-01,9,9,9,9,9,9,9,9\n\
                   2020-02-30,1,2,3,4,5,6,7,8\n\
                   2020-03-01,,2,3,4,5,6,7,8\n\
                   2020-03-01,1,1,1,1,1,1,1,1\n";
        let f = read_file("p.csv", csv.as_bytes()).expect("valid file");
        assert_eq!(f.rows.len(), 2);
        let jan: Month = "2020-01".parse().expect("month");
        let mar: Month = "2020-03".parse().expect("month");
        assert_eq!(f.rows[&jan][0], 1.0);
        // The missing row is dropped before de-duplication, so the second March row is kept.
        assert_eq!(f.rows[&mar][0], 1.0);
        assert_eq!(f.skipped.len(), 3);
        assert_eq!(f.skipped[0].reason, SkipReason::Repeated { first_row: 2 });
        assert!(matches!(f.skipped[1].reason, SkipReason::NotADate { .. }));
    }

    #[test]
    fn semicolon_dialect_with_decimal_comma_and_bom() {
        let csv = "\u{feff}Anio;Mes;Precio_leche\r\n2020;Ene;250,5\r\n";
        let f = read_file("p.csv", csv.as_bytes()).expect("valid file");
        assert_eq!(f.rows.values().next(), Some(&vec![250.5]));
    }

    #[test]
    fn bad_cells_are_listed_with_row_and_column() {
        let csv = "Anio,Mes,Precio_leche\n2020,Ene,abc\n20x0,Feb,1\n2020,Foo,1\n2020,Abr,-3\n";
        let f = read_file("leche.csv", csv.as_bytes()).expect("readable file");
        let got: Vec<(u64, &str, CellProblem)> =
            f.rejected.iter().map(|c| (c.row, c.column.as_str(), c.problem.clone())).collect();
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
    fn whole_file_rejections() {
        assert!(matches!(read_file("a", b""), Err(FileError::Empty { .. })));
        assert!(matches!(read_file("a", b"Anio,Mes,Precio_leche\n"), Err(FileError::HeaderOnly { .. })));
        assert!(matches!(read_file("a", b"\x00\x01\x02PK"), Err(FileError::NotText { .. })));
        assert!(matches!(read_file("a", b"x,y\n1,2\n"), Err(FileError::Unrecognised { .. })));
        match read_file("a", b"Anio,Mes\n2020,Ene\n") {
            Err(FileError::MissingColumns { missing, .. }) => assert_eq!(missing, vec!["Precio_leche"]),
            other => panic!("expected missing columns, got {other:?}"),
        }
    }
}
