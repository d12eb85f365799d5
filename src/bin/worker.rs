//! The Web Worker entry for the long jobs (see `leche::worker`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    leche::worker::serve();
}
