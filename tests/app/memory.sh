# Memory: every model's estimate agrees with the measured peak RSS of a real run at two sizes
# (within a factor 1.5), and a sweep that a node cannot hold, or with too many tasks, is refused by
# check and run (file named, exit 2) unless --ignore-memory.
source "$(dirname "$0")/common.bash"
# Estimate (the run's own "[ptmc] memory: about X per rank") against the peak RSS of that run.
"$PTMC_PYTHON" - "$ptmc" <<'PY' || fail "memory estimates"
import os, re, subprocess, sys
ptmc = sys.argv[1]
units = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
# (model, N, [model] lines, replicas, temperatures): each model at two sizes where its own arrays
# outweigh the program's 30 MiB; Curie-Weiss also with the overlap histograms of 2 replicas.
cases = [("curie_weiss", 300000, "", 1, 16), ("curie_weiss", 1000000, "", 1, 16), ("curie_weiss", 100000, "", 2, 4),
         ("sk", 1500, "", 1, 2), ("sk", 3000, "", 1, 2),
         ("dense_hebbian", 2048, "K = 8192", 1, 2), ("dense_hebbian", 4096, "K = 8192", 1, 2),
         ("dense_hebbian", 1000, 'K = 500\ndata = "unsupervised"\nM = 20', 1, 2),
         ("multitasking", 200000, "K = 8", 1, 2), ("multitasking", 600000, "K = 8", 1, 2),
         ("binary_perceptron", 1001, 'alpha = 20\nmode = "teacher_student"', 1, 2),
         ("binary_perceptron", 2001, 'alpha = 10\nmode = "teacher_student"', 1, 2),
         # binned series of 4096 temperatures (7 series each, 256 bins): the bins outweigh the spins
         ("curie_weiss", 16, "", 1, 4096, 600)]
bad = []
for k, (model, n, extra, replicas, temperatures, *sweeps) in enumerate(cases):
    with open(f"m{k}.toml", "w") as f:  # two sweeps (or as given), a checkpoint after the first
        f.write(f'[model]\nname = "{model}"\nN = {n}\n{extra}\n[tempering]\n'
                f'beta = {{ min = 0.5, max = 1.0, count = {temperatures} }}\nreplicas = {replicas}\n'
                f'[run]\nsweeps = {sweeps[0] if sweeps else 2}\nthermalization = 0\nmeasure_every = 1\n'
                f'[output]\ncheckpoint_seconds = {1 if sweeps else 0.0001}\n')
    with open(f"m{k}.err", "w") as err:
        p = subprocess.Popen([ptmc, "run", f"m{k}.toml", "-o", f"m{k}.h5", "-t", "1", "-q"], stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
    text = open(f"m{k}.err").read()
    assert status == 0, text
    m = re.search(r"\[ptmc\] memory: about ([\d.]+) (\w+) per rank", text)
    assert m, text
    est, peak = float(m.group(1)) * units[m.group(2)], usage.ru_maxrss * 1024
    print(f"{model:18} N = {n:8}: estimate {est / 2**20:7.1f} MiB, peak RSS {peak / 2**20:7.1f} MiB, ratio {est / peak:.2f}")
    if not 1 / 1.5 <= est / peak <= 1.5:
        bad.append(f"{model} N = {n}")
assert not bad, f"estimate off by more than a factor 1.5: {bad}"
PY

# A sweep that no node here can hold: 2^26 spins x 4096 temperatures x 1024 replicas.
cat > huge.toml <<'TOML'
[model]
name = "curie_weiss"
N = 67108864
[tempering]
beta = { min = 0.1, max = 2.0, count = 4096 }
replicas = 1024
TOML
expect_fail "check of a sweep larger than the node" "huge.toml: error: the sweep needs more memory than this node has" "$ptmc" check huge.toml
[[ $("$ptmc" check huge.toml >/dev/null 2>&1; echo $?) -eq 2 ]] || fail "check: exit code 2 expected"
"$ptmc" check huge.toml --ignore-memory > ok.txt || fail "check --ignore-memory refused"
grep -q "memory: about .* TiB per rank" ok.txt || fail "check does not state the memory per rank"
expect_fail "run of a sweep larger than the node" "huge.toml: error: the sweep needs more memory" "$ptmc" run huge.toml -o huge.h5
[[ ! -e huge.h5 ]] || fail "a refused run left huge.h5"

# SK N = 32768 (4 GiB of float couplings) on a node with 1 GB available; with 2 ranks, a sweep that fits one.
cat > sk.toml <<'TOML'
[model]
name = "sk"
N = 32768
[tempering]
beta = [1.0]
TOML
PTMC_MEMORY_AVAILABLE=1e9 expect_fail "SK N = 32768 in 1 GB" "4.0 GiB per rank" "$ptmc" check sk.toml
PTMC_MEMORY_AVAILABLE=1e9 expect_fail "run of SK N = 32768 in 1 GB" "pass --ignore-memory" "$ptmc" run sk.toml -o sk.h5
"$ptmc" check sk.toml --ranks-per-node 1000 >/dev/null 2>err.txt && fail "1000 ranks of 4 GiB accepted"
grep -qF "1000 rank(s) on this node need" err.txt || fail "the ranks per node are not counted"
cat > mid.toml <<'TOML'
[model]
name = "sk"
N = 4096
[tempering]
beta = [1.0]
[run]
sweeps = 2
thermalization = 0
TOML
PTMC_MEMORY_AVAILABLE=1.5e8 mpirun -np 2 "$ptmc" run mid.toml -o mid.h5 -q >out.txt 2>err.txt && fail "2 ranks x 96 MiB in 150 MB accepted"
grep -qF "2 rank(s) on this node need" err.txt || { cat err.txt >&2; fail "mpirun: the node's ranks are not counted"; }
PTMC_MEMORY_AVAILABLE=1.5e8 "$ptmc" run mid.toml -o mid.h5 -q 2>err.txt || { cat err.txt >&2; fail "1 rank x 96 MiB in 150 MB refused"; }

# 4096 points x 10^6 samples: too many tasks for one run, whatever the memory.
cat > tasks.toml <<'TOML'
[model]
name = "curie_weiss"
N = { min = 2, max = 100001, count = 4096 }
[tempering]
beta = [1.0]
[run]
samples = 1000000
TOML
expect_fail "4.1e9 tasks (check)" "tasks.toml: error: key '[run] samples'" "$ptmc" check tasks.toml --ignore-memory
expect_fail "4.1e9 tasks (run)" "4.1e+09 tasks, more than the 1000000" "$ptmc" run tasks.toml -o tasks.h5 --ignore-memory
[[ ! -e tasks.h5 ]] || fail "a refused run left tasks.h5"
echo "memory: ok"
