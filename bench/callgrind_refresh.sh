#!/usr/bin/env bash
# Instructions per refresh-token grant (issue 16), the figure that does not depend on how busy
# the machine is: runs Countersign under `valgrind --tool=callgrind` on SQLite in a fresh data
# folder, mints refresh tokens (bench/pg_tokens.mjs), warms up, zeroes the counters, sends a
# bounded wrk run of POST /oauth/token?refresh (bench/refresh.lua), dumps the counters and
# prints user-space instructions (Ir) per answered request (bench/lib_callgrind.sh). Loopback
# only; the server is stopped at the end.
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

# shellcheck source=lib_callgrind.sh
source bench/lib_callgrind.sh

# measure BIN INDEX: prints "BIN: N requests, Ir/request".
measure() {
  local bin="$1" index="$2"
  local dir="$work/$index"
  cg_start "$bin" "$dir"
  local base="$cg_url" creds client secret
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
  cg_zero
  local requests ir
  requests="$(cg_requests "$(wrk -t1 -c"$connections" -d"$duration" --timeout 30s \
    -s bench/refresh.lua "$base" -- "$client" "$secret" "$dir/run.tokens" 1)")"
  ir="$(cg_dump_ir "${keep:+$keep/callgrind.$(basename "$bin").$index}")"
  cg_stop
  cg_report "$bin" "$requests" "$ir"
}

cg_main 20s 5s "$@"
