//! One file a user brings, read whatever it is: a CSV file in the
//! challenge's layouts, a bulletin saved as CSV, a workbook whose sheets
//! hold either, or a text file of pasted lines. The page (in its worker for
//! workbooks) and the trainer's `add` both call [`read`], then
//! [`Incoming::take`] with the user's choice of series: one way in.
//!
//! The challenge's layouts keep their own reader ([`clean::read_file`],
//! the original's cleaning value for value); anything else is looked for
//! as a price table by [`bulletin`]. A header of the milk price file
//! lacking its price column (`Anio;Mes;Nacional`) is a bulletin's.

use thiserror::Error;

use crate::data::bulletin::{self, Found, LineProblem, ReadError, RowKind};
use crate::data::bulletin::layout::CellRead;
use crate::data::clean::{self, CleanFile, FileError};
use crate::data::month::Month;
use crate::data::sheet::Sheet;
use crate::data::source::Source;
use crate::data::upload::report::SeriesReport;
use crate::data::workbook::{self, Decimals, WorkbookError};

/// A file read, before the user's choice of series.
#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    /// The file's name.
    pub name: String,
    /// Its parts in the challenge's layouts, cleaned.
    pub files: Vec<CleanFile>,
    /// The price tables found in the rest.
    pub found: Found,
    /// What was not read: sheets with no table, named.
    pub notes: Vec<String>,
}

/// A file that gives nothing; messages name it.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum IncomingError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
    #[error(
        "{file}: ninguna hoja tiene una tabla de precios (meses y precios, o meses por años) ni el encabezado de un archivo original; hojas: {}",
        sheets.join(", ")
    )]
    NoTable { file: String, sheets: Vec<String> },
}

/// What a file gives once a series is chosen: the cleaned files to plan,
/// the series report, and notes on values not read.
#[derive(Clone, Debug, PartialEq)]
pub struct Taken {
    pub files: Vec<CleanFile>,
    pub series: Option<SeriesReport>,
    pub notes: Vec<String>,
}

/// Reads `bytes`, a file named `name`, as of `today` (see the module doc).
pub fn read(name: &str, bytes: &[u8], today: Month) -> Result<Incoming, IncomingError> {
    if workbook::is_workbook(name) {
        read_workbook(name, bytes, today)
    } else {
        read_text(name, bytes, today)
    }
}

/// [`read`] for a text file (CSV or pasted lines), whatever its name: it
/// never reaches calamine, so a wasm module that reads only text does not
/// link it.
pub fn read_text(name: &str, bytes: &[u8], today: Month) -> Result<Incoming, IncomingError> {
    let challenge = match clean::read_file(name, bytes, today) {
        Ok(file) => return Ok(Incoming { name: name.to_string(), files: vec![file], found: Found::default(), notes: Vec::new() }),
        Err(e @ (FileError::Unrecognised { .. } | FileError::HeaderOnly { .. })) => e,
        Err(e @ FileError::MissingColumns { .. }) if is_milk_header(bytes) => e,
        Err(e) => return Err(e.into()),
    };
    // Checked by the challenge reader: text, within the size limit.
    let text = clean::decode_text(bytes).unwrap_or_default();
    let sheet = if name.to_lowercase().ends_with(".csv") { Sheet::from_csv(&text) } else { Sheet::from_pasted(&text) };
    let found = bulletin::find(vec![sheet]);
    if found.series().is_empty() {
        return Err(challenge.into());
    }
    Ok(Incoming { name: name.to_string(), files: Vec::new(), found, notes: Vec::new() })
}

/// Whether the first line names the milk price file's key columns (then a
/// missing price column makes it a bulletin's table of `Año · Mes · …`).
fn is_milk_header(bytes: &[u8]) -> bool {
    let text = clean::decode_text(bytes).unwrap_or_default();
    let first = text.lines().next().unwrap_or_default();
    let cells: Vec<&str> = first.split([',', ';', '\t']).map(str::trim).collect();
    Source::recognise(&cells) == Some(Source::MilkPrice)
}

