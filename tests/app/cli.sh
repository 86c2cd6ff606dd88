# The command line: help lists every parameter, version, and bad input gives file:line:key errors.
source "$(dirname "$0")/common.bash"

"$ptmc" --help | grep -q "run" || fail "--help lacks the run command"
"$ptmc" --version | grep -Eq "^ptmc [0-9]+\.[0-9]+\.[0-9]+" || fail "--version"
help=$("$ptmc" run --help)
# Every engine parameter and every model parameter of the registered models, with type and default.
for key in beta replicas swap_every dynamics order sweeps thermalization measure_every samples seed \
           flush_seconds vector_every histogram_bins couplings init; do
  grep -q -- "$key" <<<"$help" || fail "run --help does not list '$key'"
done
grep -q "curie_weiss" <<<"$help" || fail "run --help does not list the models"

expect_fail "missing file" "no_such.toml" "$ptmc" run no_such.toml
printf '[model]\nname = "sk"\nN = 1\n[tempering]\nbeta = [1.0]\n' > bad.toml
expect_fail "out of range" "bad.toml:3:" "$ptmc" run bad.toml -o x.h5
grep -q "\[model\] N" err.txt || fail "error does not name the key"
printf '[model]\nname = "sk"\nN = 8\n[tempering]\nbeta = [1.0]\n[run]\nsweeps = 0\n' > bad2.toml
expect_fail "sweeps = 0" "bad2.toml:7:" "$ptmc" run bad2.toml -o x.h5
expect_fail "summarize a missing file" "nothing.h5" "$ptmc" summarize nothing.h5
echo "not hdf5" > junk.h5
expect_fail "summarize junk" "junk.h5" "$ptmc" summarize junk.h5
"$ptmc" check "$src/runs/quickstart.toml" >/dev/null || fail "check rejects the quick start"
echo "cli: ok"
