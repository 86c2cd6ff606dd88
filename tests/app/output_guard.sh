# What is at the output path is never lost: a rerun without --resume refuses to replace an earlier run,
# an interrupted run's task folder, a foreign file or the parameter file (and says how to continue or
# replace); --overwrite replaces; a second run on an output being written is refused by its lock; an
# output path that is a folder is refused with nothing left behind; a parameter text over 64 kB is
# stored; a changed data_file refuses --resume; summarize reads a running job; corrupt task files and
# checkpoints restart only their task; a deleted task folder is reported; a corrupt output says so.
source "$(dirname "$0")/common.bash"
write_small_sweep small.toml
OMP_NUM_THREADS=1 "$ptmc" run small.toml -o a.h5 -q 2>/dev/null
"$ptmc" summarize a.h5 > a.csv 2>/dev/null
sum_before=$(md5sum < a.h5)

# Rerun over a finished run, a foreign HDF5 file, a text file, the parameter file, a folder.
expect_fail "rerun over a finished run" "holds a finished ptmc run of small.toml" "$ptmc" run small.toml -o a.h5 -q
grep -q -- "--overwrite" err.txt || fail "the refusal does not say how to replace"
[[ $(md5sum < a.h5) == "$sum_before" ]] || fail "a refused rerun changed a.h5"
"$PTMC_PYTHON" -c "import h5py; h5py.File('foreign.h5', 'w')['x'] = [1, 2, 3]"
expect_fail "rerun over a foreign HDF5 file" "not written by ptmc" "$ptmc" run small.toml -o foreign.h5 -q
"$PTMC_PYTHON" -c "import h5py; assert list(h5py.File('foreign.h5')['x'][:]) == [1, 2, 3]" || fail "foreign.h5 was changed"
echo "my notes" > notes.txt
expect_fail "rerun over a text file" "not an HDF5 file" "$ptmc" run small.toml -o notes.txt -q
[[ $(cat notes.txt) == "my notes" ]] || fail "notes.txt was changed"
cp small.toml self.toml
expect_fail "output = the parameter file" "is the parameter file itself" "$ptmc" run self.toml -o self.toml -q --overwrite
cmp small.toml self.toml || fail "the parameter file was overwritten"
mkdir folder
expect_fail "output is a folder" "is a folder" "$ptmc" run small.toml -o folder -q
[[ -z $(ls -A folder) && ! -e folder.tasks && ! -e folder.lock ]] || fail "a refused folder output left files behind"
OMP_NUM_THREADS=1 "$ptmc" run small.toml -o notes.txt -q --overwrite 2>/dev/null || fail "--overwrite did not replace notes.txt"
"$ptmc" summarize notes.txt > notes.csv 2>/dev/null && cmp a.csv notes.csv || fail "--overwrite run differs"

