#!/usr/bin/env bash
# Throughput and latency of POST /v3/signature_request/send: multipart with one 1 MB PDF (a
# valid PDF padded with a big stream object, distinct bytes per send) and two signers, from N
# concurrent workers for T seconds. Loopback only, bounded in time (rounds x binaries x (warm-up
# + T seconds of load, plus start-up)), and it stops the servers it starts and removes their
# data.
#
#   bench/bench_send.sh                                   # one run: sends/s, p50/p90/p99
#   BENCH_BASE_BIN=/tmp/countersign-base bench/bench_send.sh   # alternating rounds, with ratios
#
# With BENCH_BASE_BIN the reference binary and COUNTERSIGN_BIN run in alternating rounds
# (BENCH_ROUNDS, default 3; the order flips each round), each on a fresh data folder, and the
# medians and the ratios now ÷ base are printed. The data folders are removed only at the end:
# on a file system without a journal, ext4 skips inodes freed in the last minutes one by one, so
# deleting a run's thousands of files would slow the runs after it.
#
# Every run checks that the server holds a signature request for every answered send, and prints
# the server's CPU time (user + system, from /proc) per request it holds (warm-up included).
#
# Environment: COUNTERSIGN_BIN (default build/countersign), BENCH_BASE_BIN, BENCH_ROUNDS,
# BENCH_DURATION (seconds, default 10), BENCH_WORKERS (concurrent sends, default 4),
# BENCH_FILE_MB (default 1), SERVER_THREADS (countersign --threads, default: the server's),
# BENCH_SAME_FILE=1 (send the same bytes every time, so the blob store deduplicates).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

duration="${BENCH_DURATION:-10}"
workers="${BENCH_WORKERS:-4}"
file_mb="${BENCH_FILE_MB:-1}"
server_threads="${SERVER_THREADS:-}"
base_bin="${BENCH_BASE_BIN:-}"
rounds="${BENCH_ROUNDS:-$([ -n "$base_bin" ] && echo 3 || echo 1)}"

cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
if [ ! -x "$COUNTERSIGN_BIN" ]; then
  cs_build
fi
now_bin="$COUNTERSIGN_BIN"
if [ -n "$base_bin" ] && [ ! -x "$base_bin" ]; then
  cs_die "BENCH_BASE_BIN is not an executable: $base_bin"
fi

work="$(mktemp -d /tmp/countersign-bench-send.XXXXXX)"
# The server's start and stop (sr_common.sh, which it sources), bs_median, bs_ratio, bs_loadavg.
# shellcheck source=lib_side_by_side.sh disable=SC2154  # sr_start_server sets $url, $server_pid
source "$CS_ROOT/bench/lib_side_by_side.sh"
cleanup() {
  sr_stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

threads_arg=()
[ -n "$server_threads" ] && threads_arg=(--threads "$server_threads")
same_arg=()
[ "${BENCH_SAME_FILE:-0}" = "1" ] && same_arg=(--same-file)

# Server CPU time (user + system) in clock ticks.
server_ticks() {
  bs_cpu_ticks "$server_pid"
  echo $((bs_ticks_user + bs_ticks_system))
}

# run_once LABEL BIN RUN: one server on a fresh data folder, its load, its checks. Sets
# run_sends_per_s, run_p50_ms and run_cpu_us (server CPU per answered send).
run_once() {
  local label="$1" bin="$2" run="$3"
  export COUNTERSIGN_BIN="$bin"
  sr_start_server "$work/run-$run" "${threads_arg[@]}"
  local account api_key out status=0 ticks_before ticks_after answered held
  account="$(sr_create_account "$work/run-$run")"
  api_key="$(sr_json_field "$account" api_key)"
  ticks_before="$(server_ticks)"
  out="$(timeout $((duration + 120)) node bench/send_load.mjs --url "$url" --api-key "$api_key" \
    --workers "$workers" --duration "$duration" --file-mb "$file_mb" "${same_arg[@]}")" || status=$?
  ticks_after="$(server_ticks)"
  echo "$out"
  [ "$status" = 0 ] || cs_die "$label: the load failed (exit $status; error samples above)"
  local result
  result="$(tail -n1 <<<"$out")"
  answered="$(sr_json_field "$result" sends)"
  # Every answered send is a signature request on the server (warm-up sends come on top).
  held="$(curl -fsS -u "$api_key:" "$url/v3/signature_request/list?page_size=1" |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).list_info.num_results))')"
  [ "$held" -ge "$answered" ] ||
    cs_die "$label: the server holds $held signature requests for $answered answered sends"
  sr_stop_server
  run_sends_per_s="$(sr_json_field "$result" sends_per_s)"
  run_p50_ms="$(sr_json_field "$result" p50_ms)"
  # The ticks cover the warm-up too, and so do the requests the server holds.
  run_cpu_us="$(awk -v t=$((ticks_after - ticks_before)) -v n="$held" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.0f", t * 1e6 / hz / n}')"
  echo "$label: $run_sends_per_s sends/s, p50 $run_p50_ms ms, server CPU $run_cpu_us µs per send" \
    "(holds $held requests for $answered answered sends)"
}

echo "=== POST /v3/signature_request/send, ${file_mb} MB PDF, 2 signers, $workers workers," \
  "${duration}s, $(nproc) cores, --threads ${server_threads:-default}, $rounds round(s)," \
  "load $(bs_loadavg)"
now_rate=() now_p50=() now_cpu=() base_rate=() base_p50=() base_cpu=()
run=0
for round in $(seq "$rounds"); do
  order=(now)
  if [ -n "$base_bin" ]; then
    order=(base now)
    [ $((round % 2)) = 0 ] && order=(now base)
  fi
  for which in "${order[@]}"; do
    run=$((run + 1))
    if [ "$which" = base ]; then
      run_once "round $round base" "$base_bin" "$run"
      base_rate+=("$run_sends_per_s") base_p50+=("$run_p50_ms") base_cpu+=("$run_cpu_us")
    else
      run_once "round $round now" "$now_bin" "$run"
      now_rate+=("$run_sends_per_s") now_p50+=("$run_p50_ms") now_cpu+=("$run_cpu_us")
    fi
  done
done

if [ -n "$base_bin" ]; then
  m_rate="$(bs_median "${now_rate[@]}")" m_p50="$(bs_median "${now_p50[@]}")"
  m_cpu="$(bs_median "${now_cpu[@]}")"
  b_rate="$(bs_median "${base_rate[@]}")" b_p50="$(bs_median "${base_p50[@]}")"
  b_cpu="$(bs_median "${base_cpu[@]}")"
  echo "=== medians of $rounds rounds: now $m_rate sends/s, p50 $m_p50 ms, $m_cpu µs CPU/send;" \
    "base $b_rate sends/s, p50 $b_p50 ms, $b_cpu µs CPU/send"
  echo "=== now ÷ base: sends/s $(bs_ratio "$m_rate" "$b_rate"), p50 $(bs_ratio "$m_p50" "$b_p50")," \
    "server CPU per send $(bs_ratio "$m_cpu" "$b_cpu")"
fi
