//! Reading and validating uploads off the main thread: a Web Worker (the
//! `parser` binary, built by trunk as `parser.js` + `parser_bg.wasm`,
//! loaded on demand through `parser_loader.js`) runs [`report::prepare`] and
//! answers with the report. A 50 MB file takes seconds to clean; the page
//! keeps answering meanwhile and shows what it is doing.
//!
//! The protocol: the worker posts `"ready"` once it listens; the page then
//! posts `{ db, today, names, files }` (the stored tables as JSON, the
//! current month or `""`, file names, file bytes); the worker answers with
//! the [`Report`] as JSON text, or `{ error }`.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use leche_core::{Database, Month};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker};

use crate::report::{self, Report};

/// The loader trunk writes for the worker (relative: works under a sub-path).
const LOADER: &str = "./parser_loader.js";

fn field(data: &JsValue, name: &str) -> Result<JsValue, String> {
    Reflect::get(data, &JsValue::from_str(name)).map_err(|_| format!("mensaje sin «{name}»"))
}

/// The worker's side: answers every request with a report.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let answer = scope.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let reply = match handle(&ev.data()) {
            Ok(json) => JsValue::from_str(&json),
            Err(e) => {
                let o = Object::new();
                let _ = Reflect::set(&o, &JsValue::from_str("error"), &JsValue::from_str(&e));
                o.into()
            }
        };
        let _ = answer.post_message(&reply);
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The worker lives as long as its page needs it; so does the handler.
    handler.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

fn handle(data: &JsValue) -> Result<String, String> {
    let db: Database = serde_json::from_str(&field(data, "db")?.as_string().ok_or("db no es texto")?)
        .map_err(|e| format!("tablas ilegibles: {e}"))?;
    let today: Option<Month> = field(data, "today")?.as_string().and_then(|t| t.parse().ok());
    let names: Array = field(data, "names")?.dyn_into().map_err(|_| "names no es una lista")?;
    let files: Array = field(data, "files")?.dyn_into().map_err(|_| "files no es una lista")?;
    let files: Vec<(String, Vec<u8>)> = names
        .iter()
        .zip(files.iter())
        .map(|(n, f)| (n.as_string().unwrap_or_default(), Uint8Array::new(&f).to_vec()))
        .collect();
    serde_json::to_string(&report::prepare(&db, &files, today)).map_err(|e| e.to_string())
}

/// The page's side: starts a worker, sends it the files, waits for the
/// report, and ends the worker.
pub async fn prepare(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>) -> Result<Report, String> {
    let request = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&request, &JsValue::from_str(k), v).map(|_| ());
    let db_json = serde_json::to_string(db).map_err(|e| e.to_string())?;
    let names: Array = files.iter().map(|(n, _)| JsValue::from_str(n)).collect();
    let bytes: Array = files.iter().map(|(_, b)| JsValue::from(Uint8Array::from(b.as_slice()))).collect();
    set("db", &JsValue::from_str(&db_json))
        .and(set("today", &JsValue::from_str(&today.map(|m| m.to_string()).unwrap_or_default())))
        .and(set("names", &names))
        .and(set("files", &bytes))
        .map_err(|_| "no se pudo preparar el mensaje".to_string())?;

    let worker = Worker::new(LOADER).map_err(|e| format!("no se pudo iniciar el validador: {e:?}"))?;
    let sender = worker.clone();
    let request: JsValue = request.into();
    let reply = Promise::new(&mut |resolve, reject| {
        let (to_worker, request, fail) = (sender.clone(), request.clone(), reject.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            if data.as_string().as_deref() == Some("ready") {
                if let Err(e) = to_worker.post_message(&request) {
                    let _ = fail.call1(&JsValue::NULL, &e);
                }
            } else {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        sender.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let fail = reject.clone();
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let _ = fail.call1(&JsValue::NULL, &e);
        });
        sender.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
    });
    let data = JsFuture::from(reply).await;
    worker.terminate();
    let data = data.map_err(|_| "el validador de archivos falló; recargue la página e intente de nuevo".to_string())?;
    if let Some(json) = data.as_string() {
        return serde_json::from_str(&json).map_err(|e| format!("respuesta ilegible del validador: {e}"));
    }
    Err(field(&data, "error").ok().and_then(|e| e.as_string()).unwrap_or_else(|| "respuesta inesperada del validador".into()))
}
