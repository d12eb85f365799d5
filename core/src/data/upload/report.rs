//! What an upload would do, as the report shown before anything is
//! written: per file, rows read, months to insert, already present,
//! revised, skipped rows, flagged values; which series of a bulletin was
//! read and which others it offers; or why nothing can be written.
//!
//! In the library, not the app: the page shows it before «Insertar» and the
//! trainer's `add` prints it ([`Report`]'s `Display`) — one report, however
//! the months came. Small whatever the file's size (months as ranges,
//! lists cut at [`LISTED`]), so a worker can send it to the page.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{plan, FlagReason, Plan, UploadError};
use crate::data::bulletin::labels::Measure;
use crate::data::bulletin::SeriesOption;
use crate::data::clean::CleanFile;
use crate::data::locale::{capitalize, count, number};
use crate::data::month::Month;
use crate::data::source::Source;
use crate::data::tables::Database;

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

/// The series of one file (or paste) that held bulletin tables: the one
/// read and the others, for the user to choose among.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesReport {
    /// The file's name, as the upload named it (the key of its choice).
    pub file: String,
    pub options: Vec<SeriesOption>,
    /// The series read, an index into `options`.
    pub chosen: Option<usize>,
    /// «hoja «4A nominal», columna «Nacional», filas 6–73: 68 meses, 2021-03 a 2026-10».
    pub read: Option<String>,
}

impl SeriesReport {
    /// What was read, in one sentence, or why nothing was.
    pub fn text(&self) -> String {
        match (self.chosen.and_then(|c| self.options.get(c)), &self.read) {
            (Some(o), Some(read)) => {
                let real = if o.measure == Measure::Real { " (precios reales, elegidos por usted)" } else { "" };
                format!("{}: se leyó {}{real}, {read}.", self.file, o.label())
            }
            _ if self.options.iter().all(|o| o.measure == Measure::Real) => format!(
                "{}: solo tiene precios reales (deflactados a los pesos de un mes); Leche guarda precios nominales, los de cada mes. Nada se leyó: elija una serie solo si sabe que es nominal.",
                self.file
            ),
            _ => format!("{}: tiene varias columnas de precios y ninguna nacional; elija la que quiere guardar.", self.file),
        }
    }
}

