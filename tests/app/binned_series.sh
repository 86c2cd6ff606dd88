# Binned series ([output] series = "bins", the default): a run stores at most max_bins bins per series
# and temperature and the walk of its first 1024 measurements, says so in its attributes, and summarises to bitwise the same means and errors as
# the same run with series = "all" (4096 measurements: 128 bins of 32, whose windows are the full
# series' ones; τ_int to rounding); a run
# killed with SIGKILL and resumed has bitwise the bins of one never interrupted; summarize, status,
# the Python package and the diagnostics figure read both storages; bad keys are refused.
source "$(dirname "$0")/common.bash"
cat > bins.toml <<'TOML'
[model]
name = "sk"
N = 16
[tempering]
beta = { min = 0.4, max = 1.6, count = 4 }
[run]
sweeps = 4096
thermalization = 100
samples = 2
seed = 21
[output]
max_bins = 128
TOML
sed 's/^max_bins = 128/series = "all"/' bins.toml > all.toml
"$ptmc" run bins.toml -o bins.h5 -q
"$ptmc" run all.toml -o all.h5 -q
"$ptmc" summarize bins.h5 > bins.csv
"$ptmc" summarize all.h5 > all.csv
cmp all.csv bins.csv || { diff all.csv bins.csv | head -5 >&2; fail "the binned run's summary differs from the full series'"; }
"$PTMC_PYTHON" - <<'PY' || fail "the binned run's stored summary is not bitwise the full series'"
import h5py, numpy as np
a, b = h5py.File("all.h5")["points/p0000/summary"], h5py.File("bins.h5")["points/p0000/summary"]
assert sorted(a) == sorted(b)
for name in a:
    x, y = a[name][()], b[name][()]
    if name.endswith("_tau"):  # the unbinned variance: Welford's update against two passes
        assert np.allclose(x, y, rtol=1e-12, atol=0, equal_nan=True), (name, x, y)
    else:
        assert np.array_equal(x, y, equal_nan=True), (name, x - y)
PY
"$PTMC_PYTHON" - <<'PY' || fail "storage attributes or sizes"
import h5py
b, a = h5py.File("bins.h5"), h5py.File("all.h5")
assert b.attrs["series"] == b"bins" and b.attrs["max_bins"] == 128 and a.attrs["series"] == b"all", dict(b.attrs)
for f, rows in ((b, 128), (a, 4096)):
    s = f["points/p0000/samples/s0001"]
    assert s.attrs["measurements"] == 4096 and s["series/energy"].shape == (rows, 4), s["series/energy"].shape
assert b["points/p0000/samples/s0001/walk"].shape == (1024, 2, 4) and a["points/p0000/samples/s0001/walk"].shape == (4096, 2, 4)
assert (b["points/p0000/samples/s0001/walk"][()] == a["points/p0000/samples/s0001/walk"][:1024]).all()
sb = b["points/p0000/samples/s0001/series"]
assert sb.attrs["storage"] == b"bins" and sb.attrs["bin_size"] == 32 and "storage" not in a["points/p0000/samples/s0001/series"].attrs
PY

