//! What the data page shows before «Insertar»: the library's upload report
//! ([`leche_core::data::upload::report`], the one the trainer prints) for
//! files picked or dropped and for months typed or pasted, and for the
//! latter each line's fate.
//!
//! Files are read by the library's one reader ([`incoming`]), with the
//! user's choice of series per file ([`Choices`]): choosing another series
//! reads the files again with it, so the report always describes exactly
//! what «Insertar» would write.

use std::collections::BTreeMap;

use leche_core::data::clean::MAX_FILE_BYTES;
use leche_core::data::incoming::{self, Incoming, IncomingError};
use leche_core::data::paste::{read_paste_as, Outcome, PASTE_NAME};
use leche_core::data::row::lines;
use leche_core::data::upload::report::{self, SeriesReport};
use leche_core::data::upload::Plan;
use leche_core::{Database, Model, Month, Source};

use crate::view::format::{capitalize, count};

pub use leche_core::data::upload::report::{months_text, summary_text, FileReport, Prepared, Report};

/// The most files one upload takes (one per source).
pub const MAX_FILES: usize = 3;

/// The series the user chose, per file name (a paste is [`PASTE_NAME`]);
/// a file not named takes its default series.
pub type Choices = BTreeMap<String, usize>;

/// Reads, cleans and plans `files` (name, bytes) against `db`: CSV files
/// and text, not workbooks (whose reader only the worker links). `today` is
/// the browser's current month (`None` when its clock is outside the years
/// a month can have: then no upload can say which months are observed).
pub fn prepare(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>, choices: &Choices) -> Prepared {
    prepare_by(db, files, today, choices, incoming::read_text)
}

/// [`prepare`], with workbooks (`.xlsx`, `.xls`, `.ods`) read too. Only the
/// worker calls it: it is what links calamine.
pub fn prepare_with_workbooks(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>, choices: &Choices) -> Prepared {
    prepare_by(db, files, today, choices, incoming::read)
}

type ReadFile = fn(&str, &[u8], Month) -> Result<Incoming, IncomingError>;

