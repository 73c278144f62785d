#!/usr/bin/env bash
# Installs what is missing, builds, starts a throw-away PostgreSQL 15 (scripts/lib/pg.sh), and
# runs every test suite:
#   1. C++ unit tests (ctest), the store tests against SQLite and PostgreSQL,
#   2. the Node suites in tests/node (HTTP integration, official SDK, Chromium pages) on SQLite,
#   3. the same Node suites with every server on PostgreSQL (COUNTERSIGN_TEST_DATABASE=postgres),
# and, beside them from the start, the parsers fuzzed under ASan + UBSan for a bounded time
# (scripts/fuzz.sh, clang) at the lowest CPU priority: the fuzzers build and run on the CPU the
# other suites leave idle (~13 % of the Node phases, by perf sampling; bench/RESULTS.md)
# instead of in a phase of their own, so each target gets more wall time than it would alone,
# and an input 60 s of wall time before it counts as a hang. Their output is printed at the end.
# Exits non-zero if anything fails or cannot run (PostgreSQL included); no suite is ever skipped.
# Stops every process it started, PostgreSQL last.
#
# Environment: CS_JOBS (default 2), COUNTERSIGN_BIN (default build/countersign),
# CS_NODE_CONCURRENCY (default 2: test files run in parallel), CS_TEST_TIMEOUT_MS (per test),
# CS_FUZZ_SECONDS (per fuzz target, default 60 here), CS_FUZZ_TIMEOUT (per input, default 60).
set -euo pipefail

# shellcheck source=lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/deps.sh"
# shellcheck source=lib/pg.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/pg.sh"
cd "$CS_ROOT"

started_groups=()
cleanup() {
  local g
  for g in "${started_groups[@]}"; do
    kill -TERM -- "-$g" 2>/dev/null || true
  done
  sleep 0.2
  for g in "${started_groups[@]}"; do
    kill -KILL -- "-$g" 2>/dev/null || true
  done
  cs_pg_stop
  rm -f "${fuzz_log:-}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs "$@" in its own process group (so everything it spawns can be stopped) and waits.
run_group() {
  setsid --wait "$@" &
  local pid=$!
  started_groups+=("$pid")
  local rc=0
  wait "$pid" || rc=$?
  return "$rc"
}

start=$(date +%s)

cs_apt_install "${CS_BUILD_PACKAGES[@]}" "${CS_TEST_PACKAGES[@]}"
cs_ensure_node
chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium_bin" ] || cs_die "Chromium not found at $chromium_bin after install; the browser suite cannot run"

cs_log "npm ci in tests/node"
(cd tests/node && npm ci --no-audit --no-fund --loglevel=error)

cs_build
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
[ -x "$COUNTERSIGN_BIN" ] || cs_die "no server binary at $COUNTERSIGN_BIN"

# The store tests and the PostgreSQL pass need it; it is never optional.
cs_pg_start || cs_die "PostgreSQL could not start; the PostgreSQL tests cannot run"
export COUNTERSIGN_TEST_REQUIRE_PG=1  # PostgreSQL tests fail, never skip, without a server

failed=()

fuzz_log="$(mktemp)"
fuzz_seconds="${CS_FUZZ_SECONDS:-60}"
cs_log "Fuzzing in the background at nice 19 (scripts/fuzz.sh: libFuzzer + ASan/UBSan, ${fuzz_seconds} s per target); its output follows the other suites"
# setsid gives the fuzzers a session of their own, and with it (where the kernel groups by
# session, sched_autogroup) a scheduling group that would get an equal share of the CPU whatever
# its processes' nice: so the group's own nice is raised too.
CS_FUZZ_SECONDS="$fuzz_seconds" CS_FUZZ_TIMEOUT="${CS_FUZZ_TIMEOUT:-60}" \
  setsid bash -c '{ echo 19 >/proc/self/autogroup; } 2>/dev/null; exec nice -n 19 "$0"' \
  "$CS_ROOT/scripts/fuzz.sh" >"$fuzz_log" 2>&1 &
fuzz_group=$!
started_groups+=("$fuzz_group")

cs_log "C++ unit tests (ctest)"
if ! run_group ctest --test-dir "$CS_BUILD_DIR" --output-on-failure -j"$CS_JOBS" --no-tests=error; then
  failed+=("ctest")
fi

cs_log "Node suites (node --test)"
suites=(tests/node/*.test.mjs)
[ -e "${suites[0]}" ] || cs_die "no Node test files found in tests/node"
export CHROMIUM_PATH="$chromium_bin"
if ! run_group node --test \
  --test-concurrency="${CS_NODE_CONCURRENCY:-2}" \
  --test-timeout="${CS_TEST_TIMEOUT_MS:-120000}" \
  "${suites[@]}"; then
  failed+=("node")
fi

cs_log "Node suites on PostgreSQL (COUNTERSIGN_TEST_DATABASE=postgres)"
if ! COUNTERSIGN_TEST_DATABASE=postgres run_group node --test \
  --test-concurrency="${CS_NODE_CONCURRENCY:-2}" \
  --test-timeout="${CS_TEST_TIMEOUT_MS:-120000}" \
  "${suites[@]}"; then
  failed+=("node-postgres")
fi

cs_log "Waiting for the fuzzers"
fuzz_rc=0
wait "$fuzz_group" || fuzz_rc=$?
cat "$fuzz_log" >&2
rm -f "$fuzz_log"
cs_log "fuzzers finished (exit $fuzz_rc)"
if [ "$fuzz_rc" -ne 0 ]; then
  failed+=("fuzz")
fi

cs_log "finished in $(($(date +%s) - start)) s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "All suites passed."
