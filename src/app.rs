//! The app shell: shared state, start-up (open the store, seed it when the
//! artifacts are new), hash routing and the page frame.

use leche_core::artifact::{DatabaseArtifact, ModelsArtifact, DATABASE_FILE, MODELS_FILE};
use leche_core::upload::Batch;
use leche_core::{Database, Model, ModelId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::coverage;
use crate::interaction::{Kind, LogEntry};
use crate::pwa::{self, Change};
use crate::route::{self, Page};
use crate::routes::{datos::DatosPage, modelo::ModeloPage, predict::PredictPage, registros::RegistrosPage, retrain::Retraining};
use crate::seed::{self, SeedPlan};
use crate::store::{Meta, Store, StoreError};
use crate::web;

/// Where the artifacts are, relative to the page (works under a sub-path).
pub fn artifact_url(file: &str) -> String {
    format!("./artifacts/{file}")
}

/// Start-up progress.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Loading,
    Ready,
    Failed(String),
}

/// Whether the data the page shows is in IndexedDB.
#[derive(Clone, Debug, PartialEq)]
pub enum Persist {
    /// Being written (first visit, new deploy).
    Saving,
    Saved,
    /// The write failed; the page works with the data in memory until reload.
    Failed(String),
}

/// State shared by every page (provided as context; all fields are signals).
#[derive(Clone, Copy)]
pub struct Ctx {
    pub store: RwSignal<Option<Store>, LocalStorage>,
    pub phase: RwSignal<Phase>,
    /// The whole stored database, read from IndexedDB at start-up and again
    /// after every write: pages compute from this copy, so a prediction
    /// costs no IndexedDB round trip.
    pub db: RwSignal<Database>,
    pub models: RwSignal<Option<ModelsArtifact>>,
    pub meta: RwSignal<Meta>,
    /// `location.hash`, kept current by a `hashchange` listener.
    pub hash: RwSignal<String>,
    /// Uploads, oldest first, with their store keys.
    pub batches: RwSignal<Vec<(u32, Batch)>>,
    /// Bumped whenever the interaction log changes.
    pub log_rev: RwSignal<u32>,
    /// Whether what the page shows is stored in IndexedDB yet.
    pub persist: RwSignal<Persist>,
}

impl Ctx {
    fn new() -> Ctx {
        Ctx {
            store: RwSignal::new_local(None),
            phase: RwSignal::new(Phase::Loading),
            db: RwSignal::new(Database::default()),
            models: RwSignal::new(None),
            meta: RwSignal::new(Meta::default()),
            hash: RwSignal::new(web::hash()),
            batches: RwSignal::new(Vec::new()),
            log_rev: RwSignal::new(0),
            persist: RwSignal::new(Persist::Saved),
        }
    }

    /// The model with this id, if stored.
    pub fn model(&self, id: ModelId) -> Option<Model> {
        self.models.with_untracked(|m| m.as_ref().and_then(|m| m.models.iter().find(|x| x.id == id).cloned()))
    }

    /// The model the app opens with.
    pub fn default_model(&self) -> ModelId {
        self.models.with_untracked(|m| m.as_ref().map(|m| m.default_model)).unwrap_or(ModelId::Recommended)
    }

    /// Appends to the interaction log in the background.
    pub fn log(&self, kind: Kind, message: impl Into<String>, details: impl Into<String>) {
        let ctx = *self;
        let entry = LogEntry::new(web::now_iso(), kind, message, details);
        spawn_local(async move {
            let Some(store) = ctx.store.get_untracked() else { return };
            match store.append_log(&entry).await {
                Ok(()) => {
                    ctx.log_rev.update(|n| *n += 1);
                    pwa::notify_changed(Change::Log);
                }
                Err(e) => web_sys::console::warn_1(&format!("registro no guardado: {e}").into()),
            }
        });
    }

    /// Re-reads the database, models and meta from the store.
    pub async fn reload(&self) -> Result<(), StoreError> {
        let Some(store) = self.store.get_untracked() else {
            return Err(StoreError::Unavailable("no abierto".into()));
        };
        let db = store.read_database().await?;
        let models = store.read_models().await?;
        let meta = store.meta().await?;
        let batches = store.read_batches().await?;
        self.db.set(db);
        self.batches.set(batches);
        self.models.set(models);
        self.meta.set(meta);
        Ok(())
    }

