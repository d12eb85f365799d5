#!/usr/bin/env bash
# What the wasm is made of, and what a first visit downloads: builds both wasm
# binaries with names kept, prints bytes per crate (twiggy, installed on first
# use), then the raw, gzip -9 and brotli sizes of every file of dist/ (build
# it first with `trunk build --release --offline` or scripts/serve.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for bin in leche worker; do
  cargo build --offline --quiet --profile wasm-release --target wasm32-unknown-unknown --bin "$bin"
  wasm-bindgen --target web --out-dir "$out" "target/wasm32-unknown-unknown/wasm-release/$bin.wasm"
  echo "== $bin: bytes per crate"
  twiggy top -n 1000000 --format csv "$out/${bin}_bg.wasm" | python3 scripts/wasm_size.py
  echo
done
if [ -d dist ]; then
  echo "== dist/: raw, gzip -9, brotli 11 (bytes)"
  python3 - <<'PY'
import gzip, os
try:
    import brotli
except ImportError:
    brotli = None
rows = []
for root, _, files in os.walk("dist"):
    for f in files:
        if f.endswith((".gz", ".br")):
            continue
        p = os.path.join(root, f)
        data = open(p, "rb").read()
        br = len(brotli.compress(data, quality=11)) if brotli else None
        rows.append((len(gzip.compress(data, 9)), len(data), br, p))
for gz, raw, br, p in sorted(rows, reverse=True):
    print(f"{raw:9d} {gz:9d} {br if br is not None else '-':>9} {p}")
PY
fi
