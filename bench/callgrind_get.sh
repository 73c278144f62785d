#!/usr/bin/env bash
# Instructions per authenticated read (the "Bearer GET read path" of bench/RESULTS.md), the
# figure that does not depend on how busy the machine is: runs Countersign under
# `valgrind --tool=callgrind` on SQLite in a fresh data folder, gets one real OAuth access token
# (bench/get_token.mjs: account, app, consent, code exchange), warms up, zeroes the counters,
# sends a bounded wrk run of GET /v3/account with `Authorization: Bearer`, dumps the counters
# and prints user-space instructions (Ir) per answered request (bench/lib_callgrind.sh).
# Loopback only; the server is stopped at the end.
#
#   bench/callgrind_get.sh [BIN...]     (default build/countersign; several are run in turn)
#
# Environment: CG_DURATION (wrk -d, 10s), CG_CONNECTIONS (8), CG_WARMUP (3s), CG_KEEP (a folder
# to keep the callgrind.out files in, for callgrind_annotate).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

# shellcheck source=lib_side_by_side.sh
source bench/lib_side_by_side.sh
# shellcheck source=lib_callgrind.sh
source bench/lib_callgrind.sh

# measure BIN INDEX: prints "BIN: N requests, Ir/request".
measure() {
  local bin="$1" index="$2"
  local dir="$work/$index"
  cg_start "$bin" "$dir"
  COUNTERSIGN_BIN="$bin" bs_countersign_access_token "$cg_url" "$dir/data"
  local target="$cg_url/v3/account" auth="Authorization: Bearer $bs_token"
  local status
  status="$(curl -sS -o "$dir/account.json" -w '%{http_code}' -H "$auth" "$target")"
  [ "$status" = "200" ] || cs_die "GET /v3/account answered $status: $(cat "$dir/account.json")"
  wrk -t1 -c"$connections" -d"$warmup" --timeout 30s -H "$auth" "$target" >/dev/null
  cg_zero
  local requests ir
  requests="$(cg_requests "$(wrk -t1 -c"$connections" -d"$duration" --timeout 30s -H "$auth" \
    "$target")")"
  ir="$(cg_dump_ir "${keep:+$keep/callgrind.get.$(basename "$bin").$index}")"
  cg_stop
  cg_report "$bin" "$requests" "$ir"
}

cg_main 10s 3s "$@"
