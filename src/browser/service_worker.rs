//! The service worker (`public/sw.js` does the caching): registration, and a
//! new deploy offered once its whole build is cached and waiting.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RegistrationOptions, ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// What the page posts to a waiting worker to make it take over (sw.js).
const SKIP_WAITING: &str = "skip-waiting";

/// A new build, cached and waiting; [`Update::accept`] makes it take over
/// (the page then reloads onto it).
#[derive(Clone, Debug, PartialEq)]
pub struct Update(ServiceWorker);

impl Update {
    pub fn accept(&self) {
        // A worker that is gone (replaced meanwhile) needs no message.
        let _ = self.0.post_message(&JsValue::from_str(SKIP_WAITING));
    }
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Service workers need a secure context; some private modes remove them.
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// Registers `./sw.js` for this directory (relative: works under a
/// sub-path), reloads the page when a new worker takes over, and calls
/// `offer` with each new build waiting to.
pub fn register(offer: impl Fn(Update) + Clone + 'static) {
    let Some(container) = container() else { return };
    // The first worker claiming an uncontrolled page changes nothing the
    // page shows; a later one (an accepted update, in any tab) means this
    // page's files are gone from the cache: reload onto the new build.
    let controlled = Rc::new(Cell::new(container.controller().is_some()));
    let on_change = Closure::<dyn Fn()>::new(move || {
        if controlled.replace(true) {
            super::location::reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    // Lives as long as the page.
    on_change.forget();

    let options = RegistrationOptions::new();
    options.set_scope("./");
    let registering = JsFuture::from(container.register_with_options("./sw.js", &options));
    wasm_bindgen_futures::spawn_local(async move {
        match registering.await {
            Ok(registration) => watch(registration.unchecked_into(), container, offer),
            Err(e) => web_sys::console::warn_2(&"el modo sin conexión no está disponible:".into(), &e),
        }
    });
}

/// Offers a new worker once it has cached its whole build and waits.
fn watch(registration: ServiceWorkerRegistration, container: ServiceWorkerContainer, offer: impl Fn(Update) + Clone + 'static) {
    // Without a controller the new worker activates by itself: nothing to offer.
    let offer = move |worker: ServiceWorker| {
        if container.controller().is_some() {
            offer(Update(worker));
        }
    };
    let track = {
        let offer = offer.clone();
        move |worker: ServiceWorker| {
            let installing = worker.clone();
            let offer = offer.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                if installing.state() == ServiceWorkerState::Installed {
                    offer(installing.clone());
                }
            });
            worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            // Lives as long as the worker it watches.
            on_state.forget();
        }
    };
    // The browser may have found the deploy before the app started.
    if let Some(worker) = registration.waiting() {
        offer(worker);
    } else if let Some(worker) = registration.installing() {
        track(worker);
    }
    let watched = registration.clone();
    let on_found = Closure::<dyn Fn()>::new(move || {
        if let Some(worker) = watched.installing() {
            track(worker);
        }
    });
    registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
    // Check now (the browser's own check on navigation may be deferred), and
    // again when the connection returns (a tab left open for days).
    check(&registration);
    let on_online = Closure::<dyn Fn()>::new(move || check(&registration));
    if let Some(w) = web_sys::window() {
        // Without the listener a long-open tab finds the deploy on its next visit instead.
        let _ = w.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    }
    on_online.forget();
}

fn check(registration: &ServiceWorkerRegistration) {
    if let Ok(promise) = registration.update() {
        // Awaited only so that a failed check (offline) is not reported as
        // an unhandled rejection.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}
