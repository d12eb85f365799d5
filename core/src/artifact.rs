//! The JSON the trainer writes and the browser reads (SPEC §5).
//!
//! Every artifact carries `schema_version` (bumped when the shape changes,
//! so an old page never misreads new files) and `version`, a fingerprint of
//! the shipped tables and models: the browser's store remembers which
//! version seeded it. Floats are written in shortest round-trip form, so the
//! browser reads back exactly the bits the trainer computed.

use serde::{Deserialize, Serialize};

use crate::data::locale::number;
use crate::model::{Forecast, Model, ModelId};
use crate::data::month::Month;
use crate::protocol::anchors::Anchors;
use crate::protocol::honest::COVERAGE_BANDS;
use crate::protocol::{Evaluation, HonestReport, Rule, SeedEvaluation, SeedReport};
use crate::data::source::Source;
use crate::data::tables::Database;

/// 2: tables are column-major ([`columnar`]).
/// 3: models carry a `method` (lag pipeline or price change) and an optional
/// 80% `interval`; the honest evaluation lists every candidate.
/// 4: horizons 1–12: models carry 80 % and 50 % `bands` per horizon and new
/// methods (shrunk seasonal change, MSTL, median); the evaluation is per
/// horizon over origins from 2012; `predictions.csv` has a horizon and both bands.
/// Extended within 4, every addition optional so files and backups of
/// earlier builds still read: the methods seasonal drift and Theta, MSTL's
/// `damped`; the evaluation's rules, median errors, interval scores and
/// anchors. (A page older than these cannot read such a model: it refuses
/// the file instead of misreading it, and a deploy replaces page and files
/// together.)
pub const SCHEMA_VERSION: u32 = 4;

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

impl DatabaseArtifact {
    /// The tables as an artifact of `version`, in today's format: what the
    /// trainer ships ([`ship`]) and a backup carries.
    pub fn new(version: String, tables: Database) -> DatabaseArtifact {
        DatabaseArtifact { schema_version: SCHEMA_VERSION, version, columns: Columns::default(), tables }
    }
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

impl ModelsArtifact {
    /// Makes a model the user retrained in the browser the recommended one,
    /// with the verdict its evaluation gives (as [`ship`] does) and that
    /// evaluation as the evidence, adopted `at` on the `data` it read.
    pub fn adopt(&mut self, report: &HonestReport, at: String, data: String) {
        self.models.retain(|m| m.id != ModelId::Recommended);
        self.models.push(report.model.clone());
        self.verdict = verdict(Some(&report.evaluation));
        self.beats_naive = Some(report.evaluation.beats_naive);
        self.adopted = Some(Adoption { at, data, evaluation: report.evaluation.clone() });
    }
}

/// The evidence behind an adopted model: the honest evaluation that chose
/// it, on the data the browser held then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Adoption {
    /// When it was adopted (ISO 8601).
    pub at: String,
    /// The data it was trained on, in words (months per table).
    pub data: String,
    pub evaluation: Evaluation,
}

/// Every evaluation: the original's split, and the honest backtest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationArtifact {
    pub schema_version: u32,
    pub version: String,
    pub seed: Option<SeedEvaluation>,
    pub honest: Option<Evaluation>,
    /// The reference forecasters scored on the same backtest (absent when
    /// the trainer ran without them, or in older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchors: Option<Anchors>,
}

/// What a trainer run publishes, under one version.
#[derive(Clone, Debug, PartialEq)]
pub struct Shipped {
    pub database: DatabaseArtifact,
    pub models: ModelsArtifact,
    pub evaluation: EvaluationArtifact,
}

/// The artifacts of a run, assembled in this one place: the replica, and
/// when the honest protocol ran its model as the default with its verdict;
/// the version fingerprints everything a browser stores (format, tables,
/// models, verdict), so any change to it is a new deploy for the store. The
/// references' scores travel with the verdict, outside the version: the
/// store keeps none of them.
pub fn ship(
    tables: Database,
    seed: &SeedReport,
    honest: Option<&HonestReport>,
    anchors: Option<Anchors>,
) -> Result<Shipped, serde_json::Error> {
    let mut database = DatabaseArtifact::new(String::new(), tables);
    let mut models = ModelsArtifact {
        schema_version: SCHEMA_VERSION,
        version: String::new(),
        default_model: if honest.is_some() { ModelId::Recommended } else { ModelId::Replica },
        beats_naive: honest.map(|h| h.evaluation.beats_naive),
        verdict: verdict(honest.map(|h| &h.evaluation)),
        models: std::iter::once(&seed.model).chain(honest.map(|h| &h.model)).cloned().collect(),
        adopted: None,
    };
    let version = fingerprint(&[serde_json::to_string(&database)?.as_bytes(), serde_json::to_string(&models)?.as_bytes()]);
    database.version = version.clone();
    models.version = version.clone();
    let evaluation = EvaluationArtifact {
        schema_version: SCHEMA_VERSION,
        version,
        seed: Some(seed.evaluation.clone()),
        honest: honest.map(|h| h.evaluation.clone()),
        anchors,
    };
    Ok(Shipped { database, models, evaluation })
}

/// The horizon bands the verdict speaks of.
pub const VERDICT_BANDS: [(u32, u32); 3] = [(1, 1), (2, 6), (7, 12)];

