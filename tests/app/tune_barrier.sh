# The communication barrier: `ptmc summarize` reports Λ(β) = Σ_{i<t} (1 - pair_acceptance_i), 0 at
# the hottest temperature, and `ptmc tune --method barrier --temperatures auto` writes a ladder of
# 1 + ceil(Λ / 0.5) temperatures with the same ends, Λ as its last pilot pass measured it.
source "$(dirname "$0")/common.bash"
cat > p.toml <<'TOML'
[model]
name = "sk"
N = 32
[tempering]
beta = { min = 0.3, max = 2.0, count = 5 }
swaps = "deo"
[run]
sweeps = 2000
thermalization = 200
seed = 3
TOML
"$ptmc" run p.toml -o p.h5 -q
"$ptmc" summarize p.h5 > p.csv
"$PTMC_PYTHON" - <<'PY' || fail "barrier column"
import csv, math
r = list(csv.DictReader(open("p.csv")))
assert len(r) == 5, len(r)
lam = [float(x["barrier"]) for x in r]
acc = [float(x["pair_acceptance"]) for x in r[:-1]]
assert lam[0] == 0.0, lam
for t in range(4):
    assert abs(lam[t + 1] - lam[t] - (1 - acc[t])) < 1e-6, (lam, acc)
assert 0 < lam[-1] < 4, lam
PY
"$ptmc" tune p.toml -o tuned.toml --method barrier --temperatures auto --sweeps 500 --iterations 2 2> tune.err
lambda=$(grep "pass 2/2" tune.err | sed 's/.*barrier \([0-9.]*\).*/\1/')
[[ -n $lambda ]] || { cat tune.err >&2; fail "tune does not report the barrier"; }
"$PTMC_PYTHON" - "$lambda" <<'PY' || fail "tuned ladder"
import math, re, sys, tomllib
lam = float(sys.argv[1])
cfg = tomllib.load(open("tuned.toml", "rb"))
beta = cfg["tempering"]["ladder"][0]["beta"]
n_pass1 = None
assert abs(beta[0] - 0.3) < 1e-9 and abs(beta[-1] - 2.0) < 1e-9, beta
assert all(a < b for a, b in zip(beta, beta[1:])), beta
# The count follows the barrier measured on the ladder the last pass ran on (printed 3 decimals).
assert abs(len(beta) - (1 + math.ceil(lam / 0.5))) <= 1, (len(beta), lam)
PY
expect_fail "bad method" "method" "$ptmc" tune p.toml --method nonsense
echo "tune_barrier: ok"
