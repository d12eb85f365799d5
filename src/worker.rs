//! The long jobs, off the main thread: one Web Worker (the `worker` binary,
//! built by trunk as `worker.js` + `worker_bg.wasm`, loaded on demand
//! through `worker_loader.js`) validates large uploads ([`report::prepare`])
//! and retrains the model ([`protocol::honest_observed`]), so the page keeps
//! answering and shows what is happening. Both are the library's functions,
//! the same ones the native trainer runs.
//!
//! The protocol: the worker posts `"ready"` once it listens; the page posts
//! one request, `{ task: "prepare", db, today, files }` (`files`: the
//! `File`s themselves, so the page never reads or copies their bytes) or
//! `{ task: "retrain", db }` (`db`: the tables as JSON text); the worker may
//! post `{ progress }` (a [`Progress`] as JSON text) any number of times,
//! then answers — `{ report, plan }` (JSON texts; the plan only when the
//! upload can go ahead), the [`Retrained`] result as JSON text — or
//! `{ error }`. The page ends the worker after the answer, or at once when
//! the user cancels, which really stops the computation.

use js_sys::{Array, Function, JsString, Object, Promise, Reflect, Uint8Array};
use leche_core::protocol::{self, HonestReport, Progress};
use leche_core::{Database, Month};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent, Worker};

use crate::report::{self, Report};

/// The loader trunk writes for the worker (relative: works under a sub-path).
const LOADER: &str = "./worker_loader.js";
/// What a cancelled job's promise is rejected with.
const CANCELLED: &str = "cancelled";

/// A retrain's result: the honest protocol's report on the tables sent, and
/// how long it took inside the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Retrained {
    pub report: HonestReport,
    pub millis: f64,
}

fn field(data: &JsValue, name: &str) -> Result<JsValue, String> {
    Reflect::get(data, &JsValue::from_str(name)).map_err(|_| format!("mensaje sin «{name}»"))
}

fn text_field(data: &JsValue, name: &str) -> Result<String, String> {
    field(data, name)?.as_string().ok_or_else(|| format!("«{name}» no es texto"))
}

fn object(entries: &[(&str, &JsValue)]) -> Result<Object, String> {
    let o = Object::new();
    for (k, v) in entries {
        Reflect::set(&o, &JsValue::from_str(k), v).map_err(|_| "no se pudo preparar el mensaje".to_string())?;
    }
    Ok(o)
}

fn tables(data: &JsValue) -> Result<Database, String> {
    serde_json::from_str(&text_field(data, "db")?).map_err(|e| format!("tablas ilegibles: {e}"))
}

/// The worker's side: answers every request.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let answer = scope.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let result = match field(&data, "task").ok().and_then(|t| t.as_string()).as_deref() {
            Some("prepare") => prepare_here(&data),
            Some("retrain") => retrain_here(&answer, &data),
            _ => Err("tarea desconocida".into()),
        };
        let reply = match result {
            Ok(answer) => answer,
            Err(e) => object(&[("error", &JsValue::from_str(&e))]).map_or(JsValue::NULL, Into::into),
        };
        let _ = answer.post_message(&reply);
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The worker lives until the page ends it; so does the handler.
    handler.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

