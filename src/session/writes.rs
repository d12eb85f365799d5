//! The session's verbs: every write the app makes.

use leche_core::artifact::DatabaseArtifact;
use leche_core::data::clean::MAX_FILE_BYTES;
use leche_core::drift::{measure, Drift};
use leche_core::data::upload::{Batch, Plan};
use leche_core::{Forecast, ModelId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::start::published;
use super::{Conflict, Failure, InputError, Session, SessionError, Verb};
use crate::wire::backup::{self, Backup};
use crate::browser::broadcast::{self, Change};
use crate::browser::{clock, files};
use crate::view::table_coverage;
use crate::view::interaction::{Kind, LogEntry};
use crate::store::{Contents, Store};
use crate::view::track::{self, KeptForecast};
use crate::view::batch_text::batch_details;

/// What an insert wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Inserted {
    /// Rows written (0: every month was already stored).
    pub rows: usize,
    /// The log line, for the page to echo.
    pub message: String,
    /// The active model's error before and after, over all months and after its training.
    pub drift: Option<(Drift, Drift)>,
}

impl Session {
    /// Writes an upload's plan (one transaction), keeps the batch for undo,
    /// and measures how the active model's error moved.
    pub async fn insert(&self, plan: Plan, replace_revisions: bool, files: Vec<String>) -> Result<Inserted, SessionError> {
        let session = *self;
        let names = files.join(", ");
        self.run(Verb::Insert(names.clone()), async move {
            let store = session.open_store()?;
            // The plan may come from the worker: checked where it arrives.
            plan.check().map_err(InputError::BadPlan)?;
            // A large upload is several steps of work: each gets its own task,
            // so the page can paint and answer in between.
            clock::next_task().await;
            let before = session.db.get_untracked();
            let mut after = before.clone();
            let batch = Batch::apply(&plan, &mut after, replace_revisions, clock::now_iso());
            clock::next_task().await;
            if batch.written.is_empty() {
                let message = format!("Carga de {names}: nada nuevo que insertar");
                session.log(Kind::Carga, message.clone(), "");
                return Ok(Inserted { rows: 0, message, drift: None });
            }
            let drift = session.model(session.default_model()).map(|m| (measure(&m, &before), measure(&m, &after)));
            let message = format!(
                "Carga de {names}: {} filas escritas{}",
                crate::view::format::count(batch.written.len()),
                if replace_revisions { " (con valores revisados reemplazados)" } else { "" }
            );
            let entry = LogEntry::new(clock::now_iso(), Kind::Carga, message.clone(), batch_details(&batch, drift.as_ref()));
            clock::next_task().await;
            let key = store.insert(&plan, &batch, &entry).await?;
            // The store now holds exactly `after`: no need to read it back.
            let rows = batch.written.len();
            session.db.set(after);
            session.data_rev.update(|n| *n += 1);
            session.batches.update(|b| b.push((key, batch)));
            session.wrote(Change::Data);
            Ok(Inserted { rows, message, drift })
        })
        .await
    }

    /// Undoes upload `key`, in any order: every month it changed goes back
    /// to what it replaced, unless a later upload has written it since.
    pub async fn undo(&self, key: u32) -> Result<(), SessionError> {
        let session = *self;
        self.run(Verb::Undo(key), async move {
            let store = session.open_store()?;
            let batch = session
                .batches
                .with_untracked(|b| b.iter().find(|(k, b)| *k == key && !b.undone).map(|(_, b)| b.clone()))
                .ok_or(Conflict::NoSuchBatch(key))?;
            let message = format!("Carga del {} deshecha ({})", batch.time, batch.files.join(", "));
            let entry = LogEntry::new(clock::now_iso(), Kind::Deshacer, message, batch_details(&batch, None));
            store.undo(key, &entry).await?;
            session.wrote(Change::Data);
            session.reload().await
        })
        .await
    }

    /// Reads a picked backup file, validates it whole (as every other way
    /// in: widths, months, bounds, batches, models, schema versions) and, only
    /// if it is sound, replaces everything with it.
    pub async fn restore_file(&self, file: web_sys::File) -> Result<(), SessionError> {
        let session = *self;
        self.run(Verb::Restore, async move {
            let name = file.name();
            if file.size() > MAX_FILE_BYTES as f64 {
                return Err(InputError::TooLarge { file: name, limit: MAX_FILE_BYTES / (1024 * 1024) }.into());
            }
            let bytes = files::bytes(&file).await?;
            let text = String::from_utf8(bytes).map_err(|_| InputError::NotText(name.clone()))?;
            let today = clock::this_month().ok_or(InputError::Clock)?;
            let backup = Backup::parse_as_of(&name, &text, today)?;
            let store = session.open_store()?;
            let message = format!("Respaldo del {} restaurado desde {name}", backup.created);
            let entry = LogEntry::new(clock::now_iso(), Kind::Restauracion, message, table_coverage::summary(&backup.database.tables));
            let contents = Contents {
                version: &backup.database.version,
                tables: &backup.database.tables,
                models: &backup.models,
                batches: &backup.batches,
                log: Some(&backup.log),
            };
            store.replace_all(contents, &entry, &entry.time).await?;
            session.wrote(Change::Data);
            // Restoring from the recovery screen repairs the store: the page
            // starts again on it (both of its modules, every reader fresh).
            if matches!(session.phase.get_untracked(), super::Phase::Damaged(_)) {
                crate::browser::location::reload();
                return Ok(());
            }
            session.reload().await
        })
        .await
    }

