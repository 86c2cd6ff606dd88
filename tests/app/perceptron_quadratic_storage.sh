# Storage with the quadratic cost: Monte Carlo of the binary perceptron with Gaussian inputs (N = 201,
# α = 0.8, κ = 0.2, 8 samples, 2 replicas) against `ptmc theory`'s RS curves at β = 0.5, 1, 2: energy,
# violated fraction and q² (plus its 1/N self-overlap term) within 4 error bars each (the error bars are
# over samples; the RS curves are N → ∞, and at this size the three agree to 0.3–1.6 σ with 16 samples).
# Gaussian inputs: binary inputs put the stabilities on a grid of spacing 2/√N, which moves the violated
# fraction by O(N^-1/2) (docs/continual_learning_theory.md).
source "$(dirname "$0")/common.bash"
cat > sq.toml <<'TOML'
[model]
name = "binary_perceptron"
N = 201
alpha = 0.8
kappa = 0.2
mode = "storage"
cost = "quadratic"
inputs = "gaussian"
[tempering]
beta = [0.5, 1.0, 2.0]
replicas = 2
[run]
sweeps = 1500
thermalization = 500
samples = 8
seed = 3
TOML
"$ptmc" run sq.toml -o mc.h5 -q -t 2 2>/dev/null || fail "the Monte Carlo run failed"
"$ptmc" theory sq.toml -o th.h5 2>/dev/null || fail "ptmc theory failed"
"$ptmc" summarize mc.h5 > mc.csv 2>/dev/null
"$ptmc" summarize th.h5 > th.csv 2>/dev/null
"$PTMC_PYTHON" - <<'PY' || fail "quadratic-cost storage: Monte Carlo against the RS curves"
import csv, math
N = 201
mc, th = list(csv.DictReader(open("mc.csv"))), list(csv.DictReader(open("th.csv")))
assert len(mc) == len(th) == 3
for m, t in zip(mc, th):
    q = float(t["q"])
    for name, expected in (("energy", float(t["energy"])), ("train_error", float(t["train_error"])),
                           ("q2", q * q + (1 - q * q) / N)):
        value, err = float(m[name]), float(m[name + "_err"])
        z = (value - expected) / err
        print(f"beta {m['beta']} {name}: {value:.4f} ± {err:.4f}, RS {expected:.4f}, z = {z:.2f}")
        assert math.isfinite(z) and abs(z) < 4, (m["beta"], name, z)
PY
echo "perceptron_quadratic_storage: ok"