    /// Replaces the stored shipped data with the published artifacts (reset),
    /// downloading them first; returns their version.
    pub async fn restore_shipped(&self) -> Result<String, String> {
        let store = self.store.get_untracked().ok_or("almacenamiento no disponible")?;
        let (database, models) = fetch_artifacts().await?;
        let entry = LogEntry::new(
            web::now_iso(),
            Kind::Reinicio,
            format!("Base de datos restaurada a los datos publicados (versión {}); cargas anteriores descartadas", database.version),
            coverage::summary(&database.tables),
        );
        // Uploaded batches go too: reset means the shipped data, exactly.
        store
            .replace_shipped(&database, &database.tables, &models, &[], &entry, &entry.time)
            .await
            .map_err(|e| e.to_string())?;
        self.log_rev.update(|n| *n += 1);
        pwa::notify_changed(Change::Data);
        self.reload().await.map_err(|e| e.to_string())?;
        Ok(database.version)
    }
}

/// Downloads both artifacts and checks that they belong together.
async fn fetch_artifacts() -> Result<(DatabaseArtifact, ModelsArtifact), String> {
    let database = web::Download::start(&artifact_url(DATABASE_FILE), true)?;
    let models = web::fetch_json(&artifact_url(MODELS_FILE), true).await?;
    matching(database, models).await
}

/// Finishes the database download and checks it matches `models`.
async fn matching(database: web::Download, models: ModelsArtifact) -> Result<(DatabaseArtifact, ModelsArtifact), String> {
    let database: DatabaseArtifact = database.json().await?;
    if database.version != models.version {
        return Err(format!(
            "los archivos publicados no coinciden (datos {}, modelos {}); recargue la página en unos minutos",
            database.version, models.version
        ));
    }
    Ok((database, models))
}

/// Opens the store and applies [`seed::plan`]: seed on the first visit,
/// replace the shipped data on a new deploy, else just read.
///
/// Both artifacts start downloading while IndexedDB opens (on a later visit
/// the database is a 304 from the HTTP cache, left unread: the small models
/// file says which version is published). On a first visit the page is usable as
/// soon as the artifacts are decoded, and the store is written behind it
/// ([`Ctx::persist`] says when it is done): writing ~1,100 rows takes longer
/// than everything else at start-up.
async fn boot(ctx: Ctx) {
    web::mark("leche:boot");
    let published = web::Download::start(&artifact_url(MODELS_FILE), true);
    let database = web::Download::start(&artifact_url(DATABASE_FILE), true);
    let store = match Store::open().await {
        Ok(s) => s,
        Err(e) => return ctx.phase.set(Phase::Failed(e.to_string())),
    };
    ctx.store.set(Some(store.clone()));
    let result = async {
        let meta = store.meta().await.map_err(|e| e.to_string())?;
        let published = match published {
            Ok(download) => download.json::<ModelsArtifact>().await,
            Err(e) => Err(e),
        };
        let published = match (published, &meta.artifact_version) {
            (Ok(m), _) => m,
            // Offline (or a broken deploy) with a seeded store: keep working with it.
            (Err(_), Some(_)) => return ctx.reload().await.map_err(|e| e.to_string()),
            (Err(e), None) => return Err(format!("No se pudieron descargar los datos iniciales: {e}")),
        };
        let version = published.version.clone();
        let (kind, message) = match seed::plan(meta.artifact_version.as_deref(), &version) {
            SeedPlan::Current => return ctx.reload().await.map_err(|e| e.to_string()),
            SeedPlan::FirstVisit => (
                Kind::CargaInicial,
                format!("Base de datos creada en este navegador con los datos publicados (versión {version})"),
            ),
            SeedPlan::NewDeploy { from, to } => (
                Kind::Actualizacion,
                format!("Nueva publicación: datos y modelos de la versión {from} reemplazados por los de la {to}; el registro de interacciones se conserva"),
            ),
        };
        let (database, models) = async { matching(database?, published).await }
            .await
            .map_err(|e| format!("No se pudieron descargar los datos: {e}"))?;
        // Rows users uploaded survive a new deploy: their batches are re-applied on top.
        let mut batches = store.read_batches().await.map_err(|e| e.to_string())?;
        let mut tables = database.tables.clone();
        let kept: usize = batches.iter_mut().filter(|(_, b)| !b.undone).map(|(_, b)| b.rebase(&mut tables)).sum();
        let message = if kept > 0 { format!("{message}; {kept} filas cargadas por usted se conservan") } else { message };
        // An adopted model was fitted on the old tables: the deploy's own replaces it
        // (only a store seeded before can hold one; a first visit skips the read).
        let adopted = meta.artifact_version.is_some()
            && store.read_models().await.ok().flatten().is_some_and(|m| m.adopted.is_some());
        let message = if adopted {
            format!("{message}; el modelo que usted reentrenó y adoptó se reemplaza por el publicado (puede reentrenar de nuevo)")
        } else {
            message
        };
        let entry = LogEntry::new(web::now_iso(), kind, message, coverage::summary(&tables));
        if meta.artifact_version.is_none() {
            // Nothing stored to keep: show the artifacts at once, store them behind.
            ctx.db.set(database.tables.clone());
            ctx.models.set(Some(models.clone()));
            ctx.phase.set(Phase::Ready);
            web::measure("leche:boot-usable", "leche:boot");
        }
        ctx.persist.set(Persist::Saving);
        store
            .replace_shipped(&database, &tables, &models, &batches, &entry, &entry.time)
            .await
            .map_err(|e| e.to_string())?;
        ctx.log_rev.update(|n| *n += 1);
        pwa::notify_changed(Change::Data);
        ctx.reload().await.map_err(|e| e.to_string())
    }
    .await;
    web::measure("leche:boot-stored", "leche:boot");
    match result {
        Ok(()) => {
            // Setting Ready again would rebuild the page and lose what the user did meanwhile.
            if ctx.phase.get_untracked() != Phase::Ready {
                ctx.phase.set(Phase::Ready);
            }
            ctx.persist.set(Persist::Saved);
        }
        // The page already shows the published data: say it is not stored.
        Err(message) if ctx.phase.get_untracked() == Phase::Ready => ctx.persist.set(Persist::Failed(message)),
        Err(message) => ctx.phase.set(Phase::Failed(message)),
    }
}

