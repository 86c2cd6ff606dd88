#!/usr/bin/env bash
# Builds Release with the benchmarks, runs them (3 repetitions, medians) and prints the kernel table:
# throughput, bytes per attempted flip, the bound from this machine's measured bandwidth/SIMD/RNG
# rates, the fraction of it, and the speed-up over the baselines (docs/performance.md explains each).
# Then the ladder benchmarks (bench/ladder.sh: whole `ptmc run` processes, PT over a ladder, measurements
# and HDF5 output on) and the figure of flips/s against acceptance (bench/acceptance_curve.sh).
# Usage: scripts/bench.sh [build dir] — about 8 minutes on one core once built; JSON kept in BUILD/bench-results.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$here/build-bench}")
source "$here/scripts/env.sh"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPTMC_BUILD_BENCH=ON >/dev/null
# The build's output goes to a log (GCC 12 prints hundreds of -Wmaybe-uninitialized false positives from
# its own AVX-512 intrinsic headers, GCC bug 105593); shown only if the build fails.
if ! cmake --build "$build" -j2 --target bench_machine bench_models bench_hopfield_baselines bench_perceptron_baseline bench_acceptance ptmc \
    >"$build/bench-build.log" 2>&1; then
  tail -n 60 "$build/bench-build.log" >&2
  echo "bench build failed: $build/bench-build.log" >&2
  exit 1
fi
out="$build/bench-results"
mkdir -p "$out"
run() {  # run NAME [filter]
  "$build/bench/$1" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true --benchmark_min_time=0.2 \
    --benchmark_out_format=json --benchmark_out="$out/$1.json" ${2:+--benchmark_filter=$2} >/dev/null
}
run bench_machine
run bench_hopfield_baselines
run bench_perceptron_baseline
run bench_models
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; L1d $(lscpu | sed -n 's/^L1d cache: *//p'),"\
  "L2 $(lscpu | sed -n 's/^L2 cache: *//p'), L3 $(lscpu | sed -n 's/^L3 cache: *//p'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$PTMC_PYTHON" "$here/bench/bench_table.py" "$out/bench_machine.json" "$out/bench_models.json" \
  "$out/bench_hopfield_baselines.json" "$out/bench_perceptron_baseline.json"
echo
echo "ladders (whole process, one core, marginal rate between two run lengths; medians of 3):"
LADDER_JSON="$out/ladder.json" "$here/bench/ladder.sh" "$build/ptmc"
PTMC_BENCH_NO_BUILD=1 PTMC_BENCH_MACHINE_JSON="$out/bench_machine.json" "$here/bench/acceptance_curve.sh" "$build"
