#!/usr/bin/env bash
# The benchmarks (never part of scripts/test.sh): the browser figures of
# e2e/tests/perf.spec.js (cold and warm load, predictions, first-visit bytes,
# uploads, retraining against the native trainer) in headless Chromium
# against the release dist/, Lighthouse's mobile and desktop profiles against
# the same build behind deploy/nginx (e2e/lighthouse.js: 3 cold visits each,
# medians), and the trainer's bench binary. Builds what they need first
# (Lighthouse 12.2.3 into tools/lighthouse/ on first use); prints every figure
# (PERF… lines, the trainer's medians, and a summary), writes
# e2e/test-results/perf.json, lighthouse.json and docs/benchmarks.md (every
# figure of this run, with the date, the machine and how much of its CPU the
# host took back meanwhile: the one place raw figures live; the sections of
# a part not run are kept as they were; docs/performance.md holds the goals
# and what the figures mean). Numbers, never assertions: run it on a quiet
# machine and read the ranges. Needs the challenge CSVs in LECHE_DATA
# (default data/).
#   scripts/bench.sh             everything
#   scripts/bench.sh browser     only the Playwright benchmark
#   scripts/bench.sh lighthouse  only Lighthouse (mobile and desktop, home page)
#   scripts/bench.sh trainer     only the trainer bench
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
case "$what" in all | browser | lighthouse | trainer) ;; *) echo "usage: scripts/bench.sh [all|browser|lighthouse|trainer]" >&2; exit 2 ;; esac
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export LECHE_DATA="${LECHE_DATA:-data}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Every figure of the run, gathered for docs/benchmarks.md.
figures="$(mktemp)"
trap 'rm -f "$figures" "$figures.browser" "$figures.lighthouse" "$figures.new"' EXIT
stolen() { awk '/^cpu /{print $9}' /proc/stat 2>/dev/null || echo 0; }
steal_before="$(stolen)"
# Other work on the machine (parallel builds) slows every figure: the load is reported too.
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
started="$(date +%s)"

for f in precipitaciones.csv banco_central.csv precio_leche.csv; do
  [ -f "$LECHE_DATA/$f" ] || { echo "bench: no $LECHE_DATA/$f: set LECHE_DATA to the folder with the challenge CSVs" >&2; exit 1; }
done

if [ "$what" = all ] || [ "$what" = browser ] || [ "$what" = lighthouse ]; then
  step "release build of the site (dist/) and of the trainer (the retrain figure compares with it)"
  trunk build --release --offline
  cargo build --release --offline -p trainer
fi

if [ "$what" = all ] || [ "$what" = browser ]; then
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

if [ "$what" = all ] || [ "$what" = lighthouse ]; then
  [ -x tools/lighthouse/node_modules/.bin/lighthouse ] || { step "installing Lighthouse 12.2.3 (tools/lighthouse/)"; npm ci --prefix tools/lighthouse --no-audit --no-fund; }
  step "Lighthouse, mobile and desktop, against dist/ behind deploy/nginx (e2e/lighthouse.js)"
  LECHE_SERVER=nginx node e2e/lighthouse.js | tee "$figures.lighthouse"
  { echo; echo "### Lighthouse (scripts/bench.sh lighthouse)"; echo; echo '```'; cat "$figures.lighthouse"; echo '```'; } >>"$figures"
fi

if [ "$what" = all ] || [ "$what" = trainer ]; then
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
  echo "- load average (1, 5, 15 min) at the start: ${load_before}; at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) — above the $(nproc) cores, other work competed for the CPU"
  echo
  cat "$figures"
} >"$figures.new"
# The sections of the parts not run this time stay, marked with the run that wrote them.
python3 - "$figures.new" docs/benchmarks.md <<'PY'
import re, sys
new_path, old_path = sys.argv[1], sys.argv[2]
new = open(new_path, encoding="utf-8").read()
try:
    old = open(old_path, encoding="utf-8").read()
except FileNotFoundError:
    old = ""
section = re.compile(r"^### .*$", re.M)
def sections(text):
    heads = list(section.finditer(text))
    return {m.group(0): text[m.start():(heads[i + 1].start() if i + 1 < len(heads) else len(text))].rstrip() + "\n" for i, m in enumerate(heads)}
ran = sections(new)
when = re.search(r"^- when: (.*)$", old, re.M)
kept = [body if "*(kept from an earlier run" in body else body.replace("\n", f"\n\n*(kept from an earlier run: {when.group(1) if when else 'date unknown'})*\n", 1)
        for head, body in sections(old).items() if head not in ran]
out = new.rstrip() + "\n" + "".join("\n" + k for k in kept)
open(old_path, "w", encoding="utf-8").write(out)
PY
echo "bench: figures written to docs/benchmarks.md"

