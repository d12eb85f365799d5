//! The words a bulletin's table is read by: months as people write them,
//! years with the marks bulletins put on them, the rows that are no month
//! («Promedio», «Var. %»), the columns that are the national figure, and
//! the words that say a table's prices are real (deflated) rather than
//! nominal.
//!
//! Every comparison is on [`normalize`]d text (lower case, no accents,
//! single spaces): a bulletin writes «Período», a spreadsheet «Periodo», a
//! web page «PERIODO».

use super::LineProblem;
use crate::data::month::{Month, SPANISH_MONTHS, SPANISH_MONTH_NAMES};

/// Lower case, accents off, runs of spaces as one: the form every label is compared in.
pub fn normalize(text: &str) -> String {
    let folded: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            c => c,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A month's name as a table heads a row or column with it: in full or
/// short, any case, with or without a final point (`Septiembre`, `Sept.`,
/// `sep`, `setiembre`, `ENE`).
pub fn month_name(cell: &str) -> Option<u32> {
    let n = normalize(cell);
    let n = n.trim_end_matches('.');
    let number = |i: usize| u32::try_from(i + 1).ok();
    if let Some(i) = SPANISH_MONTH_NAMES.iter().position(|m| *m == n) {
        return number(i);
    }
    if let Some(i) = SPANISH_MONTHS.iter().position(|m| m.eq_ignore_ascii_case(n)) {
        return number(i);
    }
    matches!(n, "sept" | "set" | "setiembre").then_some(9)
}

/// A year as a table heads a column or a row with it, with the marks
/// bulletins add for provisional or partial figures: `2026`, `2026**`,
/// `2026 (*)`, `2026p`, `2026 1/`, `2026(e)`. The mark is anything short
/// made of `*`, `(`, `)`, `/`, a `p` or `e` and one footnote digit; a fifth
/// digit right after the year is no mark (`20261` is no year).
pub fn marked_year(cell: &str) -> Option<i32> {
    let t = cell.trim();
    let digits = t.get(..4).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    let rest = &t[4..];
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mark = rest.trim();
    let allowed = |c: char| matches!(c, '*' | '(' | ')' | '/' | 'p' | 'P' | 'e' | 'E' | ' ') || c.is_ascii_digit();
    let footnote_digits = mark.bytes().filter(u8::is_ascii_digit).count();
    (mark.chars().count() <= 5 && mark.chars().all(allowed) && footnote_digits <= 1).then(|| digits.parse().ok()).flatten()
}

/// A year of exactly four digits, as a month's year is written (`Ene-22` is
/// refused: 1922 or 2022?).
pub fn four_digit_year(text: &str) -> Result<i32, LineProblem> {
    match text.len() {
        4 if text.bytes().all(|b| b.is_ascii_digit()) => text.parse().map_err(|_| LineProblem::NotAMonth),
        1 | 2 if text.bytes().all(|b| b.is_ascii_digit()) => Err(LineProblem::TwoDigitYear),
        _ => Err(LineProblem::NotAMonth),
    }
}

/// A row a table adds below or between its months: an average, a total, a
/// change, an extreme. Never a month, whatever numbers it holds.
pub fn is_summary(cell: &str) -> bool {
    const WORDS: [&str; 13] =
        ["promedio", "prom", "total", "var", "variacion", "acumulado", "media", "maximo", "minimo", "max", "min", "suma", "anual"];
    let n = normalize(cell);
    let first = n.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or_default();
    WORDS.contains(&first) || n.starts_with('%')
}

/// The column of the national figure, which Leche keeps: «Nacional»,
/// «Total país», «Promedio nacional», «País», «Chile».
pub fn is_national(column: &str) -> bool {
    let n = normalize(column);
    n.contains("nacional") || matches!(n.as_str(), "total pais" | "pais" | "chile" | "total chile" | "promedio pais")
}

/// What a table says its prices are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Measure {
    /// Pesos of each month («nominal», «corrientes»): what Leche keeps.
    Nominal,
    /// Deflated to one month's pesos («reales», «deflactado», «pesos de
    /// octubre de 2026», «moneda de …»).
    Real,
    /// Neither word appears.
    Unstated,
}

/// What `text` (a title, a sheet's name, a header cell) says of its prices,
/// if it says one thing.
pub fn measure_of(text: &str) -> Option<Measure> {
    let n = normalize(text);
    let words: Vec<&str> = n.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    // «pesos de octubre de 2026», «$ de oct. 2026», «moneda de septiembre 2026», «$/litro de oct 2026».
    let dated_pesos = words.windows(3).any(|w| matches!(w[0], "pesos" | "moneda" | "litro" | "lt" | "l") && w[1] == "de" && month_name(w[2]).is_some())
        || n.contains("$ de ") && words.iter().any(|w| month_name(w).is_some())
        || n.contains("moneda de");
    let real = has(&["real", "reales", "deflactado", "deflactados", "deflactada", "deflactadas", "constantes"]) || dated_pesos;
    let nominal = has(&["nominal", "nominales", "corrientes"]);
    match (nominal, real) {
        (true, false) => Some(Measure::Nominal),
        (false, true) => Some(Measure::Real),
        _ => None,
    }
}

