#!/usr/bin/env bash
# Every test: native (library, trainer, app helpers); wasm in headless
# Chromium and headless Firefox ESR (wasm-bindgen-test: the shared library
# and the IndexedDB store); end to end, Playwright in Debian's Chromium against
# the release dist/ on a plain static server and again behind Debian's nginx
# with the deploy/ configuration (plus its header checks); a Firefox smoke
# (puppeteer-core over WebDriver BiDi) on both servers; and the deploy
# configuration's own check; a short fuzzing run. Benchmarks are not here:
# scripts/bench.sh.
# Installs what is missing first. The challenge CSVs are read from LECHE_DATA
# (default data/); under CI=true their absence is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export LECHE_DATA="${LECHE_DATA:-data}"
chromedriver="${CHROMEDRIVER:-/usr/bin/chromedriver}"
geckodriver="${GECKODRIVER:-$(command -v geckodriver)}"
export FIREFOX_PATH="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
# Playwright must use the system Chromium and never download one.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

# Each step says when it starts (the time since the test command started).
step() { printf '\n\033[1m== %s\033[0m  [%dm%02ds]\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }
# wasm-bindgen-test-runner takes the first driver named by GECKODRIVER,
# SAFARIDRIVER, CHROMEDRIVER (in that order), else the first found on PATH,
# where ~/.cargo/bin/geckodriver would win: name exactly one.
in_chromium() { env -u GECKODRIVER CHROMEDRIVER="$chromedriver" "$@"; }
in_firefox() { env -u CHROMEDRIVER GECKODRIVER="$geckodriver" GECKODRIVER_ARGS="--binary=$FIREFOX_PATH" "$@"; }

# The data-dependent tests are #[ignore = "needs LECHE_DATA"]: they run when
# the challenge CSVs are there, and their absence fails a CI run.
data_tests=()
if [ -f "$LECHE_DATA/precio_leche.csv" ] && [ -f "$LECHE_DATA/banco_central.csv" ] && [ -f "$LECHE_DATA/precipitaciones.csv" ]; then
  data_tests=(-- --include-ignored)
elif [ "${CI:-}" = true ]; then
  echo "!!! the challenge CSVs are not in LECHE_DATA=$LECHE_DATA: CI needs them (see data/README.md)" >&2
  exit 1
else
  printf '\n\033[1;33m!!! the challenge CSVs are not in LECHE_DATA=%s: the tests that need them are SKIPPED (see data/README.md)\033[0m\n' "$LECHE_DATA"
fi

step "native tests: library, trainer, web-app helpers (data: $LECHE_DATA)"
cargo test --workspace "${data_tests[@]}"
step "fuzzing, short run: hostile uploads, backups, pastes, models, queries and views (50 s; a long run: docs/fuzzing.md)"
cargo run -q -p leche-fuzz --bin fuzz -- --seconds 50
for browser in chromium firefox; do
  step "wasm tests in headless $browser: shipped models give the trainer's bits"
  "in_$browser" cargo test -p leche-core --target wasm32-unknown-unknown --test shipped_models
  step "wasm tests in headless $browser: the IndexedDB store"
  "in_$browser" cargo test -p leche --target wasm32-unknown-unknown --test store
done
step "release build of the site (dist/, with precompressed .gz/.br)"
trunk build --release --offline
step "release build of the trainer (the end-to-end tests compare the browser with it)"
cargo build --release --offline -p trainer
step "deploy/: the nginx examples pass nginx -t in the Dockerfile's layout"
deploy/check.sh
step "end-to-end tests: Playwright (Chromium) against dist/ on a plain static server"
(cd e2e && LECHE_SERVER=static npx playwright test)
step "end-to-end tests: Playwright (Chromium) against dist/ behind nginx with deploy/ (headers checked)"
(cd e2e && LECHE_SERVER=nginx npx playwright test)
step "debug build of the site (dist-debug/: its test-only query panics on purpose)"
trunk build --offline --dist dist-debug
step "end-to-end: a panic's crash screen and the recovery after it (Playwright, Chromium, debug build)"
(cd e2e && LECHE_DIST=../dist-debug LECHE_CRASH_TEST=1 npx playwright test crash.spec.js)
for server in static nginx; do
  step "end-to-end smoke in Firefox ESR (puppeteer-core, WebDriver BiDi), $server server"
  (cd e2e && LECHE_SERVER=$server node --test firefox/smoke.test.js)
done
