//! The page's state, and the only place that writes.
//!
//! A [`Session`] owns the store handle, the signals every page reads (the
//! data, the models, the batches, whether it is all stored yet) and the
//! retrain running in the worker ([`retrain`]). Pages read its signals and
//! call its verbs — [`Session::insert`], [`Session::undo`],
//! [`Session::restore_file`], [`Session::reset`], [`Session::adopt`],
//! [`Session::clear_log`], [`Session::start_over`] — each of which writes
//! one IndexedDB transaction, updates the signals, tells the other tabs
//! ([`broadcast`]) and answers with a typed [`SessionError`], whose kind
//! says what the page can do about it. A verb runs to its end even if the
//! page that asked for it goes away meanwhile (the page just stops
//! listening): the session's state never lags behind the store; and its
//! failure is logged here ([`Verb`]), so a page only shows it. Uploads are
//! examined through the session too ([`examine`]), in the page or the worker.
//! [`Session::keep_forecasts`] writes in the background, never answering.
//!
//! Start-up ([`start`]) opens the store, seeds or reseeds it from the
//! published artifacts, and reads it; data that cannot be read puts the app
//! in [`Phase::Damaged`], whose screen offers a way out.

mod error;
mod examine;
mod retrain;
mod start;
mod writes;

use futures_channel::oneshot;
use leche_core::artifact::ModelsArtifact;
use leche_core::data::upload::Batch;
use leche_core::{Database, Model, ModelId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::broadcast::{self, Change};
use crate::browser::clock;
use crate::view::interaction::{Kind, LogEntry};
use crate::store::{Meta, Snapshot, Store};
use crate::view::track::KeptForecast;

pub use error::{Conflict, Failure, InputError, PublishedError, SessionError};
pub use retrain::{Retrain, RetrainOutcome, RetrainState};
pub use writes::Inserted;

/// How far start-up got.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Loading,
    Ready,
    /// The store cannot be used at all (private mode, no first download).
    Failed(SessionError),
    /// Stored data cannot be read: the recovery screen offers a download of
    /// what can be read, and a restore.
    Damaged(SessionError),
}

/// Whether the data the page shows is in IndexedDB.
#[derive(Clone, Debug, PartialEq)]
pub enum Persist {
    /// Being written (first visit, new deploy).
    Saving,
    Saved,
    /// The write failed; the page works with the data in memory until reload.
    Failed(SessionError),
}

impl Persist {
    /// `data-store` on `<main>`: what tests wait for.
    pub fn as_str(&self) -> &'static str {
        match self {
            Persist::Saving => "saving",
            Persist::Saved => "saved",
            Persist::Failed(_) => "failed",
        }
    }
}

/// The shared state; `Copy`, provided as context by [`Session::provide`].
#[derive(Clone, Copy)]
pub struct Session {
    store: StoredValue<Option<Store>, LocalStorage>,
    /// Log entries made before the store opened (a first visit shows the
    /// page first): written as soon as it is.
    unlogged: StoredValue<Vec<LogEntry>, LocalStorage>,
    /// Forecasts to keep that were shown before the store opened (a first
    /// visit shows the fan first): kept as soon as it is.
    unkept: StoredValue<Vec<KeptForecast>, LocalStorage>,
    phase: RwSignal<Phase>,
    db: RwSignal<Database>,
    models: RwSignal<Option<ModelsArtifact>>,
    meta: RwSignal<Meta>,
    batches: RwSignal<Vec<(u32, Batch)>>,
    log_rev: RwSignal<u32>,
    /// Bumped whenever forecasts are kept (here or in another tab).
    track_rev: RwSignal<u32>,
    persist: RwSignal<Persist>,
    /// Bumped whenever the tables change (a retrain result is only adopted
    /// on the data it was computed from).
    data_rev: RwSignal<u32>,
    pub retrain: Retrain,
}

impl Session {
    /// Creates the session, provides it to every page and starts it.
    pub fn provide() -> Session {
        let session = Session {
            store: StoredValue::new_local(None),
            unlogged: StoredValue::new_local(Vec::new()),
            unkept: StoredValue::new_local(Vec::new()),
            phase: RwSignal::new(Phase::Loading),
            db: RwSignal::new(Database::default()),
            models: RwSignal::new(None),
            meta: RwSignal::new(Meta::default()),
            batches: RwSignal::new(Vec::new()),
            log_rev: RwSignal::new(0),
            track_rev: RwSignal::new(0),
            persist: RwSignal::new(Persist::Saved),
            data_rev: RwSignal::new(0),
            retrain: Retrain::new(),
        };
        provide_context(session);
        session.listen_to_other_tabs();
        spawn_local(start::start(session));
        session
    }

