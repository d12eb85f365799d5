//! Spreadsheets (`.xlsx`, `.xls`, `.ods`: the formats the publishers'
//! downloads come in), read with `calamine` into sheets of cell texts.
//!
//! A cell becomes the text the cleaning reads back exactly: a date (an
//! Excel serial, in the workbook's 1900 or 1904 system — calamine knows
//! which) as `YYYY-MM-DD`; a number as Rust's shortest round-trip decimal,
//! written with a point for the challenge's CSV layouts and with a comma
//! for a bulletin's table, whose cells are read as Chileans write numbers
//! (where `345.123` would be thousands); text as it is.
//!
//! In the browser only the worker reads workbooks (`src/worker/`): the page
//! sends them there, so calamine is linked into the worker's module and no
//! other.

use std::io::{Cursor, Read, Seek};

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Ods, Range, Reader, Xls, Xlsx};
use thiserror::Error;

use crate::data::row::Row;
use crate::data::sheet::{RowWord, Sheet};

/// File name endings read as workbooks (lower case).
pub const EXTENSIONS: [&str; 3] = ["xlsx", "xls", "ods"];

/// The most cells a sheet may have: a century of monthly rows of the widest
/// table (the Central Bank's, ~90 columns) fits a hundred times over.
pub const MAX_CELLS: usize = 2_000_000;

/// The most a workbook's compressed parts may expand to (`.xlsx`, `.ods`
/// are zip files): a small file that claims more is refused before it is
/// inflated (a "zip bomb" would exhaust the worker's memory).
pub const MAX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;

/// Whether `name` is a workbook, by its ending: the page decides where to
/// read a file without reading it.
pub fn is_workbook(name: &str) -> bool {
    extension(name).is_some()
}

fn extension(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let ending = lower.rsplit_once('.')?.1;
    EXTENSIONS.into_iter().find(|e| *e == ending)
}

/// Why a workbook gives nothing; messages name the file.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum WorkbookError {
    #[error("{file}: la planilla está protegida con contraseña; guárdela sin contraseña y vuelva a cargarla")]
    Protected { file: String },
    #[error("{file}: no se pudo leer como planilla {kind} ({reason}); ¿está dañada o es de otro formato?")]
    Unreadable { file: String, kind: &'static str, reason: String },
    #[error("{file}: al descomprimirse ocuparía {bytes} bytes, más que el límite de {limit}")]
    Expands { file: String, bytes: u64, limit: u64 },
    #[error("{file}, hoja «{sheet}»: tiene {cells} celdas, más que el límite de {limit}")]
    TooManyCells { file: String, sheet: String, cells: usize, limit: usize },
}

/// One sheet's cells, typed as the workbook stores them, rows numbered as
/// the spreadsheet shows them (blank rows, and those above the sheet's
/// first used row, count).
pub struct RawSheet {
    pub name: String,
    rows: Vec<(Row, Vec<Data>)>,
}

/// How a number is written as text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Decimals {
    /// `345.6`: the challenge's CSV layouts.
    Point,
    /// `345,6`: read as Chilean text (see the module doc).
    Comma,
}

impl RawSheet {
    /// The sheet as cell texts. `dates` are the column indices whose
    /// whole numbers are 1900-system serial dates (Excel's "General"
    /// format on a date); with `first_cell_dates`, so is a whole number in
    /// a row's first filled cell when it falls in 1950–2099 (a month
    /// column written as numbers): a year or a price never does.
    pub fn sheet(&self, decimals: Decimals, dates: &[usize], first_cell_dates: bool) -> Sheet {
        let rows = self
            .rows
            .iter()
            .map(|(row, cells)| {
                let first = cells.iter().position(|c| !matches!(c, Data::Empty));
                let texts = cells
                    .iter()
                    .enumerate()
                    .map(|(i, cell)| {
                        let text = cell_text(cell, decimals);
                        let serial = dates.contains(&i) || (first_cell_dates && first == Some(i) && whole_in(cell, 18_264.0..=73_050.0));
                        if serial && matches!(cell, Data::Float(_) | Data::Int(_)) {
                            serial_as_date(cell_number(cell)).unwrap_or(text)
                        } else {
                            text
                        }
                    })
                    .collect();
                (*row, texts)
            })
            .collect();
        Sheet { name: Some(self.name.clone()), rows, rows_are: RowWord::Row }
    }

