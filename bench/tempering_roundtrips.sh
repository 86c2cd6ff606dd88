#!/usr/bin/env bash
# Benchmark of ladder tuning (issue: PT that equilibrates): SK, N = 64, T from 2 down to 0.2, 12
# temperatures. Runs the geometric ladder and the ladders `ptmc tune` produces (feedback and equal
# acceptance, same count), and prints each one's mean round-trip time in sweeps and the fewest round
# trips any replica made. Usage: bench/tempering_roundtrips.sh [build/ptmc]
set -euo pipefail
ptmc=$(realpath "${1:-build/ptmc}")
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > geometric.toml <<'TOML'
[model]
name = "sk"
N = 64
[tempering]
beta = { min = 0.5, max = 5.0, count = 12, spacing = "geometric" }
replicas = 2
[run]
sweeps = 40000
thermalization = 4000
measure_every = 10
samples = 4
seed = 8
TOML
"$ptmc" tune geometric.toml -o feedback.toml --method feedback --sweeps 4000 --iterations 4 2>/dev/null
"$ptmc" tune geometric.toml -o acceptance.toml --method acceptance --sweeps 4000 --iterations 4 2>/dev/null
printf "%-12s %22s %18s %s\n" ladder "round-trip time/sweeps" "min round trips" "pair acceptance (hot -> cold)"
for f in geometric feedback acceptance; do
  "$ptmc" run $f.toml -o $f.h5 -q 2>/dev/null
  "$ptmc" summarize $f.h5 2>/dev/null | "$PTMC_PYTHON" -c "
import csv, sys
r = list(csv.DictReader(sys.stdin))
acc = ' '.join(f'{float(x[\"pair_acceptance\"]):.2f}' for x in r[:-1])
print(f'{\"$f\":<12} {float(r[0][\"round_trip_time\"]):22.1f} {float(r[0][\"round_trips_min\"]):18.0f} {acc}')"
done
