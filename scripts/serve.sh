#!/usr/bin/env bash
# Builds the site and serves dist/ on http://127.0.0.1:${PORT:-8080}/ with a
# plain static server: exactly what any static host would do.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh site
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
trunk build --release --offline
port="${PORT:-8080}"
echo "Leche: http://127.0.0.1:$port/"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist
