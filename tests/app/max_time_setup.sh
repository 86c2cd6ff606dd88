# --max-time holds before the first sweep too: while OUT is prepared for many tasks (a million
# external links take half a minute) and while one task is set up (a long reference chain), a run
# stops at the deadline with exit 75 and says so; --resume then goes on from where it stopped.
source "$(dirname "$0")/common.bash"
cat > many.toml <<'TOML'
[model]
name = "curie_weiss"
N = 5
[tempering]
beta = [1.0]
[run]
sweeps = 10
thermalization = 0
samples = 100000
TOML
# Deadline: --max-time 5.05 less the 5 s margin = 50 ms after the start, well inside the preparation
# of 100 000 task links on any machine (a 1 s deadline was passed before the preparation ended on a
# fast disk, and the run then stopped at its first task instead).
SECONDS=0
rc=0
OMP_NUM_THREADS=1 "$ptmc" run many.toml -o many.h5 -q --max-time 5.05 2>err.txt || rc=$?
took=$SECONDS
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "preparing 100 000 tasks under --max-time 5.05: exit $rc, expected 75"; }
((took <= 6)) || fail "preparing 100 000 tasks under --max-time 5.05 took ${took} s"
grep -q "(--max-time): many.h5 was being prepared, before any task ran" err.txt || { cat err.txt >&2; fail "no message about the preparation"; }
rc=0
OMP_NUM_THREADS=1 "$ptmc" run many.toml -o many.h5 -q --max-time 6 --resume 2>err.txt || rc=$?
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "resume after a stop in the preparation: exit $rc, expected 75"; }

cat > setup.toml <<'TOML'
[model]
name = "binary_perceptron"
N = 301
alpha = 0.5
mode = "continual"
alpha1 = 0.5
ref_sweeps = 50000000
[tempering]
beta = [1.0]
TOML
SECONDS=0
rc=0
OMP_NUM_THREADS=1 "$ptmc" run setup.toml -o setup.h5 -q --max-time 6 2>err.txt || rc=$?
took=$SECONDS
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "a long setup under --max-time 6: exit $rc, expected 75"; }
((took <= 6)) || fail "a long setup under --max-time 6 took ${took} s"
grep -q -- "--max-time" err.txt || { cat err.txt >&2; fail "a long setup: the message does not name --max-time"; }
echo "max_time_setup: ok"
