//! The interaction log: what the user did and what the app answered
//! (every prediction with its inputs and outputs, bad input, missing data,
//! reset, log clearing, seeding and upgrades, uploads, undos, exports and
//! restores), kept in IndexedDB across
//! visits and downloadable as a `.log` text file.

use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A prediction ran (query, model, every output).
    Prediccion,
    /// The predict box got text the grammar rejects.
    EntradaInvalida,
    /// Months that could not be forecast, and what they lack.
    DatosFaltantes,
    /// The database was restored to the shipped data.
    Reinicio,
    /// The interaction log was cleared (this entry starts the new log).
    RegistroBorrado,
    /// First visit: the store was seeded from the artifacts.
    CargaInicial,
    /// A new deploy's artifacts replaced the shipped data.
    Actualizacion,
    /// An upload was written (files, months per table, metrics before and after).
    Carga,
    /// An upload was refused (what and why); nothing was written.
    CargaRechazada,
    /// An upload was undone.
    Deshacer,
    /// The database or a backup was exported.
    Exportacion,
    /// A backup replaced everything.
    Restauracion,
    /// A retrain in the browser finished, was cancelled or failed, and what
    /// the user chose (adopt or discard).
    Reentrenamiento,
    /// Something failed (storage, download).
    Error,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Prediccion => "prediccion",
            Kind::EntradaInvalida => "entrada_invalida",
            Kind::DatosFaltantes => "datos_faltantes",
            Kind::Reinicio => "reinicio",
            Kind::RegistroBorrado => "registro_borrado",
            Kind::CargaInicial => "carga_inicial",
            Kind::Actualizacion => "actualizacion",
            Kind::Carga => "carga",
            Kind::CargaRechazada => "carga_rechazada",
            Kind::Deshacer => "deshacer",
            Kind::Exportacion => "exportacion",
            Kind::Restauracion => "restauracion",
            Kind::Reentrenamiento => "reentrenamiento",
            Kind::Error => "error",
        }
    }
}

/// One entry as stored in the `interaction_log` object store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// ISO 8601 UTC time (`Date.toISOString()`).
    pub time: String,
    pub kind: Kind,
    /// One line, Spanish.
    pub message: String,
    /// Inputs and outputs, one per line; may be empty.
    pub details: String,
}

impl LogEntry {
    pub fn new(time: impl Into<String>, kind: Kind, message: impl Into<String>, details: impl Into<String>) -> LogEntry {
        LogEntry { time: time.into(), kind, message: message.into(), details: details.into() }
    }
}

/// The whole log as text: one line per entry, details indented below it.
///
/// ```
/// use leche::view::interaction::{to_text, Kind, LogEntry};
/// let e = LogEntry::new("2020-01-01T00:00:00.000Z", Kind::Reinicio, "Base restaurada", "");
/// assert_eq!(to_text(&[e]), "2020-01-01T00:00:00.000Z [reinicio] Base restaurada\n");
/// ```
pub fn to_text(entries: &[LogEntry]) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str(&format!("{} [{}] {}\n", e.time, e.kind.as_str(), e.message));
        for line in e.details.lines() {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_indented_under_their_entry() {
        let entries = [
            LogEntry::new("t1", Kind::Prediccion, "2020-01 con modelo recomendado", "2020-01 predicho=1.5 real=2.0\n"),
            LogEntry::new("t2", Kind::EntradaInvalida, "«hola»", ""),
        ];
        assert_eq!(
            to_text(&entries),
            "t1 [prediccion] 2020-01 con modelo recomendado\n    2020-01 predicho=1.5 real=2.0\nt2 [entrada_invalida] «hola»\n"
        );
    }

    #[test]
    fn kinds_serialise_as_their_names() {
        for k in [Kind::Prediccion, Kind::DatosFaltantes, Kind::RegistroBorrado, Kind::Error] {
            assert_eq!(serde_json::to_string(&k).ok(), Some(format!("\"{}\"", k.as_str())));
        }
    }
}
