#!/usr/bin/env bash
# Event callbacks delivered per second to a local receiver that answers at once (issue 5), with
# the POSTs/s that the same receiver takes from wrk posting the same multipart body as the
# in-run reference. Loopback only; bounded (BENCH_EVENTS events per round, BENCH_TIMEOUT_S per
# round, BENCH_DURATION per wrk run); stops every process it starts. See bench/events_bench.mjs.
#
#   bench/bench_events.sh            # builds if needed, prints one JSON line of figures
#
# Environment: COUNTERSIGN_BIN (default build/countersign), BENCH_EVENTS (5000), BENCH_URLS
# ("1,16": rounds with that many callback URLs), BENCH_DURATION (5s), BENCH_TIMEOUT_S (120).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

cs_apt_install "${CS_BUILD_PACKAGES[@]}" wrk sqlite3
cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
if [ ! -x "$COUNTERSIGN_BIN" ]; then
  cs_build
fi

work="$(mktemp -d /tmp/countersign-bench-events.XXXXXX)"
bench_pid=""
cleanup() {
  # The driver stops its servers and receiver itself; this is for an interrupted run.
  if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$bench_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$bench_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cs_log "$(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $COUNTERSIGN_BIN"
node bench/events_bench.mjs "$work" &
bench_pid=$!
wait "$bench_pid"
