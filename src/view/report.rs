//! What an upload would do, as the report the data page shows before the
//! user confirms: per file, rows read, months to insert, already present,
//! conflicts, skipped rows, flagged values; or why nothing can be written.
//!
//! Pure (files in as bytes), so it is tested natively. In the browser a
//! large upload is read and validated in a Web Worker ([`crate::worker`]):
//! the page gets the report — small, whatever the file's size — and keeps the
//! plan as text until the user inserts it.

use leche_core::data::clean::{read_file, CleanFile, MAX_FILE_BYTES};
use leche_core::data::paste::{read_paste, Outcome, PASTE_NAME};
use leche_core::data::row::lines;
use leche_core::data::upload::{plan, FlagReason, Plan, UploadError};
use leche_core::{Database, Model, Month, Source};
use serde::{Deserialize, Serialize};

use crate::view::table_coverage::gaps_text;
use crate::view::spreadsheet;
use crate::view::format::{count, number, span};

/// The most files one upload takes (one per source).
pub const MAX_FILES: usize = 3;

/// How many skipped rows and flagged values a report spells out per file:
/// a file of synthetic years can flag every one of 100,000 rows, and a page
/// listing them all freezes for seconds while nobody reads past the first few.
pub const LISTED: usize = 20;

/// One file's part of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    pub source: Source,
    pub rows_read: u64,
    pub insert: MonthList,
    pub present: MonthList,
    pub conflicts: MonthList,
    /// The first [`LISTED`] skipped rows, with the reason, of `skipped_total`.
    pub skipped: Vec<String>,
    pub skipped_total: usize,
    /// The first [`LISTED`] flagged values, of `flags_total`.
    pub flags: Vec<String>,
    pub flags_total: usize,
}

/// Months as the page shows them: how many, and as compact ranges. The
/// report carries this rather than every month, so it stays small however
/// many months a file holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthList {
    pub count: usize,
    pub text: String,
}

impl From<&[Month]> for MonthList {
    fn from(months: &[Month]) -> MonthList {
        MonthList { count: months.len(), text: months_text(months) }
    }
}

/// The report: either what a plan the user may confirm would do, or the
/// reasons the upload writes nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Report {
    Ready {
        files: Vec<FileReport>,
        notes: Vec<String>,
        /// Rows the plan writes without replacing revised values.
        writes: usize,
    },
    Refused { reasons: Vec<String> },
}

/// A report and, when it is ready, the plan it describes.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub report: Report,
    pub plan: Option<Plan>,
}

impl From<Report> for Prepared {
    fn from(report: Report) -> Prepared {
        Prepared { report, plan: None }
    }
}

/// Reads, cleans and plans CSV `files` (name, bytes) against `db`. `today` is
/// the browser's current month (`None` when its clock is outside the years
/// a month can have: then no upload can say which months are observed).
pub fn prepare(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>) -> Prepared {
    prepare_by(db, files, today, read_csv)
}

/// [`prepare`], with workbooks (`.xlsx`, `.xls`, `.ods`) read too, each of
/// their recognised sheets a file of the upload. Only the worker calls it:
/// it is what links calamine.
pub fn prepare_with_workbooks(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>) -> Prepared {
    prepare_by(db, files, today, |name, bytes, today| {
        if spreadsheet::is_workbook(name) {
            let book = spreadsheet::read(name, bytes, today).map_err(|e| format!("Archivo rechazado: {e}."))?;
            Ok((book.files, book.notes))
        } else {
            read_csv(name, bytes, today)
        }
    })
}

/// One uploaded file as cleaned files (one, for a CSV) and notes for the
/// report, or why it is refused.
type ReadFile = fn(&str, &[u8], Month) -> Result<(Vec<CleanFile>, Vec<String>), String>;

fn read_csv(name: &str, bytes: &[u8], today: Month) -> Result<(Vec<CleanFile>, Vec<String>), String> {
    read_file(name, bytes, today).map(|f| (vec![f], Vec::new())).map_err(|e| format!("Archivo rechazado: {e}."))
}

