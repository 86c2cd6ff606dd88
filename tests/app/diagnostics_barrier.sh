# The diagnostics figure's barrier Λ(β) is the summary's barrier column: for a one-sample run the
# curve that analysis/plot/diagnostics.py prints (and draws) must equal `ptmc summarize`'s barrier at
# every temperature, 0 at the hottest, for both swap schemes.
source "$(dirname "$0")/common.bash"
for swaps in sequential deo; do
  cat > $swaps.toml <<TOML
[model]
name = "sk"
N = 16
[tempering]
beta = { min = 0.4, max = 2.5, count = 6 }
swaps = "$swaps"
[run]
sweeps = 2000
thermalization = 100
samples = 1
seed = 5
TOML
  "$ptmc" run $swaps.toml -o $swaps.h5 -q
  "$ptmc" summarize $swaps.h5 > $swaps.csv
  MPLBACKEND=Agg "$PTMC_PYTHON" "$src/analysis/plot/diagnostics.py" $swaps.h5 -o diag-$swaps > diag-$swaps.txt ||
    fail "diagnostics.py on $swaps.h5"
  [[ -s diag-$swaps.png ]] || fail "diagnostics.py drew nothing for $swaps.h5"
  "$PTMC_PYTHON" - $swaps <<'PY' || fail "the diagnostics figure's barrier differs from the summary's ($swaps swaps)"
import csv, sys
swaps = sys.argv[1]
rows = sorted(csv.DictReader(open(f"{swaps}.csv")), key=lambda r: float(r["beta"]))
summary = [float(r["barrier"]) for r in rows]
line = [l for l in open(f"diag-{swaps}.txt") if l.startswith("barrier Λ(β), sample 0:")]
assert len(line) == 1, f"diagnostics.py printed no barrier line: {open(f'diag-{swaps}.txt').read()!r}"
drawn = [float(x) for x in line[0].split(":")[1].split()]
assert len(drawn) == len(summary) == 6, (drawn, summary)
assert drawn[0] == 0 and summary[-1] > 0.5, (drawn, summary)
for d, s in zip(drawn, summary):
    assert abs(d - s) <= 1e-8 * max(1.0, abs(s)), (drawn, summary)
PY
done
