#!/usr/bin/env bash
# Every test level, from a fresh clone: installs what is missing, then
#   1. native tests: the domain crate (unit + property tests) and the reference partner backend
#      (integration tests over real HTTP, the OpenAPI document checked against real responses),
#   2. wasm-bindgen tests of the app in headless Chromium (draft store, components),
#   3. the release builds (app and backend) and the app's compressed size, checked against
#      bench/size-budget.json,
#   4. Playwright end-to-end tests against dist/ served by the real backend, with axe-core scans,
#   5. the benchmark in its quick form (bench/run.sh --quick): it must run; no figure is asserted,
#   6. the load test in its quick form (correctness only) and the reliability report's rows, each
#      of which must find its tests in this run (docs/reliability.md itself comes from
#      scripts/reliability.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver

mkdir -p target/reliability
rm -f target/reliability/*

echo "== 1. domain crate and partner backend (native)"
cargo test -p onboarding-core -p partner-backend 2>&1 | tee target/reliability/native.log

echo "== 2. app in headless Chromium (wasm-bindgen-test)"
cargo test --target wasm32-unknown-unknown -p onboarding-wizard

echo "== 3. release builds"
trunk build --release
node scripts/precompress.mjs
node --test tests/scripts/  # the size check itself, on synthetic builds
node scripts/bundle-size.mjs --check  # fails above bench/size-budget.json's ceiling
cargo build --release -p partner-backend

echo "== 4. end-to-end (Playwright + axe-core, against the reference backend)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/target/reliability/e2e.json" npm run --silent e2e -- --reporter=list,json

echo "== 5. benchmark (quick: checks it runs)"
bash bench/run.sh --quick --no-build  # stage 3 built dist/ and the backend

echo "== 6. backend under load (quick: correctness checked, figures not), and the reliability report's rows"
cargo run -q -p partner-backend --example load -- --quick --out target/reliability/load.json
cargo test -q -p partner-backend --test hostile_input -- --nocapture every_case > target/reliability/backend-hostile.log 2>&1
node scripts/reliability-report.mjs --out target/reliability/reliability.md
