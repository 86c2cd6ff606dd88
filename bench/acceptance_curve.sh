#!/usr/bin/env bash
# Draws bench/figures/flips_vs_acceptance.png: for each model, attempted flips/s on one core against the
# acceptance rate (0.1 % to 90 %, set by β), against the model's bound at that acceptance. Runs
# bench_machine (the limits the bounds use) and bench_acceptance, 3 repetitions each, medians; where
# BUILD/bench-results/ladder.json exists (scripts/bench.sh, or LADDER_JSON=... bench/ladder.sh), the
# ladders' whole-process rates are drawn too. About 3 minutes.
# Usage: bench/acceptance_curve.sh [build dir, default build-bench]   (PTMC_BENCH_NO_BUILD=1: use it as built)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$here/build-bench}")
source "$here/scripts/env.sh"
if [[ ${PTMC_BENCH_NO_BUILD:-0} != 1 ]]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPTMC_BUILD_BENCH=ON >/dev/null
  if ! cmake --build "$build" -j2 --target bench_machine bench_acceptance >"$build/acceptance-build.log" 2>&1; then
    tail -n 60 "$build/acceptance-build.log" >&2
    echo "acceptance_curve.sh: build failed: $build/acceptance-build.log" >&2
    exit 1
  fi
fi
out="$build/bench-results"
mkdir -p "$out" "$here/bench/figures"
opts=(--benchmark_repetitions=3 --benchmark_report_aggregates_only=true --benchmark_min_time=0.2 --benchmark_out_format=json)
machine=${PTMC_BENCH_MACHINE_JSON:-}  # scripts/bench.sh passes the bench_machine results it just took
if [[ -z $machine ]]; then
  machine="$out/bench_machine_limits.json"
  "$build/bench/bench_machine" "${opts[@]}" --benchmark_out="$machine" \
    --benchmark_filter='BM_read_bandwidth|BM_random_rows|BM_peak_add_i32|BM_rng' >/dev/null
fi
"$build/bench/bench_acceptance" "${opts[@]}" --benchmark_out="$out/bench_acceptance.json" >/dev/null
"$PTMC_PYTHON" "$here/bench/acceptance_plot.py" "$machine" "$out/bench_acceptance.json" \
  "$here/bench/figures/flips_vs_acceptance.png" "$out/ladder.json"
