//! The browser's copy of the data: IndexedDB, behind this one module.
//!
//! Layout (database named after the deployment, [`crate::browser::scope`];
//! IndexedDB version = [`SCHEMA_VERSION`]):
//! - `rainfall`, `central_bank`, `milk_price`: one record per month, key
//!   `"YYYY-MM"`, value an array of numbers in the source's column order;
//! - `meta`: `artifact_version` (the artifacts that seeded the store),
//!   `schema_version`, `seeded_at`, `models_info` (default model, verdict, adoption);
//! - `models`: the fitted models, key `"recommended"` / `"replica"` (the
//!   recommended one may be a model retrained here and adopted: `models_info`
//!   then holds its [`Adoption`](leche_core::artifact::Adoption));
//! - `interaction_log`: auto-increment key, values [`LogEntry`];
//! - `batches` (since version 2): auto-increment key, values
//!   [`leche_core::data::upload::Batch`] (each upload: what it wrote and how to undo it);
//! - `forecasts` (since version 3): key [`KeptForecast::key`], values
//!   [`KeptForecast`] (the forecasts the app showed for months with no price
//!   yet, scored by [`crate::view::track`] when the price arrives). It is the app's
//!   own history, not the data: seeding, reset, restoring a backup and
//!   clearing the log leave it as it is (a backup does not carry it); only
//!   deleting the database (the recovery screen's last resort) loses it.
//!
//! Every write is one read-write transaction that awaits only IndexedDB
//! requests (a transaction awaited across anything else auto-commits and
//! the next request fails with `TransactionInactiveError`): callers download
//! and decode first, and whatever a write must re-read (the batches on a new
//! deploy) is read inside the same transaction. Every read is checked
//! (widths, months, numbers): a damaged record is a [`StoreError::Corrupt`]
//! naming it, never a panic.
//!
//! ```ignore
//! let store = Store::open().await?;
//! let seeded = store.reseed(&database, &models, |r| entry(r), &now).await?;
//! let snapshot = store.snapshot().await?;
//! ```

mod codec;
mod writes;

use std::future::IntoFuture;
use std::rc::Rc;

use idb::{Factory, ObjectStoreParams, TransactionMode};
use leche_core::artifact::{Adoption, ModelsArtifact};
use leche_core::data::check::check_batches;
use leche_core::data::upload::{Batch, Plan, UndoError};
use leche_core::{Database, Model, ModelId, Month, Source};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use wasm_bindgen::JsValue;

use crate::browser::clock;
use crate::view::interaction::LogEntry;
use crate::view::track::KeptForecast;
use codec::{from_js, from_js_in_steps, month_from_key, raw_json, row_from_js};
pub use writes::{Contents, Reseeded};

/// The store's layout version (IndexedDB's version number). Bump it, and
/// migrate in [`create_stores`], when the layout changes.
pub const SCHEMA_VERSION: u32 = 3;

pub const RAINFALL: &str = Source::Rainfall.key();
pub const CENTRAL_BANK: &str = Source::CentralBank.key();
pub const MILK_PRICE: &str = Source::MilkPrice.key();
pub const META: &str = "meta";
pub const MODELS: &str = "models";
pub const INTERACTION_LOG: &str = "interaction_log";
pub const BATCHES: &str = "batches";
pub const FORECASTS: &str = "forecasts";

/// The three source tables, in [`Source::ALL`] order.
pub const TABLES: [&str; 3] = [RAINFALL, CENTRAL_BANK, MILK_PRICE];
/// Every object store.
const ALL: [&str; 8] = [RAINFALL, CENTRAL_BANK, MILK_PRICE, META, MODELS, INTERACTION_LOG, BATCHES, FORECASTS];

const KEY_ARTIFACT_VERSION: &str = "artifact_version";
const KEY_SCHEMA_VERSION: &str = "schema_version";
const KEY_SEEDED_AT: &str = "seeded_at";
const KEY_MODELS_INFO: &str = "models_info";