# Killed once a checkpoint exists, resumed: the same bins as a run never interrupted. Each task runs
# for several checkpoint intervals (about 1.3 s here), so that the kill, 0.3 s after the first
# checkpoint appears, lands inside a task rather than between the first task's end and the second's
# first checkpoint (at 100000 sweeps a task took 0.45 s and the kill missed every time).
cat > long.toml <<'TOML'
[model]
name = "sk"
N = 16
[tempering]
beta = { min = 0.4, max = 1.6, count = 4 }
[run]
sweeps = 300000
thermalization = 100
samples = 2
seed = 22
[output]
flush_seconds = 0.1
checkpoint_seconds = 0.2
TOML
OMP_NUM_THREADS=1 "$ptmc" run long.toml -o full.h5 -q
OMP_NUM_THREADS=1 "$ptmc" run long.toml -o cut.h5 -q &
pid=$!
for _ in $(seq 300); do ls cut.h5.tasks/*.ckpt >/dev/null 2>&1 && break; sleep 0.05; done
sleep 0.3
kill -9 $pid
wait $pid 2>/dev/null || true
ls cut.h5.tasks/*.ckpt >/dev/null 2>&1 || fail "no checkpoint was written before the kill"
OMP_NUM_THREADS=1 "$ptmc" run long.toml -o cut.h5 -q --resume || fail "resume failed"
"$PTMC_PYTHON" - <<'PY' || fail "the resumed run's bins differ from the uninterrupted run's"
import h5py, numpy as np
a, b = h5py.File("full.h5"), h5py.File("cut.h5")
for s in ("s0000", "s0001"):
    ga, gb = a["points/p0000/samples"][s], b["points/p0000/samples"][s]
    assert ga["series"].attrs["bin_size"] == gb["series"].attrs["bin_size"] > 1
    for group in ("series", "series_stats"):
        for name in ga[group]:
            x, y = ga[group][name][()], gb[group][name][()]
            assert x.shape == y.shape and np.array_equal(x, y, equal_nan=True), (s, group, name)
    assert ga["series/energy"].shape[0] <= 256 and ga["walk"].shape[0] == 1024
    assert np.array_equal(ga["walk"][()], gb["walk"][()])
PY
"$ptmc" summarize full.h5 > full.csv
"$ptmc" summarize cut.h5 > cut.csv
cmp full.csv cut.csv || fail "resumed summary differs"

# The readers: status, the Python package, the diagnostics figure.
"$ptmc" status bins.h5 > status.txt || fail "ptmc status of a binned run"
grep -q "equilibration: 1 of 1 point" status.txt || { cat status.txt >&2; fail "status did not judge the binned run"; }
PYTHONPATH="$src/python" PTMC_BIN="$ptmc" "$PTMC_PYTHON" - <<'PY' || fail "python/ptmc on binned series"
import numpy as np, ptmc
b, a = ptmc.load("bins.h5"), ptmc.load("all.h5")
ib, ia = b.series_info(0, 1), a.series_info(0, 1)
assert (ib["storage"], ib["bin_size"], ib["rows"], ib["measurements"], ib["max_bins"]) == ("bins", 32, 128, 4096, 128), ib
assert (ia["storage"], ia["bin_size"], ia["rows"]) == ("all", 1, 4096), ia
assert ib["x"][0] == 15.5 and np.array_equal(ia["x"], np.arange(4096))
eb, ea = b.series("energy", 0, 1), a.series("energy", 0, 1)
assert eb.shape == (128, 4) and np.allclose(eb, ea.reshape(128, 32, 4).mean(axis=1), rtol=1e-12, atol=1e-14)
assert np.allclose(b.series_mean("energy", 0, 1), ea.mean(axis=0), rtol=1e-13, atol=0)
assert np.allclose(a.series_mean("energy", 0, 1), ea.mean(axis=0))
PY
MPLBACKEND=Agg "$PTMC_PYTHON" "$src/analysis/plot/diagnostics.py" bins.h5 -o diag >/dev/null || fail "diagnostics.py on bins.h5"
[[ -s diag.png ]] || fail "diagnostics.py drew nothing for bins.h5"

# Bad keys are refused with the file, the key and what was expected.
sed 's/^max_bins = 128/max_bins = 129/' bins.toml > odd.toml
expect_fail "odd max_bins" "max_bins" "$ptmc" check odd.toml
grep -q "even" err.txt || fail "odd max_bins: the message does not say it must be even"
sed 's/^max_bins = 128/max_bins = 64/' bins.toml > few.toml
expect_fail "too few bins" "max_bins" "$ptmc" check few.toml
sed 's/^max_bins = 128/series = "some"/' bins.toml > mode.toml
expect_fail "unknown storage" "series" "$ptmc" check mode.toml
echo "binned series: ok"
