//! `trainer`: raw CSV files in, versioned JSON artifacts out.
//!
//! ```text
//! cargo run -p trainer --release -- [--data DIR|FILE[,FILE…]]… [--out DIR] [--snapshot FILE] [--protocol seed|all]
//! cargo run -p trainer --release -- add [--replace] [--out DIR] [--snapshot FILE] [--serie N] FILE [[--serie N] FILE…]
//! ```
//! Each `--data` is one batch, applied in order with the upload rules of
//! SPEC §6: a directory contributes its `precipitaciones.csv`,
//! `banco_central.csv` and `precio_leche.csv`, then each file of its
//! `batches/` folder (what `add` wrote, in name order, its revisions
//! replacing); a comma-separated list of files contributes those files
//! (each recognised by its header). Without `--data`, the directory in
//! `LECHE_DATA` (default `data/`) is used. With the default `--out`
//! (`public/artifacts`) the first-paint snapshot `public/snapshot.html` is
//! written too, so the page opens on the artifacts it ships.
//!
//! `add` publishes fresh data: see [`add`]. It then retrains on the data
//! folder, as a plain run does.

mod add;
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
pub(crate) enum TrainerError {
    #[error("{0}\nUso: trainer [--data DIR|ARCHIVO[,ARCHIVO…]]… [--out DIR] [--snapshot ARCHIVO] [--protocol seed|all]\n     trainer add [--replace] [--serie N] ARCHIVO [[--serie N] ARCHIVO…]")]
    Usage(String),
    /// A file `add` was given that writes nothing, and why.
    #[error("{0}\nNo se escribió nada.")]
    Refused(String),
    #[error("página inicial: {0}")]
    Snapshot(String),
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

/// The default output: the site's artifacts, beside its first-paint snapshot.
const SITE_ARTIFACTS: &str = "public/artifacts";
const SITE_SNAPSHOT: &str = "public/snapshot.html";

struct Args {
    batches: Vec<String>,
    out: PathBuf,
    snapshot: Option<PathBuf>,
    protocol: Protocol,
    add: Option<add::AddArgs>,
}

fn parse_args() -> Result<Args, TrainerError> {
    let mut args = Args { batches: Vec::new(), out: PathBuf::from(SITE_ARTIFACTS), snapshot: None, protocol: Protocol::All, add: None };
    let mut it = std::env::args().skip(1).peekable();
    if it.peek().map(String::as_str) == Some("add") {
        it.next();
        let mut add = add::AddArgs { files: Vec::new(), replace: false };
        let mut series = None;
        while let Some(a) = it.next() {
            match a.as_str() {
                "--replace" => add.replace = true,
                "--out" => args.out = PathBuf::from(it.next().ok_or_else(|| TrainerError::Usage("--out necesita un valor".into()))?),
                "--snapshot" => args.snapshot = Some(PathBuf::from(it.next().ok_or_else(|| TrainerError::Usage("--snapshot necesita un valor".into()))?)),
                "--serie" => {
                    let n = it.next().ok_or_else(|| TrainerError::Usage("--serie necesita un número".into()))?;
                    series = Some(n.parse().map_err(|_| TrainerError::Usage(format!("--serie {n}: se espera el número de la serie (0, 1, …)")))?);
                }
                other if other.starts_with("--") => return Err(TrainerError::Usage(format!("argumento desconocido: {other}"))),
                file => add.files.push((PathBuf::from(file), series.take())),
            }
        }
        if add.files.is_empty() {
            return Err(TrainerError::Usage("add necesita al menos un archivo".into()));
        }
        args.add = Some(add);
    }
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| TrainerError::Usage(format!("{name} necesita un valor")));
        match a.as_str() {
            "--data" => args.batches.push(value("--data")?),
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--snapshot" => args.snapshot = Some(PathBuf::from(value("--snapshot")?)),
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
        args.batches.push(data_dir());
    }
    if args.snapshot.is_none() && args.out == Path::new(SITE_ARTIFACTS) {
        args.snapshot = Some(PathBuf::from(SITE_SNAPSHOT));
    }
    Ok(args)
}

