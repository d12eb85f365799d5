//! What a user brings, as a grid of cell texts: the lines of a paste, the
//! records of a CSV file, a workbook's sheet. Every way in becomes a
//! [`Sheet`] before [`crate::data::bulletin`] looks for a price table in
//! it, so a bulletin reads the same dropped, pasted or handed to the
//! trainer.
//!
//! Rows keep the user's numbering ([`Row`]): a paste's line, a CSV file's
//! line, the row a spreadsheet shows (blank rows count everywhere), so a
//! message names the place the user sees.

use crate::data::row::{lines, LineCounter, Row};

/// One sheet's cells by row. Blank rows are kept (as rows with no cells or
/// only empty ones): a blank row can end a table, and numbering needs them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    /// The sheet's name in its workbook (`4A nominal`); `None` for a paste or a CSV file.
    pub name: Option<String>,
    pub rows: Vec<(Row, Vec<String>)>,
    /// How its rows are named in messages.
    pub rows_are: RowWord,
}

/// «línea» for a paste, «fila» for a file: the word the user's own view uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RowWord {
    #[default]
    Line,
    Row,
}

impl RowWord {
    pub fn singular(self) -> &'static str {
        match self {
            RowWord::Line => "línea",
            RowWord::Row => "fila",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            RowWord::Line => "líneas",
            RowWord::Row => "filas",
        }
    }
}

impl Sheet {
    /// Pasted text: each line split at its tabs when it has one (cells copied
    /// from a spreadsheet or a web table), else at its semicolons, else left
    /// whole (a line of words such as `enero de 2022 $ 345,67`, which the
    /// reader splits itself). Per line, not per text: a paste mixes typed
    /// lines with copied ones.
    pub fn from_pasted(text: &str) -> Sheet {
        let rows = lines(text)
            .into_iter()
            .map(|(row, line)| {
                let cells = match ['\t', ';'].into_iter().find(|&s| line.contains(s)) {
                    Some(separator) => line.split(separator).map(|c| c.trim().to_string()).collect(),
                    None => vec![line.trim().to_string()],
                };
                (row, cells)
            })
            .collect();
        Sheet { name: None, rows, rows_are: RowWord::Line }
    }

    /// A CSV file's text: split by the `csv` reader (quoted cells may hold the
    /// separator) at tabs when a line has one, else at semicolons (the
    /// dialect of spreadsheets with a decimal comma) when a line has one,
    /// else at commas. The reader's errors are left to the cells: a bulletin
    /// exported by hand is rarely valid CSV line by line, and the table
    /// reader says what it could not read.
    pub fn from_csv(text: &str) -> Sheet {
        let has = |c: char| text.lines().any(|l| l.contains(c));
        let delimiter = if has('\t') {
            b'\t'
        } else if has(';') {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(text.as_bytes());
        let mut counter = LineCounter::new(text);
        let mut rows = Vec::new();
        for record in reader.records() {
            // A malformed record (bad UTF-8 cannot happen: the text is a str) ends the reading.
            let Ok(record) = record else { break };
            let row = record.position().map_or(Row::FIRST, |p| counter.record_at(p.byte()));
            rows.push((row, record.iter().map(|c| c.trim().to_string()).collect()));
        }
        Sheet { name: None, rows, rows_are: RowWord::Row }
    }

    /// Whether the row holds no text at all.
    pub fn is_blank(cells: &[String]) -> bool {
        cells.iter().all(|c| c.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_splits_each_line_by_its_own_separator() {
        let s = Sheet::from_pasted("Mes\tPrecio\n\nene-2022;345,6\nenero de 2022 $ 1.234,5\n");
        let cells: Vec<(u64, Vec<&str>)> = s.rows.iter().map(|(r, c)| (r.number(), c.iter().map(String::as_str).collect())).collect();
        assert_eq!(cells, vec![
            (1, vec!["Mes", "Precio"]),
            (2, vec![""]),
            (3, vec!["ene-2022", "345,6"]),
            (4, vec!["enero de 2022 $ 1.234,5"]),
        ]);
    }

    #[test]
    fn a_csv_keeps_quoted_separators_and_its_line_numbers() {
        let s = Sheet::from_csv("Precio de la leche\r\n\r\nMes;Nacional\r\nEnero;\"345,6\"\r\n");
        assert_eq!(s.rows.last(), Some(&(Row::line(4), vec!["Enero".to_string(), "345,6".to_string()])));
        let s = Sheet::from_csv("Mes,Nacional\nEnero,\"345,6\"\n");
        assert_eq!(s.rows[1].1, vec!["Enero".to_string(), "345,6".to_string()]);
    }
}