/// The report: either what a plan the user may confirm would do, or the
/// reasons the upload writes nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Report {
    Ready {
        files: Vec<FileReport>,
        /// The bulletins' series: what was read, what else could be.
        series: Vec<SeriesReport>,
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

impl Prepared {
    /// A report that refuses for one reason.
    pub fn refused(reason: impl Into<String>) -> Prepared {
        Report::Refused { reasons: vec![reason.into()] }.into()
    }
}

/// Plans cleaned files (from uploaded files, a workbook's sheets, a
/// bulletin's series or a paste) against `db`: the one report every way of
/// adding months shows before "Insertar". `series` says which series the
/// bulletins among them gave.
pub fn prepare(db: &Database, cleaned: &[CleanFile], series: Vec<SeriesReport>) -> Prepared {
    // A bulletin whose series the user has yet to choose: nothing to plan, the choice to show.
    if cleaned.is_empty() && !series.is_empty() {
        return Report::Ready { files: Vec::new(), series, notes: Vec::new(), writes: 0 }.into();
    }
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
        Err(e) => return Prepared::refused(format!("{}.", capitalize(&e.to_string()))),
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
    let mut notes = lone_notes(db, &plan);
    notes.extend(real_prices_note(&plan));
    let report = Report::Ready { notes, series, writes: plan.writes(false), files };
    Prepared { report, plan: Some(plan) }
}

/// Revised prices that all differ the same way (every stored month lower,
/// or every one higher) by a clear margin (half a percent at the median)
/// are what a real table taken for a nominal one looks like: deflated to
/// one month's pesos, every month before it is higher, the more so the
/// older. Said beside the revision choice; the prices are not refused (a
/// bulletin does revise its figures).
fn real_prices_note(plan: &Plan) -> Option<String> {
    const MIN_MONTHS: usize = 3;
    // A cent on a few hundred pesos: what rounding alone can do.
    const ROUNDING: f64 = 1e-4;
    const CLEAR: f64 = 0.005;
    for t in plan.tables.iter().filter(|t| t.source == Source::MilkPrice) {
        let mut ratios: Vec<f64> = t.conflicts.iter().filter_map(|c| Some(c.incoming.first()? / c.stored.first()?)).filter(|r| r.is_finite()).collect();
        if ratios.len() < MIN_MONTHS {
            continue;
        }
        ratios.sort_by(f64::total_cmp);
        let (lo, hi, median) = (ratios[0], ratios[ratios.len() - 1], ratios[ratios.len() / 2]);
        let one_way = lo > 1.0 + ROUNDING || hi < 1.0 - ROUNDING;
        if one_way && (median - 1.0).abs() > CLEAR {
            return Some(format!(
                "{}: los {} meses ya guardados que trae difieren todos en el mismo sentido (entre {} % y {} %). ¿Son precios reales? Leche guarda precios nominales, los pesos de cada mes; si lo son, elija la tabla nominal o no reemplace los valores guardados.",
                t.file,
                count(ratios.len()),
                signed_percent(lo - 1.0),
                signed_percent(hi - 1.0)
            ));
        }
    }
    None
}

fn signed_percent(share: f64) -> String {
    let sign = if share > 0.0 { "+" } else { "" };
    format!("{sign}{}", number(share * 100.0, 1))
}

impl Report {
    /// The report of `plan`, a re-check of the plan this report described
    /// (another tab changed some months meanwhile): what each file now
    /// inserts, finds present or in conflict; rows read and skipped as before.
    pub fn replanned(&self, plan: &Plan) -> Report {
        let Report::Ready { files, notes, series, .. } = self else { return self.clone() };
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
        Report::Ready { files, series: series.clone(), notes: notes.clone(), writes: plan.writes(false) }
    }
}

/// The report as text, as the trainer prints it: the same facts, in the
/// same order, as the page shows them.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Report::Refused { reasons } => {
                writeln!(f, "No se puede cargar; no se escribió nada:")?;
                reasons.iter().try_for_each(|r| writeln!(f, "  {r}"))
            }
            Report::Ready { files, series, notes, writes } => {
                for s in series {
                    writeln!(f, "{}", s.text())?;
                    for (i, o) in s.options.iter().enumerate().filter(|(i, _)| Some(*i) != s.chosen) {
                        let real = if o.measure == Measure::Real { " (precios reales)" } else { "" };
                        writeln!(f, "  otra serie [{i}]: {}{real}", o.label())?;
                    }
                }
                for r in files {
                    writeln!(f, "{} — {}", r.file, r.source.label())?;
                    writeln!(f, "  Filas leídas: {}", count(usize::try_from(r.rows_read).unwrap_or(usize::MAX)))?;
                    writeln!(f, "  A insertar: {}", r.insert.text)?;
                    writeln!(f, "  Ya guardados (mismos valores): {}", r.present.text)?;
                    writeln!(f, "  Guardados con otro valor (se conserva el guardado): {}", r.conflicts.text)?;
                    writeln!(f, "  Filas omitidas: {}", count(r.skipped_total))?;
                    r.skipped.iter().try_for_each(|s| writeln!(f, "    {s}"))?;
                    writeln!(f, "  Valores marcados para revisar: {}", count(r.flags_total))?;
                    r.flags.iter().try_for_each(|s| writeln!(f, "    {s}"))?;
                }
                notes.iter().try_for_each(|n| writeln!(f, "{n}"))?;
                let conflicts = files.iter().map(|r| r.conflicts.count).sum();
                writeln!(f, "{}", summary_text(*writes, conflicts))
            }
        }
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
            notes.push(format!("{} de {}: se guardan y se unirán a {} cuando lleguen esos meses.", months_text(&waiting), s.label(), partner.label()));
        }
    }
    notes
}

fn flag_text(file: &str, flag: &super::Flag) -> String {
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
            format!("{a} a {b} ({} meses{holes})", count(months.len()))
        }
    }
}

/// Gaps in words: "ninguno", or the months (the first `max`, then how many more).
pub fn gaps_text(gaps: &[Month], max: usize) -> String {
    if gaps.is_empty() {
        return "ninguno".into();
    }
    let shown: Vec<String> = gaps.iter().take(max).map(|m| m.to_string()).collect();
    match gaps.len().saturating_sub(max) {
        0 => shown.join(", "),
        more => format!("{} y {more} más", shown.join(", ")),
    }
}

/// What the report says it would do, in one sentence.
pub fn summary_text(writes: usize, conflicts: usize) -> String {
    match (writes, conflicts) {
        (0, 0) => "Nada nuevo: todos los meses leídos ya están guardados.".to_string(),
        (0, c) => format!(
            "Nada nuevo que insertar; {} meses guardados tienen otro valor en lo leído (se conserva lo guardado salvo que elija reemplazarlos).",
            count(c)
        ),
        (w, _) => format!("Se insertarán {} filas.", count(w)),
    }
}
