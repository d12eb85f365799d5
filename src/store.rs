//! The browser's copy of the data: IndexedDB, behind this one module.
//!
//! Layout (database [`DB_NAME`], IndexedDB version = [`SCHEMA_VERSION`]):
//! - `rainfall`, `central_bank`, `milk_price`: one record per month, key
//!   `"YYYY-MM"` (so string order is month order and key ranges work),
//!   value an array of numbers in the source's column order;
//! - `meta`: `artifact_version` (the artifacts that seeded the store),
//!   `schema_version`, `seeded_at`, `models_info` (default model, verdict, adoption);
//! - `models`: the fitted models, key `"recommended"` / `"replica"` (the
//!   recommended one may be a model retrained here and adopted: `models_info`
//!   then holds its [`Adoption`]);
//! - `interaction_log`: auto-increment key, values [`LogEntry`];
//! - `batches` (since version 2): auto-increment key, values
//!   [`leche_core::upload::Batch`] (each upload: what it wrote and how to undo it).
//!
//! Every write is one read-write transaction that only awaits IndexedDB:
//! callers download and decode first (a transaction awaited across a
//! `fetch` auto-commits and the next request fails with
//! `TransactionInactiveError`). Requests are all issued, then the
//! transaction's completion is awaited: it either all lands or none of it.
//!
//! When the store is (re)seeded is decided by [`crate::seed::plan`].
//!
//! ```ignore
//! let store = Store::open().await?;
//! store.replace_shipped(&database, &models, entry).await?;
//! let db = store.read_range(first, last).await?;
//! ```

use std::future::IntoFuture;
use std::rc::Rc;

use idb::{Factory, KeyRange, ObjectStoreParams, Query, TransactionMode};
use js_sys::{Array, JSON};
use leche_core::artifact::{Adoption, DatabaseArtifact, ModelsArtifact};
use leche_core::upload::{Batch, RowWrite, Written};
use leche_core::{Database, Model, ModelId, Month, Source};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};

use crate::interaction::LogEntry;
use crate::route::model_param;

/// The IndexedDB database name.
pub const DB_NAME: &str = "leche";
/// The store's layout version (IndexedDB's version number). Bump it, and
/// migrate in [`create_stores`], when the layout changes.
pub const SCHEMA_VERSION: u32 = 2;

pub const RAINFALL: &str = "rainfall";
pub const CENTRAL_BANK: &str = "central_bank";
pub const MILK_PRICE: &str = "milk_price";
pub const META: &str = "meta";
pub const MODELS: &str = "models";
pub const INTERACTION_LOG: &str = "interaction_log";
pub const BATCHES: &str = "batches";

/// The three source tables, in [`Database`] order.
pub const TABLES: [&str; 3] = [RAINFALL, CENTRAL_BANK, MILK_PRICE];

const KEY_ARTIFACT_VERSION: &str = "artifact_version";
const KEY_SCHEMA_VERSION: &str = "schema_version";
const KEY_SEEDED_AT: &str = "seeded_at";
const KEY_MODELS_INFO: &str = "models_info";

