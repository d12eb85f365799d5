//! The store's writes, each one read-write transaction: it all lands or none
//! of it does.

use std::collections::HashSet;
use std::future::IntoFuture;

use idb::{ObjectStore, Transaction, TransactionMode};
use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};
use leche_core::data::upload::{reapply, undo, Batch, Plan, RowWrite, Superseded};
use leche_core::{Database, Month, Source};
use wasm_bindgen::JsValue;

use super::codec::{from_js, model_key, month_key, row_from_js, row_to_js, to_js, to_js_in_steps};
use crate::browser::clock::Slice;
use super::{
    batches, Result, Store, StoreError, ModelsInfo, ALL, BATCHES, CENTRAL_BANK, FORECASTS, INTERACTION_LOG, KEY_ARTIFACT_VERSION,
    KEY_MODELS_INFO, KEY_SCHEMA_VERSION, KEY_SEEDED_AT, META, MILK_PRICE, MODELS, RAINFALL, SCHEMA_VERSION, TABLES,
};
use crate::view::interaction::LogEntry;
use crate::view::track::KeptForecast;

/// Rows written or read per task by the large writes: about 25 ms of
/// requests on a slow machine. Awaiting a request hands the event loop back
/// (the page paints and answers input) while keeping the transaction alive.
const ROWS_PER_TASK: usize = 500;

/// What [`Store::reseed`] wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Reseeded {
    /// The tables now stored: the shipped ones with the user's batches re-applied.
    pub tables: Database,
    /// Rows of the user's uploads kept on top of the shipped data.
    pub kept_rows: usize,
    /// Months the user had inserted that the new shipped data now has (its value wins).
    pub superseded: Vec<Superseded>,
    /// Whether a model the user retrained and adopted was replaced by the shipped one.
    pub replaced_adopted: bool,
    /// The uploads now stored (re-applied on top), with their keys, oldest first.
    pub batches: Vec<(u32, Batch)>,
}

impl Store {
    /// Seeds the store with the published artifacts (first visit, new
    /// deploy): the shipped tables and models replace the stored ones, every
    /// upload not undone is re-applied on top (rows users uploaded are never
    /// lost), and `entry(&what was done)` is logged — all in one transaction,
    /// the batches read inside it, so no other tab's upload can fall between
    /// the read and the write. The interaction log is kept.
    pub async fn reseed(
        &self,
        shipped: &DatabaseArtifact,
        models: &ModelsArtifact,
        entry: impl FnOnce(&Reseeded) -> LogEntry,
        now: &str,
    ) -> Result<Reseeded> {
        let tx = self.db.transaction(&ALL, TransactionMode::ReadWrite)?;
        let batch_store = tx.object_store(BATCHES)?;
        let keys = batch_store.get_all_keys(None, None)?.into_future();
        let values = batch_store.get_all(None, None)?.into_future();
        let info = tx.object_store(META)?.get(JsValue::from_str(KEY_MODELS_INFO))?.into_future();
        let stored = batches(&keys.await?, &values.await?)?;
        let replaced_adopted = match info.await? {
            Some(v) => from_js::<ModelsInfo>(&v, META).map(|i| i.adopted.is_some()).unwrap_or(false),
            None => false,
        };
        // Every revision the user confirmed comes back; where the new shipped
        // data has a month the user had only inserted, the official value wins.
        let r = reapply(&shipped.tables, &stored);
        let done = Reseeded { tables: r.tables, kept_rows: r.kept, superseded: r.superseded, replaced_adopted, batches: r.batches };
        let entry = entry(&done);
        let contents = Contents { version: &shipped.version, tables: &done.tables, models, batches: &done.batches, log: None };
        write_everything(&tx, &contents, &entry, now).await?;
        finish(tx).await?;
        Ok(done)
    }

    /// Replaces everything with `contents` (reset: the shipped data and no
    /// batches; restore: a backup's, its log included), then appends
    /// `entry`. One transaction.
    pub async fn replace_all(&self, contents: Contents<'_>, entry: &LogEntry, now: &str) -> Result<()> {
        let tx = self.db.transaction(&ALL, TransactionMode::ReadWrite)?;
        write_everything(&tx, &contents, entry, now).await?;
        finish(tx).await
    }

