#!/usr/bin/env bash
# Instructions per refresh-token grant (issue 16), the figure that does not depend on how busy
# the machine is: runs Countersign under `valgrind --tool=callgrind` on SQLite in a fresh data
# folder, mints refresh tokens (bench/pg_tokens.mjs), warms up, zeroes the counters, sends a
# bounded wrk run of POST /oauth/token?refresh (bench/refresh.lua), dumps the counters and
# prints user-space instructions (Ir) per answered request. Kernel time (fsync, futex, TCP)
# is not counted: compare with perf for that. Loopback only; the server is stopped at the end.
#
#   bench/callgrind_refresh.sh [BIN...]     (default build/countersign; several are run in turn)
#
# Environment: CG_DURATION (wrk -d, 20s), CG_CONNECTIONS (8), CG_WARMUP (5s), CG_KEEP (a folder
# to keep the callgrind.out files in, for callgrind_annotate).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

duration="${CG_DURATION:-20s}"
connections="${CG_CONNECTIONS:-8}"
warmup="${CG_WARMUP:-5s}"
keep="${CG_KEEP:-}"
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=("$CS_BUILD_DIR/countersign")

work="$(mktemp -d /tmp/countersign-callgrind.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# measure BIN INDEX: prints "BIN: N requests, Ir/request".
measure() {
  local bin="$1" index="$2"
  local dir="$work/$index" port out
  mkdir -p "$dir/data"
  port="$(free_port)"
  out="$dir/callgrind.out"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" serve --port "$port" \
    --bind 127.0.0.1 --data-dir "$dir/data" --rate-limit-standard 1000000000 \
    --rate-limit-high 1000000000 --rate-limit-test-mode 1000000000 \
    >"$dir/server.out" 2>"$dir/server.err" &
  server_pid=$!
  for _ in $(seq 600); do
    grep -q '^Countersign listening on' "$dir/server.out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || cs_die "server under valgrind exited: $(tail -5 "$dir/server.err")"
    sleep 0.2
  done
  local base="http://127.0.0.1:$port" creds client secret
  creds="$(COUNTERSIGN_BIN="$bin" node bench/pg_tokens.mjs "$base" $((connections * 6)) -- \
    --data-dir "$dir/data")"
  client="$(node -e 'console.log(JSON.parse(process.argv[1]).client_id)' "$creds")"
  secret="$(node -e 'console.log(JSON.parse(process.argv[1]).client_secret)' "$creds")"
  node -e 'console.log(JSON.parse(process.argv[1]).refresh_tokens.join("\n"))' "$creds" \
    >"$dir/tokens"
  head -n $((connections * 2)) "$dir/tokens" >"$dir/warm.tokens"
  tail -n $((connections * 4)) "$dir/tokens" >"$dir/run.tokens"
  wrk -t1 -c"$connections" -d"$warmup" --timeout 30s -s bench/refresh.lua "$base" -- "$client" "$secret" \
    "$dir/warm.tokens" 1 >/dev/null
  callgrind_control --zero "$server_pid" >/dev/null
  local wrk_out requests
  wrk_out="$(wrk -t1 -c"$connections" -d"$duration" --timeout 30s -s bench/refresh.lua "$base" -- "$client" \
    "$secret" "$dir/run.tokens" 1)"
  if grep -q 'Non-2xx or 3xx responses' <<<"$wrk_out"; then
    cs_die "non-2xx answers: $wrk_out"
  fi
  requests="$(awk '/requests in/ {print $1}' <<<"$wrk_out")"
  callgrind_control --dump "$server_pid" >/dev/null
  sleep 1
  local dump ir
  dump="$(ls -t "$out".* 2>/dev/null | head -1)"
  [ -n "$dump" ] || cs_die "no callgrind dump"
  ir="$(awk '/^summary:/ {print $2}' "$dump")"
  [ -n "$keep" ] && cp "$dump" "$keep/callgrind.$(basename "$bin").$index"
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$server_pid" 2>/dev/null || true
  server_pid=""
  awk -v b="$bin" -v n="$requests" -v ir="$ir" \
    'BEGIN {printf "%s: %d requests, %.0f Ir total, %.0f Ir/request\n", b, n, ir, ir / n}'
}

i=0
for bin in "${bins[@]}"; do
  i=$((i + 1))
  measure "$bin" "$i"
done
