#!/usr/bin/env bash
# Issue 16 benchmark, side by side in one run: Countersign's refresh grant on SQLite
# (POST /oauth/token?refresh, each request rotating a live refresh token, bench/refresh.lua;
# one write transaction per request) against node-oidc-provider's client_credentials grant
# (bench/oidc_peer: oidc-provider pinned in its package.json, in-memory adapter,
# bench/oidc_cc.lua). Optionally a second Countersign binary (BEFORE_BIN, e.g. main's) as the
# reference, so before and after are measured in the same invocation.
#
# Every round starts each target fresh (new data folder / new process), mints fresh refresh
# tokens, warms up (8 s: node-oidc-provider needs several seconds of load before V8 has compiled
# its hot paths; Countersign warms up on a separate set of tokens), then one bounded wrk run.
# The order of the targets alternates between rounds (reversed on even rounds): on this VM
# whichever runs right after a saturating run tends to measure lower. Prints each run, the
# median req/s of each target and the median of the per-round ratios against oidc-provider.
# Loopback only; every server is stopped when the script ends. A run with any non-2xx answer
# fails the script.
#
#   BEFORE_BIN=/work/main/build/countersign bench/bench_oauth_peer.sh
#
# Environment: COUNTERSIGN_BIN (the binary under test, default build/countersign), BEFORE_BIN
# (optional reference binary), BENCH_ROUNDS (3), BENCH_DURATION (10s), BENCH_CONNECTIONS (32),
# BENCH_THREADS (wrk threads, 2), BENCH_WARMUP (8s), SERVER_THREADS (countersign --threads,
# default the server's).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

rounds="${BENCH_ROUNDS:-3}"
duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-32}"
wrk_threads="${BENCH_THREADS:-2}"
warmup="${BENCH_WARMUP:-8s}"
threads_arg=()
[ -n "${SERVER_THREADS:-}" ] && threads_arg=(--threads "$SERVER_THREADS")

cs_apt_install "${CS_BUILD_PACKAGES[@]}" wrk curl
cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
[ -x "$COUNTERSIGN_BIN" ] || cs_build countersign
before_bin="${BEFORE_BIN:-}"
[ -z "$before_bin" ] || [ -x "$before_bin" ] || cs_die "BEFORE_BIN $before_bin is not executable"
if [ ! -d bench/oidc_peer/node_modules/oidc-provider ]; then
  (cd bench/oidc_peer && npm ci --no-audit --no-fund --silent)
fi

work="$(mktemp -d /tmp/countersign-bench-peer.XXXXXX)"
pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_all
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_line FILE PATTERN PID: until FILE has a line matching PATTERN (20 s at most).
wait_for_line() {
  local file="$1" pattern="$2" pid="$3"
  for _ in $(seq 200); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "${file%.out}.err" >&2 || true
  cs_die "no '$pattern' in $file"
}

# run_wrk LABEL URL [wrk options...] [-- script args...] -> wrk's output on stderr, the
# Requests/sec in last_rps; fails on any non-2xx answer. (No command substitution around the
# bench_* functions: the servers they start must stay in this shell's pids for cleanup.)
run_wrk() {
  local label="$1" target="$2"
  shift 2
  local out
  out="$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" "$target" "$@")"
  printf '%s\n' "--- $label: wrk -t$wrk_threads -c$connections -d$duration $target $*" "$out" >&2
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
    cs_die "$label answered non-2xx responses; the number above is not a valid result"
  fi
  local rps
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  [ -n "$rps" ] || cs_die "could not read Requests/sec for $label"
  last_rps="$rps"
}

