#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already
# present so a warm machine stays fast. Groups (default: all):
#   wasm-tests  wasm32 target, wasm-bindgen-cli (= Cargo.lock), Debian Chromium + chromedriver,
#               Debian Firefox ESR + geckodriver (built from crates.io)
#   site        trunk 0.21.14 and npm wasm-opt, to build dist/; Debian's brotli for the .br files
#   e2e         the Playwright and Puppeteer packages (no browser download), Debian's nginx with
#               its brotli_static module (the e2e run against deploy/nginx), Firefox ESR
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

# Debian packages, installed in one apt run: (command or file that shows it, package).
debs=()
need_deb() { [ -e "$1" ] || command -v "$1" >/dev/null 2>&1 || debs+=("$2"); }
if want wasm-tests; then
  need_deb chromium chromium
  need_deb chromedriver chromium-driver
  need_deb firefox-esr firefox-esr
fi
want site && need_deb brotli brotli
if want e2e; then
  need_deb firefox-esr firefox-esr
  need_deb /usr/sbin/nginx nginx
  need_deb /usr/lib/nginx/modules/ngx_http_brotli_static_module.so libnginx-mod-http-brotli-static
fi
if [ ${#debs[@]} -gt 0 ]; then
  mapfile -t debs < <(printf '%s\n' "${debs[@]}" | sort -u)
  say "installing ${debs[*]} from Debian"
  apt-get update -qq
  # The tests start their own nginx (a temporary prefix, a free loopback port);
  # a system service that Debian may start on install is never used.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
fi

if want wasm-tests; then
  # The wasm tests' Firefox runs: geckodriver speaks WebDriver to Firefox ESR.
  # 0.37.1 builds with rustc 1.95 (about 4 minutes on 2 cores); --locked uses its own lockfile.
  gv=0.37.1
  if ! { v=$(geckodriver --version 2>/dev/null) && [[ "$v" == "geckodriver $gv"* ]]; }; then
    say "installing geckodriver $gv (about 4 minutes)"
    cargo install geckodriver --locked --version "$gv"
  fi
fi

if want site; then
  # trunk 0.22 needs a newer rustc than this machine has; 0.21.14 is checked.
  if ! trunk --version 2>/dev/null | grep -q ' 0\.21\.14'; then
    say "installing trunk 0.21.14 (about 8 minutes on 2 cores)"
    cargo install trunk --locked --version 0.21.14
  fi
  # wasm-opt from npm binaryen 132: Debian's binaryen 108 builds a page that crashes.
  [ -x tools/node_modules/.bin/wasm-opt ] || { say "installing wasm-opt (npm binaryen)"; npm ci --prefix tools --no-audit --no-fund; }
fi

if want e2e && { [ ! -d e2e/node_modules/@playwright/test ] || [ ! -d e2e/node_modules/puppeteer-core ]; }; then
  say "installing the end-to-end test packages (no browser download)"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
say "tools ready ($groups)"