/// Why the store failed; messages are shown to the user.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("el almacenamiento del navegador (IndexedDB) no está disponible ({0}); en modo privado algunos navegadores lo desactivan")]
    Unavailable(String),
    #[error("error de IndexedDB: {0}")]
    Idb(String),
    #[error("la escritura se anuló y no se guardó nada")]
    Aborted,
    #[error("dato almacenado ilegible en «{store}»: {reason}")]
    Corrupt { store: &'static str, reason: String },
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
    /// Opens (creating or upgrading) the app's database.
    pub async fn open() -> Result<Store> {
        Store::open_named(DB_NAME).await
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

    /// Deletes a database (tests).
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
        let store = tx.object_store(META)?;
        let version = store.get(JsValue::from_str(KEY_ARTIFACT_VERSION))?.into_future();
        let schema = store.get(JsValue::from_str(KEY_SCHEMA_VERSION))?.into_future();
        let seeded = store.get(JsValue::from_str(KEY_SEEDED_AT))?.into_future();
        Ok(Meta {
            artifact_version: version.await?.and_then(|v| v.as_string()),
            schema_version: schema.await?.and_then(|v| v.as_f64()).map(|v| v as u32),
            seeded_at: seeded.await?.and_then(|v| v.as_string()),
        })
    }

    /// Replaces the stored tables with `tables` (the shipped ones with the
    /// kept batches re-applied on top), the models with `models`, the batches
    /// with `batches`, records `database.version`, and appends `entry` to the
    /// interaction log: one transaction (first visit, new deploy and reset
    /// all use it). The interaction log is kept.
    pub async fn replace_shipped(
        &self,
        database: &DatabaseArtifact,
        tables: &Database,
        models: &ModelsArtifact,
        batches: &[(u32, Batch)],
        entry: &LogEntry,
        now: &str,
    ) -> Result<()> {
        self.write_all(database, tables, models, batches, None, entry, now).await
    }

    /// [`Store::replace_shipped`], optionally replacing the interaction log with `log` first.
    #[allow(clippy::too_many_arguments)]
    async fn write_all(
        &self,
        database: &DatabaseArtifact,
        tables: &Database,
        models: &ModelsArtifact,
        batches: &[(u32, Batch)],
        log: Option<&[LogEntry]>,
        entry: &LogEntry,
        now: &str,
    ) -> Result<()> {
        // Everything is converted before the transaction opens.
        let info = to_js(&ModelsInfo::from(models))?;
        let model_values = models
            .models
            .iter()
            .map(|m| Ok((model_param(m.id), to_js(m)?)))
            .collect::<Result<Vec<_>>>()?;
        let batch_values = batches.iter().map(|(k, b)| Ok((*k, to_js(b)?))).collect::<Result<Vec<_>>>()?;
        let log_values = log.map(|l| l.iter().map(to_js).collect::<Result<Vec<_>>>()).transpose()?;
        let entry = to_js(entry)?;

        let names = [RAINFALL, CENTRAL_BANK, MILK_PRICE, META, MODELS, INTERACTION_LOG, BATCHES];
        let tx = self.db.transaction(&names, TransactionMode::ReadWrite)?;
        for (name, rows) in TABLES.iter().zip([&tables.rainfall, &tables.central_bank, &tables.milk_price]) {
            let store = tx.object_store(name)?;
            store.clear()?;
            for (month, row) in rows {
                store.put(&row_to_js(row), Some(&month_key(*month)))?;
            }
        }
        let meta = tx.object_store(META)?;
        meta.put(&JsValue::from_str(&database.version), Some(&JsValue::from_str(KEY_ARTIFACT_VERSION)))?;
        meta.put(&JsValue::from_f64(f64::from(SCHEMA_VERSION)), Some(&JsValue::from_str(KEY_SCHEMA_VERSION)))?;
        meta.put(&JsValue::from_str(now), Some(&JsValue::from_str(KEY_SEEDED_AT)))?;
        meta.put(&info, Some(&JsValue::from_str(KEY_MODELS_INFO)))?;
        let model_store = tx.object_store(MODELS)?;
        model_store.clear()?;
        for (key, value) in &model_values {
            model_store.put(value, Some(&JsValue::from_str(key)))?;
        }
        let batch_store = tx.object_store(BATCHES)?;
        batch_store.clear()?;
        for (key, value) in &batch_values {
            batch_store.put(value, Some(&JsValue::from_f64(f64::from(*key))))?;
        }
        let log_store = tx.object_store(INTERACTION_LOG)?;
        if let Some(values) = &log_values {
            log_store.clear()?;
            for v in values {
                log_store.add(v, None)?;
            }
        }
        log_store.add(&entry, None)?;
        finish(tx).await
    }

    /// Writes an upload: its rows, the batch record and `entry`, in one
    /// transaction. Returns the batch's key.
    ///
    /// A row of the wrong width (a corrupt batch) aborts the transaction where
    /// it is met, so the rows already written in it are rolled back too.
    pub async fn apply_batch(&self, batch: &Batch, entry: &LogEntry) -> Result<u32> {
        let record = to_js(batch)?;
        let entry = to_js(entry)?;
        let tx = self.db.transaction(&[RAINFALL, CENTRAL_BANK, MILK_PRICE, BATCHES, INTERACTION_LOG], TransactionMode::ReadWrite)?;
        let stores = [tx.object_store(RAINFALL)?, tx.object_store(CENTRAL_BANK)?, tx.object_store(MILK_PRICE)?];
        for (i, Written { source, month, values, .. }) in batch.written.iter().enumerate() {
            if values.len() != source.columns().len() {
                let _ = tx.abort()?.await;
                let reason = format!("fila {month} con {} valores en vez de {}", values.len(), source.columns().len());
                return Err(StoreError::Corrupt { store: table_name(*source), reason });
            }
            let request = stores[source_index(*source)].put(&row_to_js(values), Some(&month_key(*month)))?;
            // Waiting on a request now and then hands the event loop back (the
            // page paints and answers input) while keeping the transaction alive.
            if (i + 1) % PUTS_PER_TASK == 0 {
                request.into_future().await?;
            }
        }
        let key = tx.object_store(BATCHES)?.add(&record, None)?.into_future();
        tx.object_store(INTERACTION_LOG)?.add(&entry, None)?;
        let key = key.await?.as_f64().map_or(0, |k| k as u32);
        finish(tx).await?;
        Ok(key)
    }

    /// Undoes batch `key`: restores every row it changed and marks it undone,
    /// with `entry`, in one transaction.
    pub async fn undo_batch(&self, key: u32, batch: &Batch, entry: &LogEntry) -> Result<()> {
        let mut undone = batch.clone();
        undone.undone = true;
        let record = to_js(&undone)?;
        let entry = to_js(entry)?;
        let tx = self.db.transaction(&[RAINFALL, CENTRAL_BANK, MILK_PRICE, BATCHES, INTERACTION_LOG], TransactionMode::ReadWrite)?;
        let stores = [tx.object_store(RAINFALL)?, tx.object_store(CENTRAL_BANK)?, tx.object_store(MILK_PRICE)?];
        // Compile fix only: this batch alone, as before; the lead wires
        // `leche_core::upload::undo` over every stored batch (issue 15).
        let undo = leche_core::upload::undo(&[(key, batch.clone())], key)
            .map_err(|e| StoreError::Corrupt { store: BATCHES, reason: e.to_string() })?;
        for (i, write) in undo.writes.iter().enumerate() {
            // As in `apply_batch`: hand the event loop back now and then.
            let hand_back = (i + 1) % PUTS_PER_TASK == 0;
            match write {
                RowWrite::Put { source, month, values } => {
                    let request = stores[source_index(*source)].put(&row_to_js(values), Some(&month_key(*month)))?;
                    if hand_back {
                        request.into_future().await?;
                    }
                }
                RowWrite::Delete { source, month } => {
                    let request = stores[source_index(*source)].delete(month_key(*month))?;
                    if hand_back {
                        request.into_future().await?;
                    }
                }
            }
        }
        tx.object_store(BATCHES)?.put(&record, Some(&JsValue::from_f64(f64::from(key))))?;
        tx.object_store(INTERACTION_LOG)?.add(&entry, None)?;
        finish(tx).await
    }

    /// Every batch with its key, oldest first.
    pub async fn read_batches(&self) -> Result<Vec<(u32, Batch)>> {
        let tx = self.db.transaction(&[BATCHES], TransactionMode::ReadOnly)?;
        let store = tx.object_store(BATCHES)?;
        let keys = store.get_all_keys(None, None)?.into_future();
        let values = store.get_all(None, None)?.into_future();
        let (keys, values) = (keys.await?, values.await?);
        keys.iter()
            .zip(&values)
            .map(|(k, v)| Ok((k.as_f64().map_or(0, |k| k as u32), from_js(v, BATCHES)?)))
            .collect()
    }

    /// Replaces everything (tables, models, batches, interaction log) with a
    /// backup's, then appends `entry`, in one transaction.
    pub async fn restore(
        &self,
        database: &DatabaseArtifact,
        models: &ModelsArtifact,
        batches: &[(u32, Batch)],
        log: &[LogEntry],
        entry: &LogEntry,
        now: &str,
    ) -> Result<()> {
        self.write_all(database, &database.tables, models, batches, Some(log), entry, now).await
    }

    /// The whole database.
    pub async fn read_database(&self) -> Result<Database> {
        self.read(None).await
    }

    /// The rows from `first` to `last` (both included) of every table.
    pub async fn read_range(&self, first: Month, last: Month) -> Result<Database> {
        self.read(Some((first, last))).await
    }

    async fn read(&self, range: Option<(Month, Month)>) -> Result<Database> {
        let tx = self.db.transaction(&TABLES, TransactionMode::ReadOnly)?;
        let query = || -> Result<Option<Query>> {
            match range {
                None => Ok(None),
                Some((a, b)) => Ok(Some(KeyRange::bound(&month_key(a), &month_key(b), None, None)?.into())),
            }
        };
        // Issue every request before awaiting any (one round trip per table).
        let mut pending = Vec::with_capacity(3);
        for name in TABLES {
            let store = tx.object_store(name)?;
            let keys = store.get_all_keys(query()?, None)?.into_future();
            let values = store.get_all(query()?, None)?.into_future();
            pending.push((name, keys, values));
        }
        let mut db = Database::default();
        for (i, (name, keys, values)) in pending.into_iter().enumerate() {
            let (keys, values) = (keys.await?, values.await?);
            let rows = match i {
                0 => &mut db.rainfall,
                1 => &mut db.central_bank,
                _ => &mut db.milk_price,
            };
            for (k, v) in keys.iter().zip(&values) {
                let text = k.as_string().unwrap_or_default();
                let month: Month = text
                    .parse()
                    .map_err(|_| StoreError::Corrupt { store: name, reason: format!("clave «{text}»") })?;
                let row = row_from_js(v)
                    .ok_or_else(|| StoreError::Corrupt { store: name, reason: format!("fila {month}") })?;
                rows.insert(month, row);
            }
        }
        Ok(db)
    }

    /// The stored models with their verdict, or `None` before seeding.
    pub async fn read_models(&self) -> Result<Option<ModelsArtifact>> {
        let tx = self.db.transaction(&[META, MODELS], TransactionMode::ReadOnly)?;
        let info = tx.object_store(META)?.get(JsValue::from_str(KEY_MODELS_INFO))?.into_future();
        let models = tx.object_store(MODELS)?.get_all(None, None)?.into_future();
        let (Some(info), models) = (info.await?, models.await?) else {
            return Ok(None);
        };
        let info: ModelsInfo = from_js(&info, META)?;
        let models = models.iter().map(|m| from_js::<Model>(m, MODELS)).collect::<Result<Vec<_>>>()?;
        Ok(Some(ModelsArtifact {
            schema_version: info.schema_version,
            version: info.version,
            default_model: info.default_model,
            beats_naive: info.beats_naive,
            verdict: info.verdict,
            models,
            adopted: info.adopted,
        }))
    }

    /// Makes `models` the stored models (a retrained model adopted in
    /// place of the recommended one) and appends `entry`, in one
    /// transaction. The tables are not touched: the retrain read them
    /// before and computed outside any transaction.
    pub async fn adopt(&self, models: &ModelsArtifact, entry: &LogEntry) -> Result<()> {
        let info = to_js(&ModelsInfo::from(models))?;
        let values = models.models.iter().map(|m| Ok((model_param(m.id), to_js(m)?))).collect::<Result<Vec<_>>>()?;
        let entry = to_js(entry)?;
        let tx = self.db.transaction(&[META, MODELS, INTERACTION_LOG], TransactionMode::ReadWrite)?;
        tx.object_store(META)?.put(&info, Some(&JsValue::from_str(KEY_MODELS_INFO)))?;
        let store = tx.object_store(MODELS)?;
        store.clear()?;
        for (key, value) in &values {
            store.put(value, Some(&JsValue::from_str(key)))?;
        }
        tx.object_store(INTERACTION_LOG)?.add(&entry, None)?;
        finish(tx).await
    }

    /// Appends one entry to the interaction log.
    pub async fn append_log(&self, entry: &LogEntry) -> Result<()> {
        let value = to_js(entry)?;
        let tx = self.db.transaction(&[INTERACTION_LOG], TransactionMode::ReadWrite)?;
        tx.object_store(INTERACTION_LOG)?.add(&value, None)?;
        finish(tx).await
    }

    /// The interaction log, oldest first.
    pub async fn read_log(&self) -> Result<Vec<LogEntry>> {
        let tx = self.db.transaction(&[INTERACTION_LOG], TransactionMode::ReadOnly)?;
        let values = tx.object_store(INTERACTION_LOG)?.get_all(None, None)?.await?;
        values.iter().map(|v| from_js(v, INTERACTION_LOG)).collect()
    }

    /// Empties the interaction log and starts the new one with `entry`
    /// (that it was cleared, and when).
    pub async fn clear_log(&self, entry: &LogEntry) -> Result<()> {
        let value = to_js(entry)?;
        let tx = self.db.transaction(&[INTERACTION_LOG], TransactionMode::ReadWrite)?;
        let store = tx.object_store(INTERACTION_LOG)?;
        store.clear()?;
        store.add(&value, None)?;
        finish(tx).await
    }
}

