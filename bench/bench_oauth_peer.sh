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
# shellcheck source=lib_side_by_side.sh
source bench/lib_side_by_side.sh
cleanup() {
  bs_stop_all
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# (No command substitution around the bench_* functions: the servers they start must stay in
# this shell's bs_pids for cleanup.)

# bench_countersign BIN LABEL -> last_rps: the refresh grant on a fresh instance (SQLite).
bench_countersign() {
  local bin="$1" label="$2"
  local dir="$work/$label"
  bs_start_countersign "$bin" "$dir" "${threads_arg[@]}"
  local base="$bs_url"
  COUNTERSIGN_BIN="$bin" bs_countersign_tokens "$base" "$dir" $((connections * 4))
  head -n $((connections * 2)) "$dir/all.tokens" >"$dir/warm.tokens"
  tail -n $((connections * 2)) "$dir/all.tokens" >"$dir/run.tokens"
  bs_wrk_warm "$wrk_threads" "$connections" "$warmup" "$base" -s bench/refresh.lua -- \
    "$bs_client" "$bs_secret" "$dir/warm.tokens" "$wrk_threads"
  bs_run_wrk "$label" "$wrk_threads" "$connections" "$duration" "$base" -s bench/refresh.lua -- \
    "$bs_client" "$bs_secret" "$dir/run.tokens" "$wrk_threads"
  last_rps="$bs_last_rps"
  bs_stop_all
}

# bench_peer -> last_rps: oidc-provider's client_credentials grant on a fresh process.
bench_peer() {
  bs_start_peer "$work/peer"
  local base="$bs_url"
  bs_wrk_warm "$wrk_threads" "$connections" "$warmup" "$base" -s bench/oidc_cc.lua -- \
    "$bs_peer_client" "$bs_peer_secret"
  bs_run_wrk "oidc-provider" "$wrk_threads" "$connections" "$duration" "$base" \
    -s bench/oidc_cc.lua -- "$bs_peer_client" "$bs_peer_secret"
  last_rps="$bs_last_rps"
  bs_stop_all
}

median() { bs_median "$@"; }
ratio() { bs_ratio "$@"; }

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
