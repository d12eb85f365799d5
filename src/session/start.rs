//! Start-up: open the store and apply [`seed::plan`] — seed on the first
//! visit, reseed on a new deploy (uploads re-applied on top), else just read.
//!
//! Both artifacts start downloading while IndexedDB opens (on a later visit
//! the database is a 304 from the HTTP cache, left unread: the small models
//! file says which version is published). On a first visit the page is
//! usable as soon as the artifacts are decoded, and the store is written
//! behind it ([`Persist`] says when it is done): writing ~1,100 rows takes
//! longer than everything else at start-up.

use leche_core::artifact::{DatabaseArtifact, ModelsArtifact, DATABASE_FILE, MODELS_FILE};
use leptos::prelude::*;

use super::{Persist, Phase, Session, SessionError};
use crate::browser::broadcast::Change;
use crate::browser::fetch::{artifact_url, Download};
use crate::browser::{clock, performance, storage_manager};
use crate::coverage;
use crate::interaction::{Kind, LogEntry};
use crate::seed::{self, SeedPlan};
use crate::store::{Reseeded, Store, StoreError};

/// Downloads both artifacts and checks that they belong together.
pub(super) async fn published() -> Result<(DatabaseArtifact, ModelsArtifact), SessionError> {
    let database = Download::start(&artifact_url(DATABASE_FILE), true)?;
    let models = crate::browser::fetch::json(&artifact_url(MODELS_FILE), true).await?;
    matching(database, models).await
}

/// Finishes the database download and checks it matches `models`.
async fn matching(database: Download, models: ModelsArtifact) -> Result<(DatabaseArtifact, ModelsArtifact), SessionError> {
    let database: DatabaseArtifact = database.json().await?;
    if database.version != models.version {
        return Err(SessionError::Mismatch { database: database.version, models: models.version });
    }
    Ok((database, models))
}

pub(super) async fn start(session: Session) {
    performance::mark("leche:boot");
    wasm_bindgen_futures::spawn_local(storage_manager::ask_durable());
    let models = Download::start(&artifact_url(MODELS_FILE), true);
    let database = Download::start(&artifact_url(DATABASE_FILE), true);
    let store = match Store::open().await {
        Ok(s) => s,
        Err(e) => return session.phase.set(Phase::Failed(e.into())),
    };
    session.store.set_value(Some(store.clone()));
    let result = seed_or_read(session, &store, models, database).await;
    performance::measure("leche:boot-stored", "leche:boot");
    match result {
        Ok(()) => {
            // Setting Ready again would rebuild the page and lose what the user did meanwhile.
            if session.phase.get_untracked() != Phase::Ready {
                session.phase.set(Phase::Ready);
            }
            session.persist.set(Persist::Saved);
        }
        // A first visit already shows the published data: say it is not stored.
        Err(e) if session.phase.get_untracked() == Phase::Ready => session.persist.set(Persist::Failed(e)),
        // A store that opened but cannot be read or rewritten (damaged
        // records, a full quota while re-seeding): the recovery screen, never
        // a dead end — it downloads what can be read and restores.
        Err(SessionError::Store(e)) if !matches!(e, StoreError::Unavailable(_)) => session.damaged(e.into()),
        Err(e) => session.phase.set(Phase::Failed(e)),
    }
}

async fn seed_or_read(
    session: Session,
    store: &Store,
    models: Result<Download, crate::browser::BrowserError>,
    database: Result<Download, crate::browser::BrowserError>,
) -> Result<(), SessionError> {
    let meta = store.meta().await?;
    let models = match models {
        Ok(download) => download.json::<ModelsArtifact>().await,
        Err(e) => Err(e),
    };
    let models = match (models, &meta.artifact_version) {
        (Ok(m), _) => m,
        // Offline (or a broken deploy) with a seeded store: keep working with it.
        (Err(_), Some(_)) => return session.reload().await,
        (Err(e), None) => return Err(SessionError::FirstVisitOffline(e)),
    };
    let version = models.version.clone();
    let plan = seed::plan(meta.artifact_version.as_deref(), &version);
    if plan == SeedPlan::Current {
        return session.reload().await;
    }
    let (database, models) = matching(database?, models).await?;
    // A deploy goes through the checks every other way in does.
    database.tables.check().map_err(|p| SessionError::Published(p.to_string()))?;
    for m in &models.models {
        m.check().map_err(|e| SessionError::Published(e.to_string()))?;
    }
    if plan == SeedPlan::FirstVisit {
        // Nothing stored to keep: show the artifacts at once, store them behind.
        session.db.set(database.tables.clone());
        session.models.set(Some(models.clone()));
        session.phase.set(Phase::Ready);
        performance::measure("leche:boot-usable", "leche:boot");
    }
    session.persist.set(Persist::Saving);
    let now = clock::now_iso();
    store.reseed(&database, &models, |done| entry(&plan, &version, done), &now).await?;
    session.wrote(Change::Data);
    session.reload().await
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
    if done.superseded > 0 {
        message.push_str(&format!(
            "; {} meses que usted había cargado vienen ahora en los datos publicados (se usa el valor oficial)",
            done.superseded
        ));
    }
    if done.replaced_adopted {
        message.push_str("; el modelo que usted reentrenó y adoptó se reemplaza por el publicado (puede reentrenar de nuevo)");
    }
    LogEntry::new(clock::now_iso(), kind, message, coverage::summary(&done.tables))
}
