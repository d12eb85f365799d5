#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already
# present so a warm machine stays fast. Groups (default: all):
#   wasm-tests  wasm32 target, wasm-bindgen-cli (= Cargo.lock), Debian Chromium + chromedriver
#   site        trunk 0.21.14 and npm wasm-opt, to build dist/
#   e2e         the Playwright packages (no browser download)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
groups="${*:-wasm-tests site e2e}"
want() { case " $groups " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }

# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock. Not --locked:
# its lockfile pins a crate the registry no longer serves.
wb=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
  say "installing wasm-bindgen-cli $wb (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$wb"
fi

if want wasm-tests; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

if want site; then
  # trunk 0.22 needs a newer rustc than this machine has; 0.21.14 is checked (shared/TOOLCHAIN.md).
  if ! trunk --version 2>/dev/null | grep -q ' 0\.21\.14'; then
    say "installing trunk 0.21.14 (about 8 minutes on 2 cores)"
    cargo install trunk --locked --version 0.21.14
  fi
  # wasm-opt from npm binaryen 132: Debian's binaryen 108 builds a page that crashes.
  [ -x tools/node_modules/.bin/wasm-opt ] || { say "installing wasm-opt (npm binaryen)"; npm ci --prefix tools --no-audit --no-fund; }
fi

if want e2e && [ ! -d e2e/node_modules/@playwright/test ]; then
  say "installing the end-to-end test packages (no browser download)"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
say "tools ready ($groups)"
