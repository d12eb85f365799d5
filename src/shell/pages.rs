//! The second app: the data, model and logs pages, the recovery screen
//! and a forecast's «¿Por qué?» over the home page, built as their own WebAssembly module (`src/bin/pages.rs`) that
//! the home page loads only when the visitor first goes there
//! ([`crate::browser::modules`]). A first visit downloads the forecast page
//! and nothing else.
//!
//! It mounts once into `#pages-host`, which the home app keeps in the page
//! and shows for these routes, and follows the location hash itself. It has
//! its own [`Session`] on the same IndexedDB store: the two apps keep each
//! other current over the same `BroadcastChannel` that keeps tabs in step
//! (a channel object hears every other object, in the same tab too).

use leptos::prelude::*;

use crate::browser::location;
use crate::shell::recovery::Recovery;
use crate::view::route::{self, Page};
use crate::routes::predict::why::{TrackLine, WhyDialog};
use crate::routes::{datos::DatosPage, modelo::ModeloPage, registros::RegistrosPage};
use crate::session::{Phase, Session};

/// Mounts the pages app in `host` for the page's whole life.
pub fn mount(host: web_sys::HtmlElement) {
    // This module has its own panic hook: its panic stops it, not only the home module.
    crate::crash::hook::install();
    leptos::mount::mount_to(host, PagesApp).forget();
}

#[component]
fn PagesApp() -> impl IntoView {
    let session = Session::provide();
    let hash = RwSignal::new(location::hash());
    provide_context(hash);
    let listener = window_event_listener(leptos::ev::hashchange, move |_| hash.set(location::hash()));
    on_cleanup(move || listener.remove());
    let page = Memo::new(move |_| route::parse(&hash.get()).page);
    let why = Memo::new(move |_| {
        let r = route::parse(&hash.get());
        r.why.map(|month| (month, r.model.unwrap_or_else(|| session.default_model())))
    });
    move || match session.phase().get() {
        Phase::Loading => view! { <p class="loading" role="status">"Cargando datos…"</p> }.into_any(),
        Phase::Failed(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
        Phase::Damaged(e) => view! { <Recovery error=e/> }.into_any(),
        Phase::Ready => match page.get() {
            // The home app shows its own page; a month's «¿Por qué?» goes over it.
            Page::Predict => view! {
                <TrackLine/>
                {move || why.get().map(|(month, model)| view! { <WhyDialog month model/> })}
            }.into_any(),
            Page::Datos => view! { <DatosPage/> }.into_any(),
            Page::Modelo => view! { <ModeloPage/> }.into_any(),
            Page::Registros => view! { <RegistrosPage/> }.into_any(),
        },
    }
}
