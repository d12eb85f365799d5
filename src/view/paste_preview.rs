//! «Agregar meses» before «Insertar»: the paste box's lines and the grid's
//! rows read as one paste ([`leche_core::data::paste`]), planned exactly as
//! an upload (the library's report), each line's fate for the preview, and
//! the notes on months missing before the added ones.

use leche_core::data::paste::{read_paste_as, Outcome, PastedLine, PASTE_NAME};
use leche_core::data::row::lines;
use leche_core::data::upload::report::{self, Prepared, SeriesReport};
use leche_core::data::upload::Plan;
use leche_core::{Database, Model, Month, Source};

use crate::view::format::{capitalize, count};

/// How one line of «Agregar meses» would land, for its preview.
#[derive(Clone, Debug, PartialEq)]
pub enum LineState {
    /// Not a month (a header, a title, a summary row, a table not chosen), and why.
    Omitted(String),
    New,
    /// Stored with the same price: nothing to write.
    Same,
    /// Stored with another price, kept unless "reemplazar" is ticked.
    Revision { stored: f64 },
    /// Not read, and why (the upload path's own messages).
    Refused(String),
}

/// One line of the preview. `place` says where the user typed it: a line of
/// the paste box ("línea 3"), a run of them ("líneas 40–73") or a row of
/// the grid ("cuadrícula, fila 2").
#[derive(Clone, Debug, PartialEq)]
pub struct LinePreview {
    pub place: String,
    pub month: Option<Month>,
    pub price: Option<f64>,
    pub state: LineState,
}

/// «Agregar meses» before "Insertar": each line's fate, what the gap before
/// the new months means, and the same report (and plan) an upload gives.
#[derive(Clone, Debug, PartialEq)]
pub struct PastePreview {
    pub lines: Vec<LinePreview>,
    pub notes: Vec<String>,
    pub prepared: Prepared,
}

/// Reads the paste box's `text` followed by the grid's `grid` rows (month,
/// price) as one paste, reading series `choice` of the tables in it (the
/// default one when `None`), and plans it like an upload against `db`.
/// `model` is the default model: with it, a gap that leaves the next month
/// without a forecast is said.
pub fn prepare_paste(db: &Database, text: &str, grid: &[(String, String)], today: Option<Month>, model: Option<&Model>, choice: Option<usize>) -> PastePreview {
    let refused = |reason: String| PastePreview { lines: Vec::new(), notes: Vec::new(), prepared: Prepared::refused(reason) };
    let Some(today) = today else {
        return refused("La fecha de este equipo no es válida: corríjala para saber qué meses ya se observaron.".into());
    };
    // The grid's rows follow the box's lines, one line each (blank rows too,
    // so line numbers map back to grid rows).
    let typed = lines(text).len();
    let mut all = text.to_string();
    if !grid.is_empty() {
        if !all.is_empty() && !all.ends_with(['\n', '\r']) {
            all.push('\n');
        }
        let rows: Vec<String> = grid.iter().map(|(m, p)| if m.trim().is_empty() && p.trim().is_empty() { String::new() } else { format!("{}\t{}", m.trim(), p.trim()) }).collect();
        all.push_str(&rows.join("\n"));
    }
    let pasted = match read_paste_as(&all, today, choice) {
        Ok(p) => p,
        Err(e) => return refused(format!("{}: {}.", capitalize(PASTE_NAME), e)),
    };
    let place = |l: &PastedLine| match usize::try_from(l.row.number()).ok().filter(|&r| r > typed) {
        Some(r) => format!("cuadrícula, fila {}", r - typed),
        None => l.place(),
    };
    let series = (!pasted.options.is_empty()).then(|| SeriesReport { file: capitalize(PASTE_NAME), options: pasted.options.clone(), chosen: pasted.chosen, read: pasted.extent.clone() });
    let files: Vec<_> = if pasted.chosen.is_some() { vec![pasted.file.clone()] } else { Vec::new() };
    let prepared = report::prepare(db, &files, series.into_iter().collect());
    let table = prepared.plan.as_ref().and_then(|p| p.tables.first());
    let lines = pasted
        .lines
        .iter()
        .map(|l| {
            let place = place(l);
            match &l.outcome {
                Outcome::Omitted(why) => LinePreview { place, month: None, price: None, state: LineState::Omitted(why.to_string()) },
                Outcome::Read { month, price } => {
                    let stored = table.and_then(|t| t.conflicts.iter().find(|c| c.month == *month)).and_then(|c| c.stored.first().copied());
                    let state = match stored {
                        Some(stored) => LineState::Revision { stored },
                        None if table.is_some_and(|t| t.already_present.contains_key(month)) => LineState::Same,
                        None => LineState::New,
                    };
                    LinePreview { place, month: Some(*month), price: Some(*price), state }
                }
                Outcome::Refused { cell, problem } => LinePreview { place, month: None, price: None, state: LineState::Refused(format!("«{cell}»: {problem}")) },
            }
        })
        .collect();
    let notes = prepared.plan.as_ref().map(|p| gap_notes(db, p, model)).unwrap_or_default();
    PastePreview { lines, notes, prepared }
}

