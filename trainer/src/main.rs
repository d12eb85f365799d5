//! `trainer`: raw CSV files in, versioned JSON artifacts out.
//!
//! ```text
//! cargo run -p trainer --release -- [--data DIR|FILE[,FILE…]]… [--out DIR] [--protocol seed|all]
//! ```
//! Each `--data` is one batch, applied in order with the upload rules of
//! SPEC §6: a directory contributes its `precipitaciones.csv`,
//! `banco_central.csv` and `precio_leche.csv`; a comma-separated list of
//! files contributes those files (each recognised by its header). Without
//! `--data`, the directory in `LECHE_DATA` (default `data/`) is used.

mod log;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use leche_core::artifact::{
    self, Shipped, DATABASE_FILE, EVALUATION_FILE, MODELS_FILE, PREDICTIONS_FILE, TRAIN_LOG_FILE,
};
use leche_core::data::clean::{read_file, CleanFile, FileError};
use leche_core::forecast::FitError;
use leche_core::protocol::anchors::{AnchorFile, Anchors};
use leche_core::protocol::{self, SeedSplit};
use leche_core::data::upload::{plan, UploadError};
use leche_core::{Database, Month, Source};
use thiserror::Error;

/// The original's random split (the original service's `seed_split.json`, kept beside this crate): part of
/// the replica's definition, so it is built in.
const SEED_SPLIT: &str = include_str!("../seed_split.json");
/// The reference forecasters' forecasts on the backtest's origins (written
/// by `scripts/anchors.py`, run by hand): scored beside the honest backtest.
const ANCHORS: &str = include_str!("../anchors.json");

#[derive(Debug, Error)]
enum TrainerError {
    #[error("{0}\nUso: trainer [--data DIR|ARCHIVO[,ARCHIVO…]]… [--out DIR] [--protocol seed|all]")]
    Usage(String),
    #[error("no se pudo leer {path}: {source}. Los CSV del desafío se obtienen como indica data/README.md (o apunte LECHE_DATA a su carpeta).")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("no se pudo escribir {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("la fecha del sistema no es válida; se necesita para saber qué meses ya se observaron")]
    Clock,
    #[error(transparent)]
    File(#[from] FileError),
    #[error("{error}:\n{}", cells.join("\n"))]
    Upload { error: UploadError, cells: Vec<String> },
    #[error(transparent)]
    Protocol(#[from] FitError),
    #[error("partición original ilegible: {0}")]
    SeedSplit(serde_json::Error),
    #[error("pronósticos de referencia (anchors.json) ilegibles: {0}")]
    Anchors(serde_json::Error),
    #[error("serialización: {0}")]
    Json(#[from] serde_json::Error),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Seed,
    All,
}

struct Args {
    batches: Vec<String>,
    out: PathBuf,
    protocol: Protocol,
}

fn parse_args() -> Result<Args, TrainerError> {
    let mut args = Args { batches: Vec::new(), out: PathBuf::from("public/artifacts"), protocol: Protocol::All };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| TrainerError::Usage(format!("{name} necesita un valor")));
        match a.as_str() {
            "--data" => args.batches.push(value("--data")?),
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--protocol" => {
                args.protocol = match value("--protocol")?.as_str() {
                    "seed" => Protocol::Seed,
                    "all" => Protocol::All,
                    other => return Err(TrainerError::Usage(format!("protocolo desconocido: {other}"))),
                }
            }
            other => return Err(TrainerError::Usage(format!("argumento desconocido: {other}"))),
        }
    }
    if args.batches.is_empty() {
        args.batches.push(std::env::var("LECHE_DATA").unwrap_or_else(|_| "data".into()));
    }
    Ok(args)
}

/// The files of one `--data` batch.
fn batch_paths(spec: &str) -> Vec<PathBuf> {
    let p = Path::new(spec);
    if p.is_dir() {
        Source::ALL.iter().map(|s| p.join(s.file_name())).collect()
    } else {
        spec.split(',').map(PathBuf::from).collect()
    }
}

