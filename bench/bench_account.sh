#!/usr/bin/env bash
# Throughput of GET /v3/account with a Bearer token, next to nginx serving a static JSON body
# of the same size on the same machine. Loopback only, bounded in time (about 30 s of load).
#
#   bench/bench_account.sh            # builds if needed, runs, prints both req/s and the ratio
#
# Environment: COUNTERSIGN_BIN (default build/countersign), BENCH_DURATION (default 10s),
# BENCH_CONNECTIONS (default 50), BENCH_THREADS (wrk threads, default 2),
# SERVER_THREADS (countersign --threads, default 2), NGINX_WORKERS (default 2),
# BENCH_RATE_LIMIT (--rate-limit-standard, default 1e9 a minute: every call still goes through
# the rate limiter, which leases 1000 calls at a time from the database).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-50}"
wrk_threads="${BENCH_THREADS:-2}"
server_threads="${SERVER_THREADS:-}"  # empty: the server default (two per core)
nginx_workers="${NGINX_WORKERS:-2}"

cs_apt_install "${CS_BUILD_PACKAGES[@]}" nginx wrk curl
cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
if [ ! -x "$COUNTERSIGN_BIN" ]; then
  cs_build
fi

work="$(mktemp -d /tmp/countersign-bench.XXXXXX)"
# shellcheck source=lib_side_by_side.sh
source bench/lib_side_by_side.sh
cleanup() {
  bs_stop_all
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Countersign (SQLite in a temp data dir) ---------------------------------------------------
threads_arg=()
[ -n "$server_threads" ] && threads_arg=(--threads "$server_threads")
bs_start_countersign "$COUNTERSIGN_BIN" "$work/data" "${threads_arg[@]}"
url="$bs_url"
cs_log "countersign at $url (--threads ${server_threads:-default})"
bs_countersign_access_token "$url" "$work/data"
token="$bs_token"

# The exact body GET /v3/account returns, for nginx to serve as a static file.
status="$(curl -sS -o "$work/account.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$url/v3/account")"
[ "$status" = "200" ] || cs_die "GET /v3/account answered $status: $(cat "$work/account.json")"
body_bytes="$(wc -c <"$work/account.json")"

# --- nginx (own prefix and config, loopback, free port) ----------------------------------------
bs_start_nginx "$work/nginx" "$work/account.json" "$nginx_workers"
nginx_url="$bs_url"
cs_log "nginx at $nginx_url ($nginx_workers workers), static body of $body_bytes bytes"

# --- load ----------------------------------------------------------------------------------------
# run_wrk NAME URL [wrk args...] -> prints wrk's output, sets rps_NAME; fails on any non-2xx.
run_wrk() {
  local name="$1" target="$2"
  shift 2
  bs_wrk_warm "$wrk_threads" "$connections" 2s "$target" "$@"
  bs_run_wrk "$name" "$wrk_threads" "$connections" "$duration" "$target" "$@" 2>&1
  printf -v "rps_$name" '%s' "$bs_last_rps"
}

# Alternate the two targets for several rounds: on this VM whichever runs second after a
# saturating run measures lower, so a single ordered pair is biased. Report every round and
# the median of the per-round ratios.
rounds="${BENCH_ROUNDS:-3}"
ratios=()
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then
    run_wrk countersign "$url/v3/account" -H "Authorization: Bearer $token"
    run_wrk nginx "$nginx_url/v3/account"
  else
    run_wrk nginx "$nginx_url/v3/account"
    run_wrk countersign "$url/v3/account" -H "Authorization: Bearer $token"
  fi
  ratio="$(awk -v a="$rps_countersign" -v b="$rps_nginx" 'BEGIN { printf "%.1f", 100 * a / b }')"
  ratios+=("$ratio")
  printf 'round %d: nginx %.1f req/s, countersign %.1f req/s, ratio %s %%\n' \
    "$round" "$rps_nginx" "$rps_countersign" "$ratio" >>"$work/rounds.txt"
done

echo
echo "=== GET /v3/account, body $body_bytes bytes, wrk -t$wrk_threads -c$connections -d$duration, $(nproc) cores"
echo "nginx: static file; countersign: Bearer token, SQLite, --threads ${server_threads:-default (2 per core, a loop each)}"
cat "$work/rounds.txt"
median="$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
echo "median ratio countersign/nginx: $median %"
