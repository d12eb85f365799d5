//! `public/snapshot.html` (the home page before the app, put into
//! `index.html` after each build) is what the committed artifacts render
//! to: a new trainer run without `cargo run -p leche --bin snapshot` fails here.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

#[test]
fn the_committed_snapshot_matches_the_artifacts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let want = leche::view::snapshot::from_artifacts(&root.join("public/artifacts")).expect("artifacts render");
    let have = std::fs::read_to_string(root.join("public/snapshot.html")).unwrap_or_default();
    assert!(have == want, "public/snapshot.html is stale: regenerate it with `cargo run -p leche --bin snapshot`");
    assert!(want.contains("id=\"headline\""), "the snapshot shows the next month's forecast");
}
