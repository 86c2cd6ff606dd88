# `ptmc summarize` gives free_energy (thermodynamic integration of the energy from β = 0) with an
# error bar: Curie-Weiss N = 10, one run, against the exact f = -(1/βN) ln Σ_M C(N, (N+M)/2)
# exp(β (M² - N) / (2N)) within 4 error bars at each of 10 temperatures (false alarm ~0.06 % for
# Gaussian errors; the seed is fixed); NaN at β = 0 where f is not finite.
source "$(dirname "$0")/common.bash"
cat > cw.toml <<'TOML'
[model]
name = "curie_weiss"
N = 10
[tempering]
beta = { min = 0.0, max = 2.0, count = 11, spacing = "linear" }
[run]
sweeps = 20000
thermalization = 500
seed = 4
TOML
OMP_NUM_THREADS=1 "$ptmc" run cw.toml -o cw.h5 -q 2>/dev/null
"$ptmc" summarize cw.h5 > cw.csv
"$PTMC_PYTHON" - <<'PY' || fail "free_energy against exact enumeration"
import csv, math
N = 10
rows = list(csv.DictReader(open("cw.csv")))
assert len(rows) == 11, len(rows)
for r in rows:
    b = float(r["beta"])
    f, err = float(r["free_energy"]), float(r["free_energy_err"])
    if b == 0:
        assert math.isnan(f), f
        continue
    z = sum(math.comb(N, k) * math.exp(b * ((2 * k - N) ** 2 - N) / (2 * N)) for k in range(N + 1))
    exact = -math.log(z) / (b * N)
    assert 0 < err < 0.01, (b, err)
    assert abs(f - exact) < 4 * err, (b, f, exact, err)
PY
echo "free_energy: ok"
