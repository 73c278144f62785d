#!/usr/bin/env bash
# Issue 16's side-by-side benchmark in one run, on one machine, loopback only:
#
#  1. OAuth: Countersign's refresh grant on SQLite (POST /oauth/token?refresh, every request
#     rotating a live refresh token: bench/refresh.lua) against node-oidc-provider
#     (bench/oidc_peer, version pinned by its lock file, in-memory adapter) answering
#     (a) its client_credentials grant (bench/oidc_cc.lua) and
#     (b) its refresh_token grant, rotating on every use like Countersign's, with refresh tokens
#         minted through the provider's own models right before they are used
#         (bench/refresh.lua ... oidc-provider).
#  2. Reads: Countersign's Bearer GET /v3/account against nginx serving the very bytes that
#     Countersign answered, as a static file.
#
# Every measurement starts its servers fresh (Countersign on a new data folder), mints fresh
# tokens, warms up (OAuth: BENCH_WARMUP, node-oidc-provider needs several seconds of load before
# V8 has compiled its hot paths; reads: READ_WARMUP), then one bounded wrk run. Rounds alternate
# the order: odd rounds run refresh, cc, peer refresh, GET, nginx; even rounds the reverse (on
# this VM whichever runs right after a saturating run tends to measure lower). Prints each
# round, the medians of each target and of the per-round ratios. Any non-2xx answer fails the
# script; every process it started is stopped when it ends.
#
#   bench/bench_side_by_side.sh
#
# Environment: COUNTERSIGN_BIN (default build/countersign), BENCH_ROUNDS (3), BENCH_DURATION
# (10s), BENCH_THREADS (wrk threads, 2), BENCH_WARMUP (8s), OAUTH_CONNECTIONS (32),
# READ_CONNECTIONS (50), READ_WARMUP (2s), SERVER_THREADS (countersign --threads, default the
# server's), NGINX_WORKERS (2), PEER_REFRESH (1; 0 skips the peer's refresh_token grant).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

rounds="${BENCH_ROUNDS:-3}"
duration="${BENCH_DURATION:-10s}"
wrk_threads="${BENCH_THREADS:-2}"
warmup="${BENCH_WARMUP:-8s}"
oauth_connections="${OAUTH_CONNECTIONS:-32}"
read_connections="${READ_CONNECTIONS:-50}"
read_warmup="${READ_WARMUP:-2s}"
nginx_workers="${NGINX_WORKERS:-2}"
peer_refresh="${PEER_REFRESH:-1}"
threads_arg=()
[ -n "${SERVER_THREADS:-}" ] && threads_arg=(--threads "$SERVER_THREADS")

cs_apt_install "${CS_BUILD_PACKAGES[@]}" nginx wrk curl
cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
[ -x "$COUNTERSIGN_BIN" ] || cs_build countersign
if [ ! -d bench/oidc_peer/node_modules/oidc-provider ]; then
  (cd bench/oidc_peer && npm ci --no-audit --no-fund --silent)
fi
peer_version="$(node -p 'require("./bench/oidc_peer/node_modules/oidc-provider/package.json").version')"

