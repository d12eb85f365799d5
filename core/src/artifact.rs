//! The JSON the trainer writes and the browser reads (SPEC §5).
//!
//! Every artifact carries `schema_version` (bumped when the shape changes,
//! so an old page never misreads new files) and `version`, a fingerprint of
//! the shipped tables and models: the browser's store remembers which
//! version seeded it. Floats are written in shortest round-trip form, so the
//! browser reads back exactly the bits the trainer computed.

use serde::{Deserialize, Serialize};

use crate::model::{Forecast, Model, ModelId};
use crate::protocol::{Comparison, HonestReport, Scored, SeedReport};
use crate::source::Source;
use crate::tables::Database;
use crate::validation::GridResult;

pub const SCHEMA_VERSION: u32 = 1;

pub const DATABASE_FILE: &str = "database.json";
pub const MODELS_FILE: &str = "models.json";
pub const EVALUATION_FILE: &str = "evaluation.json";
pub const PREDICTIONS_FILE: &str = "predictions.csv";
pub const TRAIN_LOG_FILE: &str = "train.log";

/// Column names of the three tables, in stored order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Columns {
    pub rainfall: Vec<String>,
    pub central_bank: Vec<String>,
    pub milk_price: Vec<String>,
}

impl Default for Columns {
    fn default() -> Columns {
        let names = |s: Source| s.columns().into_iter().map(String::from).collect();
        Columns {
            rainfall: names(Source::Rainfall),
            central_bank: names(Source::CentralBank),
            milk_price: names(Source::MilkPrice),
        }
    }
}

/// The original database the browser seeds from and resets to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatabaseArtifact {
    pub schema_version: u32,
    pub version: String,
    pub columns: Columns,
    pub tables: Database,
}

/// The shipped models; `default_model` is the one the app opens with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelsArtifact {
    pub schema_version: u32,
    pub version: String,
    pub default_model: ModelId,
    /// Whether the recommended model beat naive persistence in backtest MAE
    /// (`None` when only the replica was trained).
    pub beats_naive: Option<bool>,
    /// What the app must say about accuracy, in plain Spanish.
    pub verdict: String,
    pub models: Vec<Model>,
}

/// Every evaluation: the original's split, and the honest backtest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationArtifact {
    pub schema_version: u32,
    pub version: String,
    pub seed: Option<SeedEvaluation>,
    pub honest: Option<HonestEvaluation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedEvaluation {
    pub grid: GridResult,
    pub test: Vec<Scored>,
    pub comparison: Comparison,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HonestEvaluation {
    pub grid: GridResult,
    pub backtest: Vec<Scored>,
    pub comparison: Comparison,
    pub beats_naive: bool,
}

impl From<&SeedReport> for SeedEvaluation {
    fn from(r: &SeedReport) -> SeedEvaluation {
        SeedEvaluation { grid: r.grid.clone(), test: r.test.clone(), comparison: r.comparison.clone() }
    }
}

impl From<&HonestReport> for HonestEvaluation {
    fn from(r: &HonestReport) -> HonestEvaluation {
        HonestEvaluation {
            grid: r.grid.clone(),
            backtest: r.backtest.clone(),
            comparison: r.comparison.clone(),
            beats_naive: r.beats_naive,
        }
    }
}

/// The plain-language accuracy statement the app shows.
pub fn verdict(honest: Option<&HonestReport>) -> String {
    match honest {
        None => "Solo se entrenó la réplica del modelo original; su precisión no se midió en orden temporal.".into(),
        Some(h) if h.beats_naive => format!(
            "En la prueba retrospectiva de {} meses, el modelo recomendado erra en promedio {:.2} CLP/litro, menos que el pronóstico ingenuo «el próximo mes igual a este» ({:.2}).",
            h.backtest.len(),
            h.comparison.model.mae,
            h.comparison.naive.mae
        ),
        Some(h) => format!(
            "Atención: en la prueba retrospectiva de {} meses, el modelo recomendado erra en promedio {:.2} CLP/litro, MÁS que el pronóstico ingenuo «el próximo mes igual a este» ({:.2}). No supera al pronóstico ingenuo.",
            h.backtest.len(),
            h.comparison.model.mae,
            h.comparison.naive.mae
        ),
    }
}

/// FNV-1a (64-bit) of the given parts, as 16 hex digits: a stable,
/// dependency-free fingerprint of the shipped content.
pub fn fingerprint(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// `month,predicted,real` with `real` empty when unknown; full precision.
pub fn predictions_csv(forecasts: &[Forecast]) -> String {
    let mut out = String::from("month,predicted,real\n");
    for f in forecasts {
        let real = f.real.map(|r| format!("{r:?}")).unwrap_or_default();
        out.push_str(&format!("{},{:?},{}\n", f.month, f.predicted, real));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_order_sensitive() {
        assert_eq!(fingerprint(&[b""]), "cbf29ce484222325");
        assert_ne!(fingerprint(&[b"ab"]), fingerprint(&[b"ba"]));
    }
}