    /// Restores the published tables and models exactly (uploads dropped,
    /// the interaction log kept); returns the published version.
    pub async fn reset(&self) -> Result<String, SessionError> {
        let session = *self;
        self.run(Verb::Reset, async move {
            let store = session.open_store()?;
            let (database, models) = published().await?;
            let message = format!(
                "Base de datos restaurada a los datos publicados (versión {}); cargas anteriores descartadas",
                database.version
            );
            let entry = LogEntry::new(clock::now_iso(), Kind::Reinicio, message, table_coverage::summary(&database.tables));
            let contents = Contents { version: &database.version, tables: &database.tables, models: &models, batches: &[], log: None };
            store.replace_all(contents, &entry, &entry.time).await?;
            session.wrote(Change::Data);
            session.reload().await?;
            Ok(database.version)
        })
        .await
    }

    /// Empties the interaction log (the new log starts by saying so).
    pub async fn clear_log(&self) -> Result<(), SessionError> {
        let session = *self;
        self.run(Verb::ClearLog, async move {
            let entry = LogEntry::new(clock::now_iso(), Kind::RegistroBorrado, "Registro de interacciones borrado", "");
            session.open_store()?.clear_log(&entry).await?;
            session.wrote(Change::Log);
            Ok(())
        })
        .await
    }

    /// Everything stored, as a backup file restores it.
    pub async fn backup(&self) -> Result<Backup, SessionError> {
        let log = self.read_log().await?;
        let models = self.models.get_untracked().ok_or(Failure::NoModels)?;
        let version = self.meta.with_untracked(|m| m.artifact_version.clone()).unwrap_or_default();
        Ok(Backup {
            kind: backup::KIND.into(),
            version: backup::VERSION,
            created: clock::now_iso(),
            database: DatabaseArtifact::new(version, self.db.get_untracked()),
            models,
            batches: self.batches.get_untracked(),
            log,
        })
    }
}

impl Session {
    /// Keeps, in the background, the forecasts of `model` shown for months
    /// with no price yet ([`track::keep`] against the session's tables), for
    /// the track record. The page never waits for it and a failure never
    /// reaches it: it is logged, and the next showing tries again.
    pub fn keep_forecasts(&self, model: ModelId, forecasts: &[Forecast]) {
        let kept = self.db.with_untracked(|db| track::keep(model, forecasts, db, &clock::now_iso()));
        if kept.is_empty() {
            return;
        }
        let session = *self;
        match self.open_store() {
            Ok(store) => spawn_local(async move { session.keep(&store, &kept).await }),
            Err(_) => self.unkept.update_value(|u| u.extend(kept)),
        }
    }

    /// Writes kept forecasts; the track record re-reads when any was new.
    pub(super) async fn keep(&self, store: &Store, kept: &[KeptForecast]) {
        match store.keep_forecasts(kept).await {
            Ok(0) => {}
            Ok(_) => {
                self.track_rev.update(|n| *n += 1);
                broadcast::announce(Change::Track);
            }
            Err(e) => self.log(Kind::Error, format!("No se guardaron pronósticos para el historial: {e}"), ""),
        }
    }
}

impl Session {
    /// Whatever the store holds, record by record as JSON, however damaged:
    /// the recovery screen's download.
    pub async fn rescue(&self) -> Result<String, SessionError> {
        Ok(self.open_store()?.dump().await?)
    }

    /// Deletes the stored data (uploads and log included) and reloads the
    /// page, which seeds the store again from the published data: the
    /// recovery screen's last resort.
    pub async fn start_over(&self) -> Result<(), SessionError> {
        let session = *self;
        self.run(Verb::StartOver, async move {
            if let Some(store) = session.store.get_value() {
                store.close();
            }
            session.store.set_value(None);
            crate::store::Store::delete().await?;
            crate::browser::location::reload();
            Ok(())
        })
        .await
    }
}
