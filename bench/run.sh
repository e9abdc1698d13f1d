#!/usr/bin/env bash
# Builds the release app and the reference backend, serves the app (partner-backend, temporary
# database) and the framework-free baseline (bench/static-server.mjs) on loopback, and runs
# bench/bench.mjs in headless Chromium.
#
#   bash bench/run.sh             full run: writes bench/results.json and bench/results.md
#   bash bench/run.sh --quick     fewer iterations and sizes (CI: checks the benchmark runs);
#                                 writes target/bench/results.quick.{json,md}, never bench/results.*
#   bash bench/run.sh --no-build  use the dist/ and target/release/partner-backend already built
#
# Ports: BENCH_APP_PORT (default 8095) and BENCH_STATIC_PORT (default 8096) on 127.0.0.1.
# Expects scripts/setup.sh to have run (the toolchain, Trunk, Chromium, node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

quick=()
build=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    --no-build) build=0 ;;
    *) echo "usage: bash bench/run.sh [--quick] [--no-build]" >&2; exit 2 ;;
  esac
done
app_port="${BENCH_APP_PORT:-8095}"
static_port="${BENCH_STATIC_PORT:-8096}"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$app_port" "$static_port"; do
  if port_busy "$port"; then
    echo "bench: 127.0.0.1:$port is in use (set BENCH_APP_PORT / BENCH_STATIC_PORT)" >&2
    exit 1
  fi
done

other_trunk_build() {
  local pid
  for pid in $(pgrep -f "trunk build" || true); do
    [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$PWD" ] && return 0
  done
  return 1
}

if [ "$build" = 1 ]; then
  # Two Trunk builds in one checkout corrupt its stage directory: wait for another one here.
  while other_trunk_build; do
    echo "bench: waiting for another trunk build in $PWD" >&2
    sleep 5
  done
  trunk build --release
  if [ -f scripts/precompress.mjs ]; then node scripts/precompress.mjs; fi
  cargo build --release -p partner-backend
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/partner-bench.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The app is measured signed in, as a partner uses it: the account's background sync runs too.
BENCH_PARTNER_KEY="$(target/release/partner-backend --db "$work/onboarding.db" partners add bench --name "Bench Partner" 2>/dev/null)"
export BENCH_PARTNER_KEY
target/release/partner-backend --addr "127.0.0.1:$app_port" --db "$work/onboarding.db" --static dist \
  >"$work/backend.log" 2>&1 &
pids+=($!)
node bench/static-server.mjs "127.0.0.1:$static_port" >"$work/static.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 100); do
  if port_busy "$app_port" && port_busy "$static_port"; then break; fi
  sleep 0.1
done
if ! port_busy "$app_port" || ! port_busy "$static_port"; then
  echo "bench: the servers did not start" >&2
  cat "$work/backend.log" "$work/static.log" >&2
  exit 1
fi

BENCH_APP_URL="http://127.0.0.1:$app_port" BENCH_STATIC_URL="http://127.0.0.1:$static_port" \
  node bench/bench.mjs "${quick[@]}"
