# A run killed with SIGKILL mid-way leaves readable files: summarize works on what was written.
source "$(dirname "$0")/common.bash"
cat > long.toml <<'TOML'
[model]
name = "sk"
N = 64
[tempering]
beta = { min = 0.3, max = 2.0, count = 6 }
[run]
sweeps = 100000000
[output]
flush_seconds = 0.2
TOML
"$ptmc" run long.toml -o long.h5 -q &
pid=$!
sleep 3
kill -9 $pid
wait $pid 2>/dev/null || true
"$ptmc" summarize long.h5 > long.csv || fail "summarize of an interrupted run failed"
[[ $(wc -l < long.csv) -eq 7 ]] || fail "expected 6 temperatures in the summary"
"$PTMC_PYTHON" - long.h5 <<'PY' || fail "h5py cannot read the interrupted file"
import sys, h5py
f = h5py.File(sys.argv[1], "r")  # the task's own file, seen through an external link
s = f["points/p0000/samples/s0000"]
n = int(s.attrs["measurements"])
rows = n // int(s["series"].attrs.get("bin_size", 1))  # series = "bins" (the default): whole bins
assert n > 0 and s["series/energy"].shape[0] >= rows, (n, s["series/energy"].shape)
assert int(s.attrs["complete"]) == 0
PY
echo "interrupted: ok"
