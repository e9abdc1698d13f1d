#!/usr/bin/env bash
# Issue 6's evidence in one command: hostile inputs, fuzzing, faults, the security policy and the
# load test, then docs/reliability.md written from their results (scripts/reliability-report.mjs).
#   bash scripts/reliability.sh [--no-build] [--quick]
#   --no-build  reuse dist/ and target/release/partner-backend
#   --quick     the load test's small form (seconds, not minutes)
# Exits non-zero when a check fails or a row of the report has no test behind it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
quick=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --quick) quick=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
mkdir -p target/reliability
status=0

if [ "$build" = 1 ]; then
  trunk build --release
  node scripts/precompress.mjs
  cargo build --release -p partner-backend
fi

rm -f target/reliability/*
git rev-parse --short HEAD > target/reliability/commit
git status --porcelain --untracked-files=no > target/reliability/changes

echo "== native: hostile inputs against the backend, fuzzing, load shedding"
cargo test -p onboarding-core -p partner-backend 2>&1 | tee target/reliability/native.log || status=1
# The backend hostile-input test prints its own tally.
cargo test -q -p partner-backend --test hostile_input -- --nocapture every_case \
  > target/reliability/backend-hostile.log 2>&1 || status=1
grep '^hostile inputs:' target/reliability/backend-hostile.log || true

echo "== browser: hostile inputs in every field, faults, security policy"
PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/target/reliability/e2e.json" \
  npx playwright test -c tests/e2e/playwright.config.mjs --reporter=list,json \
  hostile-input security storage-robustness submission-faults embedding markup-safety pbx-password || status=1

echo "== load: concurrent submissions, then past saturation"
if [ "$quick" = 1 ]; then
  cargo run -q -p partner-backend --example load -- --quick --out target/reliability/load.json || status=1
else
  # The full run's figures are also kept in bench/load-results.json.
  cargo run --release -q -p partner-backend --example load -- --out target/reliability/load.json || status=1
  cp target/reliability/load.json bench/load-results.json
fi

node scripts/reliability-report.mjs || status=1
exit "$status"
