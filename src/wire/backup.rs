//! The full backup file: tables, models, batches and the interaction log,
//! as one JSON document that restores everything.
//!
//! A backup is validated whole before anything is written (SPEC §6): its
//! kind and version, the artifacts' schema versions and column names, every
//! table row and batch record with the same checks every other way in goes
//! through ([`leche_core::data::check`]), the models as far as this page can judge
//! them ([`check_model`], with the library's `Model::check_on`: their shapes,
//! then their forecasts on the backup's own tables) and the log's timestamps. A bad one is refused
//! with the first problems named, and the store is left as it was.

use std::fmt;

use leche_core::artifact::{Columns, DatabaseArtifact, ModelsArtifact, SCHEMA_VERSION};
use leche_core::data::check::{check_batches, Problems};
use leche_core::data::clean::echo;
use leche_core::data::upload::Batch;
use leche_core::{Database, Model, Month, Source};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::view::interaction::LogEntry;

/// What the file says it is, so any other JSON is refused with a clear message.
pub const KIND: &str = "leche-respaldo";
/// Bumped when the backup's shape changes. 2: batch records carry each
/// row's kind and replaced value ([`leche_core::data::upload::BATCH_FORMAT`]), so a
/// page that only knows 1 refuses the file by its version instead of
/// calling it damaged. Version 1 backups are still read (their batch
/// records are migrated).
pub const VERSION: u32 = 2;

/// The versions this page reads.
const READABLE: [u64; 2] = [1, 2];

/// How many problems a refusal spells out.
const SHOWN: usize = 5;

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

/// Why a backup is refused; nothing was written.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum BackupError {
    #[error("{file}: no es un respaldo de Leche ({reason})")]
    NotABackup { file: String, reason: String },
    #[error("{file}: respaldo de una versión que esta página no conoce ({found}; lee las versiones 1 y 2)")]
    UnknownVersion { file: String, found: String },
    #[error("{file}: respaldo dañado, no se restauró nada: {reason}")]
    Damaged { file: String, reason: String },
    #[error("{file}: respaldo con datos inválidos, no se restauró nada: {}", shown(.problems))]
    Invalid { file: String, problems: Vec<Invalid> },
}

/// One problem in an otherwise readable backup.
#[derive(Clone, Debug, PartialEq)]
pub enum Invalid {
    SchemaVersion { artifact: &'static str, found: u32 },
    Columns { table: Source },
    /// Tables and batch records ([`leche_core::data::check`]).
    Data(Problems),
    Model { model: String, reason: String },
    Log { entry: usize, time: String },
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::SchemaVersion { artifact, found } => {
                write!(f, "{artifact}: versión de esquema {found}, esta página lee la {SCHEMA_VERSION}")
            }
            Invalid::Columns { table } => write!(f, "tabla {}: las columnas no son las de esta página", table.label()),
            Invalid::Data(p) => p.fmt(f),
            Invalid::Model { model, reason } => write!(f, "modelo «{model}»: {reason}"),
            Invalid::Log { entry, time } => write!(f, "registro, entrada {}: fecha «{time}» ilegible", entry + 1),
        }
    }
}

fn shown(problems: &[Invalid]) -> String {
    let mut text: Vec<String> = problems.iter().take(SHOWN).map(ToString::to_string).collect();
    if problems.len() > SHOWN {
        text.push(format!("y {} problemas más", problems.len() - SHOWN));
    }
    text.join("; ")
}

impl Backup {
    /// [`Backup::parse`], and no month after `today`'s next (the browser's
    /// clock, one month of grace), as an upload requires: what the restore
    /// uses, so that everything restored could also have been uploaded.
    pub fn parse_as_of(file: &str, text: &str, today: Month) -> Result<Backup, BackupError> {
        let backup = Backup::parse(file, text)?;
        backup.database.tables.check_observed(today).map_err(|p| BackupError::Invalid { file: echo(file), problems: vec![Invalid::Data(p)] })?;
        Ok(backup)
    }

