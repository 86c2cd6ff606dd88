# Learning from a real data set (scikit-learn's 8 x 8 digits, and a small IDX pair made here):
# multitasking and dense_hebbian runs whose examples are images; the measured example quality r is
# recorded; a bad data set is refused before anything runs, naming the file, the key and what was
# expected (missing file, wrong format, labels that do not match, fewer images than M, N that does
# not match the images).
source "$(dirname "$0")/common.bash"
digits=/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
[[ -f $digits ]] || fail "$digits is missing: install python3-sklearn (scripts/install-deps.sh)"
model_toml() {  # name, extra [model] lines
  printf '[model]\nname = "%s"\nN = 16\nK = 3\nM = 20\ndata = "supervised"\nexamples_file = "%s"\npool = 2\ninit = "archetype"\n%s\n' \
    "$1" "$digits" "$2"
  printf '[tempering]\nbeta = [1.0, 4.0]\n[run]\nsweeps = 100\nthermalization = 20\nsamples = 2\nseed = 3\n'
}
for model in multitasking dense_hebbian; do
  model_toml $model "" > $model.toml
  "$ptmc" run $model.toml -o $model.h5 -q 2>err.txt || { cat err.txt >&2; fail "$model on the digits"; }
  "$PTMC_PYTHON" - "$model.h5" <<'PY' || fail "$model on the digits: r, rho not the data set's"
import sys, h5py
a = h5py.File(sys.argv[1])["points/p0000"].attrs
# Digits 0, 1, 2 pooled 2 x 2, +1 above 8: mean ξ·η/N over their 537 images = 0.7420856610800745
# (numpy, from the CSV), and ρ = (1 - r²)/(M r²)
assert abs(a["r"] - 0.7420856610800745) < 1e-12, a["r"]
assert abs(a["rho"] - (1 - a["r"] ** 2) / (20 * a["r"] ** 2)) < 1e-12, a["rho"]
PY
done
# Classification: digits 0-1499 as an HDF5 training set, 1500-1796 held out as a CSV test set;
# every walker starts from a test image (init = "test") and relaxes at T = 0; `correct` is the
# accuracy (chance 0.1), `m_class` the overlap with the test image's class archetype.
"$PTMC_PYTHON" - "$digits" <<'PY'
import sys, gzip, h5py, numpy as np
a = np.loadtxt(gzip.open(sys.argv[1]), delimiter=",")
with h5py.File("train.h5", "w") as f:
    f["images"] = a[:1500, :-1].reshape(-1, 8, 8).astype(np.uint8)
    f["labels"] = a[:1500, -1].astype(np.int32)
