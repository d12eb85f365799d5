//! Where a row is: the one numbering every message that names a row uses
//! (unreadable cells, skipped rows, repeated months, malformed CSV, pasted
//! lines).
//!
//! A row is named by the line of the text on which it starts, counting
//! from 1. In a CSV file the header is line 1, so the first data row is
//! «fila 2»: the number a spreadsheet shows beside it. In pasted text the
//! first pasted line is line 1. A line ends at `\r\n`, `\n` or a lone `\r`
//! (Windows, Unix and old Mac files), and blank lines count, as a
//! spreadsheet shows them as empty rows. One caveat, documented rather than
//! hidden: a quoted cell that spans lines makes the text's line run ahead of
//! the spreadsheet's row for the rows after it; the number then is the line
//! a text editor shows.
//!
//! Why our own count: the CSV reader's record line (`csv::Position::line`)
//! counts only some terminators, so in a CRLF file (what Excel writes on
//! Windows) line 2 was reported as «fila 1» and line 4 as «fila 3»; with
//! lone `\r` every row was «fila 1», and each blank line shifted the rest by
//! one. The reader's byte offset is exact (up to the blank lines it skips),
//! and [`LineCounter`] turns it into a line with the same rule [`lines`]
//! splits pasted text by.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A row, named by the 1-based line of the text on which it starts (see the
/// module doc). Shown as «fila N».
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Row(u64);

impl Row {
    /// Line 1: a file's header, a paste's first line.
    pub const FIRST: Row = Row(1);

    /// The row on line `line` (1-based; 0 is read as 1, there is no line 0).
    pub fn line(line: u64) -> Row {
        Row(line.max(1))
    }

    /// The line number, for messages that word it otherwise («línea N»).
    pub fn number(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fila {}", self.0)
    }
}

/// Turns byte offsets of one text, in increasing order, into rows; each call
/// scans only the bytes since the previous one, so a whole file costs one
/// pass however many rows it has.
pub struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter { text: text.as_bytes(), at: 0, line: 1 }
    }

    /// The row of the first line at or after byte `offset` that is not
    /// blank: where a record starts when the CSV reader reports `offset`
    /// (its position points at the blank lines it skipped before the
    /// record). An offset before the previous one gives the previous row
    /// (offsets must not go back).
    pub fn record_at(&mut self, offset: u64) -> Row {
        let mut end = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len());
        while matches!(self.text.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        while self.at < end {
            let b = self.text[self.at];
            let next = self.text.get(self.at + 1).copied();
            // `\r\n` counts once, at its `\n`.
            if b == b'\n' || (b == b'\r' && next != Some(b'\n')) {
                self.line += 1;
            }
            self.at += 1;
        }
        Row(self.line)
    }
}

/// The lines of `text` with their rows, split at `\r\n`, `\n` and lone
/// `\r` (the breaks [`LineCounter`] counts), blank lines included.
pub fn lines(text: &str) -> Vec<(Row, &str)> {
    // Splitting at `\n` and `\r` makes `\r\n` an extra empty piece; dropping
    // the piece that follows a `\r` directly at a `\n` keeps one line per break.
    let mut pieces = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                pieces.push(&text[start..i]);
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => {
                pieces.push(&text[start..i]);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        pieces.push(&text[start..]);
    }
    pieces.into_iter().enumerate().map(|(i, l)| (Row(i as u64 + 1), l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_ending_counts_once_and_blank_lines_count() {
        for text in ["a\nb\n\nc\n", "a\r\nb\r\n\r\nc\r\n", "a\rb\r\rc\r", "a\nb\r\n\rc"] {
            let got: Vec<(u64, &str)> = lines(text).into_iter().map(|(r, l)| (r.number(), l)).collect();
            assert_eq!(got, vec![(1, "a"), (2, "b"), (3, ""), (4, "c")], "{text:?}");
            let mut counter = LineCounter::new(text);
            let c = text.rfind('c').unwrap_or_default() as u64;
            assert_eq!(counter.record_at(0), Row::FIRST);
            assert_eq!(counter.record_at(c), Row::line(4), "{text:?}");
            // The reader points a record after blank lines at the first of them.
            let mut counter = LineCounter::new(text);
            let blank = text.find('b').unwrap_or_default() as u64 + 1;
            assert_eq!(counter.record_at(blank), Row::line(4), "{text:?}");
        }
        assert_eq!(Row::line(7).to_string(), "fila 7");
    }
}
