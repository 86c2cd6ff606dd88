#!/usr/bin/env bash
# Strong and weak scaling of ptmc run at each level of the MPI decomposition, one OpenMP thread per rank:
#   tasks:        sweep points x disorder samples over the ranks (SK N = 128; 16 tasks, or 4 per rank)
#   temperatures: one task's walkers dealt over a group of np ranks (SK N = 1024; 8 temperatures x 2
#                 replicas, or 8 np temperatures)
#   patterns:     one task's patterns split over a group of np ranks (dense P = 4, N = 60; K = 120000,
#                 or 60000 np; measured every 10 sweeps: a measurement gathers all K overlaps), plus the
#                 cost of the per-flip allreduce alone (K = np: no work to split)
# Efficiency: strong = t1 / (np t_np), weak = t1 / t_np. Usage: bench/scaling.sh [build/ptmc] [np list]
# (on a cluster node: bench/scaling.sh build/ptmc "1 2 4 8 16 32").
set -euo pipefail
ptmc=$(realpath "${1:-build/ptmc}")
nps=${2:-"1 2 4"}
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
sk() {  # sk FILE N SAMPLES TEMPERATURES SWEEPS
  cat > "$1" <<TOML
[model]
name = "sk"
N = $2
[tempering]
beta = { min = 0.5, max = 2.0, count = $4 }
[run]
sweeps = $5
thermalization = 100
samples = $3
seed = 1
TOML
}
dense() {  # dense FILE K SWEEPS
  cat > "$1" <<TOML
[model]
name = "dense_hebbian"
N = 60
P = 4
K = $2
[tempering]
beta = [2.0, 4.0]
[run]
sweeps = $3
thermalization = 0
seed = 1
split = "patterns"
measure_every = 10
TOML
}
seconds() {  # seconds NP FILE [ptmc run options]
  local np=$1 file=$2 t0 t1
  shift 2
  t0=$(date +%s.%N)
  OMP_NUM_THREADS=1 mpirun -np "$np" "$ptmc" run "$file" -o "out.h5" -q --overwrite "$@" 2>/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
row() {  # row NP STRONG WEAK BASE_STRONG BASE_WEAK
  printf "%4d %14.2f %11.0f%% %14.2f %11.0f%%\n" "$1" "$2" "$(echo "100 * $4 / ($1 * $2)" | bc -l)" \
    "$3" "$(echo "100 * $5 / $3" | bc -l)"
}
header() { printf "\n%s\n%4s %14s %12s %14s %12s\n" "$1" np "strong: time/s" efficiency "weak: time/s" efficiency; }
echo "machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p'))"
echo "(np above the core count is oversubscribed: expect no speed-up there)"

header "tasks (SK N = 128, 8 temperatures x 2 replicas, 3000 sweeps per task)"
sk strong.toml 128 16 8 3000
bs="" bw=""
for np in $nps; do
  sk weak.toml 128 $((4 * np)) 8 3000
  s=$(seconds "$np" strong.toml) w=$(seconds "$np" weak.toml)
  [[ -z $bs ]] && bs=$s bw=$w
  row "$np" "$s" "$w" "$bs" "$bw"
done

header "temperatures (one SK task, N = 1024, 2 replicas, 2000 sweeps; --ranks-per-task np)"
sk strong.toml 1024 1 8 2000
bs="" bw=""
for np in $nps; do
  sk weak.toml 1024 1 $((8 * np)) 2000
  s=$(seconds "$np" strong.toml --ranks-per-task "$np") w=$(seconds "$np" weak.toml --ranks-per-task "$np")
  [[ -z $bs ]] && bs=$s bw=$w
  row "$np" "$s" "$w" "$bs" "$bw"
done

header "patterns (one dense P = 4 task, N = 60, 2 temperatures x 2 replicas, 1000 sweeps; --ranks-per-task np)"
dense strong.toml 120000 1000
bs="" bw=""
for np in $nps; do
  dense weak.toml $((60000 * np)) 1000
  s=$(seconds "$np" strong.toml --ranks-per-task "$np") w=$(seconds "$np" weak.toml --ranks-per-task "$np")
  [[ -z $bs ]] && bs=$s bw=$w
  row "$np" "$s" "$w" "$bs" "$bw"
done
printf "\ncommunication of the pattern split alone (K = np patterns, 20000 sweeps = 4.8 M attempted flips):\n"
printf "%4s %16s %22s\n" np "time/s" "per attempted flip/us"
for np in $nps; do
  [[ $np -gt 1 ]] || continue
  dense comm.toml "$np" 20000
  t=$(seconds "$np" comm.toml --ranks-per-task "$np")
  printf "%4d %16.2f %22.2f\n" "$np" "$t" "$(echo "1000000 * $t / (20000 * 60 * 4)" | bc -l)"
done
