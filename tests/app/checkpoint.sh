# Checkpoint and restart: a run killed with SIGKILL (its task files then overwritten with noise), then
# stopped by SIGTERM, then by --max-time (in groups of 2 ranks per task), each time resumed with
# another layout, ends with bitwise the same summary as a run that was never interrupted.
source "$(dirname "$0")/common.bash"
cat > r.toml <<'TOML'
[model]
name = "sk"
N = [24, 32]
[tempering]
beta = { min = 0.4, max = 2.0, count = 6 }
[run]
sweeps = 150000
thermalization = 100
samples = 3
seed = 5
[output]
flush_seconds = 0.1
checkpoint_seconds = 0.3
TOML
OMP_NUM_THREADS=1 "$ptmc" run r.toml -o full.h5 -q
"$ptmc" summarize full.h5 > full.csv

OMP_NUM_THREADS=1 mpirun -np 2 "$ptmc" run r.toml -o cut.h5 -q &
pid=$!
# Kill as soon as a checkpoint exists (the start of mpirun can take seconds on a loaded machine). A
# task lasts about a second here and removes its checkpoint when it ends: a further wait of 0.5 s
# could land after the first tasks had ended and before the next ones had checkpointed, and find
# none.
for _ in $(seq 300); do ls cut.h5.tasks/*.ckpt >/dev/null 2>&1 && break; sleep 0.1; done
# The ranks first (mpirun's children: once mpirun is gone they would belong to init), then mpirun;
# by parent, not by command line, so that another copy of this test running beside it is untouched.
pkill -9 -P $pid 2>/dev/null || true
kill -9 $pid
wait $pid 2>/dev/null || true
ls cut.h5.tasks/*.ckpt >/dev/null 2>&1 || fail "no checkpoint was written before the kill"
# A kill while HDF5 writes can leave a task file inconsistent: each checkpointed task must resume from
# the copy of its file taken with the checkpoint, so here the files themselves are overwritten.
for ckpt in cut.h5.tasks/*.ckpt; do
  task=${ckpt%.ckpt}.h5
  [[ -s $task.snap ]] || fail "no copy of $task beside its checkpoint"
  head -c 4096 /dev/urandom > "$task"
done

touch resumed.marker
OMP_NUM_THREADS=1 "$ptmc" run r.toml -o cut.h5 -q --resume &
pid=$!
# SIGTERM once the resumed run has written a checkpoint of its own (its handler is then in place; a
# fixed wait lost the race when start-up was slow on a loaded machine).
for _ in $(seq 300); do [[ -n $(find cut.h5.tasks -name '*.ckpt' -newer resumed.marker 2>/dev/null) ]] && break; sleep 0.1; done
kill -TERM $pid
rc=0
wait $pid || rc=$?
[[ $rc -eq 75 || $rc -eq 0 ]] || fail "SIGTERM: exit code $rc, expected 75 (checkpointed)"

rc=0
OMP_NUM_THREADS=1 mpirun -np 2 "$ptmc" run r.toml -o cut.h5 -q --resume --max-time 6 --ranks-per-task 2 || rc=$?
[[ $rc -eq 75 || $rc -eq 0 ]] || fail "--max-time: exit code $rc"
if [[ $rc -eq 75 ]]; then
  OMP_NUM_THREADS=2 "$ptmc" run r.toml -o cut.h5 -q --resume || fail "final resume failed"
fi
"$ptmc" summarize cut.h5 > cut.csv
cmp full.csv cut.csv || fail "resumed run differs from the uninterrupted one"
[[ ! -e cut.h5.tasks ]] || fail "task files left behind"
expect_fail "resume of a finished run" "already complete" "$ptmc" run r.toml -o cut.h5 --resume
sed 's/seed = 5/seed = 6/' r.toml > other.toml
expect_fail "resume with another file" "different parameter file" "$ptmc" run other.toml -o full.h5 --resume
echo "checkpoint: ok"