    /// Writes an upload in one transaction, re-checked inside it: the rows
    /// `plan` touched are read again, and if another tab changed any of them
    /// since the plan was made, nothing is written and
    /// [`StoreError::Changed`] carries the plan as it stands now (a changed
    /// month becomes a conflict to confirm, never an overwrite). Otherwise
    /// `batch` (what `plan` writes) lands with its record and `entry`.
    /// Returns the batch's key.
    pub async fn insert(&self, plan: &Plan, batch: &Batch, entry: &LogEntry) -> Result<u32> {
        let record = to_js_in_steps(batch).await?;
        let entry = to_js(entry)?;
        let tx = self.db.transaction(&[RAINFALL, CENTRAL_BANK, MILK_PRICE, BATCHES, INTERACTION_LOG], TransactionMode::ReadWrite)?;
        let stores = [tx.object_store(RAINFALL)?, tx.object_store(CENTRAL_BANK)?, tx.object_store(MILK_PRICE)?];
        let current = read_rows(&stores, &plan.touched()).await?;
        let recheck = plan.recheck(&current);
        if !recheck.changed.is_empty() {
            // Nothing was written; the abort only makes that explicit.
            let _ = tx.abort()?.await;
            return Err(StoreError::Changed { months: recheck.changed, plan: Box::new(recheck.plan) });
        }
        if let Err(e) = put_rows(&stores, &batch.writes()).await {
            // Without the abort the rows already put would commit.
            let _ = tx.abort()?.await;
            return Err(e);
        }
        let key = tx.object_store(BATCHES)?.add(&record, None)?.into_future();
        tx.object_store(INTERACTION_LOG)?.add(&entry, None)?;
        let key = key.await?;
        finish(tx).await?;
        key.as_f64().map(|k| k as u32).ok_or(StoreError::Idb("clave de carga no numérica".into()))
    }

    /// Undoes upload `key`, whatever later uploads are active: every month
    /// it changed goes back to what it replaced, unless a later upload wrote
    /// it since (that value stays, and the later upload now replaces what
    /// this one had). The batches are read inside the same transaction.
    pub async fn undo(&self, key: u32, entry: &LogEntry) -> Result<()> {
        let entry = to_js(entry)?;
        let tx = self.db.transaction(&[RAINFALL, CENTRAL_BANK, MILK_PRICE, BATCHES, INTERACTION_LOG], TransactionMode::ReadWrite)?;
        let batch_store = tx.object_store(BATCHES)?;
        let keys = batch_store.get_all_keys(None, None)?.into_future();
        let values = batch_store.get_all(None, None)?.into_future();
        let stored = batches(&keys.await?, &values.await?)?;
        let plan = undo(&stored, key)?;
        let records = plan.batches.iter().map(|(k, b)| Ok((*k, to_js(b)?))).collect::<Result<Vec<_>>>()?;
        let stores = [tx.object_store(RAINFALL)?, tx.object_store(CENTRAL_BANK)?, tx.object_store(MILK_PRICE)?];
        if let Err(e) = put_rows(&stores, &plan.writes).await {
            // As in `insert`: nothing of a failed undo lands.
            let _ = tx.abort()?.await;
            return Err(e);
        }
        for (k, record) in &records {
            batch_store.put(record, Some(&JsValue::from_f64(f64::from(*k))))?;
        }
        tx.object_store(INTERACTION_LOG)?.add(&entry, None)?;
        finish(tx).await
    }

