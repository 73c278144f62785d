#!/usr/bin/env bash
# Server CPU per Bearer GET /v3/account, split into user and kernel time, next to nginx serving
# the same bytes as a static file: where the read path's time goes (bench/RESULTS.md). For each
# round and each binary, a fresh Countersign on SQLite (fresh data folder) and a real OAuth
# access token (bench/get_token.mjs), a warm-up, then `wrk -t2 -c50`; the server's utime and
# stime (/proc/PID/stat) before and after give µs per answered request. Then nginx (its workers'
# times) on the body the last Countersign answered. Rounds alternate the binaries' order.
# Loopback only, bounded; every process it starts is stopped.
#
#   bench/cpu_per_get.sh BIN...
#
# Environment: CPG_ROUNDS (2), CPG_DURATION (wrk -d, 6s), CPG_WARMUP (2s), CPG_CONNECTIONS (50),
# NGINX_WORKERS (2).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

rounds="${CPG_ROUNDS:-2}"
duration="${CPG_DURATION:-6s}"
warmup="${CPG_WARMUP:-2s}"
connections="${CPG_CONNECTIONS:-50}"
[ $# -gt 0 ] || cs_die "usage: bench/cpu_per_get.sh BIN..."
cs_apt_install nginx wrk curl
cs_ensure_node

work="$(mktemp -d /tmp/countersign-cpu-get.XXXXXX)"
# shellcheck source=lib_side_by_side.sh
source bench/lib_side_by_side.sh
trap 'bs_stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# measure LABEL URL PIDS [wrk args...]: one bounded wrk run; prints req/s and µs per request.
measure() {
  local label="$1" target="$2" u0 s0 u1 s1 out requests rps pids
  read -ra pids <<<"$3"
  shift 3
  [ ${#pids[@]} -gt 0 ] || cs_die "$label: no process to measure"
  wrk -t2 -c"$connections" -d"$warmup" "$target" "$@" >/dev/null
  bs_cpu_ticks "${pids[@]}"
  u0="$bs_ticks_user" s0="$bs_ticks_system"
  out="$(wrk -t2 -c"$connections" -d"$duration" "$target" "$@")"
  bs_cpu_ticks "${pids[@]}"
  u1="$bs_ticks_user" s1="$bs_ticks_system"
  grep -qE "Non-2xx|Socket errors" <<<"$out" && cs_die "$label: failed requests: $out"
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  awk -v l="$label" -v r="$rps" -v n="$requests" -v u=$((u1 - u0)) -v s=$((s1 - s0)) \
    -v hz="$(getconf CLK_TCK)" 'BEGIN { t = 1e6 / hz
      printf "%s: %.0f req/s, user %.1f µs/request, kernel %.1f µs/request\n", l, r,
        u * t / n, s * t / n }'
}

bins=("$@")
for round in $(seq "$rounds"); do
  order=("${bins[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = ${#bins[@]} - 1; i >= 0; i--)); do order+=("${bins[$i]}"); done
  fi
  for bin in "${order[@]}"; do
    dir="$work/cs"
    bs_start_countersign "$bin" "$dir"
    bs_countersign_access_token "$bs_url" "$dir"
    curl -fsS -H "Authorization: Bearer $bs_token" -o "$work/account.json" "$bs_url/v3/account"
    measure "round $round $bin" "$bs_url/v3/account" "$server_pid" \
      -H "Authorization: Bearer $bs_token"
    bs_stop_all
  done
  bs_start_nginx "$work/nginx" "$work/account.json" "${NGINX_WORKERS:-2}"
  measure "round $round nginx" "$bs_url/v3/account" "$(pgrep -P "${bs_pids[-1]}" -d ' ')"
  bs_stop_all
done
