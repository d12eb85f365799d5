//! Months added without a file: text pasted from a spreadsheet, a PDF
//! bulletin or a web table — lines of a month and a price, or a bulletin's
//! table copied whole with its titles and notes — read into the same
//! [`CleanFile`] a CSV upload gives, so it goes through exactly the upload
//! path ([`crate::data::upload::plan`], its report, the re-check inside the
//! write, undo, re-apply).
//!
//! The table is found by [`crate::data::bulletin`], the one reader every way
//! in shares (its module doc has the rules: header rows, months by years,
//! `Año · Mes · regiones…`, «Promedio» rows, titles and footnotes, the
//! national and nominal series chosen by default). This module adds what a
//! paste alone needs: its limits, the lines it cannot read at all (too
//! long, control characters), and an outcome for every non-blank line, so
//! the preview says what became of each.
//!
//! **One line at a time.** Each value is read or refused on its own, with a
//! reason naming the line (and the table's column): the user sees it beside
//! the text and fixes it there. So a price that cannot be read is refused
//! alone, where a file's unreadable cell refuses the whole upload (the
//! cell's [`crate::data::clean::CellIssue`] becomes the line's reason, and the
//! [`CleanFile`] handed to the plan holds only the values that were read).
//!
//! Ambiguity rules of a line of a month and a price (each tested in
//! [`crate::data::bulletin`]): cells split at tabs when the line has one,
//! else at semicolons, else at spaces (then the month is the first one to
//! three words that read as a month, and the rest is the price: `enero de
//! 2022 $ 345,67`); `01/2022` and `01-2022` are month/year, `2022/01` and
//! `2022-01` year/month; three numbers are a date, `2022-01-01` year first,
//! else day-month-year in the Chilean order; a date must be real; years have
//! four digits (`Ene-22` is refused: 1922 or 2022?); numbers by
//! [`crate::data::numbers::parse_pasted`]. Blank lines are skipped but
//! counted: line numbers are the user's ([`crate::data::row`]).

use std::fmt;

use thiserror::Error;

use crate::data::bulletin::labels::Measure;
use crate::data::bulletin::layout::CellRead;
use crate::data::bulletin::{self, Found, LineProblem, ReadError, RowKind, SeriesOption, MAX_VALUES};
use crate::data::clean::{echo, CleanFile};
use crate::data::month::Month;
use crate::data::row::{lines, Row};
use crate::data::sheet::Sheet;

/// The name a paste goes by in reports and in the list of uploads.
pub const PASTE_NAME: &str = "texto pegado";

/// The largest paste read: 100 years of monthly prices take about 25 kB.
pub const MAX_PASTE_BYTES: usize = 64 * 1024;

/// The most lines a paste may have, blank ones included (83 years of months).
pub const MAX_LINES: usize = 1_000;

/// The longest line read: a month and a price take a few dozen characters,
/// a bulletin's row of regions a few hundred.
pub const MAX_LINE_CHARS: usize = 400;

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
    #[error("la tabla pegada tiene más de {limit} valores")]
    TooManyCells { limit: usize },
}

/// Why a line that is no value is left out.
#[derive(Clone, Debug, PartialEq)]
pub enum Omission {
    /// Column names, years or months heading a table.
    Header,
    /// A title, a source, a footnote.
    Note,
    /// «Promedio», «Total», «Var. %».
    Summary,
    /// A block's year alone on its line.
    Year,
    /// Lines of a table not chosen (`label` as the choice offers it).
    OtherTable { label: String, measure: Measure },
}

impl fmt::Display for Omission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Omission::Header => f.write_str("encabezado, se omite"),
            Omission::Note => f.write_str("texto (título o nota), se omite"),
            Omission::Summary => f.write_str("fila de resumen (promedio, total o variación), no es un mes"),
            Omission::Year => f.write_str("año del bloque de meses que sigue"),
            Omission::OtherTable { label, measure } => {
                let real = if *measure == Measure::Real { " (precios reales)" } else { "" };
                write!(f, "otra serie ({label}{real}), no elegida")
            }
        }
    }
}

