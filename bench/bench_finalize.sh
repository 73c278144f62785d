#!/usr/bin/env bash
# Time to finalise (stamp, audit page, seal) a generated 100-page PDF with two signers, and with
# 200 form fields over them, next to qpdf merely copying the same file, measured in the same run
# by Google Benchmark.
#
#   bench/bench_finalize.sh           # builds micro_bench into $BENCH_BUILD_DIR, runs, prints
#
# Environment: BENCH_BUILD_DIR (default build/bench), BENCH_REPETITIONS (default 5).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

build_dir="${BENCH_BUILD_DIR:-$CS_ROOT/build/bench}"  # under the ignored /build/
repetitions="${BENCH_REPETITIONS:-5}"

cs_apt_install "${CS_BUILD_PACKAGES[@]}" poppler-utils
cs_log "building micro_bench into $build_dir (-j$CS_JOBS)"
cmake -S "$CS_ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCS_BUILD_BENCH=ON >/dev/null
cmake --build "$build_dir" --target micro_bench -j"$CS_JOBS"

csv="$(mktemp /tmp/countersign-finalize-bench.XXXXXX)"
trap 'rm -f "$csv"' EXIT
"$build_dir/micro_bench" \
  --benchmark_filter='BM_QpdfCopy100Pages|BM_Finalize100Pages2Signers|BM_Finalize100Pages200Fields' \
  --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true \
  --benchmark_out="$csv" --benchmark_out_format=csv

echo
echo "=== finalise a 100-page PDF with 2 signers, $(nproc) cores, medians of $repetitions runs (ms)"
# CSV rows: "name",iterations,real_time,cpu_time,time_unit,...
awk -F, '
  /_median"/ {
    name = $1; gsub(/"/, "", name); sub(/_median$/, "", name); sub(/\/real_time$/, "", name)
    t[name] = $3
    printf "%-48s %8.1f ms\n", name, $3
  }
  END {
    ref = t["BM_QpdfCopy100Pages"]
    f0 = t["BM_Finalize100Pages2Signers/test_mode:0"]
    f1 = t["BM_Finalize100Pages2Signers/test_mode:1"]
    if (ref > 0) {
      printf "ratio finalise / qpdf copy: %.2f (test mode: %.2f)\n", f0 / ref, f1 / ref
    }
    verdict = (f0 <= 1000 && f1 <= 1000) ? "met" : "NOT met"
    printf "goal <= 1000 ms: %s\n", verdict
    ff = t["BM_Finalize100Pages200Fields"]
    if (ref > 0 && ff > 0) {
      printf "ratio finalise with 200 fields / qpdf copy: %.2f (goal <= 3: %s)\n", ff / ref,
             (ff / ref <= 3 ? "met" : "NOT met")
    }
  }' "$csv"
