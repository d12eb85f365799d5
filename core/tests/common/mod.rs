//! Finding the challenge CSVs for data-dependent tests.
//!
//! They live in `LECHE_DATA` (default `data/` at the workspace root). Where
//! they are absent the test says so loudly and passes — except under
//! `CI=true`, where missing data is a failure.

use std::path::PathBuf;

use leche_core::clean::{read_file, CleanFile};
use leche_core::upload::plan;
use leche_core::{Database, Source};

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The data directory, or `None` (after a loud message) when the CSVs are absent.
pub fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var("LECHE_DATA").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("data"));
    let dir = if dir.is_absolute() { dir } else { workspace_root().join(dir) };
    if Source::ALL.iter().all(|s| dir.join(s.file_name()).is_file()) {
        return Some(dir);
    }
    let msg = format!(
        "\n!!! Challenge CSVs not found in {} — this test did NOT check anything.\n!!! Set LECHE_DATA to the folder with precipitaciones.csv, banco_central.csv and precio_leche.csv (see data/README.md).\n",
        dir.display()
    );
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
    None
}

pub fn read(dir: &std::path::Path, name: &str) -> CleanFile {
    let bytes = std::fs::read(dir.join(name)).expect("readable data file");
    read_file(name, &bytes).expect("valid data file")
}

/// The database the trainer builds from the original three files.
pub fn original_db(dir: &std::path::Path) -> Database {
    let files: Vec<CleanFile> = Source::ALL.iter().map(|s| read(dir, s.file_name())).collect();
    let mut db = Database::default();
    plan(&db, &files, None).expect("original files are clean").apply(&mut db, false);
    db
}