/// What one non-blank pasted line (or one value of a table's line) became.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Omitted(Omission),
    Read { month: Month, price: f64 },
    /// `cell` is the text the reason is about, cut for echoing.
    Refused { cell: String, problem: LineProblem },
}

/// One outcome and where it is: a line, or a run of lines (a table not
/// chosen), and the table's column for a grid's value.
#[derive(Clone, Debug, PartialEq)]
pub struct PastedLine {
    /// The user's line: the first pasted line is line 1.
    pub row: Row,
    /// The last line of a run the outcome covers (a table not chosen).
    pub through: Option<Row>,
    /// In a grid, the header of the value's column (`2024`, `Ene`).
    pub column: Option<String>,
    pub outcome: Outcome,
}

impl PastedLine {
    /// «línea 3, 2024» or «líneas 40–73»: where the outcome is.
    pub fn place(&self) -> String {
        let column = self.column.as_ref().map(|c| format!(", {c}")).unwrap_or_default();
        match self.through.filter(|t| *t != self.row) {
            Some(t) => format!("líneas {}–{}{column}", self.row.number(), t.number()),
            None => format!("línea {}{column}", self.row.number()),
        }
    }
}

impl fmt::Display for PastedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = self.place();
        match &self.outcome {
            Outcome::Omitted(why) => write!(f, "{place}: {why}"),
            Outcome::Read { month, price } => write!(f, "{place}: {month}, {}", crate::data::locale::number(*price, 2)),
            // A paste names lines, so the repeated month's first line is a «línea».
            Outcome::Refused { cell, problem: LineProblem::Skipped(crate::data::clean::SkipReason::Repeated { first_row }) } => {
                write!(f, "{place}: «{cell}»: mes repetido (se conserva la línea {})", first_row.number())
            }
            Outcome::Refused { cell, problem } => write!(f, "{place}: «{cell}»: {problem}"),
        }
    }
}

/// A paste read: each line's outcome, the values read as an upload's file
/// (for [`crate::data::upload::plan`]), and the series it held.
#[derive(Clone, Debug, PartialEq)]
pub struct Pasted {
    pub lines: Vec<PastedLine>,
    pub file: CleanFile,
    /// Every series found, as the choice offers them.
    pub options: Vec<SeriesOption>,
    /// The series read, an index into `options`; `None` when none could be
    /// taken without the user (only real tables, or only regions).
    pub chosen: Option<usize>,
    /// Where the chosen series' months are and how many (see [`bulletin::Reading::extent`]).
    pub extent: Option<String>,
}

impl Pasted {
    /// The refused lines.
    pub fn refused(&self) -> impl Iterator<Item = &PastedLine> {
        self.lines.iter().filter(|l| matches!(l.outcome, Outcome::Refused { .. }))
    }
}

/// Reads pasted text as milk prices, taking the default series. `today`
/// is the current month, as for [`crate::data::clean::read_file`] (months
/// after the next one are refused).
///
/// ```
/// use leche_core::{data::paste::read_paste, data::upload::plan, Database, Month};
/// let today = Month::new(2026, 11).unwrap();
/// let p = read_paste("Mes\tPrecio\nene-2022\t$ 345,67\n13/2022\t300\n", today).unwrap();
/// assert_eq!(p.lines[2].to_string(), "línea 3: «13/2022»: mes no válido (se espera, por ejemplo, 2022-01, 01/2022, ene-2022 o enero de 2022)");
/// assert_eq!(plan(&Database::default(), &[p.file]).unwrap().writes(false), 1);
/// ```
pub fn read_paste(text: &str, today: Month) -> Result<Pasted, PasteError> {
    read_paste_as(text, today, None)
}