# An interrupted run: a rerun without --resume keeps its task folder and says how to continue.
cat > long.toml <<'TOML'
[model]
name = "sk"
N = 64
[tempering]
beta = { min = 0.3, max = 2.0, count = 6 }
[run]
sweeps = 100000000
samples = 2
[output]
flush_seconds = 0.2
checkpoint_seconds = 0.3
TOML
OMP_NUM_THREADS=1 "$ptmc" run long.toml -o long.h5 -q 2>/dev/null &
pid=$!
for _ in $(seq 300); do ls long.h5.tasks/*.ckpt >/dev/null 2>&1 && break; sleep 0.1; done
# While it runs: a second run on the same output is refused by the lock, and summarize reads it.
expect_fail "a second run on a running output" "another ptmc run" "$ptmc" run long.toml -o long.h5 -q --overwrite
expect_fail "a second --resume on a running output" "another ptmc run" "$ptmc" run long.toml -o long.h5 -q --resume
for _ in 1 2 3 4 5; do
  "$ptmc" summarize long.h5 > live.csv 2>err.txt || { cat err.txt >&2; fail "summarize of a running job"; }
  [[ $(wc -l < live.csv) -eq 7 ]] || fail "summarize of a running job: expected 6 temperatures"
  "$PTMC_PYTHON" -c "import h5py; h5py.File('long.h5', 'r')['points/p0000/samples/s0000/series/energy'].shape" \
    || fail "h5py cannot read a running job"
  sleep 0.3
done
kill -9 $pid
wait $pid 2>/dev/null || true
expect_fail "rerun over an interrupted run" "interrupted ptmc run of long.toml" "$ptmc" run long.toml -o long.h5 -q
grep -q -- "--resume" err.txt || fail "the refusal does not say how to continue"
ls long.h5.tasks/*.ckpt >/dev/null 2>&1 || fail "a refused rerun removed the interrupted run's task folder"

# Corrupt files that block a resume: a truncated checkpoint, and a truncated task file without its
# snapshot copy. Each restarts its own task only, with a warning naming it.
ckpt=$(ls long.h5.tasks/*.ckpt | head -1)
head -c 100 "$ckpt" > cut && mv cut "$ckpt"
others=$(ls long.h5.tasks/*.ckpt | tail -n +2)
for c in $others; do
  task=${c%.ckpt}.h5
  rm -f "$task.snap"
  head -c 2000 "$task" > cut && mv cut "$task"
done
rc=0
OMP_NUM_THREADS=1 "$ptmc" run long.toml -o long.h5 -q --resume --max-time 6 2>err.txt || rc=$?
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "resume with corrupt files: exit $rc, expected 75 (stopped by --max-time)"; }
grep -q "truncated or corrupt" err.txt || { cat err.txt >&2; fail "no warning about the truncated checkpoint"; }
grep -q "starts again from its first sweep" err.txt || fail "the warning does not say what happens"
"$ptmc" summarize long.h5 > /dev/null 2>&1 || fail "summarize after recovering corrupt tasks"

# A deleted task folder: summarize says the data are gone; --resume warns and starts every task again.
rm -rf long.h5.tasks
expect_fail "summarize without the task folder" "task folder long.h5.tasks is missing" "$ptmc" summarize long.h5
rc=0
OMP_NUM_THREADS=1 "$ptmc" run long.toml -o long.h5 -q --resume --max-time 6 2>err.txt || rc=$?
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "resume without the task folder: exit $rc"; }
grep -q "is missing: every task" err.txt || fail "resume without the task folder: no warning"

# A parameter text over 64 kB (what `ptmc tune` writes for a large sweep) is stored and resumed.
{ cat small.toml; for i in $(seq 1500); do echo "# a long comment line, number $i, to make the file large"; done; } > big.toml
[[ $(stat -c %s big.toml) -gt 70000 ]] || fail "big.toml is not big"
OMP_NUM_THREADS=1 "$ptmc" run big.toml -o big.h5 -q 2>err.txt || { cat err.txt >&2; fail "a 70 kB parameter file cannot run"; }
"$PTMC_PYTHON" -c "import h5py; t = h5py.File('big.h5').attrs['parameter_text']; assert t.decode() == open('big.toml').read()" \
  || fail "the stored parameter text differs from the file"

# A data file that changes between a run and its resume is refused, naming the file.
"$PTMC_PYTHON" - <<'PY'
import h5py, numpy as np
rng = np.random.default_rng(1)
for name in ("pa.h5", "pb.h5"):
    h5py.File(name, "w")["patterns"] = rng.choice(np.array([-1, 1], dtype=np.int8), size=(4, 400))
PY
cat > dr.toml <<'TOML'
[model]
name = "dense_hebbian"
N = 400
K = 4
init = "archetype"
data_file = "cur.h5"
[tempering]
beta = [2.0, 4.0]
[run]
sweeps = 100000000
thermalization = 50
[output]
checkpoint_seconds = 0.3
TOML
cp pa.h5 cur.h5
rc=0
OMP_NUM_THREADS=1 "$ptmc" run dr.toml -o dr.h5 -q --max-time 6 2>/dev/null || rc=$?
[[ $rc -eq 75 ]] || fail "data-file run: exit $rc, expected 75"
cp pb.h5 cur.h5
expect_fail "resume with a changed data_file" "the input file cur.h5 has changed" "$ptmc" run dr.toml -o dr.h5 -q --resume
cp pa.h5 cur.h5
rc=0
OMP_NUM_THREADS=1 "$ptmc" run dr.toml -o dr.h5 -q --resume --max-time 6 2>err.txt || rc=$?
[[ $rc -eq 75 ]] || { cat err.txt >&2; fail "resume with the original data_file: exit $rc"; }

# A byte-flipped output: summarize says the file is corrupt (not std::bad_alloc).
cp a.h5 flipped.h5
"$PTMC_PYTHON" - <<'PY'
data = bytearray(open("flipped.h5", "rb").read())
for k in range(0, 4096, 7):
    data[k + 512] ^= 0xFF
open("flipped.h5", "wb").write(bytes(data))
PY
rc=0
"$ptmc" summarize flipped.h5 > /dev/null 2>err.txt || rc=$?
[[ $rc -ne 0 && $rc -lt 128 ]] || fail "summarize of a corrupt file: exit $rc"
! grep -q "bad_alloc" err.txt || fail "summarize of a corrupt file: std::bad_alloc"
grep -qiE "corrupt|cannot open|HDF5" err.txt || { cat err.txt >&2; fail "summarize of a corrupt file: no reason given"; }
echo "output_guard: ok"
