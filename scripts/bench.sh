#!/usr/bin/env bash
# The benchmarks (never part of scripts/test.sh): the browser figures of
# e2e/tests/perf.spec.js (cold and warm load, predictions, first-visit bytes,
# uploads, retraining against the native trainer) in headless Chromium
# against the release dist/, and the trainer's bench binary. Builds what they
# need first; prints every figure (PERF… lines, the trainer's medians, and a
# summary), writes e2e/test-results/perf.json and docs/benchmarks.md (every
# figure of this run, with the date, the machine and how much of its CPU the
# host took back meanwhile: the one place raw figures live; docs/performance.md
# holds the goals and what the figures mean). Numbers, never assertions:
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
# Every figure of the run, gathered for docs/benchmarks.md.
figures="$(mktemp)"
trap 'rm -f "$figures" "$figures.browser"' EXIT
stolen() { awk '/^cpu /{print $9}' /proc/stat 2>/dev/null || echo 0; }
steal_before="$(stolen)"
started="$(date +%s)"

for f in precipitaciones.csv banco_central.csv precio_leche.csv; do
  [ -f "$LECHE_DATA/$f" ] || { echo "bench: no $LECHE_DATA/$f: set LECHE_DATA to the folder with the challenge CSVs" >&2; exit 1; }
done

if [ "$what" != trainer ]; then
  step "release build of the site (dist/) and of the trainer (the retrain figure compares with it)"
  trunk build --release --offline
  cargo build --release --offline -p trainer
  step "browser benchmark: e2e/tests/perf.spec.js (headless Chromium, ${LECHE_SERVER:-static} server)"
  (cd e2e && LECHE_BENCH=1 npx playwright test tests/perf.spec.js) | tee "$figures.browser"
  step "summary (e2e/test-results/perf.json)"
  { echo "### Browser (scripts/bench.sh browser)"; echo; echo '```'; } >>"$figures"
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
  ' | tee -a "$figures"
  grep -ho 'PERF_[A-Z_]* .*' "$figures.browser" >>"$figures" || true
  echo '```' >>"$figures"
fi

if [ "$what" != browser ]; then
  for bench in pipeline paste model_check; do
    step "native benchmark: cargo bench -p trainer --bench $bench"
    { echo; echo "### cargo bench -p trainer --bench $bench"; echo; echo '```'; } >>"$figures"
    cargo bench --offline -p trainer --bench "$bench" | tee -a "$figures"
    echo '```' >>"$figures"
  done
fi

elapsed=$(( $(date +%s) - started ))
stolen_s=$(( ($(stolen) - steal_before) / $(getconf CLK_TCK) ))
{
  echo "# Benchmarks, as last measured"
  echo
  echo "*Written by \`scripts/bench.sh $what\` — do not edit. What the figures mean and the goals they meet or miss: [performance.md](performance.md).*"
  echo
  echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo 2>/dev/null)"
  echo "- CPU time the host took back (steal) during the ${elapsed} s run: ${stolen_s} s over all cores — wall times are upper bounds when it is large"
  echo
  cat "$figures"
} >docs/benchmarks.md
echo "bench: figures written to docs/benchmarks.md"