/// [`read_paste`], reading series `choice` (an index into
/// [`Pasted::options`]) when it is given and exists, else the default one.
pub fn read_paste_as(text: &str, today: Month, choice: Option<usize>) -> Result<Pasted, PasteError> {
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
    // Lines that cannot be read at all are refused here and blank for the table reader.
    let mut lines_out: Vec<PastedLine> = Vec::new();
    let mut readable = String::with_capacity(text.len());
    for (row, line) in &all {
        match unreadable(line) {
            Some((cell, problem)) => {
                lines_out.push(PastedLine { row: *row, through: None, column: None, outcome: Outcome::Refused { cell: echo(&cell), problem } });
            }
            None => readable.push_str(line),
        }
        readable.push('\n');
    }
    let found = bulletin::find(vec![Sheet::from_pasted(&readable)]);
    let series = found.series();
    let options: Vec<SeriesOption> = series.iter().filter_map(|s| found.option(*s)).collect();
    let chosen = choice.filter(|&c| c < series.len()).or_else(|| found.default_series());
    let reading = match chosen.map(|c| found.read(c, PASTE_NAME, today)) {
        Some(Ok(r)) => Some(r),
        Some(Err(ReadError::TooManyValues { .. })) => return Err(PasteError::TooManyCells { limit: MAX_VALUES }),
        Some(Err(ReadError::NoSuchSeries { .. })) | None => None,
    };
    lines_out.extend(outcomes(&found, reading.as_ref()));
    lines_out.sort_by_key(|l| l.row);
    let extent = reading.as_ref().map(bulletin::Reading::extent);
    let file = match reading {
        Some(r) => r.file,
        None => crate::data::clean::Cleaner::new(PASTE_NAME.to_string(), crate::data::source::Source::MilkPrice, crate::data::numbers::Notation::Pasted, today).finish(),
    };
    Ok(Pasted { lines: lines_out, file, options, chosen, extent })
}