np.savetxt("test.csv", a[1500:], fmt="%d", delimiter=",")
PY
printf '[model]\nname = "dense_hebbian"\nN = 64\nK = 10\nM = 100\ndata = "supervised"\nexamples_file = "train.h5"\ntest_file = "test.csv"\ninit = "test"\n[tempering]\nbeta = [inf]\nreplicas = 20\nswap_every = 0\n[run]\nsweeps = 20\nthermalization = 10\nsamples = 2\nseed = 5\nmin_round_trips = 0\n' > classify.toml
"$ptmc" run classify.toml -o classify.h5 -q 2>err.txt || { cat err.txt >&2; fail "classification run"; }
"$ptmc" summarize classify.h5 > classify.csv
"$PTMC_PYTHON" - <<'PY' || fail "classification of the held-out digits"
import csv
row = next(csv.DictReader(open("classify.csv")))
acc, err, m = float(row["correct"]), float(row["correct_err"]), float(row["m_class"])
print(f"digits, P = 2, M = 100, T = 0: accuracy {acc:.3f} +- {err:.3f}, m_class {m:.3f}")
# Raw ±1 digits share their background: at P = 2 every start relaxes to the same state, whose largest
# overlap is one class's archetype (accuracy = that class's share; a numpy replay of the dynamics
# gives 0.08 on these images). The columns exist and are in range; tests/models/test_data_set.cpp
# checks the classification itself.
assert 0 <= acc <= 1 and 0 <= err < 0.2, (acc, err)
assert 0 < m <= 1, m
PY
sed 's/^init = "test"/init = "test"\ntest_labels_file = "x"/; s/^test_file = .*//' classify.toml > bad.toml
expect_fail "init = test without test_file" "key '[model] init': init = \"test\" starts from held-out images: give examples_file and test_file" "$ptmc" check bad.toml
# Errors: each names the key and the file.
model_toml dense_hebbian "" | sed 's/^M = 20/M = 180/' > bad.toml
expect_fail "M above a class's images" "key '[model] M': M = 180 examples per class, but class 0 has 178 images in $digits" "$ptmc" check bad.toml
model_toml dense_hebbian "" | sed 's/^N = 16/N = 64/' > bad.toml
expect_fail "N that does not match" "key '[model] N': N = 64 does not match the data set: 8 x 8 images of $digits, cropped by 0 and pooled by 2, give N = 16" "$ptmc" check bad.toml
model_toml dense_hebbian "" | sed "s#$digits#missing.idx.gz#" > bad.toml
expect_fail "a missing file" "key '[model] examples_file': cannot open data set file missing.idx.gz: No such file or directory" "$ptmc" check bad.toml
echo garbage | gzip > garbage.gz
model_toml dense_hebbian "" | sed "s#$digits#garbage.gz#" > bad.toml
expect_fail "a file in no known format" "key '[model] examples_file': data set file garbage.gz line 1: not a number; expected an IDX or HDF5 file" "$ptmc" check bad.toml
model_toml dense_hebbian 'classes = "0, 4, 11"' > bad.toml
expect_fail "a class without images" "key '[model] classes': no image of class 11 in $digits" "$ptmc" check bad.toml
model_toml dense_hebbian 'r = 0.5' > bad.toml
expect_fail "r with a data set" "key '[model] r': the example quality of a data set is measured" "$ptmc" check bad.toml
# IDX images with labels that do not match: 5 images of 4 x 4, 4 labels.
"$PTMC_PYTHON" - <<'PY'
import gzip, struct
with gzip.open("im.idx.gz", "wb") as f:
    f.write(struct.pack(">BBBBIII", 0, 0, 8, 3, 5, 4, 4) + bytes(range(80)))
with open("lab.idx", "wb") as f:
    f.write(struct.pack(">BBBBI", 0, 0, 8, 1, 4) + bytes([0, 1, 0, 1]))
PY
printf '[model]\nname = "dense_hebbian"\nN = 16\nK = 2\nexamples_file = "im.idx.gz"\nlabels_file = "lab.idx"\n[tempering]\nbeta = [1.0]\n[run]\nsweeps = 10\n' > idx.toml
expect_fail "labels that do not match" "idx.toml:6:15: error: key '[model] labels_file': IDX labels file lab.idx holds 4 labels for 5 images in im.idx.gz: expected one label per image" "$ptmc" check idx.toml
# The memory estimate counts the images a data set holds once read: classify.toml's 1500 training and
# 297 test digits, 64 pixels each as float.
"$ptmc" check classify.toml > check.txt 2>&1 || { cat check.txt >&2; fail "ptmc check classify.toml"; }
"$PTMC_PYTHON" - <<'PY' || fail "the memory estimate leaves out the data set's images"
import re
t = open("check.txt").read()
m = re.search(r"disorder ([0-9.]+) (B|KiB|MiB|GiB)", t)
assert m, t
bytes_ = float(m.group(1)) * {"B": 1, "KiB": 1024, "MiB": 2**20, "GiB": 2**30}[m.group(2)]
assert bytes_ >= 1797 * 64 * 4, (bytes_, t)
PY
echo "ok: dense_hebbian and multitasking learn from the digits with r measured; bad data sets are refused naming key and file"
