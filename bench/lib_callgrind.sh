# shellcheck shell=bash disable=SC2034  # duration, warmup, connections, keep, work: read by measure
# Shared by bench/callgrind_refresh.sh and bench/callgrind_get.sh: run one Countersign under
# `valgrind --tool=callgrind` on 127.0.0.1 with a fresh SQLite data folder, zero its counters
# after a warm-up, dump them after a bounded load, and turn the dump into instructions (Ir) per
# answered request. Kernel time (fsync, futex, TCP) is not counted: compare with perf for that.
# Source it after scripts/lib/deps.sh, from the repository root.
#
# Defines:
#   cg_main DURATION WARMUP [BIN...]   a script's whole run: sets duration, warmup, connections
#                           and keep (CG_DURATION, CG_WARMUP, CG_CONNECTIONS (8), CG_KEEP; the
#                           first two arguments are the defaults) and a private $work folder
#                           (removed at exit, with the server stopped), then calls the script's
#                           `measure BIN INDEX` for each BIN (default build/countersign)
#   cg_start BIN DIR        -> cg_pid, cg_url, cg_out (DIR/data is the data folder)
#   cg_zero                 (callgrind_control --zero on the server)
#   cg_requests WRK_OUTPUT  -> prints the answered requests; fails on any non-2xx answer
#   cg_dump_ir [KEEP_AS]    -> prints the dump's total Ir; copies the dump to KEEP_AS if given
#   cg_stop                 (SIGTERM, SIGKILL after 20 s; call it from the EXIT trap too)
#   cg_report BIN REQUESTS IR   (prints "BIN: N requests, X Ir total, Y Ir/request")

cg_pid=""
cg_url=""
cg_out=""

cg_main() {
  duration="${CG_DURATION:-$1}"
  warmup="${CG_WARMUP:-$2}"
  shift 2
  connections="${CG_CONNECTIONS:-8}"
  keep="${CG_KEEP:-}"
  local bins=("$@") bin i=0
  [ ${#bins[@]} -gt 0 ] || bins=("$CS_BUILD_DIR/countersign")
  work="$(mktemp -d /tmp/countersign-callgrind.XXXXXX)"
  trap 'cg_stop; rm -rf "$work"' EXIT
  trap 'exit 130' INT TERM
  for bin in "${bins[@]}"; do
    i=$((i + 1))
    measure "$bin" "$i"
  done
}

cg_start() {
  local bin="$1" dir="$2" port
  mkdir -p "$dir/data"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  cg_out="$dir/callgrind.out"
  valgrind --tool=callgrind --callgrind-out-file="$cg_out" "$bin" serve --port "$port" \
    --bind 127.0.0.1 --data-dir "$dir/data" --rate-limit-standard 1000000000 \
    --rate-limit-high 1000000000 --rate-limit-test-mode 1000000000 \
    >"$dir/server.out" 2>"$dir/server.err" &
  cg_pid=$!
  for _ in $(seq 600); do
    grep -q '^Countersign listening on' "$dir/server.out" 2>/dev/null && break
    kill -0 "$cg_pid" 2>/dev/null || cs_die "server under valgrind exited: $(tail -5 "$dir/server.err")"
    sleep 0.2
  done
  cg_url="http://127.0.0.1:$port"
}

cg_zero() { callgrind_control --zero "$cg_pid" >/dev/null 2>&1; }

cg_requests() {
  if grep -q 'Non-2xx or 3xx responses' <<<"$1"; then
    cs_die "non-2xx answers: $1"
  fi
  awk '/requests in/ {print $1}' <<<"$1"
}

cg_dump_ir() {
  local keep_as="${1:-}" dump
  callgrind_control --dump "$cg_pid" >/dev/null 2>&1
  sleep 1
  dump="$(ls -t "$cg_out".* 2>/dev/null | head -1)"
  [ -n "$dump" ] || cs_die "no callgrind dump"
  [ -z "$keep_as" ] || cp "$dump" "$keep_as"
  awk '/^summary:/ {print $2}' "$dump"
}

cg_stop() {
  [ -n "$cg_pid" ] || return 0
  kill -TERM "$cg_pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$cg_pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$cg_pid" 2>/dev/null || true
  cg_pid=""
}

cg_report() {
  awk -v b="$1" -v n="$2" -v ir="$3" \
    'BEGIN {printf "%s: %d requests, %.0f Ir total, %.0f Ir/request\n", b, n, ir, ir / n}'
}
