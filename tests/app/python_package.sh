# The Python package python/ptmc: load() of a Monte Carlo run, of its theory file and of a run killed
# mid-way gives the table `ptmc summarize` prints (same columns, same numbers); series, P(q) and the
# tempering diagnostics agree with what the run did; overlay() draws one curve per group.
source "$(dirname "$0")/common.bash"
"$PTMC_PYTHON" -c "import pandas" 2>/dev/null ||
  fail "python3-pandas is missing (scripts/install-deps.sh installs it): the package python/ptmc needs it"
write_small_sweep sweep.toml
printf '[output]\nseries = "all"\n' >> sweep.toml  # the raw series are checked below
"$ptmc" run sweep.toml -o mc.h5 -q 2>/dev/null
"$ptmc" theory sweep.toml -o theory.h5 2>/dev/null
"$ptmc" summarize mc.h5 > mc.csv 2>/dev/null
"$ptmc" summarize theory.h5 > theory.csv
# A run killed mid-way: no stored summary, so load() goes through `ptmc summarize` (task files merged).
sed 's/^sweeps = 400/sweeps = 4000000/; s/^samples = 3/samples = 1/' sweep.toml > long.toml
printf 'flush_seconds = 0.2\n' >> long.toml
"$ptmc" run long.toml -o killed.h5 -q 2>/dev/null & pid=$!
for _ in $(seq 50); do [[ -n $(ls killed.h5.tasks/*.h5 2>/dev/null) ]] && break; sleep 0.1; done
# Killed only once the output and its task file have been written at least once (under load the first
# flush can come later than the task file's creation, and a never-flushed file is not what is tested).
for _ in $(seq 100); do
  "$PTMC_PYTHON" -c "import glob, h5py, sys; sys.exit(not all(map(h5py.is_hdf5, ['killed.h5', *glob.glob('killed.h5.tasks/*.h5')])))" && break
  sleep 0.1
done
sleep 1
# SIGKILL between two flushes: stopped first, killed once its task file reads whole (a kill during a
# flush tears the file, and summarize then leaves the task out: tested below with a torn copy).
killed=0
for _ in $(seq 50); do
  kill -STOP $pid
  if "$ptmc" summarize killed.h5 > killed.csv 2> killed.err && ! grep -q "left out" killed.err; then
    kill -KILL $pid; killed=1; break
  fi
  kill -CONT $pid; sleep 0.05
done
[[ $killed == 1 ]] || fail "the killed run's task file never read whole between flushes"
wait $pid 2>/dev/null || true
"$ptmc" summarize killed.h5 > killed.csv 2>/dev/null
# A task file torn mid-write (here truncated) and no checkpoint copy: summarize leaves that task out with
# a warning rather than failing (it once stopped with "HDF5: read m", following the sample's link).
mkdir torn && cp -r killed.h5 killed.h5.tasks torn/
task=$(ls torn/killed.h5.tasks/*.h5 | head -n 1)
size=$(stat -c %s "$task")  # its middle half zeroed: the series' chunks no longer decompress
dd if=/dev/zero of="$task" bs=4096 seek=$((size / 16384)) count=$((size / 8192)) conv=notrunc status=none
rm -f torn/killed.h5.tasks/*.snap*
# (run inside torn/: the sample links are relative, and HDF5 also looks for them from the working directory)
(cd torn && "$ptmc" summarize killed.h5 > ../torn.csv 2> ../torn.err) || { cat torn.err >&2; fail "summarize of a torn task file failed"; }
grep -q "left out" torn.err || fail "summarize of a torn task file did not say it left the task out"
PYTHONPATH="$src/python" PTMC_BIN="$ptmc" MPLBACKEND=Agg "$PTMC_PYTHON" - <<'PY' || fail "see above"
import numpy as np, pandas as pd, matplotlib.pyplot as plt
import ptmc

def same_as_summarize(table, csv):
    want = pd.read_csv(csv)
    assert list(table.columns) == list(want.columns), (list(table.columns), list(want.columns))
    assert len(table) == len(want), (len(table), len(want))
    for c in want.columns:
        a, b = table[c].to_numpy(dtype=float), want[c].to_numpy(dtype=float)
        assert np.allclose(a, b, rtol=1e-9, atol=0, equal_nan=True), (csv, c, a, b)

mc, th, killed = ptmc.load("mc.h5"), ptmc.load("theory.h5"), ptmc.load("killed.h5")
same_as_summarize(mc, "mc.csv")
same_as_summarize(th, "theory.csv")
same_as_summarize(killed, "killed.csv")
assert mc.kind == "monte_carlo" and th.kind == "theory" and mc.swept == ["N"], (mc.kind, th.kind, mc.swept)
assert "q2_err" in mc.columns and "q2_err" not in th.columns and "q2" in th.columns
# a row selection keeps the methods
sub = mc[mc.N == 16]
assert len(sub) == 4 and sub.ladder(int(sub.point.iloc[0])).tolist() == sub.beta.tolist()
# what the run did: 2 points x 3 samples, 50 + 400 sweeps, a measurement every sweep, 4 temperatures, 2 replicas
assert mc.point_indices() == [0, 1] and mc.samples(1) == [0, 1, 2]
a = mc.sample_attrs(1, 2)
assert a["complete"] == 1 and a["sweeps"] == 450 and a["measurements"] == 400, a
e = mc.series("energy", point=1, sample=2)
assert e.shape == (400, 4), e.shape
assert mc.walk(0, 0).shape == (400, 2, 4)
# the per-sample mean energy at the coldest temperature is what the summary averages
means = [mc.series("energy", 0, s)[:, 3].mean() for s in range(3)]
row = mc[(mc.point == 0)].iloc[3]
assert abs(np.mean(means) - row["energy"]) < 1e-9, (means, row["energy"])
q, P, P_err = mc.histogram(0)
assert P.shape == (4, len(q)) and np.allclose(P.sum(axis=1) * (q[1] - q[0]), 1, rtol=1e-6) or np.allclose(P.sum(axis=1), 1), P.sum(axis=1)
q0, counts, _ = mc.histogram(0, sample=1)
assert counts.shape == P.shape and counts.sum() > 0
sw = mc.swap_rates(0)
assert len(sw) == 3 and (sw.attempts > 0).all() and ((sw.rate >= 0) & (sw.rate <= 1)).all(), sw
assert sw.accepts.sum() == sum(mc.swap_rates(0, s).accepts.sum() for s in range(3))
rt = mc.round_trips(0)
assert rt.shape == (2, 4) and (rt == sum(mc.round_trips(0, s) for s in range(3))).all()
assert mc.up_fraction(0, 0).shape == (4,)
# the killed run: one task, incomplete, its series as flushed
assert killed.sample_attrs(0, 0)["complete"] == 0
# the per-point view the plot scripts use
pts = mc.points()
assert [p.params["N"] for p in pts] == [12, 16] and np.allclose(pts[1].value("q2"), mc[mc.point == 1].q2)
# overlay: one MC error-bar set and one theory line per N
fig, ax = plt.subplots()
drawn = ptmc.overlay(ax, mc, th, x="T", y="q2", by="N")
assert [d[0] for d in drawn] == [12, 16] and all(d[1] is not None and d[2] is not None for d in drawn)
assert len(ax.lines) >= 2 and np.allclose(sorted(drawn[0][2].get_xdata()), sorted(1 / th[th.N == 12].beta))
print("python package: load() equals summarize for MC, theory and a killed run;", len(mc), "rows")
PY
