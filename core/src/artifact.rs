//! The JSON the trainer writes and the browser reads (SPEC §5).
//!
//! Every artifact carries `schema_version` (bumped when the shape changes,
//! so an old page never misreads new files) and `version`, a fingerprint of
//! the shipped tables and models: the browser's store remembers which
//! version seeded it. Floats are written in shortest round-trip form, so the
//! browser reads back exactly the bits the trainer computed.

use serde::{Deserialize, Serialize};

use crate::candidate::Candidate;
use crate::locale::number;
use crate::model::{Forecast, Model, ModelId};
use crate::month::Month;
use crate::protocol::{CandidateResult, Comparison, HonestReport, Scored, SeedReport};
use crate::source::Source;
use crate::tables::Database;
use crate::validation::GridResult;

/// 2: tables are column-major ([`columnar`]).
/// 3: models carry a `method` (lag pipeline or price change) and an optional
/// 80% `interval`; the honest evaluation lists every candidate.
pub const SCHEMA_VERSION: u32 = 3;

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
    #[serde(with = "columnar")]
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
    /// Set when the recommended model is one the user retrained in the
    /// browser and adopted (never in the shipped file: it is not written
    /// when absent, so the shipped version fingerprint is unaffected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<Adoption>,
}

/// The evidence behind an adopted model: the honest evaluation that chose
/// it, on the data the browser held then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Adoption {
    /// When it was adopted (ISO 8601).
    pub at: String,
    /// The data it was trained on, in words (months per table).
    pub data: String,
    pub evaluation: HonestEvaluation,
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

/// Every candidate's backtest, the procedure's (choice included), and why the winner won.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HonestEvaluation {
    pub candidates: Vec<CandidateResult>,
    pub backtest: Vec<Scored>,
    pub comparison: Comparison,
    pub beats_naive: bool,
    pub selection_months: Vec<Month>,
    pub winner: Candidate,
    pub reason: String,
}

impl From<&SeedReport> for SeedEvaluation {
    fn from(r: &SeedReport) -> SeedEvaluation {
        SeedEvaluation { grid: r.grid.clone(), test: r.test.clone(), comparison: r.comparison.clone() }
    }
}

impl From<&HonestReport> for HonestEvaluation {
    fn from(r: &HonestReport) -> HonestEvaluation {
        HonestEvaluation {
            candidates: r.candidates.clone(),
            backtest: r.backtest.clone(),
            comparison: r.comparison.clone(),
            beats_naive: r.beats_naive,
            selection_months: r.selection_months.clone(),
            winner: r.winner,
            reason: r.reason.clone(),
        }
    }
}

