#!/usr/bin/env bash
# Builds the wizard (release) and the reference partner backend, then serves both on
# http://127.0.0.1:8080/ with the database in data/onboarding.db.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
node scripts/bundle-size.mjs
cargo build --release -p partner-backend
mkdir -p data
exec target/release/partner-backend --addr "127.0.0.1:${PORT:-8080}" --db data/onboarding.db --static dist