/// The current month (UTC): months after the next one cannot have been
/// observed, so a file is read as of it (SPEC §6).
fn this_month() -> Result<Month, TrainerError> {
    let now = time::OffsetDateTime::now_utc();
    Month::new(now.year(), u32::from(u8::from(now.month()))).ok_or(TrainerError::Clock)
}

fn read_batch(spec: &str, today: Month) -> Result<Vec<CleanFile>, TrainerError> {
    batch_paths(spec)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).map_err(|source| TrainerError::Read { path: path.clone(), source })?;
            // Named by file name only, so the log does not depend on where the data lives.
            let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            Ok(read_file(&name, &bytes, today)?)
        })
        .collect()
}

fn write(dir: &Path, name: &str, contents: &str) -> Result<(), TrainerError> {
    let path = dir.join(name);
    std::fs::write(&path, contents).map_err(|source| TrainerError::Write { path, source })
}

fn run() -> Result<(), TrainerError> {
    let args = parse_args()?;
    let started = Instant::now();
    let mut db = Database::default();
    let mut log = log::TrainLog::default();
    let today = this_month()?;
    for spec in &args.batches {
        let files = read_batch(spec, today)?;
        let p = plan(&db, &files).map_err(|e| {
            let cells = match &e {
                UploadError::Unreadable { cells, .. } => cells.iter().map(|c| format!("  {c}")).collect(),
                _ => Vec::new(),
            };
            TrainerError::Upload { error: e, cells }
        })?;
        log.batch(&files, &p);
        p.apply(&mut db, false);
    }
    log.tables(&db);
    let cleaned = started.elapsed();

    let split: SeedSplit = serde_json::from_str(SEED_SPLIT).map_err(TrainerError::SeedSplit)?;
    let seed = protocol::seed(&db, &split)?;
    log.seed(&seed);
    let seeded = started.elapsed();
    let honest = match args.protocol {
        Protocol::All => {
            let h = protocol::honest(&db)?;
            log.honest(&h);
            Some(h)
        }
        Protocol::Seed => None,
    };
    // The references are scored on the tables the backtest ran on.
    let anchors = match &honest {
        Some(_) => {
            let file: AnchorFile = serde_json::from_str(ANCHORS).map_err(TrainerError::Anchors)?;
            Some(Anchors::score(&file, &db))
        }
        None => None,
    };
    let Shipped { database, models, evaluation } = artifact::ship(db, &seed, honest.as_ref(), anchors)?;
    log.line(&format!("\nVeredicto: {}", models.verdict));
    if let Some(scored) = &evaluation.anchors {
        log.anchors(scored);
    }
    let chosen = models.models.iter().find(|m| m.id == models.default_model).unwrap_or(&seed.model);
    let predictions = chosen.history_and_fan(&database.tables);
    log.line(&format!("Versión de artefactos: {}", models.version));

    std::fs::create_dir_all(&args.out).map_err(|source| TrainerError::Write { path: args.out.clone(), source })?;
    write(&args.out, DATABASE_FILE, &serde_json::to_string(&database)?)?;
    write(&args.out, MODELS_FILE, &serde_json::to_string(&models)?)?;
    write(&args.out, EVALUATION_FILE, &serde_json::to_string(&evaluation)?)?;
    write(&args.out, PREDICTIONS_FILE, &artifact::forecast_csv(&predictions))?;
    write(&args.out, TRAIN_LOG_FILE, &log.finish())?;
    let total = started.elapsed();
    eprintln!(
        "trainer: listo en {:.3} s (limpieza {:.3} s, seed {:.3} s, honesto {:.3} s), memoria pico {} → {}",
        total.as_secs_f64(),
        cleaned.as_secs_f64(),
        (seeded - cleaned).as_secs_f64(),
        (total - seeded).as_secs_f64(),
        peak_memory().unwrap_or_else(|| "desconocida".into()),
        args.out.display()
    );
    Ok(())
}

/// Peak resident memory of this process (Linux `VmHWM`), for the benchmarks.
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.1} MiB", kb / 1024.0))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("trainer: error: {e}");
            ExitCode::FAILURE
        }
    }
}
