#!/usr/bin/env bash
# The benchmarks (never part of scripts/test.sh): the browser figures of
# e2e/tests/perf.spec.js (cold and warm load, predictions, first-visit bytes,
# uploads, retraining against the native trainer) in headless Chromium
# against the release dist/, and the trainer's bench binary. Builds what they
# need first; prints every figure (PERF… lines, the trainer's medians, and a
# summary) and writes e2e/test-results/perf.json. Numbers, never assertions:
# run it on a quiet machine and read the ranges. Needs the challenge CSVs in
# LECHE_DATA (default data/).
#   scripts/bench.sh             everything
#   scripts/bench.sh browser     only the Playwright benchmark
#   scripts/bench.sh trainer     only the trainer bench
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
case "$what" in all | browser | trainer) ;; *) echo "usage: scripts/bench.sh [all|browser|trainer]" >&2; exit 2 ;; esac
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export LECHE_DATA="${LECHE_DATA:-data}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

for f in precipitaciones.csv banco_central.csv precio_leche.csv; do
  [ -f "$LECHE_DATA/$f" ] || { echo "bench: no $LECHE_DATA/$f: set LECHE_DATA to the folder with the challenge CSVs" >&2; exit 1; }
done

if [ "$what" != trainer ]; then
  step "release build of the site (dist/) and of the trainer (the retrain figure compares with it)"
  trunk build --release --offline
  cargo build --release --offline -p trainer
  step "browser benchmark: e2e/tests/perf.spec.js (headless Chromium, ${LECHE_SERVER:-static} server)"
  (cd e2e && LECHE_BENCH=1 npx playwright test tests/perf.spec.js)
  step "summary (e2e/test-results/perf.json)"
  node -e '
    const p = require("./e2e/test-results/perf.json");
    const ms = (s) => `median ${s.median} ms (min ${s.min}, max ${s.max}, ${s.runs.length} runs)`;
    const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
    const b = p.first_visit_bytes;
    console.log(`${p.chromium}, ${p.date}`);
    console.log(`cold load → usable            ${ms(p.cold_load_ms)}`);
    console.log(`warm reload                   ${ms(p.warm_load_ms)}`);
    console.log(`full-range prediction (74)    ${ms(p.predict_full_range_ms)}`);
    console.log(`one-month prediction          ${ms(p.predict_one_month_ms)}`);
    console.log(`first visit bytes             raw ${kb(b.raw)}, gzip -9 ${kb(b.gzip)}, brotli 11 ${kb(b.brotli)}; stored .gz ${kb(b.precompressed_gzip)}, .br ${kb(b.precompressed_brotli)}`);
  '
fi

if [ "$what" != browser ]; then
  for bench in pipeline paste model_check; do
    step "native benchmark: cargo bench -p trainer --bench $bench"
    cargo bench --offline -p trainer --bench "$bench"
  done
fi