/// Why the store failed; messages are shown to the user.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum StoreError {
    #[error("el almacenamiento del navegador (IndexedDB) no está disponible ({0}); en modo privado algunos navegadores lo desactivan")]
    Unavailable(String),
    #[error("error de IndexedDB: {0}")]
    Idb(String),
    #[error("la escritura se anuló y no se guardó nada")]
    Aborted,
    #[error("los datos guardados están dañados («{store}»: {reason})")]
    Corrupt { store: &'static str, reason: String },
    /// Another tab wrote some of the plan's months after it was made:
    /// nothing was written; `plan` is the plan as it stands now.
    #[error("otra pestaña cambió {} meses de estos archivos mientras usted revisaba el informe; revise el informe actualizado", .months.len())]
    Changed { months: Vec<(Source, Month)>, plan: Box<Plan> },
    #[error(transparent)]
    Undo(#[from] UndoError),
}

impl From<idb::Error> for StoreError {
    fn from(e: idb::Error) -> StoreError {
        StoreError::Idb(e.to_string())
    }
}

type Result<T> = std::result::Result<T, StoreError>;

/// What the `meta` store says about the store's contents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    /// `version` of the artifacts that seeded the store; `None` before seeding.
    pub artifact_version: Option<String>,
    pub schema_version: Option<u32>,
    pub seeded_at: Option<String>,
}

impl Meta {
    /// What a seeding with artifacts `version` at `now` writes ([`Store::reseed`]).
    pub fn seeded(version: &str, now: &str) -> Meta {
        Meta { artifact_version: Some(version.to_string()), schema_version: Some(SCHEMA_VERSION), seeded_at: Some(now.to_string()) }
    }
}

/// Everything the page computes from, read in one transaction (so another
/// tab's write is seen whole or not at all).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub db: Database,
    pub models: Option<ModelsArtifact>,
    pub meta: Meta,
    /// Uploads, oldest first, with their keys.
    pub batches: Vec<(u32, Batch)>,
}

/// The models artifact without its models (they live in `models`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct ModelsInfo {
    schema_version: u32,
    version: String,
    default_model: ModelId,
    beats_naive: Option<bool>,
    verdict: String,
    #[serde(default)]
    adopted: Option<Adoption>,
}

impl From<&ModelsArtifact> for ModelsInfo {
    fn from(m: &ModelsArtifact) -> ModelsInfo {
        ModelsInfo {
            schema_version: m.schema_version,
            version: m.version.clone(),
            default_model: m.default_model,
            beats_naive: m.beats_naive,
            verdict: m.verdict.clone(),
            adopted: m.adopted.clone(),
        }
    }
}

/// An open connection; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: Rc<idb::Database>,
}

impl Store {
    /// Opens (creating or upgrading) this deployment's database.
    pub async fn open() -> Result<Store> {
        Store::open_named(&crate::browser::scope::name()).await
    }

    /// Opens a database with another name (tests use throwaway names).
    pub async fn open_named(name: &str) -> Result<Store> {
        let factory = Factory::new().map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let mut request =
            factory.open(name, Some(SCHEMA_VERSION)).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        request.on_upgrade_needed(|event| {
            use idb::DatabaseEvent;
            if let Ok(db) = event.database() {
                create_stores(&db);
            }
        });
        let mut db = request.await.map_err(|e| StoreError::Unavailable(e.to_string()))?;
        // Another tab opening a newer layout waits until every older
        // connection closes: close ours instead of blocking it forever.
        db.on_version_change(|event| {
            if let Some(db) = event.target().and_then(|t| idb::Database::try_from(t).ok()) {
                db.close();
            }
        });
        Ok(Store { db: Rc::new(db) })
    }

    /// Deletes this deployment's database (recovery from damaged data).
    pub async fn delete() -> Result<()> {
        Store::delete_named(&crate::browser::scope::name()).await
    }

    /// Deletes a database by name.
    pub async fn delete_named(name: &str) -> Result<()> {
        let factory = Factory::new().map_err(|e| StoreError::Unavailable(e.to_string()))?;
        factory.delete(name)?.await?;
        Ok(())
    }

    /// Closes the connection once its transactions finish.
    pub fn close(&self) {
        self.db.close();
    }

