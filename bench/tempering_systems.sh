#!/usr/bin/env bash
# Round trips of the temperature walk for the two swap schemes, each with its best ladder, on the
# systems of bench/tempering/*.toml (one sweep point each; its [tempering] says swaps = "sequential"):
#   sk128_16, sk128_32, sk128_48   SK N = 128, β 0.5–3, 16, 32 and 48 temperatures
#   sk64_16, sk64_48, sk256_16, sk256_48   the same at N = 64 and N = 256 (N = 256: one sample)
#   hopfield                       dense_hebbian P = 2, α = 0.1, β 0.5–10 (spin-glass phase)
#   dense_p4                       dense_hebbian P = 4, α = 0.1 (beyond capacity), β 0.8–5
#   perceptron                     binary perceptron, storage, α = 0.8 (capacity 0.833), β 0.5–10
# Sequential swaps run on the ladder `ptmc tune --method feedback` makes from the file's geometric
# ladder (Katzgraber et al. 2006), deterministic even/odd (deo) swaps on the one `ptmc tune --method
# barrier` makes (equal rejection along the barrier Λ, Syed et al. 2022); LADDERS="geometric tuned"
# also runs the geometric ladder. Pilot runs: 3 passes of SWEEPS/10, 2 SWEEPS/10, 4 SWEEPS/10 sweeps
# (SWEEPS from the file). Every run is one process on one thread; CPU seconds are its user + system
# time. Columns as in bench/tempering_roundtrips.sh: walker sweeps per round trip (all walkers of all
# samples, thermalization included), round trips per sweep of one chain (T / that), round trips per
# CPU second (all chains), Λ measured on the ladder, the fewest round trips of any walker, and
# "DEO bound": the round trips per swap round of one chain that DEO swaps would make on this ladder
# if the local moves decorrelated each walker between swap rounds, 1 / (2 + 2 Σ rᵢ / (1 − rᵢ)) with
# rᵢ the measured rejection of pair i (Syed et al. 2022).
# SWAP_EVERY=k puts k sweeps between swap rounds (swap_every = k) and runs k times the file's sweeps,
# so the same number of swap rounds: it shows how far the local moves limit the walk.
# Usage: bench/tempering_systems.sh [build/ptmc] [system ...]   (default: all of bench/tempering/;
# env LADDERS="geometric tuned", SWAP_EVERY=1)
set -euo pipefail
ptmc=$(realpath "${1:-build/ptmc}")
shift || true
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
systems=("$@")
if ((${#systems[@]} == 0)); then
  systems=()
  for f in "$here"/bench/tempering/*.toml; do systems+=("$(basename "$f" .toml)"); done
fi
ladders=${LADDERS:-tuned}
swap_every=${SWAP_EVERY:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export OMP_NUM_THREADS=1
printf "%-11s %-11s %-10s %3s %10s %12s %9s %13s %7s %9s %9s\n" system swaps ladder T "rtt/sweeps" "trips/sweep" "CPU s" "trips/CPU s" barrier "min trips" "DEO bound"
for s in "${systems[@]}"; do
  src="$here/bench/tempering/$s.toml"
  [[ -f $src ]] || { echo "tempering_systems.sh: $src not found (systems: bench/tempering/*.toml)" >&2; exit 2; }
  read -r sweeps therm chains < <("$PTMC_PYTHON" -c "
import tomllib
r = tomllib.load(open('$src', 'rb'))
print(r['run']['sweeps'], r['run'].get('thermalization', 0), r['run'].get('samples', 1) * r['tempering'].get('replicas', 2))")
  sweeps=$((sweeps * swap_every)) therm=$((therm * swap_every))
  tune_sweeps=$((sweeps / 10))
  sed -e "s/^swaps = \"sequential\"/&\nswap_every = $swap_every/" -e "s/^sweeps = .*/sweeps = $sweeps/" \
    -e "s/^thermalization = .*/thermalization = $therm/" "$src" > sequential-$s-geometric.toml
  sed 's/^swaps = "sequential"/swaps = "deo"/' sequential-$s-geometric.toml > deo-$s-geometric.toml
  grep -q '^swaps = "deo"' deo-$s-geometric.toml || { echo "tempering_systems.sh: $src has no line swaps = \"sequential\"" >&2; exit 2; }
  for swaps in sequential deo; do
    method=$([[ $swaps == deo ]] && echo barrier || echo feedback)
    [[ " $ladders " == *" tuned "* ]] &&
      "$ptmc" tune $swaps-$s-geometric.toml -o $swaps-$s-tuned.toml --method $method --sweeps "$tune_sweeps" --iterations 3 2>/dev/null
    for ladder in $ladders; do
      f=$swaps-$s-$ladder
      /usr/bin/time -o cpu.txt -f "%U %S" "$ptmc" run $f.toml -o $f.h5 -q 2>/dev/null >/dev/null
      cpu=$(awk '{print $1 + $2}' cpu.txt)
      name=$([[ $ladder == tuned ]] && echo $method || echo $ladder)
      "$ptmc" summarize $f.h5 2>/dev/null | "$PTMC_PYTHON" -c "
import csv, sys
r = list(csv.DictReader(sys.stdin))
T = len(r)
rtt = float(r[0]['round_trip_time'])
total_trips = $chains * T * ($sweeps + $therm) / rtt
rej = [1 - float(x['pair_acceptance']) for x in r[:-1]]
bound = 1 / (2 + 2 * sum(x / (1 - x) for x in rej))
print(f'{\"$s\":<11} {\"$swaps\":<11} {\"$name\":<10} {T:3d} {rtt:10.0f} {T / rtt:12.5f} {$cpu:9.1f} {total_trips / $cpu:13.1f} {float(r[-1][\"barrier\"]):7.2f} {float(r[0][\"round_trips_min\"]):9.0f} {bound:9.4f}')"
    done
  done
done
