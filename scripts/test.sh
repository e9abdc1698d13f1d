#!/usr/bin/env bash
# Every test level, from a fresh clone: installs what is missing, then
#   1. native tests of the domain crate (unit + property tests),
#   2. wasm-bindgen tests of the app in headless Chromium (draft store, components),
#   3. the release build and its compressed size,
#   4. Playwright end-to-end tests against dist/ with axe-core scans.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver

echo "== 1. domain crate (native)"
cargo test -p onboarding-core -p partner-backend

echo "== 2. app in headless Chromium (wasm-bindgen-test)"
cargo test --target wasm32-unknown-unknown -p onboarding-wizard

echo "== 3. release build"
trunk build --release
node scripts/bundle-size.mjs

echo "== 4. end-to-end (Playwright + axe-core)"
npm run --silent e2e