fn read_workbook(name: &str, bytes: &[u8], today: Month) -> Result<Incoming, IncomingError> {
    let sheets = workbook::read(name, bytes)?;
    let mut incoming = Incoming { name: name.to_string(), files: Vec::new(), found: Found::default(), notes: Vec::new() };
    let mut bulletins = Vec::new();
    for raw in &sheets {
        let sheet_name = format!("{name}, hoja «{}»", raw.name);
        let header = raw.first_row();
        let challenge = Source::recognise(&header.iter().map(|h| h.trim()).collect::<Vec<_>>());
        if challenge.is_some_and(|s| s != Source::MilkPrice || header.iter().any(|h| h.trim() == crate::data::source::MILK_PRICE)) {
            // A number in a date column is a serial date (Excel's "General" format on a date).
            let dates: Vec<usize> = header.iter().enumerate().filter(|(_, h)| matches!(h.trim(), "date" | "Periodo")).map(|(i, _)| i).collect();
            let csv = csv_text(&raw.sheet(Decimals::Point, &dates, false));
            match clean::read_file(&sheet_name, csv.as_bytes(), today) {
                Ok(file) => incoming.files.push(file),
                Err(FileError::HeaderOnly { .. }) => incoming.notes.push(format!("{sheet_name}: solo tiene encabezado, se omite")),
                Err(e) => return Err(e.into()),
            }
            continue;
        }
        let sheet = raw.sheet(Decimals::Comma, &[], true);
        let found = bulletin::find(vec![sheet.clone()]);
        if found.series().is_empty() {
            incoming.notes.push(format!("{sheet_name}: sin tabla de precios ni encabezado reconocido, se omite"));
        } else {
            bulletins.push(sheet);
        }
    }
    incoming.found = bulletin::find(bulletins);
    if incoming.files.is_empty() && incoming.found.series().is_empty() {
        return Err(IncomingError::NoTable { file: name.to_string(), sheets: sheets.into_iter().map(|s| s.name).collect() });
    }
    Ok(incoming)
}

/// The sheet written back as CSV text, for the challenge's reader.
fn csv_text(sheet: &Sheet) -> String {
    let quoted = |text: &str| if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() };
    // Rows keep their numbers: the text has a line for each, blank ones too.
    let mut out = String::new();
    let mut line = 1;
    for (row, cells) in &sheet.rows {
        while line < row.number() {
            out.push('\n');
            line += 1;
        }
        out.push_str(&cells.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
        line += 1;
    }
    out
}

