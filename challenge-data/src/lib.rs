//! Where the challenge CSVs are: the one locator every data-dependent test,
//! benchmark and the fuzz harness use.
//!
//! The files live in the directory named by `LECHE_DATA` (relative paths
//! are taken from the workspace root), else in the workspace's `data/`
//! (see `data/README.md`), where they are committed: no setting is needed.
//!
//! Tests that need them are marked `#[ignore = "needs LECHE_DATA"]` and call
//! [`dir`], which fails loudly when the files are absent: such a test either
//! checks the real files or says it did not run (`cargo test` lists it as
//! ignored) — it never passes having checked nothing. The test command runs
//! them with `-- --include-ignored` when the data is there (always under CI).
//!
//! ```no_run
//! let csv = challenge_data::read("precio_leche.csv");
//! assert!(csv.starts_with(b"Anio"));
//! ```

use std::path::{Path, PathBuf};

/// The three original files (the `*_dummy.csv` continuation files sit next to them).
pub const FILES: [&str; 3] = ["precipitaciones.csv", "banco_central.csv", "precio_leche.csv"];

/// The workspace root (this crate's parent directory).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().map_or_else(|| here.to_path_buf(), Path::to_path_buf)
}

/// The directory `LECHE_DATA` names (else `data/`), resolved against the workspace root.
pub fn configured() -> PathBuf {
    let dir = std::env::var_os("LECHE_DATA").map_or_else(|| PathBuf::from("data"), PathBuf::from);
    if dir.is_absolute() {
        dir
    } else {
        workspace_root().join(dir)
    }
}

/// The data directory, if it holds the three original files.
pub fn find() -> Option<PathBuf> {
    let dir = configured();
    FILES.iter().all(|f| dir.join(f).is_file()).then_some(dir)
}

/// What to say when the files are not where they should be.
pub fn missing_message() -> String {
    format!(
        "Challenge CSVs not found in {}. Set LECHE_DATA to the folder with {} (see data/README.md).",
        configured().display(),
        FILES.join(", ")
    )
}

/// The data directory; panics with [`missing_message`] when the files are
/// absent (a test that needs them must not pass without them).
pub fn dir() -> PathBuf {
    find().unwrap_or_else(|| panic!("{}", missing_message()))
}

/// The bytes of one file of the data directory; panics naming it when it cannot be read.
pub fn read(name: &str) -> Vec<u8> {
    let path = dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