fn prepare_by(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>, read: ReadFile) -> Prepared {
    let Some(today) = today else {
        return Report::Refused {
            reasons: vec!["La fecha de este equipo no es válida: corríjala para saber qué meses ya se observaron.".into()],
        }
        .into();
    };
    if files.is_empty() {
        return Report::Refused { reasons: vec!["Elija entre uno y tres archivos (CSV o planillas .xlsx, .xls, .ods).".into()] }.into();
    }
    if files.len() > MAX_FILES {
        return Report::Refused {
            reasons: vec![format!("Se eligieron {} archivos; suba como máximo {MAX_FILES}, uno por fuente.", files.len())],
        }
        .into();
    }
    let mut cleaned: Vec<CleanFile> = Vec::new();
    let mut notes = Vec::new();
    let mut reasons = Vec::new();
    for (name, bytes) in files {
        match read(name, bytes, today) {
            Ok((files, file_notes)) => {
                cleaned.extend(files);
                notes.extend(file_notes);
            }
            Err(reason) => reasons.push(reason),
        }
    }
    if !reasons.is_empty() {
        reasons.push("No se escribió nada: corrija o quite los archivos rechazados.".into());
        return Report::Refused { reasons }.into();
    }
    let mut prepared = prepare_cleaned(db, &cleaned);
    if let Report::Ready { notes: report_notes, .. } = &mut prepared.report {
        report_notes.extend(notes);
    }
    prepared
}

/// Plans cleaned files (from uploaded files or a paste) against `db`: the
/// one report every way of adding months shows before "Insertar".
fn prepare_cleaned(db: &Database, cleaned: &[CleanFile]) -> Prepared {
    let plan = match plan(db, cleaned) {
        Ok(p) => p,
        Err(UploadError::Unreadable { cells, total }) => {
            let mut reasons: Vec<String> = cells.iter().take(LISTED).map(|c| format!("{c}.")).collect();
            let total = usize::try_from(total).unwrap_or(usize::MAX);
            if total > reasons.len() {
                reasons.push(format!("… y {} más.", count(total - reasons.len())));
            }
            reasons.push(format!("{} valores ilegibles: no se escribió nada.", count(total)));
            return Report::Refused { reasons }.into();
        }
        Err(e) => return Report::Refused { reasons: vec![format!("{}.", crate::view::format::capitalize(&e.to_string()))] }.into(),
    };
    let files = plan
        .tables
        .iter()
        .zip(cleaned)
        .map(|(t, f)| FileReport {
            file: t.file.clone(),
            source: t.source,
            rows_read: f.rows_read,
            insert: t.insert.keys().copied().collect::<Vec<_>>().as_slice().into(),
            present: t.already_present.keys().copied().collect::<Vec<_>>().as_slice().into(),
            conflicts: t.conflicts.iter().map(|c| c.month).collect::<Vec<_>>().as_slice().into(),
            skipped: f.skipped.iter().take(LISTED).map(|s| format!("{}: {s}", f.file)).collect(),
            skipped_total: usize::try_from(f.skipped_total).unwrap_or(usize::MAX),
            flags: t.flags.iter().take(LISTED).map(|fl| flag_text(&t.file, fl)).collect(),
            flags_total: t.flags.len(),
        })
        .collect::<Vec<FileReport>>();
    if let Some(reasons) = nothing_usable(&files) {
        return Report::Refused { reasons }.into();
    }
    let report = Report::Ready { notes: lone_notes(db, &plan), writes: plan.writes(false), files };
    Prepared { report, plan: Some(plan) }
}

/// How one line of «Agregar meses» would land, for its preview.
#[derive(Clone, Debug, PartialEq)]
pub enum LineState {
    /// Column names, skipped.
    Header,
    New,
    /// Stored with the same price: nothing to write.
    Same,
    /// Stored with another price, kept unless "reemplazar" is ticked.
    Revision { stored: f64 },
    /// Not read, and why (the upload path's own messages).
    Refused(String),
}

