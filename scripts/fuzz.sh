#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/fuzz_*.cc) with clang under AddressSanitizer +
# UndefinedBehaviorSanitizer into build-fuzz/, then runs each one for a bounded time starting from
# its seed corpus fuzz/corpus/<target>/ (and fuzz/dict/<target>.dict when present). Every seed
# runs first, so the regression inputs kept in the corpus are re-checked on each run. New inputs
# go to a scratch folder, never into the repository. Prints the executions per target; exits
# non-zero if a build fails or any target finds a crash, leak, UB, timeout or out-of-memory. The
# input that failed is kept under build-fuzz/fuzz-artifacts/ (copy it into the corpus once fixed).
#
# Usage: scripts/fuzz.sh [TARGET...]     e.g. scripts/fuzz.sh multipart pdf   (default: all)
# Environment: CS_FUZZ_SECONDS (per target, default 20), CS_FUZZ_TIMEOUT (wall-clock seconds one
# input may take before it counts as a hang, default 10), CS_JOBS (targets run at once and build
# jobs, default 2), CS_FUZZ_BUILD_DIR (default build-fuzz), CS_FUZZ_CORPUS_OUT (keep the inputs
# found in this folder instead of a temporary one: to fuzz longer and resume later).
set -euo pipefail

# shellcheck source=lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/deps.sh"
cd "$CS_ROOT"

seconds="${CS_FUZZ_SECONDS:-20}"
input_timeout="${CS_FUZZ_TIMEOUT:-10}"
build_dir="${CS_FUZZ_BUILD_DIR:-$CS_ROOT/build-fuzz}"
artifacts="$build_dir/fuzz-artifacts"

command -v clang++ >/dev/null 2>&1 || cs_die "clang++ not found (Debian packages clang, libclang-rt-14-dev)"
if [ ! -f "$build_dir/build.ninja" ]; then
  launcher=()
  if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  CC=clang CXX=clang++ cmake -S "$CS_ROOT" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$CS_CXX_FLAGS_OPTIMISED" \
    -DCS_BUILD_FUZZERS=ON -DCS_JEMALLOC=OFF "${launcher[@]}"
fi
cs_log "building the fuzz targets into $build_dir (-j$CS_JOBS)"
cmake --build "$build_dir" --target fuzzers -j"$CS_JOBS"

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for source in fuzz/fuzz_*.cc; do
    name="$(basename "$source" .cc)"
    targets+=("${name#fuzz_}")
  done
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
corpus_out="${CS_FUZZ_CORPUS_OUT:-$scratch/corpus}"
mkdir -p "$artifacts"

# Runs one target for $seconds; its libFuzzer output goes to $scratch/<target>.log.
run_target() {
  local target="$1"
  local binary="$build_dir/fuzz/fuzz_$target"
  local seeds="fuzz/corpus/$target"
  [ -x "$binary" ] || { echo "no fuzz target $binary" >"$scratch/$target.log"; return 1; }
  [ -d "$seeds" ] || { echo "no seed corpus $seeds" >"$scratch/$target.log"; return 1; }
  mkdir -p "$corpus_out/$target"
  local dict=()
  [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "$binary" -max_total_time="$seconds" -timeout="$input_timeout" -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "${dict[@]}" \
    "$corpus_out/$target" "$seeds" \
    >"$scratch/$target.log" 2>&1
}

cs_log "fuzzing ${targets[*]} for ${seconds} s each, $CS_JOBS at a time"
failed=()
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$CS_JOBS" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  (
    rc=0
    run_target "$target" || rc=$?
    echo "$rc" >"$scratch/$target.rc"
  ) &
  running=$((running + 1))
done

wait
printf '%-14s %12s %10s  %s\n' target executions exec/s result
for target in "${targets[@]}"; do
  rc="$(cat "$scratch/$target.rc" 2>/dev/null || echo missing)"
  log="$scratch/$target.log"
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  if [ "$rc" = 0 ]; then
    printf '%-14s %12s %10s  %s\n' "$target" "${runs:-?}" "${speed:-?}" ok
  else
    printf '%-14s %12s %10s  %s\n' "$target" "${runs:-?}" "${speed:-?}" "FAILED (exit $rc)"
    failed+=("$target")
    echo "---- fuzz_$target output (last 60 lines) ----" >&2
    tail -n 60 "$log" >&2
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzzing FAILED: ${failed[*]} (inputs in $artifacts)" >&2
  exit 1
fi
echo "fuzzing passed: ${#targets[@]} targets, no crash."
