//! The seeds every case starts from: real files and hostile ones.
//!
//! - CSV: the challenge files and their dummy continuations (from
//!   the committed `data/`, or `LECHE_DATA`), each shipped
//!   table exported in its original format, the templates, continuation
//!   files like the page's "sample files", and one hand-written file per
//!   bug of issue 15;
//! - backups: a real one (the shipped artifacts, an upload applied and
//!   another undone, log entries), the same with first-format batch
//!   records, and one with a revision chain;
//! - pastes: lines of «Agregar meses» in the formats people copy, tables of
//!   months by years both ways round, and bad lines;
//! - queries: valid and invalid examples of the grammar;
//! - models: the shipped ones, and one fit of every price candidate on the
//!   shipped tables (so every kind of stored method is mutated: MSTL's
//!   stored forecasts, the ridge's coefficients, a median's members).

use leche::wire::backup::{Backup, KIND, VERSION};
use leche::view::interaction::{Kind, LogEntry};
use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};
use leche_core::data::clean::read_file;
use leche_core::data::original_csv::{template, write_table};
use leche_core::data::tables::Rows;
use leche_core::data::upload::{plan, undo, Batch};
use leche_core::forecast::{CandidateId, CANDIDATES};
use leche_core::{Database, Model, ModelId, Month, Source};

/// The month every case is read as of (fixed, so a case replays the same).
pub fn today() -> Month {
    Month::new(2026, 11).expect("a valid month literal")
}

pub struct Corpus {
    /// The shipped tables: what uploads are planned against.
    pub db: Database,
    pub models: Vec<Model>,
    pub csv: Vec<(String, Vec<u8>)>,
    pub backups: Vec<String>,
    pub queries: Vec<String>,
    /// Texts pasted in «Agregar meses»: lines and tables of months by years.
    pub pastes: Vec<String>,
    /// Models as JSON, as a backup or the store holds them.
    pub model_seeds: Vec<String>,
    with_data: bool,
}

const DATABASE_JSON: &str = include_str!("../../public/artifacts/database.json");
const MODELS_JSON: &str = include_str!("../../public/artifacts/models.json");

/// One file per bug of issue 15 (and a few shapes the parser must survive).
const HOSTILE_CSV: [(&str, &str); 14] = [
    ("extra_cells.csv", "Anio,Mes,Precio_leche\n2021,Mar,254,7\n"),
    ("tiny_price.csv", "Anio,Mes,Precio_leche\n2021,Mar,5e-324\n"),
    ("huge_price.csv", "Anio,Mes,Precio_leche\n2021,Mar,1e17\n"),
    ("future_price.csv", "Anio,Mes,Precio_leche\n2999,Ene,250\n"),
    ("max_rain.csv", "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n2021-03-01,1.7976931348623157e308,1,1,1,1,1,1,1\n"),
    ("negative_zero.csv", "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n2021-03-01,-0.0,0,0,0,0,0,0,0\n"),
    ("future_rain.csv", "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n3000-01-01,1,1,1,1,1,1,1,1\n9999-12-01,1,1,1,1,1,1,1,1\n"),
    ("semicolons.csv", "\u{feff}Anio;Mes;Precio_leche\r\n2021;Mar;254,7\r\n2021;Abr;\"255,1\"\r\n"),
    ("quoted.csv", "\"Anio\",\"Mes\",\"Precio_leche\"\n\"2021\",\"Mar\",\"254.1\"\n\"2021\",\"Abr\",\"2\n55\"\n"),
    ("repeated.csv", "Anio,Mes,Precio_leche\n2021,Mar,254\n2021,Mar,255\n2021,Abr,\n"),
    ("bad_date.csv", "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n2020-02-30,1,1,1,1,1,1,1,1\n2020-13-01,1,1,1,1,1,1,1,1\n"),
    ("header_only.csv", "Anio,Mes,Precio_leche\n"),
    ("empty.csv", ""),
    ("unknown.csv", "fecha,valor\n2020-01-01,1\n"),
];