work="$(mktemp -d /tmp/countersign-bench-sbs.XXXXXX)"
# shellcheck source=lib_side_by_side.sh
source bench/lib_side_by_side.sh
cleanup() {
  bs_stop_all
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Each measure_* function leaves its req/s in bs_last_rps and stops what it started.

# Countersign's refresh grant: 4 × connections grants, half for the warm-up, half for the run.
measure_refresh() {
  local dir="$work/cs-refresh" pool=$((oauth_connections * 2))
  bs_start_countersign "$COUNTERSIGN_BIN" "$dir" "${threads_arg[@]}"
  local base="$bs_url"
  bs_countersign_tokens "$base" "$dir" $((pool * 2))
  head -n "$pool" "$dir/all.tokens" >"$dir/warm.tokens"
  tail -n "$pool" "$dir/all.tokens" >"$dir/run.tokens"
  bs_wrk_warm "$wrk_threads" "$oauth_connections" "$warmup" "$base" -s bench/refresh.lua -- \
    "$bs_client" "$bs_secret" "$dir/warm.tokens" "$wrk_threads"
  bs_run_wrk "countersign refresh" "$wrk_threads" "$oauth_connections" "$duration" "$base" \
    -s bench/refresh.lua -- "$bs_client" "$bs_secret" "$dir/run.tokens" "$wrk_threads"
  bs_stop_all
}

# node-oidc-provider's client_credentials grant.
measure_peer_cc() {
  bs_start_peer "$work/peer-cc"
  local base="$bs_url"
  bs_wrk_warm "$wrk_threads" "$oauth_connections" "$warmup" "$base" -s bench/oidc_cc.lua -- \
    "$bs_peer_client" "$bs_peer_secret"
  bs_run_wrk "oidc-provider client_credentials" "$wrk_threads" "$oauth_connections" "$duration" \
    "$base" -s bench/oidc_cc.lua -- "$bs_peer_client" "$bs_peer_secret"
  bs_stop_all
}

# node-oidc-provider's refresh_token grant. Its in-memory adapter is an LRU of 1000 entries, so
# the run's tokens are minted after the warm-up (which would have evicted them).
measure_peer_refresh() {
  local dir="$work/peer-refresh" pool=$((oauth_connections * 2))
  bs_start_peer "$dir"
  local base="$bs_url"
  bs_peer_mint "$base" "$pool" "$dir/warm.tokens"
  bs_wrk_warm "$wrk_threads" "$oauth_connections" "$warmup" "$base" -s bench/refresh.lua -- \
    "$bs_peer_client" "$bs_peer_secret" "$dir/warm.tokens" "$wrk_threads" oidc-provider
  bs_peer_mint "$base" "$pool" "$dir/run.tokens"
  bs_run_wrk "oidc-provider refresh_token" "$wrk_threads" "$oauth_connections" "$duration" \
    "$base" -s bench/refresh.lua -- "$bs_peer_client" "$bs_peer_secret" "$dir/run.tokens" \
    "$wrk_threads" oidc-provider
  bs_stop_all
}

# Reads: a fresh Countersign and an nginx serving its answer's bytes, measured in ORDER
# ("get nginx" or "nginx get"); sets rps_get and rps_nginx, body_bytes.
rps_get=""
rps_nginx=""
body_bytes=""
measure_reads() {
  local dir="$work/cs-read"
  bs_start_countersign "$COUNTERSIGN_BIN" "$dir" "${threads_arg[@]}"
  local cs="$bs_url"
  bs_countersign_access_token "$cs" "$dir"
  local status
  status="$(curl -sS -o "$work/account.json" -w '%{http_code}' \
    -H "Authorization: Bearer $bs_token" "$cs/v3/account")"
  [ "$status" = "200" ] || cs_die "GET /v3/account answered $status: $(cat "$work/account.json")"
  body_bytes="$(wc -c <"$work/account.json")"
  bs_start_nginx "$work/nginx" "$work/account.json" "$nginx_workers"
  local nginx="$bs_url" target
  cmp -s "$work/account.json" <(curl -fsS "$nginx/v3/account") || cs_die "nginx serves other bytes"
  for target in "$@"; do
    case "$target" in
      get)
        bs_wrk_warm "$wrk_threads" "$read_connections" "$read_warmup" "$cs/v3/account" \
          -H "Authorization: Bearer $bs_token"
        bs_run_wrk "countersign GET /v3/account" "$wrk_threads" "$read_connections" "$duration" \
          "$cs/v3/account" -H "Authorization: Bearer $bs_token"
        rps_get="$bs_last_rps"
        ;;
      nginx)
        bs_wrk_warm "$wrk_threads" "$read_connections" "$read_warmup" "$nginx/v3/account"
        bs_run_wrk "nginx static" "$wrk_threads" "$read_connections" "$duration" "$nginx/v3/account"
        rps_nginx="$bs_last_rps"
        ;;
    esac
  done
  bs_stop_all
  rm -rf "$work/nginx"
}

