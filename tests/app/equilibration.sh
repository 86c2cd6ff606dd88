# The equilibration check fails on a deliberately too-short run (SK N = 64 down to T = 1/3, no
# thermalization, 100 sweeps), passes on a long one, and auto_extend extends the short one until it passes.
source "$(dirname "$0")/common.bash"
cat > short.toml <<'TOML'
[model]
name = "sk"
N = 64
[tempering]
beta = { min = 0.5, max = 3.0, count = 10, spacing = "geometric" }
[run]
sweeps = 100
thermalization = 0
samples = 2
seed = 3
TOML
sed 's/sweeps = 100/sweeps = 20000/; s/thermalization = 0/thermalization = 2000/' short.toml > long.toml
sed 's/^seed = 3/seed = 3\nauto_extend = true\nmax_sweeps = 100000/' short.toml > auto.toml
column() {  # column NAME FILE.csv [ROWS] -> the values of that column (first ROWS rows), one per line
  "$PTMC_PYTHON" -c "import csv,sys; rows = list(csv.DictReader(open(sys.argv[2])))[:int(sys.argv[3])]
for r in rows: print(r[sys.argv[1]])" "$1" "$2" "${3:-1000000}"
}
for f in short long auto; do
  "$ptmc" run $f.toml -o $f.h5 -q
  "$ptmc" summarize $f.h5 > $f.csv 2> $f.err
done
[[ $(column equilibrated short.csv | sort -u) == 0 ]] || fail "the too-short run passed the check"
grep -q "failed the equilibration check" short.err || fail "summarize did not flag the short run"
[[ $(column equilibrated long.csv | sort -u) == 1 ]] || fail "the long run failed the check"
[[ ! -s long.err ]] || fail "summarize flagged the long run"
[[ $(column equilibrated auto.csv | sort -u) == 1 ]] || fail "auto_extend did not reach equilibrium"
"$PTMC_PYTHON" - <<'PY' || fail "auto_extend did not extend the run"
import h5py
s = h5py.File("auto.h5")["points/p0000/samples/s0000"]
assert s.attrs["sweeps"] > 100 and s.attrs["measurements"] == s.attrs["sweeps"], s.attrs["sweeps"]
PY
# Diagnostics are there: swap acceptance in (0, 1) for every pair, round trips counted.
column pair_acceptance long.csv 9 | "$PTMC_PYTHON" -c "
import sys; a = [float(x) for x in sys.stdin]; assert all(0 < x < 1 for x in a), a" || fail "pair acceptance"
[[ $(column round_trips_min long.csv 1 | cut -d. -f1) -ge 1 ]] || fail "no round trips counted"
echo "equilibration: ok"
