#!/usr/bin/env bash
# Peak memory of the server for large uploads: a fresh server, one warm-up send, then
# BENCH_PARALLEL (default 10) simultaneous POST /v3/signature_request/send of a BENCH_FILE_MB
# (default 40) MB PDF each; prints the server's VmHWM (peak resident set) from
# /proc/<pid>/status. Loopback only, bounded (one round, 120 s per request), and it stops the
# server it starts and removes its data.
#
#   bench/bench_send_rss.sh     # prints VmHWM in MB
#
# Environment: COUNTERSIGN_BIN (default build/countersign), BENCH_PARALLEL, BENCH_FILE_MB.
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

parallel="${BENCH_PARALLEL:-10}"
file_mb="${BENCH_FILE_MB:-40}"

cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
if [ ! -x "$COUNTERSIGN_BIN" ]; then
  cs_build
fi

work="$(mktemp -d /tmp/countersign-bench-rss.XXXXXX)"
# shellcheck source=sr_common.sh
source "$CS_ROOT/bench/sr_common.sh"
cleanup() {
  sr_stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sr_start_server "$work/data"
account="$(sr_create_account "$work/data")"
api_key="$(sr_json_field "$account" api_key)"

echo "=== VmHWM of countersign for $parallel parallel sends of a ${file_mb} MB PDF, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 300 node bench/send_rss.mjs --url "$url" --api-key "$api_key" --pid "$server_pid" \
  --parallel "$parallel" --file-mb "$file_mb"
