//! Start-up: open the store and apply [`seed::plan`] — seed on the first
//! visit, reseed on a new deploy (uploads re-applied on top), else just read.
//!
//! Both artifacts start downloading while IndexedDB opens (on a later visit
//! the database is a 304 from the HTTP cache, left unread: the small models
//! file says which version is published). A first visit in this browser —
//! no seeded flag in `localStorage` for this deployment — does not wait for
//! the store at all: opening IndexedDB for the first time takes 100–200 ms,
//! longer than downloading and decoding the artifacts, so the page shows
//! them as soon as they are decoded and the store is opened and written
//! behind it ([`Persist`] says when it is done). If the flag was only lost
//! (site data partly cleared) and the store holds the visitor's own data,
//! that data replaces the published one as soon as it is read.

use futures_channel::oneshot;
use leche_core::artifact::{DatabaseArtifact, ModelsArtifact, DATABASE_FILE, MODELS_FILE};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Failure, Persist, Phase, PublishedError, Session, SessionError};
use crate::browser::broadcast::Change;
use crate::browser::fetch::{self, artifact_url, Download};
use crate::browser::{clock, local_storage, performance, scope, storage_manager, BrowserError};
use crate::view::batch_text::superseded_text;
use crate::view::table_coverage;
use crate::view::interaction::{Kind, LogEntry};
use crate::view::seed::{self, SeedPlan};
use crate::store::{Meta, Reseeded, Store, StoreError};

/// Downloads both artifacts and checks that they belong together.
pub(super) async fn published() -> Result<(DatabaseArtifact, ModelsArtifact), SessionError> {
    let database = Download::start(&artifact_url(DATABASE_FILE), true)?;
    let models = crate::browser::fetch::json(&artifact_url(MODELS_FILE), true).await?;
    matching(database, models).await
}

/// Finishes the database download, checks it matches `models`, and puts
/// both through the checks every other way in goes through: decoding, the
/// tables' check and each model's are each a task of their own (together
/// about 50 ms here, four times that on a phone).
async fn matching(database: Download, models: ModelsArtifact) -> Result<(DatabaseArtifact, ModelsArtifact), SessionError> {
    let text = database.text().await?;
    clock::next_task().await;
    let database: DatabaseArtifact = performance::timed("leche:decode-database", || fetch::decode(&artifact_url(DATABASE_FILE), &text))?;
    drop(text);
    if database.version != models.version {
        return Err(PublishedError::Mismatch { database: database.version, models: models.version }.into());
    }
    clock::next_task().await;
    performance::timed("leche:check-tables", || database.tables.check()).map_err(|p| PublishedError::Invalid(p.to_string()))?;
    for m in &models.models {
        clock::next_task().await;
        performance::timed("leche:check-model", || m.check_on(&database.tables)).map_err(|e| PublishedError::Invalid(e.to_string()))?;
    }
    // Drawing the page from them is the next task's.
    clock::next_task().await;
    Ok((database, models))
}

/// The `localStorage` key that says this deployment's store was seeded in this browser.
fn seeded_key() -> String {
    format!("{}:seeded", scope::name())
}

/// The published artifacts as start-up has them.
// One value, made and moved once per start-up: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Published {
    /// On their way (a later visit reads the models file, and the database
    /// only when a new deploy must be stored).
    Downloading { models: Result<Download, BrowserError>, database: Result<Download, BrowserError> },
    /// Downloaded, checked and already on the page (a first visit), or why not.
    Shown(Result<(DatabaseArtifact, ModelsArtifact), SessionError>),
}

pub(super) async fn start(session: Session) {
    performance::mark("leche:boot");
    let models = Download::start(&artifact_url(MODELS_FILE), true);
    let database = Download::start(&artifact_url(DATABASE_FILE), true);
    // Mounting the page was this task's work: the rest waits for the next.
    clock::next_task().await;
    let (opened, open) = oneshot::channel();
    spawn_local(async move {
        // start() is waiting for the answer below.
        let _ = opened.send(Store::open().await);
    });
    let published = if local_storage::get(&seeded_key()).is_none() {
        Published::Shown(show_first(session, models, database).await)
    } else {
        Published::Downloading { models, database }
    };
    let result = match open.await {
        Ok(Ok(store)) => {
            session.attach(store.clone());
            seed_or_read(session, &store, published).await
        }
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Err(Failure::Interrupted.into()),
    };
    performance::measure("leche:boot-stored", "leche:boot");
    match result {
        Ok(()) => {
            local_storage::set(&seeded_key(), &clock::now_iso());
            // Setting Ready again would rebuild the page and lose what the user did meanwhile.
            if session.phase.get_untracked() != Phase::Ready {
                session.phase.set(Phase::Ready);
            }
            session.persist.set(Persist::Saved);
            // Uploads live only in this store: ask that it never be evicted, once nothing else waits.
            clock::idle().await;
            storage_manager::ask_durable().await;
        }
        // A first visit already shows the published data: say it is not stored.
        Err(e) if session.phase.get_untracked() == Phase::Ready => session.persist.set(Persist::Failed(e)),
        // A store that opened but cannot be read or rewritten (damaged
        // records, a full quota while re-seeding): the recovery screen, never
        // a dead end — it downloads what can be read and restores.
        Err(SessionError::Failure(Failure::Store(e))) if !matches!(e, StoreError::Unavailable(_)) => session.damaged(e.into()),
        Err(e) => session.phase.set(Phase::Failed(e)),
    }
}