    /// The first non-blank row's texts (where a challenge header would be).
    pub fn first_row(&self) -> Vec<String> {
        self.rows.iter().map(|(_, c)| c.iter().map(|d| cell_text(d, Decimals::Point)).collect::<Vec<_>>()).find(|c| !Sheet::is_blank(c)).unwrap_or_default()
    }
}

/// Every sheet of the workbook `file` (its bytes), or why none can be read.
pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<RawSheet>, WorkbookError> {
    let kind = extension(file).unwrap_or("xlsx");
    let sheets = match kind {
        "xls" => sheets::<Xls<_>>(file, bytes, kind)?,
        "ods" => {
            check_expansion(file, bytes)?;
            sheets::<Ods<_>>(file, bytes, kind)?
        }
        _ => {
            check_expansion(file, bytes)?;
            sheets::<Xlsx<_>>(file, bytes, kind)?
        }
    };
    sheets
        .into_iter()
        .map(|(name, range)| {
            let (height, width) = range.get_size();
            let cells = height.saturating_mul(width);
            if cells > MAX_CELLS {
                return Err(WorkbookError::TooManyCells { file: file.into(), sheet: name, cells, limit: MAX_CELLS });
            }
            let above = range.start().map_or(0, |(row, _)| u64::from(row));
            let rows = range.rows().enumerate().map(|(i, r)| (Row::line(above + i as u64 + 1), r.to_vec())).collect();
            Ok(RawSheet { name, rows })
        })
        .collect()
}

/// Every sheet with its cells, or why the workbook cannot be read.
fn sheets<W>(file: &str, bytes: &[u8], kind: &'static str) -> Result<Vec<(String, Range<Data>)>, WorkbookError>
where
    W: Reader<Cursor<Vec<u8>>>,
    W::Error: std::fmt::Display,
{
    let unreadable = |e: &dyn std::fmt::Display| {
        let reason = e.to_string();
        if reason.contains("password") {
            WorkbookError::Protected { file: file.into() }
        } else {
            WorkbookError::Unreadable { file: file.into(), kind, reason }
        }
    };
    let mut book: W = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| unreadable(&e))?;
    book.sheet_names().into_iter().map(|name| Ok((name.clone(), book.worksheet_range(&name).map_err(|e| unreadable(&e))?))).collect()
}

/// Refuses a zip whose parts declare more than [`MAX_EXPANDED_BYTES`].
fn check_expansion(file: &str, bytes: &[u8]) -> Result<(), WorkbookError> {
    let total = zip_declared_size(Cursor::new(bytes)).unwrap_or(0);
    if total > MAX_EXPANDED_BYTES {
        return Err(WorkbookError::Expands { file: file.into(), bytes: total, limit: MAX_EXPANDED_BYTES });
    }
    Ok(())
}

/// The uncompressed sizes a zip's central directory declares, summed; `None`
/// when it is no zip (calamine then says why it cannot read it).
fn zip_declared_size(mut r: impl Read + Seek) -> Option<u64> {
    // End of central directory: the last 22 bytes (plus a comment of up to 64 KiB).
    let len = r.seek(std::io::SeekFrom::End(0)).ok()?;
    let tail_len = len.min(22 + 65_535);
    r.seek(std::io::SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0; usize::try_from(tail_len).ok()?];
    r.read_exact(&mut tail).ok()?;
    let eocd = tail.windows(4).rposition(|w| w == [0x50, 0x4b, 0x05, 0x06])?;
    let field = |at: usize, n: usize| tail.get(eocd + at..eocd + at + n);
    let u16_at = |at| field(at, 2).map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])));
    let u32_at = |b: &[u8], at: usize| b.get(at..at + 4).map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
    let entries = u16_at(10)?;
    let dir_size = field(12, 4).and_then(|b| u32_at(b, 0))?;
    let dir_start = field(16, 4).and_then(|b| u32_at(b, 0))?;
    r.seek(std::io::SeekFrom::Start(dir_start)).ok()?;
    let mut dir = vec![0; usize::try_from(dir_size).ok()?.min(usize::try_from(len).ok()?)];
    r.read_exact(&mut dir).ok()?;
    let (mut at, mut total) = (0usize, 0u64);
    for _ in 0..entries {
        if dir.get(at..at + 4)? != [0x50, 0x4b, 0x01, 0x02] {
            return Some(total);
        }
        total = total.saturating_add(u32_at(&dir, at + 24)?);
        let name = usize::from(u16::try_from(u32_at(&dir, at + 28)? & 0xffff).ok()?);
        let extra = usize::from(u16::try_from(u32_at(&dir, at + 30)? & 0xffff).ok()?);
        let comment = usize::from(u16::try_from(u32_at(&dir, at + 32)? & 0xffff).ok()?);
        at = at.checked_add(46 + name + extra + comment)?;
    }
    Some(total)
}