fn prepare_here(data: &JsValue) -> Result<JsValue, String> {
    let db = tables(data)?;
    let today: Option<Month> = field(data, "today")?.as_string().and_then(|t| t.parse().ok());
    let list: Array = field(data, "files")?.dyn_into().map_err(|_| "files no es una lista")?;
    let reader = FileReaderSync::new().map_err(|_| "no se pueden leer archivos en segundo plano")?;
    let files = list
        .iter()
        .map(|f| {
            let file: File = f.dyn_into().map_err(|_| "files contiene algo que no es un archivo".to_string())?;
            let bytes = reader.read_as_array_buffer(&file).map_err(|_| format!("{}: no se pudo leer el archivo", file.name()))?;
            Ok((file.name(), Uint8Array::new(&bytes).to_vec()))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let prepared = report::prepare(&db, &files, today);
    let plan = match &prepared.plan {
        Some(p) => json(p)?,
        None => JsValue::UNDEFINED,
    };
    Ok(object(&[("report", &json(&prepared.report)?), ("plan", &plan)])?.into())
}

fn json<T: Serialize>(value: &T) -> Result<JsValue, String> {
    serde_json::to_string(value).map(|t| JsValue::from_str(&t)).map_err(|e| e.to_string())
}

fn retrain_here(scope: &DedicatedWorkerGlobalScope, data: &JsValue) -> Result<JsValue, String> {
    let db = tables(data)?;
    let started = js_sys::Date::now();
    let report = protocol::honest_observed(&db, &mut |p| {
        if let Ok(text) = serde_json::to_string(&p) {
            if let Ok(message) = object(&[("progress", &JsValue::from_str(&text))]) {
                let _ = scope.post_message(&message);
            }
        }
    })
    .map_err(|e| e.to_string())?;
    let millis = js_sys::Date::now() - started;
    json(&Retrained { report, millis })
}

/// Why a job gave no result.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The user cancelled it.
    Cancelled,
    Failed(String),
}

/// Stops a running job from anywhere (a cancel button); cheap to clone.
#[derive(Clone)]
pub struct Cancel {
    worker: Worker,
    reject: Function,
}

impl Cancel {
    /// Ends the worker at once and makes the job finish as [`Failure::Cancelled`].
    pub fn cancel(&self) {
        self.worker.terminate();
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
    fn start(request: Object, on_progress: impl Fn(Progress) + 'static) -> Result<Job, String> {
        let worker = Worker::new(LOADER).map_err(|e| format!("no se pudo iniciar el proceso de fondo: {e:?}"))?;
        let (mut resolve, mut reject) = (None, None);
        let reply = Promise::new(&mut |res, rej| {
            resolve = Some(res);
            reject = Some(rej);
        });
        let (Some(resolve), Some(reject)) = (resolve, reject) else {
            return Err("no se pudo preparar el proceso de fondo".into());
        };
        let (sender, request, fail) = (worker.clone(), JsValue::from(request), reject.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            if data.as_string().as_deref() == Some("ready") {
                if let Err(e) = sender.post_message(&request) {
                    let _ = fail.call1(&JsValue::NULL, &e);
                }
            } else if let Some(p) = field(&data, "progress").ok().and_then(|p| p.as_string()) {
                if let Ok(p) = serde_json::from_str(&p) {
                    on_progress(p);
                }
            } else {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let fail = reject.clone();
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let _ = fail.call1(&JsValue::NULL, &e);
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let cancel = Cancel { worker: worker.clone(), reject };
        Ok(Job { worker, reply, cancel, _on_message: on_message, _on_error: on_error })
    }

    pub fn canceller(&self) -> Cancel {
        self.cancel.clone()
    }

    /// Waits for the answer, then ends the worker.
    pub async fn finish(self) -> Result<JsValue, Failure> {
        let data = JsFuture::from(self.reply.clone()).await;
        self.worker.terminate();
        let data = data.map_err(|e| match e.as_string().as_deref() {
            Some(CANCELLED) => Failure::Cancelled,
            _ => Failure::Failed("el proceso de fondo falló; recargue la página e intente de nuevo".into()),
        })?;
        match field(&data, "error").ok().and_then(|e| e.as_string()) {
            Some(e) => Err(Failure::Failed(e)),
            None => Ok(data),
        }
    }
}

/// Validates an upload in a worker: [`report::prepare`] off the main thread,
/// the files read there too. Returns the report and, when it is ready, the
/// plan as JSON text (decoded only if the user inserts it: for a large file
/// that is most of the work the page would otherwise do).
pub async fn prepare(db: &Database, files: &[File], today: Option<Month>) -> Result<(Report, Option<JsString>), String> {
    let list: Array = files.iter().collect();
    let request = object(&[
        ("task", &JsValue::from_str("prepare")),
        ("db", &json(db)?),
        ("today", &JsValue::from_str(&today.map(|m| m.to_string()).unwrap_or_default())),
        ("files", &list),
    ])?;
    let answer = Job::start(request, |_| ())?.finish().await.map_err(|f| match f {
        Failure::Cancelled => "validación cancelada".to_string(),
        Failure::Failed(e) => e,
    })?;
    let report = field(&answer, "report")?.as_string().ok_or("respuesta sin informe")?;
    let report = serde_json::from_str(&report).map_err(|e| format!("respuesta ilegible del validador: {e}"))?;
    Ok((report, field(&answer, "plan")?.dyn_into::<JsString>().ok()))
}

/// Starts the honest protocol on `db` in a worker; `on_progress` hears each step.
pub fn retrain(db: &Database, on_progress: impl Fn(Progress) + 'static) -> Result<Job, String> {
    Job::start(object(&[("task", &JsValue::from_str("retrain")), ("db", &json(db)?)])?, on_progress)
}

/// Reads a retrain job's answer.
pub fn retrained(answer: &JsValue) -> Result<Retrained, Failure> {
    let json = answer.as_string().ok_or_else(|| Failure::Failed("respuesta inesperada del reentrenamiento".into()))?;
    serde_json::from_str(&json).map_err(|e| Failure::Failed(format!("respuesta ilegible del reentrenamiento: {e}")))
}
