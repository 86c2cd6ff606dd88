# Deterministic even/odd swaps ([tempering] swaps = "deo"): bitwise the same summary for 1 rank,
# 2 ranks over tasks and a group of 2 ranks sharing each task's walkers, and for 2 threads; the
# scheme changes the numbers (the comparison is not vacuous); an unknown scheme is refused with the
# file, key and choices named.
source "$(dirname "$0")/common.bash"
write_small_sweep seq.toml
sed 's/replicas = 2/replicas = 2\nswaps = "deo"/' seq.toml > deo.toml
grep -q 'swaps = "deo"' deo.toml || fail "could not write deo.toml"
OMP_NUM_THREADS=1 "$ptmc" run deo.toml -o d1.h5 -q
OMP_NUM_THREADS=2 PTMC_WALKER_THREADS=always "$ptmc" run deo.toml -o t2.h5 -q
OMP_NUM_THREADS=1 mpirun -np 2 "$ptmc" run deo.toml -o r2.h5 -q
OMP_NUM_THREADS=1 mpirun -np 2 "$ptmc" run deo.toml -o g2.h5 -q --ranks-per-task 2
OMP_NUM_THREADS=1 "$ptmc" run seq.toml -o s1.h5 -q
for f in d1 t2 r2 g2 s1; do "$ptmc" summarize $f.h5 > $f.csv; done
[[ $(wc -l < d1.csv) -eq 9 ]] || fail "expected a header and 8 rows (2 points x 4 temperatures)"
for f in t2 r2 g2; do cmp d1.csv $f.csv || fail "deo: $f differs from the single-rank run"; done
if cmp -s d1.csv s1.csv; then fail "swaps = \"deo\" gave the same numbers as sequential swaps"; fi
sed 's/swaps = "deo"/swaps = "odd"/' deo.toml > bad.toml
expect_fail "unknown swap scheme" "swaps" "$ptmc" run bad.toml -o bad.h5 -q
grep -qF "bad.toml" err.txt || { cat err.txt >&2; fail "the error does not name the file"; }
grep -qF "deo" err.txt || { cat err.txt >&2; fail "the error does not list the choices"; }
echo "tempering_deo: ok"