    /// What seeded the store.
    pub async fn meta(&self) -> Result<Meta> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadOnly)?;
        read_meta(&tx.object_store(META)?).await
    }

    /// Tables, models, meta and batches, checked, in one read-only transaction.
    pub async fn snapshot(&self) -> Result<Snapshot> {
        let tx = self.db.transaction(&[RAINFALL, CENTRAL_BANK, MILK_PRICE, META, MODELS, BATCHES], TransactionMode::ReadOnly)?;
        // Issue every request before awaiting any (one round trip).
        let mut tables = Vec::with_capacity(3);
        for name in TABLES {
            let store = tx.object_store(name)?;
            tables.push((name, store.get_all_keys(None, None)?.into_future(), store.get_all(None, None)?.into_future()));
        }
        let meta_store = tx.object_store(META)?;
        let info = meta_store.get(JsValue::from_str(KEY_MODELS_INFO))?.into_future();
        let models = tx.object_store(MODELS)?.get_all(None, None)?.into_future();
        let batch_store = tx.object_store(BATCHES)?;
        let batch_keys = batch_store.get_all_keys(None, None)?.into_future();
        let batch_values = batch_store.get_all(None, None)?.into_future();
        let meta = read_meta(&meta_store).await?;

        let mut db = Database::default();
        for ((name, keys, values), source) in tables.into_iter().zip(Source::ALL) {
            let (keys, values) = (keys.await?, values.await?);
            let rows = db.table_mut(source);
            for (k, v) in keys.iter().zip(&values) {
                let month = month_from_key(k, name)?;
                rows.insert(month, row_from_js(v, name, month)?);
            }
        }
        check_tables(&db)?;
        db.check().map_err(|p| StoreError::Corrupt { store: "tablas", reason: p.to_string() })?;
        let models = match (info.await?, models.await?) {
            (Some(info), models) => Some(models_artifact(&info, &models, &db)?),
            (None, _) => None,
        };
        // Every request was issued above and has its answer. Batch records
        // can be thousands of rows each: decoded and checked in later tasks
        // (one per record, one for the check) so none holds the page long.
        let batches = batches_in_steps(&batch_keys.await?, &batch_values.await?).await?;
        if !batches.is_empty() {
            clock::next_task().await;
        }
        check_batches(&db, &batches).map_err(|p| StoreError::Corrupt { store: BATCHES, reason: p.to_string() })?;
        Ok(Snapshot { db, models, meta, batches })
    }

    /// The interaction log, oldest first.
    pub async fn read_log(&self) -> Result<Vec<LogEntry>> {
        let tx = self.db.transaction(&[INTERACTION_LOG], TransactionMode::ReadOnly)?;
        let values = tx.object_store(INTERACTION_LOG)?.get_all(None, None)?.await?;
        values.iter().map(|v| from_js(v, INTERACTION_LOG)).collect()
    }

    /// The kept forecasts, each checked against its key (a damaged record
    /// is a [`StoreError::Corrupt`] naming it).
    pub async fn read_forecasts(&self) -> Result<Vec<KeptForecast>> {
        let tx = self.db.transaction(&[FORECASTS], TransactionMode::ReadOnly)?;
        let store = tx.object_store(FORECASTS)?;
        let keys = store.get_all_keys(None, None)?.into_future();
        let values = store.get_all(None, None)?.into_future();
        let (keys, values) = (keys.await?, values.await?);
        keys.iter()
            .zip(&values)
            .map(|(k, v)| {
                let kept: KeptForecast = from_js(v, FORECASTS)?;
                kept.check(&k.as_string().unwrap_or_else(|| raw_json(k)))
                    .map_err(|e| StoreError::Corrupt { store: FORECASTS, reason: e.to_string() })?;
                Ok(kept)
            })
            .collect()
    }

    /// Every record of every object store as JSON text, whatever it holds:
    /// what the recovery screen offers to download when the data cannot be read.
    pub async fn dump(&self) -> Result<String> {
        let tx = self.db.transaction(&ALL, TransactionMode::ReadOnly)?;
        let mut parts = Vec::with_capacity(ALL.len());
        for name in ALL {
            let store = tx.object_store(name)?;
            let keys = store.get_all_keys(None, None)?.into_future();
            let values = store.get_all(None, None)?.into_future();
            let (keys, values) = (keys.await?, values.await?);
            let records: Vec<String> =
                keys.iter().zip(&values).map(|(k, v)| format!("[{},{}]", raw_json(k), raw_json(v))).collect();
            parts.push(format!("{}:[{}]", serde_json::Value::from(name), records.join(",")));
        }
        Ok(format!("{{{}}}", parts.join(",")))
    }
}