/// One line of the preview. `place` says where the user typed it: a line of
/// the paste box ("línea 3") or a row of the grid ("cuadrícula, fila 2").
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
/// price) as one paste, and plans it like an upload against `db`. `model`
/// is the default model: with it, a gap that leaves the next month without
/// a forecast is said.
pub fn prepare_paste(db: &Database, text: &str, grid: &[(String, String)], today: Option<Month>, model: Option<&Model>) -> PastePreview {
    let refused = |reason: String| PastePreview { lines: Vec::new(), notes: Vec::new(), prepared: Report::Refused { reasons: vec![reason] }.into() };
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
    let pasted = match read_paste(&all, today) {
        Ok(p) => p,
        Err(e) => return refused(format!("{}: {}.", crate::view::format::capitalize(PASTE_NAME), e)),
    };
    let place = |line: u64| match usize::try_from(line).ok().filter(|&l| l > typed) {
        Some(l) => format!("cuadrícula, fila {}", l - typed),
        None => format!("línea {line}"),
    };
    let prepared = prepare_cleaned(db, std::slice::from_ref(&pasted.file));
    let table = prepared.plan.as_ref().and_then(|p| p.tables.first());
    let lines = pasted
        .lines
        .iter()
        .map(|l| {
            let place = format!("{}{}", place(l.row.number()), l.in_column());
            match &l.outcome {
                Outcome::Header => LinePreview { place, month: None, price: None, state: LineState::Header },
                Outcome::Read { month, price } => {
                    let stored = table.and_then(|t| t.conflicts.iter().find(|c| c.month == *month)).and_then(|c| c.stored.first().copied());
                    let state = match stored {
                        Some(stored) => LineState::Revision { stored },
                        None if table.is_some_and(|t| t.already_present.contains_key(month)) => LineState::Same,
                        None => LineState::New,
                    };
                    LinePreview { place, month: Some(*month), price: Some(*price), state }
                }
                Outcome::Refused { cell, problem } => {
                    LinePreview { place, month: None, price: None, state: LineState::Refused(format!("«{cell}»: {problem}")) }
                }
            }
        })
        .collect();
    let notes = prepared.plan.as_ref().map(|p| gap_notes(db, p, model)).unwrap_or_default();
    PastePreview { lines, notes, prepared }
}

