# A small, fixed-seed version of the parameter-file fuzz campaign (tests/fuzz/fuzz_parameters.py):
# 200 mutants of the repository's parameter files (byte flips, deleted and swapped lines, huge,
# negative, NaN and infinite numbers, wrong types, unknown keys, deep nesting, junk, ...) through
# `ptmc check`. Every one must be accepted or refused with a message naming the file: no signal,
# no std::bad_alloc or terminate, no message without the file name, no hang (30 s per file).
source "$(dirname "$0")/common.bash"
"$PTMC_PYTHON" "$src/tests/fuzz/fuzz_parameters.py" --ptmc "$ptmc" --count 200 --seed 7 --jobs 4 --quiet \
  --keep "$work/failed" >summary.json 2>fuzz.txt || {
  cat fuzz.txt summary.json >&2
  for f in "$work"/failed/*.txt; do [ -e "$f" ] && { echo "== $f" >&2; head -c 2000 "$f" >&2; }; done
  fail "the fuzzer found a crash or a hang (inputs above)"
}
grep -q '"checked": 200' summary.json || { cat summary.json >&2; fail "not every mutant was checked"; }
echo "ok: $(cat summary.json)"