    /// The session of the page being built.
    pub fn get() -> Session {
        expect_context::<Session>()
    }

    pub fn phase(&self) -> ReadSignal<Phase> {
        self.phase.read_only()
    }

    /// The stored tables (read at start-up and after every write): pages
    /// compute from this copy, so a prediction costs no IndexedDB round trip.
    pub fn db(&self) -> ReadSignal<Database> {
        self.db.read_only()
    }

    pub fn models(&self) -> ReadSignal<Option<ModelsArtifact>> {
        self.models.read_only()
    }

    pub fn meta(&self) -> ReadSignal<Meta> {
        self.meta.read_only()
    }

    /// Uploads, oldest first, with their store keys.
    pub fn batches(&self) -> ReadSignal<Vec<(u32, Batch)>> {
        self.batches.read_only()
    }

    /// Changes whenever the interaction log does.
    pub fn log_rev(&self) -> ReadSignal<u32> {
        self.log_rev.read_only()
    }

    /// Changes whenever kept forecasts are added; the scores also follow [`Session::db`].
    pub fn track_rev(&self) -> ReadSignal<u32> {
        self.track_rev.read_only()
    }

    pub fn persist(&self) -> ReadSignal<Persist> {
        self.persist.read_only()
    }

    /// The model with this id, if stored.
    pub fn model(&self, id: ModelId) -> Option<Model> {
        self.models.with_untracked(|m| m.as_ref().and_then(|m| m.models.iter().find(|x| x.id == id).cloned()))
    }

    /// The model the app opens with.
    pub fn default_model(&self) -> ModelId {
        self.models.with_untracked(|m| m.as_ref().map(|m| m.default_model)).unwrap_or(ModelId::Recommended)
    }

    /// The interaction log, oldest first.
    pub async fn read_log(&self) -> Result<Vec<LogEntry>, SessionError> {
        Ok(self.open_store()?.read_log().await?)
    }

    /// The kept forecasts, for the track record ([`crate::view::track::score`]).
    pub async fn read_track(&self) -> Result<Vec<KeptForecast>, SessionError> {
        Ok(self.open_store()?.read_forecasts().await?)
    }

    /// Appends to the interaction log in the background: the log is not on
    /// the user's clock, and a failure to log only warns in the console.
    pub fn log(&self, kind: Kind, message: impl Into<String>, details: impl Into<String>) {
        let session = *self;
        let entry = LogEntry::new(clock::now_iso(), kind, message, details);
        match session.open_store() {
            Ok(store) => spawn_local(async move { session.append(&store, &entry).await }),
            Err(_) => session.unlogged.update_value(|u| u.push(entry)),
        }
    }

    async fn append(&self, store: &Store, entry: &LogEntry) {
        match store.append_log(entry).await {
            Ok(()) => self.wrote(Change::Log),
            Err(e) => web_sys::console::warn_1(&format!("registro no guardado: {e}").into()),
        }
    }

    /// Start-up opened the store: it is the session's from now on, and
    /// what was logged or shown to keep before is written.
    fn attach(&self, store: Store) {
        self.store.set_value(Some(store.clone()));
        let session = *self;
        let unlogged = self.unlogged.try_update_value(std::mem::take).unwrap_or_default();
        if !unlogged.is_empty() {
            let store = store.clone();
            spawn_local(async move {
                for entry in &unlogged {
                    session.append(&store, entry).await;
                }
            });
        }
        let unkept = self.unkept.try_update_value(std::mem::take).unwrap_or_default();
        if !unkept.is_empty() {
            spawn_local(async move { session.keep(&store, &unkept).await });
        }
    }

    /// The open store, once start-up has opened it.
    fn open_store(&self) -> Result<Store, SessionError> {
        self.store.get_value().ok_or(Failure::NotReady.into())
    }

