#!/usr/bin/env bash
# Every test: native (library, trainer, app helpers), wasm in headless
# Chromium (wasm-bindgen-test: the shared library and the IndexedDB store),
# and end to end (Playwright driving the release dist/ in Debian's Chromium).
# Installs what is missing first. The challenge CSVs are read from LECHE_DATA
# (default data/); under CI=true their absence is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export LECHE_DATA="${LECHE_DATA:-data}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# Playwright must use the system Chromium and never download one.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "native tests: library, trainer, web-app helpers (data: $LECHE_DATA)"
cargo test --workspace
step "wasm tests in headless Chromium: shipped models give the trainer's bits"
cargo test -p leche-core --target wasm32-unknown-unknown --test shipped_models
step "wasm tests in headless Chromium: the IndexedDB store"
cargo test -p leche --target wasm32-unknown-unknown --test store
step "release build of the site (dist/)"
trunk build --release --offline
step "release build of the trainer (the end-to-end tests compare the browser with it)"
cargo build --release --offline -p trainer
step "end-to-end tests: Playwright against dist/ on 127.0.0.1"
(cd e2e && npx playwright test)
