# dense_hebbian data_file: a dataset of a type that is not numbers (strings, complex, compound,
# variable-length) is refused with a message naming the file, the key, the type found and the type
# and shape expected; integer, float and boolean datasets of ±1 are read.
source "$(dirname "$0")/common.bash"
"$PTMC_PYTHON" - <<'PY'
import h5py, numpy as np
K, N = 3, 16
x = np.random.default_rng(1).choice([-1, 1], size=(K, N))
sets = {"int8": x.astype(np.int8), "float32": x.astype(np.float32), "bool": x > 0,
        "vstring": np.array([["+1"] * N] * K, dtype=h5py.string_dtype()),
        "fstring": np.array([[b"+1"] * N] * K, dtype="S2"), "complex": x.astype(np.complex128),
        "compound": np.zeros((K, N), dtype=[("a", "f8"), ("b", "i4")])}
for name, data in sets.items():
    with h5py.File(f"{name}.h5", "w") as f:
        f["patterns"] = data
with h5py.File("vlen.h5", "w") as f:
    f.create_dataset("patterns", (K, N), dtype=h5py.vlen_dtype(np.float64))
with h5py.File("shape.h5", "w") as f:
    f["patterns"] = np.array([["x"] * K] * N, dtype=h5py.string_dtype())  # N x K strings: the type is named first
for name in list(sets) + ["vlen", "shape"]:
    with open(f"{name}.toml", "w") as t:
        t.write(f'[model]\nname = "dense_hebbian"\nN = {N}\nK = {K}\ndata_file = "{name}.h5"\n'
                '[tempering]\nbeta = [1.0, 2.0]\n[run]\nsweeps = 10\nthermalization = 0\n')
PY
for ok in int8 float32 bool; do
  "$ptmc" check "$ok.toml" >/dev/null 2>err.txt || { cat err.txt >&2; fail "a $ok dataset of ±1 is refused"; }
done
expect_type() {
  expect_fail "$1 dataset" "$1.toml:5:13: error: key '[model] data_file': dataset 'patterns' in $1.h5 holds $2 values, expected K x N = 3 x 16 numbers (integer or float" "$ptmc" check "$1.toml"
}
expect_type vstring "variable-length string"
expect_type fstring "2-byte string"
expect_type complex "compound (a struct or complex number)"
expect_type compound "compound (a struct or complex number)"
expect_type vlen "variable-length sequence"
expect_type shape "variable-length string"
# The run reads the file again, per sample: the same message, exit 2, nothing written.
expect_fail "run with a string dataset" "holds variable-length string values, expected K x N = 3 x 16" "$ptmc" run vstring.toml -o out.h5 -q
echo "ok: non-numeric archetype datasets are refused with the type found and the type and shape expected"
