//! The upload validator's Web Worker entry (see `leche::parser_worker`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    leche::parser_worker::serve();
}
