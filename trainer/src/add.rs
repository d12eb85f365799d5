//! `trainer add FILE…`: the site's owner publishes fresh data for every
//! visitor. Each file — a bulletin as published (CSV, `.xlsx`/`.xls`/`.ods`)
//! or a text of pasted lines — is read by the library's one reader (the
//! browser's), checked against the data already in the data folder, and
//! reported exactly as the browser reports it; what it adds is written as a
//! batch file under `DATA/batches/` in the challenge's layouts (the
//! challenge's own three files stay byte for byte), which every later run
//! of the trainer applies after them. Then the caller retrains.
//!
//! A batch file holds only what the owner accepted: the new months, and the
//! revised ones when `--replace` says so. So it is applied with its
//! revisions replacing (it is the owner's decision, written down), and
//! re-running the trainer gives the same tables.

use std::path::{Path, PathBuf};

use leche_core::data::incoming;
use leche_core::data::original_csv::write_table;
use leche_core::data::upload::report::{months_text, prepare, Report};
use leche_core::data::tables::Rows;
use leche_core::{Database, Month, Source};

use crate::TrainerError;

/// Where a data folder keeps the batches `add` wrote, applied in name order.
pub const BATCHES_DIR: &str = "batches";

/// What `add` was asked: the files in order, the series of each (by index,
/// as the report lists them) and whether revised months are replaced.
pub struct AddArgs {
    pub files: Vec<(PathBuf, Option<usize>)>,
    pub replace: bool,
}

/// Adds each file to `db` (the data folder's tables as of now), printing
/// its report; returns the batch files to write (path, text), none written
/// yet: the caller writes them and retrains, and takes them back if the
/// retrain fails, so a failed `add` leaves the data folder as it was.
pub fn add(data: &Path, db: &mut Database, args: &AddArgs, today: Month) -> Result<Vec<(PathBuf, String)>, TrainerError> {
    let mut batches: Vec<(PathBuf, String)> = Vec::new();
    let mut number = last_number(data)?;
    for (path, series) in &args.files {
        let bytes = std::fs::read(path).map_err(|source| TrainerError::Read { path: path.clone(), source })?;
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let incoming = incoming::read(&name, &bytes, today).map_err(|e| TrainerError::Refused(e.to_string()))?;
        let taken = incoming.take(*series, today).map_err(|e| TrainerError::Refused(format!("{name}: {e}")))?;
        let mut prepared = prepare(db, &taken.files, taken.series.into_iter().collect());
        if let Report::Ready { notes, .. } = &mut prepared.report {
            notes.extend(taken.notes);
        }
        println!("{}", prepared.report);
        let Some(plan) = prepared.plan else {
            return Err(TrainerError::Refused(match prepared.report {
                Report::Ready { .. } => format!("{name}: no se leyó ninguna serie; elija una con --serie N (las listadas arriba)"),
                Report::Refused { reasons } => reasons.join("\n"),
            }));
        };
        let batch = plan.batch(args.replace, String::new());
        if batch.written.is_empty() {
            println!("{name}: nada que agregar.\n");
            continue;
        }
        for source in Source::ALL {
            let rows: Rows = batch.written.iter().filter(|w| w.source == source).map(|w| (w.month, w.values.clone())).collect();
            if rows.is_empty() {
                continue;
            }
            let text = write_table(source, &rows).map_err(|e| TrainerError::Refused(format!("{name}: {e}")))?;
            number += 1;
            let file = batch_file(data, number, &name, source);
            println!("{name}: {} meses de {} para {}", rows.len(), source.label(), file.display());
            batches.push((file, text));
        }
        plan.apply(db, args.replace);
        println!();
    }
    Ok(batches)
}

/// What to add when the prices have a gap the models cannot span (they
/// read consecutive months): the missing months, or nothing.
pub fn gap_advice(db: &Database) -> String {
    let months: Vec<Month> = db.milk_price.keys().copied().collect();
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return String::new() };
    let missing: Vec<Month> = first.through(*last).filter(|m| !db.milk_price.contains_key(m)).collect();
    if missing.is_empty() {
        return String::new();
    }
    format!(
        ".\nFaltan los precios de {}: los modelos leen meses seguidos. Agréguelos también, en el mismo comando y antes del archivo que sigue al hueco",
        months_text(&missing)
    )
}

/// The number of the folder's last batch (0 when it has none).
fn last_number(data: &Path) -> Result<u32, TrainerError> {
    Ok(batch_files(data)?.iter().filter_map(|p| p.file_name()?.to_str()?.split('-').next()?.parse::<u32>().ok()).max().unwrap_or(0))
}

/// `DATA/batches/NNN-<stem>-<source file>`: numbered in the order added,
/// so name order is the order they apply.
fn batch_file(data: &Path, number: u32, name: &str, source: Source) -> PathBuf {
    let stem: String = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect())
        .unwrap_or_default();
    data.join(BATCHES_DIR).join(format!("{number:03}-{stem}-{}", source.file_name()))
}

/// The batch files of a data folder, in the order they apply.
pub fn batch_files(data: &Path) -> Result<Vec<PathBuf>, TrainerError> {
    let dir = data.join(BATCHES_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(TrainerError::Read { path: dir, source }),
    };
    let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "csv")).collect();
    files.sort();
    Ok(files)
}