    /// After a write: the log changed (every write logs), other tabs are told.
    fn wrote(&self, change: Change) {
        self.log_rev.update(|n| *n += 1);
        broadcast::announce(change);
    }

    /// Shows a snapshot read from the store.
    fn show(&self, s: Snapshot) {
        self.follow(s.db, s.models, s.meta, s.batches);
    }

    /// The session holds what the store holds. Only what changed is set: a
    /// page drawn from equal data is not drawn again (a first visit shows
    /// the published data before they are stored).
    fn follow(&self, db: Database, models: Option<ModelsArtifact>, meta: Meta, batches: Vec<(u32, Batch)>) {
        if self.db.with_untracked(|d| *d != db) {
            self.db.set(db);
            self.data_rev.update(|n| *n += 1);
        }
        if self.models.with_untracked(|m| *m != models) {
            self.models.set(models);
        }
        if self.meta.with_untracked(|m| *m != meta) {
            self.meta.set(meta);
        }
        if self.batches.with_untracked(|b| *b != batches) {
            self.batches.set(batches);
        }
    }

    /// Re-reads everything from the store.
    async fn reload(&self) -> Result<(), SessionError> {
        let snapshot = self.open_store()?.snapshot().await?;
        self.show(snapshot);
        Ok(())
    }

    /// Other tabs' writes: re-read the data, or just the log.
    fn listen_to_other_tabs(&self) {
        let session = *self;
        broadcast::listen(move |change| match change {
            // Before the store is open there is nothing to re-read: start-up reads it anyway.
            Change::Data if session.store.with_value(Option::is_none) => {}
            Change::Data => spawn_local(async move {
                if let Err(e) = session.reload().await {
                    session.damaged(e);
                }
                session.log_rev.update(|n| *n += 1);
            }),
            Change::Log => session.log_rev.update(|n| *n += 1),
            Change::Track => session.track_rev.update(|n| *n += 1),
        });
    }

    /// Stored data turned out unreadable: the recovery screen takes over.
    fn damaged(&self, e: SessionError) {
        self.phase.set(Phase::Damaged(e));
    }
}

/// The session's verbs that write, as the log names their failures.
enum Verb {
    /// An upload of these files (their names, joined).
    Insert(String),
    Undo(u32),
    Restore,
    Reset,
    Adopt,
    ClearLog,
    StartOver,
}

impl Verb {
    /// What the interaction log says when the verb fails: the one place a
    /// failure is logged, so a page only shows it.
    fn failed(&self, e: &SessionError) -> (Kind, String) {
        match (self, e) {
            (Verb::Insert(files), SessionError::Conflict(c @ Conflict::Changed { .. })) => (Kind::CargaRechazada, format!("Carga de {files} no escrita: {c}")),
            (Verb::Insert(_), e) => (Kind::Error, format!("Carga fallida, no se escribió nada: {e}")),
            (Verb::Undo(key), e) => (Kind::Error, format!("Carga {key} no deshecha: {e}")),
            (Verb::Restore, e) => (Kind::Error, format!("Restauración de respaldo rechazada: {e}")),
            (Verb::Reset, e) => (Kind::Error, format!("Restauración fallida: {e}")),
            (Verb::Adopt, e) => (Kind::Error, format!("No se guardó el modelo reentrenado: {e}")),
            (Verb::ClearLog, e) => (Kind::Error, format!("No se borró el registro de interacciones: {e}")),
            (Verb::StartOver, e) => (Kind::Error, format!("No se borraron los datos guardados: {e}")),
        }
    }
}

impl Session {
    /// Runs `verb`'s `work` to its end as the session's own task, whatever
    /// happens to the page that asked for it (the answer arrives if that
    /// page still listens), and logs its failure.
    async fn run<T: 'static>(
        &self,
        verb: Verb,
        work: impl std::future::Future<Output = Result<T, SessionError>> + 'static,
    ) -> Result<T, SessionError> {
        let session = *self;
        let (answer, answered) = oneshot::channel();
        spawn_local(async move {
            let result = work.await;
            if let Err(e) = &result {
                let (kind, message) = verb.failed(e);
                session.log(kind, message, "");
            }
            // The page that asked may be gone: the work is done all the same.
            let _ = answer.send(result);
        });
        answered.await.unwrap_or(Err(Failure::Interrupted.into()))
    }
}
