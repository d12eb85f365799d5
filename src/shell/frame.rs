//! The frame around every page: "Sin conexión" and a new deploy's offer
//! ([`Banners`]), whether the data is stored yet ([`PersistNote`]), and the
//! storage line in the footer ([`StorageLine`]).

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::service_worker::{self, Update};
use crate::browser::{clock, storage_manager};
use crate::session::{Persist, Phase, Session};
use crate::view::storage_use::StorageUse;

/// "Sin conexión" while the browser is offline, and the offer of a new
/// deploy (accepting it reloads the page onto the new build).
#[component]
pub fn Banners() -> impl IntoView {
    let online = RwSignal::new(web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true));
    let update = RwSignal::new_local(None::<Update>);
    // The worker's install downloads and checks the whole build (about
    // 1.3 MB gzip): started once the page is usable, its data stored and
    // the browser idle, it does not compete with a first visit's start-up.
    let session = Session::get();
    Effect::new(move |registered: Option<bool>| {
        if registered == Some(true) {
            return true;
        }
        let settled = session.phase().with(|p| *p != Phase::Loading) && session.persist().with(|p| *p != Persist::Saving);
        if settled {
            spawn_local(async move {
                clock::idle().await;
                service_worker::register(move |u| update.set(Some(u)));
            });
        }
        settled
    });
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
            {move || update.get().map(|u| view! {
                <p id="update" class="banner">
                    "Nueva versión disponible — "
                    <button id="update-reload" type="button" on:click=move |_| u.accept()>"recargar"</button>
                </p>
            })}
        </div>
    }
}

/// Says while the data is being written on a first visit, and if it could
/// not be (the page then works from memory until reloaded).
#[component]
pub fn PersistNote() -> impl IntoView {
    let session = Session::get();
    move || match session.persist().get() {
        Persist::Saving => Some(view! {
            <p class="note" role="status" id="persist">"Guardando los datos en este navegador…"</p>
        }.into_any()),
        Persist::Failed(e) => Some(view! {
            <p class="alert" role="alert" id="persist">
                "Los datos no se pudieron guardar en este navegador (" {e.to_string()}
                "); puede usar la página, pero al recargarla se volverán a descargar."
            </p>
        }.into_any()),
        Persist::Saved => None,
    }
}

/// How much storage the site uses, re-estimated after each write; a warning
/// when nearly full.
#[component]
pub fn StorageLine() -> impl IntoView {
    let session = Session::get();
    let usage = RwSignal::new(None::<StorageUse>);
    Effect::new(move |_| {
        session.log_rev().track();
        session.meta().track();
        // The footer lives as long as the page: its signal outlives the estimate.
        spawn_local(async move { usage.set(storage_manager::estimate().await) });
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
