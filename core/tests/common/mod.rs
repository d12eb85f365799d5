//! The challenge CSVs for data-dependent tests, through the workspace's one
//! locator ([`challenge_data`]).
//!
//! A test that needs them is marked `#[ignore = "needs LECHE_DATA"]` and
//! calls [`data`]: it runs with `cargo test -- --include-ignored` and fails
//! loudly when the files are absent.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};

use leche_core::data::clean::{read_file, CleanFile};
use leche_core::data::upload::plan;
use leche_core::{Database, Month, Source};

pub fn workspace_root() -> PathBuf {
    challenge_data::workspace_root()
}

/// The data directory; panics when the CSVs are absent.
pub fn data() -> PathBuf {
    challenge_data::dir()
}

/// The month the data tests read the files as of: after the last month of
/// the original and continuation files (2021-03), so none is "future".
pub fn today() -> Month {
    Month::new(2026, 11).expect("a valid month literal")
}

pub fn read(dir: &Path, name: &str) -> CleanFile {
    let bytes = std::fs::read(dir.join(name)).expect("readable data file");
    read_file(name, &bytes, today()).expect("valid data file")
}

/// The database the trainer builds from the original three files.
pub fn original_db(dir: &Path) -> Database {
    let files: Vec<CleanFile> = Source::ALL.iter().map(|s| read(dir, s.file_name())).collect();
    let mut db = Database::default();
    plan(&db, &files).expect("original files are clean").apply(&mut db, false);
    db
}
