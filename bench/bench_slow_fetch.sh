#!/usr/bin/env bash
# Latency of GET /login while sends wait on a file_urls server that never answers, next to the
# same load on an idle server (the reference run, same invocation). Before slow work moved off
# the HTTP threads, 8 such sends held every HTTP thread and GET /login took ~59 s.
# Loopback only, bounded: two wrk runs of BENCH_DURATION each.
#
#   bench/bench_slow_fetch.sh
#
# Environment: COUNTERSIGN_BIN (default build/countersign), BENCH_DURATION (default 10s),
# BENCH_CONNECTIONS (default 4), SLOW_SENDS (default 8).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-4}"
slow_sends="${SLOW_SENDS:-8}"

cs_apt_install "${CS_BUILD_PACKAGES[@]}" wrk curl
cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
[ -x "$COUNTERSIGN_BIN" ] || cs_build

work="$(mktemp -d /tmp/countersign-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.3
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A TCP server that accepts and never answers; prints its port, then one line per connection.
node -e '
  const s = require("net").createServer((c) => { c.on("error", () => {}); console.log("conn"); });
  s.listen(0, "127.0.0.1", () => console.log(s.address().port));
' >"$work/silent.out" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/silent.out" ] && break; sleep 0.1; done
silent_port="$(head -n1 "$work/silent.out")"

mkdir -p "$work/data"
"$COUNTERSIGN_BIN" serve --port 0 --data-dir "$work/data" --allow-private-file-urls \
  >"$work/server.out" 2>"$work/server.err" &
pids+=($!)
url=""
for _ in $(seq 200); do
  line="$(head -n1 "$work/server.out" 2>/dev/null || true)"
  if [[ "$line" =~ ^Countersign\ listening\ on\ (http://[^[:space:]]+) ]]; then
    url="${BASH_REMATCH[1]%/}"
    break
  fi
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/server.err" >&2; cs_die "countersign did not start"; }

key="$("$COUNTERSIGN_BIN" account create --data-dir "$work/data" --email bench@example.com \
  --password 'slow fetches never block log-in' | python3 -c 'import json, sys; print(json.load(sys.stdin)["api_key"])')"
[ -n "$key" ] || cs_die "no API key from account create"

latency() {  # prints "p50 p99" in ms of GET /login under wrk
  wrk -t1 -c"$connections" -d"$duration" --latency "$url/login" >"$work/wrk.txt"
  grep -q "Non-2xx" "$work/wrk.txt" && { cat "$work/wrk.txt" >&2; cs_die "non-2xx answers"; }
  awk '/^ +50%/{p50=$2} /^ +99%/{p99=$2} END{print p50, p99}' "$work/wrk.txt"
}

cs_log "reference: GET /login on an idle server"
read -r ref50 ref99 < <(latency)

cs_log "$slow_sends sends waiting on http://127.0.0.1:$silent_port/"
for i in $(seq "$slow_sends"); do
  curl -s -o /dev/null -u "$key:" -H 'Content-Type: application/json' \
    -d "{\"signers\":[{\"name\":\"A\",\"email_address\":\"a$i@example.com\"}],\"file_urls\":[\"http://127.0.0.1:$silent_port/d$i.pdf\"],\"test_mode\":true}" \
    "$url/v3/signature_request/send" &
  pids+=($!)
done
for _ in $(seq 100); do
  [ "$(grep -c conn "$work/silent.out" || true)" -ge "$slow_sends" ] && break
  sleep 0.1
done
waiting="$(grep -c conn "$work/silent.out" || true)"
[ "$waiting" -ge "$slow_sends" ] || cs_die "only $waiting sends reached the silent server"
read -r slow50 slow99 < <(latency)

echo "GET /login idle:                     p50 $ref50 p99 $ref99"
echo "GET /login with $slow_sends sends waiting:      p50 $slow50 p99 $slow99"