    /// Reads and validates a backup file (all but the clock check of
    /// [`Backup::parse_as_of`]), or says why it is refused.
    pub fn parse(file: &str, text: &str) -> Result<Backup, BackupError> {
        #[derive(Deserialize)]
        struct Head {
            kind: Option<String>,
            version: Option<serde_json::Value>,
        }
        let file = echo(file);
        let head: Head = serde_json::from_str(text)
            .map_err(|e| BackupError::NotABackup { file: file.clone(), reason: format!("JSON ilegible: {e}") })?;
        if head.kind.as_deref() != Some(KIND) {
            return Err(BackupError::NotABackup { file, reason: format!("falta \"kind\": \"{KIND}\"") });
        }
        if !head.version.as_ref().and_then(serde_json::Value::as_u64).is_some_and(|v| READABLE.contains(&v)) {
            let found = head.version.map_or_else(|| "sin versión".to_string(), |v| echo(&v.to_string()));
            return Err(BackupError::UnknownVersion { file, found });
        }
        let mut backup: Backup =
            serde_json::from_str(text).map_err(|e| BackupError::Damaged { file: file.clone(), reason: echo_long(&e.to_string()) })?;
        backup.version = VERSION;
        let problems = backup.problems();
        if problems.is_empty() {
            Ok(backup)
        } else {
            Err(BackupError::Invalid { file, problems })
        }
    }

    /// Everything wrong with a readable backup.
    fn problems(&self) -> Vec<Invalid> {
        let mut out = Vec::new();
        for (artifact, found) in [("database", self.database.schema_version), ("models", self.models.schema_version)] {
            if found != SCHEMA_VERSION {
                out.push(Invalid::SchemaVersion { artifact, found });
            }
        }
        let columns = Columns::default();
        for (table, ours, theirs) in [
            (Source::Rainfall, &columns.rainfall, &self.database.columns.rainfall),
            (Source::CentralBank, &columns.central_bank, &self.database.columns.central_bank),
            (Source::MilkPrice, &columns.milk_price, &self.database.columns.milk_price),
        ] {
            if ours != theirs {
                out.push(Invalid::Columns { table });
            }
        }
        // The models are tried on the tables only once these are sound: a
        // table of the wrong width would feed a model rows it cannot read.
        let tables = match self.database.tables.check() {
            Err(p) => {
                out.push(Invalid::Data(p));
                None
            }
            Ok(()) => {
                if let Err(p) = check_batches(&self.database.tables, &self.batches) {
                    out.push(Invalid::Data(p));
                }
                Some(&self.database.tables)
            }
        };
        out.extend(models_problems(&self.models, tables));
        out.extend(
            self.log
                .iter()
                .enumerate()
                .filter(|(_, e)| !is_timestamp(&e.time))
                .map(|(entry, e)| Invalid::Log { entry, time: echo(&e.time) }),
        );
        out
    }
}

/// A serde message can quote a whole hostile value: keep its start.
fn echo_long(text: &str) -> String {
    const MAX: usize = 300;
    if text.chars().count() > MAX {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    } else {
        text.to_string()
    }
}

/// `Date.toISOString()`'s shape, as far as the log needs it: a real date first.
fn is_timestamp(time: &str) -> bool {
    time.len() <= 40 && time.get(..10).is_some_and(|d| Month::from_date(d).is_ok())
}

fn models_problems(models: &ModelsArtifact, tables: Option<&Database>) -> Vec<Invalid> {
    let mut out = Vec::new();
    let default_label = format!("{:?}", models.default_model);
    if !models.models.iter().any(|m| m.id == models.default_model) {
        out.push(Invalid::Model { model: default_label, reason: "es el modelo por defecto pero el respaldo no lo trae".into() });
    }
    for (i, m) in models.models.iter().enumerate() {
        if models.models[..i].iter().any(|earlier| earlier.id == m.id) {
            out.push(Invalid::Model { model: m.name.clone(), reason: "aparece dos veces".into() });
        }
        out.extend(check_model(m, tables).err());
    }
    out
}

