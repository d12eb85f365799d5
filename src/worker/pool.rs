//! A retrain spread over several workers, as the native trainer spreads it
//! over its cores: the honest protocol's walks (one per fitted candidate,
//! each independent of the others) go one at a time to whichever worker is
//! free, in candidate order — the slowest, the original pipeline, first —
//! and the worker that hands back the last walk gets them all and makes the
//! report ([`protocol::finish`]). The walks travel bit for bit
//! ([`WalkWire`]), so the report is the one a single worker would make.
//!
//! One worker per core the browser reports, at most [`MAX_WORKERS`]: the
//! protocol's longest walk bounds its time, and with more workers than
//! that, more copies of the tables and the module in memory buy nothing.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Function, Promise};
use leche_core::forecast::CandidateId;
use leche_core::protocol::{self, HonestReport, Progress};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use super::{decode, settlable, Cancel, WorkerError, CANCELLED, LOADER, REQUEST};
use crate::browser::js_message;
use crate::wire::worker::{Reply, Request, WalkWire};

/// The most workers a retrain starts.
pub const MAX_WORKERS: usize = 4;

/// A running retrain: its workers, and the promise of its answer.
pub struct Retrain {
    pool: Rc<RefCell<Pool>>,
    reply: Promise,
    cancel: Cancel,
    started: f64,
    // Held until the retrain ends, so the workers' callbacks live exactly that long.
    _callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
}

/// What the page knows of the workers while they walk.
struct Pool {
    workers: Vec<Worker>,
    /// Candidates no worker has taken yet.
    queue: VecDeque<CandidateId>,
    walks: Vec<WalkWire>,
    expected: usize,
    /// Per worker: the walk it is on (with when it was handed out) and how far it has got.
    current: Vec<Option<(usize, CandidateId, usize)>>,
    handed: usize,
    /// Origins per walk, learnt from the first progress.
    per_walk: usize,
    /// The worker making the report, once one is.
    finishing: Option<usize>,
    resolve: Function,
    reject: Function,
    on_progress: Box<dyn Fn(Progress)>,
}

impl Pool {
    /// Gives worker `i` its next request: a walk while some are left, else
    /// (once every walk is back) the report; a worker with neither is ended.
    fn dispatch(&mut self, i: usize) {
        let request = if let Some(candidate) = self.queue.pop_front() {
            self.current[i] = Some((self.handed, candidate, 0));
            self.handed += 1;
            Request::Walk { candidate }
        } else if self.walks.len() == self.expected && self.finishing.is_none() {
            self.finishing = Some(i);
            for (j, w) in self.workers.iter().enumerate() {
                if j != i {
                    w.terminate();
                }
            }
            let total = self.total();
            (self.on_progress)(Progress { done: total - 1, total, candidate: None });
            Request::Finish { walks: std::mem::take(&mut self.walks) }
        } else {
            self.workers[i].terminate();
            return;
        };
        let sent = serde_json::to_string(&request).map_err(|e| JsValue::from_str(&e.to_string())).and_then(|text| {
            let envelope = js_sys::Object::new();
            js_sys::Reflect::set(&envelope, &JsValue::from_str(REQUEST), &JsValue::from_str(&text))?;
            self.workers[i].post_message(&envelope)
        });
        if let Err(e) = sent {
            // Only the first settlement of the promise counts.
            let _ = self.reject.call1(&JsValue::NULL, &e);
        }
    }

    fn total(&self) -> usize {
        self.expected * self.per_walk + 1
    }

    /// The whole retrain's progress after worker `i` reported `p`: the walks
    /// back plus how far each running one has got, named after the running
    /// walk handed out first (so the stage does not flicker between workers).
    fn progress(&mut self, i: usize, p: Progress) {
        self.per_walk = p.total;
        if let Some(current) = self.current[i].as_mut() {
            current.2 = p.done;
        }
        let running = self.current.iter().flatten();
        let done = self.walks.len() * self.per_walk + running.clone().map(|c| c.2).sum::<usize>();
        let oldest = running.min_by_key(|c| c.0).map(|c| c.1);
        (self.on_progress)(Progress { done, total: self.total(), candidate: oldest });
    }

    /// Worker `i`'s message: small replies are handled here; the report (or
    /// anything unexpected, which [`Retrain::finish`] names) ends the retrain.
    fn hear(&mut self, i: usize, data: JsValue) {
        if self.finishing == Some(i) {
            let _ = self.resolve.call1(&JsValue::NULL, &data);
            return;
        }
        match data.as_string().map(|t| serde_json::from_str::<Reply>(&t)) {
            Some(Ok(Reply::Ready)) => self.dispatch(i),
            Some(Ok(Reply::Progress { progress })) => self.progress(i, progress),
            Some(Ok(Reply::Walked { walk })) => {
                self.current[i] = None;
                self.walks.push(walk);
                self.dispatch(i);
            }
            _ => {
                let _ = self.resolve.call1(&JsValue::NULL, &data);
            }
        }
    }
}

impl Retrain {
    /// Starts the workers; `on_progress` hears the whole retrain's progress.
    pub fn start(on_progress: impl Fn(Progress) + 'static) -> Result<Retrain, WorkerError> {
        let candidates = protocol::fitted();
        let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
        let n = (cores as usize).clamp(1, MAX_WORKERS).min(candidates.len().max(1));
        let workers = (0..n).map(|_| Worker::new(LOADER)).collect::<Result<Vec<Worker>, JsValue>>().map_err(|e| {
            WorkerError::Start(js_message(&e))
        })?;
        let (reply, resolve, reject) = settlable()?;
        let pool = Rc::new(RefCell::new(Pool {
            workers: workers.clone(),
            expected: candidates.len(),
            queue: candidates.into(),
            walks: Vec::new(),
            current: vec![None; n],
            handed: 0,
            per_walk: 0,
            finishing: None,
            resolve,
            reject: reject.clone(),
            on_progress: Box::new(on_progress),
        }));
        let mut callbacks = Vec::with_capacity(2 * n);
        for (i, worker) in workers.iter().enumerate() {
            let heard = pool.clone();
            let on_message = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
                let data = ev.unchecked_into::<MessageEvent>().data();
                heard.borrow_mut().hear(i, data);
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            let fail = reject.clone();
            let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                let _ = fail.call1(&JsValue::NULL, &e);
            });
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            callbacks.extend([on_message, on_error]);
        }
        let cancel = Cancel { workers, reject };
        Ok(Retrain { pool, reply, cancel, started: js_sys::Date::now(), _callbacks: callbacks })
    }

    pub fn canceller(&self) -> Cancel {
        self.cancel.clone()
    }

    /// Waits for the report, ends every worker, and says how long the
    /// retrain took from its start (milliseconds).
    pub async fn finish(self) -> Result<(HonestReport, f64), WorkerError> {
        let data = JsFuture::from(self.reply.clone()).await;
        let millis = js_sys::Date::now() - self.started;
        for w in &self.pool.borrow().workers {
            w.terminate();
        }
        let data = data.map_err(|e| match e.as_string().as_deref() {
            Some(CANCELLED) => WorkerError::Cancelled,
            _ => WorkerError::Crashed(js_message(&e)),
        })?;
        match decode(data).await? {
            Reply::Retrained { report } => Ok((*report, millis)),
            _ => Err(WorkerError::Garbled("se esperaba el informe del reentrenamiento".into())),
        }
    }
}
