#!/usr/bin/env bash
# Scaling of the task level (sweep points x disorder samples over MPI ranks) for ptmc run.
# Strong scaling: a fixed sweep of 16 SK tasks on np ranks; weak scaling: 4 tasks per rank.
# Prints wall time and efficiency for each np. Usage: bench/scaling.sh [build/ptmc] [np list]
# (on a cluster node: bench/scaling.sh build/ptmc "1 2 4 8 16 32"). One OpenMP thread per rank.
set -euo pipefail
ptmc=$(realpath "${1:-build/ptmc}")
nps=${2:-"1 2 4"}
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
sweep() {  # sweep FILE SAMPLES
  cat > "$1" <<TOML
[model]
name = "sk"
N = 128
[tempering]
beta = { min = 0.5, max = 2.0, count = 8 }
[run]
sweeps = 3000
thermalization = 300
samples = $2
seed = 1
TOML
}
seconds() {  # seconds NP FILE
  local t0 t1
  t0=$(date +%s.%N)
  OMP_NUM_THREADS=1 mpirun -np "$1" "$ptmc" run "$2" -o "out-$1.h5" -q 2>/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
echo "machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p'))"
printf "%4s %14s %12s %14s %12s\n" np "strong: time/s" efficiency "weak: time/s" efficiency
sweep strong.toml 16
base_s="" base_w=""
for np in $nps; do
  sweep weak.toml $((4 * np))
  s=$(seconds "$np" strong.toml)
  w=$(seconds "$np" weak.toml)
  [[ -z $base_s ]] && base_s=$s base_w=$w
  printf "%4d %14.2f %11.0f%% %14.2f %11.0f%%\n" "$np" "$s" "$(echo "100 * $base_s / ($np * $s)" | bc -l)" \
    "$w" "$(echo "100 * $base_w / $w" | bc -l)"
done