/// The months missing between the last stored price and the first new one
/// (allowed: the forecast starts from the last price), and whether the
/// model can still forecast the month after the new data.
pub fn gap_notes(db: &Database, plan: &Plan, model: Option<&Model>) -> Vec<String> {
    let last = db.last_price_month();
    let after_last = |m: &&Month| last.is_none_or(|l| **m > l);
    let mut inserted = plan.tables.iter().filter(|t| t.source == Source::MilkPrice).flat_map(|t| t.insert.keys());
    let Some(first_new) = inserted.find(after_last).copied() else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    if let Some(last) = last.filter(|l| *l < first_new.prev()) {
        let missing = last.months_until(first_new) - 1;
        notes.push(format!(
            "Faltan {} meses entre el último precio guardado ({last}) y el primero agregado ({first_new}): se guardan igual, y el pronóstico parte del último precio.",
            count(usize::try_from(missing).unwrap_or_default())
        ));
    }
    if let Some(model) = model {
        let mut after = db.clone();
        plan.apply(&mut after, false);
        if let (Some(next), true) = (after.last_price_month().map(Month::next), model.fan(&after).is_empty()) {
            notes.push(format!(
                "Con estos meses el modelo «{}» no puede pronosticar {next}: necesita los meses anteriores que faltan; agréguelos también.",
                model.name
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::report::tests::prices;
    use crate::view::report::Report;

    fn today() -> Option<Month> {
        "2026-11".parse().ok()
    }

    #[test]
    fn a_paste_and_the_grid_preview_every_line_as_new_same_revision_or_refused() {
        let db = prices();
        let text = "Mes\tPrecio\n2021-02\t263\n2021-01\t999\nmar-2021\t$ 300,5\n13/2021\t300";
        let grid = [("2021-04".to_string(), "1.234,5".to_string()), (String::new(), String::new()), ("2099-01".to_string(), "300".to_string())];
        let p = prepare_paste(&db, text, &grid, today(), None, None);
        let states: Vec<(&str, &LineState)> = p.lines.iter().map(|l| (l.place.as_str(), &l.state)).collect();
        assert_eq!(states[0], ("línea 1", &LineState::Omitted("encabezado, se omite".into())));
        assert_eq!(states[1], ("línea 2", &LineState::Same));
        assert_eq!(states[2], ("línea 3", &LineState::Revision { stored: 262.0 }));
        assert_eq!((states[3], p.lines[3].price), (("línea 4", &LineState::New), Some(300.5)));
        assert!(matches!(states[4], ("línea 5", LineState::Refused(why)) if why.contains("13/2021") && why.contains("mes no válido")), "{states:?}");
        assert_eq!((states[5], p.lines[5].price), (("cuadrícula, fila 1", &LineState::New), Some(1234.5)));
        assert!(matches!(states[6], ("cuadrícula, fila 3", LineState::Refused(why)) if why.contains("2099-01")), "{states:?}");
        assert_eq!(p.lines.len(), 7, "the blank grid row is no line of the preview");
        // The report and plan are the upload's: two new months, one revision kept.
        let Prepared { report: Report::Ready { writes, files, .. }, plan: Some(plan) } = p.prepared else { panic!("ready: {:?}", p.prepared.report) };
        assert_eq!((writes, files[0].conflicts.count, files[0].present.count), (2, 1, 1));
        assert_eq!(plan.tables[0].file, PASTE_NAME);
        assert!(p.notes.is_empty(), "no gap: {:?}", p.notes);
    }

    #[test]
    fn a_gap_before_the_added_months_is_allowed_and_said() {
        let p = prepare_paste(&prices(), "2021-06\t300", &[], today(), None, None);
        assert_eq!(p.lines[0].state, LineState::New);
        assert_eq!(p.notes, vec!["Faltan 3 meses entre el último precio guardado (2021-02) y el primero agregado (2021-06): se guardan igual, y el pronóstico parte del último precio.".to_string()]);
    }

    #[test]
    fn a_paste_refused_whole_says_why() {
        let p = prepare_paste(&prices(), "   \n", &[], today(), None, None);
        assert!(matches!(&p.prepared.report, Report::Refused { reasons } if reasons[0] == "Texto pegado: no se pegó nada."), "{:?}", p.prepared.report);
        let p = prepare_paste(&prices(), "2021-06\t300", &[], None, None, None);
        assert!(matches!(&p.prepared.report, Report::Refused { reasons } if reasons[0].contains("fecha de este equipo")));
    }
}
