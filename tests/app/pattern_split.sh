# Data-domain level: a dense network's patterns split over a group of 2 or 3 ranks gives bitwise the
# same series, vectors and summary as one rank (P = 2 and 4), also with 2 threads per rank; a model that cannot split says so and
# the job exits (no hang).
source "$(dirname "$0")/common.bash"
cat > d.toml <<'TOML'
[model]
name = "dense_hebbian"
N = 20
P = [2, 4]
K = 37
init = "archetype"
[tempering]
beta = { min = 0.5, max = 4.0, count = 4 }
[run]
sweeps = 300
thermalization = 50
samples = 2
seed = 7
split = "patterns"
[output]
vector_every = 10
TOML
OMP_NUM_THREADS=2 "$ptmc" run d.toml -o one.h5 -q
OMP_NUM_THREADS=1 mpirun -np 2 "$ptmc" run d.toml -o two.h5 -q --ranks-per-task 2
OMP_NUM_THREADS=1 mpirun -np 3 "$ptmc" run d.toml -o three.h5 -q --ranks-per-task 3
"$PTMC_PYTHON" - one.h5 two.h5 three.h5 <<'PY' || fail "split runs differ from the single-rank run"
import sys, h5py, numpy as np
def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out
ref = datasets(sys.argv[1])
keys = [k for k in ref if "/series/" in k or "/vectors/" in k or "summary" in k]
assert any("/vectors/" in k for k in keys) and len(keys) > 40, keys
for other in sys.argv[2:]:
    got = datasets(other)
    bad = [k for k in keys if k not in got or not np.array_equal(ref[k], got[k], equal_nan=True)]
    assert not bad, (other, bad[:5])
PY
# Threads compose: 2 threads per rank run different walkers at once, each on its own communicator
# (a shorter run: 4 busy threads on 2 cores are slow).
sed 's/sweeps = 300/sweeps = 60/; s/thermalization = 50/thermalization = 10/' d.toml > short.toml
OMP_NUM_THREADS=1 "$ptmc" run short.toml -o short1.h5 -q
OMP_NUM_THREADS=2 mpirun -np 2 "$ptmc" run short.toml -o short2.h5 -q --ranks-per-task 2
"$ptmc" summarize short1.h5 > short1.csv 2>/dev/null
"$ptmc" summarize short2.h5 > short2.csv 2>/dev/null
cmp short1.csv short2.csv || fail "2 threads per rank in a pattern group differ from one rank"
sed 's/name = "dense_hebbian"/name = "sk"/; /^P = /d; /^K = /d; /^init = /d' d.toml > sk.toml
expect_fail "split of a model without patterns" 'split = "patterns" is not available for model sk' \
  mpirun -np 2 "$ptmc" run sk.toml -o sk.h5 -q --ranks-per-task 2
echo "pattern_split: ok"
