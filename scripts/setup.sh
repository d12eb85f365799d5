#!/usr/bin/env bash
# Installs what building (and, without --serve-only, testing) needs, skipping
# whatever is already present so a warm machine stays fast.
#   scripts/setup.sh              everything: build tools, Chromium, test packages
#   scripts/setup.sh --serve-only only what `scripts/serve.sh` needs
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
serve_only=false
[ "${1:-}" = "--serve-only" ] && serve_only=true

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }

# trunk 0.22 needs a newer rustc than this machine has; 0.21.14 is checked (shared/TOOLCHAIN.md).
if ! trunk --version 2>/dev/null | grep -q ' 0\.21\.14'; then
  say "installing trunk 0.21.14 (about 8 minutes on 2 cores)"
  cargo install trunk --locked --version 0.21.14
fi

# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock. Not --locked:
# its lockfile pins a crate the registry no longer serves.
wb=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
  say "installing wasm-bindgen-cli $wb"
  cargo install wasm-bindgen-cli --version "$wb"
fi

# wasm-opt from npm binaryen 132: Debian's binaryen 108 builds a page that crashes.
[ -x tools/node_modules/.bin/wasm-opt ] || { say "installing wasm-opt (npm binaryen)"; npm ci --prefix tools --no-audit --no-fund; }

$serve_only && exit 0

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d e2e/node_modules/@playwright/test ]; then
  say "installing the end-to-end test packages (no browser download)"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
say "tools ready"
