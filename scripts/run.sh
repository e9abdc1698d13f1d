#!/usr/bin/env bash
# Builds the wizard (release) and serves it on http://127.0.0.1:8080/ with SPA fallback.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
node scripts/bundle-size.mjs
exec node scripts/serve-static.mjs --dir dist --host 127.0.0.1 --port "${PORT:-8080}"