oauth_targets=(refresh peer_cc)
if [ "$peer_refresh" = 1 ]; then oauth_targets+=(peer_refresh); fi
declare -A rps
ratio_cc=()
ratio_peer_refresh=()
ratio_read=()
load_start="$(bs_loadavg)"
cs_log "$(nproc) cores; load average at start: $load_start; oidc-provider $peer_version;" \
  "countersign $COUNTERSIGN_BIN ($(git rev-parse --short HEAD))"
for round in $(seq "$rounds"); do
  order=("${oauth_targets[@]}")
  read_order=(get nginx)
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = ${#oauth_targets[@]} - 1; i >= 0; --i)); do order+=("${oauth_targets[$i]}"); done
    read_order=(nginx get)
    measure_reads "${read_order[@]}"
  fi
  for target in "${order[@]}"; do
    "measure_$target"
    rps[$target,$round]="$bs_last_rps"
  done
  if [ $((round % 2)) -eq 1 ]; then measure_reads "${read_order[@]}"; fi
  rps[get,$round]="$rps_get"
  rps[nginx,$round]="$rps_nginx"
  ratio_cc+=("$(bs_ratio "${rps[refresh,$round]}" "${rps[peer_cc,$round]}")")
  if [ "$peer_refresh" = 1 ]; then
    ratio_peer_refresh+=("$(bs_ratio "${rps[refresh,$round]}" "${rps[peer_refresh,$round]}")")
  fi
  ratio_read+=("$(bs_ratio "${rps[get,$round]}" "${rps[nginx,$round]}")")
  line="round $round (order: ${order[*]} / ${read_order[*]}; load $(bs_loadavg)):"
  line+=" refresh ${rps[refresh,$round]}, oidc cc ${rps[peer_cc,$round]}"
  if [ "$peer_refresh" = 1 ]; then line+=", oidc refresh ${rps[peer_refresh,$round]}"; fi
  line+=" | GET ${rps[get,$round]}, nginx ${rps[nginx,$round]} req/s"
  line+=" | ratios: refresh/cc ${ratio_cc[-1]}"
  if [ "$peer_refresh" = 1 ]; then line+=", refresh/oidc refresh ${ratio_peer_refresh[-1]}"; fi
  line+=", GET/nginx ${ratio_read[-1]}"
  cs_log "$line"
  echo "$line" >>"$work/rounds.txt"
done

column() {
  local target="$1" r values=()
  for r in $(seq "$rounds"); do values+=("${rps[$target,$r]}"); done
  printf '%s' "$(bs_median "${values[@]}") (rounds: ${values[*]})"
}
echo
echo "=== $rounds alternating rounds, $(nproc) cores, loopback, wrk -t$wrk_threads -d$duration;" \
  "OAuth -c$oauth_connections after $warmup warm-ups, reads -c$read_connections after" \
  "$read_warmup; load average $load_start at start, $(bs_loadavg) at end"
echo "countersign $COUNTERSIGN_BIN ($(git rev-parse --short HEAD)), SQLite," \
  "--threads ${SERVER_THREADS:-default}; node-oidc-provider $peer_version, in-memory adapter;" \
  "nginx $nginx_workers workers, static body of $body_bytes bytes"
cat "$work/rounds.txt"
echo "countersign refresh grant req/s:        $(column refresh)"
echo "oidc-provider client_credentials req/s: $(column peer_cc)"
if [ "$peer_refresh" = 1 ]; then
  echo "oidc-provider refresh_token req/s:      $(column peer_refresh)"
fi
echo "countersign Bearer GET /v3/account req/s: $(column get)"
echo "nginx static, same bytes req/s:           $(column nginx)"
echo "median ratio refresh ÷ oidc-provider client_credentials: $(bs_median "${ratio_cc[@]}")" \
  "(rounds: ${ratio_cc[*]})"
if [ "$peer_refresh" = 1 ]; then
  echo "median ratio refresh ÷ oidc-provider refresh_token:      $(bs_median "${ratio_peer_refresh[@]}")" \
    "(rounds: ${ratio_peer_refresh[*]})"
fi
echo "median ratio Bearer GET ÷ nginx:                         $(bs_median "${ratio_read[@]}")" \
  "(rounds: ${ratio_read[*]})"