/// A stored model's training months in range, every shape its
/// forecasting indexes on ([`Model::check`]: feature and coefficient counts,
/// a supported degree, finite and bounded numbers, sound bands), and, when
/// the backup's tables passed their own checks, its forecasts on them
/// ([`Model::check_on`]: numbers a page can show, bands ordered).
fn check_model(model: &Model, tables: Option<&Database>) -> Result<(), Invalid> {
    let invalid = |reason: String| Invalid::Model { model: echo(&model.name), reason };
    for month in [model.trained_from, model.trained_to].into_iter().flatten() {
        if !month.in_range() {
            return Err(invalid(format!("mes de entrenamiento {month} fuera de rango")));
        }
    }
    match tables {
        Some(tables) => model.check_on(tables),
        None => model.check(),
    }
    .map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use leche_core::data::upload::{WriteKind, Written};

    use super::*;

    #[test]
    fn other_files_are_refused_by_name() {
        assert!(Backup::parse("a.json", "{").unwrap_err().to_string().contains("a.json"));
        assert!(Backup::parse("b.json", r#"{"kind":"otro"}"#).unwrap_err().to_string().contains("no es un respaldo"));
        let e = Backup::parse("c.json", r#"{"kind":"leche-respaldo","version":99}"#).unwrap_err().to_string();
        assert!(e.contains("versión") && e.contains("99"), "{e}");
    }

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    /// A valid backup as JSON, with shipped-like tables, one batch and one log entry.
    fn valid() -> serde_json::Value {
        let mut tables = Database::default();
        tables.rainfall.insert(m("2020-01"), vec![1.0; 8]);
        tables.central_bank.insert(m("2020-01"), {
            let mut row = vec![5_691_837.0; 28];
            row.extend([102.796; 10]);
            row
        });
        tables.milk_price.insert(m("2020-01"), vec![250.0]);
        tables.milk_price.insert(m("2020-02"), vec![255.0]);
        let batch = Batch {
            time: "2026-01-01T00:00:00.000Z".into(),
            files: vec!["leche.csv".into()],
            written: vec![Written { source: Source::MilkPrice, month: m("2020-02"), values: vec![255.0], kind: WriteKind::Insert, replaced: None }],
            undone: false,
        };
        let models = serde_json::from_str::<ModelsArtifact>(include_str!("../../public/artifacts/models.json")).expect("shipped models");
        let backup = Backup {
            kind: KIND.into(),
            version: VERSION,
            created: "2026-01-02T00:00:00.000Z".into(),
            database: DatabaseArtifact::new("v".into(), tables),
            models,
            batches: vec![(1, batch)],
            log: vec![LogEntry::new("2026-01-02T00:00:00.000Z", crate::view::interaction::Kind::Carga, "Carga", "")],
        };
        serde_json::to_value(&backup).expect("json")
    }

    fn parse(v: &serde_json::Value) -> Result<Backup, BackupError> {
        Backup::parse("respaldo.json", &v.to_string())
    }

    fn refusal(v: &serde_json::Value) -> String {
        parse(v).expect_err("refused").to_string()
    }

    #[test]
    fn a_valid_backup_round_trips() {
        let b = parse(&valid()).expect("valid");
        assert_eq!(serde_json::to_value(&b).expect("json"), valid());
    }

    // Regressions (issue 15): each of these was restored, and then broke forecasting,
    // export, undo, a later deploy or start-up.

    #[test]
    fn a_row_of_the_wrong_width_is_refused() {
        let mut v = valid();
        v["database"]["tables"]["milk_price"]["columns"] = serde_json::json!([[250.0, 255.0], [1.0, 2.0]]);
        let e = refusal(&v);
        assert!(e.contains("respaldo.json") && e.contains("precio de la leche") && e.contains("2020-01") && e.contains("2 valores"), "{e}");
    }

    /// Regression (the long fuzz run, issue 21): a rainfall table one column
    /// short was refused as data, but the replica was still tried on it and
    /// read past the end of its lag row (an index panic: a dead page).
    #[test]
    fn a_table_one_column_short_is_refused_without_trying_the_models_on_it() {
        let mut v = valid();
        let columns = v["database"]["tables"]["rainfall"]["columns"].as_array_mut().expect("rainfall columns");
        columns.pop();
        let e = refusal(&v);
        assert!(e.contains("respaldo.json") && e.contains("precipitaciones") && e.contains("7 valores"), "{e}");
    }

    #[test]
    fn a_month_past_9999_is_refused() {
        let mut v = valid();
        v["database"]["tables"]["milk_price"]["first"] = serde_json::json!("9999-12");
        let e = refusal(&v);
        assert!(e.contains("10000-01") && e.contains("rango"), "{e}");
    }

    /// Regression (issue 15): a restored model whose shape the forecasting
    /// code indexes on (here a degree-40 polynomial) panicked on the first forecast.
    #[test]
    fn a_model_of_degree_40_is_refused() {
        let mut v = valid();
        let models = v["models"]["models"].as_array_mut().expect("models");
        let replica = models.iter_mut().find(|m| m["id"] == "replica").expect("replica");
        replica["method"]["lag_pipeline"]["pipeline"]["degree"] = serde_json::json!(40);
        let e = refusal(&v);
        assert!(e.contains("Réplica") && e.contains("40"), "{e}");
    }

    /// Regression (issue 21): a finite but huge band offset passed, and the
    /// band was infinite at every forecast.
    #[test]
    fn a_band_of_1e308_is_refused() {
        let mut v = valid();
        let models = v["models"]["models"].as_array_mut().expect("models");
        let recommended = models.iter_mut().find(|m| m["id"] == "recommended").expect("recommended");
        recommended["bands"][0]["above80"] = serde_json::json!(1.797_693_134_862_315_7e308);
        let e = refusal(&v);
        assert!(e.contains("Modelo recomendado") && e.contains("horizonte 1 mide 1.7976931348623157e308 veces el pronóstico"), "{e}");
    }

    #[test]
    fn another_schema_version_is_refused() {
        let mut v = valid();
        v["database"]["schema_version"] = serde_json::json!(2);
        assert!(refusal(&v).contains("database: versión de esquema 2"));
        let mut v = valid();
        v["models"]["schema_version"] = serde_json::json!(7);
        assert!(refusal(&v).contains("models: versión de esquema 7"));
    }

    #[test]
    fn repeated_batch_keys_are_refused() {
        let mut v = valid();
        let batch = v["batches"][0].clone();
        v["batches"].as_array_mut().expect("list").push(batch);
        assert!(refusal(&v).contains("dos cargas tienen el mismo número"));
    }

    #[test]
    fn out_of_bound_and_negative_values_are_refused() {
        for (table, value, what) in [("rainfall", -3.0, "límites"), ("rainfall", 1.797_693_134_862_315_7e308, "límites"), ("milk_price", 0.0, "límites")] {
            let mut v = valid();
            v["database"]["tables"][table]["columns"][0][0] = serde_json::json!(value);
            let e = refusal(&v);
            assert!(e.contains(what) && e.contains("2020-01"), "{table} {value}: {e}");
        }
        let mut v = valid();
        v["database"]["tables"]["rainfall"]["columns"][0][0] = serde_json::json!(-0.0);
        assert!(refusal(&v).contains("-0"));
        // A non-finite number is not JSON: the file is damaged.
        let text = valid().to_string().replacen("[250,255]", "[1e999,255]", 1);
        assert!(Backup::parse("r.json", &text).expect_err("damaged").to_string().contains("dañado"));
    }

    #[test]
    fn a_batch_that_disagrees_with_the_tables_is_refused() {
        let mut v = valid();
        v["batches"][0][1]["written"][0]["values"] = serde_json::json!([999.0]);
        let e = refusal(&v);
        assert!(e.contains("carga") || e.contains("última carga activa"), "{e}");
        let mut v = valid();
        v["batches"][0][1]["written"][0]["values"] = serde_json::json!([255.0, 1.0]);
        assert!(refusal(&v).contains("carga 1"), "wrong width in a batch");
    }

    #[test]
    fn months_not_yet_observed_are_refused_as_of_the_browsers_month() {
        let mut v = valid();
        v["database"]["tables"]["milk_price"]["first"] = serde_json::json!("2999-01");
        v["batches"] = serde_json::json!([]);
        let text = v.to_string();
        assert!(Backup::parse("r.json", &text).is_ok());
        let e = Backup::parse_as_of("r.json", &text, m("2026-11")).expect_err("future").to_string();
        assert!(e.contains("2999-01") && e.contains("mes futuro"), "{e}");
    }

    #[test]
    fn a_missing_default_model_and_a_bad_log_time_are_refused() {
        let mut v = valid();
        v["models"]["models"] = serde_json::json!([]);
        assert!(refusal(&v).contains("modelo por defecto"));
        let mut v = valid();
        v["log"][0]["time"] = serde_json::json!("ayer");
        assert!(refusal(&v).contains("registro, entrada 1"));
    }

    #[test]
    fn an_old_backup_with_first_format_batches_is_read() {
        let mut v = valid();
        v["version"] = serde_json::json!(1);
        v["batches"][0][1] = serde_json::json!({"time": "t", "files": ["leche.csv"],
            "written": [["milk_price", "2020-02", [255.0]]], "undo": {"before": [["milk_price", "2020-02", null]]}, "undone": false});
        let b = parse(&v).expect("migrated");
        assert_eq!(b.batches[0].1.written[0].kind, WriteKind::Insert);
        assert_eq!(b.version, VERSION, "read as the current version");
    }
}
