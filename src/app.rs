//! The app shell: shared state, start-up (open the store, seed it when the
//! artifacts are new), hash routing and the page frame.

use leche_core::artifact::{DatabaseArtifact, ModelsArtifact, DATABASE_FILE, MODELS_FILE};
use leche_core::{Database, Model, ModelId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::coverage;
use crate::interaction::{Kind, LogEntry};
use crate::route::{self, Page};
use crate::routes::{datos::DatosPage, predict::PredictPage, registros::RegistrosPage};
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

/// State shared by every page (provided as context; all fields are signals).
#[derive(Clone, Copy)]
pub struct Ctx {
    pub store: RwSignal<Option<Store>, LocalStorage>,
    pub phase: RwSignal<Phase>,
    /// The whole stored database (the data page and the headline read it;
    /// predictions read their months from IndexedDB).
    pub db: RwSignal<Database>,
    pub models: RwSignal<Option<ModelsArtifact>>,
    pub meta: RwSignal<Meta>,
    /// `location.hash`, kept current by a `hashchange` listener.
    pub hash: RwSignal<String>,
    /// Bumped whenever the interaction log changes.
    pub log_rev: RwSignal<u32>,
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
            log_rev: RwSignal::new(0),
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
                Ok(()) => ctx.log_rev.update(|n| *n += 1),
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
        self.db.set(db);
        self.models.set(models);
        self.meta.set(meta);
        Ok(())
    }

    /// Replaces the stored shipped data with the published artifacts (reset),
    /// downloading them first; returns their version.
    pub async fn restore_shipped(&self) -> Result<String, String> {
        let store = self.store.get_untracked().ok_or("almacenamiento no disponible")?;
        let (database, models) = fetch_artifacts(None).await?;
        let entry = LogEntry::new(
            web::now_iso(),
            Kind::Reinicio,
            format!("Base de datos restaurada a los datos publicados (versión {})", database.version),
            coverage::summary(&database.tables),
        );
        store.replace_shipped(&database, &models, &entry, &entry.time).await.map_err(|e| e.to_string())?;
        self.log_rev.update(|n| *n += 1);
        self.reload().await.map_err(|e| e.to_string())?;
        Ok(database.version)
    }
}

/// Downloads both artifacts (the models unless already at hand) and checks
/// that they belong together.
async fn fetch_artifacts(models: Option<ModelsArtifact>) -> Result<(DatabaseArtifact, ModelsArtifact), String> {
    let models: ModelsArtifact = match models {
        Some(m) => m,
        None => web::fetch_json(&artifact_url(MODELS_FILE), true).await?,
    };
    let database: DatabaseArtifact = web::fetch_json(&artifact_url(DATABASE_FILE), true).await?;
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
async fn boot(ctx: Ctx) {
    let store = match Store::open().await {
        Ok(s) => s,
        Err(e) => return ctx.phase.set(Phase::Failed(e.to_string())),
    };
    ctx.store.set(Some(store.clone()));
    if let Err(message) = sync(&store).await {
        return ctx.phase.set(Phase::Failed(message));
    }
    match ctx.reload().await {
        Ok(()) => ctx.phase.set(Phase::Ready),
        Err(e) => ctx.phase.set(Phase::Failed(e.to_string())),
    }
}

async fn sync(store: &Store) -> Result<(), String> {
    let meta = store.meta().await.map_err(|e| e.to_string())?;
    // The small models file says which version is published.
    let published: Result<ModelsArtifact, String> = web::fetch_json(&artifact_url(MODELS_FILE), true).await;
    let published = match (published, &meta.artifact_version) {
        (Ok(m), _) => m,
        // Offline (or a broken deploy) with a seeded store: keep working with it.
        (Err(_), Some(_)) => return Ok(()),
        (Err(e), None) => return Err(format!("No se pudieron descargar los datos iniciales: {e}")),
    };
    let version = published.version.clone();
    let kind_message = match seed::plan(meta.artifact_version.as_deref(), &version) {
        SeedPlan::Current => return Ok(()),
        SeedPlan::FirstVisit => {
            (Kind::CargaInicial, format!("Base de datos creada en este navegador con los datos publicados (versión {version})"))
        }
        SeedPlan::NewDeploy { from, to } => (
            Kind::Actualizacion,
            format!("Nueva publicación: datos y modelos de la versión {from} reemplazados por los de la {to}; el registro de interacciones se conserva"),
        ),
    };
    let (database, models) = fetch_artifacts(Some(published)).await.map_err(|e| format!("No se pudieron descargar los datos: {e}"))?;
    let entry = LogEntry::new(web::now_iso(), kind_message.0, kind_message.1, coverage::summary(&database.tables));
    store.replace_shipped(&database, &models, &entry, &entry.time).await.map_err(|e| e.to_string())
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
    let listener = window_event_listener(leptos::ev::hashchange, move |_| ctx.hash.set(web::hash()));
    on_cleanup(move || listener.remove());
    spawn_local(boot(ctx));

    let page = Memo::new(move |_| route::parse(&ctx.hash.get()).page);
    let current = move |p: Page| move || (page.get() == p).then_some("page");
    view! {
        <header class="top">
            <p class="brand">"Leche"<span class="tagline">" · precio de la leche en Chile"</span></p>
            <nav aria-label="Secciones">
                <a href="#/" aria-current=current(Page::Predict)>"Pronóstico"</a>
                <a href="#/datos" aria-current=current(Page::Datos)>"Datos"</a>
                <a href="#/registros" aria-current=current(Page::Registros)>"Registros"</a>
            </nav>
        </header>
        <main id="main">
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
                    Page::Registros => view! { <RegistrosPage/> }.into_any(),
                },
            }}
        </main>
        <footer class="foot">
            <p>"Todo se calcula en su navegador; los datos no salen de este equipo. Precios en CLP por litro, nominales, sin IVA."</p>
        </footer>
    }
}
