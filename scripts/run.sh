#!/usr/bin/env bash
# Builds the wizard (release) and the reference partner backend, then serves both on
# http://127.0.0.1:8080/ with the database in data/onboarding.db, and the demo partner dashboard
# (dashboard/, embedding the wizard in an iframe) on http://127.0.0.1:8081/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
node scripts/precompress.mjs
node scripts/bundle-size.mjs
cargo build --release -p partner-backend
mkdir -p data
port="${PORT:-8080}"
dashboard_port="${DASHBOARD_PORT:-8081}"
echo "Wizard:            http://127.0.0.1:${port}/"
echo "Partner dashboard: http://127.0.0.1:${dashboard_port}/ (config.json must list it in allowed_parent_origins)"
exec target/release/partner-backend --addr "127.0.0.1:${port}" --db data/onboarding.db --static dist \
  --dashboard-addr "127.0.0.1:${dashboard_port}" --dashboard-dir dashboard
