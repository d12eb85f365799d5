//! What a restore or a published download pays to trust the shipped models:
//! `Model::check_on` (the shape check, then every forecast of the history
//! and the fan on the shipped tables) for each model, and for both — the
//! target is 5 ms natively. A bench binary, not a timed test (the machine's
//! load moves the figure); no data files needed: it reads `public/artifacts`.
//!
//! `cargo bench -p trainer --bench model_check`

mod timing;

use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};

const DATABASE: &str = include_str!("../../public/artifacts/database.json");
const MODELS: &str = include_str!("../../public/artifacts/models.json");

use timing::bench;

fn main() {
    let database: DatabaseArtifact = serde_json::from_str(DATABASE).unwrap_or_else(|e| panic!("database.json: {e}"));
    let models: ModelsArtifact = serde_json::from_str(MODELS).unwrap_or_else(|e| panic!("models.json: {e}"));
    let db = &database.tables;
    for m in &models.models {
        if let Err(e) = m.check_on(db) {
            panic!("a shipped model fails its check: {e}");
        }
        bench(&format!("check (shape): {:?}", m.id), 200, || m.check());
        bench(&format!("check_on (shape + use): {:?}", m.id), 200, || m.check_on(db));
    }
    bench("check_on (shape + use): every shipped model", 200, || models.models.iter().map(|m| m.check_on(db)).collect::<Vec<_>>());
}
