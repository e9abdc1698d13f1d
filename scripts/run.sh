#!/usr/bin/env bash
# Builds the wizard (release) and the reference partner backend, then serves both on
# http://127.0.0.1:8080/ with the database in data/onboarding.db, and the demo partner dashboard
# (dashboard/, embedding the wizard in an iframe and signing in as the partner "demo", whose key
# it keeps in data/demo-partner.key) on http://127.0.0.1:8081/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
node scripts/precompress.mjs
node scripts/bundle-size.mjs
cargo build --release -p partner-backend
mkdir -p data
backend=target/release/partner-backend
db=data/onboarding.db
key_file=data/demo-partner.key
# The demo dashboard is the demo partner's server: it needs that partner's secret key. Made once
# (rotated if the file was lost: only a hash is kept), written straight to a file only this user
# can read, never printed.
if [ ! -s "$key_file" ]; then
  partners="$("$backend" --db "$db" partners list 2>/dev/null || true)"
  if [[ $'\n'"$partners" == *$'\n'demo$'\t'* ]]; then
    (umask 077 && "$backend" --db "$db" partners rotate demo > "$key_file.new")
  else
    (umask 077 && "$backend" --db "$db" partners add demo --name "Demo Partner" > "$key_file.new")
  fi
  mv "$key_file.new" "$key_file"
  echo "Demo partner: its secret key is in $key_file (the dashboard's server uses it)."
fi
port="${PORT:-8080}"
dashboard_port="${DASHBOARD_PORT:-8081}"
echo "Wizard:            http://127.0.0.1:${port}/"
echo "Partner dashboard: http://127.0.0.1:${dashboard_port}/ (config.json must list it in allowed_parent_origins)"
echo "Another partner:   $backend --db $db partners add <id> --name \"<name>\" (prints its key once)"
exec "$backend" --addr "127.0.0.1:${port}" --db "$db" --static dist \
  --dashboard-addr "127.0.0.1:${dashboard_port}" --dashboard-dir dashboard --dashboard-key-file "$key_file"
