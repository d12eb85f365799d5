//! Offline and installable, the page's side (the caching is `public/sw.js`):
//! registers the service worker and offers a new deploy ("Nueva versión
//! disponible"), says when the browser is offline, asks for durable storage
//! and shows how much is used, and keeps tabs consistent: every write to
//! IndexedDB is announced on a `BroadcastChannel`, and the other tabs re-read.

use std::cell::{Cell, OnceCell};
use std::rc::Rc;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    BroadcastChannel, MessageEvent, Navigator, RegistrationOptions, ServiceWorker, ServiceWorkerContainer,
    ServiceWorkerRegistration, ServiceWorkerState, StorageEstimate, StorageManager,
};

use crate::app::Ctx;
use crate::storage::StorageUse;

/// The channel every tab of the site listens on.
const CHANNEL: &str = "leche";
/// What the page posts to a waiting worker to make it take over (sw.js).
const SKIP_WAITING: &str = "skip-waiting";

/// What a tab wrote to the shared IndexedDB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Tables, models or meta (seeding, a new deploy, reset): re-read everything.
    Data,
    /// Only the interaction log: re-read the log.
    Log,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Data => "data",
            Change::Log => "log",
        }
    }
}

thread_local! {
    /// This tab's one end of the channel: a `BroadcastChannel` does not hear
    /// its own messages, but it does hear another object's in the same tab.
    static TAB_CHANNEL: OnceCell<Option<BroadcastChannel>> = const { OnceCell::new() };
}

fn channel() -> Option<BroadcastChannel> {
    TAB_CHANNEL.with(|c| c.get_or_init(|| BroadcastChannel::new(CHANNEL).ok()).clone())
}

/// Tells the other tabs that this one wrote to IndexedDB.
pub fn notify_changed(change: Change) {
    if let Some(channel) = channel() {
        let _ = channel.post_message(&JsValue::from_str(change.as_str()));
    }
}

/// Starts what the whole page needs once: listening to other tabs, the
/// service worker, and the request for durable storage.
pub fn start(ctx: Ctx, update: RwSignal<Option<ServiceWorker>, LocalStorage>) {
    listen_to_other_tabs(ctx);
    register_worker(update);
    spawn_local(ask_durable_storage());
}