/// Every non-blank line's outcome: the chosen table's values as the
/// cleaning left them, its other rows, the tables not chosen (a line each),
/// the rows outside every table.
fn outcomes(found: &Found, reading: Option<&bulletin::Reading>) -> Vec<PastedLine> {
    let line = |row: Row, outcome: Outcome| PastedLine { row, through: None, column: None, outcome };
    let omitted = |kind: &RowKind| match kind {
        RowKind::Header => Some(Omission::Header),
        RowKind::Note => Some(Omission::Note),
        RowKind::Summary => Some(Omission::Summary),
        RowKind::Year => Some(Omission::Year),
        RowKind::Cells(_) | RowKind::Refused { .. } => None,
    };
    let mut out = Vec::new();
    let Some(sheet) = found.sheets.first() else { return out };
    for (row, kind) in &sheet.loose {
        match kind {
            RowKind::Refused { cell, problem } => out.push(line(*row, Outcome::Refused { cell: cell.clone(), problem: problem.clone() })),
            other => out.extend(omitted(other).map(|o| line(*row, Outcome::Omitted(o)))),
        }
    }
    let chosen = reading.map(|r| r.series);
    let mut values = reading.map(|r| r.outcomes.iter()).into_iter().flatten();
    for (t, table) in sheet.tables.iter().enumerate() {
        let Some(series) = chosen.filter(|s| s.table == t) else {
            let (Some(first), Some(last)) = (table.rows.first(), table.rows.last()) else { continue };
            let option = found.series().into_iter().find(|s| s.table == t).and_then(|s| found.option(s));
            let (label, measure) = option.map(|o| (o.label(), o.measure)).unwrap_or((String::new(), Measure::Unstated));
            out.push(PastedLine { row: first.0, through: Some(last.0), column: None, outcome: Outcome::Omitted(Omission::OtherTable { label, measure }) });
            continue;
        };
        for (row, kind) in &table.rows {
            match kind {
                RowKind::Cells(cells) => {
                    for cell in cells {
                        match cell {
                            CellRead::Value { column, .. } if *column == series.column => {
                                let Some(v) = values.next() else { continue };
                                let outcome = match &v.read {
                                    Ok(price) => Outcome::Read { month: v.month, price: *price },
                                    Err((cell, problem)) => Outcome::Refused { cell: cell.clone(), problem: problem.clone() },
                                };
                                out.push(PastedLine { row: v.row, through: None, column: v.at.clone(), outcome });
                            }
                            CellRead::Value { .. } => {}
                            CellRead::Refused { at, cell, problem } => {
                                out.push(PastedLine { row: *row, through: None, column: at.clone(), outcome: Outcome::Refused { cell: echo(cell), problem: problem.clone() } });
                            }
                        }
                    }
                }
                RowKind::Refused { cell, problem } => out.push(line(*row, Outcome::Refused { cell: cell.clone(), problem: problem.clone() })),
                other => out.extend(omitted(other).map(|o| line(*row, Outcome::Omitted(o)))),
            }
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::clean::{CellProblem, SkipReason};
    use crate::data::source::Source;

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
            "Enero 2022", "enero-2022", "01-01-2022", "2022-01-01", "1/1/2022", "15/01/2022", "Ene. 2022",
        ] {
            for sep in ["\t", ";", " "] {
                let line = format!("{month}{sep}345,67");
                assert_eq!(read_one(&line), Outcome::Read { month: m("2022-01"), price: 345.67 }, "{line:?}");
            }
        }
        // Chilean order: day first.
        assert_eq!(read_one("01-03-2022\t300"), Outcome::Read { month: m("2022-03"), price: 300.0 });
        assert_eq!(read_one("1/3/2022\t300"), Outcome::Read { month: m("2022-03"), price: 300.0 });
        assert_eq!(read_one("sept. 2022\t300"), Outcome::Read { month: m("2022-09"), price: 300.0 });
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
        let got = outcomes("2022-01\t300\n\n13/2022\t300\nEne-22\t300\n30-02-2022\t300\nOtro\t300\n2022-02\n2022-03\t1\t2\n");
        assert_eq!(got[0], "línea 1: 2022-01, 300,00");
        assert_eq!(got[1], "línea 3: «13/2022»: mes no válido (se espera, por ejemplo, 2022-01, 01/2022, ene-2022 o enero de 2022)");
        assert_eq!(got[2], "línea 4: «Ene-22»: el año debe tener cuatro cifras (2022, no 22)");
        assert_eq!(got[3], "línea 5: «30-02-2022»: no es una fecha real");
        assert!(got[4].starts_with("línea 6: «Otro»: mes no válido"), "{got:?}");
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
        // Words with no month below a table are a note, not a refusal.
        assert_eq!(outcomes("2022-01\t300\nMes\tPrecio\n")[1], "línea 2: texto (título o nota), se omite");
    }

    /// Regression (issue 30): `2022-01⇥0,5` then `2022-01⇥300` said «se
    /// conserva la línea 1» while line 1 was refused, and 2022-01 was not
    /// written: the month was taken before its value was checked.
    #[test]
    fn a_refused_line_keeps_no_month() {
        let p = read_paste("2022-01\t0,5\n2022-01\t300\n2022-02\tabc\n2022-02\t301\n", today()).expect("readable");
        let got: Vec<String> = p.lines.iter().map(ToString::to_string).collect();
        assert!(got[0].starts_with("línea 1: «0,5»: Precio_leche"), "{got:?}");
        assert_eq!(got[1], "línea 2: 2022-01, 300,00");
        assert_eq!(got[3], "línea 4: 2022-02, 301,00");
        assert_eq!(p.file.rows.keys().copied().collect::<Vec<_>>(), vec![m("2022-01"), m("2022-02")]);
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
            "línea 5: fila de resumen (promedio, total o variación), no es un mes".to_string(),
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
        assert_eq!(got[8], "línea 4: «303»: está en una columna sin nombre, año ni mes en el encabezado");
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
        // A repeated year is no table: its lines are refused one by one.
        assert!(outcomes("Mes\t2024\t2024\nEnero\t300\t301\n")[1].starts_with("línea 2: «Enero\t300\t301»: tiene 3 celdas"));
    }

    #[test]
    fn hostile_pastes_are_refused_with_their_limit() {
        let year = |y: usize| format!("{y}{}", "\t300".repeat(12));
        let table = std::iter::once("Año\tEne\tFeb\tMar\tAbr\tMay\tJun\tJul\tAgo\tSep\tOct\tNov\tDic".to_string()).chain((1900..1984).map(year)).collect::<Vec<_>>().join("\n");
        assert_eq!(read_paste(&table, today()), Err(PasteError::TooManyCells { limit: MAX_VALUES }));
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
