#!/usr/bin/env bash
# Ladder benchmarks: whole `ptmc run` processes on bench/ladders/*.toml (parallel tempering over a
# ladder, measurements on, HDF5 output on), one core (-t 1). Each file runs at two lengths, its own
# `sweeps` and a quarter of it (same thermalization), alternately, REPEATS times; the rate is the
# marginal one between the two lengths (start-up and the final output excluded): attempted flips per
# second of CPU time of the process (the machine's cores are shared: CPU time is what the process got)
# and per second of wall time. The share outside sweeps is 1 - (time in sweeps) / (time of the task),
# from the task's HDF5 attributes `sweep_seconds` and `seconds` (wall), over the marginal sweeps and
# over the whole task. Medians over the repeats.
# Usage: bench/ladder.sh [PTMC binary] [ladder names, e.g. hopfield sk]   (REPEATS=3 by default;
# LADDER_JSON=FILE also writes the table there, for bench/acceptance_plot.py)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ptmc=$(realpath "${1:-$here/build-bench/ptmc}")
shift || true
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then names=(hopfield sk perceptron multitasking); fi
repeats=${REPEATS:-3}
source "$here/scripts/env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results.txt"
: >"$results"
for name in "${names[@]}"; do
  file="$here/bench/ladders/$name.toml"
  [[ -f $file ]] || { echo "ladder.sh: no ladder file $file (expected one of bench/ladders/*.toml)" >&2; exit 2; }
  long=$(sed -n 's/^sweeps *= *\([0-9]*\).*/\1/p' "$file")
  [[ -n $long ]] || { echo "ladder.sh: $file has no '[run] sweeps = <integer>' line" >&2; exit 2; }
  short=$((long / 4))
  for len in "$short" "$long"; do sed "s/^sweeps *=.*/sweeps = $len/" "$file" >"$work/$name-$len.toml"; done
  for ((rep = 0; rep < repeats; ++rep)); do
    for len in "$short" "$long"; do
      out="$work/$name-$len.h5"
      if ! /usr/bin/time -f "%e %U %S" -o "$work/time" "$ptmc" run "$work/$name-$len.toml" -o "$out" -q -t 1 \
          --overwrite >/dev/null 2>"$work/err"; then
        cat "$work/err" >&2
        echo "ladder.sh: ptmc run failed on bench/ladders/$name.toml (sweeps = $len)" >&2
        exit 1
      fi
      echo "$name $rep $len $(cat "$work/time") $out" >>"$results"
      "$PTMC_PYTHON" "$here/bench/ladder_table.py" --task "$out" >>"$results"
    done
  done
done
echo "machine: $(nproc) cores shared; load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$PTMC_PYTHON" "$here/bench/ladder_table.py" "$results" ${LADDER_JSON:+"$LADDER_JSON"}
