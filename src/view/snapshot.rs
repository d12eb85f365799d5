//! The page before the app: a static snapshot of the home page — the
//! published next-month forecast with its bands, the fan chart and its
//! table, which data version it shows — written into `index.html` after
//! each build (scripts/pwa_postbuild.py puts `public/snapshot.html` where
//! [`MARKER`] is). The visitor sees the forecast before any JavaScript or
//! WebAssembly has loaded, and still sees it with JavaScript disabled.
//!
//! It is the first paint and stays the page: a small inline script
//! (`public/first_paint.js`, run before anything is painted) writes what only
//! the visitor's browser knows — how old the data are by today's clock, the
//! notice that they are old, another page's address — and the app, once it
//! starts, takes the card's nodes over (`crate::routes::predict`) when its
//! own card would be the same markup, which [`Card::key`] tells: nothing the
//! visitor sees is drawn a second time, so the largest paint is the first.
//! Both come from [`crate::view::ahead_html`], with the same element ids;
//! after uploads the app's card is the user's and replaces it.
//!
//! `cargo run -p leche --bin snapshot` rewrites `public/snapshot.html` from
//! `public/artifacts/`; `tests/snapshot.rs` fails when it is stale.

use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};
use leche_core::{Database, Forecast};

use crate::view::ahead_html::{fan_html, head_html, tail_html, DETAIL_HINT};
use crate::view::chart::escape;
use crate::view::format::MONTH_NAMES;
use crate::view::freshness::{stale_notice_html, STALE_AFTER};

/// Where the post-build step puts the snapshot in `index.html`.
pub const MARKER: &str = "<!-- leche:snapshot -->";

/// The months-ahead card without today (the snapshot's script writes the
/// data's age): what the snapshot draws, and what the app compares its own
/// card with before taking the snapshot's nodes over.
pub struct Card {
    pub head: String,
    pub fan: String,
    pub tail: String,
}

impl Card {
    /// `why`: the hash naming the fan's model, for the «¿Por qué?» link.
    pub fn new(db: &Database, fan: &[Forecast], why: Option<&str>) -> Card {
        Card { head: head_html(db, fan, None, why), fan: fan_html(db, fan, None), tail: tail_html(fan) }
    }

    /// A digest of the card's markup (64-bit FNV-1a, hex): equal keys, the
    /// same card to the character.
    pub fn key(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [&self.head, &self.fan, &self.tail] {
            for byte in part.bytes().chain([0]) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }
}

/// The snapshot of the home page for the published artifacts.
pub fn page(database: &DatabaseArtifact, models: &ModelsArtifact) -> String {
    let fan = models
        .models
        .iter()
        .find(|m| m.id == models.default_model)
        .map(|m| m.fan(&database.tables))
        .unwrap_or_default();
    let db = &database.tables;
    let last_price = db.milk_price.keys().next_back().copied();
    let card = Card::new(db, &fan, Some(&format!("#/?modelo={}", models.default_model.key())));
    // The notice for old data, as a template: the script fills in today and shows it when the data are old.
    let notice = last_price.map(|last| stale_notice_html(db, Some(last.offset(STALE_AFTER + 1)))).unwrap_or_default();
    format!(
        concat!(
            "<header class=\"top\"><p class=\"brand\">Leche<span class=\"tagline\"> · precio de la leche en Chile</span></p>",
            "<nav aria-label=\"Secciones\"><a href=\"#/\" aria-current=\"page\">Pronóstico</a><a href=\"#/datos\">Datos</a>",
            "<a href=\"#/modelo\">Modelo</a><a href=\"#/registros\">Registros</a></nav></header>\n",
            "<main class=\"snapshot\" id=\"snapshot-main\" data-months=\"{months}\"><h1>Pronóstico del precio de la leche</h1>\n",
            "<div class=\"stale\" id=\"snapshot-stale\"></div><template id=\"snapshot-stale-template\">{notice}</template>\n",
            "<section class=\"card headline-card\" aria-labelledby=\"headline-title\" id=\"snapshot-card\" data-content=\"{key}\">",
            "<div class=\"card-body\" id=\"snapshot-head\">{head}</div>\n",
            "<div class=\"chart-wrap\" id=\"snapshot-fan\">{fan}</div>\n",
            "<p class=\"hint\">{hint}</p><div class=\"card-body\" id=\"snapshot-tail\">{tail}</div></section>\n",
            "<p class=\"note\" id=\"snapshot-version\" data-version=\"{version}\">Pronóstico publicado con los datos de la versión {version} ",
            "(último precio: {last}).</p>\n",
            "<p class=\"loading\" role=\"status\" id=\"snapshot-loading\">Cargando la sección…</p>\n",
            "<noscript><p class=\"alert\">Arriba está el pronóstico publicado. Para consultar otros meses, cargar datos o ver el ",
            "modelo, active JavaScript: todo se calcula en su navegador con WebAssembly.</p></noscript></main>\n"
        ),
        months = MONTH_NAMES.join(","),
        notice = notice,
        key = card.key(),
        head = card.head,
        // It cannot measure its box: drawn for a narrow and a wide one (style.css shows one).
        fan = card.fan,
        hint = DETAIL_HINT,
        tail = card.tail,
        version = escape(&models.version),
        last = escape(&last_price.map(|m| m.to_string()).unwrap_or_else(|| "—".into())),
    )
}

/// Why the snapshot could not be rendered from the artifacts.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("no se pudo leer {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{file} no tiene el formato esperado: {source}")]
    Format { file: &'static str, source: serde_json::Error },
}

/// Reads the artifacts in `dir` and renders the snapshot (native tools only).
#[cfg(not(target_arch = "wasm32"))]
pub fn from_artifacts(dir: &std::path::Path) -> Result<String, SnapshotError> {
    use leche_core::artifact::{DATABASE_FILE, MODELS_FILE};
    fn read<T: serde::de::DeserializeOwned>(dir: &std::path::Path, file: &'static str) -> Result<T, SnapshotError> {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|source| SnapshotError::Read { path: path.display().to_string(), source })?;
        serde_json::from_str(&text).map_err(|source| SnapshotError::Format { file, source })
    }
    let database: DatabaseArtifact = read(dir, DATABASE_FILE)?;
    let models: ModelsArtifact = read(dir, MODELS_FILE)?;
    Ok(page(&database, &models))
}