async fn read_meta(store: &idb::ObjectStore) -> Result<Meta> {
    let version = store.get(JsValue::from_str(KEY_ARTIFACT_VERSION))?.into_future();
    let schema = store.get(JsValue::from_str(KEY_SCHEMA_VERSION))?.into_future();
    let seeded = store.get(JsValue::from_str(KEY_SEEDED_AT))?.into_future();
    Ok(Meta {
        artifact_version: version.await?.and_then(|v| v.as_string()),
        schema_version: schema.await?.and_then(|v| v.as_f64()).map(|v| v as u32),
        seeded_at: seeded.await?.and_then(|v| v.as_string()),
    })
}

fn models_artifact(info: &JsValue, models: &[JsValue], db: &Database) -> Result<ModelsArtifact> {
    let info: ModelsInfo = from_js(info, META)?;
    let models = models
        .iter()
        .map(|m| {
            let model: Model = from_js(m, MODELS)?;
            // Checked by use on the tables it will run on (a couple of
            // milliseconds): a model whose shapes would panic, or whose
            // forecasts are not prices with ordered bands, opens the
            // recovery screen instead of the page.
            model.check_on(db).map_err(|e| StoreError::Corrupt { store: MODELS, reason: e.to_string() })?;
            Ok(model)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ModelsArtifact {
        schema_version: info.schema_version,
        version: info.version,
        default_model: info.default_model,
        beats_naive: info.beats_naive,
        verdict: info.verdict,
        models,
        adopted: info.adopted,
    })
}

fn batches(keys: &[JsValue], values: &[JsValue]) -> Result<Vec<(u32, Batch)>> {
    keys.iter().zip(values).map(|(k, v)| Ok((batch_key(k)?, from_js(v, BATCHES)?))).collect()
}

/// [`batches`] with each record decoded in steps (a large upload's record is
/// thousands of rows): only where no read-write transaction is waiting.
async fn batches_in_steps(keys: &[JsValue], values: &[JsValue]) -> Result<Vec<(u32, Batch)>> {
    let mut batches = Vec::with_capacity(keys.len());
    for (k, v) in keys.iter().zip(values) {
        batches.push((batch_key(k)?, from_js_in_steps(v, BATCHES).await?));
    }
    Ok(batches)
}

fn batch_key(key: &JsValue) -> Result<u32> {
    key.as_f64()
        .filter(|k| k.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(k))
        .map(|k| k as u32)
        .ok_or_else(|| StoreError::Corrupt { store: BATCHES, reason: format!("clave {}", raw_json(key)) })
}

/// Every stored row has its table's width.
fn check_tables(db: &Database) -> Result<()> {
    for (source, name) in Source::ALL.into_iter().zip(TABLES) {
        let width = source.columns().len();
        if let Some((month, row)) = db.table(source).iter().find(|(_, r)| r.len() != width) {
            return Err(StoreError::Corrupt { store: name, reason: format!("fila {month} con {} valores en vez de {width}", row.len()) });
        }
    }
    Ok(())
}

/// Creates the object stores a fresh (or older) database lacks.
fn create_stores(db: &idb::Database) {
    let existing = db.store_names();
    for name in [RAINFALL, CENTRAL_BANK, MILK_PRICE, META, MODELS, FORECASTS] {
        if !existing.iter().any(|n| n == name) {
            // Keys are given with each put (out of line). A store that cannot
            // be created fails the first transaction that names it.
            let _ = db.create_object_store(name, ObjectStoreParams::new());
        }
    }
    for name in [INTERACTION_LOG, BATCHES] {
        if !existing.iter().any(|n| n == name) {
            let mut params = ObjectStoreParams::new();
            params.auto_increment(true);
            // As above.
            let _ = db.create_object_store(name, params);
        }
    }
}