/// The plain-language accuracy statement the app shows: per horizon band,
/// does the procedure that chose the recommended model beat "every month
/// = the last price" over the long backtest, by how much, and how often its
/// 80 % band held the real price.
pub fn verdict(honest: Option<&Evaluation>) -> String {
    let Some(e) = honest else {
        return "Solo se entrenó la réplica del modelo original; su precisión no se midió en orden temporal.".into();
    };
    let span = |from: u32, to: u32| if from == to { format!("a {from} mes") } else { format!("a {from}–{to} meses") };
    let bands: Vec<String> = VERDICT_BANDS
        .iter()
        .filter_map(|&(from, to)| {
            let ratio = e.mae_over_naive(from, to)?;
            let gain = crate::fit::metrics::percent_below(ratio);
            Some(if ratio < 1.0 {
                format!("{} erró un {} % menos que el ingenuo (lo supera)", span(from, to), number(gain, 0))
            } else {
                format!("{} erró un {} % MÁS que el ingenuo (no lo supera)", span(from, to), number(-gain, 0))
            })
        })
        .collect();
    // Held per horizon band (the model card's table), not per horizon: a
    // band of three horizons is a few hundred forecasts, one horizon a hundred.
    let coverage: Vec<f64> = COVERAGE_BANDS
        .iter()
        .filter_map(|&(from, to)| {
            let (inside, _, n) = e.held(from, to);
            (n > 0).then(|| inside as f64 / n as f64)
        })
        .collect();
    let (lo, hi) = coverage.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &c| (lo.min(c), hi.max(c)));
    let coverage = if coverage.is_empty() {
        String::new()
    } else {
        format!(
            " El intervalo del 80 % contuvo el precio real en {} % a {} % de los casos según el tramo de horizonte (1–3, 4–6, 7–9 y 10–12 meses){}",
            number(100.0 * lo, 0),
            number(100.0 * hi, 0),
            if lo < 0.75 { ": en algunos tramos es más estrecho de lo que debería, tómelo como un rango optimista." } else { "." }
        )
    };
    let how = match e.rule {
        Rule::Choose => format!("eligiendo cada vez el candidato con menor error reciente, como se eligió el modelo recomendado «{}»", e.winner.label()),
        Rule::Always(_) => format!("siempre con el modelo recomendado, «{}»", e.winner.label()),
    };
    format!(
        "En la prueba retrospectiva (pronósticos hechos cada mes de {} a {}, solo con datos anteriores, {how}), comparado con el pronóstico ingenuo «igual al último precio»: {}. A un mes, el error medio fue {} CLP/litro contra {} del ingenuo.{coverage}",
        e.first_origin,
        e.last_origin,
        bands.join("; "),
        number(e.comparison.model.mae, 2),
        number(e.comparison.naive.mae, 2),
    )
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

    use super::{Database, Month, Source};
    use crate::data::tables::Rows;

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
        for source in Source::ALL {
            map.serialize_entry(source.key(), &to_columns(db.table(source)))?;
        }
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
            rainfall: from_columns(Source::Rainfall.key(), t.rainfall)?,
            central_bank: from_columns(Source::CentralBank.key(), t.central_bank)?,
            milk_price: from_columns(Source::MilkPrice.key(), t.milk_price)?,
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

/// The forecast CSV (the trainer's `predictions.csv` and the app's export):
/// `month,horizon,predicted,real,error,lower80,upper80,lower50,upper50`,
/// full precision (shortest round-trip form), a point as decimal separator,
/// unknown values empty.
pub fn forecast_csv(forecasts: &[Forecast]) -> String {
    let cell = |v: Option<f64>| v.map(|r| format!("{r:?}")).unwrap_or_default();
    let mut out = String::from("month,horizon,predicted,real,error,lower80,upper80,lower50,upper50\n");
    for f in forecasts {
        out.push_str(&format!(
            "{},{},{:?},{},{},{},{},{},{}\n",
            f.month,
            f.horizon,
            f.predicted,
            cell(f.real),
            cell(f.error()),
            cell(f.band80.map(|b| b.lower)),
            cell(f.band80.map(|b| b.upper)),
            cell(f.band50.map(|b| b.lower)),
            cell(f.band50.map(|b| b.upper)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_csv_keeps_full_precision_and_leaves_unknowns_empty() {
        use crate::forecast::interval::Band;
        let m = |s: &str| -> Month { s.parse().expect("month") };
        let f = [
            Forecast { month: m("2020-01"), horizon: 1, predicted: 233.23651545642127, real: Some(232.47), band80: None, band50: None },
            Forecast {
                month: m("2021-06"),
                horizon: 4,
                predicted: 250.0,
                real: None,
                band80: Some(Band { lower: 241.5, upper: 258.25 }),
                band50: Some(Band { lower: 245.0, upper: 255.0 }),
            },
        ];
        let csv = forecast_csv(&f);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "month,horizon,predicted,real,error,lower80,upper80,lower50,upper50");
        assert_eq!(lines[1], format!("2020-01,1,233.23651545642127,232.47,{:?},,,,", 232.47 - 233.23651545642127));
        assert_eq!(lines[2], "2021-06,4,250.0,,,241.5,258.25,245.0,255.0");
    }

    #[test]
    fn fingerprint_is_stable_and_order_sensitive() {
        assert_eq!(fingerprint(&[b""]), "cbf29ce484222325");
        assert_ne!(fingerprint(&[b"ab"]), fingerprint(&[b"ba"]));
    }
}
