//! The store's writes, each one read-write transaction: it all lands or none
//! of it does.

use std::future::IntoFuture;

use idb::{Transaction, TransactionMode};
use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};
use leche_core::upload::Batch;
use leche_core::{Database, Source};
use wasm_bindgen::JsValue;

use super::codec::{from_js, model_key, month_key, row_to_js, to_js};
use super::{
    batches, Result, Store, StoreError, ModelsInfo, ALL, BATCHES, CENTRAL_BANK, INTERACTION_LOG, KEY_ARTIFACT_VERSION,
    KEY_MODELS_INFO, KEY_SCHEMA_VERSION, KEY_SEEDED_AT, META, MILK_PRICE, MODELS, RAINFALL, SCHEMA_VERSION, TABLES,
};
use crate::interaction::LogEntry;

/// Rows written per task by the large writes: about 50 ms of puts on a slow
/// machine. Awaiting a request hands the event loop back (the page paints
/// and answers input) while keeping the transaction alive.
const PUTS_PER_TASK: usize = 1_000;

/// What [`Store::reseed`] wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Reseeded {
    /// The tables now stored: the shipped ones with the user's batches re-applied.
    pub tables: Database,
    /// Rows of the user's uploads kept on top of the shipped data.
    pub kept_rows: usize,
    /// Whether a model the user retrained and adopted was replaced by the shipped one.
    pub replaced_adopted: bool,
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
        let mut kept = batches(&keys.await?, &values.await?)?;
        let replaced_adopted = match info.await? {
            Some(v) => from_js::<ModelsInfo>(&v, META).map(|i| i.adopted.is_some()).unwrap_or(false),
            None => false,
        };
        let mut tables = shipped.tables.clone();
        let kept_rows = kept.iter_mut().filter(|(_, b)| !b.undone).map(|(_, b)| b.rebase(&mut tables)).sum();
        let done = Reseeded { tables, kept_rows, replaced_adopted };
        let entry = entry(&done);
        write_everything(&tx, &shipped.version, &done.tables, models, &kept, None, &entry, now)?;
        finish(tx).await?;
        Ok(done)
    }

    /// Replaces everything with `tables`, `models` and `batches` (reset: the
    /// shipped data and no batches; restore: a backup's), and the interaction
    /// log with `log` when given; then appends `entry`. One transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn replace_all(
        &self,
        version: &str,
        tables: &Database,
        models: &ModelsArtifact,
        batches: &[(u32, Batch)],
        log: Option<&[LogEntry]>,
        entry: &LogEntry,
        now: &str,
    ) -> Result<()> {
        let tx = self.db.transaction(&ALL, TransactionMode::ReadWrite)?;
        write_everything(&tx, version, tables, models, batches, log, entry, now)?;
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
        for (i, (source, month, values)) in batch.written.iter().enumerate() {
            let width = source.columns().len();
            if values.len() != width {
                // The abort is what we want; its own result adds nothing.
                let _ = tx.abort()?.await;
                let reason = format!("fila {month} con {} valores en vez de {width}", values.len());
                return Err(StoreError::Corrupt { store: table_name(*source), reason });
            }
            let request = stores[source_index(*source)].put(&row_to_js(values), Some(&month_key(*month)))?;
            if (i + 1) % PUTS_PER_TASK == 0 {
                request.into_future().await?;
            }
        }
        let key = tx.object_store(BATCHES)?.add(&record, None)?.into_future();
        tx.object_store(INTERACTION_LOG)?.add(&entry, None)?;
        let key = key.await?;
        finish(tx).await?;
        key.as_f64().map(|k| k as u32).ok_or(StoreError::Idb("clave de carga no numérica".into()))
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
        for (i, (source, month, before)) in batch.undo.before.iter().rev().enumerate() {
            let store = &stores[source_index(*source)];
            let hand_back = (i + 1) % PUTS_PER_TASK == 0;
            match before {
                Some(values) => {
                    let request = store.put(&row_to_js(values), Some(&month_key(*month)))?;
                    if hand_back {
                        request.into_future().await?;
                    }
                }
                None => {
                    let request = store.delete(month_key(*month))?;
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

/// Issues the writes of a whole-store replacement on `tx` (awaiting nothing).
#[allow(clippy::too_many_arguments)]
fn write_everything(
    tx: &Transaction,
    version: &str,
    tables: &Database,
    models: &ModelsArtifact,
    batches: &[(u32, Batch)],
    log: Option<&[LogEntry]>,
    entry: &LogEntry,
    now: &str,
) -> Result<()> {
    let info = to_js(&ModelsInfo::from(models))?;
    let model_values = models.models.iter().map(|m| Ok((model_key(m.id), to_js(m)?))).collect::<Result<Vec<_>>>()?;
    let batch_values = batches.iter().map(|(k, b)| Ok((*k, to_js(b)?))).collect::<Result<Vec<_>>>()?;
    let log_values = log.map(|l| l.iter().map(to_js).collect::<Result<Vec<_>>>()).transpose()?;
    let entry = to_js(entry)?;

    for (name, source) in TABLES.into_iter().zip(Source::ALL) {
        let store = tx.object_store(name)?;
        store.clear()?;
        for (month, row) in tables.table(source) {
            store.put(&row_to_js(row), Some(&month_key(*month)))?;
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