fn prepare_by(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>, choices: &Choices, read: ReadFile) -> Prepared {
    let Some(today) = today else {
        return Prepared::refused("La fecha de este equipo no es válida: corríjala para saber qué meses ya se observaron.");
    };
    if files.is_empty() {
        return Prepared::refused("Elija entre uno y tres archivos (CSV o planillas .xlsx, .xls, .ods).");
    }
    if files.len() > MAX_FILES {
        return Prepared::refused(format!("Se eligieron {} archivos; suba como máximo {MAX_FILES}, uno por fuente.", files.len()));
    }
    let (mut cleaned, mut series, mut notes, mut reasons) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (name, bytes) in files {
        let taken = read(name, bytes, today).map_err(|e| e.to_string()).and_then(|i| i.take(choices.get(name).copied(), today).map_err(|e| format!("{name}: {e}")));
        match taken {
            Ok(t) => {
                cleaned.extend(t.files);
                series.extend(t.series);
                notes.extend(t.notes);
            }
            Err(reason) => reasons.push(format!("Archivo rechazado: {reason}.")),
        }
    }
    if !reasons.is_empty() {
        reasons.push("No se escribió nada: corrija o quite los archivos rechazados.".into());
        return Report::Refused { reasons }.into();
    }
    let mut prepared = report::prepare(db, &cleaned, series);
    if let Report::Ready { notes: report_notes, .. } = &mut prepared.report {
        report_notes.extend(notes);
    }
    prepared
}

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
    let place = |l: &leche_core::data::paste::PastedLine| match usize::try_from(l.row.number()).ok().filter(|&r| r > typed) {
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

/// The size limit, for the page's help text.
pub fn size_limit_text() -> String {
    format!("{} MB por archivo", MAX_FILE_BYTES / (1024 * 1024))
}

#[cfg(test)]
mod tests {
    use super::*;
    use leche_core::data::upload::report::LISTED;

    fn today() -> Option<Month> {
        "2026-11".parse().ok()
    }

    fn none() -> Choices {
        Choices::new()
    }

    fn file(name: &str, text: &str) -> (String, Vec<u8>) {
        (name.to_string(), text.as_bytes().to_vec())
    }

    #[test]
    fn a_bad_file_refuses_the_whole_upload_naming_file_row_and_column() {
        let db = Database::default();
        let r = prepare(&db, &[file("p.csv", "Anio,Mes,Precio_leche\n2020,Ene,abc\n")], today(), &none()).report;
        let Report::Refused { reasons } = r else { panic!("refused expected") };
        assert!(reasons[0].contains("p.csv") && reasons[0].contains("fila 2") && reasons[0].contains("Precio_leche"), "{reasons:?}");
        let r = prepare(&db, &[file("x.csv", "a,b\n1,2\n")], today(), &none()).report;
        assert!(matches!(r, Report::Refused { reasons } if reasons[0].contains("x.csv")));
    }

    fn prices() -> Database {
        let mut db = Database::default();
        let first: Month = "2020-01".parse().expect("month");
        for i in 0..14 {
            db.milk_price.insert(first.offset(i), vec![250.0 + f64::from(i)]);
        }
        db
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

    #[test]
    fn a_lone_rainfall_file_is_explained() {
        let db = Database::default();
        let text = "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n2020-05-01,1,1,1,1,1,1,1,1\n";
        let Prepared { report: Report::Ready { files, notes, writes, .. }, plan: Some(plan) } = prepare(&db, &[file("lluvia.csv", text)], today(), &none()) else { panic!("ready") };
        assert_eq!(writes, plan.writes(false));
        assert_eq!((files[0].insert.count, files[0].insert.text.as_str()), (1, "2020-05"));
        assert!(notes[0].contains("Banco Central"), "{notes:?}");
    }

    #[test]
    fn long_lists_of_flags_are_cut_but_counted() {
        let mut db = Database::default();
        db.milk_price.insert("2020-01".parse().expect("m"), vec![250.0]);
        db.milk_price.insert("2020-02".parse().expect("m"), vec![260.0]);
        let mut text = String::from("Anio,Mes,Precio_leche\n");
        for y in 1990..2000 {
            for m in leche_core::data::month::SPANISH_MONTHS {
                text.push_str(&format!("{y},{m},9000\n"));
            }
        }
        let Report::Ready { files, .. } = prepare(&db, &[file("raro.csv", &text)], today(), &none()).report else { panic!("ready") };
        assert_eq!((files[0].flags.len(), files[0].flags_total), (LISTED, 120));
        assert!(files[0].flags[0].contains("raro.csv, 1990-01"), "{:?}", files[0].flags[0]);
    }

    #[test]
    fn a_file_of_future_months_is_refused_saying_why() {
        // Regression (issue 15): 2999-01 was offered for insertion.
        let db = Database::default();
        let text = "Anio,Mes,Precio_leche\n2999,Ene,250\n2999,Feb,250\n";
        let Report::Refused { reasons } = prepare(&db, &[file("futuro.csv", text)], today(), &none()).report else { panic!("refused") };
        assert!(reasons[0].starts_with("futuro.csv: se omitieron las 2 filas"), "{reasons:?}");
        assert!(reasons[1].contains("mes futuro") && reasons[1].contains("2026-12"), "{reasons:?}");
        let Report::Refused { reasons } = prepare(&db, &[file("p.csv", "Anio,Mes,Precio_leche\n2020,Ene,250\n")], None, &none()).report else {
            panic!("no clock, no upload")
        };
        assert!(reasons[0].contains("fecha"), "{reasons:?}");
    }

    #[test]
    fn thousands_of_unreadable_cells_are_counted_not_all_listed() {
        let db = Database::default();
        let mut text = String::from("Anio,Mes,Precio_leche\n");
        for i in 0..5_000 {
            text.push_str(&format!("{},{},abc\n", 1500 + i / 12, leche_core::data::month::SPANISH_MONTHS[i % 12]));
        }
        let Report::Refused { reasons } = prepare(&db, &[file("p.csv", &text)], today(), &none()).report else { panic!("refused") };
        assert_eq!(reasons.len(), LISTED + 2);
        assert_eq!(reasons.last().map(String::as_str), Some("5.000 valores ilegibles: no se escribió nada."));
    }

    /// Two tabs planning the same month (issue 15): the re-check finds the
    /// other tab's row, and the report turns the insert into a conflict.
    #[test]
    fn a_replanned_report_shows_what_another_tab_wrote_meanwhile() {
        let db = Database::default();
        let text = "Anio,Mes,Precio_leche\n2020,Ene,100\n2020,Feb,101\n";
        let Prepared { report, plan: Some(plan) } = prepare(&db, &[file("p.csv", text)], today(), &none()) else { panic!("ready") };
        let mut other = Database::default();
        other.milk_price.insert("2020-02".parse().expect("m"), vec![105.0]);
        let recheck = plan.recheck(&other);
        assert_eq!(recheck.changed.len(), 1);
        let Report::Ready { files, writes, .. } = report.replanned(&recheck.plan) else { panic!("ready") };
        assert_eq!((files[0].insert.count, files[0].conflicts.count, writes), (1, 1, 1));
        assert_eq!(files[0].rows_read, 2);
    }

    /// A bulletin as ODEPA publishes it, saved as CSV: a nominal and a real
    /// table, titles and notes (invented prices).
    const BULLETIN: &str = "Precio de la leche a productor\n\
        Cuadro 1. Precio nominal ($/litro)\n\
        Mes;2021;2022\n\
        Enero;280,1;300,2\n\
        Febrero;282,3;305,9\n\
        Promedio;281,2;303,1\n\
        \n\
        Cuadro 2. Precio real ($ de octubre de 2026)\n\
        Mes;2021;2022\n\
        Enero;380,5;390,6\n\
        Febrero;381,2;392,8\n\
        Fuente: ODEPA.\n";

    #[test]
    fn a_bulletin_file_reads_its_nominal_table_says_so_and_offers_the_real_one() {
        let db = prices();
        let Prepared { report: Report::Ready { files, series, .. }, plan: Some(plan) } = prepare(&db, &[file("boletin.csv", BULLETIN)], today(), &none()) else { panic!("ready") };
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].text(), "boletin.csv: se leyó tabla de meses por años (2021 a 2022), filas 4–5: 4 meses, 2021-01 a 2022-02.");
        assert_eq!(series[0].options.len(), 2);
        assert_eq!((files[0].insert.text.as_str(), files[0].conflicts.count), ("2022-01 a 2022-02 (2 meses)", 2));
        assert_eq!(plan.tables[0].insert.get(&"2022-02".parse().expect("m")), Some(&vec![305.9]));
        // The real one, chosen: read, and said to be real.
        let choices = Choices::from([("boletin.csv".to_string(), 1)]);
        let Report::Ready { series, .. } = prepare(&db, &[file("boletin.csv", BULLETIN)], today(), &choices).report else { panic!("ready") };
        assert!(series[0].text().contains("(precios reales, elegidos por usted)"), "{}", series[0].text());
    }

    #[test]
    fn a_real_table_alone_reads_nothing_until_chosen() {
        let real = BULLETIN.split("\n\n").nth(1).expect("the real table");
        let Prepared { report: Report::Ready { files, series, writes, .. }, plan: None } = prepare(&prices(), &[file("real.csv", real)], today(), &none()) else { panic!("ready, no plan") };
        assert_eq!((files.len(), writes, series[0].chosen), (0, 0, None));
        assert!(series[0].text().contains("solo tiene precios reales"), "{}", series[0].text());
    }

    #[test]
    fn revisions_all_higher_suggest_real_prices_and_are_not_refused() {
        // Stored 2020-01 … 2021-02 at 250 + i; the file brings them 30 % higher.
        let rows: String = (0..14).map(|i| { let m = "2020-01".parse::<Month>().expect("m").offset(i); format!("{m}\t{}\n", (250.0 + f64::from(i)) * 1.3) }).collect();
        let Report::Ready { notes, files, .. } = prepare(&prices(), &[file("real.txt", &format!("Mes\tPrecio\n{rows}"))], today(), &none()).report else { panic!("ready") };
        assert_eq!(files[0].conflicts.count, 14);
        assert!(notes.iter().any(|n| n.contains("¿Son precios reales?") && n.contains("+30,0 %")), "{notes:?}");
        // A revision or two, either way, is a bulletin's revision: nothing said.
        let Report::Ready { notes, .. } = prepare(&prices(), &[file("rev.txt", "2020-01\t251\n2020-02\t250\n")], today(), &none()).report else { panic!("ready") };
        assert!(!notes.iter().any(|n| n.contains("reales")), "{notes:?}");
    }
}