    /// Makes `models` the stored models (a retrained model adopted in place
    /// of the recommended one) and appends `entry`, in one transaction. The
    /// tables are not touched: the retrain read them before and computed
    /// outside any transaction.
    pub async fn adopt(&self, models: &ModelsArtifact, entry: &LogEntry) -> Result<()> {
        let info = to_js(&ModelsInfo::from(models))?;
        let values = models.models.iter().map(|m| Ok((model_key(m.id), to_js(m)?))).collect::<Result<Vec<_>>>()?;
        let entry = to_js(entry)?;
        let tx = self.db.transaction(&[META, MODELS, INTERACTION_LOG], TransactionMode::ReadWrite)?;
        tx.object_store(META)?.put(&info, Some(&JsValue::from_str(KEY_MODELS_INFO)))?;
        let store = tx.object_store(MODELS)?;
        store.clear()?;
        for (key, value) in &values {
            store.put(value, Some(key))?;
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

    /// Keeps the forecasts whose key is not stored yet, in one transaction
    /// that reads the keys first: the first forecast for a month from an
    /// origin stands (another tab may have kept it meanwhile; `add` on a
    /// stored key would abort everything). Returns how many were new.
    pub async fn keep_forecasts(&self, kept: &[KeptForecast]) -> Result<usize> {
        let values = kept.iter().map(|k| Ok((k.key(), to_js(k)?))).collect::<Result<Vec<_>>>()?;
        let tx = self.db.transaction(&[FORECASTS], TransactionMode::ReadWrite)?;
        let store = tx.object_store(FORECASTS)?;
        let stored = store.get_all_keys(None, None)?.await?;
        let stored: HashSet<String> = stored.iter().filter_map(|k| k.as_string()).collect();
        let mut added = HashSet::new();
        for (key, value) in &values {
            if !stored.contains(key) && added.insert(key.as_str()) {
                store.add(value, Some(&JsValue::from_str(key)))?;
            }
        }
        finish(tx).await?;
        Ok(added.len())
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

/// The stored rows of `months` (those that exist), read
/// [`ROWS_PER_TASK`] at a time so that no task issues thousands of requests.
async fn read_rows(stores: &[ObjectStore; 3], months: &[(Source, Month)]) -> Result<Database> {
    let mut rows = Database::default();
    for slice in months.chunks(ROWS_PER_TASK) {
        let mut reads = Vec::with_capacity(slice.len());
        for &(source, month) in slice {
            reads.push((source, month, stores[source_index(source)].get(month_key(month))?.into_future()));
        }
        for (source, month, read) in reads {
            if let Some(value) = read.await? {
                rows.table_mut(source).insert(month, row_from_js(&value, table_name(source), month)?);
            }
        }
    }
    Ok(rows)
}

/// Issues row writes, handing the event loop back every [`ROWS_PER_TASK`]
/// (awaiting a request keeps the transaction alive). Stops at a row of the
/// wrong width; the caller aborts the transaction, so nothing of it lands.
async fn put_rows(stores: &[ObjectStore; 3], writes: &[RowWrite]) -> Result<()> {
    for (i, write) in writes.iter().enumerate() {
        let hand_back = (i + 1) % ROWS_PER_TASK == 0;
        match write {
            RowWrite::Put { source, month, values } => {
                let width = source.columns().len();
                if values.len() != width {
                    let reason = format!("fila {month} con {} valores en vez de {width}", values.len());
                    return Err(StoreError::Corrupt { store: table_name(*source), reason });
                }
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
    Ok(())
}

/// Everything a whole-store write puts in place.
pub struct Contents<'a> {
    /// The artifact version the tables and models come from.
    pub version: &'a str,
    pub tables: &'a Database,
    pub models: &'a ModelsArtifact,
    pub batches: &'a [(u32, Batch)],
    /// A log that replaces the stored one (a restore); `None` keeps it.
    pub log: Option<&'a [LogEntry]>,
}

/// Issues the writes of a whole-store replacement on `tx`, handing the
/// event loop back whenever a [`Slice`] is spent (awaiting the last request
/// keeps the transaction alive): a thousand rows are a few hundred
/// milliseconds of a phone's main thread, never in one task.
async fn write_everything(tx: &Transaction, contents: &Contents<'_>, entry: &LogEntry, now: &str) -> Result<()> {
    let Contents { version, tables, models, batches, log } = *contents;
    let info = to_js(&ModelsInfo::from(models))?;
    let model_values = models.models.iter().map(|m| Ok((model_key(m.id), to_js(m)?))).collect::<Result<Vec<_>>>()?;
    let batch_values = batches.iter().map(|(k, b)| Ok((*k, to_js(b)?))).collect::<Result<Vec<_>>>()?;
    let log_values = log.map(|l| l.iter().map(to_js).collect::<Result<Vec<_>>>()).transpose()?;
    let entry = to_js(entry)?;

    let mut slice = Slice::start();
    for (name, source) in TABLES.into_iter().zip(Source::ALL) {
        let store = tx.object_store(name)?;
        store.clear()?;
        for (month, row) in tables.table(source) {
            let request = store.put(&row_to_js(row), Some(&month_key(*month)))?;
            if slice.spent() {
                request.into_future().await?;
                slice = Slice::start();
            }
        }
    }
    let meta = tx.object_store(META)?;
    meta.put(&JsValue::from_str(version), Some(&JsValue::from_str(KEY_ARTIFACT_VERSION)))?;
    meta.put(&JsValue::from_f64(f64::from(SCHEMA_VERSION)), Some(&JsValue::from_str(KEY_SCHEMA_VERSION)))?;
    meta.put(&JsValue::from_str(now), Some(&JsValue::from_str(KEY_SEEDED_AT)))?;
    meta.put(&info, Some(&JsValue::from_str(KEY_MODELS_INFO)))?;
    let model_store = tx.object_store(MODELS)?;
    model_store.clear()?;
    for (key, value) in &model_values {
        model_store.put(value, Some(key))?;
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
    Ok(())
}

/// Commits and waits; an aborted transaction is an error.
async fn finish(tx: Transaction) -> Result<()> {
    if tx.commit()?.await?.is_committed() {
        Ok(())
    } else {
        Err(StoreError::Aborted)
    }
}

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
