//! Retraining in the browser: the honest protocol — the trainer's own code —
//! runs on the stored tables in the Web Worker ([`crate::worker`]), with its
//! progress and a cancel that stops it. The run belongs to the session, not
//! to a page: it goes on, and its result waits, while the user visits other
//! pages. Nothing is stored until the user adopts the result (one short
//! transaction after the computation, never during it).

use leche_core::protocol::{HonestReport, Progress};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Conflict, Failure, Session, SessionError, Verb};
use crate::browser::broadcast::Change;
use crate::browser::{clock, performance};
use crate::view::table_coverage;
use crate::view::format::number;
use crate::view::interaction::{Kind, LogEntry};
use crate::worker::{self, Cancel, WorkerError};

/// A finished retrain waiting for the user's choice.
#[derive(Clone, Debug, PartialEq)]
pub struct RetrainOutcome {
    pub report: HonestReport,
    pub millis: f64,
    /// The session's data revision it was computed from.
    data_rev: u32,
}

/// Where the retrain is.
#[derive(Clone, Debug, PartialEq)]
pub enum RetrainState {
    Idle,
    Running(Option<Progress>),
    Done(Box<RetrainOutcome>),
}

/// The retrain's state, owned by the session.
#[derive(Clone, Copy)]
pub struct Retrain {
    state: RwSignal<RetrainState>,
    /// What happened last, in words (cancelled, failed, adopted, discarded).
    status: RwSignal<String>,
    cancel: StoredValue<Option<Cancel>, LocalStorage>,
}

impl Retrain {
    pub(super) fn new() -> Retrain {
        Retrain { state: RwSignal::new(RetrainState::Idle), status: RwSignal::new(String::new()), cancel: StoredValue::new_local(None) }
    }

    pub fn state(&self) -> ReadSignal<RetrainState> {
        self.state.read_only()
    }

    pub fn status(&self) -> ReadSignal<String> {
        self.status.read_only()
    }

    /// Starts a retrain on the stored tables.
    pub fn start(&self, session: Session) {
        let this = *self;
        let job = match worker::retrain(move |p| this.state.set(RetrainState::Running(Some(p)))) {
            Ok(job) => job,
            Err(e) => return this.status.set(format!("No se pudo reentrenar: {e}")),
        };
        let data_rev = session.data_rev.get_untracked();
        this.cancel.set_value(Some(job.canceller()));
        this.state.set(RetrainState::Running(None));
        this.status.set(String::new());
        performance::mark("leche:retrain-start");
        spawn_local(async move {
            let result = job.finish().await;
            this.cancel.set_value(None);
            match result {
                Ok((report, millis)) => {
                    performance::measure("leche:retrain", "leche:retrain-start");
                    let data = session.db.with_untracked(table_coverage::summary);
                    session.log(Kind::Reentrenamiento, finished_text(&report, millis), data);
                    this.state.set(RetrainState::Done(Box::new(RetrainOutcome { report, millis, data_rev })));
                }
                Err(WorkerError::Cancelled) => {
                    session.log(Kind::Reentrenamiento, "Reentrenamiento cancelado; el modelo activo no cambió", "");
                    this.end("Reentrenamiento cancelado: el modelo activo no cambió.".into());
                }
                Err(e) => this.failed(session, e),
            }
        });
    }

    fn failed(&self, session: Session, e: WorkerError) {
        session.log(Kind::Error, format!("Reentrenamiento fallido: {e}"), "");
        self.end(format!("El reentrenamiento falló ({e}); el modelo activo no cambió."));
    }

    fn end(&self, status: String) {
        self.status.set(status);
        self.state.set(RetrainState::Idle);
    }

    /// Stops a running retrain at once.
    pub fn cancel(&self) {
        if let Some(c) = self.cancel.get_value() {
            c.cancel();
        }
    }

    /// Drops a finished result; the active model stays.
    pub fn discard(&self, session: Session) {
        session.log(Kind::Reentrenamiento, "Modelo reentrenado descartado; se mantiene el activo", "");
        self.end("Descartado: se mantiene el modelo activo.".into());
    }
}

impl Session {
    /// Makes the finished retrain's model the recommended one (stored in one
    /// short transaction with its evaluation and verdict). Refused when the
    /// tables changed since the retrain read them.
    pub async fn adopt(&self) -> Result<(), SessionError> {
        let session = *self;
        self.run(Verb::Adopt, async move {
            let retrain = session.retrain;
            let RetrainState::Done(outcome) = retrain.state.get_untracked() else { return Ok(()) };
            if session.data_rev.get_untracked() != outcome.data_rev {
                retrain.end(Conflict::StaleRetrain.to_string());
                return Err(Conflict::StaleRetrain.into());
            }
            let store = session.open_store()?;
            let mut models = session.models.get_untracked().ok_or(Failure::NoModels)?;
            let report = outcome.report;
            let now = clock::now_iso();
            let data = session.db.with_untracked(table_coverage::summary);
            models.adopt(&report, now.clone(), data.clone());
            let entry = LogEntry::new(now, Kind::Reentrenamiento, format!("Modelo reentrenado adoptado: {}", report.model.name), data);
            store.adopt(&models, &entry).await?;
            session.models.set(Some(models));
            session.wrote(Change::Data);
            retrain.end("Adoptado: los pronósticos y esta ficha usan ahora el modelo reentrenado. «Restaurar datos originales» vuelve al publicado.".into());
            Ok(())
        })
        .await
    }
}

fn finished_text(r: &HonestReport, millis: f64) -> String {
    format!(
        "Reentrenamiento terminado en {} s: ganó «{}» ({}); prueba retrospectiva MAE {} contra {} del ingenuo",
        number(millis / 1000.0, 1),
        r.evaluation.winner.label(),
        r.model.method.describe(),
        number(r.evaluation.comparison.model.mae, 3),
        number(r.evaluation.comparison.naive.mae, 3)
    )
}
