//! The page before the app: a static snapshot of the home page — the
//! published next-month forecast with its bands, the fan chart and its
//! table, which data version it shows — written into `index.html` after
//! each build (scripts/pwa_postbuild.py puts `public/snapshot.html` where
//! [`MARKER`] is). The visitor sees the forecast before any JavaScript or
//! WebAssembly has loaded, and still sees it with JavaScript disabled.
//! The app mounts hidden beside it and takes its place in one step once it
//! can show its own page (no flash): with the shipped data the two are the
//! same, since both come from [`crate::view::ahead_html`]; after uploads the app's is
//! the user's.
//!
//! `cargo run -p leche --bin snapshot` rewrites `public/snapshot.html` from
//! `public/artifacts/`; `tests/snapshot.rs` fails when it is stale.

use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};

use crate::view::ahead_html::{fan_html, head_html, tail_html, DETAIL_HINT};
use crate::view::chart::escape;

/// Where the post-build step puts the snapshot in `index.html`.
pub const MARKER: &str = "<!-- leche:snapshot -->";

/// The snapshot of the home page for the published artifacts.
pub fn page(database: &DatabaseArtifact, models: &ModelsArtifact) -> String {
    let fan = models
        .models
        .iter()
        .find(|m| m.id == models.default_model)
        .map(|m| m.fan(&database.tables))
        .unwrap_or_default();
    let last_price = database.tables.milk_price.keys().next_back().map(|m| m.to_string()).unwrap_or_else(|| "—".into());
    let db = &database.tables;
    format!(
        concat!(
            "<header class=\"top\"><p class=\"brand\">Leche<span class=\"tagline\"> · precio de la leche en Chile</span></p>",
            "<nav aria-label=\"Secciones\"><a href=\"#/\" aria-current=\"page\">Pronóstico</a><a href=\"#/datos\">Datos</a>",
            "<a href=\"#/modelo\">Modelo</a><a href=\"#/registros\">Registros</a></nav></header>\n",
            "<main class=\"snapshot\"><h1>Pronóstico del precio de la leche</h1>\n",
            "<section class=\"card headline-card\" aria-labelledby=\"snapshot-headline-title\"><div class=\"card-body\">{head}</div>\n",
            "<div class=\"chart-wrap\">{fan}</div>\n",
            "<p class=\"hint\">{hint}</p><div class=\"card-body\">{tail}</div></section>\n",
            "<p class=\"note\" id=\"snapshot-version\" data-version=\"{version}\">Pronóstico publicado con los datos de la versión {version} ",
            "(último precio: {last}).</p>\n",
            "<noscript><p class=\"alert\">Arriba está el pronóstico publicado. Para consultar otros meses, cargar datos o ver el ",
            "modelo, active JavaScript: todo se calcula en su navegador con WebAssembly.</p></noscript></main>\n"
        ),
        head = head_html(db, &fan, None, "snapshot-", Some(&format!("#/?modelo={}", models.default_model.key()))),
        // It cannot measure its box: drawn for a narrow and a wide one (style.css shows one).
        fan = fan_html(db, &fan, "snapshot-", None),
        hint = DETAIL_HINT,
        tail = tail_html(&fan, "snapshot-"),
        version = escape(&models.version),
        last = escape(&last_price),
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
