# Signals, with and without mpirun: every stop says which signal (and which rank) stopped it, exits
# 75 where the launcher lets it, and leaves a run that --resume finishes.
#  - SIGTERM right at the start (while MPI starts): exit 75 and the message, not a silent 143;
#  - SIGTERM to one rank: every rank stops promptly, "SIGTERM on rank 1 of 2", exit 75;
#  - SIGUSR1 to mpirun (it forwards it): exit 75 through mpirun;
#  - SIGINT or SIGTERM to mpirun: Open MPI passes SIGTERM to the ranks, kills them a second later and
#    exits 1 whatever they return; the ranks checkpoint in time and say so;
#  - a signal while a task's disorder is being built stops at once (exit 75), not when setup ends.
source "$(dirname "$0")/common.bash"
cat > sig.toml <<'TOML'
[model]
name = "sk"
N = [48, 64]
[tempering]
beta = { min = 0.4, max = 2.0, count = 8, spacing = "geometric" }
[run]
sweeps = 24000
thermalization = 100
samples = 3
seed = 7
[output]
flush_seconds = 0.3
checkpoint_seconds = 0.7
TOML
now() { date +%s.%N; }
elapsed() { "$PTMC_PYTHON" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }
# start OUT [mpirun]: runs sig.toml in the background (pid in $job); the ranks' pids in $ranks.
start() {
  rm -rf "$1" "$1.tasks" "$1.lock"
  if [[ ${2:-} == mpirun ]]; then mpirun -np 2 "$ptmc" run sig.toml -o "$1" -q -t 1 >out.txt 2>err.txt &
  else "$ptmc" run sig.toml -o "$1" -q -t 1 >out.txt 2>err.txt & fi
  job=$!
}
ranks_of() { pgrep -f "$ptmc run sig.toml -o $1" | grep -vx "$job" || true; }
finish() {  # finish OUT: the stopped run resumes to the end
  "$ptmc" run sig.toml -o "$1" -q -t 1 --resume 2>>err.txt || { cat err.txt >&2; fail "$1: --resume did not finish"; }
}

# 1. No mpirun: SIGTERM 0.1 s after the start (MPI is still starting), then SIGINT mid-run.
start a.h5; sleep 0.1; kill -TERM $job; rc=0; wait $job || rc=$?
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "early SIGTERM: exit $rc, expected 75"; }
grep -qF "stopped at a checkpoint (SIGTERM)" err.txt || { cat err.txt >&2; fail "early SIGTERM: no message"; }
finish a.h5
start b.h5; sleep 1.0; kill -INT $job; rc=0; wait $job || rc=$?
[[ $rc -eq 75 ]] && grep -qF "(SIGINT)" err.txt || { cat err.txt >&2; fail "SIGINT: exit $rc"; }

# 2. mpirun, SIGTERM to rank 1 only: the other rank stops too, at once, and the message names the rank.
start c.h5 mpirun; sleep 1.0
r1=$(ranks_of c.h5 | tail -1); [[ -n $r1 ]] || fail "no rank found"
t0=$(now); kill -TERM "$r1"; rc=0; wait $job || rc=$?; dt=$(elapsed "$t0" "$(now)")
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "SIGTERM to one rank: mpirun exit $rc, expected 75"; }
grep -qE "stopped at a checkpoint \(SIGTERM on rank [01] of 2\)" err.txt || { cat err.txt >&2; fail "SIGTERM to one rank: wrong message"; }
"$PTMC_PYTHON" -c "import sys; sys.exit(float(sys.argv[1]) > 6)" "$dt" || fail "SIGTERM to one rank: the job took $dt s to stop"

# 3. mpirun, SIGTERM to both ranks while MPI starts in them (what srun and Slurm's --signal do).
start d.h5 mpirun
for _ in $(seq 100); do [[ $(ranks_of d.h5 | wc -l) -ge 2 ]] && break; sleep 0.01; done
sleep 0.15  # past exec and the loader, into main: MPI_Init takes about 0.3 s
kill -TERM $(ranks_of d.h5); rc=0; wait $job || rc=$?
[[ $rc -eq 75 ]] && grep -qF "stopped at a checkpoint (SIGTERM on 2 of 2 ranks)" err.txt ||
  { cat err.txt >&2; fail "SIGTERM to the starting ranks: exit $rc"; }

# 4. mpirun forwards SIGUSR1: exit 75 through mpirun.
start e.h5 mpirun; sleep 1.0; kill -USR1 $job; rc=0; wait $job || rc=$?
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "SIGUSR1 to mpirun: exit $rc, expected 75"; }
grep -qF "stopped at a checkpoint (SIGUSR1 from mpirun on 2 of 2 ranks)" err.txt || { cat err.txt >&2; fail "SIGUSR1: message"; }

# 5. SIGINT to mpirun: the run stops at a checkpoint (it must not go on to the end), says why, resumes.
start f.h5 mpirun; sleep 1.0; kill -INT $job; rc=0; wait $job || rc=$?
[[ $rc -ne 0 ]] || fail "SIGINT to mpirun: the run went on to the end"
grep -qF "stopped at a checkpoint (SIGTERM from mpirun on 2 of 2 ranks; mpirun exits 1" err.txt ||
  { cat err.txt >&2; fail "SIGINT to mpirun: no message"; }
finish f.h5

# 6. A signal while a task is being set up (here σ_ref of continual learning: seconds of sampling in
#    the disorder) ends the process at once with 75 and says so.
cat > setup.toml <<'TOML'
[model]
name = "binary_perceptron"
N = 101
alpha = 0.5
mode = "continual"
alpha1 = 0.5
ref_sweeps = 5000000
[tempering]
beta = [1.0]
TOML
"$ptmc" run setup.toml -o s.h5 -q -t 1 >out.txt 2>err.txt &
job=$!
for _ in $(seq 500); do grep -q "task(s) on" err.txt && break; sleep 0.01; done
sleep 0.3  # the task's setup (about 7 s) has begun
t0=$(now); kill -TERM $job; rc=0; wait $job || rc=$?; dt=$(elapsed "$t0" "$(now)")
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "SIGTERM during setup: exit $rc, expected 75"; }
grep -qF "SIGTERM while task p0000-s0000 was being set up" err.txt || { cat err.txt >&2; fail "SIGTERM during setup: no message"; }
"$PTMC_PYTHON" -c "import sys; sys.exit(float(sys.argv[1]) > 1)" "$dt" || fail "SIGTERM during setup: took $dt s to stop"
echo "signals: ok"
