//! Why a session operation did nothing, in four kinds a page can act on:
//! what the user gave cannot be used ([`InputError`]: fix it and try
//! again), the stored data moved under the request ([`Conflict`]: look
//! again and confirm), this browser failed ([`Failure`]: its storage, the
//! network, a task cut short), or the published files are broken
//! ([`PublishedError`]: only a new publication mends them). Every message
//! is shown to the user, in Spanish.

use leche_core::data::check::Problems;
use leche_core::data::upload::Plan;
use thiserror::Error;

use crate::browser::BrowserError;
use crate::store::StoreError;
use crate::wire::backup::BackupError;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum SessionError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Conflict(#[from] Conflict),
    #[error(transparent)]
    Failure(#[from] Failure),
    #[error(transparent)]
    Published(#[from] PublishedError),
}

/// What the user gave cannot be used as it is; nothing was written.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum InputError {
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error("{file}: pesa más que el límite de {limit} MB")]
    TooLarge { file: String, limit: usize },
    #[error("{0}: no es un respaldo de Leche (no es texto)")]
    NotText(String),
    #[error("el reloj de este equipo marca una fecha imposible; corríjalo y vuelva a intentar")]
    Clock,
    #[error("el plan de carga no es válido: {0}")]
    BadPlan(Problems),
}

/// The stored data changed since the user looked: nothing was written.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum Conflict {
    /// Another tab changed months of the upload after its report was made;
    /// `plan` is the upload as it stands now.
    #[error("otra pestaña cambió {months} meses de estos archivos mientras usted revisaba el informe: revise el informe actualizado y confirme de nuevo")]
    Changed { months: usize, plan: Box<Plan> },
    #[error("los datos cambiaron después del reentrenamiento (una carga, un deshacer o una restauración): reentrene de nuevo antes de adoptar")]
    StaleRetrain,
    #[error("la carga {0} no existe o ya se deshizo")]
    NoSuchBatch(u32),
}

/// This browser could not do it.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum Failure {
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Browser(BrowserError),
    #[error("no se pudieron descargar los datos iniciales ({0}); conéctese a internet y recargue")]
    FirstVisitOffline(BrowserError),
    #[error("los datos aún se están guardando en este navegador; espere unos segundos")]
    NotReady,
    #[error("no hay modelos guardados")]
    NoModels,
    #[error("no se pudo preparar el archivo: {0}")]
    Encode(String),
    #[error("la operación se interrumpió antes de terminar; recargue la página")]
    Interrupted,
}

/// The published artifacts cannot be used.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum PublishedError {
    #[error("los archivos publicados no coinciden (datos {database}, modelos {models}); recargue la página en unos minutos")]
    Mismatch { database: String, models: String },
    #[error("los datos publicados no pasan la validación ({0}); recargue la página en unos minutos")]
    Invalid(String),
}

impl From<StoreError> for SessionError {
    fn from(e: StoreError) -> SessionError {
        match e {
            StoreError::Changed { months, plan } => Conflict::Changed { months: months.len(), plan }.into(),
            e => Failure::Store(e).into(),
        }
    }
}

impl From<BrowserError> for SessionError {
    fn from(e: BrowserError) -> SessionError {
        Failure::Browser(e).into()
    }
}

impl From<BackupError> for SessionError {
    fn from(e: BackupError) -> SessionError {
        InputError::Backup(e).into()
    }
}
