#!/usr/bin/env bash
# Throughput and latency of POST /v3/signature_request/send: multipart with one 1 MB PDF (a
# valid PDF padded with a big stream object, distinct bytes per send) and two signers, from N
# concurrent workers for T seconds. Loopback only, bounded in time (warm-up + T seconds of
# load, plus start-up), and it stops the server it starts and removes its data.
#
#   bench/bench_send.sh     # prints sends/s and p50/p90/p99 latency
#
# Environment: COUNTERSIGN_BIN (default build/countersign), BENCH_DURATION (seconds, default
# 10), BENCH_WORKERS (concurrent sends, default 4), BENCH_FILE_MB (default 1),
# SERVER_THREADS (countersign --threads, default: the server's), BENCH_SAME_FILE=1 (send the
# same bytes every time, so the blob store deduplicates).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

duration="${BENCH_DURATION:-10}"
workers="${BENCH_WORKERS:-4}"
file_mb="${BENCH_FILE_MB:-1}"
server_threads="${SERVER_THREADS:-}"

cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
if [ ! -x "$COUNTERSIGN_BIN" ]; then
  cs_build
fi

work="$(mktemp -d /tmp/countersign-bench-send.XXXXXX)"
# shellcheck source=sr_common.sh
source "$CS_ROOT/bench/sr_common.sh"
cleanup() {
  sr_stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

threads_arg=()
[ -n "$server_threads" ] && threads_arg=(--threads "$server_threads")
sr_start_server "$work/data" "${threads_arg[@]}"
cs_log "countersign at $url (--threads ${server_threads:-default})"

account="$(sr_create_account "$work/data")"
api_key="$(sr_json_field "$account" api_key)"

same_arg=()
[ "${BENCH_SAME_FILE:-0}" = "1" ] && same_arg=(--same-file)

echo "=== POST /v3/signature_request/send, ${file_mb} MB PDF, 2 signers, $workers workers, ${duration}s, $(nproc) cores"
status=0
out="$(timeout $((duration + 120)) node bench/send_load.mjs --url "$url" --api-key "$api_key" \
  --workers "$workers" --duration "$duration" --file-mb "$file_mb" "${same_arg[@]}")" || status=$?
echo "$out"
[ "$status" = 0 ] || cs_die "the load failed (exit $status; error samples above)"
# Every answered send is a signature request on the server (warm-up sends come on top).
answered="$(sr_json_field "$(tail -n1 <<<"$out")" sends)"
held="$(curl -fsS -u "$api_key:" "$url/v3/signature_request/list?page_size=1" |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).list_info.num_results))')"
echo "the server holds $held signature requests for $answered answered sends"
[ "$held" -ge "$answered" ] || cs_die "the server holds fewer signature requests than sends were answered"