/// Creates the object stores a fresh (or older) database lacks.
fn create_stores(db: &idb::Database) {
    let existing = db.store_names();
    for name in [RAINFALL, CENTRAL_BANK, MILK_PRICE, META, MODELS] {
        if !existing.iter().any(|n| n == name) {
            // Keys are given with each put (out of line).
            let _ = db.create_object_store(name, ObjectStoreParams::new());
        }
    }
    for name in [INTERACTION_LOG, BATCHES] {
        if !existing.iter().any(|n| n == name) {
            let mut params = ObjectStoreParams::new();
            params.auto_increment(true);
            let _ = db.create_object_store(name, params);
        }
    }
}

/// Commits and waits; an aborted transaction is an error.
async fn finish(tx: idb::Transaction) -> Result<()> {
    if tx.commit()?.await?.is_committed() {
        Ok(())
    } else {
        Err(StoreError::Aborted)
    }
}

/// Rows written per task by [`Store::apply_batch`]: about 50 ms of puts on a
/// slow machine, so a 100,000-row upload does not freeze the page.
const PUTS_PER_TASK: usize = 1_000;

/// The position of `source`'s store in [`TABLES`].
fn source_index(source: Source) -> usize {
    match source {
        Source::Rainfall => 0,
        Source::CentralBank => 1,
        Source::MilkPrice => 2,
    }
}

