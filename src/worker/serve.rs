//! The worker's side of the conversation (see the parent module).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Reflect, Uint8Array};
use leche_core::forecast::backtest::Walk;
use leche_core::protocol;
use leche_core::Database;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

use thiserror::Error;

use super::{FILES, REQUEST};
use crate::view::report;
use crate::store::{Store, StoreError};
use crate::wire::worker::{Reply, Request, WalkWire};

/// The least time between two progress messages of a walk. A message per
/// origin (170 a walk) cost the worker and the page more than the quick
/// candidates' fits; a bar that moves every 50 ms moves smoothly.
const PROGRESS_EVERY_MS: f64 = 50.0;

/// Why the worker could not answer; the page shows the message.
#[derive(Debug, Error)]
enum ServeError {
    #[error("mensaje sin solicitud")]
    NoRequest,
    #[error("solicitud ilegible: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no se pueden leer archivos en segundo plano")]
    NoReader,
    #[error("la solicitud no trae una lista de archivos")]
    NoFiles,
    #[error("{0}: no se pudo leer el archivo")]
    Unreadable(String),
    #[error("{0}")]
    Retrain(String),
}

/// Answers the page's requests: one upload, or the walks of a retrain and
/// perhaps its last step. The tables are read once, at the first request,
/// and every later one is answered on them: a worker serves one job, on one
/// state of the data.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let answer = scope.clone();
    let tables: Rc<RefCell<Option<Rc<Database>>>> = Rc::default();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let (scope, tables) = (answer.clone(), tables.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let reply = handle(&scope, &tables, &ev.data()).await.unwrap_or_else(|e| Reply::Failed { message: e.to_string() });
            post(&scope, &reply);
        });
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The worker lives until the page ends it; so does the handler.
    handler.forget();
    post(&scope, &Reply::Ready);
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let text = serde_json::to_string(reply).unwrap_or_else(|e| {
        serde_json::to_string(&Reply::Failed { message: e.to_string() }).unwrap_or_default()
    });
    // A page that ended the worker no longer listens.
    let _ = scope.post_message(&JsValue::from_str(&text));
}

async fn handle(
    scope: &DedicatedWorkerGlobalScope,
    tables: &RefCell<Option<Rc<Database>>>,
    envelope: &JsValue,
) -> Result<Reply, ServeError> {
    let text = Reflect::get(envelope, &JsValue::from_str(REQUEST))
        .ok()
        .and_then(|r| r.as_string())
        .ok_or(ServeError::NoRequest)?;
    let request: Request = serde_json::from_str(&text).map_err(|e| ServeError::BadRequest(e.to_string()))?;
    let read = tables.borrow().clone();
    let db = match read {
        Some(db) => db,
        None => {
            let db = Rc::new(stored_tables().await?);
            *tables.borrow_mut() = Some(db.clone());
            db
        }
    };
    match request {
        Request::Prepare { today, choices } => {
            let files = read_files(envelope)?;
            let prepared = report::prepare_with_workbooks(&db, &files, Some(today), &choices);
            Ok(Reply::Prepared { report: prepared.report, plan: prepared.plan })
        }
        Request::Walk { candidate } => {
            let mut last = f64::NEG_INFINITY;
            let walk = protocol::walk_observed(&db, candidate, &mut |progress| {
                let now = js_sys::Date::now();
                if now - last >= PROGRESS_EVERY_MS {
                    last = now;
                    post(scope, &Reply::Progress { progress });
                }
            })
            .map_err(|e| ServeError::Retrain(e.to_string()))?;
            Ok(Reply::Walked { walk: WalkWire::from(&walk) })
        }
        Request::Finish { walks } => {
            let report = protocol::finish(&db, walks.into_iter().map(Walk::from).collect())
                .map_err(|e| ServeError::Retrain(e.to_string()))?;
            Ok(Reply::Retrained { report: Box::new(report) })
        }
    }
}

/// The tables as the page's store holds them (same deployment, same database).
async fn stored_tables() -> Result<Database, ServeError> {
    let store = Store::open().await?;
    let snapshot = store.snapshot().await;
    store.close();
    Ok(snapshot?.db)
}

fn read_files(envelope: &JsValue) -> Result<Vec<(String, Vec<u8>)>, ServeError> {
    let list: Array =
        Reflect::get(envelope, &JsValue::from_str(FILES)).ok().and_then(|f| f.dyn_into().ok()).ok_or(ServeError::NoFiles)?;
    let reader = FileReaderSync::new().map_err(|_| ServeError::NoReader)?;
    list.iter()
        .map(|f| {
            let file: File = f.dyn_into().map_err(|_| ServeError::NoFiles)?;
            let bytes = reader.read_as_array_buffer(&file).map_err(|_| ServeError::Unreadable(file.name()))?;
            Ok((file.name(), Uint8Array::new(&bytes).to_vec()))
        })
        .collect()
}
