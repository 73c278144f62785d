#!/usr/bin/env bash
# CPU time and context switches per refresh-token grant (issue 16), counted by `perf stat` on
# the server process: for each binary, a fresh Countersign on SQLite (fresh data folder), minted
# refresh tokens (bench/pg_tokens.mjs), a warm-up, then `wrk -t2 -c32` with bench/refresh.lua
# while perf stat counts task-clock and context switches. Prints req/s, CPU µs per request and
# context switches per request. On a shared machine req/s moves with the other load; the
# per-request figures move much less. Loopback only; every server is stopped.
#
#   bench/perf_stat_refresh.sh BIN...        (SERVER_THREADS=N adds --threads N)
#
# Environment: PS_DURATION (seconds of wrk, 8), PS_WARMUP (4s), SERVER_THREADS, PS_SYSCALLS=1
# (also counts the server's pwrite64, pread64 and fdatasync calls per request; needs perf's
# syscalls tracepoints, so root), PS_RECORD=PREFIX (also samples the server's stacks with
# `perf record -g` into PREFIX.1, PREFIX.2, ... one per binary; read with `perf report -i`).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

duration="${PS_DURATION:-8}"
warmup="${PS_WARMUP:-4s}"
threads_arg=()
[ -n "${SERVER_THREADS:-}" ] && threads_arg=(--threads "$SERVER_THREADS")
[ $# -gt 0 ] || cs_die "usage: bench/perf_stat_refresh.sh BIN..."

work="$(mktemp -d /tmp/countersign-perfstat.XXXXXX)"
server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

i=0
for bin in "$@"; do
  i=$((i + 1))
  dir="$work/$i"
  mkdir -p "$dir/data"
  port="$(free_port)"
  "$bin" serve --port "$port" --bind 127.0.0.1 --data-dir "$dir/data" \
    --rate-limit-standard 1000000000 --rate-limit-high 1000000000 \
    --rate-limit-test-mode 1000000000 "${threads_arg[@]}" >"$dir/server.out" 2>"$dir/server.err" &
  server_pid=$!
  for _ in $(seq 200); do
    grep -q '^Countersign listening on' "$dir/server.out" 2>/dev/null && break
    sleep 0.1
  done
  base="http://127.0.0.1:$port"
  creds="$(COUNTERSIGN_BIN="$bin" node bench/pg_tokens.mjs "$base" 160 -- --data-dir "$dir/data")"
  client="$(node -e 'console.log(JSON.parse(process.argv[1]).client_id)' "$creds")"
  secret="$(node -e 'console.log(JSON.parse(process.argv[1]).client_secret)' "$creds")"
  node -e 'console.log(JSON.parse(process.argv[1]).refresh_tokens.join("\n"))' "$creds" \
    >"$dir/tokens"
  head -n 64 "$dir/tokens" >"$dir/warm.tokens"
  tail -n 64 "$dir/tokens" >"$dir/run.tokens"
  wrk -t2 -c32 -d"$warmup" -s bench/refresh.lua "$base" -- "$client" "$secret" \
    "$dir/warm.tokens" 2 >/dev/null
  wrk -t2 -c32 -d"${duration}s" -s bench/refresh.lua "$base" -- "$client" "$secret" \
    "$dir/run.tokens" 2 >"$dir/wrk.out" &
  wrk_pid=$!
  events=task-clock,context-switches
  [ "${PS_SYSCALLS:-0}" = 1 ] &&
    events+=",syscalls:sys_enter_pwrite64,syscalls:sys_enter_pread64,syscalls:sys_enter_fdatasync"
  record_pid=""
  if [ -n "${PS_RECORD:-}" ]; then
    perf record -F 499 -g -p "$server_pid" -o "$PS_RECORD.$i" -- sleep "$duration" \
      >/dev/null 2>&1 &
    record_pid=$!
  fi
  perf stat -e "$events" -p "$server_pid" -x, -o "$dir/stat" \
    -- sleep "$duration" >/dev/null 2>&1
  [ -z "$record_pid" ] || wait "$record_pid"
  wait "$wrk_pid"
  stop_server
  grep -q 'Non-2xx' "$dir/wrk.out" && cs_die "$bin answered non-2xx: $(cat "$dir/wrk.out")"
  awk -F, -v bin="$bin" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    -v n="$(awk '/requests in/ {print $1}' "$dir/wrk.out")" \
    -v rps="$(awk '/Requests\/sec/ {print $2}' "$dir/wrk.out")" \
    '/task-clock/ {tc = $1} /context-switches/ {cs = $1}
     /sys_enter_pwrite64/ {pw = $1} /sys_enter_pread64/ {pr = $1} /sys_enter_fdatasync/ {fs = $1}
     END {printf "%s: %s req/s, %.0f us CPU/request, %.1f context switches/request", bin, rps,
          tc * 1000 / n, cs / n
          if (pw != "") printf ", %.2f pwrite / %.2f pread / %.3f fdatasync per request",
                               pw / n, pr / n, fs / n
          printf " (load %s)\n", load}' "$dir/stat"
done
