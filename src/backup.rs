//! The full backup file: tables, models, batches and the interaction log,
//! as one JSON document that restores everything.

use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};
use leche_core::upload::Batch;
use serde::{Deserialize, Serialize};

use crate::interaction::LogEntry;

/// What the file says it is, so any other JSON is refused with a clear message.
pub const KIND: &str = "leche-respaldo";
/// Bumped when the backup's shape changes.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub kind: String,
    pub version: u32,
    pub created: String,
    pub database: DatabaseArtifact,
    pub models: ModelsArtifact,
    pub batches: Vec<(u32, Batch)>,
    pub log: Vec<LogEntry>,
}

impl Backup {
    /// Reads a backup file, or says why it is not one.
    pub fn parse(file: &str, text: &str) -> Result<Backup, String> {
        #[derive(Deserialize)]
        struct Head {
            kind: Option<String>,
            version: Option<u32>,
        }
        let head: Head = serde_json::from_str(text).map_err(|e| format!("{file}: no es un respaldo de Leche (JSON ilegible: {e})"))?;
        if head.kind.as_deref() != Some(KIND) {
            return Err(format!("{file}: no es un respaldo de Leche"));
        }
        if head.version != Some(VERSION) {
            return Err(format!("{file}: respaldo de una versión que esta página no conoce ({:?})", head.version));
        }
        serde_json::from_str(text).map_err(|e| format!("{file}: respaldo dañado: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_files_are_refused_by_name() {
        assert!(Backup::parse("a.json", "{").unwrap_err().contains("a.json"));
        assert!(Backup::parse("b.json", r#"{"kind":"otro"}"#).unwrap_err().contains("no es un respaldo"));
        assert!(Backup::parse("c.json", r#"{"kind":"leche-respaldo","version":99}"#).unwrap_err().contains("versión"));
    }
}