/// A cell as the text the cleaning reads.
fn cell_text(cell: &Data, decimals: Decimals) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f, decimals),
        Data::DateTime(d) if d.is_datetime() => date_text(d),
        Data::DateTime(d) => number_text(d.as_f64(), decimals),
    }
}

fn cell_number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => f64::NAN,
    }
}

fn whole_in(cell: &Data, range: std::ops::RangeInclusive<f64>) -> bool {
    let f = cell_number(cell);
    f.fract() == 0.0 && range.contains(&f)
}

/// Whole numbers without a decimal part (a year is `2021`, not `2021.0`).
fn number_text(f: f64, decimals: Decimals) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else if decimals == Decimals::Comma {
        f.to_string().replace('.', ",")
    } else {
        f.to_string()
    }
}

fn date_text(d: &ExcelDateTime) -> String {
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    format!("{y:04}-{m:02}-{day:02}")
}

/// A number read as a 1900-system serial date (days since 1899-12-30):
/// only whole numbers of days in the years a month can have.
fn serial_as_date(serial: f64) -> Option<String> {
    // 1900-01-01 … 9999-12-31.
    (serial.fract() == 0.0 && (1.0..=2_958_465.0).contains(&serial)).then(|| date_text(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const XLSX: &[u8] = include_bytes!("../../../tests/fixtures/precios_2021-03_2022-02.xlsx");

    #[test]
    fn a_protected_corrupt_or_inflating_workbook_is_refused_naming_the_file() {
        let protected = include_bytes!("../../../tests/fixtures/protegida.xlsx");
        let e = read("protegida.xlsx", protected).err().expect("protected");
        assert_eq!(e.to_string(), "protegida.xlsx: la planilla está protegida con contraseña; guárdela sin contraseña y vuelva a cargarla");
        let e = read("rota.xlsx", &XLSX[..XLSX.len() / 2]).err().expect("corrupt");
        assert!(e.to_string().starts_with("rota.xlsx: no se pudo leer como planilla xlsx"), "{e}");
        let e = read("texto.ods", b"Anio,Mes,Precio_leche\n").err().expect("not a workbook");
        assert!(e.to_string().starts_with("texto.ods: no se pudo leer como planilla ods"), "{e}");
        // Every part claims 4 GB once inflated.
        let mut bomb = XLSX.to_vec();
        let entries: Vec<usize> = bomb.windows(4).enumerate().filter(|(_, w)| *w == [0x50, 0x4b, 0x01, 0x02]).map(|(i, _)| i).collect();
        for at in entries {
            bomb[at + 24..at + 28].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        assert!(matches!(read("bomba.xlsx", &bomb), Err(WorkbookError::Expands { .. })));
    }

    #[test]
    fn serials_numbers_and_names() {
        assert_eq!(serial_as_date(44621.0).as_deref(), Some("2022-03-01"));
        assert_eq!(serial_as_date(44621.5), None);
        assert_eq!(number_text(2021.0, Decimals::Comma), "2021");
        assert_eq!(number_text(300.5, Decimals::Point), "300.5");
        // A bulletin's number is read the Chilean way: its point becomes a comma, exactly.
        assert_eq!(number_text(345.123, Decimals::Comma), "345,123");
        assert_eq!(crate::data::numbers::parse_pasted(&number_text(345.123, Decimals::Comma)), Ok(345.123));
        assert!(is_workbook("Precios.XLSX") && is_workbook("a.ods") && is_workbook("b.xls") && !is_workbook("c.csv") && !is_workbook("xlsx"));
    }
}
