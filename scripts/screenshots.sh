#!/usr/bin/env bash
# Regenerates the documentation's screenshots (docs/screenshot.png and every
# page at 360 × 740 in docs/screens/, shown in docs/pages.md) from a fresh
# release build, with Debian's Chromium: run it after changing what a page
# shows.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh site e2e
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
trunk build --release --offline
node e2e/screenshots.js
