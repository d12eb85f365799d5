//! Writes `public/snapshot.html`, the home page before the app, from the
//! published artifacts (see `leche::view::snapshot`). Run after the trainer:
//! `cargo run -p leche --bin snapshot`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::path::Path;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match leche::view::snapshot::from_artifacts(&root.join("public/artifacts")) {
        Ok(html) => match std::fs::write(root.join("public/snapshot.html"), html) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("no se pudo escribir public/snapshot.html: {e}");
                std::process::ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