impl Incoming {
    /// The cleaned files to plan, with series `choice` (an index into the
    /// series found) read when given and existing, else the default one.
    pub fn take(&self, choice: Option<usize>, today: Month) -> Result<Taken, ReadError> {
        let mut taken = Taken { files: self.files.clone(), series: None, notes: self.notes.clone() };
        let series = self.found.series();
        if series.is_empty() {
            return Ok(taken);
        }
        let options = series.iter().filter_map(|s| self.found.option(*s)).collect();
        let chosen = choice.filter(|&c| c < series.len()).or_else(|| self.found.default_series());
        let mut report = SeriesReport { file: self.name.clone(), options, chosen, read: None };
        if let Some(c) = chosen {
            let s = series[c];
            let sheet = &self.found.sheets[s.sheet];
            let name = sheet.name.as_ref().map_or_else(|| self.name.clone(), |n| format!("{}, hoja «{n}»", self.name));
            let reading = self.found.read(c, &name, today)?;
            let word = sheet.rows_are.singular();
            // What the upload leaves out of this series, value by value (the
            // upload is not refused whole for a bulletin's odd cell).
            for o in &reading.outcomes {
                if let Err((cell, problem @ LineProblem::Value(_))) = &o.read {
                    taken.notes.push(format!("{name}, {word} {}{}: «{cell}»: {problem}; no se lee", o.row.number(), o.at.as_ref().map(|a| format!(", {a}")).unwrap_or_default()));
                }
            }
            for (row, kind) in &sheet.tables[s.table].rows {
                let refusals: Vec<(String, &LineProblem)> = match kind {
                    RowKind::Refused { cell, problem } => vec![(cell.clone(), problem)],
                    RowKind::Cells(cells) => cells.iter().filter_map(|c| match c {
                        CellRead::Refused { cell, problem, .. } => Some((cell.clone(), problem)),
                        CellRead::Value { .. } => None,
                    }).collect(),
                    _ => Vec::new(),
                };
                for (cell, problem) in refusals {
                    taken.notes.push(format!("{name}, {word} {}: «{cell}»: {problem}; no se lee", row.number()));
                }
            }
            report.read = Some(reading.extent());
            taken.files.push(reading.file);
        }
        taken.series = Some(report);
        Ok(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::bulletin::labels::Measure;

    const XLSX: &[u8] = include_bytes!("../../../tests/fixtures/precios_2021-03_2022-02.xlsx");
    const ODS: &[u8] = include_bytes!("../../../tests/fixtures/precios_2021-03_2022-02.ods");
    const XLS: &[u8] = include_bytes!("../../../tests/fixtures/precios_2021-03_2022-02.xls");
    const ORIGINAL: &[u8] = include_bytes!("../../../tests/fixtures/precio_leche_original.xlsx");
    const NATIONAL: &[u8] = include_bytes!("../../../tests/fixtures/boletin_nacional.xlsx");
    const REGIONAL: &[u8] = include_bytes!("../../../tests/fixtures/boletin_regional.xlsx");

    fn today() -> Month {
        Month::new(2026, 12).expect("month")
    }

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    fn taken(name: &str, bytes: &[u8], choice: Option<usize>) -> Taken {
        read(name, bytes, today()).unwrap_or_else(|e| panic!("{name}: {e}")).take(choice, today()).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn prices(t: &Taken) -> Vec<(Month, f64)> {
        assert_eq!(t.files.len(), 1, "{t:?}");
        assert_eq!(t.files[0].source, Source::MilkPrice);
        t.files[0].rows.iter().map(|(m, v)| (*m, v[0])).collect()
    }

    /// The twelve months scripts/spreadsheets.py writes in its month-and-price fixtures.
    fn expected() -> Vec<(Month, f64)> {
        let prices = [300.5, 301.2, 302.75, 303.0, 304.1, 305.0, 306.4, 307.0, 308.5, 1309.0, 310.2, 311.0];
        prices.iter().enumerate().map(|(i, p)| (m("2021-03").offset(i as i32), *p)).collect()
    }

    #[test]
    fn the_same_months_read_alike_from_xlsx_ods_and_xls_and_the_original_layout() {
        for (name, bytes) in [("precios.xlsx", XLSX), ("precios.ods", ODS), ("precios.xls", XLS), ("precio_leche.xlsx", ORIGINAL)] {
            assert_eq!(prices(&taken(name, bytes, None)), expected(), "{name}");
        }
        // The 1904 date system (the .xlsx) and the 1900 one (the .xls) give the same months.
        let t = taken("precios.xlsx", XLSX, None);
        assert_eq!(t.files[0].file, "precios.xlsx, hoja «Precios»");
        assert_eq!(t.notes, vec!["precios.xlsx, hoja «Notas»: sin tabla de precios ni encabezado reconocido, se omite".to_string()]);
    }

    #[test]
    fn future_months_go_through_the_upload_rules() {
        // As of 2021-06, months after 2021-07 were not observed yet: skipped with the CSV path's reason.
        let t = read("precios.ods", ODS, m("2021-06")).expect("read").take(None, m("2021-06")).expect("taken");
        assert_eq!(t.files[0].rows.keys().last().copied(), Some(m("2021-07")));
        assert_eq!(t.files[0].skipped_total, 7);
        assert!(t.files[0].skipped[0].to_string().starts_with("fila 7 (2021-08): mes futuro"), "{:?}", t.files[0].skipped);
    }

    #[test]
    fn the_national_bulletin_reads_its_table_under_the_titles() {
        let t = taken("boletin_nacional.xlsx", NATIONAL, None);
        let series = t.series.clone().expect("a bulletin");
        assert_eq!(series.options.len(), 1);
        assert_eq!(series.options[0].label(), "hoja «Precio nacional», tabla de meses por años (2020 a 2026**)");
        assert_eq!(series.options[0].measure, Measure::Nominal);
        assert_eq!(series.read.as_deref(), Some("filas 5–16: 82 meses, 2020-01 a 2026-10"));
        let read = prices(&t);
        assert_eq!((read.first().map(|p| p.0), read.last().map(|p| p.0), read.len()), (Some(m("2020-01")), Some(m("2026-10")), 82));
        assert!(t.notes.is_empty(), "{:?}", t.notes);
    }

    #[test]
    fn the_regional_workbook_gives_the_nominal_national_column_and_offers_the_rest() {
        let t = taken("boletin_regional.xlsx", REGIONAL, None);
        let series = t.series.clone().expect("a bulletin");
        let labels: Vec<String> = series.options.iter().map(|o| o.label()).collect();
        assert_eq!(labels.len(), 12, "six columns on each of two sheets: {labels:?}");
        let chosen = series.chosen.and_then(|c| series.options.get(c)).expect("a default");
        assert_eq!((chosen.label().as_str(), chosen.measure), ("hoja «4A nominal», columna «Nacional»", Measure::Nominal));
        assert!(series.options[6..].iter().all(|o| o.measure == Measure::Real && o.label().starts_with("hoja «4B real»")));
        assert_eq!(series.read.as_deref(), Some("filas 3–38: 34 meses, 2024-01 a 2026-10"));
        assert_eq!(t.files[0].file, "boletin_regional.xlsx, hoja «4A nominal»");
        // The real national column, chosen: every month higher, by the deflator.
        let real = taken("boletin_regional.xlsx", REGIONAL, Some(11));
        let (nominal, real) = (prices(&t), prices(&real));
        assert!(nominal.iter().zip(&real).all(|(n, r)| n.0 == r.0 && r.1 >= n.1), "real ≥ nominal");
    }

    #[test]
    fn a_bulletin_as_csv_or_text_and_a_file_with_no_table() {
        let csv = "Precio nominal de la leche\nMes;2025;2026**\nEnero;340,5;351\nFebrero;342;\nPromedio;341,2;351\n";
        assert_eq!(prices(&taken("boletin.csv", csv.as_bytes(), None)), vec![(m("2025-01"), 340.5), (m("2025-02"), 342.0), (m("2026-01"), 351.0)]);
        let text = "Precios pagados\nenero de 2026 $ 351\nfebrero de 2026 $ 353,5\n";
        assert_eq!(prices(&taken("precios.txt", text.as_bytes(), None)), vec![(m("2026-01"), 351.0), (m("2026-02"), 353.5)]);
        // `Año;Mes;Nacional` is no milk price file short of a column: a bulletin.
        let long = "Anio;Mes;Nacional\n2026;Ene;351\n";
        assert_eq!(prices(&taken("largo.csv", long.as_bytes(), None)), vec![(m("2026-01"), 351.0)]);
        let e = read("x.csv", b"a,b\n1,2\n", today()).expect_err("no table");
        assert!(matches!(e, IncomingError::File(FileError::Unrecognised { .. })), "{e}");
        let e = read("Rainfall.csv", b"date,Coquimbo\n2020-01-01,1\n", today()).expect_err("missing columns");
        assert!(matches!(e, IncomingError::File(FileError::MissingColumns { .. })), "{e}");
    }
}
