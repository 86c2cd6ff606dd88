# Sourced by the app tests (not a test itself: CTest runs tests/app/*.sh): `bash test.sh PTMC SOURCE_DIR`. Gives $ptmc, $src, a scratch $work
# directory removed on exit, and helpers that fail the test with a message.
set -euo pipefail
ptmc=$(realpath "$1")
src=$(realpath "$2")
source "$src/scripts/env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A command that stops the test under `set -e` says which one (a silent exit is otherwise all CTest shows).
trap 'echo "FAIL: $(basename "$0") line $LINENO: exit $? from: $BASH_COMMAND" >&2' ERR
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_fail "what" "fragment of stderr" cmd...: the command must exit non-zero and say `fragment`.
expect_fail() {
  local what=$1 fragment=$2; shift 2
  if "$@" >out.txt 2>err.txt; then fail "$what: exited 0"; fi
  grep -qF -- "$fragment" err.txt || { cat err.txt >&2; fail "$what: stderr lacks '$fragment'"; }
}
# A short SK sweep used by several tests: write_small_sweep FILE [SWEEPS [MEASURE_EVERY [SAMPLES]]]
# (400, 1 and 3 by default); a test appends what else it needs (an [output] table) to FILE.
write_small_sweep() {
  cat > "$1" <<TOML
[model]
name = "sk"
N = [12, 16]
[tempering]
beta = { min = 0.4, max = 1.6, count = 4 }
replicas = 2
[run]
sweeps = ${2:-400}
thermalization = 50
measure_every = ${3:-1}
samples = ${4:-3}
seed = 11
TOML
}