/// A month as people write it: `2022-01`, `2022/01`, `01/2022`, `1-2022`,
/// `ene-2022`, `enero de 2022`, `Sept. 2022`, a date (`2022-01-01`, or
/// day first, `01-03-2022` and `1/3/2022` being the 1st of March).
pub fn read_month(cell: &str) -> Result<Month, LineProblem> {
    let t = cell.trim();
    if t.chars().any(char::is_alphabetic) {
        let words: Vec<&str> = t
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '.'))
            .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("de") && !w.eq_ignore_ascii_case("del"))
            .collect();
        let [name, year] = words.as_slice() else { return Err(LineProblem::NotAMonth) };
        let number = month_name(name).ok_or(LineProblem::NotAMonth)?;
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

/// A line of words: the month is the first one to three words that read as
/// one (`2022-01`, `ene 2022`, `enero de 2022`), the rest is the price; or
/// the words a month was looked for in and why they are none.
pub fn by_words(line: &str) -> Result<(Month, String), (String, LineProblem)> {
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

/// Whether a line of one cell is a note (a title, a source, a footnote)
/// rather than a month and price typed wrong: it starts with a word that
/// is no month name, or with a footnote's mark (`*`, `(1)`, `1/`). A line
/// that starts with a number or a month's name is an attempt at a month,
/// refused with why.
pub fn is_note(cell: &str) -> bool {
    let t = cell.trim_start();
    let first = t.split_whitespace().next().unwrap_or_default();
    let footnote = first.starts_with(['*', '(', '[']) || (first.len() <= 3 && first.ends_with(['/', ')']) && first.starts_with(|c: char| c.is_ascii_digit()));
    let word = first.split(['-', '/', '.', ',']).next().unwrap_or_default();
    footnote || (first.starts_with(char::is_alphabetic) && month_name(word).is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_as_tables_write_them() {
        for (cell, n) in [("Enero", 1), ("ene", 1), ("ENE.", 1), ("Septiembre", 9), ("Sept.", 9), ("sep", 9), ("Setiembre", 9), ("Diciembre", 12), ("Dic", 12)] {
            assert_eq!(month_name(cell), Some(n), "{cell}");
        }
        for cell in ["Promedio", "Total", "2024", "", "En"] {
            assert_eq!(month_name(cell), None, "{cell}");
        }
    }

    #[test]
    fn years_keep_their_marks_off() {
        for cell in ["2026", "2026**", "2026 (*)", "2026p", "2026 1/", "2026(e)", " 2025* "] {
            assert!(marked_year(cell).is_some(), "{cell}");
        }
        for cell in ["20261", "2026 provisorio", "Año 2026", "2026-01", "26", "2026 12/"] {
            assert_eq!(marked_year(cell), None, "{cell}");
        }
    }

    #[test]
    fn summaries_are_no_months() {
        for cell in ["Promedio", "Prom.", "Total 2021", "Var. %", "Variación anual", "% var.", "Máximo", "PROMEDIO ANUAL"] {
            assert!(is_summary(cell), "{cell}");
        }
        for cell in ["Enero", "Nacional", "2024"] {
            assert!(!is_summary(cell), "{cell}");
        }
    }

    #[test]
    fn what_a_title_says_of_its_prices() {
        for text in ["Precio real ($/litro)", "Cuadro 4B: precios reales", "Precio deflactado por IPC", "En pesos de octubre de 2026", "$/litro de oct. 2026", "4B real", "moneda de septiembre 2026"] {
            assert_eq!(measure_of(text), Some(Measure::Real), "{text}");
        }
        for text in ["Precio nominal", "4A nominal", "Precios en pesos corrientes"] {
            assert_eq!(measure_of(text), Some(Measure::Nominal), "{text}");
        }
        for text in ["Precio de la leche", "Precios nominales y reales", "Región de Los Lagos", "Nacional"] {
            assert_eq!(measure_of(text), None, "{text}");
        }
    }

    #[test]
    fn national_columns() {
        for c in ["Nacional", "Total país", "Promedio Nacional", "PAIS", "Chile"] {
            assert!(is_national(c), "{c}");
        }
        for c in ["Los Lagos", "Región Metropolitana", "Precio"] {
            assert!(!is_national(c), "{c}");
        }
    }

    #[test]
    fn notes_are_told_from_months_typed_wrong() {
        for line in ["Fuente: ODEPA", "(*) Cifras provisorias", "** 2026: enero a octubre", "1/ Sin IVA", "Precio de la leche 2019-2026"] {
            assert!(is_note(line), "{line}");
        }
        for line in ["13/2022 300", "ene 22 300", "2022-02", "Enero 2022", "sept. 2022 300"] {
            assert!(!is_note(line), "{line}");
        }
    }
}
