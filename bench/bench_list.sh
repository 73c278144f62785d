#!/usr/bin/env bash
# p50 latency of GET /v3/signature_request/list (page 1, default page_size) for an account with
# 1,000 stored requests versus 1,000,000, in one invocation; the goal is a ratio <= 1.3 (the
# list must not slow down with the number of stored requests).
#
# One real request is sent over HTTP (multipart, a small PDF, two signers); then the server is
# stopped and bench/clone_requests.sh copies that request straight into the SQLite database
# (every row of every table that references it, with new ids, and the per-account counters
# raised to match) up to 1,000 requests; the server is restarted and measured; then stopped
# again, cloned up to 1,000,000, restarted and measured. Every list answer is checked to report
# the expected num_results.
#
#   bench/bench_list.sh
#
# Loopback only; bounded (the cloning is under a time limit, each measurement is
# BENCH_DURATION seconds); stops the server it starts and removes its data (about 1.5 GB at
# the end). Environment: COUNTERSIGN_BIN, BENCH_DURATION (seconds per measurement, default 5),
# BENCH_SMALL (default 1000), BENCH_LARGE (default 1000000), SERVER_THREADS.
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

duration="${BENCH_DURATION:-5}"
small="${BENCH_SMALL:-1000}"
large="${BENCH_LARGE:-1000000}"
server_threads="${SERVER_THREADS:-}"

cs_apt_install sqlite3 curl
cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
if [ ! -x "$COUNTERSIGN_BIN" ]; then
  cs_build
fi

work="$(mktemp -d /tmp/countersign-bench-list.XXXXXX)"
# shellcheck source=sr_common.sh
source "$CS_ROOT/bench/sr_common.sh"
cleanup() {
  sr_stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

data="$work/data"
db="$data/countersign.db"
threads_arg=()
[ -n "$server_threads" ] && threads_arg=(--threads "$server_threads")

sr_start_server "$data" "${threads_arg[@]}"
cs_log "countersign at $url"
account="$(sr_create_account "$data")"
api_key="$(sr_json_field "$account" api_key)"

# One real request over HTTP.
node -e 'import("./tests/node/lib/pdf.mjs").then(({ makePdf }) => process.stdout.write(makePdf({ pages: 2, label: "List benchmark" })))' >"$work/doc.pdf"
status="$(curl -sS -o "$work/sent.json" -w '%{http_code}' -u "$api_key:" \
  -F 'title=List benchmark request' -F 'subject=Benchmark' -F 'message=Please sign' \
  -F 'signers=[{"name":"Bench A","email_address":"bench-a@example.com"},{"name":"Bench B","email_address":"bench-b@example.com"}]' \
  -F 'metadata={"bench":"list"}' -F 'test_mode=true' \
  -F 'files[0]=@'"$work/doc.pdf"';type=application/pdf' \
  "$url/v3/signature_request/send")"
[ "$status" = "200" ] || cs_die "send answered $status: $(cat "$work/sent.json")"
req_id="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).signature_request.signature_request_id)' "$work/sent.json")"
cs_log "real request $req_id"
# Let the mail worker drain before stopping (not needed for correctness; keeps the log quiet).
for _ in $(seq 50); do
  [ "$(find "$data/outbox" -name '*.eml' 2>/dev/null | wc -l)" -ge 2 ] && break
  sleep 0.1
done
sr_stop_server

echo "=== rows one send wrote (tables referencing the request, and the counters)"
sqlite3 -batch "$db" "SELECT 'signature_requests', count(*) FROM signature_requests;"
timeout 1800 bench/clone_requests.sh "$db" "$req_id" $((small - 1)) 0

measure() {
  local total="$1"
  sr_start_server "$data" "${threads_arg[@]}"
  timeout $((duration + 60)) node bench/list_latency.mjs --url "$url" --api-key "$api_key" \
    --expect-total "$total" --duration "$duration" | tee "$work/list-$total.txt"
  sr_stop_server
}

measure "$small"
p50_small="$(tail -n1 "$work/list-$small.txt" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).p50_ms))')"

timeout 3600 bench/clone_requests.sh "$db" "$req_id" $((large - small)) "$small"
du -sh "$data" | awk '{print "data folder: " $1}'

measure "$large"
p50_large="$(tail -n1 "$work/list-$large.txt" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).p50_ms))')"

echo
echo "=== GET /v3/signature_request/list (page 1, page_size 20), sequential, ${duration}s each, $(nproc) cores"
echo "p50 with $small stored: $p50_small ms"
echo "p50 with $large stored: $p50_large ms"
awk -v a="$p50_large" -v b="$p50_small" 'BEGIN { printf "ratio p50(%s)/p50(%s): %.2f (goal <= 1.3)\n", "large", "small", a / b }'