const PASTES: [&str; 9] = [
    "Mes\tPrecio\n2021-03\t300,5\n2021/04\t301.2\n05/2021\t$ 302,75\njul-2021 304,1\nseptiembre de 2021\t306,4\n01-11-2021\t308,5\n2021-12\t1.309,0\n",
    "Mes\t2021\t2022\nEnero\t\t310,2\nFebrero\t\t311\nMarzo\t300,5\t312\nAbril\t301,2\t\nPromedio\t300,8\t311,1\n",
    "Año;Ene;Feb;Mar;Abr;May;Jun;Jul;Ago;Sep;Oct;Nov;Dic\n2021;;;300,5;301,2;302,75;303;304,1;305;306,4;307;308,5;309\n2022;310,2;311;;;;;;;;;;\n",
    "2021-03;300\n2021-03;301\nene 22 300\n13/2022\t300\n2022-03\tabc\n30-02-2022\t300\n",
    "\tEne\tFeb\n2026\t400\t401\n2027\t402\n",
    "Mes\t2024\t2024\nEnero\t300\t301\n",
    // Bulletins copied whole (issue 30): titles, a year in progress, summary rows, footnotes.
    "Precio de la leche cruda\nNominal, $/litro\n\nMes\t2025\t2026**\nEnero\t340,1\t351,2\nFebrero\t342\t\nPromedio\t341\t351,2\nVar. %\t\t3,3\n** Cifras provisorias\nFuente: ODEPA\n",
    "Cuadro 4A. Precio nominal por región\nAño\tMes\tLos Ríos\tLos Lagos\tNacional\n2025\tNoviembre\t340\t338,5\t341,2\n\tDiciembre\t342\t\t343,9\nTotal 2025\t\t341\t339\t342\n2026 (p)\tEnero\t350\t348\t351,5\n",
    "Precio real ($ de octubre de 2026)\nMes\t2025\t2026\nEnero\t380\t390\n\nPrecio nominal\nMes\t2025\t2026\nEnero\t340\t355\nSept.\t345\t\n",
];

const QUERIES: [&str; 20] = [
    "2020-01",
    // This month and months far past the fan: the chart drew a reversed window (issue 21).
    "2026-12",
    "2023-06",
    "2022-06",
    "2021-03 2022-02",
    "2019-06 2020-05",
    "2020-1",
    " \"2019-06\t2020-5\" ",
    "«2000-01» “2019-12”",
    "2020-13",
    "hola",
    "2020-05 2020-01",
    "2000-01 2020-01",
    "2019-01 2019-02 2019-03",
    "9999-12 9999-12",
    "1000-01",
    "0999-12",
    "2020-001",
    "",
    "2020-01\u{3000}2020-02",
];

impl Corpus {
    pub fn load() -> Corpus {
        let database: DatabaseArtifact = serde_json::from_str(DATABASE_JSON).unwrap_or_else(|e| panic!("database.json: {e}"));
        let models: ModelsArtifact = serde_json::from_str(MODELS_JSON).unwrap_or_else(|e| panic!("models.json: {e}"));
        let db = database.tables.clone();
        let mut csv: Vec<(String, Vec<u8>)> = Vec::new();
        let with_data = challenge_data::find().is_some();
        if with_data {
            for name in challenge_data::FILES.iter().copied().chain(DUMMIES) {
                csv.push((name.to_string(), challenge_data::read(name)));
            }
        }
        for s in Source::ALL {
            csv.push((format!("plantilla_{}", s.file_name()), template(s).into_bytes()));
            if let Ok(text) = write_table(s, db.table(s)) {
                csv.push((format!("export_{}", s.file_name()), text.into_bytes()));
            }
            if let Some(text) = continuation(&db, s) {
                csv.push((format!("ejemplo_{}", s.file_name()), text.into_bytes()));
            }
        }
        csv.extend(HOSTILE_CSV.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())));
        let backups = backups(&database, &models, &csv);
        let model_seeds = model_seeds(&db, &models.models);
        Corpus {
            db,
            models: models.models,
            csv,
            backups,
            queries: QUERIES.iter().map(|q| q.to_string()).collect(),
            pastes: PASTES.iter().map(|q| q.to_string()).collect(),
            model_seeds,
            with_data,
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "{} CSV files{}, {} backups, {} pastes, {} queries, {} models",
            self.csv.len(),
            if self.with_data {
                " (with the challenge and dummy files from data/ or LECHE_DATA)"
            } else {
                " (NO challenge files in data/ or LECHE_DATA; built-in seeds only)"
            },
            self.backups.len(),
            self.pastes.len(),
            self.queries.len(),
            self.model_seeds.len()
        )
    }
}

const DUMMIES: [&str; 3] = ["precipitaciones_dummy.csv", "banco_central_dummy.csv", "precio_leche_dummy.csv"];

/// The last stored row moved to the next two months, as the page's sample files.
fn continuation(db: &Database, s: Source) -> Option<String> {
    let (&last, values) = db.table(s).iter().next_back()?;
    let rows: Rows = (1..=2).map(|i| (last.offset(i), values.clone())).collect();
    write_table(s, &rows).ok()
}

