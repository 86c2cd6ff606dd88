#!/usr/bin/env bash
# First command: install what is missing, build in Release, run the quick-start sweep on 2 ranks, plot it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
source scripts/env.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
mkdir -p out
mpirun -np 2 build/ptmc run runs/quickstart.toml -o out/quickstart.h5
build/ptmc theory runs/quickstart.toml -o out/quickstart-theory.h5
"$PTMC_PYTHON" analysis/plot/quickstart.py out/quickstart.h5 out/quickstart-theory.h5 -o out/quickstart.png
build/ptmc summarize out/quickstart.h5 | head -n 8
echo "ptmc: wrote out/quickstart.h5 and out/quickstart.png"