/// The months missing between the last stored price and the first new one
/// (allowed: the forecast starts from the last price), and whether the
/// model can still forecast the month after the new data.
fn gap_notes(db: &Database, plan: &Plan, model: Option<&Model>) -> Vec<String> {
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

impl Report {
    /// The report of `plan`, a re-check of the plan this report described
    /// (another tab changed some months meanwhile): what each file now
    /// inserts, finds present or in conflict; rows read and skipped as before.
    pub fn replanned(&self, plan: &Plan) -> Report {
        let Report::Ready { files, notes, .. } = self else { return self.clone() };
        let files = files
            .iter()
            .map(|f| match plan.tables.iter().find(|t| t.file == f.file && t.source == f.source) {
                Some(t) => FileReport {
                    insert: t.insert.keys().copied().collect::<Vec<_>>().as_slice().into(),
                    present: t.already_present.keys().copied().collect::<Vec<_>>().as_slice().into(),
                    conflicts: t.conflicts.iter().map(|c| c.month).collect::<Vec<_>>().as_slice().into(),
                    flags: t.flags.iter().take(LISTED).map(|fl| flag_text(&t.file, fl)).collect(),
                    flags_total: t.flags.len(),
                    ..f.clone()
                },
                None => f.clone(),
            })
            .collect();
        Report::Ready { files, notes: notes.clone(), writes: plan.writes(false) }
    }
}

/// When every row of every file was skipped (a file of future months, of
/// impossible values), the upload has nothing to offer: it is refused with
/// the reasons, rather than reported as "nothing new".
fn nothing_usable(files: &[FileReport]) -> Option<Vec<String>> {
    let usable = files.iter().any(|f| f.insert.count + f.present.count + f.conflicts.count > 0);
    if usable || files.iter().all(|f| f.skipped_total == 0) {
        return None;
    }
    let mut reasons = Vec::new();
    for f in files.iter().filter(|f| f.skipped_total > 0) {
        reasons.push(format!("{}: se omitieron las {} filas; ninguna se puede guardar.", f.file, count(f.skipped_total)));
        reasons.extend(f.skipped.iter().take(3).map(|s| format!("{s}.")));
    }
    reasons.push("No se escribió nada.".into());
    Some(reasons)
}

/// SPEC §3: rainfall and Central Bank join by month; a lone file is kept
/// and joins when its partner arrives.
fn lone_notes(db: &Database, plan: &Plan) -> Vec<String> {
    let has = |s: Source| plan.tables.iter().any(|t| t.source == s && !t.insert.is_empty());
    let mut notes = Vec::new();
    for (s, partner) in [(Source::Rainfall, Source::CentralBank), (Source::CentralBank, Source::Rainfall)] {
        if !has(s) {
            continue;
        }
        let table = plan.tables.iter().find(|t| t.source == s);
        let waiting: Vec<Month> = table
            .map(|t| {
                t.insert
                    .keys()
                    .copied()
                    .filter(|m| !db.table(partner).contains_key(m) && !plan.tables.iter().any(|p| p.source == partner && p.insert.contains_key(m)))
                    .collect()
            })
            .unwrap_or_default();
        if !waiting.is_empty() {
            notes.push(format!(
                "{} de {}: se guardan y se unirán a {} cuando lleguen esos meses.",
                months_text(&waiting),
                s.label(),
                partner.label()
            ));
        }
    }
    notes
}

fn flag_text(file: &str, flag: &leche_core::data::upload::Flag) -> String {
    match &flag.reason {
        FlagReason::OutOfRange { min, max } => format!(
            "{file}, {} {}: {} está lejos del rango guardado ({} a {}); se inserta, revíselo",
            flag.month,
            flag.column,
            number(flag.value, 3),
            number(*min, 3),
            number(*max, 3)
        ),
    }
}

/// Months as compact ranges: "2020-05 a 2021-03 (11 meses)".
pub fn months_text(months: &[Month]) -> String {
    match (months.first(), months.last()) {
        (None, _) | (_, None) => "ninguno".into(),
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => {
            let gaps: Vec<Month> = a.through(*b).filter(|m| months.binary_search(m).is_err()).collect();
            let holes = if gaps.is_empty() { String::new() } else { format!(", sin {}", gaps_text(&gaps, 6)) };
            format!("{} ({} meses{holes})", span(Some(*a), Some(*b)).unwrap_or_default(), count(months.len()))
        }
    }
}

/// What the report says it would do, in one sentence.
pub fn summary_text(writes: usize, conflicts: usize) -> String {
    match (writes, conflicts) {
        (0, 0) => "Nada nuevo: todos los meses de estos archivos ya están guardados.".to_string(),
        (0, c) => format!(
            "Nada nuevo que insertar; {} meses guardados tienen otro valor en los archivos (se conserva lo guardado salvo que elija reemplazarlos).",
            count(c)
        ),
        (w, _) => format!("Se insertarán {} filas.", count(w)),
    }
}

/// The size limit, for the page's help text.
pub fn size_limit_text() -> String {
    format!("{} MB por archivo", MAX_FILE_BYTES / (1024 * 1024))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Option<Month> {
        "2026-11".parse().ok()
    }

    fn file(name: &str, text: &str) -> (String, Vec<u8>) {
        (name.to_string(), text.as_bytes().to_vec())
    }

    #[test]
    fn a_bad_file_refuses_the_whole_upload_naming_file_row_and_column() {
        let db = Database::default();
        let r = prepare(&db, &[file("p.csv", "Anio,Mes,Precio_leche\n2020,Ene,abc\n")], today()).report;
        let Report::Refused { reasons } = r else { panic!("refused expected") };
        assert!(reasons[0].contains("p.csv") && reasons[0].contains("fila 2") && reasons[0].contains("Precio_leche"), "{reasons:?}");
        let r = prepare(&db, &[file("x.csv", "a,b\n1,2\n")], today()).report;
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
        let p = prepare_paste(&db, text, &grid, today(), None);
        let states: Vec<(&str, &LineState)> = p.lines.iter().map(|l| (l.place.as_str(), &l.state)).collect();
        assert_eq!(states[0], ("línea 1", &LineState::Header));
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
        let p = prepare_paste(&prices(), "2021-06\t300", &[], today(), None);
        assert_eq!(p.lines[0].state, LineState::New);
        assert_eq!(p.notes, vec!["Faltan 3 meses entre el último precio guardado (2021-02) y el primero agregado (2021-06): se guardan igual, y el pronóstico parte del último precio.".to_string()]);
    }

    #[test]
    fn a_paste_refused_whole_says_why() {
        let p = prepare_paste(&prices(), "   \n", &[], today(), None);
        assert!(matches!(&p.prepared.report, Report::Refused { reasons } if reasons[0] == "Texto pegado: no se pegó nada."), "{:?}", p.prepared.report);
        let p = prepare_paste(&prices(), "2021-06\t300", &[], None, None);
        assert!(matches!(&p.prepared.report, Report::Refused { reasons } if reasons[0].contains("fecha de este equipo")));
    }

    #[test]
    fn a_lone_rainfall_file_is_explained() {
        let db = Database::default();
        let text = "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n2020-05-01,1,1,1,1,1,1,1,1\n";
        let Prepared { report: Report::Ready { files, notes, writes }, plan: Some(plan) } = prepare(&db, &[file("lluvia.csv", text)], today()) else { panic!("ready") };
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
        let Report::Ready { files, .. } = prepare(&db, &[file("raro.csv", &text)], today()).report else { panic!("ready") };
        assert_eq!((files[0].flags.len(), files[0].flags_total), (LISTED, 120));
        assert!(files[0].flags[0].contains("raro.csv, 1990-01"), "{:?}", files[0].flags[0]);
    }

    #[test]
    fn a_file_of_future_months_is_refused_saying_why() {
        // Regression (issue 15): 2999-01 was offered for insertion.
        let db = Database::default();
        let text = "Anio,Mes,Precio_leche\n2999,Ene,250\n2999,Feb,250\n";
        let Report::Refused { reasons } = prepare(&db, &[file("futuro.csv", text)], today()).report else { panic!("refused") };
        assert!(reasons[0].starts_with("futuro.csv: se omitieron las 2 filas"), "{reasons:?}");
        assert!(reasons[1].contains("mes futuro") && reasons[1].contains("2026-12"), "{reasons:?}");
        let Report::Refused { reasons } = prepare(&db, &[file("p.csv", "Anio,Mes,Precio_leche\n2020,Ene,250\n")], None).report else {
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
        let Report::Refused { reasons } = prepare(&db, &[file("p.csv", &text)], today()).report else { panic!("refused") };
        assert_eq!(reasons.len(), LISTED + 2);
        assert_eq!(reasons.last().map(String::as_str), Some("5.000 valores ilegibles: no se escribió nada."));
    }

    /// Two tabs planning the same month (issue 15): the re-check finds the
    /// other tab's row, and the report turns the insert into a conflict.
    #[test]
    fn a_replanned_report_shows_what_another_tab_wrote_meanwhile() {
        let db = Database::default();
        let text = "Anio,Mes,Precio_leche\n2020,Ene,100\n2020,Feb,101\n";
        let Prepared { report, plan: Some(plan) } = prepare(&db, &[file("p.csv", text)], today()) else { panic!("ready") };
        let mut other = Database::default();
        other.milk_price.insert("2020-02".parse().expect("m"), vec![105.0]);
        let recheck = plan.recheck(&other);
        assert_eq!(recheck.changed.len(), 1);
        let Report::Ready { files, writes, .. } = report.replanned(&recheck.plan) else { panic!("ready") };
        assert_eq!((files[0].insert.count, files[0].conflicts.count, writes), (1, 1, 1));
        assert_eq!(files[0].rows_read, 2);
    }

    #[test]
    fn month_lists_are_compact() {
        let m = |s: &str| s.parse::<Month>().expect("m");
        assert_eq!(months_text(&[m("2020-05"), m("2020-06"), m("2020-08")]), "2020-05 a 2020-08 (3 meses, sin 2020-07)");
        assert_eq!(months_text(&[]), "ninguno");
    }
}
