#!/usr/bin/env bash
# Every test that the committed code has: native (library, trainer, app
# helpers) and wasm in headless Chromium (wasm-bindgen-test). Installs what is
# missing first. The challenge CSVs are read from LECHE_DATA (default data/);
# under CI=true their absence is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh wasm-tests
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export LECHE_DATA="${LECHE_DATA:-data}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "native tests: library, trainer, web-app helpers (data: $LECHE_DATA)"
cargo test --workspace
step "the library builds for wasm32"
cargo build -p leche-core --target wasm32-unknown-unknown
step "wasm tests in headless Chromium: shipped models give the trainer's bits"
cargo test -p leche-core --target wasm32-unknown-unknown --test shipped_models
