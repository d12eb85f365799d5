//! The home app: it only assembles — the session, the frame (navigation,
//! banners, the storage line) and the forecast page. The other pages are a
//! second module ([`crate::shell::pages`]) loaded the first time the visitor goes
//! there, into `#pages-host`, which this app keeps in the page and shows for
//! their routes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use leptos::task::spawn_local;

use crate::browser::{location, modules, performance};
use crate::components::snapshot;
use crate::crash::{self, Record};
use crate::view::interaction::Kind;
use crate::shell::frame::{Banners, PersistNote, StorageLine};
use crate::view::route::{self, Page};
use crate::routes::predict::{track_due, Drawn, PredictPage};
use crate::session::{Persist, Phase, Session};

/// Where the pages module is.
#[derive(Clone, Debug, PartialEq)]
enum Pages {
    NotLoaded,
    Loading,
    Mounted,
    Failed(String),
}

/// Installs the panic hook ([`crash`]) and mounts the app in `#app` (hidden beside the
/// snapshot of `index.html` until it can show its own page), or on `<body>`
/// when the page has no `#app`.
pub fn mount() {
    crash::hook::install();
    // Before anything reads the URL: a query that crashed the last load is dropped.
    let previous = crash::hook::take_previous();
    let app = move || view! { <App previous=previous.clone()/> };
    performance::timed("leche:mount", || match element("app") {
        Some(host) => leptos::mount::mount_to(host, app).forget(),
        None => leptos::mount::mount_to_body(app),
    });
}

fn element(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into().ok()
}

/// The app takes the snapshot's place in one step (no frame without either),
/// taking the nodes of it that the home page's card keeps.
fn take_over() {
    snapshot::take_over();
    if let Some(snapshot) = element("snapshot") {
        snapshot.remove();
    }
    if let Some(host) = element("app") {
        host.set_hidden(false);
    }
}

/// `previous`: the crash of this tab's last load, if it crashed.
#[component]
pub fn App(previous: Option<Record>) -> impl IntoView {
    let session = Session::provide();
    if let Some(r) = &previous {
        session.log(Kind::Error, r.log_text(), r.hash.clone());
    }
    let hash = RwSignal::new(location::hash());
    provide_context(hash);
    let listener = window_event_listener(leptos::ev::hashchange, move |_| hash.set(location::hash()));
    on_cleanup(move || listener.remove());

    let page = Memo::new(move |_| route::parse(&hash.get()).page);
    // Once start-up has an answer (the page, or why there is none), the app
    // shows: the home page once it has drawn all of it, in its steps.
    let drawn = RwSignal::new(false);
    provide_context(Drawn(drawn));
    Effect::new(move |_| {
        let shows = match session.phase().get() {
            Phase::Loading => false,
            Phase::Ready => page.get() != Page::Predict || drawn.get(),
            Phase::Failed(_) | Phase::Damaged(_) => true,
        };
        if shows {
            take_over();
        }
    });
    // A forecast's «¿Por qué?» is the pages module's too (crate::routes::predict::why).
    let why = Memo::new(move |_| route::parse(&hash.get()).why.is_some());
    let current = move |p: Page| move || (page.get() == p).then_some("page");
    // The pages module shows the other routes, and the recovery screen.
    let wants_pages = Memo::new(move |_| match session.phase().get() {
        Phase::Ready => page.get() != Page::Predict || why.get(),
        Phase::Damaged(_) => true,
        Phase::Loading | Phase::Failed(_) => false,
    });
    // Where the pages module is the page (not only «¿Por qué?» over the home page).
    let shows_pages = move || match session.phase().get() {
        Phase::Ready => page.get() != Page::Predict,
        Phase::Damaged(_) => true,
        Phase::Loading | Phase::Failed(_) => false,
    };
    // Kept forecasts that may have prices: the pages module writes the home page's track line.
    let track = Memo::new(move |_| session.phase().with(|p| *p == Phase::Ready) && session.db().with(track_due));
    let pages = RwSignal::new(Pages::NotLoaded);
    let host: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        // A first visit loads it once the published tables are stored: it reads them from IndexedDB.
        let stored = session.persist().with(|p| *p == Persist::Saved) || session.phase().with(|p| matches!(p, Phase::Damaged(_)));
        if !(wants_pages.get() || track.get()) || !stored || pages.get_untracked() != Pages::NotLoaded {
            return;
        }
        if host.get_untracked().is_none() {
            return;
        }
        pages.set(Pages::Loading);
        spawn_local(async move {
            pages.set(match modules::mount_pages().await {
                Ok(()) => Pages::Mounted,
                Err(e) => Pages::Failed(e.to_string()),
            });
        });
    });
    view! {
        <header class="top">
            <p class="brand">"Leche"<span class="tagline">" · precio de la leche en Chile"</span></p>
            <nav aria-label="Secciones">
                <a href="#/" aria-current=current(Page::Predict)>"Pronóstico"</a>
                <a href="#/datos" aria-current=current(Page::Datos)>"Datos"</a>
                <a href="#/modelo" aria-current=current(Page::Modelo)>"Modelo"</a>
                <a href="#/registros" aria-current=current(Page::Registros)>"Registros"</a>
            </nav>
        </header>
        <Banners/>
        {previous.map(|_| view! {
            <p id="crashed" class="banner" role="status">
                "La página tuvo un error en la carga anterior y se recuperó; la consulta que falló no se repitió. "
                "El detalle quedó en " <a href="#/registros">"Registros"</a> "."
            </p>
        })}
        <main id="main" data-store=move || session.persist().with(Persist::as_str)>
            {move || match session.phase().get() {
                Phase::Loading => view! { <p class="loading" role="status">"Cargando datos…"</p> }.into_any(),
                Phase::Failed(e) => view! {
                    <div class="fatal" role="alert" id="fatal">
                        <h1>"No se pudo iniciar"</h1>
                        <p>{e.to_string()}</p>
                        <p>"Recargue la página; si el problema sigue, pruebe otro navegador o salga del modo privado."</p>
                    </div>
                }.into_any(),
                Phase::Ready if page.get() == Page::Predict => view! { <PredictPage/> }.into_any(),
                Phase::Ready | Phase::Damaged(_) => ().into_any(),
            }}
            <div id="pages-host" node_ref=host hidden=move || !wants_pages.get()></div>
            // Under the host, where the snapshot shows it too: the page mounting above it moves nothing.
            {move || shows_pages().then(|| match pages.get() {
                Pages::Mounted => ().into_any(),
                Pages::Failed(e) => view! {
                    <p class="alert" role="alert" id="pages-failed">
                        "Esta sección no se pudo cargar (" {e} "); recargue la página."
                    </p>
                }.into_any(),
                Pages::NotLoaded | Pages::Loading => view! { <p class="loading" role="status">"Cargando la sección…"</p> }.into_any(),
            })}
            <p class="why-loading" role="status" hidden=move || !why.get() || page.get() != Page::Predict || pages.get() == Pages::Mounted>
                "Cargando la explicación… Si no aparece, recargue la página."
            </p>
        </main>
        <footer class="foot">
            // Below the page, so that the note appearing or going moves nothing the visitor reads.
            <PersistNote/>
            <p>"Todo se calcula en su navegador; los datos no salen de este equipo. Precios en CLP por litro, nominales, sin IVA."</p>
            <StorageLine/>
        </footer>
    }
}