/// The plain-language accuracy statement the app shows: does the procedure
/// that chose the recommended model beat "next month = this month" over the
/// backtest, by how much, and how often its 80% interval held the real price.
pub fn verdict(honest: Option<&HonestReport>) -> String {
    let Some(h) = honest else {
        return "Solo se entrenó la réplica del modelo original; su precisión no se midió en orden temporal.".into();
    };
    let (model, naive) = (h.comparison.model.mae, h.comparison.naive.mae);
    let months = h.backtest.len();
    let (first, last) = match (h.backtest.first(), h.backtest.last()) {
        (Some(f), Some(l)) => (f.month.to_string(), l.month.to_string()),
        _ => (String::new(), String::new()),
    };
    let coverage = match h.comparison.coverage {
        Some(c) => format!(
            " El intervalo del 80 % contuvo el precio real en {} de {} meses ({} %){}",
            h.comparison.months_inside_interval,
            h.comparison.months_with_interval,
            number(100.0 * c, 0),
            if c < crate::interval::LEVEL { ": es más estrecho de lo que debería, tómelo como un rango optimista." } else { "." }
        ),
        None => String::new(),
    };
    // The backtest judges the procedure that picked the model (a candidate
    // chosen each month from the twelve before), not the shipped model's own
    // best-case score: say so.
    let how = format!(
        "En la prueba retrospectiva de {months} meses ({first} a {last}), eligiendo cada mes, solo con datos anteriores, el candidato con menor error en los 12 meses previos (así se eligió el modelo recomendado, «{}»),",
        h.winner.label()
    );
    if h.beats_naive {
        format!(
            "{how} el error medio fue {} CLP/litro, un {} % menos que el pronóstico ingenuo «el próximo mes igual a este» ({} CLP/litro); fue mejor en {} de {months} meses.{coverage}",
            number(model, 2),
            number(100.0 * (naive - model) / naive, 0),
            number(naive, 2),
            h.comparison.months_beating_naive,
        )
    } else {
        format!(
            "Atención: {} el error medio fue {} CLP/litro, MÁS que el pronóstico ingenuo «el próximo mes igual a este» ({} CLP/litro). No supera al pronóstico ingenuo.{coverage}",
            how.replacen("En", "en", 1),
            number(model, 2),
            number(naive, 2)
        )
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

/// The tables as the artifact stores them: per table, the first month and
/// one array per column over consecutive months, `null` in every column for
/// a month the table lacks:
///
/// ```json
/// {"rainfall": {"first": "1979-01", "columns": [[2.64, 1.17, …], …]}, …}
/// ```
///
/// Why not a map keyed by month: this database is most of what a first visit
/// downloads, and a column's neighbouring values are alike, so column-major
/// without keys compresses about 10% smaller under gzip. Whole numbers (the
/// Central Bank's) are written without `.0`; every value reads back to the
/// same bits.
pub mod columnar {
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Database, Month};
    use crate::tables::Rows;

    /// A value as the artifact writes it.
    enum Cell {
        Whole(i64),
        Real(f64),
        Missing,
    }

    impl Serialize for Cell {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Cell::Whole(v) => s.serialize_i64(*v),
                Cell::Real(v) => s.serialize_f64(*v),
                Cell::Missing => s.serialize_none(),
            }
        }
    }

    /// Integers up to 2^53 convert to f64 and back exactly; -0.0 must stay a float.
    fn cell(v: f64) -> Cell {
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if v.trunc() == v && v.abs() < EXACT && !(v == 0.0 && v.is_sign_negative()) {
            Cell::Whole(v as i64)
        } else {
            Cell::Real(v)
        }
    }

    #[derive(Serialize)]
    struct TableOut {
        first: Option<Month>,
        columns: Vec<Vec<Cell>>,
    }

    #[derive(Deserialize)]
    struct TableIn {
        first: Option<Month>,
        columns: Vec<Vec<Option<f64>>>,
    }

    fn to_columns(rows: &Rows) -> TableOut {
        let (Some(first), Some(last)) = (rows.keys().next().copied(), rows.keys().next_back().copied()) else {
            return TableOut { first: None, columns: Vec::new() };
        };
        let width = rows.values().map(Vec::len).max().unwrap_or(0);
        let columns = (0..width)
            .map(|c| first.through(last).map(|m| rows.get(&m).and_then(|r| r.get(c)).map_or(Cell::Missing, |v| cell(*v))).collect())
            .collect();
        TableOut { first: Some(first), columns }
    }

    fn from_columns<E: serde::de::Error>(name: &str, table: TableIn) -> Result<Rows, E> {
        let mut rows = Rows::new();
        let Some(first) = table.first else { return Ok(rows) };
        let len = table.columns.first().map_or(0, Vec::len);
        if table.columns.iter().any(|c| c.len() != len) {
            return Err(E::custom(format!("tabla «{name}»: columnas de distinto largo")));
        }
        for i in 0..len {
            let month = first.offset(i as i32);
            let row: Vec<Option<f64>> = table.columns.iter().map(|c| c[i]).collect();
            match row.iter().filter(|v| v.is_some()).count() {
                0 => {}
                n if n == row.len() => {
                    rows.insert(month, row.into_iter().flatten().collect());
                }
                _ => return Err(E::custom(format!("tabla «{name}», mes {month}: fila incompleta"))),
            }
        }
        Ok(rows)
    }

    pub fn serialize<S: Serializer>(db: &Database, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("rainfall", &to_columns(&db.rainfall))?;
        map.serialize_entry("central_bank", &to_columns(&db.central_bank))?;
        map.serialize_entry("milk_price", &to_columns(&db.milk_price))?;
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Database, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Tables {
            rainfall: TableIn,
            central_bank: TableIn,
            milk_price: TableIn,
        }
        let t = Tables::deserialize(d)?;
        Ok(Database {
            rainfall: from_columns("rainfall", t.rainfall)?,
            central_bank: from_columns("central_bank", t.central_bank)?,
            milk_price: from_columns("milk_price", t.milk_price)?,
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Wrap(#[serde(with = "super")] Database);

        fn m(s: &str) -> Month {
            s.parse().unwrap()
        }

        #[test]
        fn round_trips_bits_gaps_and_whole_numbers() {
            let mut db = Database::default();
            db.rainfall.insert(m("2020-01"), vec![0.1 + 0.2, -0.0]);
            db.rainfall.insert(m("2020-04"), vec![1e300, 5e-324]);
            db.central_bank.insert(m("2019-12"), vec![169_746_171.0, 103.201]);
            let text = serde_json::to_string(&Wrap(db.clone())).unwrap();
            assert!(text.contains("[169746171]"), "{text}");
            assert!(text.contains("null,null,"), "two missing months: {text}");
            let back: Wrap = serde_json::from_str(&text).unwrap();
            assert_eq!(back.0, db);
            assert!(back.0.rainfall[&m("2020-01")][1].is_sign_negative());
        }

        #[test]
        fn a_partly_missing_row_is_an_error() {
            let text = r#"{"rainfall":{"first":"2020-01","columns":[[1.0],[null]]},
                "central_bank":{"first":null,"columns":[]},"milk_price":{"first":null,"columns":[]}}"#;
            let err = serde_json::from_str::<Wrap>(text).unwrap_err().to_string();
            assert!(err.contains("2020-01"), "{err}");
        }
    }
}

/// `month,predicted,real,lower,upper` (the 80% interval), a cell empty when
/// unknown; full precision.
pub fn predictions_csv(forecasts: &[Forecast]) -> String {
    let cell = |v: Option<f64>| v.map(|r| format!("{r:?}")).unwrap_or_default();
    let mut out = String::from("month,predicted,real,lower,upper\n");
    for f in forecasts {
        out.push_str(&format!("{},{:?},{},{},{}\n", f.month, f.predicted, cell(f.real), cell(f.lower), cell(f.upper)));
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
