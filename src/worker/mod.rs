//! The long jobs, off the main thread: Web Workers (the `worker` binary,
//! built by trunk as `worker.js` + `worker_bg.wasm`, loaded on demand
//! through `worker_loader.js`) validate large uploads (one worker) and
//! retrain the model (one per core, [`pool`]), so the page keeps answering
//! and shows what is happening. Both are the library's functions, the same
//! ones the native trainer runs.
//!
//! The conversation ([`crate::wire::worker`]): the worker says [`Reply::Ready`]; the
//! page sends a [`Request`] (an upload's `File`s beside it: the page never
//! reads or copies their bytes); the worker reads the tables from this
//! deployment's IndexedDB (once: its later requests use the same), may send
//! [`Reply::Progress`] any number of times, then answers, and may be sent
//! the next request. The page ends the workers after the answer, or at once
//! when the user cancels, which really stops the computation.

mod pool;
mod serve;

use js_sys::{Array, Function, JsString, Object, Promise, Reflect};
use leche_core::protocol::Progress;
use leche_core::data::upload::Plan;
use leche_core::Month;
use thiserror::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, MessageEvent, Worker};

pub use pool::Retrain;
pub use serve::serve;

use crate::browser::{clock, js_message};
use crate::view::report::{Choices, Report};
use crate::wire::worker::{Reply, Request};

/// The loader trunk writes for the worker (relative: works under a sub-path).
const LOADER: &str = "./worker_loader.js";
/// What a cancelled job's promise is rejected with.
const CANCELLED: &str = "cancelled";
/// The envelope's fields: the request as JSON text, and the files beside it.
const REQUEST: &str = "request";
const FILES: &str = "files";
/// Longest reply (UTF-16 units) decoded where it arrives: Ready is far below it.
const SMALL_REPLY: u32 = 16 * 1024;

/// Why a job gave no result; messages are shown to the user.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum WorkerError {
    #[error("no se pudo iniciar el proceso de fondo ({0})")]
    Start(String),
    #[error("cancelado")]
    Cancelled,
    #[error("el proceso de fondo falló ({0}); recargue la página e intente de nuevo")]
    Crashed(String),
    #[error("{0}")]
    Failed(String),
    #[error("respuesta ilegible del proceso de fondo ({0})")]
    Garbled(String),
}

/// Stops a running job from anywhere (a cancel button); cheap to clone.
#[derive(Clone)]
pub struct Cancel {
    workers: Vec<Worker>,
    reject: Function,
}

impl Cancel {
    /// Ends the workers at once and makes the job finish as [`WorkerError::Cancelled`].
    pub fn cancel(&self) {
        for w in &self.workers {
            w.terminate();
        }
        // A job already finished has nothing left to reject.
        let _ = self.reject.call1(&JsValue::NULL, &JsValue::from_str(CANCELLED));
    }
}

/// A request running in its own worker.
pub struct Job {
    worker: Worker,
    reply: Promise,
    cancel: Cancel,
    // Held until the job ends, so the worker's callbacks stay alive exactly that long.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl Job {
    fn start(request: &Request, files: Array) -> Result<Job, WorkerError> {
        let text = serde_json::to_string(request).map_err(|e| WorkerError::Start(e.to_string()))?;
        let envelope = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&envelope, &JsValue::from_str(k), v).map_err(|e| WorkerError::Start(js_message(&e)));
        set(REQUEST, &JsValue::from_str(&text))?;
        set(FILES, &files)?;
        let worker = Worker::new(LOADER).map_err(|e| WorkerError::Start(js_message(&e)))?;
        let (reply, resolve, reject) = settlable()?;
        let (sender, envelope, fail) = (worker.clone(), JsValue::from(envelope), reject.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            // Ready is a few bytes; anything larger is the answer (an
            // upload's carries its whole plan), which `finish` decodes once,
            // in a task of its own.
            let data = ev.data();
            let small = data.dyn_ref::<JsString>().is_some_and(|t| t.length() <= SMALL_REPLY);
            let reply = small.then(|| data.as_string().map(|t| serde_json::from_str::<Reply>(&t))).flatten();
            match reply {
                Some(Ok(Reply::Ready)) => {
                    if let Err(e) = sender.post_message(&envelope) {
                        // Rejecting a settled promise is a no-op.
                        let _ = fail.call1(&JsValue::NULL, &e);
                    }
                }
                // The answer (or garbage, which `finish` reports) ends the job.
                _ => {
                    let _ = resolve.call1(&JsValue::NULL, &ev.data());
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let fail = reject.clone();
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            // As above: only the first settlement counts.
            let _ = fail.call1(&JsValue::NULL, &e);
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let cancel = Cancel { workers: vec![worker.clone()], reject };
        Ok(Job { worker, reply, cancel, _on_message: on_message, _on_error: on_error })
    }

    pub fn canceller(&self) -> Cancel {
        self.cancel.clone()
    }

    /// Waits for the answer, then ends the worker.
    pub async fn finish(self) -> Result<Reply, WorkerError> {
        let data = JsFuture::from(self.reply.clone()).await;
        self.worker.terminate();
        let data = data.map_err(|e| match e.as_string().as_deref() {
            Some(CANCELLED) => WorkerError::Cancelled,
            _ => WorkerError::Crashed(js_message(&e)),
        })?;
        decode(data).await
    }
}

/// A promise and the functions that settle it (the answer, or the failure
/// or cancel that ends a job first; only the first settlement counts).
fn settlable() -> Result<(Promise, Function, Function), WorkerError> {
    let (mut resolve, mut reject) = (None, None);
    let promise = Promise::new(&mut |res, rej| {
        resolve = Some(res);
        reject = Some(rej);
    });
    match (resolve, reject) {
        (Some(resolve), Some(reject)) => Ok((promise, resolve, reject)),
        _ => Err(WorkerError::Start("promesa sin funciones".into())),
    }
}

/// A job's answer, decoded in a task of its own (the message event was a
/// task's work already, and a large answer is megabytes); a failure the
/// worker reported becomes [`WorkerError::Failed`].
async fn decode(data: JsValue) -> Result<Reply, WorkerError> {
    clock::next_task().await;
    let text = data.as_string().ok_or_else(|| WorkerError::Garbled("no es texto".into()))?;
    match serde_json::from_str(&text).map_err(|e| WorkerError::Garbled(e.to_string()))? {
        Reply::Failed { message } => Err(WorkerError::Failed(message)),
        reply => Ok(reply),
    }
}

/// Validates an upload in a worker, which reads the files itself: the
/// report, and the plan when the user may insert it.
pub async fn prepare(files: &[File], today: Month, choices: Choices) -> Result<(Report, Option<Plan>), WorkerError> {
    let list: Array = files.iter().collect();
    match Job::start(&Request::Prepare { today, choices }, list)?.finish().await? {
        Reply::Prepared { report, plan } => Ok((report, plan)),
        other => Err(WorkerError::Garbled(format!("se esperaba un informe, llegó {other:?}"))),
    }
}

/// Starts the honest protocol on the stored tables in workers ([`pool`]);
/// `on_progress` hears each step.
pub fn retrain(on_progress: impl Fn(Progress) + 'static) -> Result<Retrain, WorkerError> {
    Retrain::start(on_progress)
}
