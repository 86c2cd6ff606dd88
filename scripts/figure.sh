#!/usr/bin/env bash
# Reproduces one figure: scripts/figure.sh runs/NAME.toml [more.toml ...] [--np N]
# For each parameter file: Monte Carlo (mpirun -np N, default 2) into out/STEM.h5 and the theory
# into out/STEM-theory.h5; then analysis/plot/NAME.py (NAME = stem of the first file) reads them
# all and writes out/NAME.png and out/NAME.pdf. Brings build/ptmc up to date first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
np=2
files=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --np) np="$2"; shift 2 ;;
    *.toml) files+=("$1"); shift ;;
    *) echo "figure.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ ${#files[@]} -gt 0 ]] || { echo "usage: scripts/figure.sh runs/NAME.toml [more.toml ...] [--np N]" >&2; exit 2; }
[[ -f build/CMakeCache.txt ]] || cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target ptmc >/dev/null  # a no-op when up to date
mkdir -p out
inputs=()
for f in "${files[@]}"; do
  stem=$(basename "$f" .toml)
  mpirun -np "$np" build/ptmc run "$f" -o "out/$stem.h5" --overwrite  # out/ holds what these scripts regenerate
  build/ptmc theory "$f" -o "out/$stem-theory.h5"
  inputs+=("out/$stem.h5" "out/$stem-theory.h5")
done
name=$(basename "${files[0]}" .toml)
"$PTMC_PYTHON" "analysis/plot/$name.py" "${inputs[@]}" -o "out/$name"
