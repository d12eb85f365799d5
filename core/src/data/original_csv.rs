//! The database written back in the challenge's three CSV formats, so an
//! export re-imports (through [`crate::data::clean::read_file`]) to the same
//! database, and a user can edit it in a spreadsheet.
//!
//! Rainfall: `date,<regions>` with `YYYY-MM-01`; Central Bank: `Periodo` as
//! `YYYY-MM-01 00:00:00 UTC` and every value in the mangled dotted form the
//! original file uses (SPEC §3; [`encode_central_bank`]); milk price:
//! `Anio,Mes,Precio_leche` with Spanish month abbreviations. Floats are
//! written in shortest round-trip form.

use thiserror::Error;

use crate::data::bounds::ValueProblem;
use crate::data::numbers::encode_central_bank;
use crate::data::month::Month;
use crate::data::source::{CentralBankRule, Source, CENTRAL_BANK_PERIOD, MILK_MONTH, MILK_YEAR, RAINFALL_DATE};
use crate::data::tables::Rows;

/// A row the original format cannot carry (only a damaged table has one:
/// every way in checks rows with [`Source::check_value`]).
#[derive(Clone, Debug, PartialEq, Error)]
pub enum WriteError {
    #[error(
        "{file}: el valor {value} de {column} en {month} no se puede escribir en el formato del Banco Central sin que cambie al volver a leerlo"
    )]
    Unencodable { file: &'static str, month: Month, column: &'static str, value: f64 },
    #[error("{file}: la fila de {month} tiene {found} valores y el archivo {expected} columnas")]
    Width { file: &'static str, month: Month, found: usize, expected: usize },
    #[error("{file}: el valor {value} de {column} en {month} no se puede exportar: {problem}")]
    Value { file: &'static str, month: Month, column: &'static str, value: f64, problem: ValueProblem },
}

/// One table as its original CSV file.
pub fn write_table(source: Source, rows: &Rows) -> Result<String, WriteError> {
    let raw = source.raw_columns();
    let key_header = match source {
        Source::Rainfall => RAINFALL_DATE.to_string(),
        Source::CentralBank => CENTRAL_BANK_PERIOD.to_string(),
        Source::MilkPrice => format!("{MILK_YEAR},{MILK_MONTH}"),
    };
    let mut out = format!("{key_header},{}\n", raw.join(","));
    for (&month, values) in rows {
        if values.len() != raw.len() {
            return Err(WriteError::Width { file: source.file_name(), month, found: values.len(), expected: raw.len() });
        }
        match source {
            Source::Rainfall => out.push_str(&format!("{month}-01")),
            Source::CentralBank => out.push_str(&format!("{month}-01 00:00:00 UTC")),
            Source::MilkPrice => out.push_str(&format!("{},{}", month.year(), month.spanish_name())),
        }
        for (i, (&v, &column)) in values.iter().zip(&raw).enumerate() {
            let text = match source {
                Source::CentralBank => encode_central_bank(v, Source::central_bank_rule(i))
                    .ok_or(WriteError::Unencodable { file: source.file_name(), month, column, value: v })?,
                // Written in shortest round-trip form, which reads back to the same bits
                // for any value a table may hold (not for NaN, infinities or -0.0).
                _ if !v.is_finite() || (v == 0.0 && v.is_sign_negative()) => {
                    let problem = if v.is_finite() { ValueProblem::NegativeZero } else { ValueProblem::NotFinite };
                    return Err(WriteError::Value { file: source.file_name(), month, column, value: v, problem });
                }
                _ => format!("{v:?}"),
            };
            out.push(',');
            out.push_str(&text);
        }
        out.push('\n');
    }
    Ok(out)
}

/// The header and one example row, for a template download.
pub fn template(source: Source) -> String {
    let example = match source {
        Source::Rainfall => "2020-05-01,1.2,0.6,1.06,1.12,4.04,18.5,40.5,99.8".to_string(),
        Source::CentralBank => {
            let mut cells = vec!["2020-05-01 00:00:00 UTC".to_string()];
            cells.extend((0..source.raw_columns().len()).map(|i| match Source::central_bank_rule(i) {
                CentralBankRule::Integer => "5.691.837".to_string(),
                CentralBankRule::Index => "102.796".to_string(),
            }));
            cells.join(",")
        }
        Source::MilkPrice => "2020,May,254.1".to_string(),
    };
    let only_header = write_table(source, &Rows::new()).unwrap_or_default();
    format!("{only_header}{example}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::clean::read_file;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    #[test]
    fn every_table_reads_back_to_the_same_rows() {
        let mut rain = Rows::new();
        rain.insert(m("2020-01"), vec![0.1 + 0.2, 0.0, 1e-7, 2.5, 3.0, 4.0, 5.0, 6.0]);
        let mut bank = Rows::new();
        let mut row: Vec<f64> = (0..28).map(|i| 1_000_000.0 + f64::from(i)).collect();
        row.extend([102.796, 105.46, 97.8, 96.133, 100.0, 101.5, 99.9, 103.201, 92.2, 100.589]);
        bank.insert(m("2020-02"), row);
        let mut price = Rows::new();
        price.insert(m("2020-03"), vec![254.1]);
        for (source, rows) in [(Source::Rainfall, rain), (Source::CentralBank, bank), (Source::MilkPrice, price)] {
            let text = write_table(source, &rows).expect("encodable");
            let back = read_file(source.file_name(), text.as_bytes(), m("2026-11")).expect("re-import");
            assert_eq!(back.source, source);
            assert_eq!(back.rows, rows, "{text}");
            assert!(back.rejected.is_empty() && back.skipped.is_empty());
        }
    }

    #[test]
    fn a_value_the_central_bank_format_would_change_is_refused() {
        let mut bank = Rows::new();
        let mut row = vec![1.0; 28];
        row.extend([19.5; 10]);
        bank.insert(m("2020-02"), row);
        let err = write_table(Source::CentralBank, &bank).unwrap_err().to_string();
        assert!(err.contains("2020-02") && err.contains("19.5"), "{err}");
    }

    #[test]
    fn a_damaged_row_is_an_error_not_a_panic() {
        // Regression (issue 15): exporting a restored table with a wide row panicked.
        let mut price = Rows::new();
        price.insert(m("2020-01"), vec![250.0, 1.0]);
        assert!(matches!(write_table(Source::MilkPrice, &price), Err(WriteError::Width { found: 2, expected: 1, .. })));
        price.insert(m("2020-01"), vec![f64::NAN]);
        assert!(matches!(write_table(Source::MilkPrice, &price), Err(WriteError::Value { .. })));
    }

    #[test]
    fn templates_are_recognised_and_clean() {
        for source in Source::ALL {
            let f = read_file("plantilla.csv", template(source).as_bytes(), m("2026-11")).expect("template reads");
            assert_eq!((f.source, f.rows.len()), (source, 1));
        }
    }
}