/// The data folder: `LECHE_DATA`, else `data/`.
fn data_dir() -> String {
    std::env::var("LECHE_DATA").unwrap_or_else(|_| "data".into())
}

/// The batches of one `--data`, in order, each with whether its revisions
/// replace: a directory's challenge files (they keep what is stored), then
/// its `batches/` files (the owner's accepted months, replacing).
fn batch_paths(spec: &str) -> Result<Vec<(Vec<PathBuf>, bool)>, TrainerError> {
    let p = Path::new(spec);
    if p.is_dir() {
        let mut all = vec![(Source::ALL.iter().map(|s| p.join(s.file_name())).collect(), false)];
        all.extend(add::batch_files(p)?.into_iter().map(|f| (vec![f], true)));
        Ok(all)
    } else {
        Ok(vec![(spec.split(',').map(PathBuf::from).collect(), false)])
    }
}

/// The current month (UTC): months after the next one cannot have been
/// observed, so a file is read as of it (SPEC §6).
fn this_month() -> Result<Month, TrainerError> {
    let now = time::OffsetDateTime::now_utc();
    Month::new(now.year(), u32::from(u8::from(now.month()))).ok_or(TrainerError::Clock)
}

fn read_batch(paths: &[PathBuf], today: Month) -> Result<Vec<CleanFile>, TrainerError> {
    paths
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|source| TrainerError::Read { path: path.clone(), source })?;
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

/// The tables of every `--data` batch, applied in order with the upload rules.
fn load(batches: &[String], today: Month, log: &mut log::TrainLog) -> Result<Database, TrainerError> {
    let mut db = Database::default();
    for spec in batches {
        for (paths, replace) in batch_paths(spec)? {
            let files = read_batch(&paths, today)?;
            let p = plan(&db, &files).map_err(|e| {
                let cells = match &e {
                    UploadError::Unreadable { cells, .. } => cells.iter().map(|c| format!("  {c}")).collect(),
                    _ => Vec::new(),
                };
                TrainerError::Upload { error: e, cells }
            })?;
            log.batch(&files, &p, replace);
            p.apply(&mut db, replace);
        }
    }
    Ok(db)
}

fn run() -> Result<(), TrainerError> {
    let args = parse_args()?;
    let today = this_month()?;
    let Some(add) = &args.add else { return train(&args, today) };
    let data = data_dir();
    let mut db = load(std::slice::from_ref(&data), today, &mut log::TrainLog::default())?;
    let batches = add::add(Path::new(&data), &mut db, add, today)?;
    if batches.is_empty() {
        println!("Nada nuevo: no se reentrena.");
        return Ok(());
    }
    // The batches are written, then the models refitted on the folder as
    // any run reads it; if that fails, the batches are taken back.
    let take_back = |written: &[PathBuf]| written.iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    let mut written = Vec::new();
    for (path, text) in &batches {
        let saved = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(path, text));
        if let Err(source) = saved {
            take_back(&written);
            return Err(TrainerError::Write { path: path.clone(), source });
        }
        written.push(path.clone());
    }
    println!("Reentrenando con {data}…");
    train(&args, today).map_err(|e| {
        take_back(&written);
        TrainerError::Refused(format!("no se pudo reentrenar con los meses agregados: {e}{}", add::gap_advice(&db)))
    })?;
    written.iter().for_each(|f| println!("escrito: {}", f.display()));
    Ok(())
}

fn train(args: &Args, today: Month) -> Result<(), TrainerError> {
    let started = Instant::now();
    let mut log = log::TrainLog::default();
    let db = load(&args.batches, today, &mut log)?;
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
    if let Some(path) = &args.snapshot {
        let html = leche::view::snapshot::from_artifacts(&args.out).map_err(|e| TrainerError::Snapshot(e.to_string()))?;
        std::fs::write(path, html).map_err(|source| TrainerError::Write { path: path.clone(), source })?;
    }
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