/// A first visit: the published data on the page as soon as it is decoded.
async fn show_first(
    session: Session,
    models: Result<Download, BrowserError>,
    database: Result<Download, BrowserError>,
) -> Result<(DatabaseArtifact, ModelsArtifact), SessionError> {
    let models = models?.json().await?;
    let (database, models) = matching(database?, models).await?;
    show(session, &database, &models);
    Ok((database, models))
}

/// Nothing stored to keep: the page shows the artifacts, the store follows.
fn show(session: Session, database: &DatabaseArtifact, models: &ModelsArtifact) {
    performance::timed("leche:show", || {
        session.db.set(database.tables.clone());
        session.models.set(Some(models.clone()));
        session.phase.set(Phase::Ready);
        session.persist.set(Persist::Saving);
    });
    performance::measure("leche:boot-usable", "leche:boot");
}

async fn seed_or_read(session: Session, store: &Store, published: Published) -> Result<(), SessionError> {
    let meta = store.meta().await?;
    let stored = meta.artifact_version.as_deref();
    match published {
        Published::Downloading { models, database } => {
            let models = match models {
                Ok(download) => download.json::<ModelsArtifact>().await,
                Err(e) => Err(e),
            };
            let models = match (models, stored) {
                (Ok(m), _) => m,
                // Offline (or a broken deploy) with a seeded store: keep working with it.
                (Err(_), Some(_)) => return session.reload().await,
                (Err(e), None) => return Err(Failure::FirstVisitOffline(e).into()),
            };
            let plan = seed::plan(stored, &models.version);
            if plan == SeedPlan::Current {
                return session.reload().await;
            }
            let (database, models) = matching(database?, models).await?;
            if plan == SeedPlan::FirstVisit {
                show(session, &database, &models);
            }
            store_published(session, store, &plan, &database, &models).await
        }
        Published::Shown(Ok((database, models))) => match seed::plan(stored, &models.version) {
            // The flag was lost, the store is current: its data (the visitor's uploads too) replaces the published.
            SeedPlan::Current => session.reload().await,
            plan => store_published(session, store, &plan, &database, &models).await,
        },
        // Offline with a store seeded before (its flag lost): keep working with it.
        Published::Shown(Err(_)) if stored.is_some() => session.reload().await,
        Published::Shown(Err(SessionError::Failure(Failure::Browser(e)))) => Err(Failure::FirstVisitOffline(e).into()),
        Published::Shown(Err(e)) => Err(e),
    }
}

/// Writes the published data (uploads re-applied on top); the session then
/// holds what the store holds, without reading it back. A first visit
/// writes once the page is idle: the page already shows the data.
async fn store_published(
    session: Session,
    store: &Store,
    plan: &SeedPlan,
    database: &DatabaseArtifact,
    models: &ModelsArtifact,
) -> Result<(), SessionError> {
    session.persist.set(Persist::Saving);
    if *plan == SeedPlan::FirstVisit {
        clock::idle().await;
    }
    let now = clock::now_iso();
    performance::mark("leche:reseed:start");
    let done = store.reseed(database, models, |done| entry(plan, &models.version, done), &now).await?;
    performance::measure("leche:reseed", "leche:reseed:start");
    session.follow(done.tables, Some(models.clone()), Meta::seeded(&models.version, &now), done.batches);
    session.wrote(Change::Data);
    Ok(())
}

/// What the log says about a seeding.
fn entry(plan: &SeedPlan, version: &str, done: &Reseeded) -> LogEntry {
    let (kind, mut message) = match plan {
        SeedPlan::NewDeploy { from, to } => (
            Kind::Actualizacion,
            format!("Nueva publicación: datos y modelos de la versión {from} reemplazados por los de la {to}; el registro de interacciones se conserva"),
        ),
        SeedPlan::FirstVisit | SeedPlan::Current => {
            (Kind::CargaInicial, format!("Base de datos creada en este navegador con los datos publicados (versión {version})"))
        }
    };
    if done.kept_rows > 0 {
        message.push_str(&format!("; {} filas cargadas por usted se conservan", done.kept_rows));
    }
    message.push_str(&superseded_text(&done.superseded));
    if done.replaced_adopted {
        message.push_str("; el modelo que usted reentrenó y adoptó se reemplaza por el publicado (puede reentrenar de nuevo)");
    }
    LogEntry::new(clock::now_iso(), kind, message, table_coverage::summary(&done.tables))
}