/// Real backups: the shipped artifacts with an upload applied, a second
/// one undone, a revision on top, and log entries; once more with batch
/// records in the first stored format.
fn backups(database: &DatabaseArtifact, models: &ModelsArtifact, csv: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut db = database.tables.clone();
    let file = |name: &str| csv.iter().find(|(n, _)| n == name).and_then(|(n, b)| read_file(n, b, today()).ok());
    let uploads: Vec<_> = ["precio_leche_dummy.csv", "precipitaciones_dummy.csv", "ejemplo_precio_leche.csv", "ejemplo_precipitaciones.csv"]
        .iter()
        .filter_map(|n| file(n))
        .collect();
    let mut batches: Vec<(u32, Batch)> = Vec::new();
    for (i, f) in uploads.into_iter().enumerate() {
        if let Ok(p) = plan(&db, &[f]) {
            batches.push((i as u32 + 1, Batch::apply(&p, &mut db, true, format!("2026-01-0{}T00:00:00.000Z", i + 1))));
        }
    }
    // A revision of the first batch's month, then the first batch undone under it.
    if let Some(month) = batches.first().and_then(|(_, b)| b.written.first()).map(|w| (w.source, w.month)) {
        let mut rows = Rows::new();
        if let Some(v) = db.table(month.0).get(&month.1) {
            rows.insert(month.1, v.iter().map(|x| if month.0 == Source::MilkPrice { x + 1.0 } else { *x }).collect());
        }
        if let Ok(text) = write_table(month.0, &rows) {
            if let Ok(f) = read_file("revision.csv", text.as_bytes(), today()) {
                if let Ok(p) = plan(&db, &[f]) {
                    let key = batches.len() as u32 + 1;
                    batches.push((key, Batch::apply(&p, &mut db, true, "2026-02-01T00:00:00.000Z".into())));
                }
            }
        }
        if let Ok(u) = undo(&batches, 1) {
            for w in &u.writes {
                w.apply(&mut db);
            }
            for (k, b) in u.batches {
                if let Some(slot) = batches.iter_mut().find(|(key, _)| *key == k) {
                    slot.1 = b;
                }
            }
        }
    }
    let log = vec![
        LogEntry::new("2026-01-01T00:00:00.000Z", Kind::CargaInicial, "Base de datos creada", ""),
        LogEntry::new("2026-01-02T10:11:12.131Z", Kind::Prediccion, "Pronóstico 2020-01", "2020-01: 250,1"),
    ];
    let backup = Backup {
        kind: KIND.into(),
        version: VERSION,
        created: "2026-03-01T00:00:00.000Z".into(),
        database: DatabaseArtifact::new(database.version.clone(), db),
        models: models.clone(),
        batches,
        log,
    };
    let mut out = Vec::new();
    if let Ok(text) = serde_json::to_string(&backup) {
        out.push(text);
    }
    if let Ok(mut value) = serde_json::to_value(&backup) {
        legacy_batches(&mut value);
        out.push(value.to_string());
    }
    out
}

/// The shipped models, and each price candidate (not the original
/// pipeline: the replica is one) fitted on the shipped tables after their
/// last price, carrying the shipped recommended model's bands.
fn model_seeds(db: &Database, shipped: &[Model]) -> Vec<String> {
    let mut models = shipped.to_vec();
    let bands = shipped.iter().find(|m| m.id == ModelId::Recommended).map(|m| m.bands.clone()).unwrap_or_default();
    if let Some(origin) = db.last_price_month().map(Month::next) {
        for id in CANDIDATES.into_iter().filter(|&c| c != CandidateId::Original) {
            let Ok(fit) = id.candidate().and_then(|c| c.fit(db, origin)) else { continue };
            models.push(Model {
                id: ModelId::Recommended,
                name: format!("Modelo recomendado: {}", id.label()),
                method: fit.method,
                bands: bands.clone(),
                trained_from: fit.trained_from,
                trained_to: fit.trained_to,
                trained_rows: fit.trained_rows,
            });
        }
    }
    models.iter().filter_map(|m| serde_json::to_string(m).ok()).collect()
}

/// Rewrites every batch record in the first stored format (rows as tuples, an `undo.before` list).
fn legacy_batches(backup: &mut serde_json::Value) {
    let Some(batches) = backup.get_mut("batches").and_then(|b| b.as_array_mut()) else { return };
    for pair in batches {
        let Some(record) = pair.get_mut(1) else { continue };
        let rows = record.get("written").and_then(|w| w.as_array()).cloned().unwrap_or_default();
        let written: Vec<serde_json::Value> = rows.iter().map(|r| serde_json::json!([r["source"], r["month"], r["values"]])).collect();
        let before: Vec<serde_json::Value> = rows.iter().map(|r| serde_json::json!([r["source"], r["month"], r["replaced"]])).collect();
        if let Some(obj) = record.as_object_mut() {
            obj.remove("format");
            obj.insert("written".into(), written.into());
            obj.insert("undo".into(), serde_json::json!({ "before": before }));
        }
    }
}