# bench_countersign BIN LABEL -> last_rps: the refresh grant on a fresh instance (SQLite).
bench_countersign() {
  local bin="$1" label="$2"
  local dir="$work/$label" port
  rm -rf "$dir"
  mkdir -p "$dir"
  port="$(free_port)"
  "$bin" serve --port "$port" --bind 127.0.0.1 --data-dir "$dir" \
    --rate-limit-standard 1000000000 --rate-limit-high 1000000000 \
    --rate-limit-test-mode 1000000000 "${threads_arg[@]}" >"$dir/server.out" 2>"$dir/server.err" &
  pids+=("$!")
  wait_for_line "$dir/server.out" '^Countersign listening on' "${pids[-1]}"
  local base="http://127.0.0.1:$port" creds client secret
  creds="$(COUNTERSIGN_BIN="$bin" node bench/pg_tokens.mjs "$base" $((connections * 4)) -- \
    --data-dir "$dir")"
  client="$(node -e 'console.log(JSON.parse(process.argv[1]).client_id)' "$creds")"
  secret="$(node -e 'console.log(JSON.parse(process.argv[1]).client_secret)' "$creds")"
  node -e 'console.log(JSON.parse(process.argv[1]).refresh_tokens.join("\n"))' "$creds" \
    >"$dir/all.tokens"
  head -n $((connections * 2)) "$dir/all.tokens" >"$dir/warm.tokens"
  tail -n $((connections * 2)) "$dir/all.tokens" >"$dir/run.tokens"
  wrk -t"$wrk_threads" -c"$connections" -d"$warmup" -s bench/refresh.lua "$base" -- "$client" "$secret" \
    "$dir/warm.tokens" "$wrk_threads" >/dev/null
  run_wrk "$label" "$base" -s bench/refresh.lua -- "$client" "$secret" "$dir/run.tokens" \
    "$wrk_threads"
  stop_all
}

# bench_peer -> last_rps: oidc-provider's client_credentials grant on a fresh process.
bench_peer() {
  local dir="$work/peer" port
  rm -rf "$dir"
  mkdir -p "$dir"
  port="$(free_port)"
  node bench/oidc_peer/server.mjs "$port" bench-client bench-secret-0123456789 \
    >"$dir/server.out" 2>"$dir/server.err" &
  pids+=("$!")
  wait_for_line "$dir/server.out" '^oidc-provider listening on' "${pids[-1]}"
  local base="http://127.0.0.1:$port"
  wrk -t"$wrk_threads" -c"$connections" -d"$warmup" -s bench/oidc_cc.lua "$base" -- bench-client \
    bench-secret-0123456789 >/dev/null
  run_wrk "oidc-provider" "$base" -s bench/oidc_cc.lua -- bench-client bench-secret-0123456789
  stop_all
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

targets=(peer after)
[ -n "$before_bin" ] && targets=(peer after before)
declare -A rps
ratios_after=()
ratios_before=()
cs_log "$(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  order=("${targets[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = ${#targets[@]} - 1; i >= 0; --i)); do order+=("${targets[$i]}"); done
  fi
  for target in "${order[@]}"; do
    case "$target" in
      peer) bench_peer ;;
      after) bench_countersign "$COUNTERSIGN_BIN" after ;;
      before) bench_countersign "$before_bin" before ;;
    esac
    rps[$target,$round]="$last_rps"
  done
  ratios_after+=("$(ratio "${rps[after,$round]}" "${rps[peer,$round]}")")
  [ -n "$before_bin" ] && ratios_before+=("$(ratio "${rps[before,$round]}" "${rps[peer,$round]}")")
  cs_log "round $round (${order[*]}): oidc-provider ${rps[peer,$round]}," \
    "after ${rps[after,$round]}${before_bin:+, before ${rps[before,$round]}}"
done

column() {
  local target="$1" r values=()
  for r in $(seq "$rounds"); do values+=("${rps[$target,$r]}"); done
  printf '%s' "$(median "${values[@]}") (rounds: ${values[*]})"
}
echo
echo "=== wrk -t$wrk_threads -c$connections -d$duration, $rounds alternating rounds, $(nproc) cores," \
  "loopback; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "oidc-provider client_credentials req/s: $(column peer)"
echo "countersign refresh (SQLite) req/s, $COUNTERSIGN_BIN: $(column after)"
[ -n "$before_bin" ] && echo "countersign refresh (SQLite) req/s, $before_bin: $(column before)"
echo "ratio refresh ÷ oidc-provider, $COUNTERSIGN_BIN: $(median "${ratios_after[@]}")" \
  "(rounds: ${ratios_after[*]})"
if [ -n "$before_bin" ]; then
  echo "ratio refresh ÷ oidc-provider, $before_bin: $(median "${ratios_before[@]}")" \
    "(rounds: ${ratios_before[*]})"
fi
