# Walkers in lanes (Curie–Weiss, multitasking stored and supervised): bitwise identical summaries
# whatever splits the walkers into lanes: one thread (two groups of eight), two (two groups), four
# (too few walkers per group: no lanes), and groups of 2 and 3 ranks sharing each task's walkers (one
# group of eight, groups of five and six per rank).
source "$(dirname "$0")/common.bash"
for model in curie_weiss multitasking multitasking_supervised; do
  case $model in
    curie_weiss) lines='name = "curie_weiss"' ;;
    multitasking) lines=$'name = "multitasking"\nK = 4\nd = 0.3' ;;
    multitasking_supervised) lines=$'name = "multitasking"\nK = 3\nd = 0.2\ndata = "supervised"\nM = 5\nr = 0.6' ;;
  esac
  cat > $model.toml <<TOML
[model]
$lines
N = 300
[tempering]
beta = { min = 0.4, max = 2.5, count = 8 }
replicas = 2
[run]
sweeps = 300
thermalization = 20
measure_every = 1
samples = 2
seed = 5
TOML
  OMP_NUM_THREADS=1 "$ptmc" run $model.toml -o t1.h5 -q
  OMP_NUM_THREADS=2 PTMC_WALKER_THREADS=always "$ptmc" run $model.toml -o t2.h5 -q
  OMP_NUM_THREADS=4 PTMC_WALKER_THREADS=always "$ptmc" run $model.toml -o t4.h5 -q
  OMP_NUM_THREADS=1 mpirun -np 2 "$ptmc" run $model.toml -o g2.h5 -q --ranks-per-task 2
  OMP_NUM_THREADS=1 mpirun -np 3 "$ptmc" run $model.toml -o g3.h5 -q --ranks-per-task 3
  for f in t1 t2 t4 g2 g3; do "$ptmc" summarize $f.h5 > $f.csv 2> summarize.err; done
  [[ $(wc -l < t1.csv) -eq 9 ]] || fail "$model: expected a header and 8 rows (8 temperatures)"
  for f in t2 t4 g2 g3; do cmp t1.csv $f.csv || fail "$model: $f differs from the single-thread run"; done
  rm -f ./*.h5 ./*.csv
done
echo "reproducible_lanes: ok"