/// Installs the panic hook and mounts the app on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx::new();
    provide_context(ctx);
    Retraining::provide();
    let listener = window_event_listener(leptos::ev::hashchange, move |_| ctx.hash.set(web::hash()));
    on_cleanup(move || listener.remove());
    spawn_local(boot(ctx));
    let update = RwSignal::new_local(None);
    pwa::start(ctx, update);

    let page = Memo::new(move |_| route::parse(&ctx.hash.get()).page);
    let current = move |p: Page| move || (page.get() == p).then_some("page");
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
        <pwa::Banners update/>
        <main id="main" data-store=move || match ctx.persist.get() {
            Persist::Saving => "saving",
            Persist::Saved => "saved",
            Persist::Failed(_) => "failed",
        }>
            {move || match ctx.persist.get() {
                Persist::Saving => Some(view! {
                    <p class="note" role="status" id="persist">"Guardando los datos en este navegador…"</p>
                }.into_any()),
                Persist::Failed(message) => Some(view! {
                    <p class="alert" role="alert" id="persist">
                        "Los datos no se pudieron guardar en este navegador (" {message}
                        "); puede usar la página, pero al recargarla se volverán a descargar."
                    </p>
                }.into_any()),
                Persist::Saved => None,
            }}
            {move || match ctx.phase.get() {
                Phase::Loading => view! { <p class="loading" role="status">"Cargando datos…"</p> }.into_any(),
                Phase::Failed(message) => view! {
                    <div class="fatal" role="alert" id="fatal">
                        <h1>"No se pudo iniciar"</h1>
                        <p>{message}</p>
                        <p>"Recargue la página; si el problema sigue, pruebe otro navegador o salga del modo privado."</p>
                    </div>
                }.into_any(),
                Phase::Ready => match page.get() {
                    Page::Predict => view! { <PredictPage/> }.into_any(),
                    Page::Datos => view! { <DatosPage/> }.into_any(),
                    Page::Modelo => view! { <ModeloPage/> }.into_any(),
                    Page::Registros => view! { <RegistrosPage/> }.into_any(),
                },
            }}
        </main>
        <footer class="foot">
            <p>"Todo se calcula en su navegador; los datos no salen de este equipo. Precios en CLP por litro, nominales, sin IVA."</p>
            <pwa::StorageLine/>
        </footer>
    }
}