fn listen_to_other_tabs(ctx: Ctx) {
    let Some(channel) = channel() else { return };
    let on_message =
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| match event.data().as_string().as_deref() {
            // Before this tab's store is open there is nothing to re-read:
            // its start-up reads the store anyway.
            Some("data") if ctx.store.with_untracked(Option::is_none) => {}
            Some("data") => spawn_local(async move {
                if let Err(e) = ctx.reload().await {
                    web_sys::console::warn_1(&format!("no se releyeron los datos de otra pestaña: {e}").into());
                }
                ctx.log_rev.update(|n| *n += 1);
            }),
            Some("log") => ctx.log_rev.update(|n| *n += 1),
            _ => {}
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Listens for the page's whole life.
    on_message.forget();
}

fn navigator() -> Option<Navigator> {
    web_sys::window().map(|w| w.navigator())
}

/// `navigator[name]` exists (service workers and storage need a secure
/// context, and some private modes remove them).
fn has(navigator: &Navigator, name: &str) -> bool {
    js_sys::Reflect::has(navigator, &JsValue::from_str(name)).unwrap_or(false)
}

/// Registers `./sw.js` for this directory (relative: works under a
/// sub-path) and reloads the page when a new worker takes over.
fn register_worker(update: RwSignal<Option<ServiceWorker>, LocalStorage>) {
    let Some(navigator) = navigator().filter(|n| has(n, "serviceWorker")) else {
        return;
    };
    let container = navigator.service_worker();
    // The first worker claiming an uncontrolled page changes nothing the
    // page shows; a later one (an accepted update, in any tab) means this
    // page's files are gone from the cache: reload onto the new build.
    let controlled = Rc::new(Cell::new(container.controller().is_some()));
    let on_change = Closure::<dyn Fn()>::new(move || {
        if controlled.replace(true) {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();

    let options = RegistrationOptions::new();
    options.set_scope("./");
    let registering = JsFuture::from(container.register_with_options("./sw.js", &options));
    spawn_local(async move {
        match registering.await {
            Ok(registration) => watch_updates(registration.unchecked_into(), container, update),
            Err(e) => web_sys::console::warn_2(&"el modo sin conexión no está disponible:".into(), &e),
        }
    });
}

/// Offers a new worker once it has cached its whole build and waits.
fn watch_updates(
    registration: ServiceWorkerRegistration,
    container: ServiceWorkerContainer,
    update: RwSignal<Option<ServiceWorker>, LocalStorage>,
) {
    // Without a controller the new worker activates by itself: nothing to offer.
    let offer = move |worker: ServiceWorker| {
        if container.controller().is_some() {
            update.set(Some(worker));
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
    // again when the connection returns (a tab left open for days). Offline
    // the check fails quietly.
    check_for_update(&registration);
    // Never removed: it lives as long as the page.
    let _ = window_event_listener(ev::online, move |_| check_for_update(&registration));
}

fn check_for_update(registration: &ServiceWorkerRegistration) {
    if let Ok(promise) = registration.update() {
        // Awaited only so that a failed check (offline) is not reported as
        // an unhandled rejection.
        spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

fn storage_manager() -> Option<StorageManager> {
    navigator().filter(|n| has(n, "storage")).map(|n| n.storage())
}

async fn promise_bool(promise: Result<js_sys::Promise, JsValue>) -> bool {
    match promise {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()).unwrap_or(false),
        Err(_) => false,
    }
}

/// Asks once per visit, and only until granted, that the browser never
/// evict the site's data (uploads live only there).
async fn ask_durable_storage() {
    let Some(storage) = storage_manager() else { return };
    if !promise_bool(storage.persisted()).await {
        promise_bool(storage.persist()).await;
    }
}

/// The browser's estimate of the site's storage use.
async fn storage_use() -> Option<StorageUse> {
    let storage = storage_manager()?;
    let persisted = promise_bool(storage.persisted()).await;
    let estimate: StorageEstimate = JsFuture::from(storage.estimate().ok()?).await.ok()?.unchecked_into();
    Some(StorageUse {
        usage: estimate.get_usage()?,
        quota: estimate.get_quota()?,
        persisted,
    })
}

/// "Sin conexión" while the browser is offline, and the offer of a new
/// deploy (accepting it reloads the page onto the new build).
#[component]
pub fn Banners(update: RwSignal<Option<ServiceWorker>, LocalStorage>) -> impl IntoView {
    let online = RwSignal::new(navigator().map(|n| n.on_line()).unwrap_or(true));
    let on = window_event_listener(ev::online, move |_| online.set(true));
    let off = window_event_listener(ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    view! {
        <div class="banners" role="status">
            <Show when=move || !online.get()>
                <p id="offline" class="banner">
                    "Sin conexión: todo sigue funcionando con los datos guardados en este navegador."
                </p>
            </Show>
            {move || update.get().map(|worker| view! {
                <p id="update" class="banner">
                    "Nueva versión disponible — "
                    <button id="update-reload" type="button" on:click=move |_| {
                        let _ = worker.post_message(&JsValue::from_str(SKIP_WAITING));
                    }>"recargar"</button>
                </p>
            })}
        </div>
    }
}

/// How much storage the site uses, re-estimated after each write; a warning
/// when nearly full.
#[component]
pub fn StorageLine() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let usage = RwSignal::new(None::<StorageUse>);
    Effect::new(move |_| {
        ctx.log_rev.track();
        ctx.meta.track();
        spawn_local(async move {
            let _ = usage.try_set(storage_use().await);
        });
    });
    move || {
        usage.get().map(|u| {
            let full = u.nearly_full();
            view! {
                <p id="storage" class=if full { "alert" } else { "note" } data-usage=u.usage data-quota=u.quota>
                    {u.text()}
                    {full.then_some(" Casi lleno: descargue sus registros y libere espacio de otros sitios, o la próxima escritura podría fallar.")}
                </p>
            }
        })
    }
}
