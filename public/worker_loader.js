// Starts a Web Worker of the `worker` module (src/bin/worker.rs, built by
// trunk as worker.js + worker_bg.wasm; src/worker/mod.rs creates workers from
// this file). Ours rather than trunk's loader shim, which initialises with the
// argument form wasm-bindgen has deprecated and warns in the console once per
// worker.
importScripts('./worker.js');
wasm_bindgen({ module_or_path: './worker_bg.wasm' });