fn table_name(source: Source) -> &'static str {
    TABLES[source_index(source)]
}

fn month_key(m: Month) -> JsValue {
    JsValue::from_str(&m.to_string())
}

/// A row as a plain JS array of numbers (exact: f64 in, f64 out).
fn row_to_js(row: &[f64]) -> JsValue {
    let a = Array::new_with_length(row.len() as u32);
    for (i, v) in row.iter().enumerate() {
        a.set(i as u32, JsValue::from_f64(*v));
    }
    a.into()
}

fn row_from_js(v: &JsValue) -> Option<Vec<f64>> {
    let a: &Array = v.dyn_ref()?;
    a.iter().map(|x| x.as_f64()).collect()
}

/// Structured values go through JSON: serde_json writes shortest
/// round-trip floats and `JSON.parse` reads them exactly (and back), and
/// it avoids a second serialisation library in the wasm.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue> {
    let text = serde_json::to_string(value).map_err(|e| StoreError::Idb(e.to_string()))?;
    JSON::parse(&text).map_err(|_| StoreError::Idb("JSON.parse".into()))
}

fn from_js<T: DeserializeOwned>(value: &JsValue, store: &'static str) -> Result<T> {
    let text: String = JSON::stringify(value)
        .map_err(|_| StoreError::Corrupt { store, reason: "no es JSON".into() })?
        .into();
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt { store, reason: e.to_string() })
}
