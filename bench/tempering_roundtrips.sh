#!/usr/bin/env bash
# Round trips of the temperature walk for the two swap schemes, each with its best ladder: SK with
# Gaussian couplings, β from 0.5 to BETA_MAX (default 3: T from 2 down to 0.33), COUNT temperatures
# (default 32).
# Schemes and ladders: sequential swaps on the geometric ladder and on the ladder `ptmc tune
# --method feedback` makes for them (Katzgraber et al. 2006, the best known for reversible swaps);
# deterministic even/odd (deo) swaps on the geometric ladder and on the ladder `ptmc tune --method
# barrier` makes (equal rejection along the communication barrier Λ, Syed et al. 2022). Every run
# is one process on one thread; CPU seconds are the process's user + system time.
# Columns: round-trip time (walker sweeps per round trip, all walkers of all samples), round trips
# per sweep of one chain (T / that time), round trips per CPU second (all chains), the barrier Λ
# measured on the ladder, and the fewest round trips any walker made.
# Usage: bench/tempering_roundtrips.sh [build/ptmc]   (env: SIZES="64 128", COUNT=32, SWEEPS=40000,
# SAMPLES=2, TUNE_SWEEPS=4000, BETA_MAX=3)
set -euo pipefail
ptmc=$(realpath "${1:-build/ptmc}")
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
sizes=${SIZES:-64 128}
count=${COUNT:-32}
sweeps=${SWEEPS:-40000}
samples=${SAMPLES:-2}
tune_sweeps=${TUNE_SWEEPS:-4000}
beta_max=${BETA_MAX:-3.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export OMP_NUM_THREADS=1
printf "%-5s %-11s %-10s %10s %12s %9s %13s %7s %9s\n" N swaps ladder "rtt/sweeps" "trips/sweep" "CPU s" "trips/CPU s" barrier "min trips"
for N in $sizes; do
  for swaps in sequential deo; do
    cat > $swaps-$N-geometric.toml <<TOML
[model]
name = "sk"
N = $N
[tempering]
beta = { min = 0.5, max = $beta_max, count = $count, spacing = "geometric" }
replicas = 2
swaps = "$swaps"
[run]
sweeps = $sweeps
thermalization = $((sweeps / 10))
measure_every = 10
samples = $samples
seed = 8
TOML
  done
  "$ptmc" tune sequential-$N-geometric.toml -o sequential-$N-tuned.toml --method feedback --sweeps "$tune_sweeps" --iterations 3 2>/dev/null
  "$ptmc" tune deo-$N-geometric.toml -o deo-$N-tuned.toml --method barrier --sweeps "$tune_sweeps" --iterations 3 2>/dev/null
  for swaps in sequential deo; do
    for ladder in geometric tuned; do
      f=$swaps-$N-$ladder
      /usr/bin/time -o cpu.txt -f "%U %S" "$ptmc" run $f.toml -o $f.h5 -q 2>/dev/null >/dev/null
      cpu=$(awk '{print $1 + $2}' cpu.txt)
      name=$ladder
      [[ $ladder == tuned ]] && name=$([[ $swaps == deo ]] && echo barrier || echo feedback)
      "$ptmc" summarize $f.h5 2>/dev/null | "$PTMC_PYTHON" -c "
import csv, sys
r = list(csv.DictReader(sys.stdin))
T = len(r)
rtt = float(r[0]['round_trip_time'])
chains = 2 * $samples
total_trips = chains * T * ($sweeps + $sweeps // 10) / rtt
print(f'{$N:<5} {\"$swaps\":<11} {\"$name\":<10} {rtt:10.0f} {T / rtt:12.5f} {$cpu:9.1f} {total_trips / $cpu:13.3f} {float(r[-1][\"barrier\"]):7.2f} {float(r[0][\"round_trips_min\"]):9.0f}')"
    done
  done
done
